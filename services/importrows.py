"""The rows of an import file: CSV (comma, or `;` as Excel saves it in a decimal-comma locale; UTF-8 or an
encoding the user picks) or an XLSX workbook's first sheet. The type is read from the content, not the name."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import filetype

from services.catalogue import Said, marked, said, translate
from services.presentation import format_number

#: encodings offered by name (any codec Python knows may be picked on the command line)
ENCODINGS: dict[str, str] = {
    "utf-8": marked("UTF-8"),
    "cp1252": marked("Windows-1252 (Excel 'CSV')"),
    "latin-1": marked("ISO-8859-1 (Latin-1)"),
    "utf-16": marked("UTF-16 (Excel 'Teks Unicode')"),
}
#: how a person picks an encoding, by front door: `%(code)s` and `%(label)s` are filled in
CHOOSE_ON_COMMAND_LINE = marked("pilih --encoding %(code)s")
DELIMITERS = (",", ";", "\t")
#: what an XLSX may unpack to: a year's agenda is a few megabytes; more is a damaged file or a zip bomb
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
T = TypeVar("T")


class UnreadableFileError(Exception):
    """The file cannot be read as rows at all (or stops being readable at `line`): `said` is why, in words of
    the catalogue."""

    def __init__(self, line: int, text: str, /, **params: object) -> None:
        super().__init__(text)
        self.line, self.said = line, Said(text, params)


@dataclass
class Table:
    """What was read: the kind of file, how, and its rows (header first) as (line or sheet row, cell texts)."""

    kind: str  # "csv" or "xlsx"
    rows: Iterator[tuple[int, list[str]]]
    lines: int = 0  # about how many lines (or sheet rows) it has, header included: for a progress bar
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""


def encoding_label(code: str, lang: str = "id") -> str:
    return translate(lang, ENCODINGS[code]) if code in ENCODINGS else code


def _encoding(code: str) -> partial[str]:
    """An encoding's name, said in the reader's language."""
    return partial(encoding_label, code)


def known_encoding(name: str) -> str | None:
    """The codec's own name for `name` (`cp1252`, `latin-1` → `iso8859-1`, …), or None when Python has none."""
    try:
        found = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        return None
    return "latin-1" if found.name == "iso8859-1" else found.name


def open_table(data: bytes | Path, encoding: str | None = None, choose: str = CHOOSE_ON_COMMAND_LINE) -> Table:
    """Read `data` (the bytes, or the path of a file read as it goes, never whole) as an XLSX workbook or a CSV
    text; raises UnreadableFileError saying what the file looks like. Its rows may raise it too, at the line
    where the file stops being readable."""
    head = _head(data)
    if head.startswith(_ZIP):
        return _xlsx(data)
    if head.startswith(_OLE2):
        raise UnreadableFileError(
            1, "berkas Excel 97–2003 (.xls) atau XLSX yang dilindungi kata sandi; simpan sebagai XLSX tanpa kata "
               "sandi atau 'CSV UTF-8'")
    chosen = encoding
    if head.startswith(_UTF8_BOM):
        chosen = "utf-8"
    elif head.startswith(_UTF16_BOMS):
        chosen = "utf-16"
    if not chosen and _controls(head[:4096]) > len(head[:4096]) // 20:
        # UTF-8 on paper, but binary (or UTF-16 without a mark)
        raise _not_utf8(_whole(data), 1, choose)
    used = chosen or "utf-8"
    codec = "utf-8-sig" if used == "utf-8" else used
    delimiter = _delimiter(head.decode(codec, errors="replace").removeprefix("\ufeff"))
    return Table("csv", _csv_rows(data, codec, delimiter, chosen, choose), _count_lines(data), encoding=used,
                 delimiter=delimiter)


#: how much of a file is read to tell what it is (and its header line)
HEAD_BYTES = 65536


def _open(data: bytes | Path) -> BinaryIO:
    return io.BytesIO(data) if isinstance(data, bytes) else open(data, "rb")  # noqa: SIM115 (closed by its reader)


