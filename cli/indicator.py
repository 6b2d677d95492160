"""`iku indicator …` and `iku exclude`: the Manual IKU from the command line (each indicator's definition,
versioned from a year) and an activity's exclusion from one indicator's denominator."""

from __future__ import annotations

import getpass
from typing import Any

import click

from cli import context

#: the definition's fields as options (option name → field); a field not given keeps the version in force
_FIELDS = {
    "name": "name", "definition": "definition", "formula": "formula", "unit": "unit",
    "data_source": "data_source", "responsible": "responsible", "frequency": "frequency", "sasaran": "sasaran",
    "numerator_kind": "numerator_kind", "channels": "channels", "leaders": "leaders",
    "exclusion_reasons": "exclusion_reasons", "renstra_target": "renstra_target", "polarity": "higher_is_better",
}


@click.group("indicator")
def indicator() -> None:
    """The Manual IKU: the indicators in force for a year, each with its definition and counting rule; an admin
    records a new indicator, or a change of one, effective from a year (earlier years keep their definition).

    Example: iku indicator list 2020
    """


@indicator.command("list")
@click.argument("year")
@click.option("--as-of", "as_of", help="As known at this moment (default: now).")
@click.pass_context
def list_(ctx: click.Context, year: str, as_of: str | None) -> None:
    """The indicators in force for YEAR: code, name, and the counting rule.

    Example: iku indicator list 2021 --as-of 2021-04-05
    """
    from domain.targets import check_year
    from projections import read

    moment, _ = context.as_of_from(as_of)
    for item in read.manual.indicators(context.runtime(ctx).fresh(), check_year(year), moment):
        click.echo(f"{item.code:<20} {_name(ctx, item)}")
        click.echo("    " + _rule(ctx, item))


@indicator.command("show")
@click.argument("code")
@click.argument("year")
@click.option("--as-of", "as_of", help="As known at this moment (default: now).")
@click.pass_context
def show(ctx: click.Context, code: str, year: str, as_of: str | None) -> None:
    """Every field of CODE's definition in force for YEAR, and every version recorded of it.

    Example: iku indicator show published 2020
    """
    from domain.targets import check_indicator, check_year
    from projections import read
    from services.presentation import format_moment

    lang = context.lang(ctx)
    db = context.runtime(ctx).fresh()
    moment, _ = context.as_of_from(as_of)
    item = check_indicator(code, read.manual.indicators(db, check_year(year), moment))
    for label, value in _sheet(ctx, item):
        click.echo(f"{label:<26}: {value}")
    for version in read.manual.history(db, item.code):
        click.echo(context.say(ctx, "versi dari %(year)s dicatat %(moment)s oleh %(actor)s: %(reason)s",
                               year=version["effective_from"], moment=format_moment(version["recorded_at"], lang),
                               actor=version["actor"], reason=version["reason"]))


@indicator.command("define")
@click.argument("code")
@click.option("--from", "effective_from", required=True, help="The first year this version is in force.")
@click.option("--reason", required=True, help="Why (e.g. the Renstra or decree it follows).")
@click.option("--name", help="The indicator as the IKU document words it.")
@click.option("--definition", help="Definisi operasional.")
@click.option("--formula", help="The formula as text.")
@click.option("--unit", help="Satuan (default %).")
@click.option("--data-source", "data_source", help="Sumber data.")
@click.option("--responsible", help="Penanggung jawab.")
@click.option("--frequency", type=click.Choice(["bulanan", "triwulanan", "semesteran", "tahunan"]),
              help="Frekuensi pelaporan.")
@click.option("--sasaran", help="The strategic target it measures.")
@click.option("--numerator-kind", "numerator_kind", type=click.Choice(["published", "documented", "protocol_served"]),
              help="The fact that puts a held activity in the numerator.")
@click.option("--channels", help="Only facts on these channels count (`;`-separated; empty: any).")
@click.option("--leaders", help="The leaders whose activities form the denominator (`walikota;sekda`).")
@click.option("--exclusion-reasons", "exclusion_reasons",
              help="Reasons an activity may be excluded for (`tertutup;diwakilkan;bukan_kegiatan_pimpinan`).")
@click.option("--renstra-target", "renstra_target", help="The Renstra's end target (percent).")
@click.option("--polarity", type=click.Choice(["naik", "turun"]), help="naik: higher is better; turun: lower.")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def define(ctx: click.Context, code: str, effective_from: str, reason: str, actor: str | None,
           **given: Any) -> None:
    """Record a version of indicator CODE in force from a year on: a new indicator (every field given), or a
    change of one (the fields not given keep the version in force for that year).

    Example: iku indicator define walikota_daring --from 2021 --numerator-kind published --channels "website; media online" --leaders walikota --name "Prosentase kegiatan Walikota yang dipublikasikan di media daring" --definition "…" --formula "…" --reason "Renstra 2021-2026"
    """
    from domain.indicators import version_for
    from domain.targets import check_year

    runtime = context.runtime(ctx)
    year = check_year(effective_from)
    current = version_for(runtime.log.manual_versions(), code.strip(), year)
    values: dict[str, Any] = current.fields() if current is not None and current.active else {}
    for option, field in _FIELDS.items():
        if given.get(option) is not None:
            values[field] = given[option] if option != "polarity" else given[option] == "naik"
    values.update(code=code, effective_from=year)
    values.pop("active", None)
    runtime.applied(runtime.log.define_indicator(values, reason=reason, actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "tersimpan: indikator %(code)s berlaku mulai %(year)s", code=code.strip(), year=year))


