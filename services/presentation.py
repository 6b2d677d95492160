"""How things are said to a person: Indonesian report conventions (`85,71%`, `47/50 = 94,00%`, `1.234`,
`31 Maret 2020 pukul 23.30 WIB`) or English ones, the names of event kinds and fields, every refusal in
the reader's language (`describe`), and text that a spreadsheet must not run as a formula."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.errors import DomainError
from domain.indicators import Indicator
from domain.periods import Period
from domain.times import in_range, to_wib
from services import messages
from services.catalogue import marked_in, translate, translate_in

__all__ = ["change_label", "dead_since_text", "describe", "document_state_label", "field_label", "link_answer", "format_date", "format_decimal", "format_fraction", "format_moment", "format_number",
           "format_percent", "kind_label", "leader_label", "neutralise", "predikat_label", "role_label"]


#: the months, as a date says them (texts of the catalogue)
MONTHS = (marked_in("month", "Januari"), marked_in("month", "Februari"), marked_in("month", "Maret"),
          marked_in("month", "April"), marked_in("month", "Mei"), marked_in("month", "Juni"),
          marked_in("month", "Juli"), marked_in("month", "Agustus"), marked_in("month", "September"),
          marked_in("month", "Oktober"), marked_in("month", "November"), marked_in("month", "Desember"))
ROMAN = ("I", "II", "III", "IV")


def month_name(number: int, lang: str = "id") -> str:
    """`Maret` (English `March`) for 3."""
    return translate_in(lang, "month", MONTHS[number - 1])


def format_date(day: date, lang: str = "id") -> str:
    """`31 Maret 2020` (or `31 March 2020`)."""
    return f"{day.day} {month_name(day.month, lang)} {day.year}"


def format_moment(moment: datetime, lang: str = "id") -> str:
    """`31 Maret 2020 pukul 23.30 WIB` (English: `31 March 2020 at 23:30 WIB`); a moment outside the accepted
    years (only in a refusal, or an event written by other means) on its own clock."""
    clock = "%H:%M" if lang == "en" else "%H.%M"
    if in_range(moment):
        local, zone = to_wib(moment), "WIB"
    else:
        offset = moment.strftime("%z")  # aware: in_range refuses to compare a naive moment
        local, zone = moment, f"UTC{offset[:3]}{':' if lang == 'en' else '.'}{offset[3:]}"
    return translate(lang, "%(date)s pukul %(time)s %(zone)s", date=format_date(local.date(), lang),
                     time=local.strftime(clock), zone=zone)


def period_label(period: Period, lang: str = "id") -> str:
    """`Triwulan I 2020`, `Semester II 2020`, `Tahun 2020`, `Maret 2020`, or the two dates."""
    if period.is_custom:
        return f"{format_date(period.start, lang)} – {format_date(period.end, lang)}"
    year, part = period.start.year, period.part
    if not part:
        return translate(lang, "Tahun %(year)s", year=year)
    if part[0] == "Q":
        return translate(lang, "Triwulan %(roman)s %(year)s", roman=ROMAN[int(part[1]) - 1], year=year)
    if part[0] == "S":
        return translate(lang, "Semester %(roman)s %(year)s", roman=ROMAN[int(part[1]) - 1], year=year)
    return f"{month_name(int(part), lang)} {year}"


def period_dict(period: Period, lang: str = "id") -> dict[str, str]:
    """The period of the report contract: `{"from": …, "to": …, "label": …}`."""
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period_label(period, lang)}


def format_number(value: int, lang: str = "id") -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def format_decimal(value: float, lang: str = "id") -> str:
    """`0,5` (English `0.5`): a plain decimal, as short as it can be."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def format_percent(value: float | None, lang: str = "id") -> str:
    """`85,71%`; an empty denominator is `n/a`, never `0%`."""
    if value is None:
        return "n/a"
    text = f"{value:,.2f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text}%"


def format_fraction(numerator: int, denominator: int, value: float | None, lang: str = "id") -> str:
    """`47/50 = 94,00%` (or `0/0 = n/a`)."""
    return f"{format_number(numerator, lang)}/{format_number(denominator, lang)} = {format_percent(value, lang)}"



def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


