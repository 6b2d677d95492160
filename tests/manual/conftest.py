"""The Manual IKU's tests run on one SQLite store whose recording clock steps a minute a reading from
1 January 2021 (`runtime.clock`), so each event's recording time is known."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.times import UTC
from tests.conftest import SteppingClock, open_runtime


@pytest.fixture
def runtime(tmp_path):
    clock = SteppingClock(start=datetime(2021, 1, 1, tzinfo=UTC), step=timedelta(minutes=1))
    with open_runtime("sqlite", tmp_path / "data", clock=clock) as opened:
        opened.clock = clock
        yield opened
