"""`iku migrate --to postgresql://…|DIR`: move the event store without losing an event."""

from __future__ import annotations

import click

from cli import context
from cli.context import IkuError
from services.presentation import describe, format_number


@click.command("migrate")
@click.option("--to", "url", required=True, metavar="postgresql://…|DIR",
              help="The empty store to copy into: PostgreSQL (?schema=NAME for a schema), or a data dir "
                   "whose SQLite store is made (back to one machine, or an offline copy).")
@click.pass_context
def migrate_command(ctx: click.Context, url: str) -> None:
    """Copy every stored event, in log order, into an empty store, in one transaction that commits only
    after the count and the hash chain recomputed from the copy equal the source's. Stop every server
    first. Afterwards run the nodes with IKU_DATABASE_URL set to the new address (their read models are
    rebuilt from it), or serve the new data dir.

    Example: iku migrate --to postgresql://iku@db.internal/iku
    """
    from services.evidence import EvidenceStore
    from services.migrate import MigrationError, migrate
    from services.runtime import is_postgres_url

    lang = context.lang(ctx)
    runtime = context.runtime(ctx)

    try:
        with context.progress(context.say(ctx, "menyalin peristiwa"), context.lang(ctx)) as progress:
            result = migrate(runtime, url, progress)
    except MigrationError as error:
        raise IkuError(describe(error, lang)) from None
    except Exception as error:  # the target could not be reached or written: say so, change nothing
        raise IkuError(context.say(ctx, "penyimpanan tujuan tidak dapat dipakai (%(kind)s: %(error)s)",
                                   kind=type(error).__name__, error=error)) from None
    click.echo(context.say(ctx, "%(events)s peristiwa disalin; jumlah dan rantai hash sama di kedua sisi; segel %(seal)s",
                           events=format_number(result.events, lang), seal=result.seal))
    held = len(EvidenceStore(runtime.data_dir).files())
    if is_postgres_url(url):
        if held:  # the nodes must reach them: the files do not live in PostgreSQL
            click.echo(context.say(ctx, "%(held)s berkas bukti tetap di %(root)s: jadikan direktori bersama "
                                        "simpul-simpul (IKU_EVIDENCE_DIR), atau salin ke sana",
                                   held=format_number(held, lang), root=result.evidence_root))
    else:
        click.echo(context.say(ctx, "%(files)s berkas bukti disalin (%(held)s seluruhnya, diperiksa terhadap digest-nya)",
                               files=format_number(result.files, lang), held=format_number(held, lang)))
