"""The activity log's domain: the Activity aggregate, its rules, and the application that records it.

Imports only the standard library and eventsourcing (no Flask, no SQL).
"""

from domain.activity import EVENT_KINDS, EVIDENCE_KINDS, LEADERS, WITHDRAWABLE_KINDS, Activity, activity_id
from domain.application import ActivityLog, Batch, Recorded
from domain.errors import DomainError

__all__ = [
    "EVENT_KINDS", "EVIDENCE_KINDS", "LEADERS", "WITHDRAWABLE_KINDS",
    "Activity", "ActivityLog", "Batch", "DomainError", "Recorded", "activity_id",
]