def _head(data: bytes | Path) -> bytes:
    if isinstance(data, bytes):
        return data[:HEAD_BYTES]
    with open(data, "rb") as handle:
        return handle.read(HEAD_BYTES)


def _whole(data: bytes | Path) -> bytes:
    """All of it: only to say precisely why a file cannot be read."""
    return data if isinstance(data, bytes) else Path(data).read_bytes()


def _count_lines(data: bytes | Path) -> int:
    if isinstance(data, bytes):
        return data.count(b"\n") + 1
    count = 1
    with open(data, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def _decode(data: bytes, encoding: str | None, choose: str) -> tuple[str, str]:
    """The text and the encoding it was read with; a byte-order mark (UTF-8 or UTF-16) wins over any choice."""
    if data.startswith(_UTF8_BOM):
        encoding = "utf-8"
    elif data.startswith(_UTF16_BOMS):
        encoding = "utf-16"
    if encoding:
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
        try:
            return data.decode(codec).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as error:
            raise UnreadableFileError(_line_at(data, error.start, codec),
                                      "berkas tidak dapat dibaca sebagai %(encoding)s",
                                      encoding=_encoding(encoding)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, data.count(b"\n", 0, error.start) + 1, choose) from None
    if _controls(data[:4096]) > len(data[:4096]) // 20:  # UTF-8 on paper, but binary (or UTF-16 without a mark)
        raise _not_utf8(data, 1, choose)
    return text, "utf-8"


def _not_utf8(data: bytes, line: int, choose: str) -> UnreadableFileError:
    """The refusal of a file that is not UTF-8 text, naming what it looks like and how to read it."""
    looks = _looks_like(data)
    if looks is None:
        return UnreadableFileError(1, "berkas ini tampaknya bukan teks (CSV) maupun XLSX")
    if looks[0] == "":
        return UnreadableFileError(1, "berkas ini tampaknya %(kind)s, bukan CSV atau XLSX", kind=looks[1])
    code = looks[0]
    return UnreadableFileError(
        line, "berkas bukan UTF-8; tampaknya %(encoding)s; simpan sebagai 'CSV UTF-8' atau %(how)s",
        encoding=_encoding(code), how=said(choose, code=code, label=_encoding(code)))


def _looks_like(data: bytes) -> tuple[str, str] | None:
    """("encoding", "") for text in another encoding, ("", "a PDF file") for a known binary, None otherwise."""
    if data.startswith(_UTF16_BOMS):
        return ("utf-16", "")
    head = data[:4096]
    if head.count(0) > len(head) // 4 and (head[1::2].count(0) > len(head) // 3 or head[::2].count(0) > len(head) // 3):
        return ("utf-16", "")
    guessed = filetype.guess(data)
    if guessed is not None:
        return ("", f"{guessed.extension.upper()} ({guessed.mime})")
    if _controls(head) > len(head) // 20:
        return None
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ("latin-1", "")
    return ("cp1252", "")


def _controls(head: bytes) -> int:
    """How many bytes of `head` are control characters no text file holds."""
    return sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))


def _line_at(data: bytes, offset: int, codec: str) -> int:
    return data[:offset].decode(codec, errors="replace").count("\n") + 1


def _delimiter(text: str) -> str:
    """The separator of the header line: the one of `,` `;` tab it uses most (a tie keeps the comma)."""
    header = text.split("\n", 1)[0]
    best = max(DELIMITERS, key=lambda candidate: (header.count(candidate), -DELIMITERS.index(candidate)))
    return best if header.count(best) else ","


#: what the csv module's error says → what it means for the person who saved the file
_CSV_PROBLEMS = (
    ("field larger than field limit", marked("sel terlalu panjang (lebih dari %(limit)s karakter)")),
    ("unexpected end of data", marked("tanda kutip (\") dibuka tetapi tidak ditutup sampai akhir berkas")),
    ("expected after", marked("tanda kutip (\") di tengah sel; sel yang memuat tanda kutip harus diapit tanda kutip")),
    ("new-line character seen in unquoted field", marked("baris baru di dalam sel tanpa tanda kutip")),
)


