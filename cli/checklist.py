"""`iku checklist …`: the document checklist (the kinds every activity keeps) and one activity's documents."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from cli import context
from domain.times import now


@click.group("checklist")
def checklist() -> None:
    """The document checklist: which kinds of document (undangan, surat tugas, foto, …) each leader's
    activities need, and each activity's files or not-applicable marks.

    Example: iku checklist show AG-2020-0001
    """


@checklist.command("kinds")
@click.pass_context
def kinds(ctx: click.Context) -> None:
    """The kinds in use: code, label, and whose activities need each (none: optional).

    Example: iku checklist kinds
    """
    from projections import read
    from services.presentation import leader_label

    lang = context.lang(ctx)
    for kind in read.evidence.document_kinds(context.runtime(ctx).fresh()):
        if not kind.active:
            continue
        needed = ", ".join(leader_label(leader, lang) for leader in kind.required_for) or context.say(ctx, "opsional")
        click.echo(f"{kind.code:<20} {kind.label:<24} {needed}")


@checklist.command("define")
@click.argument("code")
@click.argument("label")
@click.option("--required-for", "required_for", default="",
              help="The leaders whose activities need it, `;`-separated (empty: optional).")
@click.option("--reason", required=True, help="Why the checklist changes.")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def define(ctx: click.Context, code: str, label: str, required_for: str, reason: str, actor: str | None) -> None:
    """Add kind CODE to the checklist, or change its LABEL or whose activities need it.

    Example: iku checklist define notulen "Notulen rapat" --required-for sekda --reason "SOP 2021"
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.define_document_kind(code, label, required_for, reason=reason,
                                                     actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "tersimpan: jenis dokumen %(code)s", code=code.strip().lower()))


@checklist.command("retire")
@click.argument("code")
@click.option("--reason", required=True, help="Why the kind is no longer kept.")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def retire(ctx: click.Context, code: str, reason: str, actor: str | None) -> None:
    """Stop keeping kind CODE (files attached before stay in each trail).

    Example: iku checklist retire video --reason "disimpan di kanal resmi"
    """
    runtime = context.runtime(ctx)
    runtime.applied(runtime.log.retire_document_kind(code, reason=reason, actor=actor or getpass.getuser()))
    click.echo(context.say(ctx, "tersimpan: jenis dokumen %(code)s tidak dipakai lagi", code=code.strip().lower()))


@checklist.command("show")
@click.argument("reference")
@click.pass_context
def show(ctx: click.Context, reference: str) -> None:
    """Each kind for activity REFERENCE: attached (with its files), not applicable (why), missing or optional.

    Example: iku checklist show AG-2020-0001
    """
    from domain.errors import NotScheduledError
    from projections import read
    from services.presentation import document_state_label

    lang = context.lang(ctx)
    db = context.runtime(ctx).fresh()
    item = read.activities.activity(db, reference)
    if item is None:
        raise NotScheduledError(reference=reference.strip())
    for entry in read.evidence.checklist(db, item["activity_id"], item["leaders"], read.evidence.document_kinds(db)):
        click.echo(f"{entry['kind'].code:<20} {document_state_label(entry['state'], lang)}")
        for file in entry["files"]:
            click.echo(f"    {file['name']} ({file['media_type']}, {file['size']:,} B, sha256 {file['sha256'][:16]}…)")
        if entry["mark"] is not None:
            click.echo("    " + context.say(ctx, "alasan: %(reason)s", reason=entry["mark"]["note"]))


@checklist.command("attach")
@click.argument("reference")
@click.argument("kind")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", help="Who attaches it (default: the OS user).")
@click.pass_context
def attach(ctx: click.Context, reference: str, kind: str, file: Path, actor: str | None) -> None:
    """Attach FILE (JPEG, PNG, WebP or PDF; type read from its content) as activity REFERENCE's document KIND.

    Example: iku checklist attach AG-2020-0001 undangan undangan.pdf
    """
    from services.evidence import EvidenceStore

    runtime = context.runtime(ctx)
    described = EvidenceStore(runtime.data_dir).put(file.read_bytes(), file.name)
    batch = runtime.batch()
    batch.attach_document(reference, kind, occurred_at=now(), actor=actor or getpass.getuser(), **described)
    recorded = runtime.commit(batch)
    click.echo(f"{described['name']} ({described['media_type']}, {described['size']:,} B, "
               f"sha256 {described['sha256'][:16]}…) → {reference.strip()} {kind.strip().lower()} "
               f"#{recorded.last_position}")


@checklist.command("not-applicable")
@click.argument("reference")
@click.argument("kind")
@click.option("--reason", required=True, help="Why the activity does not need it.")
@click.option("--actor", help="Who records it (default: the OS user).")
@click.pass_context
def not_applicable(ctx: click.Context, reference: str, kind: str, reason: str, actor: str | None) -> None:
    """Mark document KIND as not applicable to activity REFERENCE, with the reason. Withdraw a file or a mark
    like any fact: a `withdrawn` row with channel `document` (reference KIND, or KIND:SHA256 for one file) or
    `not_applicable` (reference KIND).

    Example: iku checklist not-applicable AG-2020-0001 naskah_sambutan --reason "tanpa sambutan"
    """
    runtime = context.runtime(ctx)
    batch = runtime.batch()
    batch.mark_not_applicable(reference, kind, reason=reason, occurred_at=now(), actor=actor or getpass.getuser())
    runtime.commit(batch)
    click.echo(context.say(ctx, "tersimpan: %(kind)s tidak diperlukan untuk %(reference)s",
                           kind=kind.strip().lower(), reference=reference.strip()))
