"""The checklist's tests run on one SQLite store whose recording clock steps a minute a reading from 1 January
2021 (`runtime.clock`), so each event's recording time is known."""

from __future__ import annotations

from tests.manual.conftest import runtime  # noqa: F401  (the stepping-clock runtime fixture)
