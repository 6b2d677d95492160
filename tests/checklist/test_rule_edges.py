"""The checklist's and the link states' rules at their edges, with the exact values each refusal names (the
changes a mutation run found unnoticed, each now failing one of these)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.documents import DocumentKind, check_document_kind, check_kind
from domain.errors import (
    ControlCharacterError,
    InvalidDocumentKindCodeError,
    MissingFieldError,
    TextTooLongError,
    UnknownDocumentKindError,
)
from domain.times import now, parse_instant
from projections import read
from tests.checklist.test_checklist import held, sha
from tests.manual.conftest import runtime  # noqa: F401  (the stepping-clock runtime fixture)


@pytest.mark.parametrize(("code", "label", "error", "params"), [
    (None, "Notulen", InvalidDocumentKindCodeError, {"code": ""}),
    ("N!", "Notulen", InvalidDocumentKindCodeError, {"code": "n!"}),
    ("notulen", None, MissingFieldError, {"field": "label"}),
    ("notulen", "N" * 121, TextTooLongError, {"field": "label", "limit": 120}),
    ("notulen", "Notu\x00len", ControlCharacterError, {"field": "label"}),
])
def test_a_kinds_refusal_names_its_field_and_limit(code, label, error, params):
    with pytest.raises(error) as refused:
        check_kind(code, label, "")
    assert refused.value.params == params


def test_the_longest_label_is_kept():
    assert check_kind("nt", "N" * 120, ["sekda", " ", "walikota"]) == DocumentKind("nt", "N" * 120,
                                                                                  ("walikota", "sekda"))


def test_an_unknown_kind_is_named_as_given_even_when_empty():
    kinds = (DocumentKind("xxxx", "X"), DocumentKind("foto", "Foto"), DocumentKind("lama", "Lama", active=False))
    with pytest.raises(UnknownDocumentKindError) as refused:
        check_document_kind(None, kinds)
    assert refused.value.params == {"code": "", "choices": "xxxx, foto"}
    with pytest.raises(UnknownDocumentKindError):
        check_document_kind("lama", kinds)  # retired
    assert check_document_kind(" FOTO ", kinds) == kinds[1]


@pytest.mark.parametrize(("reason", "actor", "error", "params"), [
    (" ", "admin", MissingFieldError, {"field": "reason"}),
    ("r" * 1001, "admin", TextTooLongError, {"field": "reason", "limit": 1000}),
    ("SOP\x07", "admin", ControlCharacterError, {"field": "reason"}),
    ("SOP", "", MissingFieldError, {"field": "actor"}),
    ("SOP", "a" * 121, TextTooLongError, {"field": "actor", "limit": 120}),
])
def test_a_kind_change_needs_a_reason_and_an_actor(runtime, reason, actor, error, params):  # noqa: F811
    with pytest.raises(error) as refused:
        runtime.log.define_document_kind("notulen", "Notulen", "sekda", reason=reason, actor=actor)
    assert refused.value.params == params


def test_the_longest_reason_and_actor_are_kept(runtime):  # noqa: F811
    runtime.log.define_document_kind("notulen", "Notulen", "sekda", reason="r" * 1000, actor="a" * 120)
    assert read.evidence.kind_history(runtime.fresh())[0]["reason"] == "r" * 1000


def test_each_version_is_kept_whole_in_the_aggregate_and_the_read_model_and_logged(runtime):  # noqa: F811
    runtime.log.define_document_kind("notulen", "Notulen rapat", "walikota;sekda", reason="SOP 2021", actor="admin")
    opened_at = runtime.clock.current
    runtime.log.retire_document_kind("naskah_sambutan", reason="tidak dipakai", actor="kabag")
    retired_at = runtime.clock.current
    expected = [DocumentKind("notulen", "Notulen rapat", ("walikota", "sekda")),
                DocumentKind("naskah_sambutan", "Naskah sambutan", ("walikota", "wakil_walikota"), active=False)]
    assert runtime.log.document_kind_versions() == expected
    db = runtime.fresh()
    assert read.evidence.recorded_kinds(db) == expected
    assert read.evidence.recorded_kinds(db, opened_at) == expected[:1]
    rows = [dict(row) for row in db.query(
        "SELECT kind, reference, actor, title, leaders, note, setting, recorded_at FROM events ORDER BY position")]
    assert [(r["kind"], r["reference"], r["actor"], r["title"], r["leaders"], r["note"], r["setting"]) for r in rows] == [
        ("checklist_opened", "Daftar dokumen", "admin", None, None, "", None),
        ("document_kind_defined", "notulen", "admin", "Notulen rapat", "walikota;sekda", "SOP 2021", "notulen"),
        ("document_kind_retired", "naskah_sambutan", "kabag", "Naskah sambutan", "walikota;wakil_walikota",
         "tidak dipakai", "naskah_sambutan")]
    assert rows[-1]["recorded_at"] == retired_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert rows[0]["recorded_at"] < rows[1]["recorded_at"]  # opened by the clock, not stamped later


def test_each_checklist_entry_says_whether_it_is_required(runtime):  # noqa: F811
    held(runtime, "AG-1", leaders=("sekda",))
    db = runtime.fresh()
    item = read.activities.activity(db, "AG-1")
    entries = read.evidence.checklist(db, item["activity_id"], item["leaders"], read.evidence.document_kinds(db))
    assert [(e["kind"].code, e["required"], e["state"], e["files"], e["mark"]) for e in entries] == [
        ("undangan", True, "missing", [], None), ("surat_tugas", True, "missing", [], None),
        ("naskah_sambutan", False, "optional", [], None), ("foto", True, "missing", [], None),
        ("video", False, "optional", [], None), ("laporan", True, "missing", [], None)]


def check(runtime, reference: str, url: str, status: int, error: str = "", page: str = "") -> None:  # noqa: F811
    batch = runtime.batch()
    batch.record_link_check(reference, url=url, checked_at=now(), status=status, error=error, final_url=url,
                            content_type="text/html", sha256=sha(page) if page else "",
                            archive_sha256=sha(page) if page else "", archive_size=len(page), actor="pemeriksa-tautan")
    runtime.commit(batch)


def publish(runtime, reference: str, url: str, when: str = "2020-02-03T09:00") -> None:  # noqa: F811
    held(runtime, reference, when)
    runtime.record("published", reference, occurred_at=parse_instant(when), channel="web", evidence_ref=url,
                   actor="siti")


@pytest.mark.parametrize(("status", "error", "live"), [
    (199, "", False), (200, "", True), (299, "", True), (300, "", False), (200, "too_large", True),
    (200, "timeout", False), (0, "too_large", False)])
def test_a_link_is_live_on_a_2xx_answer_even_when_too_large_to_archive(runtime, status, error, live):  # noqa: F811
    publish(runtime, "AG-1", "https://a")
    check(runtime, "AG-1", "https://a", status, error)
    db = runtime.fresh()
    aid = read.activities.activity(db, "AG-1")["activity_id"]
    state = read.evidence.link_states(db, [aid])[(aid, "https://a")]
    assert (state["live"], state["dead_since"] is None) == (live, live)


def test_link_states_of_chosen_activities_and_counts_per_year(runtime):  # noqa: F811
    runtime.clock.advance(timedelta(days=90))  # the recording clock past the last activity
    later = parse_instant("2021-03-02T10:00")
    publish(runtime, "AG-1", "https://a", "2020-12-31T23:59")  # 2020 in WIB
    publish(runtime, "AG-2", "https://b", "2021-01-01T00:00")
    runtime.record("published", "AG-2", occurred_at=later, channel="ig", evidence_ref="https://c", actor="siti")
    runtime.record("published", "AG-2", occurred_at=later, channel="ig", evidence_ref="https://c", actor="siti")
    runtime.record("published", "AG-2", occurred_at=later, channel="arsip", evidence_ref="ARSIP/1", actor="siti")
    publish(runtime, "AG-3", "http://d", "2021-03-01T10:00")
    publish(runtime, "AG-4", "HTTPS://E", "2021-03-01T11:00")  # never checked, as AG-2's https://c
    check(runtime, "AG-1", "https://a", 200, page="p")
    check(runtime, "AG-2", "https://b", 404)
    check(runtime, "AG-2", "https://b", 200, page="q")
    check(runtime, "AG-3", "http://d", 200, page="p")
    check(runtime, "AG-3", "http://d", 0, "timeout")
    db = runtime.fresh()
    ids = {ref: read.activities.activity(db, ref)["activity_id"] for ref in ("AG-1", "AG-2", "AG-3", "AG-4")}
    chosen = read.evidence.link_states(db, [ids["AG-2"]])
    assert list(chosen) == [(ids["AG-2"], "https://b")]
    assert {k: v for k, v in chosen[(ids["AG-2"], "https://b")].items() if k != "last"} == {
        "checks": 2, "dead_since": None, "archive": {"sha256": sha("q"), "size": 1, "media_type": "text/html"},
        "changed": False, "live": True}
    assert read.evidence.link_states(db, []) == {}
    assert len(read.evidence.link_states(db)) == 3
    assert read.evidence.link_counts(db) == [{"year": 2020, "live": 1, "dead": 0, "unchecked": 0},
                                             {"year": 2021, "live": 1, "dead": 1, "unchecked": 2}]
    runtime.record("withdrawn", "AG-3", withdrawn_kind="held", reason="salah", occurred_at=now(), actor="k")
    assert read.evidence.link_counts(runtime.fresh()) == [{"year": 2020, "live": 1, "dead": 0, "unchecked": 0},
                                                          {"year": 2021, "live": 1, "dead": 0, "unchecked": 2}]


def test_missing_counts_and_the_agendas_condition_agree(runtime):  # noqa: F811
    from tests.checklist.test_checklist import attach, not_applicable

    held(runtime, "AG-1", leaders=("walikota",))  # needs 5
    held(runtime, "AG-2", leaders=("sekda",))  # needs 4
    held(runtime, "AG-3", leaders=("walikota", "sekda"))
    runtime.record("scheduled", "AG-4", title="Rapat", leaders=["sekda"], location="", actor="siti",
                   occurred_at=parse_instant("2020-02-02T08:00"))  # not held: never missing anything
    for kind in ("undangan", "surat_tugas", "foto"):
        attach(runtime, "AG-2", kind)
    not_applicable(runtime, "AG-2", "laporan")
    attach(runtime, "AG-1", "foto")
    runtime.log.define_document_kind("notulen", "Notulen", "walikota", reason="SOP", actor="admin")
    db = runtime.fresh()
    ids = {ref: read.activities.activity(db, ref)["activity_id"] for ref in ("AG-1", "AG-2", "AG-3", "AG-4")}
    kinds = read.evidence.document_kinds(db)
    assert read.evidence.missing_counts(db, list(ids.values()), kinds) == {ids["AG-1"]: 5, ids["AG-3"]: 6}
    listed = read.activities.agenda(db, start=parse_instant("2020-01-01").date(), end=parse_instant("2020-12-31").date(),
                                    missing=read.evidence.missing_documents(kinds))
    assert [row["reference"] for row in listed["rows"]] == ["AG-1", "AG-3"]
    runtime.log.retire_document_kind("undangan", reason="SOP", actor="admin")
    runtime.log.retire_document_kind("surat_tugas", reason="SOP", actor="admin")
    runtime.log.retire_document_kind("naskah_sambutan", reason="SOP", actor="admin")
    runtime.log.retire_document_kind("laporan", reason="SOP", actor="admin")
    runtime.log.retire_document_kind("notulen", reason="SOP", actor="admin")
    db = runtime.fresh()
    kinds = read.evidence.document_kinds(db)  # only foto is left required: AG-1 has it
    assert read.evidence.missing_counts(db, list(ids.values()), kinds) == {ids["AG-3"]: 1}
    listed = read.activities.agenda(db, start=parse_instant("2020-01-01").date(), end=parse_instant("2020-12-31").date(),
                                    missing=read.evidence.missing_documents(kinds))
    assert [row["reference"] for row in listed["rows"]] == ["AG-3"]
    assert read.evidence.missing_counts(db, [], kinds) == {}


def test_an_archive_is_found_only_as_an_archive(runtime):  # noqa: F811
    from tests.checklist.test_checklist import attach

    publish(runtime, "AG-1", "https://a")
    check(runtime, "AG-1", "https://a", 200, page="p")
    digest = attach(runtime, "AG-1", "foto")
    db = runtime.fresh()
    found = read.evidence.archive(db, sha("p"))
    assert (found["kind"], found["name"], found["media_type"], found["size"]) == ("archive", "a.html", "text/html", 1)
    assert read.evidence.archive(db, digest) is None
