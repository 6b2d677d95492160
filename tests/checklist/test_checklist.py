"""The document checklist: kinds as data (defaults, added, changed, retired), each activity's files and
not-applicable marks with their refusals and withdrawals, and completeness per period."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.closing import FIGURE_KINDS, PeriodClosedError, touched_days
from domain.documents import DEFAULT_KINDS, DocumentKind, check_kind, kinds_in_use
from domain.errors import (
    AlreadyNotApplicableError,
    DocumentAlreadyAttachedError,
    DocumentNotApplicableError,
    InvalidDocumentKindCodeError,
    MissingFieldError,
    NothingToWithdrawError,
    TextTooLongError,
    UnknownDocumentKindError,
    UnknownLeaderError,
)
from domain.periods import parse_period
from domain.times import now, parse_instant
from projections import read
from services import reports

T = parse_instant


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def held(runtime, reference: str, when: str = "2020-02-03T09:00", leaders=("walikota",)) -> None:
    runtime.record("scheduled", reference, title=f"Rapat {reference}", leaders=list(leaders), location="Aula",
                   occurred_at=T(when), actor="siti")
    runtime.record("held", reference, occurred_at=T(when), actor="siti")


def attach(runtime, reference: str, kind: str, name: str = "berkas.pdf") -> str:
    digest = sha(f"{reference}/{kind}/{name}")
    batch = runtime.batch()
    batch.attach_document(reference, kind, sha256=digest, name=name, size=100, media_type="application/pdf",
                          occurred_at=now(), actor="siti")
    runtime.commit(batch)
    return digest


def not_applicable(runtime, reference: str, kind: str, reason: str = "tanpa sambutan") -> None:
    batch = runtime.batch()
    batch.mark_not_applicable(reference, kind, reason=reason, occurred_at=now(), actor="siti")
    runtime.commit(batch)


def withdraw(runtime, reference: str, kind: str, ref: str, reason: str = "salah berkas") -> None:
    runtime.record("withdrawn", reference, withdrawn_kind=kind, evidence_ref=ref, reason=reason, occurred_at=now(),
                   actor="kasubbag")


def states(runtime, reference: str) -> dict[str, str]:
    db = runtime.fresh()
    item = read.activities.activity(db, reference)
    return {entry["kind"].code: entry["state"] for entry in
            read.evidence.checklist(db, item["activity_id"], item["leaders"], read.evidence.document_kinds(db))}


def figures(runtime, period: str = "2020-Q1", as_of=None) -> tuple:
    found = read.evidence.completeness(runtime.fresh(), parse_period(period), as_of or now())
    return found["complete"], found["required"], found["complete_activities"], found["activities"]


def test_the_defaults_and_whose_activities_need_each():
    assert [kind.code for kind in DEFAULT_KINDS] == ["undangan", "surat_tugas", "naskah_sambutan", "foto", "video",
                                                     "laporan"]
    by_code = {kind.code: kind for kind in DEFAULT_KINDS}
    assert by_code["naskah_sambutan"].required(["sekda"]) is False
    assert by_code["naskah_sambutan"].required(["sekda", "wakil_walikota"]) is True
    assert by_code["naskah_sambutan"].required("walikota;sekda") is True
    assert by_code["video"].required(["walikota", "wakil_walikota", "sekda"]) is False  # optional for everyone
    retired = DocumentKind("foto", "Foto", ("walikota",), active=False)
    assert retired.required(["walikota"]) is False


def test_each_state_of_a_fresh_activity_follows_its_leaders(runtime):
    held(runtime, "AG-1", leaders=("walikota",))
    held(runtime, "AG-2", leaders=("sekda",))
    assert states(runtime, "AG-1") == {"undangan": "missing", "surat_tugas": "missing", "naskah_sambutan": "missing",
                                       "foto": "missing", "video": "optional", "laporan": "missing"}
    assert states(runtime, "AG-2")["naskah_sambutan"] == "optional"


def test_files_and_marks_make_a_kind_attached_or_not_applicable(runtime):
    held(runtime, "AG-1")
    first = attach(runtime, "AG-1", "foto", "apel-1.jpg")
    attach(runtime, "AG-1", "foto", "apel-2.jpg")
    attach(runtime, "AG-1", "video", "apel.mp4")
    not_applicable(runtime, "AG-1", "naskah_sambutan")
    db = runtime.fresh()
    item = read.activities.activity(db, "AG-1")
    entries = {e["kind"].code: e for e in read.evidence.checklist(db, item["activity_id"], item["leaders"],
                                                                   read.evidence.document_kinds(db))}
    assert [f["name"] for f in entries["foto"]["files"]] == ["apel-1.jpg", "apel-2.jpg"]
    assert entries["foto"]["files"][0]["sha256"] == first
    assert entries["video"]["state"] == "attached"
    assert (entries["naskah_sambutan"]["state"], entries["naskah_sambutan"]["mark"]["note"],
            entries["naskah_sambutan"]["mark"]["actor"]) == ("not_applicable", "tanpa sambutan", "siti")
    assert entries["undangan"]["state"] == "missing"


def test_refusals_store_nothing(runtime):
    held(runtime, "AG-1")
    attach(runtime, "AG-1", "foto", "apel.jpg")
    not_applicable(runtime, "AG-1", "naskah_sambutan")
    head = runtime.log.recorder.max_notification_id()
    with pytest.raises(DocumentAlreadyAttachedError):
        not_applicable(runtime, "AG-1", "foto")  # a file is there
    with pytest.raises(DocumentAlreadyAttachedError):
        attach(runtime, "AG-1", "foto", "apel.jpg")  # the very same file again
    with pytest.raises(DocumentNotApplicableError):
        attach(runtime, "AG-1", "naskah_sambutan")
    with pytest.raises(AlreadyNotApplicableError):
        not_applicable(runtime, "AG-1", "naskah_sambutan")
    with pytest.raises(MissingFieldError) as missing:
        not_applicable(runtime, "AG-1", "undangan", reason="  ")
    assert missing.value.params == {"field": "reason"}
    with pytest.raises(UnknownDocumentKindError) as unknown:
        attach(runtime, "AG-1", "notulen")
    assert unknown.value.params == {"code": "notulen",
                                    "choices": "undangan, surat_tugas, naskah_sambutan, foto, video, laporan"}
    with pytest.raises(NothingToWithdrawError):
        withdraw(runtime, "AG-1", "document", "undangan")
    with pytest.raises(NothingToWithdrawError):
        withdraw(runtime, "AG-1", "not_applicable", "foto")
    assert runtime.log.recorder.max_notification_id() == head


def test_withdrawing_one_file_all_of_a_kind_or_a_mark(runtime):
    held(runtime, "AG-1")
    one = attach(runtime, "AG-1", "foto", "apel-1.jpg")
    attach(runtime, "AG-1", "foto", "apel-2.jpg")
    attach(runtime, "AG-1", "laporan", "laporan.pdf")
    not_applicable(runtime, "AG-1", "naskah_sambutan")
    withdraw(runtime, "AG-1", "document", f"foto:{one}")
    db = runtime.fresh()
    item = read.activities.activity(db, "AG-1")
    foto = read.evidence.checklist(db, item["activity_id"], item["leaders"], read.evidence.document_kinds(db))[3]
    assert [f["name"] for f in foto["files"]] == ["apel-2.jpg"]
    withdraw(runtime, "AG-1", "document", "foto")  # every remaining foto file
    withdraw(runtime, "AG-1", "not_applicable", "naskah_sambutan")
    assert states(runtime, "AG-1") == {"undangan": "missing", "surat_tugas": "missing", "naskah_sambutan": "missing",
                                       "foto": "missing", "video": "optional", "laporan": "attached"}
    attach(runtime, "AG-1", "naskah_sambutan")  # once the mark is withdrawn, a file may come
    assert states(runtime, "AG-1")["naskah_sambutan"] == "attached"
    trail = read.activities.trail(runtime.fresh(), "AG-1")
    assert [e["kind"] for e in trail["events"] if e["withdrawn"]] == ["document_attached", "document_attached",
                                                                       "not_applicable"]


def test_checklist_facts_change_no_figure_and_a_closed_period_keeps_them_coming():
    held_on = T("2020-02-03T09:00").date()
    for kind in ("document", "not_applicable"):
        assert kind not in FIGURE_KINDS

    class Withdrawn:
        withdrawn_kind = "document"

    class DocumentAttached:
        pass

    assert touched_days(held_on, Withdrawn()) == []
    assert touched_days(held_on, DocumentAttached()) == []
    Withdrawn.withdrawn_kind = "published"
    assert touched_days(held_on, Withdrawn()) == [held_on]


def test_a_closed_quarter_still_takes_documents_and_marks(runtime):
    from services import closing as closing_service

    held(runtime, "AG-1")
    runtime.record("published", "AG-1", occurred_at=T("2020-02-03T10:00"), channel="web", evidence_ref="https://x/1",
                   actor="siti")
    for step, who, role in (("submit", "operator1", "operator"), ("verify", "kasubbag", "verifier"),
                            ("approve", "kabag", "approver")):
        runtime.log.add_account(who, role=role, password_hash="x", actor="setup")
        closing_service.take_step(runtime, "2020-Q1", step, actor=who)
    with pytest.raises(PeriodClosedError):  # the figures are closed ...
        runtime.record("documented", "AG-1", occurred_at=T("2020-02-03T10:00"), channel="foto", evidence_ref="F1",
                       actor="siti")
    attach(runtime, "AG-1", "laporan")
    not_applicable(runtime, "AG-1", "naskah_sambutan")
    withdraw(runtime, "AG-1", "not_applicable", "naskah_sambutan")
    assert states(runtime, "AG-1")["laporan"] == "attached"


def test_kinds_are_data_added_changed_and_retired_as_of_their_recording(runtime):
    held(runtime, "AG-1", leaders=("sekda",))
    before = runtime.clock.current
    runtime.log.define_document_kind("notulen", "Notulen rapat", "sekda", reason="SOP 2021", actor="admin")
    added = runtime.clock.current
    runtime.log.define_document_kind("video", "Video kegiatan", ["sekda"], reason="wajib untuk Sekda", actor="admin")
    runtime.log.retire_document_kind("surat_tugas", reason="tidak dipakai lagi", actor="admin")
    db = runtime.fresh()
    assert [k.code for k in read.evidence.document_kinds(db, before)] == [k.code for k in DEFAULT_KINDS]
    assert [k.code for k in read.evidence.document_kinds(db, added)][-1] == "notulen"
    now_kinds = {k.code: k for k in read.evidence.document_kinds(db)}
    assert now_kinds["video"] == DocumentKind("video", "Video kegiatan", ("sekda",))
    assert now_kinds["surat_tugas"].active is False
    assert states(runtime, "AG-1") == {"undangan": "missing", "naskah_sambutan": "optional", "foto": "missing",
                                       "video": "missing", "laporan": "missing", "notulen": "missing"}
    with pytest.raises(UnknownDocumentKindError):
        attach(runtime, "AG-1", "surat_tugas")  # retired: no new file
    with pytest.raises(UnknownDocumentKindError):
        runtime.log.retire_document_kind("surat_tugas", reason="lagi", actor="admin")
    # the completeness of the past is counted with the kinds known then
    period = parse_period("2020-Q1")
    assert read.evidence.completeness(db, period, before)["required"] == 4  # undangan, surat tugas, foto, laporan
    assert read.evidence.completeness(db, period, now())["required"] == 5  # - surat tugas + video + notulen
    history = read.evidence.kind_history(db)
    assert [(h["code"], h["active"], h["reason"]) for h in history] == [
        ("surat_tugas", 0, "tidak dipakai lagi"), ("video", 1, "wajib untuk Sekda"), ("notulen", 1, "SOP 2021")]


@pytest.mark.parametrize(("code", "label", "leaders", "error"), [
    ("N", "Notulen", "", InvalidDocumentKindCodeError),
    ("1notulen", "Notulen", "", InvalidDocumentKindCodeError),
    ("notulen rapat", "Notulen", "", InvalidDocumentKindCodeError),
    ("n" * 41, "Notulen", "", InvalidDocumentKindCodeError),
    ("notulen", "  ", "", MissingFieldError),
    ("notulen", "N" * 121, "", TextTooLongError),
    ("notulen", "Notulen", "lurah", UnknownLeaderError),
])
def test_a_kind_is_refused_field_by_field(code, label, leaders, error):
    with pytest.raises(error):
        check_kind(code, label, leaders)


def test_a_kinds_fields_are_cleaned():
    assert check_kind(" Notulen_2 ", " Notulen ", "sekda, walikota") == DocumentKind(
        "notulen_2", "Notulen", ("walikota", "sekda"))
    assert check_kind("nt", "N" * 120, ";").required_for == ()
    assert [k.code for k in kinds_in_use([DocumentKind("foto", "Foto", ()), DocumentKind("a1", "A")])][-2:] == [
        "laporan", "a1"]


def test_a_kind_change_needs_a_reason(runtime):
    with pytest.raises(MissingFieldError):
        runtime.log.define_document_kind("notulen", "Notulen", "", reason=" ", actor="admin")
    assert read.evidence.recorded_kinds(runtime.fresh()) == []


def test_completeness_counts_required_pairs_of_held_activities(runtime):
    held(runtime, "AG-1", "2020-03-31T23:59", leaders=("walikota",))  # 5 required
    held(runtime, "AG-2", "2020-04-01T00:00", leaders=("sekda",))  # Q2: 4 required
    held(runtime, "AG-3", "2020-02-01T08:00", leaders=("sekda",))  # 4 required
    runtime.record("scheduled", "AG-4", title="Rapat", leaders=["walikota"], location="", actor="siti",
                   occurred_at=T("2020-02-02T08:00"))  # never held: not counted
    assert figures(runtime) == (0, 9, 0, 2)
    for kind in ("undangan", "surat_tugas", "foto", "laporan"):
        attach(runtime, "AG-3", kind)
    attach(runtime, "AG-1", "undangan")
    attach(runtime, "AG-1", "video")  # optional: counts nowhere
    not_applicable(runtime, "AG-1", "naskah_sambutan")
    marked = runtime.clock.current
    assert figures(runtime) == (6, 9, 1, 2)
    withdraw(runtime, "AG-1", "not_applicable", "naskah_sambutan")
    assert figures(runtime) == (5, 9, 1, 2)
    assert figures(runtime, as_of=marked) == (6, 9, 1, 2)
    assert figures(runtime, as_of=marked - timedelta(microseconds=1)) == (5, 9, 1, 2)
    assert figures(runtime, "2020-Q2") == (0, 4, 0, 1)
    runtime.record("withdrawn", "AG-3", withdrawn_kind="held", reason="salah catat", occurred_at=now(), actor="k")
    assert figures(runtime) == (1, 5, 0, 1)
    found = read.evidence.completeness(runtime.fresh(), parse_period("2020-Q1"), now())
    assert found["percent"] == Decimal("20.00")
    assert read.evidence.completeness(runtime.fresh(), parse_period("2019"), now())["percent"] is None


def test_incomplete_activities_for_the_agenda(runtime):
    held(runtime, "AG-1", leaders=("sekda",))
    held(runtime, "AG-2", leaders=("sekda",))
    runtime.record("scheduled", "AG-3", title="Rapat", leaders=["sekda"], location="", actor="siti",
                   occurred_at=T("2020-02-02T08:00"))
    for kind in ("undangan", "surat_tugas", "foto"):
        attach(runtime, "AG-2", kind)
    not_applicable(runtime, "AG-2", "laporan", reason="laporan lisan")
    db = runtime.fresh()
    ids = {ref: read.activities.activity(db, ref)["activity_id"] for ref in ("AG-1", "AG-2", "AG-3")}
    kinds = tuple(k for k in read.evidence.document_kinds(db) if k.active)
    assert read.evidence.incomplete_ids(db, list(ids.values()), kinds) == {ids["AG-1"]}
    assert read.evidence.incomplete_ids(db, [], kinds) == set()


def test_the_command_line_and_the_report(runtime, tmp_path):
    held(runtime, "AG-1", leaders=("sekda",))
    pdf = tmp_path / "undangan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    runner = CliRunner()
    base = ["--data-dir", str(runtime.data_dir)]
    runtime.close()
    result = runner.invoke(cli, [*base, "checklist", "attach", "AG-1", "undangan", str(pdf), "--actor", "siti"])
    assert result.exit_code == 0, result.output
    assert "undangan.pdf (application/pdf" in result.output
    result = runner.invoke(cli, [*base, "checklist", "not-applicable", "AG-1", "laporan", "--reason", "lisan"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*base, "checklist", "show", "AG-1"])
    assert result.output.splitlines()[:4] == [
        "undangan             ada", "    undangan.pdf (application/pdf, 45 B, sha256 "
        + hashlib.sha256(pdf.read_bytes()).hexdigest()[:16] + "…)",
        "surat_tugas          belum ada", "naskah_sambutan      opsional, belum ada"]
    result = runner.invoke(cli, [*base, "checklist", "attach", "AG-1", "laporan", str(pdf)])
    assert result.exit_code == 1
    assert "ditandai tidak diperlukan" in result.output
    result = runner.invoke(cli, [*base, "report", "2020-Q1", "--format", "json"])
    documents = json.loads(result.output)["documents"]
    assert documents == {"required": 4, "complete": 2, "percent": 50.0, "activities": 1, "complete_activities": 0}
    result = runner.invoke(cli, [*base, "report", "2020-Q1"])
    assert "Kelengkapan data dukung: 2/4 = 50,00% (0 dari 1 kegiatan lengkap)" in result.output
    result = runner.invoke(cli, [*base, "checklist", "define", "notulen", "Notulen", "--required-for", "sekda",
                                 "--reason", "SOP"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*base, "checklist", "kinds"])
    assert result.output.splitlines()[-1].split() == ["notulen", "Notulen", "Sekretaris", "Daerah"]
    result = runner.invoke(cli, [*base, "--lang", "en", "checklist", "show", "AG-1"])
    assert "laporan              not needed" in result.output
    result = runner.invoke(cli, [*base, "trail", "AG-1"])
    assert "undangan · undangan.pdf" in result.output


def test_reports_of_the_json_contract_gain_only_an_extra_key(runtime):
    held(runtime, "AG-1")
    report = reports.report(runtime.fresh(), parse_period("2020-Q1"), now(), "id")
    assert list(report) == ["period", "as_of", "indicators"]
