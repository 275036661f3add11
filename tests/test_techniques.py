"""The technique tagger: windows, span decoding, the component and ``unspin eval ptc``.

Text here is written for the tests; the model's quality is measured by ``unspin eval ptc``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED, needs_shared

from unspin import Document
from unspin.components.techniques import TechniqueTagger
from unspin.evaluation.ptc import evaluate, reliability, right
from unspin.models.techniques import DATA, model, technique_names
from unspin.models.techniques.model import reported
from unspin.models.techniques.spans import (
    Boundaries,
    answer_gold_lines,
    decode,
    snap,
    span_features,
    trim,
    words,
)
from unspin.models.techniques.windows import Encoded, char_to_tokens, encode, load_tokenizer, stitch
from unspin.pipeline import nlp
from unspin.settings import TechniqueSettings
from unspin.training import crossval
from unspin.training.calibration import fit_platt, fit_temperature
from unspin.training.corpus import fold_ids, load_corpus, read_labels, split_ids

TEXT = (
    "Harbour council vows to stop the so-called reckless dredging plan\n\n"
    "The council said on Monday that the dredging plan was a disaster for every family in town.\n"
    "Critics called the mayor a coward and a puppet of the shipping lobby.\n"
    "Everyone knows the plan will ruin the harbour, the protesters said. Stop the dredging now!\n"
    "Stop the dredging now, they chanted again outside the hall."
)


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(Path(str(DATA / "tokenizer.json")))


def test_windows_cover_every_token_and_each_token_reads_from_its_most_central_window(
    tokenizer,
) -> None:
    text = " ".join(f"word{i}" for i in range(400))
    enc = encode(tokenizer, text, window=64, stride=48)
    assert enc.starts[0] == 0
    assert enc.starts[-1] + enc.lengths[-1] == len(enc.ids)  # last window flush with the end
    covered = np.zeros(len(enc.ids), dtype=bool)
    for s, n in zip(enc.starts, enc.lengths, strict=True):
        covered[s : s + n] = True
    assert covered.all()
    owner = enc.owner
    for i in (0, 30, 50, len(enc.ids) - 1):
        margins = [min(i - s, s + n - 1 - i) for s, n in zip(enc.starts, enc.lengths, strict=True)]
        assert margins[owner[i]] == max(m for m in margins if m >= 0)
    # Stitching reads token i of window w at position i - start + 1 ([CLS] first).
    per_window = np.zeros((len(enc.starts), 64))
    for w, s in enumerate(enc.starts):
        per_window[w, 1 : enc.lengths[w] + 1] = np.arange(s, s + enc.lengths[w])
    assert (stitch(enc, per_window) == np.arange(len(enc.ids))).all()
    ids, mask = enc.batch(np.array([0, 1]))
    assert ids[0, 0] == tokenizer.token_to_id("[CLS]") and mask.sum(1).tolist() == [64, 64]


def test_empty_text_has_no_windows(tokenizer) -> None:
    enc = encode(tokenizer, "")
    assert len(enc.starts) == 0 and len(enc.owner) == 0


def test_char_to_tokens_finds_the_word_pieces_of_a_span(tokenizer) -> None:
    enc = encode(tokenizer, TEXT)
    start = TEXT.index("coward")
    first, last = char_to_tokens(enc, start, start + len("coward"))
    assert enc.offsets[first, 0] == start
    assert enc.offsets[last, 1] == start + len("coward")
    assert char_to_tokens(enc, 7, 8) is None  # the space after "Harbour"


def _fake(offsets: list[tuple[int, int]]) -> Encoded:
    n = len(offsets)
    return Encoded(
        ids=np.zeros(n, dtype=np.int64),
        offsets=np.array(offsets),
        starts=np.array([0]),
        lengths=np.array([n]),
        cls_id=1,
        sep_id=2,
    )


def test_decode_trims_grows_to_words_and_never_crosses_a_line_break() -> None:
    text = "Dire news\n\nA total, shameful failure. Fine."
    # pieces: Dire|news|A|total|,|shame|ful|failure|.|Fine|.
    offsets = [(0, 4), (5, 9), (11, 12), (13, 18), (18, 19), (20, 25), (25, 28), (29, 36),
               (36, 37), (38, 42), (42, 43)]  # fmt: skip
    prob = np.array([0.1, 0.9, 0.9, 0.2, 0.2, 0.1, 0.8, 0.9, 0.9, 0.1, 0.1])
    spans = decode(text, _fake(offsets), prob, 0.5)
    # "news\n\nA" is cut at the line break (the one-letter "A" is too short to keep);
    # "ful failure." grows to "shameful" and loses its full stop.
    assert [text[s:e] for s, e, _ in spans] == ["news", "shameful failure"]
    assert spans[0][2] == pytest.approx(0.9)
    assert spans[1][2] == pytest.approx((0.8 + 0.9 + 0.9) / 3)


def test_trim_keeps_quotes_and_question_marks() -> None:
    text = 'He asked, "who benefits?" - then left.'
    start = text.index(",")
    assert text[slice(*trim(text, start, text.index(" - ") + 2))] == '"who benefits?"'


CLASSES = ["article", "demonstrative", "possessive", "preposition", "conjunction", "auxiliary"]
CLAIM = "Critics say that the reckless scheme of the council will ruin this proud little town."


def _snapped(text: str, pieces: list[tuple[str, str]], extend: bool) -> list[str]:
    """Snap spans running from each first phrase to each second one, quoted back."""
    boundaries = Boundaries.from_config(
        {"trim": CLASSES, "extend_noun_phrases": extend, "max_phrase_words": 6}
    )
    found = words(nlp.parse(Document(text=text)), boundaries)
    spans = [
        (text.index(a), text.index(z) + len(z), 0.5 + n / 10) for n, (a, z) in enumerate(pieces)
    ]
    return [text[s:e] for s, e, _ in snap(text, spans, found)]


def test_snapping_sheds_function_words_at_the_edges_only() -> None:
    pieces = [("that the reckless", "scheme of the"), ("will ruin", "this")]
    assert _snapped(CLAIM, pieces, extend=False) == ["reckless scheme", "ruin"]


def test_snapping_grows_a_cut_noun_phrase_to_its_edge() -> None:
    pieces = [("reckless", "scheme of the"), ("ruin this", "little")]
    assert _snapped(CLAIM, pieces, extend=True) == [
        "reckless scheme of the council",
        "ruin this proud little town",
    ]


def test_snapping_keeps_compounds_and_questions() -> None:
    text = "Is anyone fooled by the so-called reform of the port?"
    pieces = [("the so-called", "reform of"), ("Is anyone", "port?")]
    assert _snapped(text, pieces, extend=False) == [
        "Is anyone fooled by the so-called reform of the port?",  # a question keeps its start
        "so-called reform",  # "so" is glued to its hyphen: not the conjunction
    ]


def test_snapping_drops_function_word_spans_and_merges_duplicates() -> None:
    text = "They said that it was, in the end, a shameful betrayal."
    boundaries = Boundaries.from_config(
        {"trim": CLASSES, "extend_noun_phrases": False, "max_phrase_words": 6}
    )
    found = words(nlp.parse(Document(text=text)), boundaries)
    at = text.index
    spans = [
        (at("that"), at("that") + 4, 0.9),  # a function word alone
        (at("shameful"), at("."), 0.4),
        (at("a shameful"), at("."), 0.7),  # becomes the same span: the higher score stays
    ]
    assert snap(text, spans, found) == [(at("shameful"), at("."), 0.7)]


def test_snapping_leaves_quotations_whole_and_quotes_balanced() -> None:
    text = 'The mayor called it "a gift to the crooks" and "plain theft" in the town.'
    boundaries = Boundaries.from_config(
        {"trim": CLASSES, "extend_noun_phrases": False, "max_phrase_words": 6}
    )
    found = words(nlp.parse(Document(text=text)), boundaries)
    whole = (text.index('"a gift'), text.index(" and"), 0.5)  # a quotation: stays whole
    cut = (text.index('"plain'), text.index(" the town"), 0.5)  # ends on "in": trimmed
    assert [text[s:e] for s, e, _ in snap(text, [whole, cut], found)] == [
        '"a gift to the crooks"',
        "plain theft",  # not '"plain theft': the quote left alone goes
    ]


def test_trimming_is_blind_to_case() -> None:
    pieces = [("that the reckless", "scheme of the"), ("will ruin", "this")]
    quiet = _snapped(CLAIM, pieces, extend=False)
    assert _snapped(
        CLAIM.upper(), pieces=[(a.upper(), z.upper()) for a, z in pieces], extend=False
    ) == [q.upper() for q in quiet]


def test_shouted_text_gets_the_same_spans_techniques_and_scores() -> None:
    """The tokenizer is uncased and snapping matches function words in lower case without
    reading the parse's tags (which differ for shouted text), so ALL CAPS loses nothing."""
    quiet = TechniqueTagger()(Document(text=TEXT)).techniques
    loud = TechniqueTagger()(Document(text=TEXT.upper())).techniques
    assert quiet  # the tagger finds something to compare
    assert [(t.start, t.end, t.technique, t.score) for t in loud] == [
        (t.start, t.end, t.technique, t.score) for t in quiet
    ]


