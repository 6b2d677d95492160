"""`iku bundle`: the evidence bundle of a period as a ZIP, and `--check` of one."""

from __future__ import annotations

from pathlib import Path

import click

from cli import context
from cli.context import IkuError


@click.command()
@click.argument("period", required=False)
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD), with --to.")
@click.option("--to", "end", metavar="DATE", help="Last day, inclusive.")
@click.option("--as-of", metavar="DATETIME", help="As known at this moment.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the ZIP.")
@click.option("--check", "to_check", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Re-verify a bundle as its verify.py does (files, proofs, figures), and its seal against this log.")
@click.option("--since-seal", "since", multiple=True, metavar="SEAL",
              help="An earlier seal (e.g. last quarter's report's) the bundle proves the log only grew from; "
                   "with --check, one it must prove so. Repeatable.")
@click.pass_context
def bundle(ctx: click.Context, period: str | None, start: str | None, end: str | None, as_of: str | None,
           output: Path | None, to_check: Path | None, since: tuple[str, ...]) -> None:
    """Write the evidence bundle (data dukung) of a period: report, activities.csv, events.csv, events.jsonl
    (every event as stored, with its Merkle inclusion proof), verify.py (the offline verifier) and a manifest
    of SHA-256 digests with the log's seal and consistency proofs from earlier seals.

    Example: iku bundle 2020-Q2 --as-of 2020-07-05 --since-seal mth:812:9f2c… -o data-dukung-2020-Q2.zip
    """
    from projections import chain
    from services import bundle as bundles
    from services.evidence import EvidenceStore
    from services.proofs import ProofError

    runtime = context.runtime(ctx)
    if to_check:
        lang = context.lang(ctx)
        problems, manifest, said = bundles.check(to_check.read_bytes(), since)
        for line in said:
            click.echo(line)
        if not problems:
            result = chain.verify(runtime.log, runtime.fresh(), manifest["seal"])
            if not result.ok:
                problems.append((f"{manifest['seal']} (#{result.finding.position})", "seal"))
        if problems:
            for problem in problems:
                click.echo(bundles.describe(problem, lang), err=True)
            raise IkuError(context.say(ctx, "pemeriksaan berkas gagal"))
        click.echo(context.say(ctx, "berkas utuh; segel %(seal)s cocok", seal=manifest["seal"]))
        return
    if output is None:
        raise context.usage_error(ctx, "beri -o BERKAS.zip (atau --check BERKAS.zip)")
    moment, stated = context.as_of_from(as_of)
    seals = [context.seal_from(ctx, text) for text in since]
    try:
        data = bundles.build(runtime.fresh(), context.period_from(ctx, period, start, end), moment, log=runtime.log,
                             stated=stated, store=EvidenceStore(runtime.data_dir), since=seals)
    except ProofError as error:
        raise IkuError(error.message(context.lang(ctx))) from None
    output.write_bytes(data)
    click.echo(f"{output} ({len(data):,} bytes)")

