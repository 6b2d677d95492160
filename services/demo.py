"""A realistic sample history, recorded through the domain: a city leadership's year of activities.

Every kind of outcome appears: held with all evidence, evidence still missing (the to-do lists),
cancelled, rescheduled, a wrong publication link withdrawn and corrected, a mistaken `held` withdrawn and
recorded again, documentation recorded weeks late, photos and protocol letters attached as files. The
office is furnished too: the Perjanjian Kinerja targets of each year (so capaian and predikat show), the
institution profile with its signatory and logo. Each event is recorded some minutes to days after it
happened (never before, never in the future), in log order. The same seed gives the same history.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from domain.errors import DomainError
from domain.times import UTC, WIB
from services import accounts, closing
from services.evidence import EvidenceStore
from services.runtime import Runtime

OPERATORS = ("siti", "budi", "rina", "agus", "dewi")
CORRECTORS = ("kasubbag", "siti")
TITLES = (
    "Rapat koordinasi {opd}", "Apel pagi bersama {opd}", "Kunjungan kerja ke {place}", "Peresmian {thing} di {place}",
    "Audiensi dengan {guest}", "Rapat paripurna DPRD", "Sidak pelayanan {opd}", "Pembukaan {event}",
    "Penyerahan bantuan {aid} di {place}", "Musrenbang {place}", "Jumat berkah di {place}", "Rakor forkopimda",
    "Penandatanganan nota kesepahaman dengan {guest}", "Upacara {ceremony}", "Pelantikan pejabat {opd}",
)
OPD = ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas PUPR", "Bappeda", "BPBD", "Dinas Sosial", "Dinas Perhubungan",
       "Satpol PP", "Dinas Kependudukan", "Dinas Pariwisata")
PLACES = ("Kecamatan Prajurit Kulon", "Kecamatan Magersari", "Kecamatan Kranggan", "Kelurahan Balongsari",
          "Kelurahan Gunung Gedangan", "Alun-alun", "Pasar Tanjung Anyar", "Stadion Gajah Mada", "RSUD dr. Wahidin")
THINGS = ("taman kota", "puskesmas pembantu", "jembatan", "gedung sekolah", "pasar rakyat", "ruang terbuka hijau")
GUESTS = ("Kejaksaan Negeri", "perwakilan BPK", "pengurus KONI", "tokoh agama", "mahasiswa KKN", "investor UMKM")
EVENTS = ("festival budaya", "bazar UMKM", "lomba kebersihan kampung", "pekan olahraga pelajar", "expo pendidikan")
AIDS = ("sembako", "alat tulis sekolah", "kursi roda", "beasiswa")
CEREMONIES = ("Hari Jadi Kota", "Hari Kemerdekaan", "Hari Pahlawan", "Hari Kesaktian Pancasila")
VENUES = ("Ruang Sabha Pambojo", "Pendopo Rumah Rakyat", "Halaman Balai Kota", "Aula Bappeda", "Gedung DPRD")
CHANNELS = ("website", "instagram", "facebook", "youtube", "koran")
MEDIA = ("foto", "video")
CANCEL_REASONS = ("Pimpinan berhalangan hadir", "Cuaca buruk", "Diundur oleh penyelenggara", "Bertepatan dengan rapat mendadak")
#: the Perjanjian Kinerja targets (percent) of each demo year, set by the head of division
TARGETS = {"published": "85", "documented": "90", "protocol_served": "80"}
SIGNATORY = {"penandatangan_nama": "Drs. Hadi Santoso, M.Si.", "penandatangan_nip": "197503102000031004"}
HEAD = "kabag"
#: the fourth indicator of the demo's IKU: the Walikota's activities published on the city's website or online media
FOURTH = {"code": "walikota_daring", "numerator_kind": "published", "channels": "website; media online",
          "leaders": "walikota", "exclusion_reasons": "tertutup",
          "name": "Prosentase kegiatan Walikota yang dipublikasikan di media daring",
          "definition": "Kegiatan Walikota yang terlaksana dan diberitakan di website pemerintah kota atau media "
                        "daring.",
          "formula": "Jumlah kegiatan Walikota yang dipublikasikan di media daring / jumlah kegiatan Walikota yang "
                     "terlaksana × 100%",
          "renstra_target": "90"}
#: the share of held activities without a publication that were closed-door meetings, excluded from `published`
CLOSED_DOOR = 0.08
LEADERS = (("walikota",), ("wakil_walikota",), ("sekda",), ("walikota", "wakil_walikota"), ("walikota", "sekda"))
LEADER_WEIGHTS = (40, 27, 20, 8, 5)


@dataclass(order=True)
class Step:
    recorded_at: datetime
    order: int
    kind: str = field(compare=False)
    reference: str = field(compare=False)
    fields: dict[str, Any] = field(compare=False)


class DemoClock:
    """The recording clock the generator sets before each command."""

    def __init__(self) -> None:
        self.value = datetime.now(tz=UTC)

    def __call__(self) -> datetime:
        return self.value


def _title(rng: random.Random) -> str:
    return rng.choice(TITLES).format(
        opd=rng.choice(OPD), place=rng.choice(PLACES), thing=rng.choice(THINGS), guest=rng.choice(GUESTS),
        event=rng.choice(EVENTS), aid=rng.choice(AIDS), ceremony=rng.choice(CEREMONIES),
    )


def plan_history(*, seed: int = 2020, activities_per_year: int = 1500, years: int = 1,
                 end: datetime | None = None) -> list[Step]:
    """Every command of the sample history, in recording order."""
    rng = random.Random(seed)
    files = random.Random(seed + 1)  # which facts get a file: apart, so the activities stay as they were
    end = (end or datetime.now(tz=UTC)).astimezone(UTC)
    start = end - timedelta(days=365 * years)
    total = activities_per_year * years
    span = (end - start).total_seconds() + 14 * 86400  # a fortnight ahead is already on the agenda
    plans = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(total))
    steps: list[Step] = []
    counter = iter(range(10**9))

    def add(kind: str, reference: str, recorded: datetime, **fields: Any) -> datetime:
        steps.append(Step(recorded, next(counter), kind, reference, fields))
        return recorded

    _furnish(add, start, end)

    for number, planned_utc in enumerate(plans, start=1):
        local = planned_utc.astimezone(WIB)
        planned = local.replace(hour=rng.choice((7, 8, 8, 9, 9, 10, 13, 14, 15, 19)), minute=rng.choice((0, 0, 30)),
                                second=0, microsecond=0)
        reference = f"AG-{planned.year}-{number:05d}"
        operator = rng.choice(OPERATORS)
        scheduled_at = max(start, planned - timedelta(days=rng.uniform(1, 14)))
        add("scheduled", reference, scheduled_at, title=_title(rng),
            leaders=list(rng.choices(LEADERS, LEADER_WEIGHTS)[0]),
            location=rng.choice(VENUES + PLACES), occurred_at=planned, actor=operator)
        roll = rng.random()
        if roll < 0.06:  # rescheduled (decided before the original time)
            new_plan = planned + timedelta(hours=rng.choice((2, 24, 48)))
            add("rescheduled", reference, scheduled_at + (planned - scheduled_at) / 2, occurred_at=new_plan,
                actor=operator, note="Menyesuaikan jadwal pimpinan")
            planned = new_plan
        if planned.astimezone(UTC) > end - timedelta(hours=2):
            continue  # still ahead: only on the agenda
        if rng.random() < 0.07:
            decided = planned - timedelta(hours=rng.uniform(1, 12))
            add("cancelled", reference, min(end, max(scheduled_at, decided) + timedelta(minutes=rng.uniform(5, 120))),
                occurred_at=decided, reason=rng.choice(CANCEL_REASONS), actor=operator)
            continue
        held_at = planned + timedelta(minutes=rng.choice((0, 0, 5, 10, 15, 30)))
        held_rec = min(end, held_at + timedelta(minutes=rng.uniform(30, 600)))
        if held_rec < held_at:
            continue
        add("held", reference, held_rec, occurred_at=held_at, actor=operator)
        last = held_rec
        if rng.random() < 0.01:  # a mistaken held time, withdrawn and recorded again
            last = add("withdrawn", reference, min(end, last + timedelta(hours=rng.uniform(1, 48))),
                       withdrawn_kind="held", reason="Waktu pelaksanaan salah catat", occurred_at=held_at,
                       actor=rng.choice(CORRECTORS))
            held_at = held_at + timedelta(minutes=45)
            last = add("held", reference, min(end, last + timedelta(minutes=5)), occurred_at=held_at, actor=operator)
        last = _evidence(rng, files, add, reference, held_at, last, end, operator)
    _exclusions(random.Random(seed + 2), add, steps, end)
    _documents(random.Random(seed + 3), add, steps, end)
    _close_quarters(add, list(steps), start, end)
    steps.sort()
    return [step for step in steps if step.recorded_at <= end]


#: the office staff who run the quarter's cycle: accounts of their own (passwords nobody knows: an admin resets
#: them), so the demo shows quarters submitted, returned, verified and approved
STAFF = {"siti": "operator", "kasubbag": "verifier", HEAD: "approver"}
#: why the first closed quarter was returned once
RETURN_REASON = "Bukti dokumentasi dua kegiatan belum diunggah; lengkapi lalu ajukan kembali"
#: what the operator writes of each indicator before submitting a triwulan
NARRATIVES = {
    "published": {"analysis": "Sebagian besar kegiatan pimpinan dipublikasikan di website dan media sosial pada hari "
                              "yang sama; kegiatan malam hari dan di luar kota lebih sering tertunda.",
                  "obstacles": "Kegiatan berlangsung bersamaan di beberapa lokasi; jaringan di lapangan terbatas.",
                  "follow_up": "Jadwal piket peliputan akhir pekan dan unggah dari ponsel di lokasi."},
    "documented": {"analysis": "Dokumentasi foto dan video lengkap untuk kegiatan terjadwal; kegiatan mendadak "
                               "sebagian hanya berfoto dari ajudan.",
                   "obstacles": "Kamera cadangan rusak; arsip digital menunggu penamaan berkas.",
                   "follow_up": "Pengadaan kamera cadangan dan penamaan arsip harian oleh petugas dokumentasi."},
    "protocol_served": {"analysis": "Pelayanan keprotokolan diberikan pada kegiatan resmi; kunjungan informal tidak "
                                    "selalu dimintakan nota dinas.",
                        "obstacles": "Undangan masuk kurang dari sehari sebelum acara.",
                        "follow_up": "Koordinasi jadwal mingguan dengan ajudan dan sekretariat pimpinan."},
}
#: the figure-changing kinds of fact (a closed quarter refuses them)
_FACTS = ("held", "published", "documented", "protocol_served", "withdrawn")


def _quarter_of(moment: datetime) -> tuple[int, int]:
    local = moment.astimezone(WIB)
    return local.year, (local.month - 1) // 3 + 1


def _next_morning(moment: datetime) -> datetime:
    """The office's next morning after `moment` (09:15 WIB)."""
    local = moment.astimezone(WIB) + timedelta(days=1)
    return local.replace(hour=9, minute=15, second=0, microsecond=0).astimezone(UTC)


