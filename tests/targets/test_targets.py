"""Targets as events, the target in force at the as-of time, and capaian by the Indonesian convention."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.indicators import BY_CODE
from domain.periods import parse_period
from domain.targets import InvalidTargetError, UnknownIndicatorError, capaian, predikat
from domain.times import now, parse_instant
from projections import read
from services import reports

T = parse_instant
PUBLISHED = BY_CODE["published"]


@pytest.mark.parametrize("realisasi,target,expected", [
    (Decimal("85.71"), Decimal("100"), Decimal("85.71")),
    (Decimal("94"), Decimal("80"), Decimal("117.50")),   # above target: reported as is
    (Decimal("50"), Decimal("0"), None),                  # a ratio to a zero target is undefined
    (None, Decimal("100"), None),                         # no held activity: no realisasi
    (Decimal("2"), Decimal("3"), Decimal("66.67")),
])
def test_capaian_higher_is_better(realisasi, target, expected):
    assert capaian(PUBLISHED, realisasi, target) == expected


def test_capaian_lower_is_better():
    lower = replace(PUBLISHED, higher_is_better=False)
    assert capaian(lower, Decimal("8"), Decimal("10")) == Decimal("120.00")
    assert capaian(lower, Decimal("12"), Decimal("10")) == Decimal("80.00")


@pytest.mark.parametrize("value,name", [(Decimal("113"), "Sangat Baik"), (Decimal("90"), "Sangat Baik"),
                                        (Decimal("89.99"), "Baik"), (Decimal("40"), "Sangat Kurang"), (None, None)])
def test_predikat_bands(value, name):
    assert predikat(value) == name


def test_target_in_force_is_the_one_recorded_by_the_as_of_time(runtime, clock):
    runtime.record("scheduled", "AG-1", title="Rapat", leaders=["sekda"], location="", occurred_at=T("2020-02-01"),
                   actor="siti")
    runtime.record("held", "AG-1", occurred_at=T("2020-02-01T09:00"), actor="siti")
    runtime.log.set_target(2020, "published", "100", reason="Renstra", actor="kabag")
    first = clock.current
    clock.advance(timedelta(days=180))
    runtime.log.set_target(2020, "published", "80", reason="Perubahan Renstra", actor="kabag")
    db = runtime.fresh()
    assert read.targets.targets(db, 2020, first)["published"] == Decimal("100.00")
    assert read.targets.targets(db, 2020, now())["published"] == Decimal("80.00")
    assert read.targets.targets(db, 2020, first - timedelta(minutes=5)) == {}
    report = reports.report(db, parse_period("2020"), now(), "id", stated=False)
    published = report["indicators"][0]
    assert list(published)[:5] == ["code", "name", "numerator", "denominator", "percent"]
    assert (published["percent"], published["target"], published["capaian"]) == (0.0, 80.0, 0.0)
    assert [r["value"] for r in read.targets.target_history(db, 2020)] == ["100.00", "80.00"]
    before = read.targets.target_history(db)
    runtime.rebuild()
    assert read.targets.target_history(runtime.db) == before


@pytest.mark.parametrize("args,error", [((2020, "unknown", "100"), UnknownIndicatorError),
                                        ((2020, "published", "-1"), InvalidTargetError),
                                        ((2020, "published", "banyak"), InvalidTargetError)])
def test_bad_targets_are_refused(runtime, args, error):
    with pytest.raises(error):
        runtime.log.set_target(*args, reason="x", actor="kabag")


def test_target_commands_and_report(tmp_path):
    runner = CliRunner()

    def iku(*args):
        return runner.invoke(cli, ["--data-dir", str(tmp_path), *args])

    assert iku("target", "set", "2020", "published", "80", "--reason", "Renstra").exit_code == 0
    assert iku("target", "set", "2020", "published", "abc", "--reason", "x").exit_code != 0
    assert "80,00%" in iku("target", "list", "2020").stdout
    report = json.loads(iku("report", "2020", "--format", "json").stdout)
    assert report["indicators"][0]["target"] == 80.0 and report["indicators"][0]["capaian"] is None
