"""The `iku` command group, with the record-keeping commands: import, report, trail, rebuild; the others are registered from their own modules."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from cli import context
from cli.attach import attach
from cli.backup import backup, restore
from cli.bundle import bundle
from cli.checklist import checklist
from cli.context import IkuError
from cli.documents import lkjip, manual
from cli.indicator import exclude, indicator
from cli.links import links
from cli.migrate import migrate_command
from cli.pack import pack
from cli.period import period
from cli.profile import profile
from cli.proof import proof
from cli.serve import serve
from cli.target import target
from cli.user import user
from cli.verify import verify
from domain.errors import DomainError
from domain.periods import Period
from services.errors import ConfigurationError, StoredButBehindError
from services.presentation import (
    describe,
    exclusions_text,
    format_date,
    format_fraction,
    format_moment,
    format_number,
    format_percent,
    kind_label,
    link_answer,
    state_label,
)

#: exit status when the events were stored but the read model could not be updated (not the 1 of "nothing stored")
STORED_BUT_BEHIND = 3


class IkuGroup(click.Group):
    """Turns every failure into one clear line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except DomainError as error:
            raise IkuError(describe(error, context.lang(ctx))) from None
        except StoredButBehindError as error:
            raise IkuError(describe(error, context.lang(ctx)), exit_code=STORED_BUT_BEHIND) from None
        except ConfigurationError as error:
            raise IkuError(describe(error, context.lang(ctx))) from None
        except Exception as error:
            if os.environ.get("IKU_DEBUG"):
                raise
            message = str(error).splitlines()[0] if str(error) else ""
            raise IkuError(
                f"gagal / failed: {type(error).__name__}: {message}"[:400]
            ) from None


@click.group(cls=IkuGroup)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="IKU_DATA_DIR",
              help="Folder of the event store and read model (IKU_DATA_DIR; default ./iku-data).")
@click.option("--lang", type=click.Choice(["id", "en"]), envvar="IKU_LANG", default="id", show_default=True,
              help="Language of messages and labels.")
@click.version_option(package_name="iku-humas")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, lang: str) -> None:
    """iku-humas: the leadership activity log and its IKU indicators.

    Example: iku import agenda-2020.csv && iku report 2020-Q1
    """
    ctx.meta["iku.data_dir"] = data_dir
    ctx.meta["iku.lang"] = lang


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help="Who records these events (default: the OS user).")
@click.option("--encoding", default=None, metavar="NAME",
              help="Read a CSV in this encoding (cp1252, latin-1, utf-16, …); default UTF-8, a byte-order mark wins.")
@click.pass_context
def import_(ctx: click.Context, file: Path, actor: str | None, encoding: str | None) -> None:
    """Import a CSV or XLSX file of events, all or nothing.

    Columns: activity,event,occurred_at,title,leaders,location,channel,reference,note.
    A CSV is separated by commas, or by semicolons as Excel saves it in an Indonesian locale; an XLSX is read
    from its first sheet. Any bad row rejects the whole file; each error names its line (header = line 1).

    Example: iku import agenda-2020.xlsx --actor siti
    """
    from services import csvimport, importrows

    lang = context.lang(ctx)
    chosen = None
    if encoding is not None:
        chosen = importrows.known_encoding(encoding)
        if chosen is None:
            raise context.usage_error(ctx, "pengodean tidak dikenal: %(name)s", name=encoding)
    runtime = context.runtime(ctx)
    with context.progress(context.say(ctx, "memeriksa dan menyimpan baris"), context.lang(ctx)) as progress:
        result, recorded = csvimport.store_file(runtime, file, actor or getpass.getuser(), encoding=chosen,
                                                progress=progress)
    if recorded is None:
        for error in result.errors:
            click.echo(describe(error, lang), err=True)
        if result.truncated:
            raise IkuError(context.say(ctx, "berkas ditolak, tidak ada yang disimpan (dan mungkin ada kesalahan lain)"))
        raise IkuError(context.say(ctx, "berkas ditolak, tidak ada yang disimpan"))
    with context.progress(context.say(ctx, "memperbarui tampilan baca"), context.lang(ctx)) as progress:
        recorded = runtime.applied(recorded, progress=progress)
    details = ", ".join(f"{kind_label(kind, lang)} {format_number(n, lang)}" for kind, n in sorted(result.by_kind.items()))
    click.echo(context.say(ctx, "tersimpan %(events)s peristiwa untuk %(activities)s kegiatan (%(details)s)",
                           events=format_number(result.events, lang),
                           activities=format_number(result.activities, lang), details=details))
    if recorded.positions:
        click.echo(context.say(ctx, "posisi log %(first)s–%(last)s", first=min(recorded.positions),
                               last=recorded.last_position))


@cli.command()
@click.argument("period", required=False)
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD), with --to.")
@click.option("--to", "end", metavar="DATE", help="Last day, inclusive.")
@click.option("--as-of", metavar="DATETIME",
              help="As known at this moment: only events recorded by then (a date alone is 00:00 WIB).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx", "pdf"]), default="table",
              show_default=True, help="xlsx and pdf: the official report of a year (with -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for xlsx or pdf.")
