"""Evidence files uploaded on one node are served by another when both use one evidence directory."""

from __future__ import annotations

import io

import pytest

from domain.times import parse_instant
from tests.conftest import NODE_PASSWORD
from tests.integrity.test_evidence_files import PNG
from webapp import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture
def nodes(two_nodes):
    """A logged-in web client on each node, and an activity held on the first."""
    two_nodes[0].record("scheduled", "AG-1", title="Apel", leaders=["walikota"], location="Balai",
                        occurred_at=parse_instant("2020-01-01T08:00"), actor="t")
    two_nodes[0].record("held", "AG-1", occurred_at=parse_instant("2020-01-01T08:00"), actor="t")
    clients = []
    for runtime in two_nodes:
        client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
        client.post("/masuk", data={"username": "operator", "password": NODE_PASSWORD})
        clients.append(client)
    return clients


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
