"""`iku attach`: keep a photo or PDF as evidence of an activity's published/documented/protocol fact."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from cli import context
from domain.times import now


@click.command()
@click.argument("reference")
@click.argument("kind", type=click.Choice(["published", "documented", "protocol_served"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", help="Who attaches it (default: the OS user).")
@click.pass_context
def attach(ctx: click.Context, reference: str, kind: str, file: Path, actor: str | None) -> None:
    """Attach a file (JPEG, PNG, WebP or PDF; type read from its content) to the latest valid fact of KIND.

    Example: iku attach AG-2020-0001 documented foto-apel.jpg --actor siti
    """
    from services.evidence import EvidenceStore

    runtime = context.runtime(ctx)
    described = EvidenceStore(runtime.data_dir).put(file.read_bytes(), file.name)
    batch = runtime.batch()
    batch.attach(reference, kind, occurred_at=now(), actor=actor or getpass.getuser(), **described)
    recorded = runtime.commit(batch)
    click.echo(f"{described['name']} ({described['media_type']}, {described['size']:,} B, "
               f"sha256 {described['sha256'][:16]}…) → {reference} #{recorded.last_position}")
