"""The Manual IKU as versioned data: which version of an indicator is in force for a year as known at a
moment, what a definition must hold, and a closed year that refuses a definition that would change it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from domain.errors import MissingFieldError, TextTooLongError
from domain.indicators import (
    BY_CODE,
    SEED,
    ExclusionNotAllowedError,
    IndicatorManual,
    InvalidDefinitionError,
    InvalidIndicatorCodeError,
    UnknownIndicatorError,
    channel_key,
    check_definition,
    in_force,
    version_for,
)
from domain.targets import InvalidYearError
from domain.times import UTC, now
from projections import read
from tests.conftest import SteppingClock, open_runtime

DARING = {"code": "walikota_daring", "numerator_kind": "published",
          "name": "Prosentase kegiatan Walikota yang dipublikasikan di media daring",
          "definition": "Kegiatan Walikota yang dipublikasikan di website atau media daring",
          "formula": "Kegiatan Walikota yang dipublikasikan daring / kegiatan Walikota terlaksana × 100%",
          "channels": "website; Media Online", "leaders": "walikota", "exclusion_reasons": "tertutup",
          "effective_from": "2021"}


def version(code: str = "published", year: int = 1900, **changes) -> object:
    return replace(BY_CODE.get(code, SEED[0]), code=code, effective_from=year, **changes)


def test_the_seed_is_in_force_for_every_year_until_a_version_says_otherwise():
    assert in_force([], 1900) == SEED == in_force([], 2999)
    later = version(year=2021, name="Baru")
    assert in_force([later], 2020) == SEED
    assert in_force([later], 2021)[0].name == "Baru" and in_force([later], 2030)[0].name == "Baru"
    assert [i.code for i in in_force([later], 2021)] == ["published", "documented", "protocol_served"]


def test_of_two_versions_the_latest_year_wins_and_of_one_year_the_later_recorded():
    v2021, v2023, again2021 = version(year=2021, name="A"), version(year=2023, name="B"), version(year=2021, name="C")
    versions = [v2023, v2021, again2021]  # in recording order: a 2021 version recorded after the 2023 one
    assert version_for(versions, "published", 2020) is SEED[0]
    assert version_for(versions, "published", 2021).name == "C"
    assert version_for(versions, "published", 2022).name == "C"
    assert version_for(versions, "published", 2023).name == "B"
    assert version_for(versions, "nothing", 2023) is None


def test_a_new_indicator_follows_the_seed_in_the_order_first_recorded_and_a_retired_one_leaves():
    first, second = version("zeta_baru", 2021), version("alpha_baru", 2022)
    retired = replace(first, effective_from=2024, active=False)
    assert [i.code for i in in_force([first, second], 2022)] == [*BY_CODE, "zeta_baru", "alpha_baru"]
    assert [i.code for i in in_force([first, second], 2021)] == [*BY_CODE, "zeta_baru"]
    assert [i.code for i in in_force([first, second, retired], 2023)][-2:] == ["zeta_baru", "alpha_baru"]
    assert [i.code for i in in_force([first, second, retired], 2024)] == [*BY_CODE, "alpha_baru"]
    seed_retired = replace(SEED[1], effective_from=2025, active=False)
    assert [i.code for i in in_force([seed_retired], 2025)] == ["published", "protocol_served"]
    assert [i.code for i in in_force([seed_retired], 2024)] == list(BY_CODE)


def test_a_definition_from_a_form_is_checked_field_by_field():
    checked = check_definition(DARING)
    assert (checked.code, checked.numerator_kind, checked.channels, checked.leaders, checked.exclusion_reasons,
            checked.effective_from, checked.higher_is_better, checked.unit, checked.frequency) == (
        "walikota_daring", "published", ("website", "media online"), ("walikota",), ("tertutup",), 2021, True, "%",
        "triwulanan")
    assert check_definition({**DARING, "leaders": ["sekda", "walikota", "sekda"]}).leaders == ("walikota", "sekda")
    assert check_definition({**DARING, "higher_is_better": "turun"}).higher_is_better is False
    assert check_definition({**DARING, "renstra_target": "95,5"}).renstra_target == "95.50"
    assert check_definition({**DARING, "channels": ""}).channels == ()


@pytest.mark.parametrize(("change", "error", "field"), [
    ({"code": "Walikota"}, InvalidIndicatorCodeError, "code"),
    ({"code": "w"}, InvalidIndicatorCodeError, "code"),
    ({"code": "a" * 41}, InvalidIndicatorCodeError, "code"),
    ({"code": "9abc"}, InvalidIndicatorCodeError, "code"),
    ({"numerator_kind": "held"}, InvalidDefinitionError, "numerator_kind"),
    ({"numerator_kind": ""}, MissingFieldError, "numerator_kind"),
    ({"leaders": "walikota;bupati"}, InvalidDefinitionError, "leaders"),
    ({"leaders": ""}, MissingFieldError, "leaders"),
    ({"exclusion_reasons": "libur"}, InvalidDefinitionError, "exclusion_reasons"),
    ({"frequency": "mingguan"}, InvalidDefinitionError, "frequency"),
    ({"higher_is_better": "ya"}, InvalidDefinitionError, "higher_is_better"),
    ({"name": " "}, MissingFieldError, "name"),
    ({"formula": ""}, MissingFieldError, "formula"),
    ({"definition": "x" * 2001}, TextTooLongError, "definition"),
    ({"effective_from": "1899"}, InvalidYearError, None),
    ({"effective_from": ""}, InvalidYearError, None),
])
def test_a_definition_that_the_counting_rule_cannot_read_is_refused(change, error, field):
    with pytest.raises(error) as refused:
        check_definition({**DARING, **change})
    if field is not None:
        assert field in (refused.value.params.get("field"), refused.value.input_field)


def test_channels_compare_trimmed_with_ascii_letters_in_any_case():
    checked = check_definition(DARING)
    assert checked.counts_channel(" WEBSITE ") and checked.counts_channel("media ONLINE")
    assert not checked.counts_channel("instagram") and not checked.counts_channel("websites")
    assert channel_key("Média") == "média"  # only ASCII letters change, as SQLite's lower() does
    assert SEED[0].counts_channel("anything")


def test_the_manual_aggregate_keeps_every_version_and_retires_from_a_year():
    manual = IndicatorManual.open(actor="admin")
    manual.define(check_definition(DARING), reason="Renstra 2021-2026", actor="admin")
    manual.retire("walikota_daring", 2027, reason="Renstra baru", actor="admin")
    assert [(v.code, v.effective_from, v.active) for v in manual.versions] == [
        ("walikota_daring", 2021, True), ("walikota_daring", 2027, False)]
    with pytest.raises(UnknownIndicatorError):
        manual.retire("walikota_daring", 2028, reason="lagi", actor="admin")  # already retired by then
    with pytest.raises(UnknownIndicatorError):
        manual.retire("walikota_daring", 2020, reason="sebelum ada", actor="admin")
    with pytest.raises(MissingFieldError):
        manual.define(check_definition(DARING), reason=" ", actor="admin")


def test_the_read_model_answers_which_versions_were_known_at_a_moment(tmp_path):
    clock = SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as runtime:
        before = clock.current
        runtime.applied(runtime.log.define_indicator(DARING, reason="Renstra", actor="admin"))
        defined = clock.current
        runtime.applied(runtime.log.define_indicator({**DARING, "leaders": "walikota;sekda"}, reason="ubah",
                                                     actor="admin"))
        runtime.applied(runtime.log.retire_indicator("documented", "2022", reason="dihapus", actor="admin"))
        db = runtime.fresh()
        assert [i.code for i in read.manual.indicators(db, 2021, before)] == list(BY_CODE)
        assert read.manual.indicators(db, 2021, defined)[-1].leaders == ("walikota",)
        assert read.manual.indicators(db, 2021, now())[-1].leaders == ("walikota", "sekda")
        assert [i.code for i in read.manual.indicators(db, 2022, now())] == [
            "published", "protocol_served", "walikota_daring"]
        assert [i.code for i in read.manual.indicators(db, 2020, now())] == list(BY_CODE)
        history = read.manual.history(db)
        assert [(h["code"], h["effective_from"], h["active"], h["actor"], h["reason"]) for h in history] == [
            ("walikota_daring", 2021, 1, "admin", "Renstra"), ("walikota_daring", 2021, 1, "admin", "ubah"),
            ("documented", 2022, 0, "admin", "dihapus")]
        assert history[2]["indicator"].name == SEED[1].name  # a retirement repeats the version it ends
        assert runtime.log.indicators(2022) == read.manual.indicators(db, 2022, now())
        kinds = [row["kind"] for row in db.query("SELECT kind FROM events ORDER BY position")]
        assert kinds == ["manual_opened", "indicator_defined", "indicator_defined", "indicator_retired"]
        runtime.rebuild()
        assert read.manual.history(runtime.db) == history


def test_a_target_or_narrative_names_an_indicator_in_force_for_its_year(tmp_path):
    with open_runtime("sqlite", tmp_path / "data") as runtime:
        runtime.applied(runtime.log.define_indicator(DARING, reason="Renstra", actor="admin"))
        with pytest.raises(UnknownIndicatorError) as refused:
            runtime.log.set_target(2020, "walikota_daring", "90", reason="PK", actor="admin")
        assert refused.value.params["choices"] == "published, documented, protocol_served"
        runtime.applied(runtime.log.set_target(2021, "walikota_daring", "90", reason="PK", actor="admin"))
        assert read.targets.targets(runtime.fresh(), 2021, now()) == {"walikota_daring": 90}


def closed_log():
    from domain.application import ActivityLog
    from tests.closing.test_cycle import ACCOUNTS, Clock

    log = ActivityLog(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=Clock())
    for name, role in ACCOUNTS.items():
        log.add_account(name, role=role, password_hash="x", actor="setup")
    return log


def test_a_definition_is_refused_while_a_period_of_its_year_or_a_later_one_is_closed():
    from domain.closing import PeriodClosedError
    from tests.closing.test_cycle import close

    log = closed_log()
    close(log, "2020-Q4")
    for year in ("2019", "2020"):
        with pytest.raises(PeriodClosedError):
            log.define_indicator({**DARING, "effective_from": year}, reason="x", actor="admin")
        with pytest.raises(PeriodClosedError):
            log.retire_indicator("published", year, reason="x", actor="admin")
    log.define_indicator(DARING, reason="Renstra", actor="admin")  # from 2021: nothing of it is closed
    assert [v.code for v in log.manual_versions()] == ["walikota_daring"]
    log.take_step("2020-Q4", "reopen", actor="kabag", reason="definisi diperbaiki")
    log.define_indicator({**DARING, "effective_from": "2020"}, reason="x", actor="admin")


def test_an_exclusion_changes_the_held_days_periods_so_a_closed_one_refuses_it_and_its_withdrawal():
    from domain.closing import PeriodClosedError
    from domain.times import parse_instant
    from tests.closing.test_cycle import close

    log = closed_log()
    log.schedule("AG-1", title="Rapat", leaders=["walikota"], location="", occurred_at=parse_instant("2020-03-31T23:59"),
                 actor="siti")
    log.hold("AG-1", occurred_at=parse_instant("2020-03-31T23:59"), actor="siti")  # the last minute of Q1 (WIB)
    log.record("excluded", "AG-1", indicator="published", exclusion_reason="tertutup", note="rapat terbatas",
               occurred_at=parse_instant("2020-04-01T08:00"), actor="siti")
    close(log, "2020-Q1")
    with pytest.raises(PeriodClosedError):
        log.record("excluded", "AG-1", indicator="documented", exclusion_reason="diwakilkan", note="wakil",
                   occurred_at=parse_instant("2020-04-01T08:00"), actor="siti")
    with pytest.raises(PeriodClosedError):
        log.record("withdrawn", "AG-1", withdrawn_kind="excluded", evidence_ref="published", reason="salah",
                   occurred_at=parse_instant("2020-04-01T09:00"), actor="siti")


def test_an_exclusion_needs_a_reason_the_definition_allows():
    from domain.activity import Activity
    from domain.times import WIB

    activity = Activity.schedule(reference="AG-1", title="Rapat", leaders=["walikota"], location="",
                                 occurred_at=datetime(2020, 3, 2, 9, tzinfo=WIB), actor="siti")
    activity.hold(occurred_at=datetime(2020, 3, 2, 9, tzinfo=WIB), actor="siti")
    none_allowed = replace(SEED[0], exclusion_reasons=())
    with pytest.raises(ExclusionNotAllowedError) as refused:
        activity.exclude(none_allowed, exclusion_reason="tertutup", note="rapat", actor="siti",
                         occurred_at=datetime(2020, 3, 2, 10, tzinfo=WIB))
    assert refused.value.params == {"code": "published", "reason": "tertutup", "allowed": "-"}