@click.pass_context
def report(ctx: click.Context, period: str | None, start: str | None, end: str | None,
           as_of: str | None, fmt: str, output: Path | None) -> None:
    """Print the IKU indicators in force for a period (YYYY, YYYY-MM, YYYY-Qn, YYYY-Sn; default this year).

    Example: iku report 2020-Q1 --as-of 2020-04-05 --format json
    """
    from domain.times import now
    from projections import chain
    from services import reports

    lang = context.lang(ctx)
    chosen = context.period_from(ctx, period, start, end)
    moment, stated = context.as_of_from(as_of)
    if fmt in ("xlsx", "pdf"):
        quarterly = chosen.part in ("Q1", "Q2", "Q3", "Q4")
        if output is None or not (chosen.is_year or quarterly):
            raise context.usage_error(
                ctx, "xlsx dan pdf adalah laporan resmi satu tahun atau laporan kinerja satu triwulan: "
                     "iku report 2020 --format pdf -o BERKAS")
        from services import officialreport, quarterreport
        from services.evidence import EvidenceStore

        runtime = context.runtime(ctx)
        logo = EvidenceStore(runtime.data_dir).path
        if quarterly:
            data = quarterreport.build(runtime.fresh(), chosen, moment, stated=stated, printed_at=now(),
                                       logo_path=logo)
            output.write_bytes(quarterreport.to_xlsx(data) if fmt == "xlsx" else quarterreport.to_pdf(data))
        else:
            data = officialreport.build(runtime.fresh(), chosen.start.year, moment, stated=stated,
                                        printed_at=now(), logo_path=logo)
            output.write_bytes(officialreport.to_xlsx(data) if fmt == "xlsx" else officialreport.to_pdf(data))
        click.echo(f"{output} (segel {data['seal']})")
        return
    db = context.runtime(ctx).fresh()
    result = reports.report(db, chosen, moment, lang, stated=stated)
    result["seal"] = str(chain.head(db))  # the log as it stood for this report (see `iku verify --seal`)
    result["documents"] = reports.completeness(db, chosen, moment)
    from services import closing

    standing = closing.standing(db, chosen, moment if stated else None)  # final (approved) or provisional, then
    if standing is not None:
        result.update(standing)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(_report_csv(result), nl=False)
    else:
        click.echo(_report_table(ctx, result, chosen, moment if stated else None))


def _report_csv(result: dict[str, Any]) -> str:
    from services.presentation import neutralise

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period_from", "period_to", "period_label", "as_of",
                     "code", "name", "numerator", "denominator", "percent", "seal"])
    for item in result["indicators"]:
        writer.writerow([neutralise(value) for value in (
            result["period"]["from"], result["period"]["to"], result["period"]["label"], result["as_of"] or "",
            item["code"], item["name"], item["numerator"], item["denominator"],
            "" if item["percent"] is None else f"{item['percent']:.2f}", result["seal"],
        )])
    return out.getvalue()


def _report_table(ctx: click.Context, result: dict[str, Any], period: Period, moment: datetime | None) -> str:
    from services import closing

    lang = context.lang(ctx)
    known = format_moment(moment, lang) if moment else context.say_in(ctx, "report table", "kondisi terkini")
    lines = [
        context.say(ctx, "Laporan IKU — Bagian Humas dan Protokol"),
        context.say(ctx, "Periode  : %(label)s (%(start)s s.d. %(end)s)", label=result["period"]["label"],
                    start=format_date(period.start, lang), end=format_date(period.end, lang)),
        context.say(ctx, "Per      : %(moment)s", moment=known),
        "",
    ]
    width = max(len(item["name"]) for item in result["indicators"])
    heading = context.say_in(ctx, "report table", "Indikator")
    lines.append(f"{heading:<{width}}  " + context.say(ctx, "Realisasi"))
    for item in result["indicators"]:
        fraction = format_fraction(item["numerator"], item["denominator"], item["percent"], lang)
        extra = ""
        if item.get("target") is not None:
            extra = (f"   target {format_percent(item['target'], lang)}, capaian "
                     f"{format_percent(item['capaian'], lang)}{' (' + item['predikat'] + ')' if item['predikat'] else ''}")
        lines.append(f"{item['name']:<{width}}  {fraction}{extra}")
        if item.get("target_perubahan") is not None:
            basis = item.get("target_basis") or {}
            lines.append(" " * (width + 2) + context.say(
                ctx, "target awal %(awal)s, perubahan %(perubahan)s (%(number)s, %(date)s)",
                awal=format_percent(item["target_awal"], lang) if item["target_awal"] is not None else "-",
                perubahan=format_percent(item["target_perubahan"], lang), number=basis.get("number", ""),
                date=format_date(date.fromisoformat(basis["date"]), lang) if basis.get("date") else ""))
        if item.get("excluded"):
            lines.append(" " * (width + 2) + exclusions_text(item["excluded"], item["exclusions"], lang))
    documents = result["documents"]
    lines += ["", context.say(ctx, "Kelengkapan data dukung: %(fraction)s (%(complete)s dari %(activities)s kegiatan "
                                   "lengkap)", fraction=format_fraction(documents["complete"], documents["required"],
                                                                        documents["percent"], lang),
                              complete=documents["complete_activities"], activities=documents["activities"])]
    lines += ["", context.say(ctx, "Segel log: %(seal)s", seal=result["seal"])]
    if "state" in result:
        final = result["final"]
        if final is None:
            lines.append(context.say(ctx, "Status   : sementara (%(state)s, revisi %(revision)s)",
                                     state=state_label(result["state"], lang), revision=result["revision"]))
            for item in closing.differences(result["reopened"], result):
                lines.append(context.say(ctx, "  %(name)s: disetujui %(approved)s, log sekarang %(now)s",
                                         name=item["name"], now=format_fraction(item["now"]["numerator"],
                                         item["now"]["denominator"], item["now"]["percent"], lang),
                                         approved=format_fraction(item["approved"]["numerator"],
                                                                  item["approved"]["denominator"],
                                                                  item["approved"]["percent"], lang)))
        else:
            lines.append(context.say(
                ctx, "Status   : Final — disetujui oleh %(actor)s, %(moment)s, revisi %(revision)s, segel %(seal)s",
                actor=final["approved_by"], moment=format_moment(datetime.fromisoformat(final["approved_at"]), lang),
                revision=result["revision"], seal=final["seal"]))
    return "\n".join(lines)


