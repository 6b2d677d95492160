"""Cached answers are exact: they are dropped as soon as the log moves."""

from tests.webapp.conftest import soup
from webapp.cache import PositionCache


def test_same_position_same_question_is_computed_once():
    cache, calls = PositionCache(), []
    for _ in range(3):
        assert cache.get(7, "q", lambda: calls.append(1) or 42) == 42
    assert len(calls) == 1


def test_a_new_position_forgets_every_answer():
    cache = PositionCache()
    cache.get(7, "q", lambda: "old")
    assert cache.get(8, "q", lambda: "new") == "new"


def test_size_is_bounded():
    cache = PositionCache(size=2)
    for key in "abc":
        cache.get(1, key, lambda key=key: key)
    assert cache.get(1, "a", lambda: "recomputed") == "recomputed"


def test_home_page_shows_a_new_event_at_once(operator, runtime):
    before = soup(operator.get("/?periode=2020-Q1")).select_one(".card .fraction").text.strip()
    operator.post("/kegiatan/AG-2020-0002/catat", data={"kind": "published", "occurred_at": "2020-02-03T12:00",
                                                       "channel": "website", "evidence_ref": "https://x/2"})
    after = soup(operator.get("/?periode=2020-Q1")).select_one(".card .fraction").text.strip()
    assert (before, after) == ("1/2 = 50,00%", "2/2 = 100,00%")
