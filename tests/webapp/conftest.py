"""Web fixtures: an app on a fresh data dir, one account per role, and a logged-in client helper."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup

from domain.times import parse_instant
from services import accounts
from services.runtime import Runtime
from webapp import create_app

PASSWORD = "kata-sandi-uji-panjang"
ROLES = ("operator", "auditor", "admin", "verifier", "approver")


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch):
    """Tests hash many passwords; the production cost is not what they check."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_DUMMY_HASH", accounts._HASHER.hash("dummy-password"))


def seed(runtime: Runtime) -> None:
    """A small history: two held activities in Q1 2020 (one published), one scheduled."""
    T = parse_instant
    for ref, title, when in (("AG-2020-0001", "Apel pagi", "2020-03-31T23:30"),
                             ("AG-2020-0002", "Rapat koordinasi", "2020-02-03T09:00")):
        runtime.record("scheduled", ref, title=title, leaders=["walikota"], location="Balai Kota",
                       occurred_at=T(when), actor="siti")
        runtime.record("held", ref, occurred_at=T(when), actor="siti")
    runtime.record("published", "AG-2020-0001", occurred_at=T("2020-04-01T08:00"), channel="website",
                   evidence_ref="https://example.go.id/1", actor="siti")
    runtime.record("scheduled", "AG-2020-0003", title="Kunjungan kerja", leaders=["sekda"], location="Kecamatan",
                   occurred_at=T("2020-03-10T09:00"), actor="siti")


@pytest.fixture
def runtime(tmp_path):
    opened = Runtime(tmp_path / "data", database_url="")
    for role in ROLES:
        accounts.add_user(opened, role, role, PASSWORD, actor="setup")
    seed(opened)
    yield opened
    opened.close()


@pytest.fixture
def app(runtime):
    return create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, role: str = "operator"):
    response = client.post("/masuk", data={"username": role, "password": PASSWORD})
    assert response.status_code == 303, response.data[:500]
    return client


@pytest.fixture
def operator(client):
    return login(client, "operator")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def event_count(runtime: Runtime) -> int:
    return runtime.follower.head()
