"""The activity log application: the one write path; every command goes through a batch."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from domain.accounts import (
    WRITERS,
    Account,
    AccountDisabledError,
    AccountExistsError,
    UnknownAccountError,
    account_id,
)
from domain.activity import EVIDENCE_KINDS, Activity, activity_id, check_text
from domain.closing import (
    OPEN,
    FiguresChangedError,
    Narrative,
    NarrativeClosedError,
    NotQuarterError,
    PeriodClose,
    PeriodClosedError,
    QuartersNotClosedError,
    RoleNotAllowedError,
    StepNotAllowedError,
    YearClosedError,
    closable,
    close_id,
    narrative_id,
    periods_of_day,
    quarters_of,
    touched_days,
)
from domain.documents import (
    CHECKLIST_ID,
    DocumentChecklist,
    DocumentKind,
    active_kinds,
    check_document_kind,
    check_kind,
)
from domain.errors import (
    AlreadyScheduledError,
    ConcurrentChangeError,
    DomainError,
    NotHeldError,
    NotScheduledError,
    UnknownEventKindError,
)
from domain.indicators import MANUAL_ID, Indicator, IndicatorManual, check_definition, in_force
from domain.profile import PROFILE_ID, InstitutionProfile
from domain.targets import (
    IndicatorTarget,
    NoOriginalTargetError,
    check_basis_date,
    check_indicator,
    check_quarter,
    check_target,
    check_year,
    target_id,
)
from domain.times import UTC


class DateAsISO(Transcoding):
    """Lets a `datetime.date` travel in an event (the default transcoder knows only datetimes)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class Recorded:
    """What a command stored: the activities touched and the log positions of its events."""

    activity_ids: tuple[UUID, ...]
    #: a range for a bulk import (which names its activities in its own result instead)
    positions: tuple[int, ...] | range
    #: commands that were already recorded by the same form submission, so stored nothing again
    repeated: int = 0

    @property
    def last_position(self) -> int:
        return max(self.positions, default=0)


#: the figures an approval keeps, given by the application layer: `(code, None)` as the whole log holds them
#: now, `(code, moment)` as known at a moment: (seal, as of, report rows)
Figures = Callable[[str, datetime | None], tuple[str, datetime, list[dict[str, Any]]]]


