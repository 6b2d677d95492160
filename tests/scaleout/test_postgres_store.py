"""The PostgreSQL event store itself refuses to change what it stores, as the SQLite one does."""

from __future__ import annotations

import psycopg
import pytest

from tests.domain.test_rules import schedule

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("backend", ["postgres"])
@pytest.mark.parametrize("statement", [
    "UPDATE {table} SET topic = 'x'",
    "DELETE FROM {table} WHERE notification_id = 1",
    "TRUNCATE {table}",
])
def test_stored_events_cannot_be_updated_deleted_or_truncated(runtime, backend, statement):
    schedule(runtime)
    url = runtime.database_url
    schema = url.rsplit("schema=", 1)[1]
    table = f"{schema}.{runtime.log.recorder.events_table_name}"
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
            conn.execute(statement.format(table=table))
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 1
