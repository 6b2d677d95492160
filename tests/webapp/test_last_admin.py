"""Someone can always manage accounts: no change may leave no active admin, on the web or the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.accounts import LastAdminError
from projections import read
from services import accounts
from tests.webapp.conftest import PASSWORD, login, soup


def active_admins(runtime) -> list[str]:
    return [row["username"] for row in read.accounts.accounts(runtime.fresh()) if row["role"] == "admin"
            and not row["disabled"]]


@pytest.mark.parametrize("change", ["role", "disable"])
def test_the_only_admin_cannot_step_down_or_be_disabled(runtime, change):
    before = runtime.follower.head()
    with pytest.raises(LastAdminError):
        if change == "role":
            accounts.change_role(runtime, "admin", "operator", actor="admin")
        else:
            accounts.disable(runtime, "admin", actor="admin", reason="pindah")
    assert runtime.follower.head() == before and active_admins(runtime) == ["admin"]


def test_with_a_second_admin_the_first_may_step_down(runtime):
    accounts.change_role(runtime, "auditor", "admin", actor="admin")
    accounts.change_role(runtime, "admin", "operator", actor="admin")
    assert active_admins(runtime) == ["auditor"]
    with pytest.raises(LastAdminError):
        accounts.disable(runtime, "auditor", actor="auditor", reason="cuti")


def test_disabling_someone_else_or_a_non_admin_is_not_affected(runtime):
    accounts.disable(runtime, "operator", actor="admin", reason="pindah")
    assert read.accounts.account(runtime.fresh(), "operator")["disabled"]


@pytest.mark.parametrize(("url", "data"), [("/akun/admin/peran", {"role": "operator"}),
                                           ("/akun/admin/nonaktif", {"reason": "pindah"})])
def test_the_web_refuses_in_the_row_and_keeps_the_admin_logged_in(client, runtime, url, data):
    login(client, "admin")
    before = runtime.follower.head()
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "satu-satunya admin aktif" in soup(response).get_text(" ")
    assert runtime.follower.head() == before
    assert client.get("/akun").status_code == 200  # still an admin, still logged in


def test_the_command_line_refuses_too(tmp_path):
    runner = CliRunner()

    def iku(*args, stdin=None):
        return runner.invoke(cli, ["--data-dir", str(tmp_path), *args], input=stdin)

    assert iku("user", "add", "kabag", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    refused = iku("user", "set-role", "kabag", "operator")
    assert refused.exit_code == 1 and "satu-satunya admin aktif" in refused.stderr
    refused = iku("--lang", "en", "user", "disable", "kabag", "--reason", "pindah")
    assert refused.exit_code == 1 and "only active admin" in refused.stderr
