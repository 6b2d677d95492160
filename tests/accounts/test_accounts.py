"""Accounts: roles, disabling, passwords as argon2 hashes, and the append-only record of changes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain import accounts as domain_accounts
from domain.errors import MissingFieldError
from projections import read
from services import accounts
from tests.webapp.conftest import _cheap_password_hashes  # noqa: F401 (an autouse fixture: fast hashes)

PASSWORD = "kata-sandi-panjang"


def test_account_is_created_with_a_hash_never_the_password(runtime):
    accounts.add_user(runtime, "Siti", "operator", PASSWORD, actor="admin")
    stored = read.accounts.account(runtime.fresh(), "siti")
    assert stored["role"] == "operator" and not stored["disabled"]
    assert stored["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in stored["password_hash"]
    assert "password_hash" not in read.accounts.accounts(runtime.db)[0]


def test_login_checks_password_and_disabled_state(runtime):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="admin")
    assert accounts.authenticate(runtime.fresh(), "siti", PASSWORD)["role"] == "operator"
    assert accounts.authenticate(runtime.db, "SITI", PASSWORD) is not None
    assert accounts.authenticate(runtime.db, "siti", "salah-sandi-panjang") is None
    assert accounts.authenticate(runtime.db, "nobody", PASSWORD) is None
    runtime.log.disable_account("siti", actor="admin", reason="pindah tugas")
    assert accounts.authenticate(runtime.fresh(), "siti", PASSWORD) is None
    runtime.log.enable_account("siti", actor="admin")
    assert accounts.authenticate(runtime.fresh(), "siti", PASSWORD) is not None


@pytest.mark.parametrize("call,error", [
    (lambda rt: accounts.add_user(rt, "siti", "operator", PASSWORD, "admin"), domain_accounts.AccountExistsError),
    (lambda rt: accounts.add_user(rt, "x", "operator", PASSWORD, "admin"), domain_accounts.InvalidUsernameError),
    (lambda rt: accounts.add_user(rt, "budi", "boss", PASSWORD, "admin"), domain_accounts.UnknownRoleError),
    (lambda rt: accounts.add_user(rt, "budi", "operator", "pendek", "admin"), accounts.WeakPasswordError),
    (lambda rt: rt.log.change_role("siti", "operator", actor="admin"), domain_accounts.SameRoleError),
    (lambda rt: rt.log.change_role("nobody", "auditor", actor="admin"), domain_accounts.UnknownAccountError),
    (lambda rt: rt.log.enable_account("siti", actor="admin"), domain_accounts.AccountEnabledError),
])
def test_account_rules(runtime, call, error):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="admin")
    head = runtime.follower.head()
    with pytest.raises(error):
        call(runtime)
    assert runtime.follower.head() == head  # nothing stored


def test_every_change_is_kept_with_who_and_when(runtime):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="admin")
    runtime.log.change_role("siti", "auditor", actor="kabag")
    runtime.log.disable_account("siti", actor="kabag", reason="cuti panjang")
    accounts.set_password(runtime, "siti", "sandi-baru-yang-panjang", actor="siti")
    record = read.accounts.account_log(runtime.fresh(), "siti")
    assert [(r["kind"], r["actor"]) for r in record] == [
        ("created", "admin"), ("role_changed", "kabag"), ("disabled", "kabag"), ("password_changed", "siti"),
    ]
    assert record[1]["previous_role"] == "operator" and record[1]["role"] == "auditor"
    assert record[2]["reason"] == "cuti panjang"
    assert all(r["recorded_at"] for r in record)
    before = read.accounts.account_log(runtime.db)
    runtime.rebuild()
    assert read.accounts.account_log(runtime.db) == before


def test_user_commands(tmp_path):
    runner = CliRunner()

    def iku(*args, stdin=None):
        return runner.invoke(cli, ["--data-dir", str(tmp_path), *args], input=stdin)

    result = iku("user", "add", "siti", "--role", "operator", "--password-stdin", "--actor", "kabag",
                 stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert iku("user", "add", "budi", "--role", "auditor", "--password-stdin", stdin="pendek\n").exit_code != 0
    assert "siti" in iku("user", "list").stdout and "budi" not in iku("user", "list").stdout
    assert iku("user", "add", "kabag", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    assert iku("user", "set-role", "siti", "admin", "--actor", "kabag").exit_code == 0
    assert iku("user", "disable", "siti", "--reason", "pindah", "--actor", "kabag").exit_code == 0
    assert "nonaktif" in iku("user", "list").stdout
    second = iku("user", "disable", "siti")
    assert second.exit_code != 0 and "sudah dinonaktifkan" in second.stderr
    log = iku("user", "log", "siti").stdout
    assert "operator → admin" in log and "pindah" in log and "oleh kabag" in log


@pytest.fixture
def iku(tmp_path):
    """`iku --data-dir <tmp> …` with optional standard input."""
    runner = CliRunner()
    return lambda *args, stdin=None: runner.invoke(cli, ["--data-dir", str(tmp_path), *args], input=stdin)


@pytest.mark.parametrize("reason", ["", "   "])
def test_disabling_needs_a_reason(runtime, reason):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="admin")
    head = runtime.follower.head()
    with pytest.raises(MissingFieldError) as refused:
        runtime.log.disable_account("siti", actor="admin", reason=reason)
    assert refused.value.input_field == "reason"
    assert runtime.follower.head() == head


def test_an_admin_reset_is_kept_with_who_and_why(runtime):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="admin")
    accounts.reset_password(runtime, "siti", "sandi-baru-yang-panjang", actor="kabag", reason="lupa")
    last = read.accounts.account_log(runtime.fresh(), "siti")[-1]
    assert (last["kind"], last["actor"], last["reason"]) == ("password_reset", "kabag", "lupa")
    assert accounts.authenticate(runtime.db, "siti", "sandi-baru-yang-panjang") is not None
    assert read.accounts.account(runtime.db, "siti")["password_version"] == 1
    before = read.accounts.account_log(runtime.db)
    runtime.rebuild()
    assert read.accounts.account_log(runtime.db) == before


@pytest.mark.parametrize("actor,reason,error", [
    ("kabag", "", MissingFieldError),
    ("siti", "lupa", domain_accounts.OwnPasswordResetError),
])
def test_a_reset_needs_a_reason_and_another_account(runtime, actor, reason, error):
    accounts.add_user(runtime, "siti", "operator", PASSWORD, actor="admin")
    head = runtime.follower.head()
    with pytest.raises(error):
        accounts.reset_password(runtime, "siti", "sandi-baru-yang-panjang", actor=actor, reason=reason)
    assert runtime.follower.head() == head


def test_user_disable_without_a_reason_names_the_option(iku):
    assert iku("user", "add", "siti", "--role", "operator", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    refused = iku("user", "disable", "siti")
    assert refused.exit_code == 2 and '--reason "…"' in refused.stderr and "alasan wajib diisi" in refused.stderr
    assert "reason is required" in iku("--lang", "en", "user", "disable", "siti").stderr
    assert "nonaktif" not in iku("user", "list").stdout


def test_user_log_reads_as_sentences_in_the_chosen_language(iku):
    iku("user", "add", "siti", "--role", "operator", "--password-stdin", "--actor", "kabag", stdin=PASSWORD + "\n")
    iku("user", "set-role", "siti", "auditor", "--actor", "kabag")
    iku("user", "passwd", "siti", "--password-stdin", "--actor", "siti", stdin="sandi-baru-yang-panjang\n")
    indonesian = iku("user", "log", "siti").stdout.splitlines()
    assert "dibuat sebagai operator oleh kabag, " in indonesian[0] and " pukul " in indonesian[0]
    assert "peran diubah: operator → auditor, oleh kabag, " in indonesian[1]
    assert "kata sandi diganti oleh siti, " in indonesian[2]
    english = iku("--lang", "en", "user", "log", "siti").stdout.splitlines()
    assert "created as operator by kabag, " in english[0] and " at " in english[0]
    assert "role changed: operator → auditor, by kabag, " in english[1]
    assert "password changed by siti, " in english[2]
    assert not {"role_changed", "password_changed"} & {word.strip(":,") for line in indonesian + english
                                                       for word in line.split()}
    assert "created" not in " ".join(indonesian)


def test_user_list_says_who_created_each_account_and_when(iku):
    iku("user", "add", "siti", "--role", "operator", "--password-stdin", "--actor", "kabag", stdin=PASSWORD + "\n")
    assert "dibuat oleh kabag, " in iku("user", "list").stdout and " WIB" in iku("user", "list").stdout
    assert "created by kabag, " in iku("--lang", "en", "user", "list").stdout