#: the name of each kind of stored event (texts of the catalogue, said as an event kind)
KIND_LABELS: dict[str, str] = {
    "scheduled": marked_in("event kind", "dijadwalkan"),
    "rescheduled": marked_in("event kind", "dijadwal ulang"),
    "held": marked_in("event kind", "terlaksana"),
    "cancelled": marked_in("event kind", "dibatalkan"),
    "published": marked_in("event kind", "dipublikasikan"),
    "documented": marked_in("event kind", "didokumentasikan"),
    "protocol_served": marked_in("event kind", "dilayani protokol"),
    "excluded": marked_in("event kind", "dikecualikan"),
    "withdrawn": marked_in("event kind", "ditarik"),
    "attached": marked_in("event kind", "berkas dilampirkan"),
    "link_checked": marked_in("event kind", "tautan diperiksa"),
    "document_attached": marked_in("event kind", "dokumen dilampirkan"),
    "not_applicable": marked_in("event kind", "dokumen tidak diperlukan"),
    "document": marked_in("event kind", "dokumen"),
    # The store's other events, so the audit log names every one of them.
    "account_created": marked_in("event kind", "akun dibuat"),
    "account_role_changed": marked_in("event kind", "peran akun diubah"),
    "account_disabled": marked_in("event kind", "akun dinonaktifkan"),
    "account_enabled": marked_in("event kind", "akun diaktifkan kembali"),
    "account_password_changed": marked_in("event kind", "kata sandi diganti"),
    "account_password_reset": marked_in("event kind", "kata sandi direset"),
    "target_set": marked_in("event kind", "target ditetapkan"),
    "target_revised": marked_in("event kind", "target diubah (PK perubahan)"),
    "target_quarter_set": marked_in("event kind", "target triwulan ditetapkan"),
    "manual_opened": marked_in("event kind", "Manual IKU dimulai"),
    "indicator_defined": marked_in("event kind", "definisi indikator dicatat"),
    "indicator_retired": marked_in("event kind", "indikator dihentikan"),
    "profile_started": marked_in("event kind", "profil instansi dimulai"),
    "profile_changed": marked_in("event kind", "profil instansi diubah"),
    "period_submitted": marked_in("event kind", "periode diajukan"),
    "period_returned": marked_in("event kind", "periode dikembalikan"),
    "period_verified": marked_in("event kind", "periode diverifikasi"),
    "period_approved": marked_in("event kind", "periode disetujui"),
    "period_reopened": marked_in("event kind", "periode dibuka kembali"),
    "narrative_written": marked_in("event kind", "narasi ditulis"),
    "checklist_opened": marked_in("event kind", "daftar dokumen dimulai"),
    "document_kind_defined": marked_in("event kind", "jenis dokumen dicatat"),
    "document_kind_retired": marked_in("event kind", "jenis dokumen dihentikan"),
}

#: each state of a kind of document on an activity's checklist
DOCUMENT_STATES = {"attached": marked_in("document state", "ada"),
                   "not_applicable": marked_in("document state", "tidak diperlukan"),
                   "missing": marked_in("document state", "belum ada"),
                   "optional": marked_in("document state", "opsional, belum ada")}

#: each step of the quarter's cycle, as "may not …" names it
STEP_LABELS = {"submit": marked_in("period step", "mengajukan"), "return": marked_in("period step", "mengembalikan"),
               "verify": marked_in("period step", "memverifikasi"), "approve": marked_in("period step", "menyetujui"),
               "reopen": marked_in("period step", "membuka kembali"),
               "narrate": marked_in("period step", "menulis narasi")}
#: each step of the quarter's cycle, as its button says it
STEP_BUTTONS = {"submit": marked_in("period button", "Ajukan"), "return": marked_in("period button", "Kembalikan"),
                "verify": marked_in("period button", "Verifikasi"),
                "approve": marked_in("period button", "Setujui (tutup periode)"),
                "reopen": marked_in("period button", "Buka kembali")}
#: each state of a period in the cycle
STATE_LABELS = {"open": marked_in("period state", "terbuka"), "submitted": marked_in("period state", "diajukan"),
                "verified": marked_in("period state", "diverifikasi"),
                "approved": marked_in("period state", "disetujui (ditutup)")}

