"""Genre: opinion, reporting or satire, from signals shown to the reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.components import genre
from unspin.components.source import SourceProfiler
from unspin.document import Document, Metadata, SourceProfile
from unspin.errors import InputError
from unspin.evaluation import genre as genre_eval

REPORT = (
    "The ministry said on Sunday that the convoy had reached the northern crossing. "
    "According to the regional council, 30 trucks carried flour and medicine. "
    '"We expect more next week," a spokesman told reporters. Local officials confirmed '
    "the figures, and the aid agency added that roads remained open. Residents said the "
    "queues at bakeries had shortened."
)
OPINION = (
    "I have covered this war for a decade, and I am tired of the excuses. My neighbours "
    "are tired too. I believe the talks will fail again, because nobody in the room wants "
    "them to succeed. I think we deserve better, and I will keep writing until my readers "
    "agree with me or prove me wrong. This is my last plea on the subject."
)

WE_COLUMN = (
    "We were promised a ceasefire, and we got another winter of shelling. Who among us still "
    "believes the envoys? Our leaders sign communiques while our towns empty. Why should we "
    "trust a process that has failed every family on this street? We owe the displaced more "
    "than patience, and our silence has become part of the problem."
)


def profiled(body: str, url: str | None = None) -> Document:
    return SourceProfiler()(Document.from_parts("A title", body, Metadata(url=url)))


def test_attributed_reporting_is_reporting() -> None:
    doc = profiled(REPORT)
    assert doc.meta.genre == "reporting"
    attribution = next(s for s in doc.source.genre_signals if s.signal == "attribution")
    assert attribution.points_to == "reporting" and attribution.value > 0.25


def test_first_person_is_opinion() -> None:
    doc = profiled(OPINION)
    assert doc.meta.genre == "opinion"
    first = next(s for s in doc.source.genre_signals if s.signal == "first_person")
    assert first.points_to == "opinion"


def test_author_disclaimer_makes_opinion_and_points_at_the_text() -> None:
    body = REPORT + " The views expressed in this article are solely those of the author."
    doc = profiled(body)
    assert doc.meta.genre == "opinion"
    sig = next(s for s in doc.source.genre_signals if s.signal == "disclaimer")
    assert doc.text[sig.start : sig.end] == sig.value


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        ("Opinions expressed here belong to the contributor.", "opinion"),
        ("The writer's views are her own.", "opinion"),
        ("She writes in a personal capacity.", "opinion"),
        ("The Velmora Weevil is a satirical newspaper.", "satire"),
        ("No people or events in this story are real.", "satire"),
        ("Any resemblance to real persons is coincidental.", "satire"),
    ],
)
def test_notices_in_other_words(notice: str, expected: str) -> None:
    assert profiled(REPORT + "\n" + notice).meta.genre == expected


def test_url_sections_and_satire_outlets() -> None:
    assert profiled(REPORT, "https://example.org/opinion/2020/05/a-column").meta.genre == "opinion"
    assert profiled(REPORT, "https://example.org/satire/general-resigns").meta.genre == "satire"
    onion = profiled(REPORT, "https://www.theonion.com/area-man-1819570000")
    assert onion.meta.genre == "satire"
    assert onion.source.name == "The Onion"


def test_short_or_empty_text_has_no_style_verdict() -> None:
    assert genre.decide(genre.signals("", 0)) is None
    doc = profiled("")
    assert doc.meta.genre is None and doc.source == SourceProfile()


def test_preset_genre_is_kept() -> None:
    doc = Document.from_parts("T", REPORT, Metadata(genre="opinion"))
    assert SourceProfiler()(doc).meta.genre == "opinion"


def test_we_and_rhetorical_questions_point_to_opinion() -> None:
    doc = profiled(WE_COLUMN)
    found = {s.signal: s for s in doc.source.genre_signals}
    assert found["first_person_plural"].points_to == "opinion"
    assert found["questions"].points_to == "opinion"
    assert found["first_person"].points_to is None
    assert doc.meta.genre == "opinion"


def test_a_long_text_without_attribution_leans_opinion_a_short_one_does_not() -> None:
    sentence = "The bridge over the river was rebuilt in stone after the old one fell. "
    long_doc = profiled(sentence * 30)
    attribution = next(s for s in long_doc.source.genre_signals if s.signal == "attribution")
    assert attribution.value == 0 and attribution.points_to == "opinion"
    short = profiled(sentence * 4)
    attribution = next(s for s in short.source.genre_signals if s.signal == "attribution")
    assert attribution.points_to is None and short.meta.genre is None


def test_genre_scorer_counts_right_wrong_and_undecided(tmp_path: Path) -> None:
    gold = tmp_path / "genre.jsonl"
    items = [
        {"genre": "reporting", "title": "Convoy", "body": REPORT},
        {"genre": "opinion", "title": "Tired", "body": OPINION},
        {"genre": "satire", "title": "Short", "body": "A general resigned."},  # undecided
        {"genre": "reporting", "title": "Tired", "body": OPINION},  # wrong
    ]
    gold.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    scores = genre_eval.evaluate(gold)
    assert scores["items"] == 4 and scores["accuracy"] == 0.5
    assert scores["decided"] == 0.75 and scores["accuracy_when_decided"] == 0.667
    assert scores["confusion"]["reporting"] == {"reporting": 1, "opinion": 1}
    assert scores["per_genre"]["opinion"] == {"precision": 0.5, "recall": 1.0, "support": 1}


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "invalid JSON"), ('{"genre": "news", "body": "x"}', "genre must be")],
)
def test_genre_scorer_rejects_a_bad_gold_file(tmp_path: Path, content: str, reason: str) -> None:
    gold = tmp_path / "genre.jsonl"
    gold.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=reason):
        genre_eval.read_gold(gold)


def test_bundled_genre_gold_covers_every_genre() -> None:
    items = genre_eval.read_gold(None)
    assert len(items) >= 40 and {i["genre"] for i in items} == set(genre_eval.GENRES)
