"""`iku period …`: the quarter's accountability cycle from the command line: each period's state, and the
steps an account takes (submit, return, verify, approve, reopen)."""

from __future__ import annotations

import click

from cli import context


@click.group("period")
def period() -> None:
    """Close a triwulan or a year: an operator submits, a verifier verifies (or returns it with a reason), an
    approver approves (the period is closed) or later reopens it with a reason.

    Example: iku period submit 2020-Q1 --actor siti
    """


@period.command("status")
@click.argument("year")
@click.pass_context
def status(ctx: click.Context, year: str) -> None:
    """Each triwulan of YEAR and the year: state, revision, and the latest step.

    Example: iku period status 2020
    """
    from domain.periods import parse_period
    from domain.targets import check_year
    from services import closing
    from services.presentation import format_moment, period_label, state_label, step_label

    lang = context.lang(ctx)
    for cycle in closing.year_cycles(context.runtime(ctx).fresh(), check_year(year)):
        line = (f"{period_label(parse_period(cycle['code']), lang):<18} {state_label(cycle['state'], lang):<22} "
                + context.say(ctx, "revisi %(revision)s", revision=cycle["revision"]))
        if cycle["steps"]:
            last = cycle["steps"][-1]
            line += "  " + context.say(ctx, "terakhir: %(step)s oleh %(actor)s, %(moment)s",
                                        step=step_label(last["step"], lang), actor=last["actor"],
                                        moment=format_moment(last["recorded_at"], lang))
            if last["reason"]:
                line += f" ({last['reason']})"
        if cycle["approval"] is not None:
            line += "  " + context.say(ctx, "segel %(seal)s", seal=cycle["approval"]["seal"])
        click.echo(line)


def _step(name: str, help_text: str, needs_reason: bool) -> None:
    @period.command(name, help=help_text)
    @click.argument("code", metavar="PERIOD")
    @click.option("--actor", required=True, help="The account taking the step (its role must allow it).")
    @click.option("--reason", help="Why (required to return or reopen).",
                  **({"required": True} if needs_reason else {"default": ""}))
    @click.pass_context
    def command(ctx: click.Context, code: str, actor: str, reason: str) -> None:
        from domain.closing import STEPPED, closable
        from projections import read
        from services import closing
        from services.presentation import kind_label, period_label

        runtime = context.runtime(ctx)
        closing.take_step(runtime, code, name, actor=actor, reason=reason or "")
        cycle = read.closing.cycle(runtime.fresh(), closable(code).code)
        click.echo(context.say(ctx, "%(period)s: %(what)s oleh %(actor)s (revisi %(revision)s)",
                               period=period_label(closable(code), context.lang(ctx)),
                               what=kind_label(f"period_{STEPPED[name]}", context.lang(ctx)), actor=actor,
                               revision=cycle["revision"]))


_step("submit", "Submit PERIOD's figures for verification (an operator).\n\nExample: iku period submit 2020-Q1 "
      "--actor siti", False)
_step("return", "Return PERIOD with a reason (the verifier before verifying, the approver before approving)."
      "\n\nExample: iku period return 2020-Q1 --actor kasubbag --reason \"bukti foto kurang\"", True)
_step("verify", "Verify PERIOD's figures (a verifier other than who submitted them).\n\nExample: iku period "
      "verify 2020-Q1 --actor kasubbag", False)
_step("approve", "Approve PERIOD (an approver other than who submitted or verified it): it is closed, as "
      "revision N with the log's seal.\n\nExample: iku period approve 2020-Q1 --actor kabag", False)
_step("reopen", "Reopen a closed PERIOD with a reason (an approver).\n\nExample: iku period reopen 2020-Q1 "
      "--actor kabag --reason \"dokumentasi susulan\"", True)


@period.command("narrative")
@click.argument("code", metavar="PERIOD")
@click.argument("indicator")
@click.option("--analysis", default="", help="Analisis capaian: why the figure is what it is.")
@click.option("--obstacles", default="", help="Kendala: what stood in the way.")
@click.option("--follow-up", "follow_up", default="", help="Tindak lanjut: what will be done.")
@click.option("--actor", required=True, help="The operator writing it (while the triwulan is open).")
@click.pass_context
def narrative(ctx: click.Context, code: str, indicator: str, analysis: str, obstacles: str, follow_up: str,
              actor: str) -> None:
    """Write the narrative of INDICATOR in the triwulan PERIOD, printed in its quarterly report.

    Example: iku period narrative 2020-Q1 published --analysis "Naik dari TW IV" --actor siti
    """
    from domain.closing import closable
    from services import closing
    from services.presentation import period_label

    closing.write_narrative(context.runtime(ctx), code, indicator,
                            {"analysis": analysis, "obstacles": obstacles, "follow_up": follow_up}, actor=actor)
    click.echo(context.say(ctx, "narasi %(indicator)s %(period)s tersimpan", indicator=indicator,
                           period=period_label(closable(code), context.lang(ctx))))
