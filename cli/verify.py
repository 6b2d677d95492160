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
    "tree_leaf": marked("daun pohon Merkle yang tersimpan berbeda dari peristiwa di log"),
    "tree_node": marked("simpul pohon Merkle yang tersimpan berbeda dari yang dihitung ulang dari log"),
    "tree_head": marked("kepala pohon Merkle yang tersimpan berbeda dari yang dihitung ulang dari log"),
    "file_missing": marked("berkas bukti yang dilampirkan di posisi ini hilang"),
    "file_altered": marked("berkas bukti yang dilampirkan di posisi ini berubah (SHA-256 berbeda)"),
}


@click.command()
@click.option("--seal", "seal_text", metavar="SEAL", help="Also prove the log up to a printed seal (mth:SIZE:ROOT, "
              "or an older POSITION:DIGEST).")
@click.pass_context
def verify(ctx: click.Context, seal_text: str | None) -> None:
    """Recompute the hash chain and the Merkle tree of every stored event and compare them with those kept since each event
    was first read, then check every evidence file against its SHA-256; exit status 0 when everything
    agrees, 1 at the first difference.

    Example: iku verify --seal mth:1532:9f2c…
    """
    from services import integrity

    seal = context.seal_from(ctx, seal_text)
    runtime = context.runtime(ctx, catch_up=False)  # inspect the read model as it is: a broken one cannot catch up
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