def _close_quarters(add, steps: list[Step], start: datetime, end: datetime) -> None:
    """Each triwulan wholly inside the history goes through the cycle once its facts are in: submitted five days
    after it ends (or after its last fact), verified and approved two days apart; the first is returned once
    with a reason. A triwulan whose cycle would end after `end` stops where `end` finds it."""
    quarters: dict[str, set[tuple[int, int]]] = {}
    for step in steps:
        if step.kind == "held":
            quarters.setdefault(step.reference, set()).add(_quarter_of(step.fields["occurred_at"]))
    last_fact: dict[tuple[int, int], datetime] = {}
    for step in steps:
        if step.kind in _FACTS:
            for quarter in quarters.get(step.reference, ()):
                last_fact[quarter] = max(last_fact.get(quarter, step.recorded_at), step.recorded_at)
    opened = start - timedelta(days=2)
    for name, role in STAFF.items():
        add("account", name, opened, role=role)
    first = True
    year, q = _quarter_of(start)
    while True:
        q_start = datetime(year, 3 * q - 2, 1, tzinfo=WIB)
        q_end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=WIB)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
        if q_end >= end:
            return
        if q_start < start:
            continue
        code = f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}"
        at = _next_morning(max(q_end + timedelta(days=5), last_fact.get(_quarter_of(q_start), q_end)))
        if at <= end:
            for indicator, texts in NARRATIVES.items():
                add("narrative", code, at - timedelta(hours=1), indicator=indicator, texts=texts, actor="siti")
        moves = [("submit", "siti", "")]
        if first:
            moves += [("return", "kasubbag", RETURN_REASON), ("submit", "siti", "")]
            first = False
        moves += [("verify", "kasubbag", ""), ("approve", HEAD, "")]
        for step, actor, reason in moves:
            if at > end:
                break
            add("close", code, at, step=step, actor=actor, reason=reason)
            at = _next_morning(at + timedelta(days=1))


