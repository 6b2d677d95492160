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
        # A topic COPY's text form must escape (and with a space), states holding every byte value, and an
        # aggregate id given as text (the library's own insert takes either).
        events = [StoredEvent(originator_id=aid, originator_version=1, topic=topic, state=bytes(range(256)))
                  for aid, topic in ((uuid.uuid4(), "x:Y"), (uuid.uuid4(), "a b\tc\\d\ne\rf:G"),
                                     (uuid.uuid4().hex, "x:Y"))]
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
    # one hex digit is a byte too; an x or a digit that begins no code stands for itself
    assert recorders._copy_field(b"\\x4|\\xz|\\8|\\7|\\X") == b"\x04|xz|8|\x07|X"


UUID_TEXT = b"00000000-0000-0000-0000-00000000000a"


def test_a_copied_row_is_split_on_tabs_only_and_its_state_must_be_hex():
    row = recorders._copied_row(b"7\t" + UUID_TEXT + b"\t2\ta b:C D\t\\\\x00ff")
    assert (row.id, row.originator_id, row.originator_version, row.topic, row.state) == (
        7, uuid.UUID(UUID_TEXT.decode()), 2, "a b:C D", b"\x00\xff")
    with pytest.raises(ValueError, match="^a stored state in an unexpected form$"):
        recorders._copied_row(b"7\t" + UUID_TEXT + b"\t2\tx:Y\t\\\\000")  # bytea_output = escape


def test_copy_rows_are_joined_across_blocks_and_the_last_may_lack_its_newline():
    line = b"1\t" + UUID_TEXT + b"\t1\tx:Y\t\\\\x41"
    blocks = [line[:5], line[5:] + b"\n" + line[:9], memoryview(line[9:])]
    assert [(n.id, n.state) for n in recorders.copied_rows(blocks)] == [(1, b"A"), (1, b"A")]
