"""The reports: offsets highlighted exactly, hostile text kept inert, every layer accounted for."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from unspin.cli import main
from unspin.errors import InputError
from unspin.models.techniques import technique_names
from unspin.report import load_analyses, render
from unspin.report.model import (
    Mark,
    assign_layers,
    band_of,
    bands,
    build,
    segment,
    style_of,
    styles,
)
from unspin.report.worldmap import place_map

TITLE = "Shelling hits Velmora market as council blames rebels"
BODY = (
    "Residents of Velmora woke to shelling on 3 March 2024. The council said at least 12 "
    "civilians were killed when the so-called liberators of the Northern Front attacked the "
    "old market.\n\n"
    "This outrageous, barbaric attack proves that they only understand force, said Mayor "
    "Ilsa Draven. Critics ask why the council never investigated its own militia.\n\n"
    "The United Nations (UN) called for calm; the UN also sent observers. A day later, aid "
    "convoys reached the town."
)
TEXT = f"{TITLE}\n\n{BODY}"


def at(fragment: str, text: str = TEXT, nth: int = 0) -> dict[str, Any]:
    """The span of the ``nth`` (0-based) occurrence of ``fragment``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return {"start": start, "end": start + len(fragment), "text": fragment}


def analysis(text: str = TEXT, title: str | None = TITLE, **layers: Any) -> dict[str, Any]:
    """A minimal unspin/1 analysis; other layers are added by keyword."""
    return {
        "schema": "unspin/1",
        "document": {
            "id": "velmora-1",
            "title": title,
            "text": text,
            "url": "https://courier.example/a1",
            "site": "courier.example",
            "published": "2024-03-04",
            "authors": ["R. Tamsin"],
            "language": "en",
            "genre": "reporting",
        },
        "techniques": [],
        **layers,
    }


TECHNIQUES = [
    (
        "Causal_Oversimplification",
        "This outrageous, barbaric attack proves that they only understand force",
    ),
    ("Loaded_Language", "outrageous, barbaric"),  # nested in the span above
    ("Thought-terminating_Cliches", "only understand force, said Mayor"),  # overlaps its end
    ("Name_Calling,Labeling", "so-called liberators"),
    ("Doubt", "Critics ask why the council never investigated its own militia"),
]


