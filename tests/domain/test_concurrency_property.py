"""Property test: two writers (as two nodes) preparing and committing batches in any interleaving on the
same activities. Every accepted batch is stored whole, every refused one not at all; no event is lost or
stored twice, a form submission is stored at most once, and the read model agrees with the oracle."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from domain.errors import ConcurrentChangeError, DomainError
from domain.times import WIB
from tests.conftest import SteppingClock, open_runtime
from tests.projections.oracle import oracle_state, stored_events

REFERENCES = ["AG-1", "AG-2"]
KINDS = ["held", "held", "cancelled", "rescheduled", "published", "published", "documented", "withdrawn"]

# (writer, what, reference, kind, submission): `prepare` adds a command to the writer's open batch (made on
# the state it sees then), `commit` stores that batch; a shared submission number is one form sent twice.
action = st.tuples(
    st.integers(0, 1),
    st.sampled_from(["prepare", "prepare", "commit"]),
    st.integers(0, len(REFERENCES) - 1),
    st.sampled_from(KINDS),
    st.one_of(st.none(), st.integers(0, 3)),
)


def fields_for(kind: str, n: int) -> dict:
    occurred = datetime(2020, 3, 2, 9, 0, tzinfo=WIB) + timedelta(minutes=n)
    fields: dict = {"occurred_at": occurred, "actor": "op"}
    if kind in ("published", "documented"):
        fields.update(channel="web", evidence_ref=f"https://x/{n % 3}")
    elif kind == "withdrawn":
        fields = {"withdrawn_kind": "published", "evidence_ref": "", "reason": "keliru", "occurred_at": occurred,
                  "actor": "auditor"}
    elif kind == "cancelled":
        fields["reason"] = "batal"
    return fields


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=4, max_size=30))
def test_any_interleaving_of_two_writers_loses_and_repeats_nothing(actions):
    with tempfile.TemporaryDirectory() as tmp, open_runtime("sqlite", Path(tmp) / "data", SteppingClock()) as runtime:
        for reference in REFERENCES:
            runtime.record("scheduled", reference, title="Rapat", leaders=["sekda"], location="Aula",
                           occurred_at=datetime(2020, 3, 2, 8, 0, tzinfo=WIB), actor="setup")
        setup = runtime.follower.head()
        open_batches: dict[int, tuple] = {}
        stored_positions: list[int] = []
        for n, (writer, what, ref_index, kind, submission) in enumerate([*actions, *[(w, "commit", 0, "", None)
                                                                                    for w in (0, 1)]]):
            if what == "prepare":
                batch, commands = open_batches.get(writer) or (runtime.batch(), [])
                fields = fields_for(kind, n)
                if submission is not None:
                    fields["submission_id"] = f"form-{submission}-{kind}-{ref_index}"
                try:
                    batch.record(kind, REFERENCES[ref_index], **fields)
                except DomainError:
                    continue  # refused at once, on the state this writer sees: not part of its batch
                open_batches[writer] = (batch, [*commands, kind])
            elif writer in open_batches:
                batch, commands = open_batches.pop(writer)
                try:
                    recorded = runtime.commit(batch)
                except ConcurrentChangeError:
                    event("a batch was refused as changed by someone else")
                    continue
                # All of the batch: each command stored once, or found already stored by its submission.
                assert len(recorded.positions) + recorded.repeated == len(commands)
                if recorded.repeated:
                    event("a repeated form submission was stored once")
                stored_positions.extend(recorded.positions)

        events = stored_events(runtime.log)
        positions = [n.id for n in runtime.log.recorder.select_notifications(setup, 10_000, inclusive_of_start=False)]
        assert sorted(stored_positions) == positions  # nothing lost, nothing stored twice
        submissions = Counter((e.originator_id, e.submission_id) for e in events if getattr(e, "submission_id", ""))
        assert all(count == 1 for count in submissions.values())
        db = runtime.fresh()
        current = {row["reference"]: {"status": row["status"], "published": row["n_published"],
                                      "documented": row["n_documented"], "protocol_served": row["n_protocol_served"]}
                   for row in db.query("SELECT * FROM activities")}
        assert current == oracle_state(events)
