"""Error pages in the user's language; never a traceback."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.errors import StoredButBehindError
from services.evidence import limit_bytes
from services.presentation import format_decimal
from services.proofs import ProofError
from webapp.auth import load_user_and_enforce_access
from webapp.i18n import current_lang
from webapp.rendering import wants_fragment


def back_link() -> str | None:
    """The page the user came from (same site, a page one can open), for a link back from an error page."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    try:
        current_app.url_map.bind(request.host).match(parts.path, method="GET")
    except HTTPException:  # a form's address (post only), or no page at all
        return None
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if target == request.full_path.rstrip("?") else target


def too_large(back: str | None = None) -> Any:
    """413: a body over the request cap, refused unread; the page names the evidence file limit."""
    return _page(413, _("Berkas terlalu besar"),
                 _("Kiriman ini melebihi batas ukuran dan tidak disimpan. Berkas bukti paling besar %(limit)s MB: "
                   "kembali, pilih berkas yang lebih kecil, lalu kirim lagi.", limit=upload_limit_text()), back)


def refusal(status: int, title: str, message: str) -> Any:
    """A page that says why a request was refused (a download that cannot be made as asked), with a way back."""
    return _page(status, title, message)


def _page(status: int, title: str, message: str, back: str | None = None) -> Any:
    if "user" not in g:
        # Refused before the account was looked up (the CSRF check reads the form first, and a body over the
        # size cap stops it there): look it up now, so the page's header shows who is logged in. What it would
        # answer (a refusal, a way to the login page) is not needed: this error is the answer.
        try:
            load_user_and_enforce_access()
        except Exception:  # the read model itself failing: the page still renders, without a name
            g.user = None
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, title=title, message=message,
                           back=back or back_link()), status


def upload_limit_text() -> str:
    """The evidence file limit as people read it (`20`, `0,5`)."""
    return format_decimal(round(limit_bytes() / 1048576, 1), current_lang())


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
        }
        if error.code == 413:
            return too_large()
        title, message = titles.get(error.code or 500, (_("Terjadi kesalahan"), _("Silakan coba lagi.")))
        return _page(error.code or 500, title, message)

    @app.errorhandler(StoredButBehindError)
    def stored_but_behind(error: StoredButBehindError) -> Any:
        # The store committed: say so (never "nothing was stored"), and that the pages will follow by themselves.
        current_app.logger.error("stored, but the read model could not follow: %s", error.cause)
        title = _("Tersimpan, tampilan menyusul")
        message = _("%(count)s peristiwa sudah tersimpan, tetapi halaman belum dapat memperbaruinya (%(cause)s). "
                    "Jangan dicatat ulang: halaman akan menyusul sendiri setelah penyebabnya diatasi; bila tidak, "
                    "minta admin menjalankan iku rebuild.", count=error.count,
                    cause=str(error.cause).splitlines()[0] if str(error.cause) else type(error.cause).__name__)
        if wants_fragment():
            body = render_template("errors/_error.html", status=202, title=title, message=message, back=None)
            return htmx_response(body, 202, retarget="#flash", reswap="innerHTML")
        return _page(202, title, message)

    @app.errorhandler(ProofError)
    def no_proof(error: ProofError) -> Any:
        # A bundle or pack asked of a read model whose Merkle tree is not yet level with its log (the follower
        # levels it on its first round): say so, and that it passes.
        return _page(503, _("Bukti belum siap"), error.message(current_lang()) + " " + _("Silakan coba lagi sebentar lagi."))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        current_app.logger.exception("unhandled error")
        return _page(500, _("Terjadi kesalahan"),
                     _("Terjadi kesalahan di server; tidak ada yang tersimpan setengah jalan. Silakan coba lagi."))
