"""`iku backup FILE` and `iku restore FILE`: the whole SQLite data dir (events and evidence files) as one
verified ZIP, and back into an empty data dir."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli import context
from cli.context import IkuError
from services.presentation import format_number

if TYPE_CHECKING:
    from services import backup as backups


def data_dir_of(ctx: click.Context) -> Path:
    """The data dir `iku` was given (`--data-dir`, IKU_DATA_DIR or the default), without opening it."""
    from services.runtime import data_dir_from

    return data_dir_from(ctx.meta.get("iku.data_dir"))


def refuse_postgres(ctx: click.Context, command: str) -> None:
    """With IKU_DATABASE_URL set the events live in PostgreSQL: say which PostgreSQL tools back them up."""
    from services.evidence import EvidenceStore
    from services.runtime import store_env

    url = os.environ.get("IKU_DATABASE_URL")
    if not url:
        return
    env = store_env(Path("."), url)  # refuses a URL that is not postgresql://
    database = f"postgresql://{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
    schema = f" --schema={env['POSTGRES_SCHEMA']}" if env["POSTGRES_SCHEMA"] else ""
    evidence = EvidenceStore(data_dir_of(ctx)).root
    if command == "backup":
        raise IkuError(context.say(ctx, "peristiwa tersimpan di PostgreSQL (IKU_DATABASE_URL), tidak disalin oleh iku "
                                        "backup: cadangkan dengan `pg_dump --format=custom%(schema)s --file=iku.dump "
                                        "%(database)s` dan salin folder %(evidence)s",
                                   schema=schema, database=database, evidence=evidence))
    raise IkuError(context.say(ctx, "peristiwa tersimpan di PostgreSQL (IKU_DATABASE_URL), tidak dipulihkan oleh iku "
                                    "restore: pulihkan dengan `pg_restore --dbname=%(database)s iku.dump` ke basis data "
                                    "kosong, salin kembali folder bukti ke %(evidence)s, lalu jalankan `iku rebuild`",
                               database=database, evidence=evidence))


def refused(ctx: click.Context, error: backups.BackupRefused, nothing_changed: bool) -> IkuError:
    """One line naming every problem (and that nothing was changed)."""
    from services import backup as backups

    lang = context.lang(ctx)
    text = "; ".join(backups.describe(problem, lang) for problem in error.problems)
    if nothing_changed:
        text = context.say(ctx, "%(problems)s — tidak ada yang diubah", problems=text)
    return IkuError(text)


def summary(ctx: click.Context, manifest: dict) -> str:
    """`7 peristiwa, segel 7:ab12…, 1 berkas bukti` (English with --lang en)."""
    from services import backup as backups

    lang = context.lang(ctx)
    files = sum(1 for name in manifest["files"] if name != backups.STORE)
    return context.say(ctx, "%(events)s peristiwa, segel %(seal)s, %(files)s berkas bukti",
                       events=format_number(manifest["events"], lang), seal=manifest["seal"],
                       files=format_number(files, lang))


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
@click.pass_context
def backup(ctx: click.Context, file: Path, force: bool) -> None:
    """Back up the data dir to one ZIP: a consistent snapshot of the SQLite event store (safe while the
    server runs), every evidence file, and a manifest with the event count, the seal and the SHA-256 of
    every file; the ZIP is verified before it is put in place. The read model is rebuilt on restore.

    Example: iku backup iku-2020-12-31.zip
    """
    from services import backup as backups

    refuse_postgres(ctx, "backup")
    if not (data_dir_of(ctx) / backups.STORE).exists():  # rather than open (and create) an empty data dir
        raise refused(ctx, backups.BackupRefused([(str(data_dir_of(ctx)), "no_store")]), nothing_changed=False)
    try:
        manifest = backups.create(context.runtime(ctx, catch_up=False), file, force=force)
    except backups.BackupRefused as error:
        raise refused(ctx, error, nothing_changed=False) from None
    click.echo(f"{file}: {summary(ctx, manifest)}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """Restore a backup into the data dir, whose event store must hold no event (stop the server first):
    every file is checked against the manifest and the events against its count and seal before anything
    is written; then the read model is rebuilt and its chain proven against the seal.

    Example: iku --data-dir ./iku-data-baru restore iku-2020-12-31.zip
    """
    from services import backup as backups

    refuse_postgres(ctx, "restore")
    data_dir = data_dir_of(ctx)
    try:
        manifest = backups.restore(file, data_dir)
    except backups.BackupRefused as error:
        raise refused(ctx, error, nothing_changed=not any(code == "chain" for _, code in error.problems)) from None
    click.echo(context.say(ctx, "dipulihkan ke %(folder)s: %(summary)s", folder=data_dir, summary=summary(ctx, manifest)))