def _evidence(rng, files, add, reference: str, held_at: datetime, last: datetime, end: datetime,
              operator: str) -> datetime:
    if rng.random() < 0.82:
        channel = rng.choice(CHANNELS)
        url = f"https://mojokertokota.go.id/berita/{reference.lower()}"
        wrong = rng.random() < 0.04  # a wrong link, withdrawn and corrected later
        when = held_at + timedelta(hours=rng.uniform(1, 8))
        recorded = min(end, max(last, when) + timedelta(minutes=rng.uniform(5, 120)))
        if recorded >= when:
            last = add("published", reference, recorded, occurred_at=when, channel=channel,
                       evidence_ref=url + ("-lain" if wrong else ""), actor=operator)
            fix = min(end, last + timedelta(hours=rng.uniform(2, 72)))
            if wrong and fix > last:
                add("withdrawn", reference, fix, withdrawn_kind="published", evidence_ref=url + "-lain",
                    reason="Tautan keliru: mengarah ke berita kegiatan lain", occurred_at=fix, actor="kasubbag")
                last = add("published", reference, fix + timedelta(minutes=3), occurred_at=fix, channel=channel,
                           evidence_ref=url, actor=operator)
    if rng.random() < 0.88:
        late = rng.random() < 0.1  # documentation filed weeks later
        when = held_at + timedelta(minutes=rng.uniform(10, 90))
        recorded = max(last, when) + (timedelta(days=rng.uniform(14, 40)) if late
                                      else timedelta(hours=rng.uniform(1, 30)))
        if recorded <= end:
            media = rng.choice(MEDIA)
            last = add("documented", reference, recorded, occurred_at=when, channel=media,
                       evidence_ref=f"ARSIP/{held_at:%Y/%m}/{reference[-5:]}", actor=operator)
            if media == "foto" and files.random() < 0.03 and last + timedelta(minutes=2) <= end:
                last = add("attached", reference, last + timedelta(minutes=2), fact="documented", actor=operator,
                           file=("photo", reference, f"foto-{reference.lower()}.jpg"))
    if rng.random() < 0.78:
        recorded = min(end, last + timedelta(minutes=rng.uniform(5, 240)))
        if recorded >= held_at:
            letter = f"ND/{held_at:%m}/{reference[-5:]}/PROT" if rng.random() < 0.5 else ""
            last = add("protocol_served", reference, recorded, occurred_at=held_at, channel="Subbag Protokol",
                       evidence_ref=letter, actor=operator)
            if letter and files.random() < 0.02 and last + timedelta(minutes=2) <= end:
                last = add("attached", reference, last + timedelta(minutes=2), fact="protocol_served", actor=operator,
                           file=("letter", letter, f"nota-dinas-{reference.lower()}.pdf"))
    return last


