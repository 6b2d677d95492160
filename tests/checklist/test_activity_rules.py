"""The Activity's checklist and link-check rules with the exact values each event and refusal carries."""

from __future__ import annotations

import pytest

from domain.errors import (
    AlreadyNotApplicableError,
    DocumentAlreadyAttachedError,
    DocumentNotApplicableError,
    MissingFieldError,
    NothingToCheckError,
)
from domain.times import parse_instant
from projections.evidencemodel import archive_name
from tests.checklist.test_checklist import held, sha
from tests.projections.oracle import stored_events

T = parse_instant


def last_event(runtime):
    return stored_events(runtime.log)[-1]


def attach(runtime, reference="AG-1", kind="foto", name="foto.jpg", **fields):
    batch = runtime.batch()
    batch.attach_document(reference, kind, sha256=sha(name), name=name, size=10, media_type="image/jpeg",
                          occurred_at=T("2020-02-04T08:00"), **{"actor": "siti", **fields})
    runtime.commit(batch)
    return batch


def mark(runtime, reference="AG-1", kind="naskah_sambutan", **fields):
    batch = runtime.batch()
    batch.mark_not_applicable(reference, kind, occurred_at=T("2020-02-04T08:00"),
                              **{"reason": "tanpa sambutan", "actor": "siti", **fields})
    runtime.commit(batch)
    return batch


def check(runtime, url="https://a", reference="AG-1", **fields):
    batch = runtime.batch()
    batch.record_link_check(reference, url=url, checked_at=T("2020-03-01T10:00"),
                            **{"status": 200, "error": "", "final_url": url, "content_type": "text/html",
                               "sha256": sha("page"), "actor": "pemeriksa-tautan", **fields})
    runtime.commit(batch)


def test_a_documents_event_holds_what_was_given_and_defaults_to_nothing_more(runtime):
    held(runtime, "AG-1")
    attach(runtime)
    event = last_event(runtime)
    assert (event.document, event.sha256, event.name, event.size, event.media_type, event.actor, event.note,
            event.submission_id, event.timestamp) == ("foto", sha("foto.jpg"), "foto.jpg", 10, "image/jpeg", "siti",
                                                      "", "", runtime.clock.current)
    mark(runtime)
    event = last_event(runtime)
    assert (event.document, event.note, event.actor, event.submission_id, event.timestamp) == (
        "naskah_sambutan", "tanpa sambutan", "siti", "", runtime.clock.current)


def test_a_repeated_form_submission_records_nothing_again(runtime):
    held(runtime, "AG-1")
    attach(runtime, submission_id="form-1")
    assert last_event(runtime).submission_id == "form-1"
    assert attach(runtime, submission_id="form-1").repeated == 1
    mark(runtime, submission_id="form-2")
    assert last_event(runtime).submission_id == "form-2"
    head = runtime.log.recorder.max_notification_id()
    assert mark(runtime, submission_id="form-2").repeated == 1
    assert runtime.log.recorder.max_notification_id() == head


@pytest.mark.parametrize("step", [attach, mark, check])
def test_each_step_needs_its_actor(runtime, step):
    held(runtime, "AG-1")
    runtime.record("published", "AG-1", occurred_at=T("2020-02-03T10:00"), channel="web", evidence_ref="https://a",
                   actor="siti")
    with pytest.raises(MissingFieldError) as refused:
        step(runtime, actor=" ")
    assert refused.value.params == {"field": "actor"}


def test_each_refusal_names_the_activity_and_the_kind(runtime):
    held(runtime, "AG-1")
    attach(runtime, kind="foto")
    mark(runtime, kind="naskah_sambutan")
    named = {"reference": "AG-1", "document": "foto", "label": "Foto"}
    with pytest.raises(DocumentAlreadyAttachedError) as refused:
        attach(runtime, kind="foto")
    assert refused.value.params == named
    with pytest.raises(DocumentAlreadyAttachedError) as refused:
        mark(runtime, kind="foto")
    assert refused.value.params == named
    speech = {"reference": "AG-1", "document": "naskah_sambutan", "label": "Naskah sambutan"}
    with pytest.raises(DocumentNotApplicableError) as refused:
        attach(runtime, kind="naskah_sambutan")
    assert refused.value.params == speech
    with pytest.raises(AlreadyNotApplicableError) as refused:
        mark(runtime, kind="naskah_sambutan")
    assert refused.value.params == speech
    with pytest.raises(NothingToCheckError) as refused:
        check(runtime, url="https://tidak-ada")
    assert refused.value.params == {"reference": "AG-1", "url": "https://tidak-ada"}