def velmora() -> dict[str, Any]:
    """Every layer filled, with overlapping and nested technique spans."""
    killed = {
        "id": "Q1",
        "kind": "killed",
        "count": 12,
        "who": "civilians",
        "qualifier": "at least",
        **at("at least 12 civilians"),
    }
    c1 = at(
        "The council said at least 12 civilians were killed when the so-called liberators "
        "of the Northern Front attacked the old market."
    )
    c2 = at("A day later, aid convoys reached the town.")
    march3 = {"id": "T1", "value": "2024-03-03", "precision": "day", **at("3 March 2024")}
    day_later = {"id": "T2", "value": "2024-03-04", "precision": "day", **at("A day later")}
    return analysis(
        dates=[march3, day_later],
        quantities=[killed],
        sentences=[
            c1,
            c2,
            at(
                "This outrageous, barbaric attack proves that they only "
                "understand force, said Mayor Ilsa Draven."
            ),
        ],
        techniques=[
            {**at(f), "technique": t, "score": 0.5 + i / 10} for i, (t, f) in enumerate(TECHNIQUES)
        ],
        claims=[
            {
                "id": "C1",
                **c1,
                "checkworthy": 0.62,
                "attribution": {
                    "source": "The council",
                    "entity": None,
                    "cue": "said",
                    **at("The council"),
                },
                "quantities": ["Q1"],
                "dates": [],
            },
            {
                "id": "C2",
                **c2,
                "checkworthy": 0.91,
                "attribution": None,
                "quantities": [],
                "dates": ["T2"],
            },
        ],
        events=[
            {
                "id": "V1",
                "type": "attack",
                "trigger": at("attacked"),
                "date": "T1",
                "actors": [{"text": "the Northern Front", "entity": "E2"}],
                "targets": [{"text": "the old market", "entity": None}],
                "location": {"text": "Velmora", "entity": "E1"},
                "casualties": ["Q1"],
                "claim": "C1",
            },
            {
                "id": "V2",
                "type": "movement",
                "trigger": at("reached"),
                "date": "T2",
                "actors": [{"text": "aid convoys", "entity": None}],
                "targets": [],
                "location": None,
                "casualties": [],
                "claim": "C2",
            },
            {
                "id": "V3",
                "type": "investigation",
                "trigger": at("investigated"),
                "date": None,
                "actors": [],
                "targets": [],
                "location": None,
                "casualties": [],
                "claim": None,
            },
        ],
        timeline=["V3", "V1", "V2"],
        entities=[
            {
                "id": "E1",
                "name": "Velmora",
                "type": "place",
                "kb_id": "geonames:9999901",
                "geo": {"lat": 44.8125, "lon": 20.4612},
                "confidence": 0.7,
                "mentions": [at("Velmora")],
            },
            {
                "id": "E2",
                "name": "Northern Front",
                "type": "armed_group",
                "kb_id": "unspin:northern-front",
                "geo": None,
                "confidence": 0.8,
                "mentions": [at("Northern Front")],
            },
            {
                "id": "E3",
                "name": "United Nations",
                "type": "organization",
                "kb_id": "Q1065",
                "geo": None,
                "confidence": 0.95,
                "mentions": [at("United Nations"), at("UN"), at("UN", nth=1)],
            },
            {
                "id": "E4",
                "name": "Ilsa Draven",
                "type": "person",
                "kb_id": None,
                "geo": None,
                "confidence": 0.6,
                "mentions": [at("Mayor Ilsa Draven")],  # crosses the end of a technique span
            },
        ],
        identity_claims=[
            {
                **at("the so-called liberators of the Northern Front"),
                "actors": ["E2"],
                "relation": "same_as",
                "kb_notes": ["no KB record"],
            }
        ],
        source={
            "domain": "courier.example",
            "name": "Velmora Courier",
            "factuality": "mixed",
            "bias": "right",
            "rating_by": "Media Bias/Fact Check, via Baly et al. 2020",
            "reference": "https://courier.example/about",
        },
        run={
            "unspin_version": "0.1.0",
            "models": [{"component": "techniques", "id": "tagger-v1"}],
        },
    )


def hostile() -> dict[str, Any]:
    """Markup and script in every field a page could echo."""
    title = "</style><script>alert(1)</script>"
    body = 'Look <img src=x onerror=alert(3)> here </script>\u2028" onmouseover="alert(2) end'
    text = f"{title}\n\n{body}"
    a = analysis(
        text,
        title,
        techniques=[
            {**at("<img src=x onerror=alert(3)>", text), "technique": "Doubt", "score": 0.7},
            {**at('" onmouseover="alert(2)', text), "technique": "<b>bad</b>", "score": 0.6},
        ],
        claims=[
            {
                "id": 'C1"><script>x</script>',
                **at("here </script>", text),
                "checkworthy": 0.5,
                "attribution": {
                    "source": "<i>them</i>",
                    "cue": "said",
                    "entity": None,
                    "start": 0,
                    "end": 1,
                },
            }
        ],
        entities=[
            {
                "id": "E1",
                "name": '<b onmouseover="alert(4)">X</b>',
                "type": "place",
                "kb_id": 'Q1" onclick="alert(6)',
                "geo": {"lat": 1.0, "lon": 2.0},
                "mentions": [at("Look", text)],
            }
        ],
        source={
            "name": "<script>alert(7)</script>",
            "factuality": "high",
            "rating_by": "</style>",
            "reference": "javascript:alert(5)",
        },
    )
    a["document"].update(
        url="javascript:alert(8)", site='" onmouseover="alert(2)', authors=["<i>Eve</i>"]
    )
    return a


