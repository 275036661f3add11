"""The typed core: Document round trips, the generated schema, declared components,
languages without models, the analyze() entry point and the settings object."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, SHARED, assert_offsets, needs_shared

import unspin
from unspin.api import analyze_records
from unspin.cli import main
from unspin.document import Document, schema
from unspin.errors import InputError
from unspin.pipeline import Pipeline, PipelineError
from unspin.settings import load

PTC = SHARED / "data" / "ptc-unlabeled" / "articles"

ENGLISH = (
    "Officials in Harrowgate said 14 people were injured when a footbridge collapsed on "
    "2 May 2023. The council blamed the contractor, which denied any fault. "
    "Repairs will take six weeks, a spokeswoman said."
)


def _analyses(paths: list[Path], pipeline: Pipeline) -> dict[str, dict[str, Any]]:
    """The unspin/1 dict of every path, keyed by the path's name; no input may fail."""
    found = {}
    for record in analyze_records([str(p) for p in paths], pipeline):
        assert record.error is None and record.document is not None, (record.source, record.error)
        found[Path(record.source).name] = record.document.to_dict()
    assert len(found) == len(paths)
    return found


def _assert_round_trip(name: str, d: dict[str, Any]) -> None:
    assert d["schema"] == "unspin/1", name
    assert Document.from_dict(d).to_dict() == d, name
    through_json = json.loads(json.dumps(d))
    assert through_json == d, name
    assert Document.from_dict(through_json).to_dict() == d, name


# --- (1) round trips over real articles


@pytest.fixture(scope="module")
def samples() -> dict[str, dict[str, Any]]:
    """Every sample, through the full pipeline (techniques included)."""
    paths = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    assert paths
    return _analyses(paths, Pipeline())


@pytest.fixture(scope="module")
def ptc() -> dict[str, dict[str, Any]]:
    """The 90 unlabelled PTC articles, through the full pipeline (techniques included)."""
    paths = sorted(PTC.glob("*.txt"))
    assert len(paths) == 90
    return _analyses(paths, Pipeline())


def test_samples_round_trip(samples: dict[str, dict[str, Any]]) -> None:
    for name, d in samples.items():
        _assert_round_trip(name, d)
        assert_offsets(d)
    # The full pipeline ran: the technique layer is there to be round-tripped.
    assert any(d["techniques"] for d in samples.values())
    assert all("techniques" in d["run"]["components"] for d in samples.values())


@needs_shared
def test_ptc_articles_round_trip(ptc: dict[str, dict[str, Any]]) -> None:
    for name, d in ptc.items():
        _assert_round_trip(name, d)
    assert sum(len(d["techniques"]) for d in ptc.values()) > 0
    assert sum(len(d["claims"]) for d in ptc.values()) > 0


# --- (2) from_dict refuses what is not unspin/1


@pytest.fixture(scope="module")
def english() -> dict[str, Any]:
    return unspin.analyze(text=ENGLISH, title="Footbridge collapse", skip=["techniques"])


def test_from_dict_refuses_an_unknown_key(english: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="colour"):
        Document.from_dict({**english, "colour": "blue"})
    nested = json.loads(json.dumps(english))
    assert nested["claims"]
    nested["claims"][0]["verdict"] = "false"
    with pytest.raises(ValueError, match="verdict"):
        Document.from_dict(nested)


def test_from_dict_refuses_a_span_that_does_not_quote_the_text(english: dict[str, Any]) -> None:
    moved = json.loads(json.dumps(english))
    sentence = moved["sentences"][1]
    sentence["start"] += 1
    with pytest.raises(ValueError, match="does not match the text"):
        Document.from_dict(moved)
    retyped = json.loads(json.dumps(english))
    retyped["dates"][0]["text"] = "3 May 2023"
    with pytest.raises(ValueError, match="does not match the text"):
        Document.from_dict(retyped)
    outside = json.loads(json.dumps(english))
    outside["entities"][0]["mentions"][0].update(start=10_000, end=10_005, text="")
    with pytest.raises(ValueError):
        Document.from_dict(outside)


# --- (3) the committed schema is the generated one


def test_committed_schema_is_what_the_models_generate() -> None:
    committed = resources.files("unspin").joinpath("schema/unspin-1.schema.json")
    assert committed.read_text("utf-8") == schema.render()


def test_every_schema_object_is_closed() -> None:
    found: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                found.append(where)
                assert node.get("additionalProperties") is False, where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(json.loads(schema.render()), "#")
    assert "#" in found and "#/$defs/Claim" in found and "#/$defs/Event" in found


# --- (4) declared components


def test_skipping_a_required_component_names_both() -> None:
    with pytest.raises(PipelineError) as err:
        Pipeline(skip=["entities"])
    message = str(err.value)
    assert "'identity'" in message and "'entities'" in message
    assert isinstance(err.value, ValueError)
    with pytest.raises(PipelineError, match=r"component 'dates' requires doc\.sentences"):
        Pipeline(skip=["sentences"])


