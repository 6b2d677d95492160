"""`iku proof`: Merkle proofs over the event log (RFC 9162) that anyone can check without this program."""

from __future__ import annotations

import json

import click

from cli import context
from cli.context import IkuError


def _run(ctx: click.Context, build):
    from services.proofs import ProofError

    try:
        return build()
    except ProofError as error:
        raise IkuError(error.message(context.lang(ctx))) from None


@click.group()
def proof() -> None:
    """Merkle proofs over the event log (RFC 9162): inclusion of one event, consistency between two seals.

    Example: iku proof consistency mth:812:9f2c… (last quarter's printed seal, against the log now)
    """


@proof.command()
@click.argument("position", type=click.IntRange(min=1))
@click.argument("seal", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def inclusion(ctx: click.Context, position: int, seal: str | None, fmt: str) -> None:
    """Prove that the event at log POSITION is in the log a SEAL names (default: the log now).

    Example: iku proof inclusion 1532 mth:6500:3f0c…
    """
    from services import proofs

    parsed = context.seal_from(ctx, seal)
    runtime = context.runtime(ctx)
    result = _run(ctx, lambda: proofs.inclusion(runtime.fresh(), position, parsed))
    _answer(ctx, fmt, result, [
        context.say(ctx, "posisi %(position)s = daun %(index)s dari %(size)s; segel %(seal)s", position=position,
                    index=result.index, size=result.head.size, seal=result.head.text()),
        context.say(ctx, "hash daun: %(hash)s", hash=result.leaf.hex()),
        context.say(ctx, "bukti inklusi (%(count)s hash, dari bawah):", count=len(result.proof)),
    ], failure=context.say(ctx, "bukti tidak cocok dengan akar segel"),
        success=context.say(ctx, "bukti diperiksa: cocok"))


@proof.command()
@click.argument("old_seal")
@click.argument("new_seal", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def consistency(ctx: click.Context, old_seal: str, new_seal: str | None, fmt: str) -> None:
    """Prove that the log a NEW_SEAL names (default: the log now) only grew from the one OLD_SEAL names.

    Example: iku proof consistency mth:6500:3f0c… (the seal printed on last quarter's report)
    """
    from services import proofs

    old, new = context.seal_from(ctx, old_seal), context.seal_from(ctx, new_seal)
    runtime = context.runtime(ctx)
    result = _run(ctx, lambda: proofs.consistency(runtime.fresh(), old, new))
    lines = [context.say(ctx, "dari %(old)s (%(old_size)s peristiwa) ke %(new)s (%(new_size)s peristiwa)",
                         old=result.old.seal, old_size=result.old.size, new=result.new.text(), new_size=result.new.size)]
    if not result.old.seal.startswith("mth:"):
        lines.append(context.say(ctx, "segel lama = pohon %(head)s", head=result.old.text()))
    lines.append(context.say(ctx, "bukti konsistensi (%(count)s hash):", count=len(result.proof)))
    _answer(ctx, fmt, result, lines,
            failure=context.say(ctx, "log ini tidak konsisten dengan segel %(seal)s: isinya berubah sejak segel "
                                     "dicetak", seal=result.old.seal),
            success=context.say(ctx, "bukti diperiksa: cocok, log hanya bertambah"))


def _answer(ctx: click.Context, fmt: str, result, lines: list[str], *, failure: str, success: str) -> None:
    """Print a proof (JSON, or `lines` then its hashes), then fail with `failure` when it does not verify."""
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        for line in lines:
            click.echo(line)
        for node in result.proof:
            click.echo(f"  {node.hex()}")
    if not result.ok:
        raise IkuError(failure)
    if fmt == "text":
        click.echo(success)
