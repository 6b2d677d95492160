"""The default data dir (./iku-data, relative) serves evidence files and the logo like an absolute one."""

from __future__ import annotations

import io

from PIL import Image

from domain.times import parse_instant
from services import accounts
from services.evidence import EvidenceStore
from tests.webapp.conftest import PASSWORD
from webapp import create_app


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


def test_evidence_files_and_the_logo_are_served_from_the_default_relative_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IKU_DATA_DIR")
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    runtime = app.extensions["services.runtime"]
    try:
        assert runtime.data_dir == tmp_path / "iku-data"
        accounts.add_user(runtime, "operator", "operator", PASSWORD, actor="setup")
        when = parse_instant("2020-03-02T09:00")
        runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=when,
                       actor="siti")
        runtime.record("held", "AG-1", occurred_at=when, actor="siti")
        runtime.record("documented", "AG-1", occurred_at=when, channel="foto", evidence_ref="ARSIP/1", actor="siti")
        store = EvidenceStore(runtime.data_dir)
        photo = store.put(png(), "foto.png")
        batch = runtime.batch()
        batch.attach("AG-1", "documented", occurred_at=when, actor="siti", **photo)
        runtime.commit(batch)
        runtime.log.set_profile("logo", store.put_logo(png(), "logo.png"), actor="admin")
        client = app.test_client()
        client.post("/masuk", data={"username": "operator", "password": PASSWORD})
        with client.get(f"/berkas/{photo['sha256']}") as served:
            assert served.status_code == 200 and served.data == png()
        with client.get("/laporan/logo") as logo:
            assert logo.status_code == 200
    finally:
        runtime.close()
