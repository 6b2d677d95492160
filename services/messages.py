"""The words of every refusal: each error code (its class name) as a text of the catalogue.

Texts are Indonesian msgids with `%(name)s` parameters (`%(name)r` quotes the value as typed); their English
is in services/catalogue/english.py. `services.presentation.describe` fills them in."""

from __future__ import annotations

from services.catalogue import marked, marked_in

ERRORS: dict[str, str] = {
    # domain/errors.py
    "InvalidReferenceError": marked("nomor kegiatan tidak sah: %(reference)r (1–64 karakter, tanpa spasi di tengah "
                                    "atau karakter kendali)"),
    "MissingFieldError": marked("%(field_label)s wajib diisi"),
    "ControlCharacterError": marked("%(field_label)s berisi karakter kendali (tak terlihat, mis. NUL) yang tidak "
                                    "diizinkan"),
    "TextTooLongError": marked("%(field_label)s terlalu panjang (maksimal %(limit)s karakter)"),
    "UnknownLeaderError": marked("pimpinan tidak dikenal: %(leader)r (pilih walikota, wakil_walikota, sekda)"),
    "UnknownEventKindError": marked("jenis peristiwa tidak dikenal: %(kind)r"),
    "InvalidDateTimeError": marked("tanggal/waktu tidak sah: %(value)r (contoh 2020-03-31 atau 2020-03-31T23:30)"),
    "OutOfRangeError": marked("tanggal/waktu %(value)s di luar rentang yang diterima (tahun %(first)s–%(last)s, WIB)"),
    "FutureOccurrenceError": marked("waktu kejadian %(occurred_at)s masih di masa depan; %(kind_label)s hanya untuk "
                                    "yang sudah terjadi"),
    "AlreadyScheduledError": marked("kegiatan %(reference)s sudah dijadwalkan sebelumnya"),
    "NotScheduledError": marked("kegiatan %(reference)s belum dijadwalkan"),
    "NotHeldError": marked("kegiatan %(reference)s belum terlaksana, jadi belum bisa %(kind_label)s"),
    "AlreadyHeldError": marked("kegiatan %(reference)s sudah tercatat terlaksana"),
    "HeldActivityError": marked("kegiatan %(reference)s sudah terlaksana, jadi tidak bisa %(kind_label)s"),
    "ActivityCancelledError": marked("kegiatan %(reference)s sudah dibatalkan, jadi tidak bisa %(kind_label)s"),
    "NotWithdrawableError": marked("jenis %(kind)r tidak bisa ditarik (yang bisa: held, cancelled, published, "
                                   "documented, protocol_served, excluded, document, not_applicable)"),
    "NothingToCheckError": marked("kegiatan %(reference)s tidak punya publikasi berlaku dengan tautan %(url)s"),
    "UnknownDocumentKindError": marked("jenis dokumen tidak dikenal: %(code)r (pilih %(choices)s)"),
    "InvalidDocumentKindCodeError": marked("kode jenis dokumen tidak sah: %(code)r (2–40 huruf kecil, angka atau "
                                           "garis bawah, diawali huruf)"),
    "DocumentNotApplicableError": marked("dokumen %(label)s ditandai tidak diperlukan untuk kegiatan %(reference)s: "
                                         "tarik dulu tanda itu sebelum melampirkan berkas"),
    "DocumentAlreadyAttachedError": marked("kegiatan %(reference)s sudah punya berkas %(label)s yang berlaku (atau "
                                           "berkas yang sama): tarik dulu berkasnya"),
    "AlreadyNotApplicableError": marked("dokumen %(label)s sudah ditandai tidak diperlukan untuk kegiatan "
                                        "%(reference)s"),
    "NothingToWithdrawError": marked("tidak ada catatan %(kind_label)s yang berlaku pada kegiatan %(reference)s untuk "
                                     "ditarik"),
    "NotAttachableError": marked("berkas hanya dapat dilampirkan pada published, documented, protocol_served "
                                 "(bukan %(kind)r)"),
    "NothingToAttachError": marked("kegiatan %(reference)s belum punya catatan %(kind_label)s yang berlaku untuk "
                                   "dilampiri berkas"),
    "EmptyFileError": marked("berkas %(name)r kosong"),
    "FileTooLargeError": marked("berkas %(name)r terlalu besar (%(size_mb)s MB; batas %(limit_mb)s MB)"),
    "UnsupportedFileTypeError": marked("berkas %(name)r bukan JPEG, PNG, WebP atau PDF (isinya: %(detected)s)"),
    "ConcurrentChangeError": marked("%(subject)s baru saja diubah oleh orang lain; muat ulang lalu coba lagi"),
    "NothingToWithdrawError.evidence_ref": marked("tidak ada catatan %(kind_label)s yang berlaku dengan referensi %(evidence_ref)r "
                                                  "pada kegiatan %(reference)s untuk ditarik"),
    # domain/accounts.py
    "InvalidUsernameError": marked("nama akun tidak sah: %(username)r (2–32 huruf kecil, angka, titik, garis)"),
    "UnknownRoleError": marked("peran tidak dikenal: %(role)r (pilih operator, auditor, admin, verifier, approver)"),
    "AccountExistsError": marked("akun %(username)s sudah ada"),
    "UnknownAccountError": marked("akun %(username)s tidak ada"),
    "AccountDisabledError": marked("akun %(username)s sudah dinonaktifkan"),
    "AccountEnabledError": marked("akun %(username)s masih aktif"),
    "SameRoleError": marked("akun %(username)s sudah berperan %(role)s"),
    "OwnPasswordResetError": marked("kata sandi akun sendiri diganti dengan kata sandi saat ini, bukan direset"),
    "LastAdminError": marked("akun %(username)s adalah satu-satunya admin aktif: jadikan akun lain admin "
                             "lebih dulu, agar selalu ada yang dapat mengelola akun"),
    # domain/profile.py
    "UnknownProfileKeyError": marked("kunci profil tidak dikenal: %(key)r (pilih: %(keys)s)"),
    "LogoTypeError": marked("logo harus PNG atau JPEG (isinya: %(detected)s)"),
    # domain/targets.py
    "UnknownIndicatorError": marked("indikator tidak dikenal: %(code)r (pilih %(choices)s)"),
    "NoOriginalTargetError": marked("target awal (PK) %(code)s tahun %(year)s belum dicatat: catat dulu target "
                                    "awalnya"),
    "InvalidBasisDateError": marked("tanggal dasar perubahan tidak sah: %(value)r (contoh 2020-06-15)"),
    "InvalidQuarterError": marked("triwulan tidak sah: %(value)r (pilih 1, 2, 3 atau 4)"),
    # domain/indicators.py
    "InvalidIndicatorCodeError": marked("kode indikator tidak sah: %(code)r (2–40 huruf kecil, angka atau garis "
                                        "bawah, diawali huruf)"),
    "InvalidDefinitionError": marked("isian %(field_label)s tidak dikenal: %(value)r"),
    "ExclusionNotAllowedError": marked("definisi indikator %(code)s tidak mengizinkan pengecualian dengan alasan "
                                       "%(reason)r (yang diizinkan: %(allowed)s)"),
    "OtherLeadersError": marked("kegiatan %(reference)s bukan kegiatan %(leaders)s, jadi tidak termasuk penyebut "
                                "indikator %(code)s"),
    "AlreadyExcludedError": marked("kegiatan %(reference)s sudah dikecualikan dari indikator %(code)s; tarik dulu "
                                   "pengecualian itu"),
    "InvalidTargetError": marked("target tidak sah: %(value)r (angka 0–1000, persen)"),
    "InvalidYearError": marked("tahun tidak sah: %(value)r"),
    # domain/closing.py
    "NotClosablePeriodError": marked("hanya triwulan (mis. 2020-Q1) atau tahun (mis. 2020) yang melalui penutupan "
                                     "periode, bukan %(period)r"),
    "StepNotAllowedError": marked("%(period_label)s berstatus %(state_label)s: tidak dapat %(step_label)s"),
    "RoleNotAllowedError": marked("peran %(role_label)s (akun %(actor)s) tidak dapat %(step_label)s "
                                  "%(period_label)s"),
    "SameAccountError": marked("pemisahan tugas: akun %(actor)s sudah mengajukan atau memverifikasi "
                               "%(period_label)s, jadi tidak dapat %(step_label)s"),
    "FiguresChangedError": marked("angka %(period_label)s berubah sejak diverifikasi oleh %(verified_by)s "
                                  "(%(verified_at)s): kembalikan agar diverifikasi ulang sebelum disetujui"),
    "NarrativeClosedError": marked("%(period_label)s berstatus %(state_label)s: narasinya ditulis sebelum diajukan, "
                                   "atau setelah dikembalikan atau dibuka kembali"),
    "NotQuarterError": marked("narasi ditulis per triwulan, bukan untuk %(period_label)s"),
    "QuartersNotClosedError": marked("%(period_label)s baru dapat ditutup setelah keempat triwulannya ditutup "
                                     "(belum: %(quarters)s)"),
    "YearClosedError": marked("tahun %(year)s sudah ditutup: buka kembali tahunnya sebelum %(period_label)s"),
    "PeriodClosedError": marked("%(period_label)s sudah ditutup (revisi %(revision)s, disetujui oleh "
                                "%(closed_by)s): perubahan yang mengubah angkanya ditolak; penyetuju dapat "
                                "membukanya kembali dengan alasan"),
    # domain/periods.py
    "MissingRangeError": marked("isi tanggal awal dan tanggal akhir rentang"),
    "AmbiguousPeriodError": marked("pilih periode atau rentang tanggal, bukan keduanya"),
    "InvalidPeriodError": marked("periode tidak sah: %(value)r (contoh 2020, 2020-03, 2020-Q1, 2020-S1)"),
    "InvalidRangeError": marked("tanggal awal %(start)s sesudah tanggal akhir %(end)s"),
    # services/accounts.py
    "WeakPasswordError": marked("kata sandi terlalu pendek (minimal %(minimum)s karakter)"),
    # services/migrate.py
    "TargetNotEmptyError": marked("penyimpanan tujuan sudah berisi %(count)s peristiwa; migrasi hanya ke "
                                  "penyimpanan kosong"),
    "SameStoreError": marked("tujuan migrasi adalah penyimpanan yang sedang dipakai"),
    "UnknownTargetError": marked("tujuan migrasi harus postgresql://… atau direktori data (didapat %(url)r)"),
    "SourceNotIntactError": marked("penyimpanan sumber tidak utuh di posisi %(position)s (%(problem)s); jalankan "
                                   "`iku verify`"),
    "PositionsDifferError": marked("penyimpanan tujuan memberi posisi %(got)s untuk peristiwa di posisi "
                                   "%(expected)s; buat skema/basis data baru lalu ulangi"),
    "SourceMovedError": marked("%(count)s peristiwa dicatat di sumber selama migrasi; hentikan semua server "
                               "lalu ulangi (tujuan tidak diubah)"),
    "CopyDiffersError": marked("salinan tidak sama dengan sumber: %(detail)s"),
    "EvidenceAlteredError": marked("berkas bukti %(name)s tidak sesuai digest-nya (diubah?); jalankan `iku verify` "
                                   "(tidak ada yang disalin)"),
    # webapp/params.py
    "FutureAsOfError": marked("%(as_of)s masih di masa depan: pilih waktu sampai saat ini"),
}

#: what a ConcurrentChangeError says was changed, by kind of record
THINGS = {"activity": marked_in("record", "kegiatan"), "account": marked_in("record", "akun"),
          "target": marked_in("record", "target"), "profile": marked_in("record", "profil instansi"),
          "period": marked_in("record", "periode"), "narrative": marked_in("record", "narasi"),
          "indicator": marked_in("record", "definisi indikator"),
          "document_kind": marked_in("record", "jenis dokumen")}

#: said of a file whose content no type was recognised in
UNKNOWN_TYPE = marked("tidak dikenal")

#: an error no text was written for (a new code): said all the same, never a traceback
FALLBACK = marked("aturan dilanggar (%(code)s)")