def test_repetition_feature_counts_recurring_wording() -> None:
    norm = "stop the dredging now stop the dredging now they chanted"
    text = "Stop the dredging now! Stop the dredging now, they chanted"
    once = span_features(text, norm, text.index("they"), len(text), 0)
    twice = span_features(text, norm, 0, len("Stop the dredging now"), 0)
    assert once[1] == 0.0 and twice[1] == pytest.approx(np.log(2))
    assert twice[2] == 0.0 and span_features(text, norm, 0, 4, 30)[2] == 1.0


def test_a_span_listed_twice_gets_its_two_best_techniques() -> None:
    probs = {(0, 4): np.array([0.1, 0.6, 0.3]), (5, 9): np.array([0.7, 0.2, 0.1])}
    assert answer_gold_lines([(0, 4), (5, 9), (0, 4)], probs) == [1, 0, 2]


def test_tagger_output_quotes_the_text_and_is_sorted() -> None:
    doc = TechniqueTagger()(Document.from_parts(*TEXT.split("\n\n", 1)))
    names = set(technique_names())
    starts = [t.start for t in doc.techniques]
    assert starts == sorted(starts)
    body = doc.body_start
    for t in doc.techniques:
        assert doc.text[t.start : t.end] == t.text == t.text.strip()
        assert t.technique in names
        assert 0.0 <= t.score <= 1.0
        assert t.end <= body - 2 or t.start >= body  # never across title/body
        assert "\n" not in t.text
    strict_tagger = TechniqueTagger(TechniqueSettings(min_score=0.3))
    strict = strict_tagger(Document.from_parts(*TEXT.split("\n\n", 1)))
    assert strict.techniques == [t for t in doc.techniques if t.score >= 0.3]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "!!!", "a"])
