"""The checklist forms a page offers are the facts the domain accepts: for a kind in every state an activity can
hold it in (nothing, a file, a mark, a withdrawn file or mark, retired), `allowed_facts` says yes exactly when
the application stores the fact, and no exactly when it refuses it."""

from __future__ import annotations

import pytest

from domain.documents import DocumentKind, allowed_facts
from domain.errors import DomainError
from domain.times import now
from projections import read
from tests.checklist.test_checklist import attach, held, not_applicable, withdraw
from tests.conftest import open_runtime

SETUPS = {
    "nothing": [],
    "a file": [("attach",)],
    "two files": [("attach",), ("attach", "kedua.pdf")],
    "a mark": [("mark",)],
    "a withdrawn file": [("attach",), ("withdraw file",)],
    "a withdrawn mark": [("mark",), ("withdraw mark",)],
    "retired": [("retire",)],
    "a file, then retired": [("attach",), ("retire",)],
}


def prepare(runtime, steps) -> None:
    held(runtime, "AG-1")
    digest = ""
    for step in steps:
        if step[0] == "attach":
            digest = attach(runtime, "AG-1", "undangan", *step[1:])
        elif step[0] == "mark":
            not_applicable(runtime, "AG-1", "undangan")
        elif step[0] == "withdraw file":
            withdraw(runtime, "AG-1", "document", f"undangan:{digest}")
        elif step[0] == "withdraw mark":
            withdraw(runtime, "AG-1", "not_applicable", "undangan")
        elif step[0] == "retire":
            runtime.applied(runtime.log.retire_document_kind("undangan", reason="tidak dipakai", actor="admin"))


def entry(runtime) -> dict:
    """The kind's entry on the activity's checklist; a retired kind with no facts is not listed (so offers
    nothing), and is given here as an entry without facts."""
    db = runtime.fresh()
    item = read.activities.activity(db, "AG-1")
    kinds = read.evidence.document_kinds(db)
    listed = read.evidence.checklist(db, item["activity_id"], item["leaders"], kinds)
    kind = next(k for k in kinds if k.code == "undangan")
    return next((e for e in listed if e["kind"].code == "undangan"), {"kind": kind, "mark": None, "files": []})


def accepted(runtime, fact: str) -> bool:
    batch = runtime.batch()
    try:
        if fact == "file":
            batch.attach_document("AG-1", "undangan", sha256="f" * 64, name="baru.pdf", size=10,
                                  media_type="application/pdf", occurred_at=now(), actor="siti")
        else:
            batch.mark_not_applicable("AG-1", "undangan", reason="tidak perlu", occurred_at=now(), actor="siti")
    except DomainError:
        return False
    return True  # the batch is left uncommitted: each question is asked of the same history


@pytest.mark.parametrize("setup", list(SETUPS))
def test_the_offered_forms_are_the_facts_the_domain_accepts(tmp_path, setup):
    with open_runtime("sqlite", tmp_path / "data") as runtime:
        prepare(runtime, SETUPS[setup])
        found = entry(runtime)
        attach_ok, mark_ok = allowed_facts(found["kind"], marked=found["mark"] is not None,
                                           attached=bool(found["files"]))
        assert (attach_ok, mark_ok) == (accepted(runtime, "file"), accepted(runtime, "mark")), setup


def test_the_rule_in_words():
    kind, retired = DocumentKind("foto", "Foto"), DocumentKind("foto", "Foto", active=False)
    assert allowed_facts(kind, marked=False, attached=False) == (True, True)
    assert allowed_facts(kind, marked=False, attached=True) == (True, False)
    assert allowed_facts(kind, marked=True, attached=False) == (False, False)
    assert allowed_facts(retired, marked=False, attached=False) == (False, False)
    assert allowed_facts(retired, marked=False, attached=True) == (False, False)