#: the name of each input field a refusal can name
FIELD_LABELS: dict[str, str] = {
    "analysis": marked_in("field", "analisis capaian"),
    "obstacles": marked_in("field", "kendala"),
    "follow_up": marked_in("field", "tindak lanjut"),
    "reference": marked_in("field", "nomor kegiatan"),
    "title": marked_in("field", "judul"),
    "leaders": marked_in("field", "pimpinan"),
    "location": marked_in("field", "lokasi"),
    "occurred_at": marked_in("field", "waktu kejadian"),
    "channel": marked_in("field", "kanal/jenis/petugas"),
    "evidence_ref": marked_in("field", "referensi bukti"),
    "note": marked_in("field", "catatan"),
    "reason": marked_in("field", "alasan"),
    "actor": marked_in("field", "pencatat"),
    "kind": marked_in("field", "jenis"),
    # an indicator's definition (the Manual IKU)
    "code": marked_in("field", "kode indikator"),
    "name": marked_in("field", "nama indikator"),
    "definition": marked_in("field", "definisi operasional"),
    "formula": marked_in("field", "formula"),
    "unit": marked_in("field", "satuan"),
    "data_source": marked_in("field", "sumber data"),
    "responsible": marked_in("field", "penanggung jawab"),
    "frequency": marked_in("field", "frekuensi pelaporan"),
    "sasaran": marked_in("field", "sasaran"),
    "numerator_kind": marked_in("field", "jenis pembilang"),
    "channels": marked_in("field", "saluran"),
    "exclusion_reasons": marked_in("field", "alasan pengecualian"),
    "exclusion_reason": marked_in("field", "alasan pengecualian"),
    "higher_is_better": marked_in("field", "polaritas"),
    "renstra_target": marked_in("field", "target akhir Renstra"),
    "indicator": marked_in("field", "indikator"),
    "label": marked_in("field", "nama jenis dokumen"),
    "document": marked_in("field", "jenis dokumen"),
    "url": marked_in("field", "tautan"),
}


def _named(table: dict[str, str], where: str, code: str, lang: str) -> str:
    """The name a table of texts gives `code`, said as `where` says it; an unknown code is shown as it is."""
    text = table.get(code)
    return translate_in(lang, where, text) if text else code


def kind_label(kind: str, lang: str = "id") -> str:
    """The human name of an event kind in the given language."""
    return _named(KIND_LABELS, "event kind", kind, lang)


#: why a link could not be fetched (services/linkfetch.py's error codes)
LINK_ERRORS = {
    "private_address": marked_in("link error", "alamat jaringan internal ditolak"),
    "unsupported_scheme": marked_in("link error", "bukan tautan http/https"),
    "invalid_url": marked_in("link error", "alamat tidak sah"),
    "dns": marked_in("link error", "nama situs tidak ditemukan"),
    "timeout": marked_in("link error", "batas waktu habis"),
    "connection": marked_in("link error", "sambungan gagal"),
    "too_many_redirects": marked_in("link error", "terlalu banyak pengalihan"),
    "redirect_loop": marked_in("link error", "pengalihan berputar"),
    "too_large": marked_in("link error", "halaman terlalu besar untuk diarsipkan"),
    "tls": marked_in("link error", "sertifikat/TLS gagal"),
}


def link_answer(check: dict, lang: str = "id") -> str:
    """What one link check found, in a line: `hidup (HTTP 200, text/html); arsip disimpan` or
    `tidak dapat dibuka (HTTP 404)` / `tidak dapat dibuka (batas waktu habis)`."""
    status, error = check["status"], check["error"]
    http = f"HTTP {status}" if status else ""
    reason = _named(LINK_ERRORS, "link error", error, lang) if error else ""
    live = 200 <= status < 300 and error in ("", "too_large")
    parts = ", ".join(part for part in (http, (check.get("content_type") or "") if live else "", reason) if part)
    if live:
        text = translate_in(lang, "link", "hidup (%(answer)s)", answer=parts or "-")
    else:
        text = translate_in(lang, "link", "tidak dapat dibuka (%(answer)s)", answer=parts or "-")
    if check.get("changed"):
        text += "; " + translate_in(lang, "link", "halaman berubah sejak pemeriksaan sebelumnya")
    if check.get("archive_sha256"):
        text += "; " + translate_in(lang, "link", "salinan diarsipkan")
    return text


def dead_since_text(moment: datetime, lang: str = "id") -> str:
    """`tautan tidak dapat dibuka sejak 3 Maret 2021` (the WIB day of the first failed check of the run)."""
    return translate_in(lang, "link", "tautan tidak dapat dibuka sejak %(day)s",
                        day=format_date(to_wib(moment).date(), lang))


