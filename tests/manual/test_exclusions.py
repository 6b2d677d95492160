"""Exclusions (dikecualikan): an activity outside one indicator's denominator for a reason its definition
allows, withdrawable like any fact, counted as of a moment, listed in the drill-down and printed in reports."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.errors import (
    AlreadyExcludedError,
    MissingFieldError,
    NotHeldError,
    NothingToWithdrawError,
    OtherLeadersError,
)
from domain.indicators import BY_CODE, ExclusionNotAllowedError, UnknownIndicatorError
from domain.periods import parse_period
from domain.times import now, parse_instant
from projections import read
from services import reports
from tests.manual.test_definitions import DARING

T = parse_instant


def held(runtime, reference: str, when: str, leaders=("walikota",), **facts: str) -> None:
    runtime.record("scheduled", reference, title=f"Rapat {reference}", leaders=list(leaders), location="Aula",
                   occurred_at=T(when), actor="siti")
    runtime.record("held", reference, occurred_at=T(when), actor="siti")
    for kind, channel in facts.items():
        runtime.record(kind, reference, occurred_at=T(when), channel=channel, evidence_ref=f"https://x/{reference}",
                       actor="siti")


def exclude(runtime, reference: str, code: str = "published", reason: str = "tertutup") -> None:
    runtime.record("excluded", reference, indicator=code, exclusion_reason=reason, note="rapat terbatas",
                   occurred_at=T("2020-04-01T08:00"), actor="siti")


def figures(runtime, period: str = "2020-Q1", as_of=None) -> dict:
    rows = reports.report(runtime.fresh(), parse_period(period), as_of or now(), "id")["indicators"]
    return {row["code"]: (row["numerator"], row["denominator"], row["excluded"]) for row in rows}


def test_an_excluded_activity_leaves_that_indicators_denominator_only(runtime):
    held(runtime, "AG-1", "2020-02-03T09:00", published="web", documented="foto")
    held(runtime, "AG-2", "2020-02-04T09:00", published="web")
    held(runtime, "AG-3", "2020-02-05T09:00")
    exclude(runtime, "AG-1")  # published, though it was: its numerator goes too
    exclude(runtime, "AG-3", "documented", "diwakilkan")
    assert figures(runtime) == {"published": (1, 2, 1), "documented": (1, 2, 1), "protocol_served": (0, 3, 0)}
    row = reports.report(runtime.fresh(), parse_period("2020-Q1"), now(), "id")["indicators"][0]
    assert (row["percent"], row["exclusions"]) == (50.0, {"tertutup": 1})


def test_an_exclusion_counts_from_its_recording_and_its_withdrawal_brings_the_activity_back(runtime):
    held(runtime, "AG-1", "2020-02-03T09:00", published="web")
    held(runtime, "AG-2", "2020-02-04T09:00")
    before = runtime.clock.current
    exclude(runtime, "AG-2")
    excluded_at = runtime.clock.current
    runtime.record("withdrawn", "AG-2", withdrawn_kind="excluded", evidence_ref="published",
                   reason="ternyata terbuka untuk media", occurred_at=T("2020-04-02T08:00"), actor="kasubbag")
    withdrawn_at = runtime.clock.current
    assert figures(runtime, as_of=before)["published"] == (1, 2, 0)
    assert figures(runtime, as_of=excluded_at - timedelta(microseconds=1))["published"] == (1, 2, 0)
    assert figures(runtime, as_of=excluded_at)["published"] == (1, 1, 1)
    assert figures(runtime, as_of=withdrawn_at - timedelta(microseconds=1))["published"] == (1, 1, 1)
    assert figures(runtime, as_of=withdrawn_at)["published"] == (1, 2, 0)
    exclude(runtime, "AG-2", reason="diwakilkan")  # excluded again, for another reason
    assert reports.report(runtime.fresh(), parse_period("2020-Q1"), now(), "id")["indicators"][0]["exclusions"] == \
        {"diwakilkan": 1}


@pytest.mark.parametrize(("held_at", "quarter"), [
    ("2020-03-31T23:59", "2020-Q1"), ("2020-04-01T00:00", "2020-Q2"),
    ("2020-03-31T16:59Z", "2020-Q1"), ("2020-03-31T17:00Z", "2020-Q2"),
])
def test_an_exclusion_belongs_to_the_wib_day_the_activity_was_held(runtime, held_at, quarter):
    held(runtime, "AG-1", held_at, published="web")
    exclude(runtime, "AG-1")
    other = "2020-Q2" if quarter == "2020-Q1" else "2020-Q1"
    assert figures(runtime, quarter)["published"] == (0, 0, 1)
    assert figures(runtime, other)["published"] == (0, 0, 0)
    assert figures(runtime, "2020")["published"] == (0, 0, 1)


def test_an_activity_of_other_leaders_is_in_no_exclusion_count_of_an_indicator_of_one_leader(runtime):
    runtime.applied(runtime.log.define_indicator({**DARING, "effective_from": "2020"}, reason="uji", actor="admin"))
    held(runtime, "AG-1", "2020-02-03T09:00", leaders=("sekda",), published="website")
    held(runtime, "AG-2", "2020-02-04T09:00", leaders=("walikota", "sekda"), published=" Media ONLINE ")
    held(runtime, "AG-3", "2020-02-05T09:00", leaders=("walikota",), published="instagram")
    held(runtime, "AG-4", "2020-02-06T09:00", leaders=("walikota",), published="website")
    exclude(runtime, "AG-4", "walikota_daring")
    with pytest.raises(ExclusionNotAllowedError):  # the indicator allows only tertutup
        exclude(runtime, "AG-3", "walikota_daring", "diwakilkan")
    with pytest.raises(OtherLeadersError) as refused:  # not in its denominator: nothing to exclude it from
        exclude(runtime, "AG-1", "walikota_daring")
    assert refused.value.params == {"reference": "AG-1", "code": "walikota_daring", "leaders": "walikota"}
    assert figures(runtime)["walikota_daring"] == (1, 2, 1)  # AG-2 (media online) of AG-2, AG-3; AG-4 out
    assert figures(runtime)["published"] == (4, 4, 0)  # the seed indicator is untouched


def test_what_an_exclusion_needs(runtime):
    runtime.record("scheduled", "AG-1", title="Rapat", leaders=["walikota"], location="", actor="siti",
                   occurred_at=T("2020-02-03T09:00"))
    with pytest.raises(NotHeldError):
        exclude(runtime, "AG-1")
    runtime.record("held", "AG-1", occurred_at=T("2020-02-03T09:00"), actor="siti")
    with pytest.raises(UnknownIndicatorError):
        exclude(runtime, "AG-1", "walikota_daring")  # not defined for 2020
    with pytest.raises(ExclusionNotAllowedError) as refused:
        exclude(runtime, "AG-1", "documented", "tertutup")
    assert refused.value.params["allowed"] == "diwakilkan, bukan_kegiatan_pimpinan"
    with pytest.raises(MissingFieldError):
        runtime.record("excluded", "AG-1", indicator="published", exclusion_reason="tertutup", note=" ",
                       occurred_at=T("2020-04-01T08:00"), actor="siti")
    with pytest.raises(MissingFieldError):
        exclude(runtime, "AG-1", reason="")
    exclude(runtime, "AG-1", reason="TERTUTUP ")  # a reason is a code: trimmed, any case
    with pytest.raises(AlreadyExcludedError):
        exclude(runtime, "AG-1", reason="diwakilkan")
    with pytest.raises(NothingToWithdrawError):
        runtime.record("withdrawn", "AG-1", withdrawn_kind="excluded", evidence_ref="documented", reason="x",
                       occurred_at=T("2020-04-02T08:00"), actor="siti")
    stored = [row["kind"] for row in runtime.fresh().query("SELECT kind FROM events ORDER BY position")]
    assert stored == ["scheduled", "held", "excluded"]  # every refusal stored nothing


def test_a_version_that_allows_no_longer_a_reason_stops_counting_its_exclusions(runtime):
    held(runtime, "AG-1", "2020-02-03T09:00")
    exclude(runtime, "AG-1")
    recorded = runtime.clock.current
    runtime.applied(runtime.log.define_indicator(
        {**BY_CODE["published"].fields(), "exclusion_reasons": "diwakilkan", "effective_from": "2020"},
        reason="pengecualian tertutup dihapus", actor="admin"))
    assert figures(runtime, as_of=recorded)["published"] == (0, 0, 1)
    assert figures(runtime)["published"] == (0, 1, 0)


def test_the_drilldown_lists_excluded_activities_with_reason_note_and_who(runtime):
    held(runtime, "AG-1", "2020-02-03T09:00", published="web")
    held(runtime, "AG-2", "2020-02-04T09:00")
    exclude(runtime, "AG-2")
    result = read.indicators.drilldown(runtime.fresh(), parse_period("2020-Q1"), BY_CODE["published"], now(),
                                       page_size=10, missing_page=1, counted_page=1)
    assert (result["counted_total"], result["missing_total"], result["excluded_total"]) == (1, 0, 1)
    assert [(item["reference"], item["reason"], item["note"], item["actor"]) for item in result["excluded"]] == [
        ("AG-2", "tertutup", "rapat terbatas", "siti")]
    assert result["exclusions"] == {"tertutup": 1}
    assert read.indicators.drilldown(runtime.fresh(), parse_period("2020-Q2"), BY_CODE["published"], now(),
                                     page_size=10, missing_page=1, counted_page=1)["excluded"] == []


IMPORT = """activity,event,occurred_at,title,leaders,location,channel,reference,note
AG-1,scheduled,2020-03-02T09:00,Rapat terbatas,walikota,Aula,,,
AG-1,held,2020-03-02T09:00,,,,,,
AG-1,excluded,2020-03-02T12:00,,,,tertutup,published,rapat terbatas Forkopimda
AG-2,scheduled,2020-03-03T09:00,Pelantikan,sekda,Aula,,,
AG-2,held,2020-03-03T09:00,,,,,,
AG-2,published,2020-03-03T10:00,,,,website,https://x/2,
"""


def test_exclusions_import_print_in_the_report_and_a_bad_last_line_stores_nothing(tmp_path):
    runner = CliRunner()
    data = str(tmp_path / "data")
    bad = tmp_path / "bad.csv"
    bad.write_text(IMPORT + "AG-2,excluded,2020-03-03T12:00,,,,libur,documented,\n", encoding="utf-8")
    refused = runner.invoke(cli, ["--data-dir", data, "import", str(bad)])
    assert refused.exit_code != 0 and "line 8" in refused.output.replace("baris", "line")
    good = tmp_path / "good.csv"
    good.write_text(IMPORT, encoding="utf-8")
    assert runner.invoke(cli, ["--data-dir", data, "import", str(good)]).exit_code == 0
    report = json.loads(runner.invoke(cli, ["--data-dir", data, "report", "2020-Q1", "--format", "json"]).output)
    published = report["indicators"][0]
    assert (published["numerator"], published["denominator"], published["excluded"], published["exclusions"]) == (
        1, 1, 1, {"tertutup": 1})
    table = runner.invoke(cli, ["--data-dir", data, "report", "2020-Q1"]).output
    assert "1 kegiatan dikecualikan: 1 tertutup/rahasia" in table
    english = runner.invoke(cli, ["--data-dir", data, "--lang", "en", "report", "2020-Q1"]).output
    assert "1 activities excluded: 1 closed-door/confidential" in english
    said = runner.invoke(cli, ["--data-dir", data, "exclude", "AG-2", "published", "diwakilkan", "--note",
                               "diwakili asisten", "--actor", "siti"])
    assert said.exit_code == 0, said.output
    refused_cli = runner.invoke(cli, ["--data-dir", data, "exclude", "AG-2", "documented", "tertutup", "--note", "x"])
    assert refused_cli.exit_code == 1 and "tidak mengizinkan" in refused_cli.output
    assert "Traceback" not in refused_cli.output
