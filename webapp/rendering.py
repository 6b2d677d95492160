"""Full page for a normal request, only the fragment for an htmx request (same markup, included once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, make_response, render_template, request, session

from webapp import htmx


def wants_fragment() -> bool:
    # A boosted request or a history restore wants the whole page.
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-History-Restore-Request") != "true"


def confirm(message: str) -> None:
    """A confirmation of a save ("Tersimpan: …"), shown once in the page's live region on the next page or
    fragment this user gets, and gone on the action after. A message already waiting is not queued again (a
    double click's second answer confirms the same save the first did)."""
    if ["saved", message] not in [list(pair) for pair in session.get("_flashes", [])]:
        flash(message, "saved")


def page(template: str, fragment: str, status: int = 200, **context: Any) -> Any:
    """Render `template` (which includes `fragment`) or, for htmx, the fragment alone, followed by the live
    region's new content (a confirmation, or nothing, so an old one does not linger)."""
    if wants_fragment():
        body = render_template(fragment, **context) + render_template("_flash.html", oob=True)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.headers["Vary"] = "HX-Request"
    return response


def year_document_moment(year: int) -> tuple[datetime, bool]:
    """For a download of one year's document: 404 for a year the domain does not accept, 400 for a bad `per`;
    else the moment the document is as known at (`per`, or now) and whether `per` stated it."""
    from domain.errors import DomainError
    from domain.targets import check_year
    from domain.times import now
    from webapp.i18n import current_lang
    from webapp.params import FieldErrors, as_of_from

    try:
        check_year(year)
    except DomainError:
        abort(404)
    errors = FieldErrors()
    as_of = as_of_from(request.args, errors, current_lang())
    if errors:
        abort(400)
    return (as_of, True) if as_of is not None else (now(), False)
