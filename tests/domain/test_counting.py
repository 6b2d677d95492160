"""The counting rule (domain/counting.py) at each of its edges, with exact counts."""

from datetime import date, datetime, timedelta

import pytest

from domain.counting import Fact, count, in_denominator, in_numerator, is_valid
from domain.indicators import BY_CODE, SEED
from domain.times import UTC, WIB

MARCH = (date(2020, 3, 1), date(2020, 3, 31))
PUBLISHED = BY_CODE["published"]
LATER = datetime(2020, 6, 1, tzinfo=UTC)


def at(text: str, zone=WIB) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def held(occurred: str, recorded: str = "2020-04-01T00:00", withdrawn: str | None = None, zone=WIB) -> Fact:
    return Fact.at("held", at(occurred, zone), at(recorded), at(withdrawn) if withdrawn else None,
                   leaders=("walikota",))


def fact(kind: str, recorded: str = "2020-04-01T00:00", withdrawn: str | None = None,
         occurred: str = "2019-01-01T00:00") -> Fact:
    return Fact.at(kind, at(occurred), at(recorded), at(withdrawn) if withdrawn else None)


def test_a_fact_exists_from_its_recording_moment_and_until_its_withdrawal_is_recorded():
    one = fact("published", recorded="2020-04-01T10:00", withdrawn="2020-04-02T10:00")
    assert not is_valid(one, at("2020-04-01T09:59:59.999999"))
    assert is_valid(one, at("2020-04-01T10:00"))
    assert is_valid(one, at("2020-04-02T09:59:59.999999"))
    assert not is_valid(one, at("2020-04-02T10:00"))


@pytest.mark.parametrize(("occurred", "zone", "counted"), [
    ("2020-03-01T00:00", WIB, True),             # the first minute of the period, WIB
    ("2020-02-29T23:59", WIB, False),            # the last minute before it
    ("2020-03-31T23:59", WIB, True),             # the last minute of the period
    ("2020-04-01T00:00", WIB, False),
    ("2020-02-29T17:00", UTC, True),             # 00:00 WIB on 1 March, written in UTC
    ("2020-02-29T16:59", UTC, False),            # 23:59 WIB on 29 February
    ("2020-03-31T16:59", UTC, True),             # 23:59 WIB on 31 March
    ("2020-03-31T17:00", UTC, False),            # 00:00 WIB on 1 April
])
def test_the_denominator_takes_the_wib_date_of_the_held(occurred, zone, counted):
    assert in_denominator([held(occurred, zone=zone)], PUBLISHED, *MARCH, LATER) is counted


def test_a_withdrawn_held_leaves_the_denominator_from_the_withdrawals_recording_on():
    facts = [held("2020-03-10T09:00", recorded="2020-03-10T10:00", withdrawn="2020-03-20T08:00")]
    assert in_denominator(facts, PUBLISHED, *MARCH, at("2020-03-20T07:59"))
    assert not in_denominator(facts, PUBLISHED, *MARCH, at("2020-03-20T08:00"))
    assert not in_denominator(facts, PUBLISHED, *MARCH, at("2020-03-10T09:59"))  # not yet recorded


def test_a_held_recorded_again_after_its_withdrawal_counts_on_its_own_date():
    facts = [held("2020-03-10T09:00", recorded="2020-03-10T10:00", withdrawn="2020-04-02T00:00"),
             held("2020-04-05T09:00", recorded="2020-04-03T00:00")]
    assert in_denominator(facts, PUBLISHED, *MARCH, at("2020-04-01T00:00"))
    assert not in_denominator(facts, PUBLISHED, *MARCH, LATER)
    assert in_denominator(facts, PUBLISHED, date(2020, 4, 1), date(2020, 4, 30), LATER)


def test_the_numerator_needs_a_valid_fact_of_its_kind_whenever_it_happened():
    facts = [held("2020-03-10T09:00"), fact("published", occurred="2021-01-01T00:00"),
             fact("documented", withdrawn="2020-05-01T00:00")]
    assert in_numerator(facts, BY_CODE["published"], *MARCH, LATER)
    assert in_numerator(facts, BY_CODE["documented"], *MARCH, at("2020-04-30T23:59"))
    assert not in_numerator(facts, BY_CODE["documented"], *MARCH, LATER)
    assert not in_numerator(facts, BY_CODE["protocol_served"], *MARCH, LATER)


def test_a_fact_without_a_held_in_the_period_counts_nowhere():
    facts = [held("2020-04-10T09:00"), fact("published")]
    assert not in_numerator(facts, BY_CODE["published"], *MARCH, LATER)


def test_activities_are_counted_not_days_and_several_facts_of_a_kind_count_once():
    same_day = [held("2020-03-10T08:00"), held("2020-03-10T20:00"), held("2020-03-10T23:59")]
    activities = [[held("2020-04-01T00:00"), fact("published")],  # outside the period, before the others
                  [same_day[0], fact("published"), fact("published"), fact("protocol_served")],
                  [same_day[1], fact("published")],
                  [same_day[2], fact("documented", withdrawn="2020-04-02T00:00")]]
    def figures(counts):
        return {code: (value["numerator"], value["denominator"], value["excluded"]) for code, value in counts.items()}

    assert figures(count(activities, SEED, *MARCH, LATER)) == {
        "published": (2, 3, 0), "documented": (0, 3, 0), "protocol_served": (1, 3, 0)}
    assert figures(count(activities, SEED, *MARCH, at("2020-04-01T12:00"))) == {
        "published": (2, 3, 0), "documented": (1, 3, 0), "protocol_served": (1, 3, 0)}
    assert figures(count([], SEED, *MARCH, LATER)) == dict.fromkeys(BY_CODE, (0, 0, 0))


def test_a_withdrawal_recorded_after_as_of_does_not_yet_apply():
    facts = [held("2020-03-10T09:00", recorded="2020-03-10T09:05", withdrawn="2020-03-10T09:06")]
    moment = at("2020-03-10T09:05")
    assert in_denominator(facts, PUBLISHED, *MARCH, moment)
    assert not in_denominator(facts, PUBLISHED, *MARCH, moment + timedelta(minutes=1))


def test_facts_recorded_in_one_instant_are_told_apart_by_their_log_position():
    moment = "2020-04-01T00:00:00.000000+00:00"
    facts = [Fact("held", date(2020, 3, 10), (moment, 7), (moment, 9), leaders=("sekda",)),
             Fact("published", date(2020, 3, 10), (moment, 8))]
    assert in_numerator(facts, BY_CODE["published"], *MARCH, (moment, 8))
    assert not in_numerator(facts, BY_CODE["published"], *MARCH, (moment, 7))  # published not yet recorded
    assert not in_denominator(facts, PUBLISHED, *MARCH, (moment, 9))  # withdrawn at position 9
