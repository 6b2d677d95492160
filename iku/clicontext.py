"""What every `iku` command shares through the click context: the opened data dir and the language."""

from __future__ import annotations

import click

from iku.runtime import Runtime


class IkuError(click.ClickException):
    """A failure shown as one line: `iku: <message>`."""

    def show(self, file: object = None) -> None:
        click.echo(f"iku: {self.format_message()}", err=True)


def runtime(ctx: click.Context) -> Runtime:
    """The Runtime of the `--data-dir` given to `iku`, opened once per invocation and closed after it."""
    if "iku.runtime" not in ctx.meta:
        ctx.meta["iku.runtime"] = Runtime(ctx.meta.get("iku.data_dir"))
        ctx.call_on_close(ctx.meta["iku.runtime"].close)
    return ctx.meta["iku.runtime"]


def lang(ctx: click.Context) -> str:
    return ctx.meta.get("iku.lang", "id")


def runtime_for(ctx: click.Context, data_dir) -> Runtime:
    """Open (once) the Runtime of another data dir, e.g. a throw-away demo dir."""
    opened = Runtime(data_dir)
    ctx.call_on_close(opened.close)
    ctx.meta["iku.runtime"] = opened
    return opened
