"""The one row decoder: every column means one thing, whichever table or query a row comes from."""

from datetime import datetime

from domain.times import UTC
from projections.rows import MOMENTS, decode


def test_moments_become_aware_datetimes_and_lists_are_split():
    row = {"occurred_at": "2020-03-31T16:59:00.000000Z", "recorded_at": "2020-04-01T00:00:00.000000Z",
           "withdrawn_at": None, "leaders": "walikota;sekda", "targets": "[3, 5]", "note": "2020-01-01"}
    assert decode(row) == {
        "occurred_at": datetime(2020, 3, 31, 16, 59, tzinfo=UTC), "recorded_at": datetime(2020, 4, 1, tzinfo=UTC),
        "withdrawn_at": None, "leaders": ["walikota", "sekda"], "targets": [3, 5], "note": "2020-01-01"}


def test_empty_lists_and_absent_columns_stay_as_they_are():
    assert decode({"leaders": "", "targets": ""}) == {"leaders": [], "targets": []}
    assert decode({"title": "Rapat"}) == {"title": "Rapat"}
    assert decode({"held_at": "", "planned_start": None}) == {"held_at": "", "planned_start": None}


def test_a_column_can_be_left_out_and_the_row_given_is_not_changed():
    row = {"username": "siti", "password_hash": "x", "created_at": "2026-11-27T01:00:00.000000Z"}
    assert decode(row, leave_out=["password_hash"]) == {
        "username": "siti", "created_at": datetime(2026, 11, 27, 1, tzinfo=UTC)}
    assert row["password_hash"] == "x" and isinstance(row["created_at"], str)


def test_every_moment_column_is_decoded():
    text = "2021-01-01T00:00:00.000000Z"
    assert decode(dict.fromkeys(MOMENTS, text)) == dict.fromkeys(MOMENTS, datetime(2021, 1, 1, tzinfo=UTC))
    assert set(MOMENTS) == {"occurred_at", "recorded_at", "withdrawn_at", "planned_start", "held_at", "scheduled_at",
                            "created_at", "changed_at", "as_of", "checked_at"}


def test_an_approvals_figures_are_decoded_and_a_step_without_them_has_none():
    assert decode({"figures": '[{"code": "published", "numerator": 1}]'})["figures"] == \
        [{"code": "published", "numerator": 1}]
    assert decode({"figures": None})["figures"] is None