def test_the_cli_refuses_the_skip_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ENGLISH, encoding="utf-8")
    code = main(["analyze", "--skip", "entities", str(article)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "unspin: --skip: component 'identity' requires doc.entities, assigned by 'entities', "
        "which is skipped (skip 'identity' too)"
    ]


def test_without_entities_claims_and_events_run_in_degraded_mode() -> None:
    doc = Pipeline(skip=["entities", "identity", "techniques"])(Document(ENGLISH))
    assert doc.claims and doc.events and doc.entities == []
    assert doc.run.skipped == ["entities", "identity", "techniques"]
    notes = doc.run.notes
    assert any(n.startswith("claims: ran without doc.entities") for n in notes), notes
    assert any(n.startswith("events: ran without doc.entities") for n in notes), notes
    assert all(a.entity is None for e in doc.events for a in e.actors + e.targets)
    assert_offsets(doc.to_dict())


# --- (5) a language unspin has no models for

RUSSIAN = (
    "Переговоры в столице",
    # Cyrillic letters that look Latin are the point here (RUF001).
    "В понедельник министр встретился с послами трёх соседних стран. Он заявил, что "  # noqa: RUF001
    "соглашение о перемирии будет подписано в марте. Оппозиция назвала это обещание пустым.",  # noqa: RUF001
)
ARABIC = (
    "محادثات في العاصمة",
    "عقد وزير الخارجية اجتماعا مع السفراء يوم الاثنين. وقال المتحدث إن المحادثات ستستمر "
    "الأسبوع المقبل. ولم تصدر الحكومة أي بيان رسمي حتى الآن.",
)
ENGLISH_ONLY = ("sentences", "entities", "identity", "techniques", "claims", "events")


@pytest.mark.parametrize(("code", "article"), [("ru", RUSSIAN), ("ar", ARABIC)])
def test_a_language_without_models_gets_no_english_layers(
    code: str, article: tuple[str, str]
) -> None:
    title, body = article
    d = unspin.analyze(text=body, title=title)
    assert d["run"]["language"] == code and d["document"]["language"] == code
    for layer in ("techniques", "claims", "entities", "events", "identity_claims", "sentences"):
        assert d[layer] == [], layer
    notes = d["run"]["notes"]
    for component in ENGLISH_ONLY:
        assert f"{component}: not run: no models for language '{code}'" in notes
        assert component not in d["run"]["components"]
    assert d["summary"]["words"] > 0 and d["summary"]["claims"] == 0
    _assert_round_trip(code, d)


# --- (6) the analyze() entry point


def test_analyze_text(english: dict[str, Any]) -> None:
    assert english["schema"] == "unspin/1"
    assert english["document"]["title"] == "Footbridge collapse"
    assert english["document"]["text"] == f"Footbridge collapse\n\n{ENGLISH}"
    assert english["run"]["language"] == "en" and english["run"]["skipped"] == ["techniques"]
    assert len(english["sentences"]) == 4  # the title and three sentences
    # "take six weeks" is a duration, kept apart from the date.
    assert [(d["value"], d["kind"]) for d in english["dates"]] == [
        ("2023-05-02", "date"),
        ("P6W", "duration"),
    ]
    assert [(q["count"], q["kind"]) for q in english["quantities"]] == [(14, "injured")]
    assert english["claims"] and english["summary"]["claims"] == len(english["claims"])
    assert_offsets(english)
    _assert_round_trip("english", english)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_analyze_refuses_empty_text(text: str) -> None:
    with pytest.raises(InputError, match="empty input"):
        unspin.analyze(text=text)


def test_analyze_needs_exactly_one_input() -> None:
    with pytest.raises(InputError):
        unspin.analyze()
    with pytest.raises(InputError):
        unspin.analyze("article.txt", text=ENGLISH)


# --- (7) settings: file, environment, explicit values


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("UNSPIN_CONFIG", "UNSPIN_LIMITS__MAX_LINE_CHARS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_file_environment_and_overrides(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "unspin.toml"
    config.write_text("[limits]\nmax_line_chars = 5000\nmax_text_chars = 123456\n", "utf-8")
    assert load().limits.max_line_chars == 100_000  # the default
    from_file = load(config)
    assert from_file.limits.max_line_chars == 5000
    assert from_file.limits.max_text_chars == 123456
    clean_env.setenv("UNSPIN_LIMITS__MAX_LINE_CHARS", "7000")
    from_env = load(config)
    assert from_env.limits.max_line_chars == 7000  # the environment beats the file
    assert from_env.limits.max_text_chars == 123456  # the rest of the file still holds
    explicit = load(config, limits={"max_line_chars": 9000})
    assert explicit.limits.max_line_chars == 9000  # explicit values beat both


def test_settings_file_named_by_the_environment(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "unspin.toml"
    config.write_text("[limits]\nmax_line_chars = 4321\n", "utf-8")
    clean_env.setenv("UNSPIN_CONFIG", str(config))
    assert load().limits.max_line_chars == 4321


def test_a_bad_setting_is_named(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[limits]\nmax_line_chars = -1\n", "utf-8")
    with pytest.raises(InputError, match=r"limits\.max_line_chars") as err:
        load(config)
    assert str(config) in str(err.value)
    clean_env.setenv("UNSPIN_LIMITS__MAX_LINE_CHARS", "lots")
    with pytest.raises(InputError, match=r"limits\.max_line_chars"):
        load()
    clean_env.delenv("UNSPIN_LIMITS__MAX_LINE_CHARS")
    with pytest.raises(InputError, match=r"limits\.max_line_chars"):
        load(limits={"max_line_chars": 0})
    with pytest.raises(InputError, match="no such settings file"):
        load(tmp_path / "missing.toml")
