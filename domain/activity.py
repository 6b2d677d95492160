"""The Activity aggregate (kegiatan pimpinan daerah): every rule of the activity log lives here."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import (
    ActivityCancelledError,
    AlreadyExcludedError,
    AlreadyHeldError,
    AlreadyNotApplicableError,
    DocumentAlreadyAttachedError,
    DocumentNotApplicableError,
    FutureOccurrenceError,
    HeldActivityError,
    InvalidReferenceError,
    MissingFieldError,
    NotAttachableError,
    NotHeldError,
    NothingToAttachError,
    NothingToCheckError,
    NothingToWithdrawError,
    NotWithdrawableError,
    OtherLeadersError,
    TextTooLongError,
    UnknownLeaderError,
)
from domain.indicators import LEADERS, ExclusionNotAllowedError, Indicator
from domain.text import check_plain
from domain.times import UTC, check_in_range, wib_date

if TYPE_CHECKING:
    from domain.documents import DocumentKind

EVIDENCE_KINDS: tuple[str, ...] = ("published", "documented", "protocol_served")
#: the checklist's facts: a document's file, and a kind marked not applicable
DOCUMENT_KINDS: tuple[str, ...] = ("document", "not_applicable")
WITHDRAWABLE_KINDS: tuple[str, ...] = ("held", "cancelled", *EVIDENCE_KINDS, "excluded", *DOCUMENT_KINDS)
EVENT_KINDS: tuple[str, ...] = (
    "scheduled", "rescheduled", "held", "cancelled", *EVIDENCE_KINDS, "excluded", "withdrawn",
)

#: how far past the recording clock an occurrence may lie (clocks of office PCs drift)
CLOCK_TOLERANCE = timedelta(minutes=10)
_NAMESPACE = uuid5(NAMESPACE_URL, "https://iku-humas/activity")
#: matched whole (`fullmatch`): a `$` would let a trailing newline through
_REFERENCE = re.compile(r"[^\s\x00-\x1f\x7f-\x9f](?:[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?")
_LIMITS = {"title": 300, "location": 200, "channel": 120, "evidence_ref": 500, "note": 1000, "actor": 120}


def activity_id(reference: str) -> UUID:
    """The aggregate id of an office reference: the same reference always maps to the same activity."""
    return uuid5(_NAMESPACE, check_reference(reference))


def check_reference(reference: str) -> str:
    """The office's reference, trimmed: 1–64 visible characters, no inner space, no control character."""
    text = (reference or "").strip(" ")
    if not text or len(text) > 64 or not _REFERENCE.fullmatch(text) or " " in text:
        raise InvalidReferenceError(reference=reference)
    return text


def check_leaders(leaders: list[str] | tuple[str, ...]) -> list[str]:
    cleaned: list[str] = []
    for leader in leaders:
        code = leader.strip().lower()
        if not code:
            continue
        if code not in LEADERS:
            raise UnknownLeaderError(leader=leader.strip())
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        raise MissingFieldError(field="leaders")
    return sorted(cleaned, key=LEADERS.index)


def check_text(field: str, value: str | None, *, required: bool = False) -> str:
    text = check_plain(field, value or "").strip()
    if required and not text:
        raise MissingFieldError(field="reason" if field == "note" else field)
    if len(text) > _LIMITS[field]:
        raise TextTooLongError(field=field, limit=_LIMITS[field])
    return text


