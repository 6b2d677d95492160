"""Perbandingan's list of changes: every activity whose counts moved since the as-of moment, and only those,
with totals that equal the differences between then and now; paged; differences of percentages in points."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.indicators import SEED
from domain.periods import parse_period
from domain.times import UTC, now, parse_instant, wib_iso
from projections import counting, read
from services import accounts
from tests.conftest import SteppingClock, open_runtime
from tests.projections.oracle import oracle_counts, stored_events
from tests.projections.test_property import history, record_history
from tests.webapp.conftest import PASSWORD, login, soup
from webapp import create_app


def flat(counts: dict) -> dict[str, int]:
    """`{code: {numerator, denominator}}` as the list of changes keys it: `<code>:denominator`, `<code>:numerator`."""
    return {f"{code}:{part}": value[part] for code, value in counts.items() for part in ("denominator", "numerator")}
PERIODS = [parse_period(code) for code in ("2020", "2020-Q1", "2020-Q2", "2020-Q3", "2020-03", "2020-07")]
T = parse_instant


def check_changes(db, events, period, then: datetime) -> None:
    """The list holds exactly the activities whose part moved, each with the oracle's difference; the events
    listed under each add up to it; the totals are the difference of the period's counts."""
    until = datetime.now(tz=UTC)
    indicators = read.manual.indicators(db, period.start.year, until)
    changes = read.indicators.changes_since(db, period, then, until, indicators)
    before = flat(counting.indicator_counts(db, period, then, indicators))
    after = flat(counting.indicator_counts(db, period, until, indicators))
    assert changes["totals"] == {key: after[key] - before[key] for key in after}
    by_activity: dict = {}
    for event in events:
        by_activity.setdefault(event.originator_id.hex, []).append(event)
    expected = {}
    for aid, own in by_activity.items():
        old = flat(oracle_counts(own, period.start, period.end, then, indicators))
        new = flat(oracle_counts(own, period.start, period.end, until, indicators))
        moved = {key: new[key] - old[key] for key in new}
        if any(moved.values()):
            expected[aid] = moved
    assert {item["activity_id"]: item["moved"] for item in changes["activities"]} == expected
    for item in changes["activities"]:
        assert item["events"], "every moved figure is put down to an event recorded since"
        for key in after:
            assert sum(event["moved"][key] for event in item["events"]) == item["moved"][key]
        for event in item["events"]:
            assert event["recorded_at"] > then and any(event["moved"].values())
            assert event["kind"] in ("held", "withdrawn", "published", "documented", "protocol_served", "excluded")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, cut=st.integers(0, 99), shift=st.sampled_from([timedelta(0), -timedelta(microseconds=1)]))
