"""`iku links check`: fetch every publication link, record what answered, and keep a copy of each page."""

from __future__ import annotations

import os
from datetime import timedelta

import click

from cli import context


@click.group("links")
def links() -> None:
    """The publications' links: checked, and archived at their first successful fetch.

    Example: iku links check 2020
    """


@links.command("check")
@click.argument("period", required=False)
@click.option("--since", "since", type=click.IntRange(min=0), metavar="DAYS",
              help="Only links not checked in the last DAYS days (default: every link).")
@click.option("--actor", help="Who the checks are recorded under (default: pemeriksa-tautan).")
@click.pass_context
def check(ctx: click.Context, period: str | None, since: int | None, actor: str | None) -> None:
    """Fetch the link of every valid publication of activities held in PERIOD (default: all), record the
    answer on each activity, keep a copy of each page at its first successful fetch, and list the dead ones.

    The fetch is bounded (IKU_LINKCHECK_TIMEOUT seconds, IKU_LINKCHECK_MAX_MB, IKU_LINKCHECK_MAX_REDIRECTS,
    IKU_LINKCHECK_HOST_INTERVAL seconds between two requests to one host) and refuses private, loopback and
    link-local addresses unless IKU_LINKCHECK_ALLOW_PRIVATE=1. A dead link changes no figure.

    Example: iku links check 2020-Q1 --since 7
    """
    from services.linkcheck import CHECKER, check_links
    from services.linkfetch import FetchPolicy, LinkCheckSettingError

    try:
        policy = FetchPolicy.from_env(os.environ)
    except LinkCheckSettingError as error:
        raise context.IkuError(str(error)) from None
    chosen = context.period_from(ctx, period, None, None) if period else None
    runtime = context.runtime(ctx)
    with context.progress(context.say(ctx, "memeriksa tautan"), context.lang(ctx)) as progress:
        summary = check_links(runtime, period=chosen, since=timedelta(days=since) if since is not None else None,
                              policy=policy, actor=actor or CHECKER, progress=progress)
    for reference, url, answer in summary.dead_links:
        click.echo(context.say(ctx, "mati: %(reference)s %(url)s (%(answer)s)", reference=reference, url=url,
                               answer=answer))
    click.echo(context.say(
        ctx, "%(checked)s tautan diperiksa: %(live)s hidup, %(dead)s mati, %(archived)s diarsipkan, "
             "%(changed)s berubah, %(skipped)s dilewati (publikasinya ditarik)",
        checked=summary.checked, live=summary.live, dead=summary.dead, archived=summary.archived,
        changed=summary.changed, skipped=summary.skipped))