def test_a_link_check_names_its_publication_and_keeps_only_the_first_copy(runtime):
    held(runtime, "AG-1")
    for url in ("https://a", "https://b"):
        runtime.record("published", "AG-1", occurred_at=T("2020-02-03T10:00"), channel="web", evidence_ref=url,
                       actor="siti")
    check(runtime, url="https://b", final_url="https://b/" + "x" * 2100, content_type="text/" + "h" * 300)
    event = last_event(runtime)
    assert (event.url, event.target, event.archive_sha256, event.archive_size, event.changed, event.note,
            event.timestamp) == ("https://b", 4, "", 0, False, "", runtime.clock.current)
    assert (len(event.final_url), len(event.content_type)) == (2000, 200)
    check(runtime, url="https://a", sha256=sha("other"), archive_sha256=sha("other"), archive_size=5)
    event = last_event(runtime)
    assert (event.target, event.archive_sha256, event.archive_size, event.changed) == (3, sha("other"), 5, False)
    check(runtime, url="https://a", sha256=sha("third"), archive_sha256=sha("third"), archive_size=7)
    event = last_event(runtime)
    assert (event.archive_sha256, event.archive_size, event.changed) == ("", 0, True)  # a second copy: not kept
    check(runtime, url="https://a", status=0, error="timeout", sha256="")
    assert last_event(runtime).changed is False  # nothing read: nothing to compare
    check(runtime, url="https://a", sha256=sha("third"))
    assert last_event(runtime).changed is False  # the same page as the last one read


@pytest.mark.parametrize(("url", "content_type", "name"), [
    ("https://portal.go.id/berita/2020/apel-pagi", "text/html", "portal.go.id_berita_2020_apel-pagi.html"),
    ("https://portal.go.id/a.b/", "application/xhtml+xml", "portal.go.id_a.b.html"),
    ("http://x.id/foto", "image/jpeg", "x.id_foto.jpg"),
    ("http://x.id/foto", "image/png", "x.id_foto.png"),
    ("http://x.id/foto", "image/webp", "x.id_foto.webp"),
    ("http://x.id/foto", "image/gif", "x.id_foto.gif"),
    ("http://x.id/data", "application/json", "x.id_data.bin"),
    ("https:///..", "text/html", "tautan.html"),
    ("https://a.id/" + "p" * 200, "text/html", "a.id_" + "p" * 115 + ".html"),
    ("https://a.id/_x_.", "text/html", "a.id__x.html"),
    ("https://a.id/FOTO-X", "image/png", "a.id_FOTO-X.png"),
    ("http://_/", "text/html", "tautan.html"),
])
def test_an_archived_copy_is_named_after_its_page(url, content_type, name):
    assert archive_name(url, content_type) == name


def test_a_dead_links_check_is_recorded_at_its_own_time(runtime):
    held(runtime, "AG-1")
    runtime.record("published", "AG-1", occurred_at=T("2020-02-03T10:00"), channel="web", evidence_ref="https://a",
                   actor="siti")
    check(runtime, status=404, sha256="")
    event = last_event(runtime)
    assert (event.occurred_at, event.status, event.error, event.sha256) == (T("2020-03-01T10:00"), 404, "", "")


def test_a_documents_file_name_is_kept_to_its_last_200_characters(runtime):
    held(runtime, "AG-1")
    attach(runtime, name="")
    assert last_event(runtime).name == "berkas"
    attach(runtime, name="a" * 300 + ".pdf")
    assert last_event(runtime).name == ("a" * 300 + ".pdf")[-200:]
