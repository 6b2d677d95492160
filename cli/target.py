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
        click.echo(f"{row['year']}  {row['code']:<16} {format_percent(float(row['value']), lang):>9}  "
                   f"{format_moment(row['recorded_at'], lang)}  {row['actor']}: {row['reason']}")
