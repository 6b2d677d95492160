"""Error pages in the user's language; never a traceback."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.rendering import wants_fragment


def _page(status: int, title: str, message: str) -> Any:
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, title=title, message=message), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return _page(400, _("Formulir kedaluwarsa"),
                     _("Formulir ini tidak lagi sah (token keamanan hilang atau salah). Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        titles = {
            400: (_("Permintaan tidak sah"), _("Isian atau alamat halaman tidak dapat dipahami.")),
            401: (_("Perlu masuk"), _("Silakan masuk terlebih dahulu.")),
            403: (_("Tidak diizinkan"), _("Anda tidak berhak membuka halaman ini.")),
            404: (_("Halaman tidak ditemukan"), _("Halaman atau kegiatan yang Anda cari tidak ada.")),
            405: (_("Cara akses tidak didukung"), _("Alamat ini tidak menerima permintaan seperti itu.")),
            413: (_("Berkas terlalu besar"), _("Kiriman melebihi batas ukuran.")),
        }
        title, message = titles.get(error.code or 500, (_("Terjadi kesalahan"), _("Silakan coba lagi.")))
        return _page(error.code or 500, title, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        current_app.logger.exception("unhandled error")
        return _page(500, _("Terjadi kesalahan"),
                     _("Terjadi kesalahan di server; tidak ada yang tersimpan setengah jalan. Silakan coba lagi."))
