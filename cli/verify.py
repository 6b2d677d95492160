"""`iku verify`: recompute the hash chain from the event store and compare it, and check a printed seal."""

from __future__ import annotations

import click

from cli import context
from cli.context import IkuError
from services.catalogue import marked

#: what each kind of break means
PROBLEMS = {
    "changed": marked("isi peristiwa berbeda dari saat dirantai (diubah atau ditukar)"),
    "deleted": marked("peristiwa yang sudah dirantai hilang dari log"),
    "inserted": marked("ada peristiwa yang tidak pernah dirantai di tengah log"),
    "out_of_order": marked("waktu pencatatan mundur (peristiwa disisipkan dengan waktu lampau?)"),
    "seal_mismatch": marked("log sampai posisi ini tidak sama dengan saat segel dicetak"),
    "seal_beyond_log": marked("segel menunjuk posisi yang belum ada di log"),
    "file_missing": marked("berkas bukti yang dilampirkan di posisi ini hilang"),
    "file_altered": marked("berkas bukti yang dilampirkan di posisi ini berubah (SHA-256 berbeda)"),
}


@click.command()
@click.option("--seal", "seal_text", metavar="POSITION:DIGEST", help="Also prove the log up to a printed seal.")
@click.pass_context
def verify(ctx: click.Context, seal_text: str | None) -> None:
    """Recompute the hash chain of every stored event and compare it with the chain kept since each event
    was first read, then check every evidence file against its SHA-256; exit status 0 when everything
    agrees, 1 at the first difference.

    Example: iku verify --seal 1532:9f2c…
    """
    from projections import chain
    from services import integrity

    seal = None
    if seal_text:
        try:
            seal = chain.Seal.parse(seal_text)
        except ValueError:
            raise context.usage_error(ctx, "--seal berbentuk POSISI:DIGEST (64 digit heksadesimal)") from None
    runtime = context.runtime(ctx)
    result = integrity.verify(runtime, seal)
    if result.ok:
        click.echo(context.say(ctx, "rantai utuh: %(checked)s peristiwa diperiksa; segel kini %(head)s",
                               checked=result.checked, head=result.head))
        if seal:
            click.echo(context.say(ctx, "segel %(seal)s cocok", seal=seal))
        if result.unchained:
            click.echo(context.say(ctx, "%(count)s peristiwa sesudah kepala rantai belum dirantai", count=result.unchained))
        return
    finding = result.finding
    raise IkuError(context.say(ctx, "rantai rusak di posisi %(position)s: %(problem)s", position=finding.position,
                               problem=context.say(ctx, PROBLEMS[finding.problem])))
