"""`chain.recording_time` reads an event's recording time from its stored bytes without decoding the event:
it must give exactly what the library's mapper decodes, whatever the event's texts hold."""

from __future__ import annotations

import json
from datetime import datetime

from eventsourcing.persistence import Notification
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.times import WIB
from projections import chain
from tests.conftest import open_runtime

#: texts that look like the bytes the fast path looks for
TRICKY = ['"timestamp":', '{"timestamp":{"_type_":"datetime_iso","_data_":"1999-01-01T00:00:00+00:00"}',
          '\\"timestamp\\":', '"_data_":"x"', "\\", '"', "timestamp"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=20)), min_size=3, max_size=3))
def test_the_stored_bytes_give_what_the_mapper_decodes(tmp_path_factory, texts):
    with open_runtime("sqlite", tmp_path_factory.mktemp("data")) as runtime:
        title, location, note = (text.replace("\x00", "") or "x" for text in texts)
        try:
            runtime.record("scheduled", "AG-1", title=title, leaders=["walikota"], location=location,
                           occurred_at=datetime(2020, 5, 4, 8, tzinfo=WIB), actor="op", note=note)
        except Exception:  # texts the domain refuses (control characters): nothing stored to read
            return
        for notification in runtime.log.recorder.select_notifications(0, 10):
            assert chain.recording_time(runtime.log, notification) == \
                runtime.log.mapper.to_domain_event(notification).timestamp


def crafted(state: str) -> Notification:
    return Notification(id=1, originator_id="00000000-0000-0000-0000-000000000001", originator_version=1,
                        topic="x:Y", state=state.encode())


def test_a_second_key_named_timestamp_is_read_as_json_reads_it(tmp_path):
    with open_runtime("sqlite", tmp_path / "data") as runtime:
        first, second = ('{"_type_":"datetime_iso","_data_":"' + moment + '"}'
                         for moment in ("2020-01-01T00:00:00+00:00", "2021-02-02T00:00:00+00:00"))
        for state in [
            '{"timestamp":' + first + ',"note":"a","timestamp":' + second + "}",
            '{"timestamp":' + first + ',"values":{"timestamp":' + second + "}}",
            '{"note":"x","timestamp":' + second + "}",
            '{"timestamp":{"_type_":"datetime_iso","_data_":"2020-01-01T00:00:00\\u002b00:00"}}',
        ]:
            expected = datetime.fromisoformat(json.loads(state)["timestamp"]["_data_"])
            assert chain.recording_time(runtime.log, crafted(state)) == expected, state
