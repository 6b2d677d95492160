"""An independent oracle for the checklist and the link checks: replay the raw stored events in plain Python.

It shares no logic with the read model or the aggregate: it resolves withdrawals itself from the withdrawn
kind and reference, keeps the kinds' versions itself, and states the rules in its own words: a kind is required
of an activity when it is in use and names one of the leaders the activity was held with; a pair is complete
with a valid file or a valid not-applicable mark; a link is live when its last check answered 2xx (a page too
large to archive still answered), and dead since the first failed check after the last live one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from domain.documents import DEFAULT_KINDS

JAKARTA = ZoneInfo("Asia/Jakarta")


def replay(events: list) -> dict:
    """The facts of the log: kinds' versions, held facts, checklist facts and link checks, each with its
    recording time and (for facts) the recording time of the withdrawal that took it back."""
    kinds = [(None, kind.code, kind.required_for, True) for kind in DEFAULT_KINDS]  # (recorded, code, leaders, active)
    leaders: dict = {}
    held: dict = {}  # activity -> [[recorded, withdrawn_at, day, leaders]]
    documents: dict = {}  # activity -> [[kind, ref, recorded, withdrawn_at]]
    published: dict = {}  # activity -> [[url, recorded, withdrawn_at]]
    checks: list = []
    for event in events:
        name, activity = type(event).__name__, event.originator_id
        if name == "KindDefined":
            fields = event.fields
            kinds.append((event.timestamp, fields["code"], tuple(fields["required_for"]), fields["active"]))
        elif name in ("Scheduled", "Rescheduled") and event.leaders:
            leaders[activity] = tuple(event.leaders)
        elif name == "Held":
            held.setdefault(activity, []).append([event.timestamp, None, event.occurred_at.astimezone(JAKARTA).date(),
                                                  leaders[activity]])
        elif name == "Published":
            published.setdefault(activity, []).append([event.evidence_ref, event.timestamp, None])
        elif name == "DocumentAttached":
            documents.setdefault(activity, []).append(["document", f"{event.document}:{event.sha256}",
                                                       event.timestamp, None])
        elif name == "DocumentNotApplicable":
            documents.setdefault(activity, []).append(["not_applicable", event.document, event.timestamp, None])
        elif name == "LinkChecked":
            checks.append((activity, event.url, event))
        elif name == "Withdrawn":
            _withdraw(event, held.get(activity, []), documents.get(activity, []), published.get(activity, []))
    return {"kinds": kinds, "held": held, "documents": documents, "published": published, "checks": checks}


def _withdraw(event, held: list, documents: list, published: list) -> None:
    kind, ref, at = event.withdrawn_kind, event.evidence_ref, event.timestamp
    if kind == "held":
        for fact in held:
            if fact[1] is None:
                fact[1] = at
    elif kind in ("document", "not_applicable"):
        for fact in documents:
            code = fact[1].split(":")[0]
            if fact[0] == kind and fact[3] is None and (not ref or ref in (fact[1], code)):
                fact[3] = at
    elif kind == "published":
        for fact in published:
            if fact[2] is None and (not ref or ref == fact[0]):
                fact[2] = at


def _valid(recorded: datetime, withdrawn_at: datetime | None, as_of: datetime) -> bool:
    return recorded <= as_of and (withdrawn_at is None or withdrawn_at > as_of)


def completeness(facts: dict, start: date, end: date, as_of: datetime) -> dict:
    in_use: dict = {}
    for recorded, code, required_for, active in facts["kinds"]:
        if recorded is None or recorded <= as_of:
            in_use[code] = (required_for, active)
    required = complete = whole = activities = 0
    for activity, helds in facts["held"].items():
        valid = [fact for fact in helds if _valid(fact[0], fact[1], as_of) and start <= fact[2] <= end]
        if not valid:
            continue
        activities += 1
        held_with = valid[0][3]
        needed = {code for code, (required_for, active) in in_use.items()
                  if active and set(required_for) & set(held_with)}
        kept = {fact[1].split(":")[0] for fact in facts["documents"].get(activity, [])
                if _valid(fact[2], fact[3], as_of)}
        required += len(needed)
        complete += len(needed & kept)
        whole += needed <= kept
    figure = None
    if required:
        figure = (Decimal(100 * complete) / Decimal(required)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"required": required, "complete": complete, "percent": figure, "activities": activities,
            "complete_activities": whole}


def link_states(facts: dict) -> dict:
    """(activity hex, url) -> (live, dead_since, checks, first archive digest, any changed)."""
    states: dict = {}
    last_digest: dict = {}
    archived: set = set()
    for activity, url, event in facts["checks"]:
        key = (activity.hex, url)
        live = 200 <= event.status < 300 and event.error in ("", "too_large")
        live_before, dead_since, count, archive, changed = states.get(key, (None, None, 0, None, False))
        expected_changed = bool(last_digest.get(key) and event.sha256 and event.sha256 != last_digest[key])
        assert event.changed == expected_changed, (key, event)
        if event.sha256:
            last_digest[key] = event.sha256
        if event.archive_sha256:
            assert key not in archived, "a second archive of one link"
            archived.add(key)
        states[key] = (live, None if live else dead_since or event.occurred_at, count + 1,
                       archive or event.archive_sha256 or None, changed or event.changed)
    return states