def check_moment(moment: datetime) -> datetime:
    """An aware moment in the years the domain accepts (`domain.times.FIRST_YEAR`…`LAST_YEAR`)."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise TypeError("occurred_at must be a timezone-aware datetime")
    return check_in_range(moment)


class Activity(Aggregate):
    """One leadership activity, identified by the office's reference."""

    class Scheduled(Aggregate.Created):
        reference: str
        title: str
        leaders: list[str]
        location: str
        occurred_at: datetime  # the planned start
        actor: str
        note: str
        submission_id: str = ""  # the form submission that recorded it (idempotent retries)

    class Rescheduled(Aggregate.Event):
        occurred_at: datetime  # the new planned start
        title: str  # empty: unchanged
        leaders: list[str]  # empty: unchanged
        location: str  # empty: unchanged
        actor: str
        note: str
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            if self.leaders:
                activity.leaders = tuple(self.leaders)

    class Held(Aggregate.Event):
        occurred_at: datetime
        actor: str
        note: str
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            activity.held_version = self.originator_version
            activity.held_on = wib_date(self.occurred_at)

    class Cancelled(Aggregate.Event):
        occurred_at: datetime
        actor: str
        note: str  # the reason
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            activity.cancelled_version = self.originator_version

    class EvidenceRecorded(Aggregate.Event):
        occurred_at: datetime
        channel: str  # publication channel, media kind, or protocol officer/unit
        evidence_ref: str  # URL, archive reference, or letter number
        actor: str
        note: str
        submission_id: str = ""

        kind = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            activity.evidence[self.originator_version] = (self.kind, self.evidence_ref)

    class Published(EvidenceRecorded):
        kind = "published"

    class Documented(EvidenceRecorded):
        kind = "documented"

    class ProtocolServed(EvidenceRecorded):
        kind = "protocol_served"

    class Excluded(Aggregate.Event):
        """The activity is outside one indicator's denominator (dikecualikan), for a reason its definition
        allows; withdrawable like any fact (withdrawal: kind `excluded`, reference = the indicator)."""

        occurred_at: datetime
        indicator: str
        exclusion_reason: str
        actor: str
        note: str
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            activity.evidence[self.originator_version] = ("excluded", self.indicator)

    class Withdrawn(Aggregate.Event):
        occurred_at: datetime
        withdrawn_kind: str
        evidence_ref: str  # empty: every valid fact of that kind
        targets: list[int]  # versions of the facts this withdrawal takes back
        actor: str
        note: str  # the reason
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            for version in self.targets:
                activity.evidence.pop(version, None)
                if activity.held_version == version:
                    activity.held_version = activity.held_on = None
                if activity.cancelled_version == version:
                    activity.cancelled_version = None

    class EvidenceAttached(Aggregate.Event):
        occurred_at: datetime
        kind: str  # the kind of the fact the file belongs to
        target: int  # version of that fact
        sha256: str
        name: str
        size: int
        media_type: str
        actor: str
        note: str
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)

    class DocumentAttached(Aggregate.Event):
        """A file of one kind of the document checklist (undangan, foto, …), stored content-addressed."""

        occurred_at: datetime
        document: str  # the kind's code
        sha256: str
        name: str
        size: int
        media_type: str
        actor: str
        note: str
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            activity.evidence[self.originator_version] = ("document", f"{self.document}:{self.sha256}")

    class DocumentNotApplicable(Aggregate.Event):
        """A kind of the checklist does not apply to this activity, for the reason in `note`."""

        occurred_at: datetime
        document: str
        actor: str
        note: str
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            activity.submissions.add(self.submission_id)
            activity.evidence[self.originator_version] = ("not_applicable", self.document)

    class LinkChecked(Aggregate.Event):
        """One fetch of a publication's URL: what answered (HTTP status, or a network error code), where the
        redirects ended, the body's type and SHA-256, and the archived copy the first successful fetch kept."""

        occurred_at: datetime  # when the fetch was made
        url: str  # the publication's reference
        target: int  # version of the valid `published` fact with that reference
        status: int  # 0: no response
        error: str
        final_url: str
        content_type: str
        sha256: str  # of the body ("" when it was not read whole)
        changed: bool  # the digest differs from the last one recorded for this URL
        archive_sha256: str  # the copy kept in the evidence store ("" when none was kept by this check)
        archive_size: int
        actor: str
        note: str = ""
        submission_id: str = ""

        def apply(self, activity: Activity) -> None:
            if self.sha256:
                activity.link_digests[self.url] = self.sha256
            if self.archive_sha256:
                activity.archived_links.add(self.url)

    def __init__(
        self, reference: str, title: str, leaders: list[str], location: str,
        occurred_at: datetime, actor: str, note: str, submission_id: str = "",
    ) -> None:
        # Only what the rules read is kept: the rest of the plan (title, place, start) lives in the events and
        # the read model, and no rule depends on it.
        self.reference = reference
        #: whose activity it is (an exclusion names an indicator whose denominator holds it)
        self.leaders: tuple[str, ...] = tuple(leaders)
        self.held_version: int | None = None
        #: the WIB day of the valid `held` (the day whose periods count the activity)
        self.held_on: date | None = None
        self.cancelled_version: int | None = None
        self.evidence: dict[int, tuple[str, str]] = {}
        #: ids of the form submissions already recorded here ("" stands for none)
        self.submissions: set[str] = {submission_id}
        #: the last body digest recorded for each checked publication URL, and the URLs with an archived copy
        self.link_digests: dict[str, str] = {}
        self.archived_links: set[str] = set()

    @classmethod
    def schedule(
        cls, *, reference: str, title: str, leaders: list[str], location: str,
        occurred_at: datetime, actor: str, note: str = "", submission_id: str = "",
        timestamp: datetime | None = None,
    ) -> Activity:
        reference = check_reference(reference)
        return cls._create(
            cls.Scheduled,
            id=activity_id(reference),
            reference=reference,
            title=check_text("title", title, required=True),
            leaders=check_leaders(leaders),
            location=check_text("location", location),
            occurred_at=check_moment(occurred_at),
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    @property
    def is_held(self) -> bool:
        return self.held_version is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_version is not None

    def has_recorded(self, submission_id: str) -> bool:
        """Whether a form submission with this id was already recorded on this activity."""
        return bool(submission_id) and submission_id in self.submissions

    def reschedule(
        self, *, occurred_at: datetime, actor: str, title: str = "", leaders: list[str] | None = None,
        location: str = "", note: str = "", submission_id: str = "", timestamp: datetime | None = None,
    ) -> None:
        self._check_open("rescheduled")
        self.trigger_event(
            self.Rescheduled,
            occurred_at=check_moment(occurred_at),
            title=check_text("title", title),
            leaders=check_leaders(leaders) if leaders and any(x.strip() for x in leaders) else [],
            location=check_text("location", location),
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def hold(self, *, occurred_at: datetime, actor: str, note: str = "", submission_id: str = "",
             timestamp: datetime | None = None) -> None:
        if self.is_cancelled:
            raise ActivityCancelledError(reference=self.reference, kind="held")
        if self.is_held:
            raise AlreadyHeldError(reference=self.reference)
        self._check_past("held", occurred_at, timestamp)
        self.trigger_event(
            self.Held,
            occurred_at=occurred_at,
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def cancel(self, *, occurred_at: datetime, actor: str, reason: str, submission_id: str = "",
               timestamp: datetime | None = None) -> None:
        self._check_open("cancelled")
        self._check_past("cancelled", occurred_at, timestamp)
        self.trigger_event(
            self.Cancelled,
            occurred_at=occurred_at,
            actor=check_text("actor", actor, required=True),
            note=check_text("note", reason, required=True),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def record_evidence(
        self, kind: str, *, occurred_at: datetime, channel: str, evidence_ref: str, actor: str,
        note: str = "", submission_id: str = "", timestamp: datetime | None = None,
    ) -> None:
        """Record a `published`, `documented` or `protocol_served` fact."""
        event_class = {"published": self.Published, "documented": self.Documented,
                       "protocol_served": self.ProtocolServed}[kind]
        if not self.is_held:
            raise NotHeldError(reference=self.reference, kind=kind)
        self._check_past(kind, occurred_at, timestamp)
        self.trigger_event(
            event_class,
            occurred_at=occurred_at,
            channel=check_text("channel", channel, required=True),
            evidence_ref=check_text("evidence_ref", evidence_ref, required=kind != "protocol_served"),
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def exclude(
        self, indicator: Indicator, *, exclusion_reason: str, note: str, occurred_at: datetime, actor: str,
        submission_id: str = "", timestamp: datetime | None = None,
    ) -> None:
        """Record that the activity is outside `indicator`'s denominator (the version in force for the year it
        was held), for a reason that version allows, with a note."""
        if not self.is_held:
            raise NotHeldError(reference=self.reference, kind="excluded")
        reason = (exclusion_reason or "").strip().lower()
        if not reason:
            raise MissingFieldError(field="exclusion_reason")
        if not indicator.counts_leaders(self.leaders):
            raise OtherLeadersError(reference=self.reference, code=indicator.code,
                                    leaders=", ".join(indicator.leaders))
        if reason not in indicator.exclusion_reasons:
            raise ExclusionNotAllowedError(code=indicator.code, reason=reason,
                                           allowed=", ".join(indicator.exclusion_reasons) or "-")
        if self._withdrawal_targets("excluded", indicator.code):
            raise AlreadyExcludedError(reference=self.reference, code=indicator.code)
        self._check_past("excluded", occurred_at, timestamp)
        self.trigger_event(
            self.Excluded,
            occurred_at=occurred_at,
            indicator=indicator.code,
            exclusion_reason=reason,
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note, required=True),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def withdraw(
        self, *, withdrawn_kind: str, evidence_ref: str = "", reason: str, occurred_at: datetime, actor: str,
        submission_id: str = "", timestamp: datetime | None = None,
    ) -> None:
        """Take back earlier valid fact(s) of a kind (optionally only the one with that reference)."""
        kind = (withdrawn_kind or "").strip()
        if not kind:
            raise MissingFieldError(field="kind")
        if kind not in WITHDRAWABLE_KINDS:
            raise NotWithdrawableError(kind=kind)
        reason = check_text("note", reason, required=True)
        evidence_ref = (evidence_ref or "").strip()
        targets = self._withdrawal_targets(kind, evidence_ref)
        if not targets:
            raise NothingToWithdrawError(reference=self.reference, kind=kind, evidence_ref=evidence_ref)
        self.trigger_event(
            self.Withdrawn,
            occurred_at=check_moment(occurred_at),
            withdrawn_kind=kind,
            evidence_ref=evidence_ref,
            targets=targets,
            actor=check_text("actor", actor, required=True),
            note=reason,
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def attach(
        self, kind: str, *, sha256: str, name: str, size: int, media_type: str, occurred_at: datetime, actor: str,
        note: str = "", submission_id: str = "", timestamp: datetime | None = None,
    ) -> None:
        """Attach a stored file (photo, PDF) to the latest valid fact of `kind`."""
        if kind not in EVIDENCE_KINDS:
            raise NotAttachableError(kind=kind)
        targets = self._withdrawal_targets(kind)
        if not targets:
            raise NothingToAttachError(reference=self.reference, kind=kind)
        self.trigger_event(
            self.EvidenceAttached,
            occurred_at=check_moment(occurred_at),
            kind=kind,
            target=targets[-1],
            sha256=sha256,
            name=(name or "berkas")[-200:],
            size=size,
            media_type=media_type,
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def attach_document(
        self, kind: DocumentKind, *, sha256: str, name: str, size: int, media_type: str, occurred_at: datetime,
        actor: str, note: str = "", submission_id: str = "", timestamp: datetime | None = None,
    ) -> None:
        """Attach a stored file as a document of `kind` (several files of a kind may be kept, each once)."""
        if self._withdrawal_targets("not_applicable", kind.code):
            raise DocumentNotApplicableError(reference=self.reference, document=kind.code, label=kind.label)
        if self._withdrawal_targets("document", f"{kind.code}:{sha256}"):
            raise DocumentAlreadyAttachedError(reference=self.reference, document=kind.code, label=kind.label)
        self.trigger_event(
            self.DocumentAttached,
            occurred_at=check_moment(occurred_at),
            document=kind.code,
            sha256=sha256,
            name=(name or "berkas")[-200:],
            size=size,
            media_type=media_type,
            actor=check_text("actor", actor, required=True),
            note=check_text("note", note),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def mark_not_applicable(
        self, kind: DocumentKind, *, reason: str, occurred_at: datetime, actor: str, submission_id: str = "",
        timestamp: datetime | None = None,
    ) -> None:
        """Record that the activity does not need a document of `kind`, with the reason."""
        if self._withdrawal_targets("document", kind.code):
            raise DocumentAlreadyAttachedError(reference=self.reference, document=kind.code, label=kind.label)
        if self._withdrawal_targets("not_applicable", kind.code):
            raise AlreadyNotApplicableError(reference=self.reference, document=kind.code, label=kind.label)
        self.trigger_event(
            self.DocumentNotApplicable,
            occurred_at=check_moment(occurred_at),
            document=kind.code,
            actor=check_text("actor", actor, required=True),
            note=check_text("note", reason, required=True),
            submission_id=submission_id,
            timestamp=timestamp,
        )

    def record_link_check(
        self, *, url: str, checked_at: datetime, status: int, error: str, final_url: str, content_type: str,
        sha256: str, archive_sha256: str = "", archive_size: int = 0, actor: str,
        timestamp: datetime | None = None,
    ) -> None:
        """Record one fetch of a valid publication's URL. Only the first copy of a URL is kept as its archive
        (a later one offered is not recorded); `changed` says whether the digest differs from the last one."""
        targets = self._withdrawal_targets("published", url)
        if not targets:
            raise NothingToCheckError(reference=self.reference, url=url)
        previous = self.link_digests.get(url, "")
        keep = bool(archive_sha256) and url not in self.archived_links
        self.trigger_event(
            self.LinkChecked,
            occurred_at=check_moment(checked_at),
            url=url,
            target=targets[-1],
            status=int(status),
            error=error,
            final_url=final_url[:2000],
            content_type=content_type[:200],
            sha256=sha256,
            changed=bool(previous and sha256 and sha256 != previous),
            archive_sha256=archive_sha256 if keep else "",
            archive_size=archive_size if keep else 0,
            actor=check_text("actor", actor, required=True),
            timestamp=timestamp,
        )

    def _withdrawal_targets(self, kind: str, evidence_ref: str = "") -> list[int]:
        if kind == "held":
            return [self.held_version] if self.held_version is not None else []
        if kind == "cancelled":
            return [self.cancelled_version] if self.cancelled_version is not None else []
        # a document's reference is `kind:sha256`: its kind alone names every valid file of that kind
        return sorted(
            version for version, (fact_kind, ref) in self.evidence.items()
            if fact_kind == kind and (not evidence_ref or ref == evidence_ref
                                      or (kind == "document" and ref.startswith(evidence_ref + ":")))
        )

    def _check_open(self, kind: str) -> None:
        if self.is_cancelled:
            raise ActivityCancelledError(reference=self.reference, kind=kind)
        if self.is_held:
            raise HeldActivityError(reference=self.reference, kind=kind)

    @staticmethod
    def _check_past(kind: str, occurred_at: datetime, timestamp: datetime | None) -> None:
        recorded = timestamp or datetime.now(tz=UTC)
        if check_moment(occurred_at) > recorded + CLOCK_TOLERANCE:
            raise FutureOccurrenceError(kind=kind, occurred_at=occurred_at)


def event_kind(event: object) -> str:
    """The contract name (`held`, `protocol_served`, …) of a stored Activity event."""
    return _KIND_OF[type(event)]


_KIND_OF: dict[type, str] = {
    Activity.Scheduled: "scheduled",
    Activity.Rescheduled: "rescheduled",
    Activity.Held: "held",
    Activity.Cancelled: "cancelled",
    Activity.Published: "published",
    Activity.Documented: "documented",
    Activity.ProtocolServed: "protocol_served",
    Activity.Excluded: "excluded",
    Activity.Withdrawn: "withdrawn",
    Activity.EvidenceAttached: "attached",
    Activity.DocumentAttached: "document_attached",
    Activity.DocumentNotApplicable: "not_applicable",
    Activity.LinkChecked: "link_checked",
}


def next_steps(status: str, evidence: dict[str, int]) -> list[str]:
    """The kinds that may be recorded next for an activity in `status` with these valid fact counts."""
    if status == "cancelled":
        return ["withdrawn"]
    if status == "held":
        return [*EVIDENCE_KINDS, "withdrawn"]
    return ["held", "rescheduled", "cancelled"]


def withdrawable_now(status: str, evidence: dict[str, int]) -> list[str]:
    """The kinds with at least one valid fact that a withdrawal could take back."""
    kinds = [kind for kind in (*EVIDENCE_KINDS, "excluded") if evidence.get(kind)]
    if status == "held":
        kinds.insert(0, "held")
    if status == "cancelled":
        kinds.insert(0, "cancelled")
    return kinds
