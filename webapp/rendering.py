"""Full page for a normal request, only the fragment for an htmx request (same markup, included once)."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, render_template, request

from webapp import htmx


def wants_fragment() -> bool:
    # A boosted request or a history restore wants the whole page.
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-History-Restore-Request") != "true"


def confirm(message: str) -> None:
    """A confirmation of a save ("Tersimpan: …"), shown once in the page's live region on the next page or
    fragment this user gets, and gone on the action after."""
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
