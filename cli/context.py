"""What every `iku` command shares through the click context: the opened data dir and the language."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import click

from domain.periods import AmbiguousPeriodError, MissingRangeError, Period, year
from domain.periods import period_from as read_period
from domain.times import now, parse_instant, wib_date
from services.catalogue import translate, translate_in

if TYPE_CHECKING:
    from services.runtime import Runtime


class IkuError(click.ClickException):
    """A failure shown as one line: `iku: <message>` (exit status 1 unless told otherwise)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: object = None) -> None:
        click.echo(f"iku: {self.format_message()}", err=True)


def runtime(ctx: click.Context, catch_up: bool = True) -> Runtime:
    """The Runtime of the `--data-dir` given to `iku`, opened once per invocation and closed after it."""
    if "services.runtime" not in ctx.meta:
        from services.runtime import Runtime

        ctx.meta["services.runtime"] = Runtime(ctx.meta.get("iku.data_dir"), catch_up=catch_up)
        ctx.call_on_close(ctx.meta["services.runtime"].close)
    return ctx.meta["services.runtime"]


def lang(ctx: click.Context) -> str:
    return ctx.meta.get("iku.lang", "id")


def runtime_for(ctx: click.Context, data_dir) -> Runtime:
    """Open (once) the Runtime of another data dir, e.g. a throw-away demo dir."""
    from services.runtime import Runtime

    opened = Runtime(data_dir)
    ctx.call_on_close(opened.close)
    ctx.meta["services.runtime"] = opened
    return opened


def say(ctx: click.Context, text: str, /, **params: object) -> str:
    """`text` (Indonesian, a text of the catalogue in services/catalogue) in the chosen language."""
    return translate(lang(ctx), text, **params)


def say_in(ctx: click.Context, where: str, text: str, /, **params: object) -> str:
    """`text` as said in a context `where`, for a word another place says otherwise."""
    return translate_in(lang(ctx), where, text, **params)


@contextmanager
def progress(label: str, lang: str = "id") -> Iterator[Callable[[int, int], None]]:
    """A progress bar (done, rate and time left) for long work, drawn only on a terminal: yields the callback
    `(done, total)` that services call as they go; with the output piped or captured it draws nothing."""
    if not sys.stdout.isatty():
        yield lambda _done, _total: None
        return
    from services.presentation import format_number

    started = time.monotonic()
    with click.progressbar(length=1, label=label, show_eta=True, show_percent=True, show_pos=True,
                           item_show_func=lambda rate: rate) as bar:
        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            elapsed = time.monotonic() - started
            bar.update(done - bar.pos, f"{format_number(round(done / elapsed), lang)}/s" if elapsed > 0 else None)

        yield update


def seal_from(ctx: click.Context, text: str | None):
    """A seal given on the command line (`mth:SIZE:ROOT`, or an old `POSITION:DIGEST`); None for none."""
    from projections import chain

    if text is None:
        return None
    try:
        return chain.Seal.parse(text)
    except ValueError:
        raise usage_error(ctx, "segel berbentuk mth:UKURAN:AKAR atau POSISI:DIGEST (64 digit heksadesimal)") from None


def usage_error(ctx: click.Context, text: str, /, **params: object) -> click.UsageError:
    """A wrong use of a command, said in the chosen language."""
    return click.UsageError(say(ctx, text, **params), ctx)


def period_from(ctx: click.Context, period: str | None, start: str | None, end: str | None) -> Period:
    """PERIOD, or --from/--to, or (neither) this year in WIB: `domain.periods.period_from`'s rules, its two
    refusals about the options said with the options' names."""
    try:
        chosen = read_period(code=period or "", start=start or "", end=end or "")
    except AmbiguousPeriodError:
        raise usage_error(ctx, "pilih PERIODE atau --from/--to, bukan keduanya") from None
    except MissingRangeError:
        raise usage_error(ctx, "--from dan --to harus berpasangan") from None
    return chosen or year(wib_date(now()).year)


def as_of_from(value: str | None) -> tuple[datetime, bool]:
    """The moment `--as-of` names, or now when it was not given; and whether it was given (a report then
    says it is as known now)."""
    return (parse_instant(value), True) if value else (now(), False)
