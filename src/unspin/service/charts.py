"""Small SVG charts drawn on the server: no chart library, nothing loaded from elsewhere.

Each chart is an accessible image (``role="img"`` with a title) whose numbers are also
written as text, so the chart never holds the only copy of a figure.  Colours come from the
workspace style sheet (classes ``s0``, ``s1``), which uses the report's palette.
"""

from __future__ import annotations

from markupsafe import Markup

WIDTH = 560
ROW = 22
LABEL = 200


def _svg(height: float, title: str, body: list[Markup]) -> Markup:
    return Markup(
        '<svg class="chart" viewBox="0 0 {0} {1:.0f}" role="img" aria-label="{2}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{2}</title>{3}</svg>'
    ).format(WIDTH, height, title, Markup("").join(body))


def bars(title: str, rows: list[tuple[str, list[float | None]]], unit: str = "") -> Markup:
    """Horizontal bars, one group per row, one bar per series (``s0``, ``s1``…)."""
    top = max((v for _, values in rows for v in values if v is not None), default=0) or 1
    series = max((len(values) for _, values in rows), default=1)
    group = ROW * series + 8
    span = WIDTH - LABEL - 70
    body: list[Markup] = []
    for i, (label, values) in enumerate(rows):
        y = i * group
        body.append(
            Markup('<text class="lbl" x="{0}" y="{1}" text-anchor="end">{2}</text>').format(
                LABEL - 6, y + group / 2, label[:32]
            )
        )
        for j, value in enumerate(values):
            shown = "n/a" if value is None else f"{value:g}{unit}"
            width = 0 if value is None else span * value / top
            y0 = y + j * ROW
            body.append(
                Markup(
                    '<rect class="s{0}" x="{1}" y="{2}" width="{3:.1f}" height="{4}"/>'
                    '<text class="val" x="{5:.1f}" y="{6}">{7}</text>'
                ).format(j, LABEL, y0, width, ROW - 4, LABEL + width + 4, y0 + 13, shown)
            )
    return _svg(max(group * len(rows), ROW), title, body)


def lines(title: str, points: list[str], series: list[list[float | None]]) -> Markup:
    """A line per series over labelled points (months), each point marked and labelled."""
    height, left, bottom = 200, 40, 30
    top = max((v for values in series for v in values if v is not None), default=0) or 1
    step = (WIDTH - left - 20) / max(len(points) - 1, 1)

    def at(i: int, v: float) -> tuple[float, float]:
        return left + i * step, 10 + (height - bottom - 10) * (1 - v / top)

    body = [
        Markup('<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>').format(
            left, height - bottom, WIDTH - 10
        ),
        Markup('<text class="lbl" x="4" y="14">{0:g}</text>').format(top),
    ]
    for i, point in enumerate(points):
        body.append(
            Markup('<text class="lbl" x="{0:.1f}" y="{1}" text-anchor="middle">{2}</text>').format(
                left + i * step, height - 10, point
            )
        )
    for j, values in enumerate(series):
        drawn = [at(i, v) for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in drawn)
        body.append(Markup('<polyline class="ln s{0}" points="{1}"/>').format(j, path))
        body += [
            Markup('<circle class="s{0}" cx="{1:.1f}" cy="{2:.1f}" r="3"/>').format(j, x, y)
            for x, y in drawn
        ]
    return _svg(height, title, body)
