"""Every setting of a target is kept: the value, who set it, why and when; one target per indicator and year,
under an id derived from both, so a change is a change of the same target."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, uuid5

import pytest

from domain.targets import InvalidTargetError, InvalidYearError, UnknownIndicatorError, target_id
from domain.times import now
from projections import read


def test_target_id_is_derived_from_year_and_indicator_and_stable_across_versions():
    """Stores written by earlier versions hold targets under these ids: a new derivation would orphan them."""
    namespace = uuid5(NAMESPACE_URL, "https://iku-humas/target")
    assert target_id(2020, "published") == uuid5(namespace, "2020:published")
    assert str(target_id(2020, "published")) == str(uuid5(namespace, "2020:published"))
    assert len({target_id(2020, "published"), target_id(2021, "published"), target_id(2020, "documented")}) == 3


def test_target_setting_records_value_reason_actor_and_time(runtime, clock):
    runtime.log.set_target(2020, "published", "87,125", reason="Perjanjian Kinerja 2020", actor="kabag")
    first = clock.current
    runtime.log.set_target("2020", " published ", 90, reason="Perubahan PK", actor="sekretaris")
    second = clock.current
    rows = read.targets.target_history(runtime.fresh(), 2020)
    assert [(r["year"], r["code"], r["value"], r["reason"], r["actor"], r["recorded_at"]) for r in rows] == [
        (2020, "published", "87.13", "Perjanjian Kinerja 2020", "kabag", first),
        (2020, "published", "90.00", "Perubahan PK", "sekretaris", second),
    ]
    assert first == datetime(2021, 1, 1, 0, 1, tzinfo=UTC)
    assert {r["target_id"] for r in rows} == {target_id(2020, "published").hex}


def test_target_of_another_year_or_indicator_is_another_target(runtime):
    runtime.log.set_target(2020, "published", "80", reason="PK 2020", actor="kabag")
    runtime.log.set_target(2021, "published", "85", reason="PK 2021", actor="kabag")
    runtime.log.set_target(2020, "documented", "70", reason="PK 2020", actor="kabag")
    db = runtime.fresh()
    assert read.targets.targets(db, 2020, now()) == {"published": Decimal("80.00"), "documented": Decimal("70.00")}
    assert read.targets.targets(db, 2021, now()) == {"published": Decimal("85.00")}
    assert [(r["year"], r["code"], r["target_id"]) for r in read.targets.target_history(db)] == [
        (2020, "documented", target_id(2020, "documented").hex),
        (2020, "published", target_id(2020, "published").hex),
        (2021, "published", target_id(2021, "published").hex),
    ]


@pytest.mark.parametrize("year,code,value,error", [
    (1899, "published", "80", InvalidYearError),
    (3000, "published", "80", InvalidYearError),
    (2020, "held", "80", UnknownIndicatorError),
    (2020, "published", "1000.01", InvalidTargetError),
    (2020, "published", "nan", InvalidTargetError),
])
def test_target_refused_stores_nothing(runtime, year, code, value, error):
    with pytest.raises(error):
        runtime.log.set_target(year, code, value, reason="PK", actor="kabag")
    assert read.targets.target_history(runtime.fresh()) == []
