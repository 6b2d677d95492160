"""`iku pack`: the evaluation pack (paket evaluasi SAKIP) of a year as a ZIP, and `--check` of one."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from cli import context
from cli.context import IkuError


@click.command()
@click.argument("year", required=False)
@click.option("--as-of", metavar="DATETIME", help="As known at this moment.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the ZIP.")
@click.option("--check", "to_check", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Re-verify a pack's files against its manifest, and its seal against this log.")
@click.option("--since-seal", "since", multiple=True, metavar="SEAL",
              help="An earlier seal each triwulan's bundle proves the log only grew from. Repeatable.")
@click.pass_context
def pack(ctx: click.Context, year: str | None, as_of: str | None, output: Path | None, to_check: Path | None,
         since: tuple[str, ...]) -> None:
    """Write the evaluation pack (paket evaluasi SAKIP) of a year: Manual IKU, PK targets, the quarterly and
    annual reports, LKjIP chapter III, the year's audit log and each triwulan's evidence, with an index and a
    manifest of SHA-256 digests with the log's seal.

    Example: iku pack 2020 --as-of 2021-01-15 -o paket-evaluasi-2020.zip
    """
    if to_check:
        _check(ctx, to_check)
        return
    if output is None or year is None:
        raise context.usage_error(ctx, "beri TAHUN -o BERKAS.zip (atau --check BERKAS.zip)")
    from domain.targets import check_year
    from domain.times import now
    from services import pack as packs
    from services.evidence import EvidenceStore
    from services.presentation import format_number
    from services.proofs import ProofError

    chosen = check_year(year)
    moment, stated = context.as_of_from(as_of)
    runtime = context.runtime(ctx)
    arguments = {"stated": stated, "store": EvidenceStore(runtime.data_dir), "printed_at": now(), "log": runtime.log,
                 "since": [context.seal_from(ctx, text) for text in since]}
    # written beside the output, then renamed: a pack that failed half-way never sits under the name asked
    handle, temporary = tempfile.mkstemp(dir=output.resolve().parent, prefix=f".{output.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            if sys.stdout.isatty():  # progress on a terminal only; a script gets the one line at the end
                with click.progressbar(length=len(packs.PARTS), label=output.name) as bar:
                    manifest = packs.write(runtime.fresh(), chosen, moment, out, **arguments,
                                           progress=lambda _part: bar.update(1))
            else:
                manifest = packs.write(runtime.fresh(), chosen, moment, out, **arguments)
        os.replace(temporary, output)
    except ProofError as error:
        raise IkuError(error.message(context.lang(ctx))) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    lang = context.lang(ctx)
    click.echo(context.say(ctx, "%(file)s (%(size)s byte, %(files)s berkas, segel %(seal)s)", file=str(output),
                           size=format_number(output.stat().st_size, lang),
                           files=format_number(len(manifest["files"]), lang), seal=manifest["seal"]))


def _check(ctx: click.Context, path: Path) -> None:
    from projections import chain
    from services import pack as packs

    lang = context.lang(ctx)
    problems = packs.check(path)
    seal = None
    if not problems:
        runtime = context.runtime(ctx)
        seal = packs.manifest_of(path)["seal"]
        result = chain.verify(runtime.log, runtime.fresh(), seal)
        if not result.ok:
            problems.append((f"{seal} (#{result.finding.position})", "seal"))
    if problems:
        for problem in problems:
            click.echo(packs.describe(problem, lang), err=True)
        raise IkuError(context.say(ctx, "pemeriksaan paket gagal"))
    click.echo(context.say(ctx, "paket utuh; segel %(seal)s cocok", seal=seal))
