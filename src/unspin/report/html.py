"""The report as one self-contained HTML page (inline CSS and JS, no remote assets).

The article text is written here rather than in the template because its markup must not
add a single character of whitespace: the page keeps the text's own newlines
(``white-space: pre-wrap``), and every span boundary falls exactly on its offsets.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from unspin.report.model import (
    DISCLAIMER,
    MAX_SPANS,
    RATING_NOTE,
    DocView,
    Segment,
    bands,
    families,
    quote,
    styles,
)
from unspin.report.worldmap import place_map

MAX_LAYER = 5  # deeper nesting shares the lowest underline
TIP_FRAGMENT = 80


def anchor(view: DocView, kind: str, ident: str) -> str:
    """An element id unique on the page, made of characters safe in a URL fragment."""
    return f"{view.anchor}-{kind}-{re.sub(r'[^A-Za-z0-9_-]', '_', ident)}"


def article(view: DocView) -> Markup:
    """The text with one <mark> per covering span, outermost first, around each segment.

    Actor and place mentions add an innermost ``<span class="ent">``.
    """
    out: list[str] = []
    for seg in view.segments:
        for kind, ident in seg.anchors:
            if kind == "claim":
                out.append(
                    Markup(
                        '<a class="cm" id="{0}" href="#{1}" data-label="{2}" '
                        'aria-label="Claim {2}: see the claims list"></a>'
                    ).format(anchor(view, "at", ident), anchor(view, "claim", ident), ident)
                )
            else:
                out.append(Markup('<span id="{0}"></span>').format(anchor(view, "at", ident)))
        more = [f"…and {seg.hidden} more enclosing span(s)"] if seg.hidden else []
        tip = "\n".join(
            [m.describe(TIP_FRAGMENT) for m in seg.marks] + more + [m.label for m in seg.mentions]
        )
        opened = [  # integers only: formatted without escaping, the cost of deep nesting
            Markup(
                f'<mark class="t t{m.style.index:d} L{min(m.layer, MAX_LAYER):d} c{m.band.index:d}"'
            )
            for m in seg.marks
        ]
        if seg.mentions:
            opened.append(Markup('<span class="ent"'))
        if opened:  # the innermost element carries what every covering span says
            opened[-1] += Markup(
                ' title="{0}" tabindex="0" role="button" aria-haspopup="dialog" aria-label="{1}"'
            ).format(tip, spoken(seg))
        out += [tag + Markup(">") for tag in opened]
        out.append(escape(seg.text))
        if seg.mentions:
            out.append(Markup("</span>"))
        out.append(Markup("</mark>") * len(seg.marks))
    return Markup("").join(out)


def spoken(seg: Segment) -> str:
    """What a screen reader says on a highlight: its text, then every label over it, so the
    label that replaces the text for assistive technology loses nothing of it."""
    labels = [
        f"{m.style.label}" + ("" if m.score is None else f", score {m.score:.2f}, {m.band.label}")
        for m in seg.marks
    ]
    if seg.hidden:
        labels.append(f"{seg.hidden} more enclosing span(s)")
    labels += [m.label for m in seg.mentions]
    return f"“{quote(seg.text, TIP_FRAGMENT)}”: " + "; ".join(labels)


@cache
def environment() -> Environment:
    """The report's templates and helpers; the workspace overlays its own templates on it."""
    env = Environment(
        loader=PackageLoader("unspin", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        anchor=anchor,
        article=article,
        disclaimer=DISCLAIMER,
        rating_note=RATING_NOTE,
        place_map=place_map,
        quote=quote,
        families=families,
        bands=bands,
    )
    return env


def csp_hash(source: str) -> str:
    """A CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def _inline() -> tuple[Markup, Markup, str]:
    """The page's one style sheet and one script, and the Content-Security-Policy that allows
    those two and nothing else (no remote loads, no injected script, style or form)."""
    table, fallback = styles()
    env = environment()
    css = env.get_template("report.css.j2").render(
        styles=[*table.values(), fallback], bands=bands(), max_layer=MAX_LAYER
    )
    js = env.get_template("report.js").render()
    csp = (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return Markup(css), Markup(js), csp


def assets() -> tuple[str, str]:
    """The report's style sheet and script, for a page that serves them as files."""
    css, js, _ = _inline()
    return str(css), str(js)


def render(views: list[DocView]) -> str:
    """The whole page; several documents get a section each and an index on top."""
    css, js, csp = _inline()
    return (
        environment()
        .get_template("report.html.j2")
        .render(views=views, css=css, js=js, csp=csp, max_spans=MAX_SPANS, links=None)
    )
