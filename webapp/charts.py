"""A small server-rendered SVG of the monthly trend (no script, works everywhere).

The plot stretches to its card (`preserveAspectRatio="none"`, strokes that do not scale) while the month
and percentage labels are HTML around it, so the text stays readable from a phone to a wide screen.
"""

from __future__ import annotations

from typing import Any

from services.presentation import month_name

WIDTH, HEIGHT = 1200, 300  # the plot's own units; only the proportions of the points matter
#: the colours (static/iku.css `.series-1` …) a chart has; a later line takes the first again
COLOURS = 8


def month_names(lang: str = "id") -> list[str]:
    """`Jan … Des` (English `Jan … Dec`)."""
    return [month_name(number, lang)[:3] for number in range(1, 13)]


def trend_chart(trend: list[dict[str, Any]], lang: str = "id") -> dict[str, Any] | None:
    """A line per indicator (as many as are in force for the year, in their order, each with its colour number)
    over 12 months, months without held activities left as gaps; None when no month of the year has a held
    activity."""
    if not any(row["denominator"] for month in trend for row in month["indicators"]):
        return None

    def x(index: int) -> float:
        return round(WIDTH * (index + 0.5) / 12, 1)  # the middle of the month's column of labels

    def y(value: float) -> float:
        return round(HEIGHT * (1 - min(value, 100.0) / 100.0), 1)

    lines = []
    codes = [row["code"] for row in trend[0]["indicators"]]
    for series, code in enumerate(codes):
        segments: list[list[tuple[float, float]]] = [[]]
        points = []
        for index, month in enumerate(trend):
            row = next(found for found in month["indicators"] if found["code"] == code)
            if row["percent"] is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x(index), y(row["percent"])))
            points.append({"x": x(index), "y": y(row["percent"]), "row": row, "label": month["period"]["label"]})
        lines.append({
            "code": code,
            "colour": series % COLOURS + 1,
            "paths": [" ".join(f"{px},{py}" for px, py in seg) for seg in segments if seg],
            "points": points,
        })
    return {"width": WIDTH, "height": HEIGHT, "lines": lines, "grid": [y(v) for v in (0, 50, 100)],
            "months": month_names(lang), "colours": {line["code"]: line["colour"] for line in lines}}
