"""A small SQLite history recorded ten minutes apart, for integrity tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.times import parse_instant as T
from services.runtime import Runtime
from tests.conftest import SteppingClock


@pytest.fixture
def data(tmp_path):
    # Events recorded ten minutes apart, as operators would over a morning.
    runtime = Runtime(tmp_path, database_url="", clock=SteppingClock(step=timedelta(minutes=10)))
    for n in (1, 2):
        ref = f"AG-{n}"
        runtime.record("scheduled", ref, title="Rapat", leaders=["sekda"], location="Aula",
                       occurred_at=T(f"2020-01-0{n}T09:00"), actor="siti")
        runtime.record("held", ref, occurred_at=T(f"2020-01-0{n}T09:00"), actor="siti")
        runtime.record("published", ref, occurred_at=T(f"2020-01-0{n}T12:00"), channel="web",
                       evidence_ref=f"https://x/{n}", actor="siti")
    runtime.close()
    return tmp_path


