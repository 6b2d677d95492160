"""`iku user …`: manage staff accounts (every change is an event: who did it and when is kept)."""

from __future__ import annotations

import getpass
import sys

import click

from cli import context
from domain.accounts import ROLES
from domain.errors import MissingFieldError
from services.presentation import format_moment


def _actor(actor: str | None) -> str:
    return actor or getpass.getuser()


def _read_password(password_stdin: bool) -> str:
    if password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Kata sandi / password", hide_input=True, confirmation_prompt=True)


@click.group("user")
def user() -> None:
    """Manage staff accounts: operator (records), auditor (reads), admin (accounts, and records).

    Example: iku user add siti --role operator
    """


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--actor", help="Who creates the account (default: the OS user).")
@click.pass_context
def add(ctx: click.Context, username: str, role: str, password_stdin: bool, actor: str | None) -> None:
    """Create an account; the password comes from a prompt or standard input, never an argument.

    Example: echo 'rahasia-panjang' | iku user add siti --role operator --password-stdin
    """
    from services import accounts

    password = _read_password(password_stdin)
    accounts.add_user(context.runtime(ctx), username, role, password, _actor(actor))
    click.echo(context.say(ctx, "akun %(name)s dibuat (%(role)s)", name=username.strip().lower(), role=role))


@user.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List accounts with their role and state.

    Example: iku user list
    """
    from projections import read

    lang = context.lang(ctx)
    for item in read.accounts.accounts(context.runtime(ctx).fresh()):
        state = context.say(ctx, "nonaktif") if item["disabled"] else context.say(ctx, "aktif")
        created = context.say(ctx, "dibuat oleh %(actor)s, %(moment)s", actor=item["created_by"],
                              moment=format_moment(item["created_at"], lang))
        click.echo(f"{item['username']:<24} {item['role']:<9} {state:<9} {created}")


@user.command("disable")
@click.argument("username")
@click.option("--reason", default="", help="Why (required; kept in the account record).")
@click.option("--actor", help="Who disables it (default: the OS user).")
@click.pass_context
def disable(ctx: click.Context, username: str, reason: str, actor: str | None) -> None:
    """Disable an account: it can no longer log in; its history stays. A reason is required.

    Example: iku user disable siti --reason "pindah tugas"
    """
    from services import accounts

    runtime = context.runtime(ctx)
    try:
        recorded = accounts.disable(runtime, username, actor=_actor(actor), reason=reason)
    except MissingFieldError:  # the domain requires a reason: name the option that gives it
        raise context.usage_error(ctx, 'alasan wajib diisi: --reason "…" (mis. --reason "pindah tugas")') from None
    runtime.applied(recorded)
    click.echo(context.say(ctx, "akun %(name)s dinonaktifkan", name=username.strip().lower()))


@user.command("enable")
@click.argument("username")
@click.option("--actor", help="Who enables it (default: the OS user).")
@click.pass_context
def enable(ctx: click.Context, username: str, actor: str | None) -> None:
    """Enable a disabled account again.

    Example: iku user enable siti
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.enable_account(username, actor=_actor(actor)))
    click.echo(context.say(ctx, "akun %(name)s diaktifkan", name=username.strip().lower()))


@user.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--actor", help="Who changes it (default: the OS user).")
@click.pass_context
def set_role(ctx: click.Context, username: str, role: str, actor: str | None) -> None:
    """Change an account's role.

    Example: iku user set-role siti auditor
    """
    from services import accounts

    runtime = context.runtime(ctx)
    accounts.change_role(runtime, username, role, _actor(actor))
    click.echo(context.say(ctx, "akun %(name)s kini %(role)s", name=username.strip().lower(), role=role))


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option("--actor", help="Who sets it (default: the OS user).")
@click.pass_context
def passwd(ctx: click.Context, username: str, password_stdin: bool, actor: str | None) -> None:
    """Set a new password for an account.

    Example: iku user passwd siti
    """
    from services import accounts

    accounts.set_password(context.runtime(ctx), username, _read_password(password_stdin), _actor(actor))
    click.echo(context.say(ctx, "kata sandi akun %(name)s diganti", name=username.strip().lower()))


@user.command("log")
@click.argument("username", required=False)
@click.pass_context
def log(ctx: click.Context, username: str | None) -> None:
    """Show the account record: who created, disabled or changed which account, and when (one sentence each).

    Example: iku --lang en user log siti
    """
    from projections import read
    from services import accounts

    lang = context.lang(ctx)
    for row in read.accounts.account_log(context.runtime(ctx).fresh(), username):
        click.echo(f"#{row['position']:<6} {row['username']:<16} {accounts.describe_change(row, lang, role_labels=False)}")
