"""`iku profile …`: the institution and signatory printed on the official report."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from cli import context
from domain.profile import DEFAULTS


@click.group("profile")
def profile() -> None:
    """The institution profile on official reports (pemda, unit, address, place, signatory).

    Example: iku profile set penandatangan_nama "Drs. Budi Santoso"
    """


@profile.command("set")
@click.argument("key", type=click.Choice(list(DEFAULTS)))
@click.argument("value")
@click.option("--actor", help="Who changes it (default: the OS user).")
@click.pass_context
def set_(ctx: click.Context, key: str, value: str, actor: str | None) -> None:
    """Set one field of the profile.

    Example: iku profile set penandatangan_nip 197001011995031001
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.set_profile(key, value, actor=actor or getpass.getuser()))
    click.echo(f"{key} = {value}")


@profile.command("show")
@click.pass_context
def show(ctx: click.Context) -> None:
    """Show the profile (defaults where nothing was set).

    Example: iku profile show
    """
    from projections import read

    for key, value in read.targets.profile(context.runtime(ctx).fresh()).items():
        click.echo(f"{key:<24} {value}")


@profile.command("logo")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", help="Who changes it (default: the OS user).")
@click.pass_context
def logo(ctx: click.Context, file: Path, actor: str | None) -> None:
    """Set the logo printed on the official report (PNG or JPEG).

    Example: iku profile logo logo-kota.png
    """
    from services.evidence import EvidenceStore

    runtime = context.runtime(ctx)
    sha256 = EvidenceStore(runtime.data_dir).put_logo(file.read_bytes(), file.name)
    runtime.applied(runtime.log.set_profile("logo", sha256, actor=actor or getpass.getuser()))
    click.echo(f"logo = {file.name} ({sha256[:16]}…)")
