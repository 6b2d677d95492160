"""`iku verify`: recompute the hash chain from the event store and compare it, and check a printed seal."""

from __future__ import annotations

import click

from cli import context
from cli.context import IkuError

PROBLEMS = {
    "changed": ("isi peristiwa berbeda dari saat dirantai (diubah atau ditukar)",
                "the event differs from when it was chained (edited or swapped)"),
    "deleted": ("peristiwa yang sudah dirantai hilang dari log", "a chained event is missing from the log"),
    "inserted": ("ada peristiwa yang tidak pernah dirantai di tengah log", "an event that was never chained sits inside the log"),
    "out_of_order": ("waktu pencatatan mundur (peristiwa disisipkan dengan waktu lampau?)",
                     "the recording time goes backwards (an event inserted with a past time?)"),
    "seal_mismatch": ("log sampai posisi ini tidak sama dengan saat segel dicetak",
                      "the log up to this position is not what it was when the seal was printed"),
    "seal_beyond_log": ("segel menunjuk posisi yang belum ada di log", "the seal names a position the log does not have"),
    "file_missing": ("berkas bukti yang dilampirkan di posisi ini hilang", "the evidence file attached here is missing"),
    "file_altered": ("berkas bukti yang dilampirkan di posisi ini berubah (SHA-256 berbeda)",
                     "the evidence file attached here was altered (SHA-256 differs)"),
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

    lang = context.lang(ctx)
    seal = None
    if seal_text:
        try:
            seal = chain.Seal.parse(seal_text)
        except ValueError:
            raise context.usage_error(ctx, "--seal berbentuk POSISI:DIGEST (64 digit heksadesimal)",
                                         "--seal expects POSITION:DIGEST (64 hex digits)") from None
    runtime = context.runtime(ctx)
    result = integrity.verify(runtime, seal)
    if result.ok:
        if lang == "en":
            click.echo(f"chain intact: {result.checked} events checked; seal now {result.head}")
        else:
            click.echo(f"rantai utuh: {result.checked} peristiwa diperiksa; segel kini {result.head}")
        if seal:
            click.echo(f"seal {seal} holds" if lang == "en" else f"segel {seal} cocok")
        if result.unchained:
            click.echo(f"{result.unchained} events stored after the chain head are not chained yet"
                       if lang == "en" else f"{result.unchained} peristiwa sesudah kepala rantai belum dirantai")
        return
    finding = result.finding
    text = PROBLEMS[finding.problem][1 if lang == "en" else 0]
    raise IkuError(
        f"chain broken at position {finding.position}: {text}" if lang == "en"
        else f"rantai rusak di posisi {finding.position}: {text}"
    )