class Page(HTMLParser):
    """Collects tags, attributes and, in the article text, what each character is inside.

    For each character: the technique class of every enclosing <mark> ("t3"), and "ent" for
    an enclosing actor-mention span.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[list[tuple[str, tuple[str, ...]]]] = []  # one per article
        self.stack: list[str] = []
        self.depth = 0  # open divs inside the current article text, 0 when outside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "text" in classes:
            self.depth = 1
            self.texts.append([])
        elif self.depth and tag == "mark":
            self.stack.append(next(c for c in classes if c[1:].isdigit()))
        elif self.depth and tag == "span":
            self.stack.append("ent" if "ent" in classes else "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in ("mark", "span"):
            self.stack.pop()
        elif self.depth and tag == "div":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1].extend((ch, tuple(c for c in self.stack if c)) for ch in data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def test_segments_cut_at_every_boundary_and_know_every_covering_span() -> None:
    text = "abcdefghij"
    spans = [(1, 8), (3, 5), (4, 9), (8, 10)]
    layers = assign_layers(spans)
    for i, a in enumerate(spans):
        for j, b in enumerate(spans):
            if i < j and a[0] < b[1] and b[0] < a[1]:
                assert layers[i] != layers[j], (a, b)
    marks = [
        Mark(s, e, text[s:e], style_of("Doubt"), 0.5, n)
        for (s, e), n in zip(spans, layers, strict=True)
    ]
    segs = segment(text, marks)
    assert "".join(s.text for s in segs) == text
    assert [(s.start, s.end) for s in segs] == [
        (0, 1),
        (1, 3),
        (3, 4),
        (4, 5),
        (5, 8),
        (8, 9),
        (9, 10),
    ]
    for seg in segs:
        covering = {(m.start, m.end) for m in seg.marks}
        assert covering == {(s, e) for s, e in spans if s <= seg.start and seg.end <= e}
        assert [m.start for m in seg.marks] == sorted(m.start for m in seg.marks)  # outer first


def test_html_marks_exactly_the_spans_with_overlap_and_nesting() -> None:
    data = velmora()
    page = parse(render([data], "html"))
    [chars] = page.texts
    assert "".join(ch for ch, _ in chars) == TEXT  # newlines kept, no added text
    for i, (_, inside) in enumerate(chars):
        classes = [c for c in inside if c != "ent"]
        expected = sorted(
            f"t{style_of(t['technique']).index}"
            for t in data["techniques"]
            if t["start"] <= i < t["end"]
        )
        assert sorted(classes) == expected, (i, TEXT[i])
    nested = TEXT.index("barbaric")
    assert len(chars[nested][1]) == 2
    overlap = TEXT.index("only understand")
    assert len(chars[overlap][1]) == 2


def test_html_tip_lists_every_covering_span_with_score() -> None:
    page = parse(render([velmora()], "html"))
    titles = [a["title"] for tag, a in page.tags if tag == "mark" and a.get("title")]
    inner = next(t for t in titles if "Loaded language" in t)
    assert "Causal oversimplification 0.50" in inner
    assert "Loaded language 0.60" in inner
    start = TEXT.index("outrageous")
    assert f"[{start}:{start + len('outrageous, barbaric')}]" in inner


def test_html_has_every_layer() -> None:
    html = render([velmora()], "html")
    assert "not verdicts" in html and "tagger-v1" in html
    assert "Media Bias/Fact Check, via Baly et al. 2020: factuality mixed, bias right" in html
    assert "https://www.wikidata.org/wiki/Q1065" in html
    assert '<a href="https://www.geonames.org/9999901"' in html and ">GeoNames 9999901</a>" in html
    assert "<code>unspin:northern-front</code>" in html
    assert "“UN” (2)" in html
    assert "44.8125, 20.4612" in html and "openstreetmap.org/?mlat=44.81250" in html
    assert "Unattributed" in html and "The council" in html
    timeline = html[html.index('<ol class="tl">') :]
    assert timeline.index("V1") < timeline.index("V2") < timeline.index("V3")  # undated last
    assert 'href="#d1-claim-C1"' in html and 'id="d1-claim-C1"' in html
    assert 'href="https://courier.example/a1" rel="noopener noreferrer"' in html
    assert "front for" not in html and "same as" in html


def test_events_follow_the_timeline_with_undated_last() -> None:
    view = build(velmora(), 1)
    assert [e.id for e in view.events] == ["V1", "V2", "V3"]
    assert view.events[0].location == "Velmora"
    assert view.events[0].actors == ["Northern Front (“the Northern Front”)"]
    assert view.events[0].sentence and view.events[0].sentence.startswith("The council said")
    assert [c.id for c in view.claims] == ["C2", "C1"]  # most check-worthy first


def test_hostile_content_stays_text() -> None:
    html = render([hostile(), velmora()], "html")
    page = parse(html)
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "nav",
        "h1",
        "h2",
        "h3",
        "ol",
        "ul",
        "li",
        "a",
        "span",
        "section",
        "header",
        "p",
        "strong",
        "code",
        "div",
        "aside",
        "button",
        "details",
        "summary",
        "dl",
        "dt",
        "dd",
        "mark",
        "blockquote",
        "meter",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "time",
        "footer",
        "script",
        "bdi",
        "b",
        "figure",
        "figcaption",
        "svg",
        "rect",
        "path",
        "g",
        "circle",
        "text",
    }
    assert {tag for tag, _ in page.tags} <= allowed
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert [tag for tag, _ in page.tags].count("style") == 1
    for _, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")], attrs
        href = attrs.get("href")
        assert href is None or href.startswith(("#", "https://")), href
    assert html.count("<script") == 1 and html.count("</script>") == 1
    assert html.count("</style>") == 1
    assert "javascript:" not in html.replace("javascript:alert(8)", "").replace(
        "javascript:alert(5)", ""
    )  # only ever shown as text
    assert "Address (not a web link): javascript:alert(8)" in html
    assert "\u2028" not in html.split("<script>")[1]
    hostile_text = hostile()["document"]["text"]
    assert "".join(ch for ch, _ in page.texts[0]) == hostile_text


def test_no_remote_assets() -> None:
    html = render([velmora(), hostile()], "html")
    for needle in ("<script src", "<link", "@import", "url(", "<img", "<iframe", "@font-face"):
        assert needle not in html.lower(), needle
    assert '<meta name="viewport"' in html and "@media print" in html
    assert "print-color-adjust: exact" in html


def test_empty_layers_say_so() -> None:
    html = render([analysis()], "html")
    assert "No technique spans found." in html
    # Each missing layer key in its section, and again for claims and source in the band.
    assert html.count("Layer not present in this analysis.") == 7
    filled = analysis(
        claims=[],
        events=[],
        entities=[],
        identity_claims=[],
        source={},
        run={"skipped": ["events"]},
    )
    html = render([filled], "html")
    assert "No claims extracted." in html
    assert "Layer skipped: the events component was switched off" in html
    assert "No actors or places found." in html and "No identity claims found." in html
    assert "Outlet not in the ratings table" in html
    text = render([filled], "text")
    assert "No technique spans found." in text and "No claims extracted." in text


def test_spans_outside_the_text_are_dropped_and_counted() -> None:
    data = analysis(
        techniques=[
            {"start": 5, "end": 9999, "text": "x", "technique": "Doubt", "score": 0.5},
            {"start": 0, "end": 8, "text": TEXT[:8], "technique": "Slogans", "score": 0.5},
        ]
    )
    view = build(data, 1)
    assert [m.style.key for m in view.marks] == ["Slogans"] and view.dropped == 1
    assert "1 span(s) with offsets outside the text are not shown." in render([data], "html")


def test_several_documents_one_page_with_index_and_unique_ids() -> None:
    second = analysis(title="Second Velmora piece", text="Second Velmora piece\n\nQuiet day.")
    html = render([velmora(), second], "html")
    page = parse(html)
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert 'href="#d1"' in html and 'href="#d2"' in html
    assert html.count('<section class="doc"') == 2 and len(page.texts) == 2
    assert "2 documents" in html and "Second Velmora piece" in html


def test_markdown_lists_the_same_content_escaped() -> None:
    md = render([velmora()], "md")
    start = TEXT.index("so-called liberators")
    assert f"Name calling / labelling 0.80 \\[{start}:{start + 20}\\] “so-called liberators”" in md
    assert "UNATTRIBUTED" in md and "Source: The council (cue “said”)" in md
    assert md.index("V1 2024-03-03 (day): attack") < md.index("V3 undated")
    assert "https://www.wikidata.org/wiki/Q1065" in md
    assert "Media Bias/Fact Check, via Baly et al. 2020: factuality mixed, bias right" in md
    bad = render([hostile()], "md")
    assert not re.search(r"(?<!\\)[<>]", bad)  # no raw angle bracket: all escaped
    assert "\\<script\\>" in bad


def test_text_report_lists_techniques_claims_timeline_actors_source() -> None:
    out = render([velmora(), hostile()], "text")
    assert out.startswith("2 documents:")
    start = TEXT.index("Critics")
    assert f"Doubt 0.90 [{start}:" in out
    assert (
        "C2, check-worthiness 0.91" in out and "Quantity: 12 (killed, civilians, at least)" in out
    )
    assert out.index("V1 2024-03-03") < out.index("V2 2024-03-04") < out.index("V3 undated")
    assert "United Nations (organization)" in out and "“UN” (2)" in out
    assert "Coordinates 44.8125, 20.4612" in out
    assert "not unspin's verdict" in out


def test_render_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render([velmora()], "pdf")


# Machado, Oliveira and Fernandes (2009), severity 1: full protanopia, deuteranopia,
# tritanopia, as matrices on linear RGB.
CVD = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(colour: str) -> list[float]:
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear RGB colour."""
    xyz = [
        sum(w * c for w, c in zip(row, rgb, strict=True)) / white
        for row, white in (
            ((0.4124, 0.3576, 0.1805), 0.95047),
            ((0.2126, 0.7152, 0.0722), 1.0),
            ((0.0193, 0.1192, 0.9505), 1.08883),
        )
    ]
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _seen(colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    rgb = _linear(colour)
    return _lab(
        [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    )


def test_every_ptc_technique_has_its_own_look_for_every_reader() -> None:
    """Colour and underline style together tell every technique apart; techniques that share
    an underline style stay apart in colour (CIELAB distance 25+) under simulated colour
    blindness, and every colour holds 3:1 against white for its underline."""
    names = list(technique_names())  # the 14 PTC techniques
    table, fallback = styles()
    assert sorted(table) == sorted(names)
    shown = [*table.values(), fallback]
    assert len({(s.colour, s.family.line) for s in shown}) == len(shown)
    for line in {s.family.line for s in shown}:
        colours = [s.colour for s in shown if s.family.line == line]
        for kind, matrix in CVD.items():
            for i, a in enumerate(colours):
                for b in colours[i + 1 :]:
                    distance = math.dist(_seen(a, matrix), _seen(b, matrix))
                    assert distance >= 25, (line, kind, a, b, distance)
    for s in shown:
        luminance = sum(
            w * c for w, c in zip((0.2126, 0.7152, 0.0722), _linear(s.colour), strict=True)
        )
        assert 1.05 / (luminance + 0.05) >= 3, s
    assert style_of("Unknown_Thing").label == "Unknown Thing"


def test_spans_are_shaded_by_confidence_band() -> None:
    html = render([velmora()], "html")
    scores = {t["technique"]: t["score"] for t in velmora()["techniques"]}
    for technique, score in scores.items():
        index = style_of(technique).index
        band = band_of(score)
        assert re.search(rf'<mark class="t t{index} L\d c{band.index}"', html), technique
    assert [b.label for b in bands()] == ["low confidence", "medium confidence", "high confidence"]
    assert band_of(None) == bands()[0] and band_of(0.99) == bands()[-1]
    assert "score 0.60, high confidence" in html  # what a screen reader says on the span


def test_load_analyses_reads_json_and_json_lines(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(velmora(), indent=2), encoding="utf-8")
    assert load_analyses(one)[0]["document"]["id"] == "velmora-1"
    many = tmp_path / "many.jsonl"
    many.write_text(f"{json.dumps(velmora())}\n\n{json.dumps(analysis())}\n", encoding="utf-8")
    assert len(load_analyses(many)) == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such file"),
        ("", "empty file"),
        ("{not json", "line 1: invalid JSON"),
        (json.dumps({"schema": "other/2"}), "not an unspin/1 analysis"),
        (json.dumps([1, 2]), "not an unspin/1 analysis"),
        (json.dumps({"schema": "unspin/1", "document": {}}), "without document.text"),
        (json.dumps(analysis()) + '\n{"schema": "x"}\n', "line 2: not an unspin/1"),
        (json.dumps(analysis()) + "\n[oops\n", "line 2: invalid JSON"),
    ],
)
def test_load_analyses_errors(tmp_path: Path, content: str | None, reason: str) -> None:
    path = tmp_path / "analysis.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as err:
        load_analyses(path)
    assert err.value.source == str(path)


