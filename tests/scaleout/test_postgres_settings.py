"""A PostgreSQL setting that cannot work is named: a refusing port, an unknown database, a refused login."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import POSTGRES_DSN, require_postgres


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(tmp_path, url: str, lang: str = "id"):
    return CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--lang", lang, "report", "2020"],
                              env={"IKU_DATABASE_URL": url})


def test_a_port_nothing_listens_on_is_named_as_a_refused_connection(tmp_path):
    result = report(tmp_path, f"postgresql://postgres@127.0.0.1:{closed_port()}/test")
    assert result.exit_code == 1
    assert "menolak sambungan" in result.output and "couldn't get a connection" not in result.output


@pytest.mark.postgres
@pytest.mark.parametrize(("change", "indonesian", "english"), [
    ({"path": "/iku_tidak_ada"}, "tidak punya basis data 'iku_tidak_ada'", "has no database 'iku_tidak_ada'"),
    ({"user": "iku_tidak_ada"}, "menolak masuk sebagai 'iku_tidak_ada'", "refused the login as 'iku_tidak_ada'"),
])
def test_an_unknown_database_or_user_is_named(tmp_path, change, indonesian, english):
    require_postgres()
    server = urlparse(POSTGRES_DSN)
    url = f"postgresql://{change.get('user', server.username)}@{server.hostname}:{server.port or 5432}" \
          f"{change.get('path', server.path)}"
    assert indonesian in report(tmp_path, url).output
    assert english in report(tmp_path, url, "en").output