def _csv_error(line: int, error: csv.Error) -> UnreadableFileError:
    text = str(error)
    for needle, problem in _CSV_PROBLEMS:
        if needle in text:
            return UnreadableFileError(line, "CSV rusak: %(problem)s",
                                       problem=said(problem, limit=partial(format_number, csv.field_size_limit())))
    return UnreadableFileError(line, "CSV rusak (periksa tanda kutip dan pemisah)")


def _csv_rows(data: bytes | Path, codec: str, delimiter: str, chosen: str | None,
              choose: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the physical line it starts on (a quoted cell may span lines), decoded as it is read."""
    with _open(data) as stream, io.TextIOWrapper(stream, encoding=codec, newline="") as text:
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        last_line = 0
        while True:
            line = last_line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _csv_error(line, error) from None
            except UnicodeDecodeError:
                # Where exactly, and what the file looks like instead, is worked out from the whole file.
                _decode(_whole(data), chosen, choose)
                raise UnreadableFileError(line, "berkas tidak dapat dibaca sebagai %(encoding)s",
                                          encoding=_encoding(chosen or "utf-8")) from None
            if last_line == 0 and values and values[0].startswith("\ufeff"):
                values[0] = values[0][1:]
            last_line = reader.line_num
            yield line, values


def _is_xlsx(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _xlsx(data: bytes | Path) -> Table:
    try:
        with _open(data) as stream, zipfile.ZipFile(stream) as archive:
            if not _is_xlsx(archive):
                if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype")[:100]:
                    raise UnreadableFileError(
                        1, "berkas OpenDocument (LibreOffice .ods); simpan sebagai XLSX atau 'CSV UTF-8'")
                raise UnreadableFileError(1, "berkas ZIP ini bukan XLSX")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise UnreadableFileError(1, "berkas XLSX terlalu besar setelah dibuka (lebih dari %(megabytes)d MB)",
                                          megabytes=MAX_UNPACKED_BYTES // 1048576)
    except zipfile.BadZipFile:
        raise UnreadableFileError(1, _BROKEN_TEXT) from None
    book = _guarded(lambda: _workbook(data))
    try:
        if not book.worksheets:
            raise UnreadableFileError(1, "berkas XLSX tanpa lembar kerja")
        sheet = book.worksheets[0]
        declared = _guarded(lambda: sheet.max_row) or 0
    except BaseException:
        book.close()
        raise
    return Table("xlsx", _sheet_rows(book, sheet), declared, sheet=sheet.title)


_BROKEN_TEXT = marked("berkas XLSX rusak atau tidak dapat dibaca; buka lalu simpan ulang di Excel")


def _guarded(read: Callable[[], T]) -> T:
    """openpyxl raises many kinds on a damaged workbook (and warns about styles it ignores); none of them helps
    the user more than saying it is damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except UnreadableFileError:
        raise
    except Exception:
        raise UnreadableFileError(1, _BROKEN_TEXT) from None


def _workbook(data: bytes | Path) -> Any:
    from openpyxl import load_workbook

    # The compressed file is held (openpyxl judges a path by its name's extension); its sheet is read as it goes.
    return load_workbook(io.BytesIO(_whole(data)), read_only=True, data_only=True)


def _sheet_rows(book: Any, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as they are read, numbered as the sheet numbers them, trailing empty cells beyond
    the header cut."""
    try:
        _guarded(sheet.reset_dimensions)  # trust the cells, not the declared size (which may be wrong or huge)
        cells = _guarded(lambda: sheet.iter_rows(min_row=1, values_only=True))
        width = 0
        for number in itertools.count(1):
            values = _guarded(lambda: next(cells, None))
            if values is None:
                return
            texts = [cell_text(value) for value in values]
            while texts and not texts[-1].strip():
                texts.pop()
            if number == 1:
                width = len(texts)
            elif len(texts) < width:
                texts += [""] * (width - len(texts))
            yield number, texts
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the CSV contract writes it: dates ISO 8601 (naive = WIB), 1234 not 1234.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        # Excel keeps a time as a fraction of a day: 09:00 may come back as 08:59:59.999999.
        moment = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    return str(value)