def test_cli_report_writes_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "a.json"
    saved.write_text(json.dumps(velmora()), encoding="utf-8")
    out = tmp_path / "out" / "report.html"
    assert main(["report", str(saved), "-o", str(out)]) == 0
    assert TITLE in out.read_text(encoding="utf-8")
    assert main(["report", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_malformed_optional_layers_render_without_crashing() -> None:
    data = analysis(
        techniques=[{"start": 0, "end": 5, "text": TEXT[:5], "technique": "Doubt", "score": None}],
        claims=[
            "not a claim",
            {"text": "x", "checkworthy": "high", "attribution": "them"},
            {"id": "C7", "text": "y", "attribution": {"source": None, "entity": "E1"}},
        ],
        events=[
            {"id": "V9", "trigger": None, "date": "yesterday", "actors": None},
            {"id": "V8", "date": "soon"},
            7,
        ],
        timeline=["V404", None, "V9"],
        entities=[
            {
                "id": "E1",
                "name": None,
                "geo": {"lat": "north", "lon": 500},
                "kb_id": "javascript:alert(1)",
                "mentions": "Velmora",
            }
        ],
        identity_claims=[{"text": "a", "actors": None, "kb_notes": [{"kb": "none"}]}],
        source={"name": "Outlet", "factuality": None, "rating_by": None},
        summary=None,
    )
    for fmt in ("html", "md", "text"):
        out = render([data], fmt)
        assert "V9" in out and "(unnamed)" in out, fmt
    view = build(data, 1)
    assert [c.id for c in view.claims] == ["C1", "C7"] and not view.claims[0].attributed
    assert view.claims[1].source == "(unnamed)"  # named through its entity
    assert view.events[0].date is None and view.events[0].actors == []
    assert view.places == [] and view.actors[0].qid is None and view.actors[0].lat is None
    assert view.source is not None and view.source.rating.startswith("No published rating")
    assert view.marks[0].describe().startswith("Doubt [0:5]")


def test_html_marks_actor_mentions_inside_technique_spans() -> None:
    data = velmora()
    page = parse(render([data], "html"))
    [chars] = page.texts
    mentioned = {
        i for e in data["entities"] for m in e["mentions"] for i in range(m["start"], m["end"])
    }
    assert {i for i, (_, inside) in enumerate(chars) if "ent" in inside} == mentioned
    assert all(inside[-1] == "ent" for _, inside in chars if "ent" in inside)  # innermost
    titles = [a.get("title") or "" for tag, a in page.tags if "ent" in (a.get("class") or "")]
    assert "United Nations (organization, Wikidata Q1065)" in titles
    mayor = [t for t in titles if "Ilsa Draven (person)" in t]
    assert len(mayor) == 2  # cut where the technique span ends inside the mention
    assert "Thought-terminating cliché" in mayor[0] and "cliché" not in mayor[1]
    assert 'data-t="ent"' in render([data], "html")
    assert 'data-t="ent"' not in render([analysis()], "html")


def test_summary_band_comes_first_with_rating_counts_incidents_and_claims_to_check() -> None:
    html = render([velmora()], "html")
    band = html[html.index('<section class="band"') : html.index("Text and technique spans")]
    assert html.index('<section class="band"') < html.index('<div class="text"')
    assert "Media Bias/Fact Check, via Baly et al. 2020: factuality mixed, bias right" in band
    assert "not unspin&#39;s verdict" in band and "Genre of this article: <strong>reporting" in band
    assert "1 attributed" in band and "1 unattributed" in band and "2 dated, 1 undated" in band
    assert '<time datetime="2024-03-03">2024-03-03</time> attack · Velmora · ' in band
    assert "at least 12 civilians" in band and "1 undated event(s)" in band
    assert "investigation" not in band  # undated events are counted, not listed
    check = band[band.index("Check first") :]
    assert check.index("#d1-claim-C2") < check.index("#d1-claim-C1")  # most check-worthy first
    claims = html[html.index("Attributed claims (1)") :]
    assert claims.index('id="d1-claim-C1"') < claims.index("Unattributed claims (1)")
    assert claims.index("Unattributed claims (1)") < claims.index('id="d1-claim-C2"')
    assert html.index('class="skip" href="#d1-text-body"') < html.index("<main>")
    assert 'id="d1-text-body" tabindex="-1"' in html


def test_incidents_merge_the_events_of_one_claim_on_one_date() -> None:
    view = build(velmora(), 1)
    first = view.events[0]
    view.events.insert(1, replace(first, id="V4", type="displacement", figures=["40 families"]))
    assert [(i.date, i.types, i.figures) for i in view.incidents] == [
        ("2024-03-03", ["attack", "displacement"], ["at least 12 civilians", "40 families"]),
        ("2024-03-04", ["movement"], []),
    ]


def test_places_are_numbered_on_a_map_drawn_from_shipped_outlines() -> None:
    view = build(velmora(), 1)
    drawn = place_map(view.places)
    assert drawn is not None and [(p.number, p.name) for p in drawn.pins] == [(1, "Velmora")]
    pin = drawn.pins[0]
    assert 0 < pin.x < drawn.width and 0 < pin.y < drawn.height
    assert drawn.outlines and all(d.startswith("M") and d.endswith("Z") for d in drawn.outlines)
    assert "44.8°N" not in drawn.extent and "N to" in drawn.extent
    assert place_map(view.actors) is None  # nothing with coordinates, no map
    html = render([velmora()], "html")
    assert '<svg viewBox="0 0 600.0 ' in html and "1 Velmora" in html
    assert '<span class="pinno" title="Number on the map">1</span> Velmora' in html
    for far in (-120.0, 170.0):  # the window widens to hold places far apart
        wide = place_map([replace(view.places[0], id="E9", lon=far, lat=-30.0), *view.places])
        assert wide is not None and len(wide.pins) == 2
        assert all(0 <= p.x <= wide.width and 0 <= p.y <= wide.height for p in wide.pins)