def test_tagger_survives_degenerate_text(text: str) -> None:
    doc = TechniqueTagger()(Document(text=text))
    assert all(doc.text[t.start : t.end] == t.text for t in doc.techniques)


def test_a_process_runs_the_model_on_the_threads_its_settings_give() -> None:
    """A chosen thread count is the session's; the check-worthiness head, asking for no
    thread count, shares a session already loaded instead of opening a second one."""
    two = model.load(None, 2)
    assert two.session.get_session_options().intra_op_num_threads == 2
    one = model.load(None, 1)
    assert one.session.get_session_options().intra_op_num_threads == 1
    assert model.load() in (one, two)


def test_runtime_never_imports_torch() -> None:
    code = (
        "import sys; from unspin.components.techniques import TechniqueTagger; "
        "from unspin.document import Document; TechniqueTagger()(Document(text='A plan.')); "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_platt_scaling_recovers_a_known_logistic_curve() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-(2.0 * x - 1.0)))).astype(float)
    a, b = fit_platt(x, y)
    assert a == pytest.approx(2.0, abs=0.15) and b == pytest.approx(-1.0, abs=0.15)


def test_reported_scores_take_the_runner_up_and_the_score_calibration() -> None:
    spans = [(0, 5, 0.5), (6, 9, 0.5)]
    dists = np.array([[0.5, 0.45, 0.05], [0.9, 0.05, 0.05]])
    calibration = {"span": {"a": 1.0, "b": 0.0}}  # a span probability of 0.5 stays 0.5
    plain = reported(spans, dists, calibration, 0.4)
    assert [(s, k) for s, _, k, _ in plain] == [(0, 0), (0, 1), (6, 0)]
    assert [round(p, 3) for *_, p in plain] == [0.25, 0.225, 0.45]
    # the score calibration is monotone: same order, rescaled (here halving the odds)
    halved = reported(spans, dists, {**calibration, "score": {"a": 1.0, "b": -np.log(2)}}, 0.4)
    assert [round(p, 3) for *_, p in halved] == [round(p / (2 - p), 3) for *_, p in plain]