def test_changes_add_up_to_the_differences_for_any_history(ops, cut, shift):
    with tempfile.TemporaryDirectory() as tmp:
        clock = SteppingClock()
        with open_runtime("sqlite", Path(tmp) / "data", clock=clock) as runtime:
            record_history(runtime, clock, ops)
            events = stored_events(runtime.log)
            then = events[cut * len(events) // 100].timestamp + shift if events else clock.current  # cut: a %
            db = runtime.fresh()
            for period in PERIODS:
                check_changes(db, events, period, then)


@pytest.fixture
def planned(tmp_path):
    """Q3 2020 as reported at `then`, and what was recorded after it (see each activity's comment)."""
    clock = SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as runtime:
        accounts.add_user(runtime, "auditor", "auditor", PASSWORD, actor="setup")

        def held(reference, when, **facts):
            runtime.record("scheduled", reference, title=f"Rapat {reference}", leaders=["sekda"],
                           location="Aula", occurred_at=T(when), actor="siti")
            runtime.record("held", reference, occurred_at=T(when), actor="siti")
            for kind, ref in facts.items():
                runtime.record(kind, reference, occurred_at=T(when), channel="web", evidence_ref=ref, actor="siti")

        held("AG-2020-00001", "2020-08-03T09:00")                          # published later: numerator +1
        held("AG-2020-00004", "2020-08-04T09:00", published="https://x/4")  # published again: no change
        held("AG-2020-00005", "2020-08-05T09:00", protocol_served="SP/5")   # held withdrawn: -1 and -1
        held("AG-2020-00006", "2020-08-06T09:00")                          # published and withdrawn: no change
        then = clock() + timedelta(seconds=1)
        runtime.record("published", "AG-2020-00001", occurred_at=T("2020-08-03T12:00"), channel="web",
                       evidence_ref="https://x/1", actor="budi")
        held("AG-2020-00002", "2020-10-02T09:00", published="https://x/2")  # held in Q4: not Q3's business
        held("AG-2020-00003", "2020-09-30T23:30", documented="FOTO/3")     # late entry: +1 held, +1 documented
        runtime.record("published", "AG-2020-00004", occurred_at=T("2020-08-04T12:00"), channel="ig",
                       evidence_ref="https://ig/4", actor="budi")
        runtime.record("withdrawn", "AG-2020-00005", withdrawn_kind="held", reason="salah catat",
                       occurred_at=T("2020-08-05T10:00"), actor="auditor")
        runtime.record("published", "AG-2020-00006", occurred_at=T("2020-08-06T12:00"), channel="web",
                       evidence_ref="https://x/6", actor="budi")
        runtime.record("withdrawn", "AG-2020-00006", withdrawn_kind="published", evidence_ref="https://x/6",
                       reason="tautan salah", occurred_at=T("2020-08-06T13:00"), actor="auditor")
        runtime.then = then
        yield runtime


@pytest.fixture
def auditor(planned):
    client = create_app({"RUNTIME": planned, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    return login(client, "auditor")


def as_of(runtime) -> str:
    return wib_iso(runtime.then)


def test_only_activities_whose_figures_moved_are_listed(planned):
    changes = read.indicators.changes_since(planned.fresh(), parse_period("2020-Q3"), planned.then, now(), SEED)
    moved = {item["reference"]: item["moved"] for item in changes["activities"]}

    def moves(held, published, documented, protocol_served):
        return {"published:denominator": held, "published:numerator": published, "documented:denominator": held,
                "documented:numerator": documented, "protocol_served:denominator": held,
                "protocol_served:numerator": protocol_served}

    assert moved == {
        "AG-2020-00001": moves(0, 1, 0, 0),
        "AG-2020-00003": moves(1, 0, 1, 0),
        "AG-2020-00005": moves(-1, 0, 0, -1),
    }
    late = next(item for item in changes["activities"] if item["reference"] == "AG-2020-00003")
    assert [(event["kind"], event["moved"]["documented:denominator"], event["moved"]["documented:numerator"])
            for event in late["events"]] == [("held", 1, 0), ("documented", 0, 1)]


def test_page_lists_the_moved_activities_with_totals_equal_to_the_differences(auditor, planned):
    response = auditor.get("/perbandingan", query_string={"periode": "2020-Q3", "per": as_of(planned)})
    assert response.status_code == 200
    page = soup(response)
    rows = page.select("table.changes tbody tr")
    assert [row.select_one("a").text for row in rows] == ["AG-2020-00001", "AG-2020-00003", "AG-2020-00005"]
    assert [" ".join(row.select_one("td").get_text(" ", strip=True).split()) for row in rows][0] == \
        "AG-2020-00001 Rapat AG-2020-00001"  # each with its title
    # a withdrawal names the kind it took back
    assert "ditarik: terlaksana" in " ".join(rows[2].select_one("ul.movers").get_text().split())
    totals = [cell.text.strip() for cell in page.select("table.changes tfoot td")]
    # per indicator (published, documented, protocol_served): denominator / numerator
    assert totals == ["0 / +1", "0 / +1", "0 / -1"]
    figures = {row.select_one("th").text: [td.text.strip() for td in row.select("td")]
               for row in page.select("table.compare tbody tr")}
    published = figures["Prosentase kegiatan pimpinan daerah yang dipublikasikan"]
    assert published[0] == "1/4 = 25,00%" and published[1] == "2/4 = 50,00%"
    assert published[2].startswith("+25,00 poin") and "pembilang +1, penyebut 0" in published[2]
    assert "%" not in published[2]
    assert "(3)" in page.select_one("#perubahan").text
    text = page.get_text()
    assert "AG-2020-00002" not in text and "AG-2020-00004" not in text and "AG-2020-00006" not in text
    assert "None" not in text and "null" not in text


def test_differences_are_points_in_english_too(auditor, planned):
    auditor.post("/bahasa/en", data={"next": "/"})
    page = soup(auditor.get("/perbandingan", query_string={"periode": "2020-Q3", "per": as_of(planned)}))
    cells = [row.select("td")[2].text for row in page.select("table.compare tbody tr")]
    assert cells[0].strip().startswith("+25.00 points")


def test_changes_are_all_listed_paged_with_the_page_size_in_the_links(tmp_path):
    clock = SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC), step=timedelta(seconds=1))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as runtime:
        accounts.add_user(runtime, "auditor", "auditor", PASSWORD, actor="setup")
        then = clock() + timedelta(milliseconds=1)
        batch = runtime.batch()
        for n in range(1, 261):  # 520 events since: more than the old list's silent limit of 500
            reference = f"AG-2020-{n:05d}"
            batch.record("scheduled", reference, title="Rapat", leaders=["sekda"], location="Aula",
                         occurred_at=T("2020-02-03T09:00"), actor="siti")
            batch.record("held", reference, occurred_at=T("2020-02-03T09:00"), actor="siti")
            batch.record("published", reference, occurred_at=T("2020-02-03T12:00"), channel="web",
                         evidence_ref=f"https://x/{n}", actor="siti")
        runtime.commit(batch)
        client = login(create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client(),
                       "auditor")
        query = {"periode": "2020-Q1", "per": wib_iso(then), "ukuran": "25"}
        first = soup(client.get("/perbandingan", query_string=query))
        assert len(first.select("table.changes tbody tr")) == 25
        assert "(260)" in first.select_one("#perubahan").text
        assert [cell.text for cell in first.select("table.changes tfoot td")] == ["+260 / +260", "+260 / 0", "+260 / 0"]
        assert "Halaman 1 dari 11" in first.select_one("nav.pages").text
        following = first.select_one("nav.pages a[href*='halaman=2']")
        assert "ukuran=25" in following["href"] and "periode=2020-Q1" in following["href"]
        assert following["hx-get"] == following["href"].split("#")[0]
        listed = []
        page = first
        while True:
            listed += [a.text for a in page.select("table.changes tbody tr td:first-child a")]
            following = page.select_one("nav.pages a[href*='halaman=']:-soup-contains('Berikutnya')")
            if following is None:
                break
            page = soup(client.get(following["href"]))
        assert len(listed) == len(set(listed)) == 260
        assert len(page.select("table.changes tbody tr")) == 10  # the last page
        assert page.select_one("nav.pages a:-soup-contains('Sebelumnya')") is not None
        odd = soup(client.get("/perbandingan", query_string={**query, "ukuran": "7"}))
        assert len(odd.select("table.changes tbody tr")) == 50  # an unknown size falls back to 50


def test_paging_links_keep_the_exact_as_of_moment(auditor, planned):
    moment = planned.then.replace(microsecond=123456)
    page = soup(auditor.get("/perbandingan", query_string={"periode": "2020-Q3", "per": wib_iso(moment),
                                                            "ukuran": "25"}))
    link = page.select_one("nav.pages a[href*='ukuran=50']")["href"]
    assert "123456" in link


def test_a_difference_is_rounded_to_hundredths_of_a_point_and_the_column_names_its_moment(tmp_path):
    from services import reports

    clock = SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC), step=timedelta(minutes=1))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as runtime:
        accounts.add_user(runtime, "auditor", "auditor", PASSWORD, actor="setup")
        for n in (1, 2, 3):
            reference = f"AG-{n}"
            runtime.record("scheduled", reference, title=f"Rapat {n}", leaders=["sekda"], location="",
                           occurred_at=T(f"2020-02-0{n}T09:00"), actor="siti")
            runtime.record("held", reference, occurred_at=T(f"2020-02-0{n}T09:00"), actor="siti")
        runtime.record("published", "AG-1", occurred_at=T("2020-02-01T10:00"), channel="web", evidence_ref="1",
                       actor="siti")
        then = clock.current
        runtime.record("published", "AG-2", occurred_at=T("2020-02-02T10:00"), channel="web", evidence_ref="2",
                       actor="siti")
        result = reports.compare(runtime.fresh(), parse_period("2020-Q1"), then, now(), "id", 0, 10)
        published = result["indicators"][0]
        assert (published["then"]["percent"], published["now"]["percent"], published["delta"]) == (33.33, 66.67, 33.34)
        client = create_app({"RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
        login(client, "auditor")
        page = soup(client.get("/perbandingan", query_string={"periode": "2020-Q1", "per": wib_iso(then)}))
        heading = page.select("table.compare thead th")[1].text
        assert heading.startswith("Pada 1 Januari 2021 pukul") and "–" not in heading
        assert page.select("table.compare tbody tr")[0].select("td")[2].text.strip().startswith("+33,34 poin")
