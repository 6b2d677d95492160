"""`iku target …`: set and list the indicators' targets (every change is an event: who, when, why)."""

from __future__ import annotations

import getpass

import click

from cli import context
from services.presentation import format_moment, format_percent


@click.group("target")
def target() -> None:
    """Targets per indicator and year, shown beside each indicator with its capaian.

    Example: iku target set 2020 published 100 --reason "Renstra 2019-2023"
    """


@target.command("set")
@click.argument("year")
@click.argument("code")
@click.argument("value")
@click.option("--reason", required=True, help="Why (kept with the target's history).")
@click.option("--actor", help="Who sets it (default: the OS user).")
@click.pass_context
def set_(ctx: click.Context, year: str, code: str, value: str, reason: str, actor: str | None) -> None:
    """Set the target (percent) of an indicator for a year.

    Example: iku target set 2020 published 100 --reason "Renstra 2019-2023"
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.set_target(year, code, value, reason=reason, actor=actor or getpass.getuser()))
    click.echo(f"target {year} {code} = {value}%")


@target.command("revise")
@click.argument("year")
@click.argument("code")
@click.argument("value")
@click.option("--basis-number", "basis_number", required=True, help="The decree's number (PK perubahan).")
@click.option("--basis-date", "basis_date", required=True, help="The decree's date (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why (kept with the target's history).")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def revise(ctx: click.Context, year: str, code: str, value: str, basis_number: str, basis_date: str, reason: str,
           actor: str | None) -> None:
    """Record a PK perubahan: the year's target revised by a decree; the original target stays beside it and
    reports show both.

    Example: iku target revise 2020 published 85 --basis-number 188.45/12/417.101/2020 --basis-date 2020-06-15 --reason "PK perubahan"
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.revise_target(year, code, value, basis_number=basis_number, basis_date=basis_date,
                                              reason=reason, actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "target %(year)s %(code)s diubah menjadi %(value)s%% (%(basis)s)", year=year,
                           code=code, value=value, basis=basis_number))


@target.command("quarter")
@click.argument("year")
@click.argument("code")
@click.argument("quarter")
@click.argument("value")
@click.option("--reason", required=True, help="Why (kept with the target's history).")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def quarter(ctx: click.Context, year: str, code: str, quarter: str, value: str, reason: str,
            actor: str | None) -> None:
    """Set the target of one triwulan (1–4) beside the annual one (rencana aksi); a triwulan's report measures
    capaian against it.

    Example: iku target quarter 2020 published 1 70 --reason "Rencana aksi 2020"
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.set_quarter_target(year, code, quarter, value, reason=reason,
                                                   actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "target %(year)s %(code)s triwulan %(quarter)s = %(value)s%%", year=year, code=code,
                           quarter=quarter, value=value))


@target.command("list")
@click.argument("year", required=False, type=int)
@click.pass_context
def list_(ctx: click.Context, year: int | None) -> None:
    """List every target setting (the latest per indicator and year is in force).

    Example: iku target list 2020
    """
    from projections import read

    lang = context.lang(ctx)
    for row in read.targets.target_history(context.runtime(ctx).fresh(), year):
        kind = {"perubahan": context.say(ctx, "perubahan %(basis)s (%(date)s)", basis=row["basis_number"] or "",
                                         date=row["basis_date"] or ""),
                "triwulan": context.say(ctx, "triwulan %(quarter)s", quarter=row["quarter"])}.get(
            row["kind"], context.say(ctx, "awal"))
        click.echo(f"{row['year']}  {row['code']:<16} {format_percent(float(row['value']), lang):>9}  {kind}  "
                   f"{format_moment(row['recorded_at'], lang)}  {row['actor']}: {row['reason']}")
