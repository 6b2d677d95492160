"""The evaluation pack (paket evaluasi SAKIP) of a year as a ZIP download, for every logged-in role (auditors
included), as the evidence bundle is."""

from __future__ import annotations

import tempfile
from typing import Any

from flask import Blueprint, send_file

from domain.times import now
from services import pack as packs
from services.evidence import EvidenceStore
from webapp.rendering import year_document_moment
from webapp.wiring import read_model, runtime

bp = Blueprint("pack", __name__)


@bp.route("/laporan/paket-<int:year>.zip")
def download(year: int) -> Any:
    """The pack of `year` as known at `per` (none: now), written to a temporary file in this request's snapshot
    of the read model, then sent from disk (send_file closes it when sent, and a closed temporary file is gone)."""
    moment, stated = year_document_moment(year)
    made = moment if not stated else now()
    target = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        packs.write(read_model(), year, moment, target, log=runtime().log, stated=stated,
                    store=EvidenceStore(runtime().data_dir), printed_at=made)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return send_file(target, mimetype="application/zip", as_attachment=True,
                     download_name=f"paket-evaluasi-{year}.zip")
