"""No control character (NUL, escape, …) is stored in any text a person typed; references with `/` are fine."""

from __future__ import annotations

import pytest

from domain import errors
from domain.activity import activity_id, check_reference
from domain.text import check_plain
from domain.times import parse_instant
from projections import read

WHEN = parse_instant("2020-03-02T09:00")


@pytest.mark.parametrize("reference", ["AG-1\x00", "\x00AG-1", "AG-\x1b1", "AG-1\x7f", "AG-1\x85", "\tAG-1\x0b"])
def test_a_reference_with_a_control_character_at_either_end_or_inside_is_refused(reference):
    with pytest.raises(errors.InvalidReferenceError):
        check_reference(reference)


def test_a_reference_with_slashes_is_an_office_numbering_style_and_accepted():
    assert check_reference(" 005/HUMAS/2025 ") == "005/HUMAS/2025"
    assert activity_id("005/HUMAS/2025") == activity_id("005/HUMAS/2025 ")


@pytest.mark.parametrize("field", ["title", "location"])
@pytest.mark.parametrize("bad", ["Rapat\x00", "Ra\x1bpat", "Rapat\nkedua"])
def test_a_single_line_field_with_a_control_character_is_refused_and_nothing_stored(runtime, field, bad):
    fields = {"title": "Rapat", "location": "Balai Kota", field: bad}
    with pytest.raises(errors.ControlCharacterError) as refused:
        runtime.record("scheduled", "AG-1", leaders=["sekda"], occurred_at=WHEN, actor="siti", **fields)
    assert refused.value.input_field == field
    assert runtime.follower.head() == 0


def test_a_note_may_run_over_lines_but_holds_no_other_control_character(runtime):
    runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=WHEN,
                   actor="siti", note="baris satu\nbaris dua")
    with pytest.raises(errors.ControlCharacterError):
        runtime.record("held", "AG-1", occurred_at=WHEN, actor="siti", note="ada\x00nul")
    assert [e["note"] for e in read.activities.trail(runtime.fresh(), "AG-1")["events"]] == ["baris satu\nbaris dua"]


@pytest.mark.parametrize("kind", ["published", "documented", "protocol_served"])
def test_evidence_fields_refuse_control_characters(runtime, kind):
    runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=WHEN,
                   actor="siti")
    runtime.record("held", "AG-1", occurred_at=WHEN, actor="siti")
    with pytest.raises(errors.ControlCharacterError):
        runtime.record(kind, "AG-1", occurred_at=WHEN, channel="web\x00site", evidence_ref="x", actor="siti")
    with pytest.raises(errors.ControlCharacterError):
        runtime.record(kind, "AG-1", occurred_at=WHEN, channel="website", evidence_ref="https://x/\x07", actor="siti")


def test_a_profile_value_with_a_control_character_is_refused(runtime):
    with pytest.raises(errors.ControlCharacterError):
        runtime.log.set_profile("pemda", "Kota\x00Mojokerto", actor="admin")
    with pytest.raises(errors.ControlCharacterError):
        runtime.log.set_target(2020, "published", "90", reason="PK\x1b", actor="admin")


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x9f"])
@pytest.mark.parametrize("field", ["title", "note", "reason"])
def test_every_control_character_but_tab_and_line_breaks_is_refused_in_any_field(field, char):
    with pytest.raises(errors.ControlCharacterError) as refused:
        check_plain(field, f"a{char}b")
    assert refused.value.input_field == field


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
@pytest.mark.parametrize("field", ["note", "reason"])
def test_tab_and_line_breaks_are_kept_where_a_field_may_run_over_lines(field, char):
    assert check_plain(field, f"baris{char}dua") == f"baris{char}dua"


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
@pytest.mark.parametrize("field", ["title", "location", "channel", "evidence_ref", "actor"])
def test_tab_and_line_breaks_are_refused_in_a_single_line_field(field, char):
    with pytest.raises(errors.ControlCharacterError):
        check_plain(field, f"baris{char}dua")


@pytest.mark.parametrize("text", [" ~ ", "\xa0Balai\u00a0Kota", "Rapat  ", "Walikota Mojokerto ✓"])
def test_printable_text_next_to_the_control_ranges_is_returned_as_it_is(text):
    assert check_plain("title", text) == text and check_plain("note", text) == text