@cli.command()
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def trail(ctx: click.Context, reference: str, fmt: str) -> None:
    """Show one activity's audit trail: every event, when it happened and was recorded, by whom, and withdrawals.

    Example: iku trail AG-2020-0004
    """
    from projections import read

    found = read.activities.trail(context.runtime(ctx).fresh(), reference)
    if found is None:
        raise IkuError(context.say(ctx, "kegiatan %(reference)s tidak ditemukan", reference=reference))
    if fmt == "json":
        click.echo(json.dumps(found, default=_json_default, ensure_ascii=False, indent=2))
        return
    click.echo(_trail_text(ctx, found))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _trail_text(ctx: click.Context, found: dict[str, Any]) -> str:
    lang, say = context.lang(ctx), context.say
    item = found["activity"]
    lines = [
        f"{item['reference']}  {item['title']}",
        "  " + say(ctx, "pimpinan: %(leaders)s   lokasi: %(location)s   status: %(status)s",
                   leaders=", ".join(item["leaders"]), location=item["location"] or "-",
                   status=kind_label(item["status"], lang)),
        "",
    ]
    for event in found["events"]:
        lines.append(
            f"#{event['position']:<6} {kind_label(event['kind'], lang):<18} "
            + say(ctx, "terjadi %(occurred)s; dicatat %(recorded)s oleh %(actor)s",
                  occurred=format_moment(event["occurred_at"], lang),
                  recorded=format_moment(event["recorded_at"], lang), actor=event["actor"])
        )
        evidence = " · ".join(part for part in (event.get("channel"), event.get("evidence_ref")) if part)
        if event["kind"] == "withdrawn":
            lines.append("         " + say(ctx, "menarik %(kind)s #%(positions)s", kind=kind_label(event["fact_kind"], lang),
                                             positions=", #".join(str(p) for p in event["target_positions"])))
        elif event["kind"] == "link_checked":
            lines.append(f"         {event['evidence_ref']} → " + link_answer(event["link_check"], lang))
        elif event["kind"] == "document_attached":
            lines.append(f"         {event['document']} · " + ", ".join(f["name"] for f in event["attachments"]))
        elif event["kind"] == "not_applicable":
            lines.append(f"         {event['document']}")
        elif evidence:
            lines.append(f"         {evidence}")
        if event.get("note"):
            lines.append("         " + say(ctx, "catatan: %(note)s", note=event["note"]))
        if event["withdrawn"]:
            lines.append("         " + say(ctx, "DITARIK oleh %(actor)s pada %(moment)s (#%(position)s): %(reason)s",
                                             actor=event["withdrawn_by"],
                                             moment=format_moment(event["withdrawn_at"], lang),
                                             position=event["withdrawn_position"], reason=event["withdrawn_reason"]))
    return "\n".join(lines)


@cli.command()
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """Drop the read model and replay every stored event into it.

    Example: iku rebuild
    """
    lang = context.lang(ctx)
    runtime = context.runtime(ctx)
    with context.progress(context.say(ctx, "memutar ulang peristiwa"), context.lang(ctx)) as progress:
        result = runtime.rebuild(progress=progress)
    seconds = f"{result.seconds:.2f}"
    click.echo(context.say(ctx, "%(events)s peristiwa diputar ulang dalam %(seconds)s dtk (%(rate)s peristiwa/dtk)",
                           events=format_number(result.applied, lang) if lang != "en" else result.applied,
                           seconds=seconds if lang == "en" else seconds.replace(".", ","),
                           rate=format_number(int(result.rate), lang) if lang != "en" else format(result.rate, ",.0f")))


for command in (user, serve, verify, bundle, pack, attach, target, profile, period, migrate_command, backup,
                restore, manual, lkjip, indicator, exclude, links, checklist, proof):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="iku")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