@indicator.command("retire")
@click.argument("code")
@click.option("--from", "effective_from", required=True, help="The first year without the indicator.")
@click.option("--reason", required=True, help="Why.")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def retire(ctx: click.Context, code: str, effective_from: str, reason: str, actor: str | None) -> None:
    """Take indicator CODE out of the IKU from a year on (earlier years keep it).

    Example: iku indicator retire walikota_daring --from 2027 --reason "Renstra 2027-2031"
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.retire_indicator(code, effective_from, reason=reason,
                                                 actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "tersimpan: indikator %(code)s tidak berlaku lagi mulai %(year)s",
                           code=code.strip(), year=effective_from.strip()))


@click.command("exclude")
@click.argument("reference")
@click.argument("code")
@click.argument("reason")
@click.option("--note", required=True, help="What makes the activity fall outside the indicator.")
@click.option("--at", "at", help="When it was decided (default: now; naive = WIB).")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def exclude(ctx: click.Context, reference: str, code: str, reason: str, note: str, at: str | None,
            actor: str | None) -> None:
    """Exclude held activity REFERENCE from indicator CODE's denominator for REASON (one the indicator's
    definition allows: tertutup, diwakilkan, bukan_kegiatan_pimpinan). Withdraw it like any fact: import a
    `withdrawn` row with channel `excluded` and reference CODE.

    Example: iku exclude AG-2020-0042 published tertutup --note "rapat terbatas Forkopimda"
    """
    from domain.times import now, parse_instant

    runtime = context.runtime(ctx)
    runtime.applied(runtime.record("excluded", reference, indicator=code.strip(), exclusion_reason=reason,
                                   note=note, occurred_at=parse_instant(at) if at else now(),
                                   actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "tersimpan: %(reference)s dikecualikan dari %(code)s", reference=reference.strip(),
                           code=code.strip()))


def _name(ctx: click.Context, item: Any) -> str:
    from services.presentation import indicator_name

    return indicator_name(item, context.lang(ctx))


def _rule(ctx: click.Context, item: Any) -> str:
    """The counting rule in one line."""
    from services.presentation import exclusion_reason_label, kind_label, leader_label

    lang = context.lang(ctx)
    channels = ", ".join(item.channels) if item.channels else context.say(ctx, "semua saluran")
    return context.say(
        ctx, "pembilang: %(kind)s (%(channels)s); penyebut: kegiatan %(leaders)s; pengecualian: %(reasons)s",
        kind=kind_label(item.numerator_kind, lang), channels=channels,
        leaders=", ".join(leader_label(leader, lang) for leader in item.leaders),
        reasons=", ".join(exclusion_reason_label(reason, lang) for reason in item.exclusion_reasons)
        or context.say(ctx, "tidak ada"))


def _sheet(ctx: click.Context, item: Any) -> list[tuple[str, str]]:
    from domain.times import FIRST_YEAR
    from services.presentation import frequency_label, indicator_formula

    lang = context.lang(ctx)
    return [
        (context.say(ctx, "Kode"), item.code),
        (context.say(ctx, "Indikator"), _name(ctx, item)),
        (context.say(ctx, "Definisi operasional"), item.definition),
        (context.say(ctx, "Formula"), indicator_formula(item, lang)),
        (context.say(ctx, "Satuan"), item.unit),
        (context.say(ctx, "Polaritas"), context.say(ctx, "maksimal (naik)") if item.higher_is_better
         else context.say(ctx, "minimal (turun)")),
        (context.say(ctx, "Sumber data"), item.data_source),
        (context.say(ctx, "Penanggung jawab"), item.responsible),
        (context.say(ctx, "Frekuensi pelaporan"), frequency_label(item.frequency, lang)),
        (context.say(ctx, "Sasaran"), item.sasaran),
        (context.say(ctx, "Aturan penghitungan"), _rule(ctx, item)),
        (context.say(ctx, "Target akhir Renstra"), f"{item.renstra_target}%" if item.renstra_target else "-"),
        (context.say(ctx, "Berlaku sejak"), context.say(ctx, "definisi awal") if item.effective_from == FIRST_YEAR
         else str(item.effective_from)),
    ]