def document_state_label(state: str, lang: str = "id") -> str:
    """The name of a checklist state (`attached`, `not_applicable`, `missing`, `optional`)."""
    return _named(DOCUMENT_STATES, "document state", state, lang)


def field_label(field: str, lang: str = "id") -> str:
    """The human name of an input field in the given language."""
    return _named(FIELD_LABELS, "field", field, lang)


#: why an activity may be outside an indicator's denominator
EXCLUSION_REASON_LABELS = {
    "tertutup": marked_in("exclusion reason", "tertutup/rahasia"),
    "diwakilkan": marked_in("exclusion reason", "diwakilkan pejabat lain"),
    "bukan_kegiatan_pimpinan": marked_in("exclusion reason", "bukan kegiatan pimpinan"),
}
#: how often an indicator is reported
FREQUENCY_LABELS = {
    "bulanan": marked_in("frequency", "bulanan"), "triwulanan": marked_in("frequency", "triwulanan"),
    "semesteran": marked_in("frequency", "semesteran"), "tahunan": marked_in("frequency", "tahunan"),
}


def exclusion_reason_label(reason: str, lang: str = "id") -> str:
    """`tertutup` -> `tertutup/rahasia` (English `closed-door/confidential`)."""
    return _named(EXCLUSION_REASON_LABELS, "exclusion reason", reason, lang)


def frequency_label(frequency: str, lang: str = "id") -> str:
    return _named(FREQUENCY_LABELS, "frequency", frequency, lang)


def exclusions_text(excluded: int, exclusions: dict[str, int], lang: str = "id") -> str:
    """`3 kegiatan dikecualikan: 2 tertutup/rahasia, 1 diwakilkan pejabat lain` (empty when none)."""
    if not excluded:
        return ""
    parts = ", ".join(f"{count} {exclusion_reason_label(reason, lang)}" for reason, count in exclusions.items())
    text = translate(lang, "%(count)s kegiatan dikecualikan") % {"count": excluded}
    return f"{text}: {parts}" if parts else text


#: the name of each role, as people read it
ROLE_LABELS = {"operator": marked_in("role", "Operator"), "auditor": marked_in("role", "Auditor"),
               "admin": marked_in("role", "Admin"), "verifier": marked_in("role", "Verifikator"),
               "approver": marked_in("role", "Penyetuju")}
#: the name of each kind of change in the account record
CHANGE_LABELS = {
    "created": marked_in("account change", "dibuat"),
    "role_changed": marked_in("account change", "peran diubah"),
    "disabled": marked_in("account change", "dinonaktifkan"),
    "enabled": marked_in("account change", "diaktifkan kembali"),
    "password_changed": marked_in("account change", "kata sandi diganti"),
    "password_reset": marked_in("account change", "kata sandi direset"),
}
#: the predikat names of domain.targets.PREDIKAT_BANDS (a name a pemda adds without English is shown as it is)
PREDIKAT_NAMES = (marked_in("predikat", "Sangat Baik"), marked_in("predikat", "Baik"), marked_in("predikat", "Cukup"),
                  marked_in("predikat", "Kurang"), marked_in("predikat", "Sangat Kurang"))


#: each indicator's name and formula, as the division's IKU document words them
INDICATOR_NAMES = {
    "published": marked_in("indicator", "Prosentase kegiatan pimpinan daerah yang dipublikasikan"),
    "documented": marked_in("indicator", "Prosentase kegiatan pimpinan daerah yang didokumentasikan"),
    "protocol_served": marked_in("indicator", "Prosentase Pelayanan Keprotokolan"),
}
INDICATOR_FORMULAS = {
    "published": marked_in("indicator formula",
                           "Jumlah kegiatan yang dipublikasikan / jumlah kegiatan yang terlaksana × 100%"),
    "documented": marked_in("indicator formula",
                            "Jumlah kegiatan yang didokumentasikan / jumlah kegiatan yang terlaksana × 100%"),
    "protocol_served": marked_in("indicator formula",
                                 "Jumlah kegiatan yang difasilitasi protokol / jumlah kegiatan yang terlaksana × 100%"),
}


def indicator_name(indicator: Indicator | str, lang: str = "id") -> str:
    """`Prosentase Pelayanan Keprotokolan` (English `Percentage of protocol service`): a seed indicator's words
    are translated; an indicator an admin defined (or reworded) is shown in the words of its definition."""
    return _worded(indicator, "name", INDICATOR_NAMES, "indicator", lang)


