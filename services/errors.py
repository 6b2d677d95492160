"""The application layer's own failures, said in the reader's language; light to import, so a front door can
catch them before it has loaded the event store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.catalogue import translate

if TYPE_CHECKING:
    from domain.application import Recorded


class ConfigurationError(ValueError):
    """A setting that cannot work (a database URL of the wrong kind, a server that refuses): said in the
    reader's language."""

    def __init__(self, text: str, /, **params: object) -> None:
        self.text, self.params = text, params
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        """The text (a text of the catalogue) in `lang`."""
        return translate(lang, self.text, **self.params)


class StoredButBehindError(RuntimeError):
    """The event store committed the write, but the read model could not apply it (a full disk, revoked
    rights): nothing is lost, the pages and reports are behind until the cause is gone (a server's follower
    catches up by itself; any later command does too)."""

    def __init__(self, recorded: Recorded, cause: BaseException) -> None:
        self.recorded = recorded
        self.cause = cause
        super().__init__(self.message("en"))

    @property
    def count(self) -> int:
        return len(self.recorded.positions)

    def message(self, lang: str = "id") -> str:
        cause = str(self.cause).splitlines()[0] if str(self.cause) else type(self.cause).__name__
        return translate(lang, "tersimpan: %(count)s peristiwa sudah ada di penyimpanan peristiwa, tetapi tampilan "
                               "baca belum dapat diperbarui (%(cause)s); halaman dan laporan tertinggal sampai "
                               "penyebabnya diatasi, lalu menyusul sendiri (atau jalankan: iku rebuild). Jangan "
                               "dicatat ulang.", count=self.count, cause=cause)
