"""`iku manual` and `iku lkjip`: the Manual IKU of a year and the LKjIP's table of performance achievement, as
the documents an office files (Indonesian), written to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cli import context
from cli.context import IkuError

AS_OF_HELP = "As known at this moment: only what was recorded by then (a date alone is 00:00 WIB)."


@click.command("manual")
@click.argument("year")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@click.option("--as-of", metavar="DATETIME", help=AS_OF_HELP)
@click.pass_context
def manual(ctx: click.Context, year: str, fmt: str, output: Path, as_of: str | None) -> None:
    """Write the Manual IKU of YEAR: one sheet per indicator in force (definition, formula, polarity, data
    source, counting rule, version and who recorded it), as PDF or DOCX.

    Example: iku manual 2020 --format docx -o manual-iku-2020.docx
    """
    from services import manualdoc

    chosen, moment, logo = _inputs(ctx, year, as_of)
    data = manualdoc.data(context.runtime(ctx).fresh(), chosen, moment, logo_path=logo)
    _write(ctx, output, manualdoc.pdf(data) if fmt == "pdf" else manualdoc.docx(data))
    click.echo(context.say(ctx, "%(file)s: Manual IKU %(year)s, %(count)s indikator", file=output, year=chosen,
                           count=len(data["sheets"])))


@click.command("lkjip")
@click.argument("year")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@click.option("--as-of", metavar="DATETIME", help=AS_OF_HELP)
@click.pass_context
def lkjip(ctx: click.Context, year: str, fmt: str, output: Path, as_of: str | None) -> None:
    """Write the LKjIP's table of performance achievement (chapter III) for YEAR: target (PK and its revision),
    realisasi, capaian, the realisasi of the two years before and the Renstra's end target, as XLSX or DOCX.

    Example: iku lkjip 2020 --format xlsx -o lkjip-2020.xlsx --as-of 2021-01-15
    """
    from services import lkjip as table

    chosen, moment, logo = _inputs(ctx, year, as_of)
    data = table.data(context.runtime(ctx).fresh(), chosen, moment, logo_path=logo)
    _write(ctx, output, table.xlsx(data) if fmt == "xlsx" else table.docx(data))
    click.echo(context.say(ctx, "%(file)s: tabel capaian kinerja %(year)s, %(count)s indikator", file=output,
                           year=chosen, count=len(data["rows"])))


def _inputs(ctx: click.Context, year: str, as_of: str | None) -> tuple[int, Any, Any]:
    """The year (checked before anything is read), the moment, and where the profile's logo is kept."""
    from domain.targets import check_year
    from services.evidence import EvidenceStore

    chosen = check_year(year)  # a DomainError: said as one line by the group
    moment, _ = context.as_of_from(as_of)
    return chosen, moment, EvidenceStore(context.runtime(ctx).data_dir).path


def _write(ctx: click.Context, output: Path, content: bytes) -> None:
    try:
        output.write_bytes(content)
    except OSError as error:
        raise IkuError(context.say(ctx, "tidak dapat menulis %(file)s: %(reason)s", file=output,
                                   reason=error.strerror or type(error).__name__)) from None
