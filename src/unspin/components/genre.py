"""Genre of a document (opinion, reporting, satire) from visible, listed signals.

Each signal is measured, kept with its value and the genre it points to, and handed to the
reader in ``doc.source['genre_signals']``, so the label is never a black box:

- ``outlet``: the site is a known satire outlet;
- ``url_section``: the URL path has an opinion or satire section ('/opinion/', '/satire/');
- ``disclaimer``: an author disclaimer ('the views expressed are solely those of the
  author') or a satire notice, with its offsets;
- ``first_person`` / ``first_person_plural``: 'I' / 'we' pronouns outside quotations, per
  100 words (a column argues in the writer's or the readers' voice);
- ``questions``: question marks outside quotations per sentence (rhetorical questions);
- ``attribution``: reporting cues ('said', 'according to') per sentence: many point to
  reporting, almost none in a long text to opinion;
- ``quotes``: share of the text inside quotation marks.

Satire wins over opinion, opinion over reporting; weak evidence gives ``None``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from unspin import lexicon
from unspin.document import GenreSignal

_QUOTED = re.compile(r"[\"“][^\"“”\n]{1,1000}[\"”]")
# style signal -> unit shown to the reader with its value
UNITS = {
    "first_person": "per 100 words outside quotes",
    "first_person_plural": "per 100 words outside quotes",
    "questions": "question marks outside quotes per sentence",
    "attribution": "reporting cues per sentence",
    "quotes": "share of text in quotation marks",
}
_WORDS = re.compile(r"\b\w[\w'\u2019-]*\b")


@cache
def _rules() -> dict[str, Any]:
    rules = dict(lexicon.load("media", "genre.json"))  # a copy: compiled patterns join it
    rules["_compiled"] = {
        genre: [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns]
        for genre, patterns in rules["disclaimers"].items()
    }
    rules["_first"] = re.compile(rules["first_person"]["pattern"])
    rules["_we"] = re.compile(rules["first_person_plural"]["pattern"])
    rules["_attr"] = re.compile(rules["attribution"]["pattern"], re.IGNORECASE)
    return rules


def _signal(name: str, value: Any, points_to: str | None, **extra: Any) -> GenreSignal:
    return GenreSignal(signal=name, value=value, points_to=points_to, **extra)


def _past(value: float, threshold: float, genre: str = "opinion") -> str | None:
    return genre if value >= threshold else None


def url_signals(url: str | None, outlet_key: str | None) -> list[GenreSignal]:
    rules = _rules()
    out = []
    if outlet_key and outlet_key in rules["satire_outlets"]:
        out.append(_signal("outlet", outlet_key, "satire"))
    if url:
        segments = [s.lower() for s in urlsplit(url).path.split("/") if s]
        for genre in ("satire", "opinion"):
            hit = next((s for s in segments if s in rules["url_sections"][genre]), None)
            if hit:
                out.append(_signal("url_section", f"/{hit}/", genre))
                break
    return out


def _text_signals(text: str, sentences: int) -> list[GenreSignal]:
    rules = _rules()
    out = []
    for genre in ("satire", "opinion"):
        for pattern in rules["_compiled"][genre]:
            match = pattern.search(text)
            if match:
                out.append(
                    _signal(
                        "disclaimer", match.group(0), genre, start=match.start(), end=match.end()
                    )
                )
                break
    words = len(_WORDS.findall(text))
    if words < rules["min_words"]:
        return out
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    unquoted = _QUOTED.sub(" ", text)
    per_sentence = max(sentences, 1)
    first = 100 * len(rules["_first"].findall(unquoted)) / words
    we = 100 * len(rules["_we"].findall(unquoted)) / words
    questions = unquoted.count("?") / per_sentence
    attr = len(rules["_attr"].findall(text)) / per_sentence
    share = quoted / max(len(text), 1)
    cues = rules["attribution"]
    if attr >= cues["reporting_per_sentence"]:
        attributed = "reporting"
    elif words >= cues["min_words_for_absence"] and attr <= cues["opinion_below_per_sentence"]:
        attributed = "opinion"
    else:
        attributed = None
    measured = (
        ("first_person", first, _past(first, rules["first_person"]["opinion_per_100_words"])),
        (
            "first_person_plural",
            we,
            _past(we, rules["first_person_plural"]["opinion_per_100_words"]),
        ),
        ("questions", questions, _past(questions, rules["questions"]["opinion_per_sentence"])),
        ("attribution", attr, attributed),
        ("quotes", share, _past(share, rules["quotes"]["reporting_share"], "reporting")),
    )
    for name, value, points_to in measured:
        out.append(_signal(name, round(value, 3), points_to, unit=UNITS[name]))
    return out


def signals(
    text: str, sentences: int, url: str | None = None, outlet_key: str | None = None
) -> list[GenreSignal]:
    """Every genre signal measured on the document, each with the genre it points to."""
    return url_signals(url, outlet_key) + _text_signals(text, sentences)


def decide(found: list[GenreSignal]) -> str | None:
    """Satire beats opinion beats reporting; style signals decide only by majority."""
    votes = [s.points_to for s in found if s.points_to]
    strong = {s.points_to for s in found if s.signal in ("outlet", "url_section", "disclaimer")}
    if "satire" in strong:
        return "satire"
    if "opinion" in strong:
        return "opinion"
    if votes.count("opinion") > votes.count("reporting"):
        return "opinion"
    if "reporting" in votes:
        return "reporting"
    return None