def _exclusions(rng: random.Random, add, steps: list[Step], end: datetime) -> None:
    """Some held activities without a publication were closed-door meetings: excluded from `published` (and from
    the fourth indicator, for the Walikota's) a few hours after they were held."""
    published = {step.reference for step in steps if step.kind == "published"}
    for step in [step for step in steps if step.kind == "held"]:
        if step.reference in published or rng.random() >= CLOSED_DOOR:
            continue
        decided = step.recorded_at + timedelta(hours=rng.uniform(1, 6))
        if decided > end:
            continue
        note = "Rapat terbatas, tertutup untuk media"
        add("excluded", step.reference, decided, indicator="published", exclusion_reason="tertutup", note=note,
            occurred_at=decided, actor="kasubbag")
        add("excluded", step.reference, decided + timedelta(minutes=1), indicator=FOURTH["code"],
            exclusion_reason="tertutup", note=note, occurred_at=decided, actor="kasubbag", optional=True)


#: the share of held activities whose documents were filed in the checklist: the office began with it in the last
#: quarter (DOCUMENTS_SINCE days), so earlier activities have few
DOCUMENTS_SINCE = 90
DOCUMENT_RATES = {"recent": {"undangan": 0.9, "surat_tugas": 0.75, "foto": 0.85, "laporan": 0.6, "naskah": 0.5},
                  "earlier": {"undangan": 0.08, "surat_tugas": 0.05, "foto": 0.08, "laporan": 0.04, "naskah": 0.03}}
NO_SPEECH = "Pimpinan hadir tanpa memberi sambutan"


