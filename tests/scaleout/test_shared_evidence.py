"""Evidence files uploaded on one node are served by another when both use one evidence directory."""

from __future__ import annotations

import io

import pytest
from argon2 import PasswordHasher

from domain.times import parse_instant
from iku import accounts
from iku.runtime import Runtime
from tests.conftest import postgres_schema, require_postgres
from tests.integrity.test_evidence_files import PNG
from webapp import create_app

pytestmark = pytest.mark.postgres
PASSWORD = "sandi-uji-panjang"


@pytest.fixture
def nodes(tmp_path, monkeypatch):
    require_postgres()
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with postgres_schema() as url:
        opened = [Runtime(tmp_path / name, database_url=url) for name in ("node-a", "node-b")]
        try:
            accounts.add_user(opened[0], "operator", "operator", PASSWORD, actor="t")
            opened[0].record("scheduled", "AG-1", title="Apel", leaders=["walikota"], location="Balai",
                             occurred_at=parse_instant("2020-01-01T08:00"), actor="t")
            opened[0].record("held", "AG-1", occurred_at=parse_instant("2020-01-01T08:00"), actor="t")
            clients = []
            for runtime in opened:
                client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
                client.post("/masuk", data={"username": "operator", "password": PASSWORD})
                clients.append(client)
            yield clients
        finally:
            for runtime in opened:
                runtime.close()


def upload(client) -> str:
    response = client.post("/kegiatan/AG-1/catat", content_type="multipart/form-data",
                           data={"kind": "documented", "occurred_at": "2020-01-01T10:00", "channel": "foto",
                                 "evidence_ref": "ARSIP/1", "berkas": (io.BytesIO(PNG), "apel.png")})
    assert response.status_code == 303
    page = client.get("/kegiatan/AG-1").get_data(as_text=True)
    return page.split("/berkas/", 1)[1][:64]


def test_a_shared_evidence_dir_serves_every_nodes_uploads(nodes, tmp_path, monkeypatch):
    monkeypatch.setenv("IKU_EVIDENCE_DIR", str(tmp_path / "shared-evidence"))
    node_a, node_b = nodes
    sha = upload(node_a)
    served = node_b.get(f"/berkas/{sha}")
    assert served.status_code == 200 and served.data == PNG
    served.close()


def test_without_it_another_node_has_no_file_to_serve(nodes):
    node_a, node_b = nodes
    sha = upload(node_a)
    assert node_b.get(f"/berkas/{sha}").status_code == 404
