"""English for the Indonesian interface texts (the msgids). `python -m webapp.translations.english`
re-extracts the texts, writes `en/LC_MESSAGES/messages.po` and compiles `messages.mo`."""

from __future__ import annotations

ENGLISH = {
    "Peran Anda (%(role)s) hanya dapat melihat, tidak mencatat.": "Your role (%(role)s) may only look, not record.",
    "Halaman ini hanya untuk peran: %(roles)s.": "This page is only for the role(s): %(roles)s.",
    "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.":
        "Too many failed login attempts. Try again in %(minutes)d minutes.",
    "Nama akun atau kata sandi salah, atau akun dinonaktifkan.":
        "Wrong account name or password, or the account is disabled.",
    "Formulir kedaluwarsa": "Form expired",
    "Formulir ini tidak lagi sah (token keamanan hilang atau salah). Muat ulang halaman lalu kirim lagi.":
        "This form is no longer valid (its security token is missing or wrong). Reload the page and send it again.",
    "Permintaan tidak sah": "Bad request",
    "Isian atau alamat halaman tidak dapat dipahami.": "The input or the page address could not be understood.",
    "Perlu masuk": "Login required",
    "Silakan masuk terlebih dahulu.": "Please log in first.",
    "Tidak diizinkan": "Not allowed",
    "Anda tidak berhak membuka halaman ini.": "You may not open this page.",
    "Halaman tidak ditemukan": "Page not found",
    "Halaman atau kegiatan yang Anda cari tidak ada.": "The page or activity you are looking for does not exist.",
    "Cara akses tidak didukung": "Method not allowed",
    "Alamat ini tidak menerima permintaan seperti itu.": "This address does not accept such a request.",
    "Berkas terlalu besar": "Too large",
    "Kiriman melebihi batas ukuran.": "The submission exceeds the size limit.",
    "Terjadi kesalahan": "Something went wrong",
    "Silakan coba lagi.": "Please try again.",
    "Terjadi kesalahan di server; tidak ada yang tersimpan setengah jalan. Silakan coba lagi.":
        "Something went wrong on the server; nothing was stored half-way. Please try again.",
    "Tahun": "Year",
    "Periode": "Period",
    "Rentang sendiri": "Custom range",
    "Dari": "From",
    "Sampai": "To",
    "Sebagaimana diketahui pada": "As known on",
    "Tampilkan": "Show",
    "Indikator": "Indicators",
    "Langsung ke isi": "Skip to content",
    "Menu utama": "Main menu",
    "Agenda": "Agenda",
    "Jejak audit": "Audit log",
    "Profil instansi pada laporan": "Institution profile on the report",
    "Pemerintah daerah": "Local government",
    "Unit kerja": "Unit",
    "Alamat": "Address",
    "Tempat penandatanganan": "Place of signing",
    "Jabatan penandatangan": "Signatory's position",
    "Nama penandatangan": "Signatory's name",
    "NIP penandatangan": "Signatory's NIP",
    "Logo (PNG atau JPEG; kosongkan bila tetap)": "Logo (PNG or JPEG; leave empty to keep it)",
    "Simpan profil": "Save profile",
    "Simpul ini": "This node",
    "Penyimpanan peristiwa": "Event store",
    "Posisi model baca halaman ini": "Read model position of this page",
    "Posisi terakhir di penyimpanan": "Last position in the store",
    "Mengikuti penyimpanan": "Following the store",
    "di latar belakang, setiap %(seconds)s detik": "in the background, every %(seconds)s seconds",
    "gagal pada putaran terakhir": "failed in the last round",
    "pada setiap permintaan": "on every request",
    "Penyimpanan peristiwa tidak lagi cocok dengan rantai hash yang tercatat: peristiwa baru tidak ditampilkan. Jalankan iku verify.":
        "The event store no longer matches the recorded hash chain: new events are not shown. Run iku verify.",
    "Penyimpanan peristiwa tidak dapat dibaca saat ini: halaman ini mungkin belum memuat catatan terbaru (lihat log server).":
        "The event store cannot be read at the moment: this page may not show the latest records (see the server log).",
    "Data sedang disusulkan dari penyimpanan peristiwa: %(count)s peristiwa belum tampil di halaman ini.":
        "Catching up with the event store: %(count)s events are not shown on this page yet.",
    "Perbandingan": "Comparison",
    "Keluar": "Log out",
    "Masuk": "Log in",
    "Bagian Humas dan Protokol Sekretariat Daerah": "PR & Protocol Division, Regional Secretariat",
    "Semua waktu dalam WIB": "All times in WIB (UTC+7)",
    "Pimpinan": "Leaders",
    "Lokasi": "Location",
    "Rencana mulai": "Planned start",
    "Status": "Status",
    "Dijadwalkan oleh": "Scheduled by",
    "Catat langkah berikut": "Record the next step",
    "Rencana mulai baru (WIB)": "New planned start (WIB)",
    "Waktu kejadian (WIB)": "When it happened (WIB)",
    "Kanal (website, instagram, koran, …)": "Channel (website, instagram, newspaper, …)",
    "Jenis media (foto, video, …)": "Media kind (photo, video, …)",
    "Petugas/unit protokol": "Protocol officer/unit",
    "Tautan/URL": "Link/URL",
    "Nomor arsip": "Archive reference",
    "Nomor surat (opsional)": "Letter number (optional)",
    "Lokasi baru (kosong = tetap)": "New location (empty = unchanged)",
    "Yang ditarik": "What to withdraw",
    "Referensi yang ditarik (kosong = semua jenis itu)": "Reference to withdraw (empty = all of that kind)",
    "Alasan": "Reason",
    "Catatan": "Note",
    "Simpan": "Save",
    "Jejak audit kegiatan": "Audit trail of this activity",
    "Terjadi": "Occurred",
    "Dicatat": "Recorded",
    "oleh": "by",
    "Menarik": "Withdraws",
    "Ditarik oleh %(who)s pada %(when)s": "Withdrawn by %(who)s on %(when)s",
    "kegiatan": "activities",
    "lebih banyak di halaman berikut": "more on the next page",
    "Rencana": "Planned",
    "Kegiatan": "Activity",
    "Langkah berikut": "Next step",
    "Halaman berikut": "Next page",
    "Tidak ada kegiatan pada rentang dan saringan ini.": "No activities in this range and filter.",
    "Terlaksana": "Held",
    "Kanal": "Channel",
    "Jenis media": "Media kind",
    "Petugas/unit": "Officer/unit",
    "Tautan/referensi": "Link/reference",
    "Nomor kegiatan": "Activity reference",
    "Judul": "Title",
    "Rencana mulai (WIB)": "Planned start (WIB)",
    "Jadwalkan": "Schedule",
    "Agenda pimpinan": "Leadership agenda",
    "Semua": "All",
    "Cari": "Search",
    "judul, lokasi, nomor": "title, location, reference",
    "Saring": "Filter",
    "Minggu lalu": "Last week",
    "Minggu ini": "This week",
    "Minggu depan": "Next week",
    "Jadwalkan kegiatan baru": "Schedule a new activity",
    "Setiap peristiwa menurut urutan pencatatan. Tidak ada yang diubah atau dihapus; koreksi dicatat sebagai "
    "penarikan.": "Every event in recording order. Nothing is changed or deleted; corrections are recorded as "
                  "withdrawals.",
    "Unduh CSV (semua baris tersaring)": "Download CSV (all filtered rows)",
    "Pencatat": "Recorded by",
    "Peristiwa": "Event",
    "Keterangan": "Details",
    "ditarik oleh %(who)s": "withdrawn by %(who)s",
    "Tidak ada peristiwa untuk saringan ini.": "No events for this filter.",
    "Halaman": "Pages",
    "Awal": "First",
    "Berikutnya": "Next",
    "Dicatat dari": "Recorded from",
    "Dicatat sampai": "Recorded until",
    "Jenis peristiwa": "Event kind",
    "Nama akun": "Account name",
    "Kata sandi": "Password",
    "Pilih periode dan tanggal laporan dibuat; halaman ini menunjukkan angka sebagaimana diketahui saat itu, "
    "angka kini, dan peristiwa yang dicatat sesudahnya.":
        "Choose a period and the date a report was made; this page shows the figures as known then, the figures "
        "now, and the events recorded since.",
    "Isi \"Sebagaimana diketahui pada\" dengan waktu laporan dibuat.": "Fill in \"As known on\" with the time the "
                                                                          "report was made.",
    "Pada %(moment)s": "On %(moment)s",
    "Kini": "Now",
    "Selisih": "Change",
    "Peristiwa yang dicatat sesudahnya": "Events recorded since",
    "Tidak ada: angka tidak berubah sejak saat itu.": "None: the figures have not changed since then.",
    "Perbandingan: dilaporkan saat itu vs kini": "Comparison: as reported then vs now",
    "Kembali ke beranda": "Back to the home page",
    "sebagaimana diketahui pada %(moment)s": "as known on %(moment)s",
    "kondisi terkini": "as known now",
    "Rincian kegiatan": "Activities behind it",
    "Tren bulanan %(year)s": "Monthly trend %(year)s",
    "Tren bulanan persentase ketiga indikator": "Monthly trend of the three indicators' percentages",
    "Belum dihitung": "Not yet counted",
    "belum %(kind)s": "not yet %(kind)s",
    "Tidak ada: semua kegiatan sudah dihitung.": "None: every activity is counted.",
    "Sudah dihitung": "Counted",
    "Belum ada.": "None yet.",
    "Indikator Kinerja Utama": "Key performance indicators",
    "Akun": "Accounts",
    "Akun dan catatan perubahannya": "Accounts and the record of their changes",
    "Peran": "Role",
    "Dibuat": "Created by",
    "Perubahan terakhir": "Last changed by",
    "Ubah": "Change",
    "nonaktif": "disabled",
    "aktif": "active",
    "Ganti peran": "Change role",
    "alasan": "reason",
    "Aktifkan": "Enable",
    "Nonaktifkan": "Disable",
    "Tambah akun": "Add an account",
    "Kata sandi (minimal 10 karakter)": "Password (at least 10 characters)",
    "Tambah": "Add",
    "Catatan perubahan akun": "Record of account changes",
    "Perubahan": "Change",
    "Oleh": "By",
    "Segel log": "Log seal",
    "periksa dengan": "check with",
    "Integritas": "Integrity",
    "Integritas log": "Integrity of the log",
    "Setiap peristiwa yang tersimpan dirantai dengan SHA-256 ke peristiwa sebelumnya. Segel di bawah membuktikan "
    "isi log sampai posisinya; cetak di laporan dan periksa kapan saja dengan":
        "Every stored event is chained with SHA-256 to the one before it. The seal below proves the log up to its "
        "position; print it on reports and check it at any time with",
    "Segel kini": "Current seal",
    "Pemeriksaan terakhir": "Last verification",
    "Utuh: %(n)s peristiwa diperiksa pada %(when)s.": "Intact: %(n)s events checked on %(when)s.",
    "%(n)s peristiwa terbaru belum dirantai.": "%(n)s newest events are not chained yet.",
    "RUSAK di posisi %(position)s (%(problem)s), diperiksa pada %(when)s.":
        "BROKEN at position %(position)s (%(problem)s), checked on %(when)s.",
    "Belum diperiksa sejak aplikasi dijalankan.": "Not checked since the app started.",
    "Periksa sekarang": "Verify now",
    "Laporan": "Report",
    "Tetapkan target": "Set a target",
    "Target (persen)": "Target (percent)",
    "Logo": "Logo",
    "Target %(target)s · capaian %(capaian)s": "Target %(target)s · achievement %(capaian)s",
    "Laporan IKU resmi": "Official IKU report",
    "Unduh": "Download",
    "REALISASI INDIKATOR KINERJA UTAMA TAHUN %(year)s": "KEY PERFORMANCE INDICATOR RESULTS %(year)s",
    "Berkas bukti (JPEG, PNG, WebP, PDF; opsional)": "Evidence file (JPEG, PNG, WebP, PDF; optional)",
    "Unduh data dukung (ZIP dengan manifes dan segel)": "Download the evidence bundle (ZIP with manifest and seal)",
}


def build() -> None:
    """Extract the texts, write the English catalogue and compile it."""
    from pathlib import Path

    from babel.messages.frontend import CommandLineInterface
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    root = Path(__file__).resolve().parents[2]
    pot = root / "webapp" / "translations" / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_", "-k", "gettext",
                                "--omit-header", "--no-location", "-o", str(pot), str(root)])
    with pot.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    missing = [message.id for message in catalog if message.id and message.id not in ENGLISH]
    if missing:
        raise SystemExit("no English for: " + "; ".join(missing))
    for message in catalog:
        if message.id:
            message.string = ENGLISH[message.id]
    folder = root / "webapp" / "translations" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog, omit_header=True, no_location=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    pot.unlink()


if __name__ == "__main__":
    build()