def _documents(rng: random.Random, add, steps: list[Step], end: datetime) -> None:
    """The document checklist: for each held activity, the files of some kinds a day or two after it was held
    (an invitation and an assignment letter, a photo, the report), and for a speech that was not given, the mark
    that it is not needed."""
    leaders = {step.reference: step.fields["leaders"] for step in steps if step.kind == "scheduled"}
    last_held = {step.reference: step for step in steps if step.kind == "held"}  # one held again counts once
    for step in last_held.values():
        rates = DOCUMENT_RATES["recent" if end - step.recorded_at < timedelta(days=DOCUMENTS_SINCE) else "earlier"]
        moment = step.recorded_at + timedelta(hours=rng.uniform(2, 40))
        reference = step.reference.lower()
        for kind, what, name in (("undangan", "letter", f"undangan-{reference}.pdf"),
                                 ("surat_tugas", "letter", f"surat-tugas-{reference}.pdf"),
                                 ("foto", "photo", f"foto-kegiatan-{reference}.jpg"),
                                 ("laporan", "letter", f"laporan-{reference}.pdf")):
            moment += timedelta(minutes=rng.uniform(1, 30))
            if rng.random() < rates[kind] and moment <= end:
                add("document", step.reference, moment, document=kind, actor=step.fields["actor"],
                    file=(what, f"{kind.replace('_', ' ').title()} {step.reference}", name))
        if set(leaders[step.reference]) & {"walikota", "wakil_walikota"} and rng.random() < rates["naskah"]:
            moment += timedelta(minutes=rng.uniform(1, 30))
            if moment <= end:
                add("not_applicable", step.reference, moment, document="naskah_sambutan", reason=NO_SPEECH,
                    actor=step.fields["actor"])


def _furnish(add, start: datetime, end: datetime) -> None:
    """The office's own records: the profile and the Manual IKU's fourth indicator first, then each year's targets
    when its PK is signed, and a revision (PK perubahan) of one of them mid-year."""
    first = start - timedelta(days=1)
    for key, value in SIGNATORY.items():
        add("profile", key, first, value=value, actor="admin")
    add("profile", "logo", first, file=("logo", "", "logo-kota.png"), actor="admin")
    add("definition", FOURTH["code"], first, values={**FOURTH, "effective_from": start.astimezone(WIB).year},
        reason="Manual IKU: indikator kinerja Walikota di media daring (Renstra)", actor="admin")
    for year in range(start.astimezone(WIB).year, end.astimezone(WIB).year + 1):
        signed = max(first, datetime(year, 1, 6, 9, 0, tzinfo=WIB).astimezone(UTC))
        if signed <= end:
            for code, value in {**TARGETS, FOURTH["code"]: "40"}.items():
                add("target", code, signed, year=year, value=value, actor=HEAD,
                    reason=f"Perjanjian Kinerja Tahun {year}")
        # before the first triwulan closes (a closed period's capaian does not change under it)
        revised = datetime(year, 2, 20, 9, 0, tzinfo=WIB).astimezone(UTC)
        if first < revised <= end:
            add("revision", "published", revised, year=year, value="80", basis_number=f"188.45/{year}/PK-P/417.101",
                basis_date=f"{year}-02-19", reason="PK perubahan: anggaran publikasi disesuaikan (refocusing)",
                actor=HEAD)