def test_temperature_undoes_overconfidence() -> None:
    rng = np.random.default_rng(7)
    true_logits = rng.normal(size=(20000, 5))
    p = np.exp(true_logits) / np.exp(true_logits).sum(1, keepdims=True)
    gold = np.array([rng.choice(5, p=row) for row in p])
    assert fit_temperature(true_logits * 3.0, gold) == pytest.approx(3.0, abs=0.2)


def _ptc_folder(root: Path) -> tuple[Path, Path]:
    """A two-article PTC-layout gold set written for the tests."""
    articles = root / "articles"
    articles.mkdir()
    (articles / "article1.txt").write_text(TEXT, encoding="utf-8")
    other = "Quiet week\n\nThe library opened late on Friday. Shelves were restocked."
    (articles / "article2.txt").write_text(other, encoding="utf-8")
    lines = []
    for phrase, technique in [
        ("a coward and a puppet", "Name_Calling,Labeling"),
        ("a disaster for every family", "Exaggeration,Minimisation"),
        ("a disaster for every family", "Loaded_Language"),
        ("Stop the dredging now", "Slogans"),
    ]:
        start = TEXT.index(phrase)
        lines.append(f"1\t{technique}\t{start}\t{start + len(phrase)}")
    lines.append("3\tDoubt\t0\t4")  # an article not in the folder: ignored
    labels = root / "tc.labels"
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return articles, labels


def test_eval_ptc_scores_and_writes_one_answer_per_gold_line(tmp_path: Path) -> None:
    articles, labels = _ptc_folder(tmp_path)
    out = tmp_path / "pred"
    scores = evaluate(articles, labels, out)
    assert scores["articles"] == 2
    assert set(scores["si"]) == {"precision", "recall", "f1"}
    assert 0.0 <= scores["tc"]["micro_f1"] <= 1.0
    tc = [line.split("\t") for line in (out / "tc.labels").read_text().splitlines()]
    gold = [row for row in read_labels(labels) if row[0] == "1"]
    assert [(int(s), int(e)) for _, _, s, e in tc] == [(s, e) for _, _, s, e in gold]
    doubled = [t for _, t, s, _ in tc if int(s) == TEXT.index("a disaster")]
    assert len(set(doubled)) == 2  # a doubly labelled span gets two different answers
    for line in (out / "si.labels").read_text().splitlines():
        article, start, end = line.split("\t")
        assert article in {"1", "2"} and 0 <= int(start) < int(end)
    assert set(scores["si_without_snapping"]) == {"precision", "recall", "f1"}
    table = scores["reliability"]
    assert [row["scores"] for row in table][:2] == ["0.0-0.1", "0.1-0.2"] and len(table) == 10
    assert sum(row["spans"] for row in table) == len(
        TechniqueTagger()(Document(text=TEXT)).techniques
    )


