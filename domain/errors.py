"""Domain errors: one class per broken rule, carrying its code (the class name) and parameters.

The domain knows no language: services/messages.py words each code in the catalogue, and
`services.presentation.describe` says an error in Indonesian or English."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A broken domain rule; nothing was stored."""

    #: the input field the error is about, so a form can show it beside that field
    field: ClassVar[str | None] = None

    def __init__(self, **params: Any) -> None:
        self.params = params
        shown = ", ".join(f"{key}={value!r}" for key, value in params.items())
        super().__init__(f"{type(self).__name__}({shown})")

    @property
    def code(self) -> str:
        return type(self).__name__

    @property
    def input_field(self) -> str | None:
        """The form field this error belongs beside, if any."""
        return self.params.get("field") or type(self).field


class InvalidReferenceError(DomainError):
    field = "reference"


class MissingFieldError(DomainError):
    """Refused: {field_label} is required."""


class ControlCharacterError(DomainError):
    """Refused: {field_label} contains a control character (invisible, e.g. NUL), which is not allowed."""


class TextTooLongError(DomainError):
    """Refused: {field_label} is too long (at most {limit} characters)."""


class UnknownLeaderError(DomainError):
    field = "leaders"


class UnknownEventKindError(DomainError):
    field = "kind"


class InvalidDateTimeError(DomainError):
    field = "occurred_at"


class OutOfRangeError(DomainError):
    field = "occurred_at"


class FutureOccurrenceError(DomainError):
    field = "occurred_at"


class AlreadyScheduledError(DomainError):
    field = "reference"


class NotScheduledError(DomainError):
    field = "reference"


class NotHeldError(DomainError):
    """Refused: activity {reference} has not been held, so it cannot be {kind_label} yet."""


class AlreadyExcludedError(DomainError):
    """The activity is already outside that indicator's denominator (withdraw the exclusion first)."""

    field = "indicator"


class OtherLeadersError(DomainError):
    """The activity is not of the leaders whose activities form the indicator's denominator: nothing to exclude."""

    field = "indicator"


class AlreadyHeldError(DomainError):
    """Refused: activity {reference} is already recorded as held."""


class HeldActivityError(DomainError):
    """Refused: activity {reference} has been held, so it cannot be {kind_label}."""


class ActivityCancelledError(DomainError):
    """Refused: activity {reference} is cancelled, so it cannot be {kind_label}."""


class NotWithdrawableError(DomainError):
    field = "channel"


class NothingToWithdrawError(DomainError):
    field = "evidence_ref"

    def __init__(self, *, reference: str, kind: str, evidence_ref: str = "") -> None:
        super().__init__(reference=reference, kind=kind, evidence_ref=evidence_ref)


class UnknownDocumentKindError(DomainError):
    """No document kind with that code is in use (`choices`: the codes that are)."""

    field = "document"


class InvalidDocumentKindCodeError(DomainError):
    """A kind's code is 2–40 characters: a lower-case letter, then letters, digits or `_`."""

    field = "code"


class DocumentNotApplicableError(DomainError):
    """The kind is marked not applicable for the activity: withdraw the mark before attaching a file."""

    field = "document"


class DocumentAlreadyAttachedError(DomainError):
    """The activity already has a valid file of that kind (or that very file), so the mark or file is refused."""

    field = "document"


class AlreadyNotApplicableError(DomainError):
    """The kind is already marked not applicable for the activity."""

    field = "document"


class NothingToCheckError(DomainError):
    """The activity has no valid publication with that URL (withdrawn since the check began?)."""

    field = "url"


class NotAttachableError(DomainError):
    field = "kind"


class NothingToAttachError(DomainError):
    field = "kind"


class EvidenceFileError(DomainError):
    """A file that cannot be kept as evidence; nothing is stored."""

    field = "berkas"


class EmptyFileError(EvidenceFileError):
    """Refused: the file {name} is empty."""


class FileTooLargeError(EvidenceFileError):
    """Refused: the file {name} is too large ({size_mb} MB; the limit is {limit_mb} MB)."""


class UnsupportedFileTypeError(EvidenceFileError):
    """`detected` is the media type found in the content, or empty when none was recognised."""


class ConcurrentChangeError(DomainError):
    """Another writer changed it first and the command no longer fits (or was refused twice)."""

    #: the kinds of record a writer can change
    THINGS = ("activity", "account", "target", "profile")

    def __init__(self, reference: str, thing: str = "activity") -> None:
        if thing not in self.THINGS:
            raise ValueError(thing)
        super().__init__(reference=reference, thing=thing)