def indicator_formula(indicator: Indicator | str, lang: str = "id") -> str:
    return _worded(indicator, "formula", INDICATOR_FORMULAS, "indicator formula", lang)


def _worded(indicator: Indicator | str, attribute: str, seed_words: dict[str, str], where: str, lang: str) -> str:
    if isinstance(indicator, str):
        return translate_in(lang, where, seed_words[indicator]) if indicator in seed_words else indicator
    own = getattr(indicator, attribute)
    seed = seed_words.get(indicator.code)
    if seed is not None and own in ("", seed):
        return translate_in(lang, where, seed)
    return own or indicator.code


#: each leader's title
LEADER_LABELS = {"walikota": marked_in("leader", "Walikota"), "wakil_walikota": marked_in("leader", "Wakil Walikota"),
                 "sekda": marked_in("leader", "Sekretaris Daerah")}


def leader_label(code: str, lang: str = "id") -> str:
    """A leader's title in the given language (`sekda` -> `Sekretaris Daerah`, English `Regional Secretary`)."""
    return _named(LEADER_LABELS, "leader", code, lang)


def role_label(role: str, lang: str = "id") -> str:
    """`Operator`, `Auditor`, `Admin`: a role as people read it."""
    return _named(ROLE_LABELS, "role", role, lang)


def change_label(kind: str, lang: str = "id") -> str:
    """The human name of a kind of account change (`role_changed` -> `peran diubah`)."""
    return _named(CHANGE_LABELS, "account change", kind, lang)


def predikat_label(name: str | None, lang: str = "id") -> str:
    """A predikat as people read it in the given language (the stored name is Indonesian)."""
    return translate_in(lang, "predikat", name) if name else ""


def describe(error: BaseException, lang: str = "id") -> str:
    """An error as a person reads it, in `lang`: a domain error from its code and parameters (worded in
    services/messages.py), any other error that can say itself by its own `message(lang)`."""
    if not isinstance(error, DomainError):
        message = getattr(error, "message", None)
        return message(lang) if callable(message) else str(error)
    params = dict(error.params)
    code = type(error).__name__
    for key, value in error.params.items():
        if isinstance(value, datetime):  # a person reads it: WIB in the language's own format
            params[key] = format_moment(value, lang)
        elif isinstance(value, date):
            params[key] = format_date(value, lang)
        elif isinstance(value, float):
            params[key] = format_decimal(value, lang)
    if "kind" in params:
        params["kind_label"] = kind_label(params["kind"], lang)
    if "step" in params:
        params["step_label"] = _named(STEP_LABELS, "period step", params["step"], lang)
    if "state" in params:
        params["state_label"] = _named(STATE_LABELS, "period state", params["state"], lang)
    if "role" in params:
        params["role_label"] = role_label(params["role"], lang)
    if "period" in params:
        params["period_label"] = _period_named(str(params["period"]), lang)
    if "field" in params:
        params["field_label"] = field_label(params["field"], lang)
    if "detected" in params and not params["detected"]:
        params["detected"] = translate(lang, messages.UNKNOWN_TYPE)
    if "thing" in params:
        subject = translate_in(lang, "record", messages.THINGS[params["thing"]])
        params["subject"] = f"{subject} {params.get('reference', '')}".strip()
    if params.get("evidence_ref") and f"{code}.evidence_ref" in messages.ERRORS:
        code = f"{code}.evidence_ref"
    text = next((messages.ERRORS[name] for name in _codes(type(error), code) if name in messages.ERRORS), None)
    if text is None:
        return translate(lang, messages.FALLBACK, code=code)
    return translate(lang, text, **params)


def step_label(step: str, lang: str = "id") -> str:
    return _named(STEP_LABELS, "period step", step, lang)


def step_button(step: str, lang: str = "id") -> str:
    return _named(STEP_BUTTONS, "period button", step, lang)


def state_label(state: str, lang: str = "id") -> str:
    return _named(STATE_LABELS, "period state", state, lang)


def _period_named(code: str, lang: str) -> str:
    """A period's label from its code, or the code as typed when it names none."""
    from domain.periods import parse_period

    try:
        return period_label(parse_period(code), lang)
    except DomainError:
        return code


def _codes(kind: type, code: str) -> list[str]:
    """The codes to look a text up by: the error's own, then its parents' (a family sharing one text)."""
    return [code] + [parent.__name__ for parent in kind.__mro__[1:] if issubclass(parent, DomainError)]
