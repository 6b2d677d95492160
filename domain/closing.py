"""The quarter's accountability cycle, as events: each triwulan (I–IV) and the year of the indicators goes
from open to submitted (by an operator), verified (by a verifier, the Kasubbag) and approved (by an
approver, the Kabag): approved is **closed**. A verifier returns a submitted period with a reason, an
approver returns a verified one; an approver reopens a closed one with a reason. Each approval is a numbered
revision that keeps the seal of the log it was approved at and the figures of the report as of that seal.

A closed period is closed: a fact that would change its figures is refused (see `touched_days` and
`ActivityLog`), unless the period is reopened first. What changes no figure (a plan, a reschedule, a
cancellation, an attached file) is recorded whatever the state of the period.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError, MissingFieldError, TextTooLongError
from domain.periods import Period, parse_period, quarter
from domain.text import check_plain
from domain.times import wib_date

_NAMESPACE = uuid5(NAMESPACE_URL, "https://iku-humas/period-close")

OPEN, SUBMITTED, VERIFIED, APPROVED = "open", "submitted", "verified", "approved"
STATES = (OPEN, SUBMITTED, VERIFIED, APPROVED)
#: the steps of the cycle: (state it starts from, state it leads to, roles that may take it)
STEPS: dict[str, tuple[tuple[str, ...], str, frozenset[str]]] = {
    "submit": ((OPEN,), SUBMITTED, frozenset({"operator", "admin"})),
    "return": ((SUBMITTED, VERIFIED), OPEN, frozenset({"verifier", "approver"})),
    "verify": ((SUBMITTED,), VERIFIED, frozenset({"verifier"})),
    "approve": ((VERIFIED,), APPROVED, frozenset({"approver"})),
    "reopen": ((APPROVED,), OPEN, frozenset({"approver"})),
}
#: who returns a period: the verifier what awaits verification, the approver what awaits approval
RETURNED_BY = {SUBMITTED: "verifier", VERIFIED: "approver"}
#: steps that need a reason
WITH_REASON = frozenset({"return", "reopen"})
REASON_LIMIT = 1000


class NotClosablePeriodError(DomainError):
    """Only a triwulan or a year goes through the cycle."""

    field = "period"


class StepNotAllowedError(DomainError):
    """The step does not start from the period's state (e.g. approve before verify)."""

    field = "period"


class RoleNotAllowedError(DomainError):
    """The account's role may not take this step."""

    field = "actor"


class SameAccountError(DomainError):
    """Separation of duties: who submitted may not verify, who verified (or submitted) may not approve."""

    field = "actor"


class FiguresChangedError(DomainError):
    """The figures changed after they were verified: what is approved must be what was verified."""

    field = "period"


class QuartersNotClosedError(DomainError):
    """The year closes only when its four triwulan are closed."""

    field = "period"


class YearClosedError(DomainError):
    """A triwulan of a closed year is reopened only after the year."""

    field = "period"


class PeriodClosedError(DomainError):
    """A fact that would change a closed period's figures."""

    field = "period"


def closable(code: str) -> Period:
    """The triwulan or year `code` names (`2020-Q1` … `2020-Q4`, `2020`)."""
    try:
        period = parse_period(code)
    except DomainError:
        raise NotClosablePeriodError(period=str(code).strip()) from None
    if not (period.is_year or period.part in ("Q1", "Q2", "Q3", "Q4")):
        raise NotClosablePeriodError(period=period.code)
    return period


def close_id(code: str) -> UUID:
    return uuid5(_NAMESPACE, code)


