"""The bulk paths this project adds to the library's recorders (projections/recorders.py): the same rows as the
library's own statements, in the same order, with the positions the store gave."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime

import pytest
from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from domain.times import WIB
from projections import recorders, store
from services.runtime import Runtime
from tests.conftest import open_runtime


def fill(runtime: Runtime, count: int) -> None:
    for n in range(count):
        runtime.record("scheduled", f"AG-{n}", title="Rapat \"dengan\" \\ warga", leaders=["sekda"], location="Aula",
                       occurred_at=datetime(2020, 5, 4, 8, tzinfo=WIB), actor="op")


def rows(notifications) -> list[tuple]:
    return [(n.id, n.originator_id, n.originator_version, n.topic, bytes(n.state)) for n in notifications]


@pytest.mark.postgres
def test_a_page_read_through_copy_is_the_librarys_page(tmp_path):
    with open_runtime("postgres", tmp_path / "data") as runtime:
        fill(runtime, 12)
        recorder = runtime.log.recorder
        assert isinstance(recorder, recorders.BulkPostgresRecorder)
        for start, limit, stop, inclusive in itertools.product([None, 0, 1, 5, 12, 13], [1, 4, 100],
                                                               [None, 0, 6, 12], [True, False]):
            ours = recorder.select_notifications(start, limit, stop, inclusive_of_start=inclusive)
            theirs = PostgresApplicationRecorder.select_notifications(recorder, start, limit, stop,
                                                                      inclusive_of_start=inclusive)
            assert rows(ours) == rows(theirs), (start, limit, stop, inclusive)
        topic = runtime.log.recorder.select_notifications(1, 1)[0].topic
        assert rows(recorder.select_notifications(1, 5, topics=[topic])) == rows(
            PostgresApplicationRecorder.select_notifications(recorder, 1, 5, topics=[topic]))


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_bulk_insert_gives_consecutive_positions_and_reads_back_whole(tmp_path, backend):
    with open_runtime(backend, tmp_path / "data") as runtime:
        fill(runtime, 3)
        recorder = runtime.log.recorder
        # A topic COPY's text form must escape, and states holding every byte value.
        events = [StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic=topic, state=bytes(range(256)))
                  for topic in ("x:Y", "a\tb\\c\nd\re:F", "x:Y")]
        with recorder.datastore.transaction(commit=True) as cursor:
            assert list(recorder.insert_bulk(cursor, events)) == [4, 5, 6]
            assert recorder.largest_in(cursor) == 6
            back = list(store.read_back(recorder, cursor, after=3))
        assert [(n.id, n.topic, bytes(n.state)) for n in back] == [(4 + i, e.topic, e.state) for i, e in enumerate(events)]
        assert rows(recorder.select_notifications(4, 3)) == rows(back)
        with recorder.datastore.transaction(commit=True) as cursor:
            assert list(recorder.insert_bulk(cursor, [])) == []


def test_a_store_that_gives_too_few_positions_is_refused():
    events = [StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic="x:Y", state=b"{}")] * 2
    with pytest.raises(ProgrammingError, match="gave 1 positions to 2 events"):
        recorders._counted([7], events)


def test_copy_text_escapes_are_undone():
    assert recorders._copy_field(b"plain") == b"plain"
    assert recorders._copy_field(b"a\\tb\\\\c\\nd\\re\\101\\x41\\b\\f\\v\\q") == b"a\tb\\c\nd\reAA\b\f\vq"