def record_history(runtime: Runtime, clock: DemoClock, steps: list[Step], batch_size: int = 2000) -> Counter:
    """Record the planned steps through the domain in batches; returns how many of each kind."""
    counts: Counter = Counter()
    evidence = EvidenceStore(runtime.data_dir)
    batch = runtime.batch()
    for step in steps:
        clock.value = step.recorded_at
        fields = dict(step.fields)
        if step.kind in ("profile", "target", "account", "close", "narrative", "definition", "revision"):
            # another aggregate: store what came first
            runtime.commit(batch)
            batch = runtime.batch()
            if step.kind == "account":
                accounts.add_user(runtime, step.reference, fields["role"], secrets.token_urlsafe(24), actor="admin")
            elif step.kind == "narrative":
                closing.write_narrative(runtime, step.reference, fields["indicator"], fields["texts"],
                                        actor=fields["actor"])
            elif step.kind == "close":
                closing.take_step(runtime, step.reference, fields["step"], actor=fields["actor"],
                                  reason=fields["reason"])
            elif step.kind == "definition":
                runtime.log.define_indicator(fields["values"], reason=fields["reason"], actor=fields["actor"])
            elif step.kind == "revision":
                runtime.log.revise_target(fields["year"], step.reference, fields["value"],
                                          basis_number=fields["basis_number"], basis_date=fields["basis_date"],
                                          reason=fields["reason"], actor=fields["actor"])
            elif step.kind == "target":
                runtime.log.set_target(fields["year"], step.reference, fields["value"], reason=fields["reason"],
                                       actor=fields["actor"])
            elif "file" in fields:
                sha256 = evidence.put_logo(demo_file(*fields["file"]), fields["file"][2])
                runtime.log.set_profile(step.reference, sha256, actor=fields["actor"])
            else:
                runtime.log.set_profile(step.reference, fields["value"], actor=fields["actor"])
        elif step.kind == "document":
            what, label, name = fields.pop("file")
            described = evidence.put(demo_file(what, label, name), name)
            batch.attach_document(step.reference, fields.pop("document"), occurred_at=step.recorded_at, **fields,
                                  **described)
        elif step.kind == "not_applicable":
            batch.mark_not_applicable(step.reference, fields.pop("document"), occurred_at=step.recorded_at, **fields)
        elif step.kind == "attached":
            what, label, name = fields.pop("file")
            described = evidence.put(demo_file(what, label, name), name)
            batch.attach(step.reference, fields.pop("fact"), occurred_at=step.recorded_at, **fields, **described)
        elif fields.pop("optional", False):
            try:  # only when the rule allows it (an exclusion from the fourth indicator: a Walikota's activity)
                batch.record(step.kind, step.reference, **fields)
            except DomainError:
                continue
        else:
            batch.record(step.kind, step.reference, **fields)
        counts[step.kind] += 1
        if len(batch) >= batch_size:
            runtime.commit(batch)
            batch = runtime.batch()
    runtime.commit(batch)
    return counts


def demo_file(what: str, label: str, name: str) -> bytes:
    """A small sample file: a photo (JPEG), a protocol letter (PDF) or the city's logo (PNG)."""
    import io

    from PIL import Image, ImageDraw

    if what == "letter":
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.add_page()
        pdf.set_font("helvetica", "B", 14)
        if label.startswith(("Undangan", "Surat Tugas", "Laporan")):  # a checklist document of an activity
            pdf.cell(0, 10, label.rsplit(" ", 1)[0].upper(), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(0, 7, f"Kegiatan: {label.rsplit(' ', 1)[1]}\n\nDokumen contoh untuk data dukung "
                                 "kegiatan pimpinan daerah.")
            return bytes(pdf.output())
        pdf.cell(0, 10, "NOTA DINAS", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 7, f"Nomor: {label}\nPerihal: Pelayanan keprotokolan kegiatan pimpinan daerah\n\n"
                             "Subbag Protokol telah memfasilitasi kegiatan tersebut sesuai jadwal.")
        return bytes(pdf.output())
    out = io.BytesIO()
    if what == "logo":
        image = Image.new("RGB", (160, 180), "white")
        draw = ImageDraw.Draw(image)
        draw.polygon([(10, 10), (150, 10), (150, 110), (80, 170), (10, 110)], fill="#0b5cad", outline="#f2b705")
        draw.rectangle([40, 40, 120, 90], fill="#f2b705")
        draw.text((52, 58), "KOTA", fill="#0b5cad")
        image.save(out, "PNG")
        return out.getvalue()
    seed = sum(label.encode())
    image = Image.new("RGB", (640, 400), (40 + seed % 90, 70 + seed % 60, 110 + seed % 80))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 320, 640, 400], fill=(20, 20, 20))
    draw.text((20, 345), f"Dokumentasi {label}", fill="white")
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def build_demo(data_dir: Path, *, seed: int = 2020, activities_per_year: int = 1500, years: int = 1,
               end: datetime | None = None) -> dict[str, Any]:
    """Record a sample history into `data_dir` (which should be new) and return a summary."""
    started = time.perf_counter()
    clock = DemoClock()
    runtime = Runtime(data_dir, database_url="", clock=clock)
    try:
        steps = plan_history(seed=seed, activities_per_year=activities_per_year, years=years, end=end)
        counts = record_history(runtime, clock, steps)
    finally:
        runtime.close()
    return {"activities": counts["scheduled"], "events": sum(counts.values()), "by_kind": dict(counts),
            "seconds": round(time.perf_counter() - started, 2)}
