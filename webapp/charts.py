"""A small server-rendered SVG of the monthly trend (no script, works everywhere)."""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 360, 140, 34, 8, 22
SERIES = ("published", "documented", "protocol_served")


def trend_chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """Coordinates for a line per indicator over 12 months; months without held activities are gaps."""
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - 8) / 11

    def x(index: int) -> float:
        return round(LEFT + index * step, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - min(value, 100.0) / 100.0), 1)

    lines = []
    for series, code in enumerate(SERIES):
        segments: list[list[tuple[float, float]]] = [[]]
        points = []
        for index, month in enumerate(trend):
            value = month["indicators"][series]["percent"]
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x(index), y(value)))
            points.append({"x": x(index), "y": y(value), "value": value, "label": month["period"]["label"]})
        lines.append({
            "code": code,
            "paths": [" ".join(f"{px},{py}" for px, py in seg) for seg in segments if seg],
            "points": points,
        })
    grid = [{"y": y(v), "label": f"{v}%"} for v in (0, 50, 100)]
    months = [{"x": x(i), "label": str(i + 1)} for i in range(12)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "lines": lines, "grid": grid, "months": months,
            "baseline": HEIGHT - BOTTOM}