class Batch:
    """A unit of work: commands on several activities, stored together in one transaction or not at all.

    Events keep the order the commands were given in, so an import keeps the file's order. When another
    writer (another process or node) stored an event for one of these activities first, the store refuses
    the batch (optimistic concurrency) and `commit` runs every command once more on fresh state: if they
    are all still valid they are stored, otherwise nothing is and `ConcurrentChangeError` says so.
    """

    def __init__(self, log: ActivityLog, *, stored: Callable[[UUID], bool] | None = None,
                 retry: bool = True) -> None:
        self._log = log
        #: whether the store holds anything under an id (default: one lookup each; an import asks once)
        self._stored = stored or log.exists
        #: whether to keep the commands to run again after a concurrency conflict (a bulk import that holds
        #: the write lock throughout has none, and keeps memory flat)
        self._retry = retry
        self._activities: dict[UUID, Activity] = {}
        self._events: list[Any] = []
        #: the commands given, to run again on fresh state after a concurrency conflict
        self._commands: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = []
        #: the WIB days whose periods' figures the batch changes (a closed period refuses the batch), and those
        #: of the last command given
        self._touched: set[date] = set()
        self._last_touched: set[date] = set()
        #: the cycles looked up by `check_last` (a period's, or None when nothing was recorded for it)
        self._closures: dict[str, PeriodClose | None] = {}
        #: commands skipped because their form submission was already recorded (a retry or double-click)
        self.repeated = 0
        #: the recorded indicator versions, read once per batch when an exclusion needs them
        self._manual: list[Indicator] | None = None
        #: the document kinds in use, read once per batch when a checklist command needs them
        self._document_kinds: tuple[DocumentKind, ...] | None = None

    def __len__(self) -> int:
        return len(self._events)

    def drain(self) -> list[Any]:
        """The events of the commands given since the last drain, in command order, handed over and forgotten
        here: a bulk import stores them in chunks inside one transaction (`Runtime.bulk`)."""
        events, self._events = self._events, []
        return events

    def forget(self, reference: str) -> None:
        """Let go of an activity that no later command of this batch names (a bulk import knows each
        reference's last line), so that memory holds only the activities still to come."""
        self._activities.pop(activity_id(reference), None)

    @property
    def touched(self) -> frozenset[date]:
        """The WIB days whose periods' figures the commands given so far change."""
        return frozenset(self._touched)

    def schedule(self, *, reference: str, title: str, leaders: list[str], location: str,
                 occurred_at: datetime, actor: str, note: str = "", submission_id: str = "") -> UUID:
        command = ("schedule", reference, (), dict(title=title, leaders=leaders, location=location,
                                                   occurred_at=occurred_at, actor=actor, note=note,
                                                   submission_id=submission_id))
        aid = activity_id(reference)
        if aid in self._activities or self._stored(aid):
            if submission_id and self._load(reference).has_recorded(submission_id):
                self.repeated += 1
                self._keep(command)
                return aid
            raise AlreadyScheduledError(reference=reference.strip())
        activity = Activity.schedule(
            reference=reference, title=title, leaders=leaders, location=location, occurred_at=occurred_at,
            actor=actor, note=note, submission_id=submission_id, timestamp=self._log.recording_time(),
        )
        self._activities[aid] = activity
        self._events.extend(activity.collect_events())
        self._keep(command)
        return aid

    def _keep(self, command: tuple[str, str, tuple[Any, ...], dict[str, Any]]) -> None:
        if self._retry:
            self._commands.append(command)

    def reschedule(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "reschedule", **fields)

    def hold(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "hold", **fields)

    def cancel(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "cancel", **fields)

    def publish(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "record_evidence", "published", **fields)

    def document(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "record_evidence", "documented", **fields)

    def serve_protocol(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "record_evidence", "protocol_served", **fields)

    def withdraw(self, reference: str, **fields: Any) -> UUID:
        return self._apply(reference, "withdraw", **fields)

    def attach(self, reference: str, kind: str, **fields: Any) -> UUID:
        return self._apply(reference, "attach", kind, **fields)

    def exclude(self, reference: str, *, indicator: str, **fields: Any) -> UUID:
        """Record that the activity is outside `indicator`'s denominator; the indicator's definition is the one
        in force for the year the activity was held, as recorded now."""
        activity = self._load(reference)
        definition = None
        if not activity.has_recorded(fields.get("submission_id", "")):
            if activity.held_on is None:
                raise NotHeldError(reference=activity.reference, kind="excluded")
            if self._manual is None:
                self._manual = self._log.manual_versions()
            definition = check_indicator(indicator, in_force(self._manual, activity.held_on.year))
        return self._apply(reference, "exclude", definition, **fields)

    def attach_document(self, reference: str, document: str, **fields: Any) -> UUID:
        """Attach a stored file as the activity's document of kind `document` (an active checklist kind)."""
        return self._apply(reference, "attach_document", self._document_kind(document), **fields)

    def mark_not_applicable(self, reference: str, document: str, **fields: Any) -> UUID:
        """Record that the activity does not need a document of kind `document`, with a reason."""
        return self._apply(reference, "mark_not_applicable", self._document_kind(document), **fields)

    def record_link_check(self, reference: str, **fields: Any) -> UUID:
        """Record one fetch of a publication's URL (services/linkcheck.py makes the fetch)."""
        return self._apply(reference, "record_link_check", **fields)

    def _document_kind(self, code: str) -> DocumentKind:
        if self._document_kinds is None:
            self._document_kinds = active_kinds(self._log.document_kind_versions())
        return check_document_kind(code, self._document_kinds)

    def record(self, kind: str, reference: str, /, **fields: Any) -> UUID:
        """Dispatch by event kind name (`held`, `published`, …), as the CSV import and forms do."""
        command = COMMANDS.get(kind)
        if command is None:
            raise UnknownEventKindError(kind=kind)
        if kind == "scheduled":
            return self.schedule(reference=reference, **fields)
        return getattr(self, command)(reference, **fields)

    def _apply(self, reference: str, method: str, *args: Any, **fields: Any) -> UUID:
        activity = self._load(reference)
        if activity.has_recorded(fields.get("submission_id", "")):
            self.repeated += 1
        else:
            held_on = activity.held_on
            getattr(activity, method)(*args, timestamp=self._log.recording_time(), **fields)
            events = activity.collect_events()
            self._last_touched = {day for event in events for day in touched_days(held_on, event)}
            self._touched |= self._last_touched
            self._events.extend(events)
        # Only commands that were valid are kept for a retry (a caller may go on after a refused one).
        self._keep((method, reference, args, fields))
        return activity.id

    def check_last(self) -> None:
        """Refuse now (`PeriodClosedError`) when the last command changes a closed period's figures, so an
        import names the line. Each period is looked up once per batch; the commit checks the whole batch
        again, under the write lock."""
        for code in dict.fromkeys(code for day in sorted(self._last_touched) for code in periods_of_day(day)):
            if code not in self._closures:
                self._closures[code] = self._log.period_close(code)
            close = self._closures[code]
            if close is not None and close.closed:
                raise PeriodClosedError(period=code, revision=close.revision, closed_by=close.approved_by)

    def _load(self, reference: str) -> Activity:
        aid = activity_id(reference)
        activity = self._activities.get(aid)
        if activity is None:
            try:
                activity = self._log.repository.get(aid)
            except AggregateNotFoundError:
                raise NotScheduledError(reference=reference.strip()) from None
            self._activities[aid] = activity
        return activity

    def commit(self) -> Recorded:
        """Store every event of the batch in one transaction (nothing on error); on a concurrency conflict,
        run the commands once more on fresh state. A batch that would change a closed period's figures is
        refused whole (`PeriodClosedError`): the check and the write happen under the log's write lock."""
        with self._log.write_lock():
            return self._commit()

    def _commit(self) -> Recorded:
        try:
            return self._store()
        except IntegrityError:
            pass
        again = Batch(self._log)
        current = ""
        try:
            for method, reference, args, fields in self._commands:
                current = reference.strip()
                if method == "schedule":
                    again.schedule(reference=reference, **fields)
                else:
                    again._apply(reference, method, *args, **fields)
        except DomainError:
            # No longer valid on the fresh state: name the activity whose step no longer fits.
            raise ConcurrentChangeError(reference=current) from None
        try:
            return again._store()
        except IntegrityError:
            # Refused a second time (a busy activity): name a few, not a whole import's worth.
            references = sorted({reference.strip() for _, reference, _, _ in self._commands})
            shown = ", ".join(references[:3]) + (f" (+{len(references) - 3})" if len(references) > 3 else "")
            raise ConcurrentChangeError(reference=shown) from None

    def _store(self) -> Recorded:
        if not self._events:
            return Recorded(tuple(self._activities), (), self.repeated)
        self._log.check_open(self._touched)
        try:
            # Straight to the event store, in command order: Application.save would re-check every event
            # against a runtime protocol (a third of an import's time) only to find no snapshots to take.
            recordings = self._log.events.put(self._events)
        finally:
            self._events = []
        ids = tuple(dict.fromkeys(r.domain_event.originator_id for r in recordings))
        return Recorded(ids, tuple(r.notification.id for r in recordings), self.repeated)


