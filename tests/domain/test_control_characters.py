"""No control character (NUL, escape, …) is stored in any text a person typed; references with `/` are fine."""

from __future__ import annotations

import pytest

from domain import errors
from domain.activity import activity_id, check_reference
from domain.times import parse_instant
from projections import queries

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
    assert [e["note"] for e in queries.trail(runtime.fresh(), "AG-1")["events"]] == ["baris satu\nbaris dua"]


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
