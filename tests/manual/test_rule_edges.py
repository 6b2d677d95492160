"""The Manual IKU's and the PK's rules at their edges, with exact values: what each refusal names, what each
event keeps (reason, who, when), and exclusions in the monthly counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import MissingFieldError
from domain.indicators import IndicatorManual, UnknownIndicatorError, check_definition
from domain.periods import parse_period
from domain.targets import (
    InvalidBasisDateError,
    InvalidQuarterError,
    NoOriginalTargetError,
    check_basis_date,
    check_quarter,
)
from domain.times import now, parse_instant
from projections import counting, read
from tests.manual.test_definitions import DARING

T = parse_instant


@pytest.mark.parametrize(("value", "quarter"), [("1", 1), (" 2 ", 2), ("Q3", 3), ("q4", 4), (4, 4), ("Q1 ", 1)])
def test_a_quarter_is_1_to_4_with_or_without_its_q(value, quarter):
    assert check_quarter(value) == quarter


@pytest.mark.parametrize("value", ["0", "5", "", "Q", "1Q", "QQ1", "I", "1.0", "-1", "Q 1", 12])
def test_any_other_quarter_is_refused_naming_what_was_given(value):
    with pytest.raises(InvalidQuarterError) as refused:
        check_quarter(value)
    assert refused.value.params == {"value": str(value)}


@pytest.mark.parametrize(("value", "day"), [("2020-06-15", date(2020, 6, 15)), (" 1900-01-01 ", date(1900, 1, 1)),
                                             ("2999-12-31", date(2999, 12, 31)), (date(2020, 2, 29), date(2020, 2, 29))])
def test_a_decrees_date_is_an_iso_day_in_the_domains_years(value, day):
    assert check_basis_date(value) == day


@pytest.mark.parametrize("value", ["15-06-2020", "2020-02-30", "", "kemarin", "1899-12-31", date(1899, 12, 31)])
def test_any_other_decree_date_is_refused_naming_what_was_given(value):
    with pytest.raises(InvalidBasisDateError) as refused:
        check_basis_date(value)
    assert refused.value.params == {"value": str(value)}


def test_a_revision_and_a_quarters_target_keep_their_value_decree_reason_who_and_when(runtime):
    clock = runtime.clock
    with pytest.raises(NoOriginalTargetError) as refused:
        runtime.log.revise_target(2020, "published", "80", basis_number="SK/1", basis_date="2020-06-15",
                                  reason="PK perubahan", actor="kabag")
    assert refused.value.params == {"year": 2020, "code": "published"}
    with pytest.raises(NoOriginalTargetError):
        runtime.log.set_quarter_target(2020, "published", "2", "70", reason="rencana aksi", actor="kabag")
    runtime.log.set_target(2020, "published", "85", reason="PK 2020", actor="kabag")
    first = clock.current
    runtime.log.revise_target(2020, " published ", "80,5", basis_number=" 188.45/12/2020 ", basis_date="2020-06-15",
                              reason="refocusing", actor="sekretaris")
    revised = clock.current
    runtime.log.set_quarter_target("2020", "published", "Q2", 70, reason="rencana aksi", actor="kasubbag")
    quartered = clock.current
    rows = [{key: row[key] for key in ("code", "kind", "value", "quarter", "basis_number", "basis_date", "reason",
                                       "actor", "recorded_at")} for row in read.targets.target_history(runtime.fresh())]
    assert rows == [
        {"code": "published", "kind": "awal", "value": "85.00", "quarter": None, "basis_number": None,
         "basis_date": None, "reason": "PK 2020", "actor": "kabag", "recorded_at": first},
        {"code": "published", "kind": "perubahan", "value": "80.50", "quarter": None, "basis_number": "188.45/12/2020",
         "basis_date": "2020-06-15", "reason": "refocusing", "actor": "sekretaris", "recorded_at": revised},
        {"code": "published", "kind": "triwulan", "value": "70.00", "quarter": 2, "basis_number": None,
         "basis_date": None, "reason": "rencana aksi", "actor": "kasubbag", "recorded_at": quartered},
    ]
    db = runtime.fresh()
    assert read.targets.pk_targets(db, 2020, first) == {"published": {
        "awal": Decimal("85.00"), "perubahan": None, "basis_number": None, "basis_date": None, "quarters": {},
        "in_force": Decimal("85.00")}}
    assert read.targets.pk_targets(db, 2020, now()) == {"published": {
        "awal": Decimal("85.00"), "perubahan": Decimal("80.50"), "basis_number": "188.45/12/2020",
        "basis_date": "2020-06-15", "quarters": {2: Decimal("70.00")}, "in_force": Decimal("80.50")}}
    audit = [(row["kind"], row["title"], row["evidence_ref"], row["channel"], row["note"]) for row in db.query(
        "SELECT * FROM events WHERE kind LIKE 'target%' ORDER BY position")]
    assert audit == [("target_set", "85.00", None, None, "PK 2020"),
                     ("target_revised", "80.50", "188.45/12/2020 (2020-06-15)", None, "refocusing"),
                     ("target_quarter_set", "70.00", None, "Q2", "rencana aksi")]


def test_what_the_manual_refuses_names_the_indicator_and_the_choices_of_that_year(runtime):
    manual = IndicatorManual.open(actor="admin")
    manual.define(check_definition(DARING), reason="Renstra", actor="admin")
    with pytest.raises(UnknownIndicatorError) as refused:
        manual.current("walikota_daring", 2020)
    assert refused.value.params == {"code": "walikota_daring", "choices": "published, documented, protocol_served"}
    manual.retire("walikota_daring", 2023, reason="Renstra baru", actor="admin")
    with pytest.raises(UnknownIndicatorError) as again:
        manual.retire("walikota_daring", 2024, reason="lagi", actor="admin")
    assert again.value.params == {"code": "walikota_daring", "choices": "published, documented, protocol_served"}
    with pytest.raises(MissingFieldError) as nobody:
        manual.retire("published", 2024, reason="x", actor=" ")
    assert nobody.value.params == {"field": "actor"}
    with pytest.raises(MissingFieldError) as why:
        manual.retire("published", 2024, reason=" ", actor="admin")
    assert why.value.params == {"field": "reason"}


def test_a_version_and_a_retirement_are_recorded_at_the_log_s_time_with_who_and_why(runtime):
    runtime.applied(runtime.log.define_indicator(DARING, reason="Renstra 2021-2026", actor="admin"))
    defined = runtime.clock.current
    runtime.applied(runtime.log.retire_indicator("walikota_daring", "2027", reason="Renstra baru", actor="kabag"))
    retired = runtime.clock.current
    history = read.manual.history(runtime.fresh())
    assert [{key: value for key, value in item.items() if key != "indicator"} for item in history] == [
        {"position": 2, "code": "walikota_daring", "effective_from": 2021, "active": 1, "reason": "Renstra 2021-2026",
         "actor": "admin", "recorded_at": defined},
        {"position": 3, "code": "walikota_daring", "effective_from": 2027, "active": 0, "reason": "Renstra baru",
         "actor": "kabag", "recorded_at": retired},
    ]
    assert read.manual.history(runtime.fresh(), "published") == []


def test_the_monthly_counts_leave_an_excluded_activity_out_of_its_month(runtime):
    for reference, day in (("AG-1", "2020-02-03T09:00"), ("AG-2", "2020-02-04T09:00"), ("AG-3", "2020-03-02T09:00")):
        runtime.record("scheduled", reference, title="Rapat", leaders=["walikota"], location="", occurred_at=T(day),
                       actor="siti")
        runtime.record("held", reference, occurred_at=T(day), actor="siti")
    runtime.record("excluded", "AG-2", indicator="published", exclusion_reason="tertutup", note="rapat terbatas",
                   occurred_at=T("2020-02-04T12:00"), actor="siti")
    from domain.indicators import SEED

    months = counting.monthly_counts(runtime.fresh(), parse_period("2020"), now(), SEED)
    assert months["2020-02"]["published"] == {"numerator": 0, "denominator": 1, "excluded": 1}
    assert months["2020-02"]["documented"] == {"numerator": 0, "denominator": 2, "excluded": 0}
    assert months["2020-03"]["published"] == {"numerator": 0, "denominator": 1, "excluded": 0}


def test_an_unknown_indicator_in_a_year_without_any_says_so_with_a_dash():
    from domain.targets import check_indicator

    with pytest.raises(UnknownIndicatorError) as refused:
        check_indicator("published", ())
    assert refused.value.params == {"code": "published", "choices": "-"}


def test_a_version_is_stored_with_lists_where_it_holds_tuples():
    fields = check_definition(DARING).fields()
    assert type(fields["channels"]) is list and type(fields["leaders"]) is list
    assert (fields["channels"], fields["leaders"], fields["exclusion_reasons"]) == (
        ["website", "media online"], ["walikota"], ["tertutup"])
    assert type(fields["name"]) is str and fields["effective_from"] == 2021


def test_a_channel_of_nothing_is_empty():
    from domain.indicators import channel_key

    assert channel_key(None) == "" and channel_key("  ") == "" and channel_key(" A b ") == "a b"


@pytest.mark.parametrize("code", ["", "Bad Code", None])
def test_a_refused_code_is_named_as_given(code):
    from domain.indicators import InvalidIndicatorCodeError

    with pytest.raises(InvalidIndicatorCodeError) as refused:
        check_definition({**DARING, "code": code})
    assert refused.value.params == {"code": code or ""}  # as the form gave it (nothing: empty)


def test_each_text_of_a_definition_has_its_limit_and_no_control_character():
    from domain.errors import ControlCharacterError, TextTooLongError

    assert len(check_definition({**DARING, "name": "n" * 300}).name) == 300
    with pytest.raises(TextTooLongError) as long_name:
        check_definition({**DARING, "name": "n" * 301})
    assert long_name.value.params == {"field": "name", "limit": 300}
    with pytest.raises(ControlCharacterError) as control:
        check_definition({**DARING, "formula": "a\x00b"})
    assert control.value.params["field"] == "formula"


def test_lists_of_a_definition_skip_empty_items_drop_repeats_and_name_what_they_refuse():
    checked = check_definition({**DARING, "leaders": ";walikota; ;sekda;", "channels": "website; Website;;media online",
                                "exclusion_reasons": ",tertutup,,diwakilkan"})
    assert (checked.leaders, checked.channels, checked.exclusion_reasons) == (
        ("walikota", "sekda"), ("website", "media online"), ("tertutup", "diwakilkan"))
    from domain.indicators import InvalidDefinitionError

    with pytest.raises(InvalidDefinitionError) as refused:
        check_definition({**DARING, "leaders": "walikota; Bupati"})
    assert refused.value.params == {"field": "leaders", "value": "bupati"}
    with pytest.raises(InvalidDefinitionError) as kind:
        check_definition({**DARING, "numerator_kind": " held "})
    assert kind.value.params == {"field": "numerator_kind", "value": "held"}
    assert check_definition({**DARING, "frequency": ""}).frequency == "triwulanan"


def test_the_manual_is_opened_and_a_version_recorded_by_someone(runtime):
    with pytest.raises(MissingFieldError) as nobody:
        IndicatorManual.open(actor="admin").define(check_definition(DARING), reason="Renstra", actor=" ")
    assert nobody.value.params == {"field": "actor"}
    runtime.applied(runtime.log.define_indicator(DARING, reason="Renstra", actor="admin"))
    rows = list(runtime.fresh().query("SELECT kind, actor, recorded_at FROM events ORDER BY position"))
    assert [(row["kind"], row["actor"]) for row in rows] == [("manual_opened", "admin"), ("indicator_defined", "admin")]
    # both at the log's (the test clock's) time, the opening first
    assert "2021-01-01T00:00" < rows[0]["recorded_at"] < rows[1]["recorded_at"] < "2021-01-01T00:10"


@pytest.mark.parametrize(("given", "higher"), [
    ("1", True), ("true", True), (" NAIK ", True), ("TRUE", True), ("naik", True),
    ("0", False), ("false", False), ("turun", False), (" Turun", False), ("FALSE", False), (True, True), (False, False),
])
def test_polarity_is_naik_or_turun_in_any_of_its_spellings(given, higher):
    assert check_definition({**DARING, "higher_is_better": given}).higher_is_better is higher


def test_an_unknown_polarity_or_frequency_is_named_and_the_defaults_are_the_divisions():
    from domain.indicators import SASARAN, SOURCE, InvalidDefinitionError

    with pytest.raises(InvalidDefinitionError) as polarity:
        check_definition({**DARING, "higher_is_better": " naik-turun "})
    assert polarity.value.params == {"field": "higher_is_better", "value": " naik-turun "}
    with pytest.raises(InvalidDefinitionError) as frequency:
        check_definition({**DARING, "frequency": " Mingguan "})
    assert frequency.value.params == {"field": "frequency", "value": "mingguan"}
    plain = check_definition(DARING)
    assert (plain.data_source, plain.responsible, plain.sasaran, plain.unit) == (SOURCE, SOURCE, SASARAN, "%")
    own = check_definition({**DARING, "data_source": "Dinas Kominfo", "responsible": "Subbag Publikasi",
                            "sasaran": "Sasaran lain", "unit": "persen", "frequency": "Bulanan"})
    assert (own.data_source, own.responsible, own.sasaran, own.unit, own.frequency) == (
        "Dinas Kominfo", "Subbag Publikasi", "Sasaran lain", "persen", "bulanan")


def test_a_stored_version_reads_back_as_the_same_version():
    from domain.indicators import SEED, Indicator

    for version in (check_definition(DARING), *SEED):
        assert Indicator.from_fields(version.fields()) == version


def test_a_definition_needs_its_definisi_operasional_and_its_year():
    with pytest.raises(MissingFieldError) as missing:
        check_definition({**DARING, "definition": "  "})
    assert missing.value.params == {"field": "definition"}
    from domain.targets import InvalidYearError

    with pytest.raises(InvalidYearError) as no_year:
        check_definition({**DARING, "effective_from": None})
    assert no_year.value.params == {"value": ""}


def test_every_excluded_activity_is_counted_once_for_its_indicator():
    from domain.counting import Fact, count
    from domain.indicators import SEED

    def activity(reference_day: int, excluded: bool) -> list:
        held = Fact("held", date(2020, 3, reference_day), 1, leaders=("walikota",))
        return [held, Fact("excluded", date(2020, 3, 20), 2, indicator="published", reason="tertutup")] if excluded \
            else [held]

    counts = count([activity(2, True), activity(3, True), activity(4, True), activity(5, False)], SEED,
                   date(2020, 3, 1), date(2020, 3, 31), 10)
    assert counts["published"] == {"numerator": 0, "denominator": 1, "excluded": 3}
    assert counts["documented"] == {"numerator": 0, "denominator": 4, "excluded": 0}


def test_an_exclusion_at_the_aggregate_names_each_refusal_and_keeps_its_submission():
    from datetime import datetime, timedelta

    from domain.activity import Activity
    from domain.errors import (
        AlreadyExcludedError,
        FutureOccurrenceError,
        MissingFieldError,
        NotHeldError,
        OtherLeadersError,
    )
    from domain.indicators import BY_CODE
    from domain.times import UTC

    recorded = datetime(2021, 1, 1, tzinfo=UTC)
    activity = Activity.schedule(reference="AG-9", title="Rapat", leaders=["walikota"], location="",
                                 occurred_at=recorded - timedelta(days=3), actor="siti", timestamp=recorded)
    published = BY_CODE["published"]
    fields = {"exclusion_reason": "tertutup", "note": "rapat terbatas", "occurred_at": recorded, "actor": "siti",
              "timestamp": recorded}
    with pytest.raises(NotHeldError) as refused:
        activity.exclude(published, **fields)
    assert refused.value.params == {"reference": "AG-9", "kind": "excluded"}
    activity.hold(occurred_at=recorded - timedelta(days=3), actor="siti", timestamp=recorded)
    with pytest.raises(MissingFieldError) as refused:
        activity.exclude(published, **{**fields, "exclusion_reason": " "})
    assert refused.value.params == {"field": "exclusion_reason"}
    with pytest.raises(MissingFieldError) as refused:
        activity.exclude(published, **{**fields, "actor": ""})
    assert refused.value.params == {"field": "actor"}
    with pytest.raises(FutureOccurrenceError) as refused:
        activity.exclude(published, **{**fields, "occurred_at": recorded + timedelta(minutes=11)})
    assert refused.value.params["kind"] == "excluded"
    sekda_only = replace(published, leaders=("wakil_walikota", "sekda"))
    with pytest.raises(OtherLeadersError) as refused:
        activity.exclude(sekda_only, **fields)
    assert refused.value.params == {"reference": "AG-9", "code": "published", "leaders": "wakil_walikota, sekda"}
    activity.exclude(published, **fields, submission_id="form-7")
    event = activity.pending_events[-1]
    assert (event.indicator, event.exclusion_reason, event.submission_id, event.timestamp) == (
        "published", "tertutup", "form-7", recorded)
    with pytest.raises(AlreadyExcludedError) as refused:
        activity.exclude(published, **fields)
    assert refused.value.params == {"reference": "AG-9", "code": "published"}
    activity.exclude(BY_CODE["documented"], **{**fields, "exclusion_reason": "diwakilkan"})
    assert activity.pending_events[-1].submission_id == ""