def test_eval_ptc_runs_the_configured_model(tmp_path: Path, monkeypatch) -> None:
    articles, labels = _ptc_folder(tmp_path)
    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("techniques.onnx", "span_head.npz", "tokenizer.json"):
        (folder / name).symlink_to(Path(str(DATA / name)))
    config = json.loads((DATA / "model.json").read_text("utf-8"))
    (folder / "model.json").write_text(json.dumps({**config, "id": "scratch"}), "utf-8")
    monkeypatch.setenv("UNSPIN_TECHNIQUES__MODEL", str(folder))
    assert evaluate(articles, labels)["model"] == "scratch"


def test_a_span_is_right_when_half_of_it_is_gold() -> None:
    assert right((0, 10), [(5, 20)]) and not right((0, 10), [(6, 20)])
    assert right((0, 10), [(0, 3), (7, 9)])


def test_reliability_bins_spans_by_score_and_checks_the_technique() -> None:
    gold = [("1", "Doubt", 0, 10), ("1", "Slogans", 20, 30), ("2", "Doubt", 0, 5)]
    predicted = [
        ("1", "Doubt", 0, 8, 0.05),  # right
        ("1", "Slogans", 0, 8, 0.07),  # gold span of another technique: wrong
        ("1", "Slogans", 22, 40, 0.15),  # under half inside: wrong
        ("2", "Doubt", 1, 4, 0.95),  # right
        ("2", "Doubt", 1, 4, 1.0),  # the top bin holds 1.0
    ]
    table = {row["scores"]: row for row in reliability(predicted, gold)}
    assert table["0.0-0.1"] == {"scores": "0.0-0.1", "spans": 2, "mean_score": 0.06, "right": 0.5}
    assert table["0.1-0.2"]["right"] == 0.0
    assert table["0.9-1.0"]["spans"] == 2 and table["0.9-1.0"]["right"] == 1.0
    assert table["0.5-0.6"] == {"scores": "0.5-0.6", "spans": 0, "mean_score": None, "right": None}


@needs_shared
def test_ptc_corpus_offsets_and_split() -> None:
    corpus = load_corpus(SHARED / "data" / "ptc")
    assert len(corpus) == 371
    names = set(technique_names())
    for article in corpus[:40]:
        for start, end, technique in article.spans:
            assert technique in names
            assert 0 <= start < end <= len(article.text)
    train, held = split_ids([a.id for a in corpus], 0.2, 13)
    assert len(held) == 74 and not set(train) & set(held)
    assert split_ids([a.id for a in corpus], 0.2, 13) == (train, held)


def test_folds_partition_the_articles() -> None:
    ids = [str(i) for i in range(10)]
    helds = [fold_ids(ids, 3, k, 13)[1] for k in range(3)]
    assert sorted(i for held in helds for i in held) == sorted(ids)
    assert sorted(len(h) for h in helds) == [3, 3, 4]
    train, held = fold_ids(ids, 3, 1, 13)
    assert sorted(train + held) == sorted(ids) and not set(train) & set(held)
    with pytest.raises(ValueError):
        fold_ids(ids, 3, 3, 13)


def test_crossval_resumes_finished_folds_and_summarises(tmp_path: Path) -> None:
    def log(si: float, tc: float) -> dict[str, object]:
        block = {
            "si_at_best": {"precision": si, "recall": si, "f1": si},
            "si_cross_fitted": {"f1": si - 0.01},
            "tc": {"micro_f1": tc},
        }
        return {"held_out_articles": 5, "onnx_int8": block, "pytorch": block}

    for fold, (si, tc) in enumerate([(0.40, 0.60), (0.44, 0.62)]):
        (tmp_path / f"fold-{fold}").mkdir()
        (tmp_path / f"fold-{fold}" / "export_log.json").write_text(json.dumps(log(si, tc)))
    result = crossval.cross_validate(tmp_path / "ptc-not-needed", tmp_path, 2)
    assert [f["si_f1_tuned_on_fold"] for f in result["per_fold"]] == [0.40, 0.44]
    assert result["mean_sd"]["si_f1_tuned_on_fold"] == {"mean": 0.42, "sd": 0.0283}
    assert result["mean_sd"]["tc_micro_f1"]["mean"] == 0.61
    assert json.loads((tmp_path / "crossval.json").read_text())["folds"] == 2
