"""Full page for a normal request, only the fragment for an htmx request (same markup, included once)."""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request

from webapp import htmx


def wants_fragment() -> bool:
    # A boosted request or a history restore wants the whole page.
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-History-Restore-Request") != "true"


def page(template: str, fragment: str, status: int = 200, **context: Any) -> Any:
    """Render `template` (which includes `fragment`) or, for htmx, the fragment alone."""
    body = render_template(fragment if wants_fragment() else template, **context)
    response = make_response(body, status)
    response.headers["Vary"] = "HX-Request"
    return response