def periods_of_day(day: date) -> tuple[str, str]:
    """The triwulan and the year whose figures a fact dated `day` (WIB) belongs to."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}", str(day.year)


def quarters_of(y: int) -> tuple[str, ...]:
    return tuple(quarter(y, q).code for q in range(1, 5))


def check_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise MissingFieldError(field="reason")
    if len(text) > REASON_LIMIT:
        raise TextTooLongError(field="reason", limit=REASON_LIMIT)
    return text


#: the past tense of each step: the kind of its event in the log
STEPPED = {"submit": "submitted", "return": "returned", "verify": "verified", "approve": "approved",
           "reopen": "reopened"}


def check_step(code: str, state: str, submitted_by: str, verified_by: str, step: str, actor: str,
               role: str) -> None:
    """Refuse `step` by `actor` (whose role is `role`) on period `code` in `state` when the state, the role or
    the separation of duties does not allow it."""
    starts, _leads_to, roles = STEPS[step]
    if state not in starts:
        raise StepNotAllowedError(period=code, step=step, state=state)
    if role not in roles or (step == "return" and role != RETURNED_BY[state]):
        raise RoleNotAllowedError(period=code, step=step, role=role, actor=actor)
    if step == "verify" and actor == submitted_by:
        raise SameAccountError(period=code, step=step, actor=actor)
    if step == "approve" and actor in (submitted_by, verified_by):
        raise SameAccountError(period=code, step=step, actor=actor)


class PeriodClose(Aggregate):
    """The cycle of one triwulan or year: its state, who took each step, and its approved revisions. It
    begins with its first submission."""

    class Submitted(Aggregate.Created):
        """The first submission (the aggregate's creation)."""

        code: str
        actor: str
        reason: str

    class Stepped(Aggregate.Event):
        """A step of the cycle other than an approval: submitted again, returned, verified, reopened."""

        step: str
        actor: str
        reason: str

        def apply(self, close: PeriodClose) -> None:
            close.stepped(self.step, self.actor, self.timestamp)

    class Approved(Aggregate.Event):
        actor: str
        revision: int
        seal: str  # the seal of the log the figures were read from: "mth:SIZE:ROOT" (before the tree, "POSITION:DIGEST")
        as_of: datetime  # the moment the figures are as known at
        figures: list[dict[str, Any]]  # the report's rows: code, numerator, denominator, percent, target

        def apply(self, close: PeriodClose) -> None:
            close.state = APPROVED
            close.revision = self.revision
            close.approved_by = self.actor

    def __init__(self, code: str, actor: str, reason: str) -> None:
        self.code = code
        self.state = OPEN
        self.revision = 0
        self.submitted_by = ""
        self.verified_by = ""
        self.approved_by = ""
        #: when the figures now awaiting approval were verified (an approval keeps only those figures)
        self.verified_at: datetime | None = None
        self.stepped("submit", actor, None)

    def stepped(self, step: str, actor: str, timestamp: datetime | None) -> None:
        self.state = STEPS[step][1]
        if step == "submit":
            self.submitted_by = actor
        elif step == "verify":
            self.verified_by, self.verified_at = actor, timestamp
        else:  # returned or reopened: the next submission starts afresh
            self.submitted_by = self.verified_by = ""
            self.verified_at = None

    @classmethod
    def begin(cls, code: str, step: str, *, actor: str, role: str, reason: str = "",
              timestamp: datetime | None = None) -> PeriodClose:
        """The cycle of a period nothing was recorded for yet (it is open): only a submission begins it."""
        code = closable(code).code
        if step not in STEPS:
            raise StepNotAllowedError(period=code, step=step, state=OPEN)
        check_step(code, OPEN, "", "", step, actor, role)
        return cls._create(cls.Submitted, id=close_id(code), code=code, actor=actor, reason=_note(step, reason),
                           timestamp=timestamp)

    @property
    def closed(self) -> bool:
        return self.state == APPROVED

    def check_step(self, step: str, actor: str, role: str) -> None:
        check_step(self.code, self.state, self.submitted_by, self.verified_by, step, actor, role)

    def take(self, step: str, *, actor: str, role: str, reason: str = "",
             timestamp: datetime | None = None) -> None:
        """Take a step other than approval (see `approve`)."""
        if step not in STEPS or step == "approve":
            raise StepNotAllowedError(period=self.code, step=step, state=self.state)
        self.check_step(step, actor, role)
        self.trigger_event(self.Stepped, step=step, actor=actor, reason=_note(step, reason), timestamp=timestamp)

    def approve(self, *, actor: str, role: str, seal: str, as_of: datetime, figures: list[dict[str, Any]],
                timestamp: datetime | None = None) -> None:
        """Close the period as revision N+1, with the seal and the figures it was approved at."""
        self.check_step("approve", actor, role)
        self.trigger_event(self.Approved, actor=actor, revision=self.revision + 1, seal=seal, as_of=as_of,
                           figures=figures, timestamp=timestamp)


def _note(step: str, reason: str | None) -> str:
    """The reason a step needs (return, reopen), or the note another may carry."""
    return check_reason(reason) if step in WITH_REASON else (reason or "").strip()[:REASON_LIMIT]


def touched_days(held_on: date | None, event: Any) -> list[date]:
    """The WIB days whose periods' figures `event` changes, for an activity held on `held_on` (None: not held)
    before it: a `held` its own day; evidence, an exclusion, or the withdrawal of a held, of evidence or of an
    exclusion, the day the activity was held; nothing else changes a figure (link checks and the document
    checklist are kept for closed periods too)."""
    kind = type(event).__name__
    if kind == "Held":
        return [wib_date(event.occurred_at)]
    if held_on is None:
        return []
    if kind in ("Published", "Documented", "ProtocolServed", "Excluded"):
        return [held_on]
    if kind == "Withdrawn" and event.withdrawn_kind in FIGURE_KINDS:
        return [held_on]
    return []


#: the kinds of fact whose withdrawal changes a figure (a checklist document's does not)
FIGURE_KINDS: frozenset[str] = frozenset({"held", "published", "documented", "protocol_served", "excluded"})


def allowed_steps(code: str, close: PeriodClose | None, actor: str, role: str) -> list[str]:
    """The steps `actor` (whose role is `role`) may take on period `code` as its cycle stands (None: nothing
    recorded yet), by its state, the role and the separation of duties (the year's quarters and a closed
    year are the application's to check)."""
    state, submitted_by, verified_by = (close.state, close.submitted_by, close.verified_by) if close else (OPEN, "", "")
    allowed = []
    for step in STEPS:
        try:
            check_step(code, state, submitted_by, verified_by, step, actor, role)
        except DomainError:
            continue
        allowed.append(step)
    return allowed


NARRATIVE_FIELDS = ("analysis", "obstacles", "follow_up")
NARRATIVE_LIMIT = 4000


class NarrativeClosedError(DomainError):
    """A narrative is written while its triwulan is open (before it is submitted, or after a return or
    reopen): what was submitted, verified or approved does not change under the reader."""

    field = "period"


class NotQuarterError(DomainError):
    """A narrative is written per triwulan."""

    field = "period"


def narrative_id(code: str, indicator: str) -> UUID:
    return uuid5(_NAMESPACE, f"narrative:{code}:{indicator}")


class Narrative(Aggregate):
    """The operator's account of one indicator in one triwulan, as the quarterly report prints it: analisis
    capaian (why the figure is what it is), kendala (obstacles) and tindak lanjut (follow-up). Each writing
    is kept."""

    class Written(Aggregate.Created):
        code: str
        indicator: str
        analysis: str
        obstacles: str
        follow_up: str
        actor: str

    class Rewritten(Aggregate.Event):
        analysis: str
        obstacles: str
        follow_up: str
        actor: str

    def __init__(self, code: str, indicator: str, analysis: str, obstacles: str, follow_up: str,
                 actor: str) -> None:
        """Takes the fields of `Written`, as the event sourcing library requires; keeps none of them (the read
        model does)."""

    @staticmethod
    def cleaned(texts: dict[str, str]) -> dict[str, str]:
        """The three texts, trimmed, each within its limit (at least one given)."""
        found = {}
        for name in NARRATIVE_FIELDS:
            text = (texts.get(name) or "").strip()
            if len(text) > NARRATIVE_LIMIT:
                raise TextTooLongError(field=name, limit=NARRATIVE_LIMIT)
            found[name] = check_plain(name, text)
        if not any(found.values()):
            raise MissingFieldError(field="analysis")
        return found

    @classmethod
    def write(cls, code: str, indicator: str, texts: dict[str, str], *, actor: str,
              timestamp: datetime | None = None) -> Narrative:
        return cls._create(cls.Written, id=narrative_id(code, indicator), code=code, indicator=indicator,
                           actor=actor, timestamp=timestamp, **cls.cleaned(texts))

    def rewrite(self, texts: dict[str, str], *, actor: str, timestamp: datetime | None = None) -> None:
        self.trigger_event(self.Rewritten, actor=actor, timestamp=timestamp, **self.cleaned(texts))