class _Conflict(Exception):
    """Another writer stored an event for this aggregate first (optimistic concurrency)."""

    def __init__(self, name: str, thing: str) -> None:
        super().__init__(name)
        self.name, self.thing = name, thing


def retried_once(command: Callable[..., Recorded]) -> Callable[..., Recorded]:
    """Run a single-aggregate command once more on fresh state when another writer got there first; a
    second conflict is `ConcurrentChangeError` (a rule the fresh state breaks is its own error)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Recorded:
        try:
            return command(*args, **kwargs)
        except _Conflict:
            pass
        try:
            return command(*args, **kwargs)
        except _Conflict as conflict:
            raise ConcurrentChangeError(reference=conflict.name, thing=conflict.thing) from None

    return run


COMMANDS: dict[str, str] = {
    "scheduled": "schedule",
    "rescheduled": "reschedule",
    "held": "hold",
    "cancelled": "cancel",
    "published": "publish",
    "documented": "document",
    "protocol_served": "serve_protocol",
    "excluded": "exclude",
    "withdrawn": "withdraw",
}
assert set(EVIDENCE_KINDS) < set(COMMANDS)


class ActivityLog(Application[UUID]):
    """The leadership activity log: commands in, immutable events out.

    `clock` replaces the recording clock (demo data and tests that need history recorded over a year);
    in production the library stamps each event with the current UTC time.
    """

    name = "ActivityLog"

    def __init__(self, env: dict[str, str] | None = None, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(env)
        self._clock = clock
        #: held around every write a closed period may refuse, so that the check and the write are one step
        #: for every process and node writing to this store (the runtime sets one; alone, none is needed)
        self.write_lock: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def recording_time(self) -> datetime | None:
        return self._clock() if self._clock else None

    def exists(self, aid: UUID) -> bool:
        """Whether anything is stored under `aid` (one indexed lookup, nothing decoded)."""
        return bool(self.recorder.select_events(aid, limit=1))

    def batch(self, **options: Any) -> Batch:
        """A unit of work: `b = log.batch(); b.hold(...); b.commit()` stores all of it or nothing (`options`:
        see `Batch`)."""
        return Batch(self, **options)

    def _one(self, kind: str, reference: str, /, **fields: Any) -> Recorded:
        unit = Batch(self)
        unit.record(kind, reference, **fields)
        return unit.commit()

    def schedule(self, reference: str, **fields: Any) -> Recorded:
        return self._one("scheduled", reference, **fields)

    def reschedule(self, reference: str, **fields: Any) -> Recorded:
        return self._one("rescheduled", reference, **fields)

    def hold(self, reference: str, **fields: Any) -> Recorded:
        return self._one("held", reference, **fields)

    def cancel(self, reference: str, **fields: Any) -> Recorded:
        return self._one("cancelled", reference, **fields)

    def publish(self, reference: str, **fields: Any) -> Recorded:
        return self._one("published", reference, **fields)

    def document(self, reference: str, **fields: Any) -> Recorded:
        return self._one("documented", reference, **fields)

    def serve_protocol(self, reference: str, **fields: Any) -> Recorded:
        return self._one("protocol_served", reference, **fields)

    def withdraw(self, reference: str, **fields: Any) -> Recorded:
        return self._one("withdrawn", reference, **fields)

    def record(self, kind: str, reference: str, /, **fields: Any) -> Recorded:
        return self._one(kind, reference, **fields)

    # Accounts: staff who record or read the log, kept as events in the same store (one audit trail).

    @retried_once
    def add_account(self, username: str, *, role: str, password_hash: str, actor: str) -> Recorded:
        account = Account.create(username=username, role=role, password_hash=password_hash, actor=actor,
                                 timestamp=self.recording_time())
        if self.exists(account.id):
            raise AccountExistsError(username=account.username)
        return self._save_account(account)

    @retried_once
    def change_role(self, username: str, role: str, *, actor: str) -> Recorded:
        account = self._account(username)
        account.change_role(role, actor=actor, timestamp=self.recording_time())
        return self._save_account(account)

    @retried_once
    def disable_account(self, username: str, *, actor: str, reason: str = "") -> Recorded:
        account = self._account(username)
        account.disable(actor=actor, reason=reason, timestamp=self.recording_time())
        return self._save_account(account)

    @retried_once
    def enable_account(self, username: str, *, actor: str) -> Recorded:
        account = self._account(username)
        account.enable(actor=actor, timestamp=self.recording_time())
        return self._save_account(account)

    @retried_once
    def change_password(self, username: str, password_hash: str, *, actor: str) -> Recorded:
        account = self._account(username)
        account.change_password(password_hash, actor=actor, timestamp=self.recording_time())
        return self._save_account(account)

    @retried_once
    def reset_password(self, username: str, password_hash: str, *, actor: str, reason: str) -> Recorded:
        account = self._account(username)
        account.reset_password(password_hash, actor=actor, reason=reason, timestamp=self.recording_time())
        return self._save_account(account)

    def _account(self, username: str) -> Account:
        try:
            return self.repository.get(account_id(username))
        except AggregateNotFoundError:
            raise UnknownAccountError(username=username.strip().lower()) from None

    def _save_account(self, account: Account) -> Recorded:
        return self._save_one(account, account.username, "account")

    def _save_one(self, aggregate: Any, name: str, thing: str) -> Recorded:
        """Store one aggregate's new events; a concurrent writer's change is `_Conflict` (see `retried_once`)."""
        try:
            recordings = self.save(aggregate)
        except IntegrityError:
            raise _Conflict(name, thing) from None
        return Recorded((aggregate.id,), tuple(r.notification.id for r in recordings))

    # Targets per indicator and year (history kept: who set which value, when and why).

    def set_target(self, year: int | str, code: str, value: str | int | float, *, reason: str,
                   actor: str) -> Recorded:
        """Set an indicator's target for a year; refused while a period of that year is closed (its capaian
        would change)."""
        with self.write_lock():
            return self._set_target(year, code, value, reason=reason, actor=actor)

    @retried_once
    def _set_target(self, year: int | str, code: str, value: str | int | float, *, reason: str,
                    actor: str) -> Recorded:
        year, number = check_year(year), check_target(value)
        code = check_indicator(code, self.indicators(year)).code
        reason = check_text("note", reason, required=True)
        self._check_open_codes([*quarters_of(year), str(year)])
        try:
            target = self.repository.get(target_id(year, code))
        except AggregateNotFoundError:
            target = IndicatorTarget.set(year=year, code=code, value=number, reason=reason, actor=actor,
                                         timestamp=self.recording_time())
        else:
            target.change(number, reason=reason, actor=actor, timestamp=self.recording_time())
        return self._save_one(target, f"{year} {code}", "target")

    def revise_target(self, year: int | str, code: str, value: str | int | float, *, basis_number: str,
                      basis_date: str | date, reason: str, actor: str) -> Recorded:
        """Record a PK perubahan: the year's target revised by a decree (number and date), beside the original
        (which must be recorded first); refused while a period of that year is closed."""
        with self.write_lock():
            return self._revise_target(year, code, value, basis_number=basis_number, basis_date=basis_date,
                                       reason=reason, actor=actor)

    @retried_once
    def _revise_target(self, year: int | str, code: str, value: str | int | float, *, basis_number: str,
                       basis_date: str | date, reason: str, actor: str) -> Recorded:
        year, number = check_year(year), check_target(value)
        code = check_indicator(code, self.indicators(year)).code
        basis = check_text("evidence_ref", basis_number, required=True)
        when = check_basis_date(basis_date)
        reason = check_text("note", reason, required=True)
        self._check_open_codes([*quarters_of(year), str(year)])
        try:
            target = self.repository.get(target_id(year, code))
        except AggregateNotFoundError:
            raise NoOriginalTargetError(year=year, code=code) from None
        target.revise(number, basis_number=basis, basis_date=when.isoformat(), reason=reason, actor=actor,
                      timestamp=self.recording_time())
        return self._save_one(target, f"{year} {code}", "target")

    def set_quarter_target(self, year: int | str, code: str, quarter: int | str, value: str | int | float, *,
                           reason: str, actor: str) -> Recorded:
        """Set the target of one triwulan (rencana aksi) beside the annual one; refused while that triwulan
        or its year is closed."""
        with self.write_lock():
            return self._set_quarter_target(year, code, quarter, value, reason=reason, actor=actor)

    @retried_once
    def _set_quarter_target(self, year: int | str, code: str, quarter: int | str, value: str | int | float, *,
                            reason: str, actor: str) -> Recorded:
        year, number, part = check_year(year), check_target(value), check_quarter(quarter)
        code = check_indicator(code, self.indicators(year)).code
        reason = check_text("note", reason, required=True)
        self._check_open_codes([f"{year}-Q{part}", str(year)])
        try:
            target = self.repository.get(target_id(year, code))
        except AggregateNotFoundError:
            raise NoOriginalTargetError(year=year, code=code) from None
        target.set_quarter(part, number, reason=reason, actor=actor, timestamp=self.recording_time())
        return self._save_one(target, f"{year} {code}", "target")

    # The Manual IKU: indicator definitions as versioned data (domain/indicators.py).

    def manual_versions(self) -> list[Indicator]:
        """Every recorded version of every indicator, in recording order (the seed is not recorded)."""
        try:
            return list(self.repository.get(MANUAL_ID).versions)
        except AggregateNotFoundError:
            return []

    def indicators(self, year: int) -> tuple[Indicator, ...]:
        """The indicators in force for `year`, as recorded now."""
        return in_force(self.manual_versions(), year)

    def define_indicator(self, values: dict[str, Any], *, reason: str, actor: str) -> Recorded:
        """Record a version of an indicator (a new one, or a change of one) effective from its year; refused
        while a period of that year or a later one is closed (its figures would change)."""
        with self.write_lock():
            return self._define_indicator(values, reason=reason, actor=actor)

    @retried_once
    def _define_indicator(self, values: dict[str, Any], *, reason: str, actor: str) -> Recorded:
        indicator = check_definition(values)
        self._check_years_open(indicator.effective_from)
        manual = self._manual(actor)
        manual.define(indicator, reason=reason, actor=actor, timestamp=self.recording_time())
        return self._save_one(manual, indicator.code, "indicator")

    def retire_indicator(self, code: str, effective_from: int | str, *, reason: str, actor: str) -> Recorded:
        """Take an indicator out of the IKU from a year on (earlier years keep it)."""
        with self.write_lock():
            return self._retire_indicator(code, effective_from, reason=reason, actor=actor)

    @retried_once
    def _retire_indicator(self, code: str, effective_from: int | str, *, reason: str, actor: str) -> Recorded:
        year = check_year(effective_from)
        code = check_indicator(code, self.indicators(year)).code
        self._check_years_open(year)
        manual = self._manual(actor)
        manual.retire(code, year, reason=reason, actor=actor, timestamp=self.recording_time())
        return self._save_one(manual, code, "indicator")

    # The document checklist: kinds of document as versioned data (domain/documents.py).

    def document_kind_versions(self) -> list[DocumentKind]:
        """Every recorded version of every document kind, in recording order (the defaults are not recorded)."""
        try:
            return list(self.repository.get(CHECKLIST_ID).versions)
        except AggregateNotFoundError:
            return []

    def define_document_kind(self, code: str, label: str, required_for: list[str] | str, *, reason: str,
                             actor: str) -> Recorded:
        """Add a kind of document to the checklist, or change one (its label, whose activities need it)."""
        with self.write_lock():
            return self._define_document_kind(code, label, required_for, reason=reason, actor=actor)

    @retried_once
    def _define_document_kind(self, code: str, label: str, required_for: list[str] | str, *, reason: str,
                              actor: str) -> Recorded:
        kind = check_kind(code, label, required_for)
        checklist = self._checklist(actor)
        checklist.define(kind, reason=reason, actor=actor, timestamp=self.recording_time())
        return self._save_one(checklist, kind.code, "document_kind")

    def retire_document_kind(self, code: str, *, reason: str, actor: str) -> Recorded:
        """Stop keeping a kind of document from now on (files attached before stay in the trail)."""
        with self.write_lock():
            return self._retire_document_kind(code, reason=reason, actor=actor)

    @retried_once
    def _retire_document_kind(self, code: str, *, reason: str, actor: str) -> Recorded:
        checklist = self._checklist(actor)
        checklist.retire(code, reason=reason, actor=actor, timestamp=self.recording_time())
        return self._save_one(checklist, code.strip().lower(), "document_kind")

    def _checklist(self, actor: str) -> DocumentChecklist:
        try:
            return self.repository.get(CHECKLIST_ID)
        except AggregateNotFoundError:
            return DocumentChecklist.open(actor=actor, timestamp=self.recording_time())

    def _manual(self, actor: str) -> IndicatorManual:
        try:
            return self.repository.get(MANUAL_ID)
        except AggregateNotFoundError:
            return IndicatorManual.open(actor=actor, timestamp=self.recording_time())

    def _check_years_open(self, first: int) -> None:
        """Refuse when a period of `first` or a later year (up to the recording clock's) is closed."""
        last = (self.recording_time() or datetime.now(tz=UTC)).year + 1
        for year in range(first, max(first, last) + 1):
            self._check_open_codes([*quarters_of(year), str(year)])

    @retried_once
    def set_profile(self, key: str, value: str, *, actor: str) -> Recorded:
        """Change one field of the institution profile printed on official reports."""
        profile = self._profile(actor)
        profile.change(key, value, actor=actor, timestamp=self.recording_time())
        return self._save_one(profile, "", "profile")

    @retried_once
    def change_profile(self, values: dict[str, str], *, actor: str) -> Recorded:
        """Change several fields of the profile together (one save: all of them or none); a field given
        the value already in force (set, or the default) records nothing."""
        profile = self._profile(actor)
        changed = {key: value for key, value in values.items()
                   if profile.value(key) != InstitutionProfile.cleaned(value)}
        if not changed:
            return Recorded((PROFILE_ID,), ())
        for key, value in changed.items():
            profile.change(key, value, actor=actor, timestamp=self.recording_time())
        return self._save_one(profile, "", "profile")

    def _profile(self, actor: str) -> InstitutionProfile:
        try:
            return self.repository.get(PROFILE_ID)
        except AggregateNotFoundError:
            return InstitutionProfile.start(actor=actor, timestamp=self.recording_time())

    # The quarter's accountability cycle (domain/closing.py): submit, return, verify, approve, reopen.

    def period_close(self, code: str) -> PeriodClose | None:
        """The cycle of a triwulan or year as stored (None: nothing recorded yet, so it is open)."""
        try:
            return self.repository.get(close_id(code))
        except AggregateNotFoundError:
            return None

    def check_open(self, days: Iterable[date]) -> None:
        """Refuse (`PeriodClosedError`, naming the period, its revision and who closed it) when a period whose
        figures a fact dated on one of `days` changes is closed."""
        self._check_open_codes(dict.fromkeys(code for day in sorted(days) for code in periods_of_day(day)))

    def _check_open_codes(self, codes: Iterable[str]) -> None:
        for code in codes:
            close = self.period_close(code)
            if close is not None and close.closed:
                raise PeriodClosedError(period=code, revision=close.revision, closed_by=close.approved_by)

    def take_step(self, code: str, step: str, *, actor: str, reason: str = "") -> Recorded:
        """Submit, return, verify or reopen a triwulan or year as `actor`, an enabled account whose role
        allows the step (approve: see `approve`)."""
        with self.write_lock():
            return self._take_step(code, step, actor=actor, reason=reason)

    @retried_once
    def _take_step(self, code: str, step: str, *, actor: str, reason: str) -> Recorded:
        period = closable(code)
        name, role = self._role_of(actor)
        close = self.period_close(period.code)
        if close is None:
            close = PeriodClose.begin(period.code, step, actor=name, role=role, reason=reason,
                                      timestamp=self.recording_time())
            return self._save_one(close, period.code, "period")
        if step == "reopen" and not period.is_year:
            year_close = self.period_close(str(period.start.year))
            if year_close is not None and year_close.closed:
                raise YearClosedError(period=period.code, year=str(period.start.year))
        close.take(step, actor=name, role=role, reason=reason, timestamp=self.recording_time())
        return self._save_one(close, period.code, "period")

    def approve(self, code: str, *, actor: str, figures: Figures) -> Recorded:
        """Close a verified triwulan or year as `actor` (an approver): `figures(code, None)` gives, under the
        write lock (so no fact slips in between), the seal of the log, the moment and the report rows the
        approval keeps; `figures(code, verified_at)` the rows as known when they were verified, which must be
        the same (`FiguresChangedError` otherwise: a fact recorded since needs a return and a new
        verification). The year closes only when its four triwulan are closed."""
        with self.write_lock():
            return self._approve(code, actor=actor, figures=figures)

    @retried_once
    def _approve(self, code: str, *, actor: str, figures: Figures) -> Recorded:
        period = closable(code)
        name, role = self._role_of(actor)
        close = self.period_close(period.code)
        if close is None:
            raise StepNotAllowedError(period=period.code, step="approve", state=OPEN)
        close.check_step("approve", name, role)
        if period.is_year:
            still_open = [q for q in quarters_of(period.start.year)
                          if not ((found := self.period_close(q)) is not None and found.closed)]
            if still_open:
                raise QuartersNotClosedError(period=period.code, quarters=", ".join(still_open))
        seal, as_of, rows = figures(period.code, None)
        _seal, _as_of, verified = figures(period.code, close.verified_at)
        if [(r["code"], r["numerator"], r["denominator"]) for r in rows] != \
                [(r["code"], r["numerator"], r["denominator"]) for r in verified]:
            raise FiguresChangedError(period=period.code, verified_by=close.verified_by, verified_at=close.verified_at)
        close.approve(actor=name, role=role, seal=seal, as_of=as_of, figures=rows, timestamp=self.recording_time())
        return self._save_one(close, period.code, "period")

    def _role_of(self, username: str) -> tuple[str, str]:
        """The account's name and role; an unknown or disabled account takes no step."""
        account = self._account(username)
        if account.disabled:
            raise AccountDisabledError(username=account.username)
        return account.username, account.role

    def write_narrative(self, code: str, indicator: str, texts: dict[str, str], *, actor: str) -> Recorded:
        """Write the narrative of one indicator in one triwulan (analysis, obstacles, follow-up) as `actor`, an
        operator or admin, while the triwulan is open."""
        with self.write_lock():
            return self._write_narrative(code, indicator, texts, actor=actor)

    @retried_once
    def _write_narrative(self, code: str, indicator: str, texts: dict[str, str], *, actor: str) -> Recorded:
        period = closable(code)
        if period.is_year:
            raise NotQuarterError(period=period.code)
        indicator = check_indicator(indicator, self.indicators(period.start.year)).code
        name, role = self._role_of(actor)
        if role not in WRITERS:
            raise RoleNotAllowedError(period=period.code, step="narrate", role=role, actor=name)
        close = self.period_close(period.code)
        if close is not None and close.state != OPEN:
            raise NarrativeClosedError(period=period.code, state=close.state)
        try:
            narrative = self.repository.get(narrative_id(period.code, indicator))
        except AggregateNotFoundError:
            narrative = Narrative.write(period.code, indicator, texts, actor=name, timestamp=self.recording_time())
        else:
            narrative.rewrite(texts, actor=name, timestamp=self.recording_time())
        return self._save_one(narrative, f"{period.code} {indicator}", "narrative")
