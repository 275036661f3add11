"""Source profile: the outlet's Media Bias/Fact Check rating, looked up by domain."""

from __future__ import annotations

import csv

import pytest
from conftest import SHARED, needs_shared

from unspin.components.source import SourceProfiler, find_outlet, outlets, profile
from unspin.document import Document, Metadata, SourceProfile


@pytest.mark.parametrize(
    "address",
    [
        "https://edition.cnn.com/2019/10/13/middleeast/x/index.html",
        "www.cnn.com",
        "m.cnn.com",
        "cnn.com",
    ],
)
def test_subdomains_resolve_to_the_registered_domain(address: str) -> None:
    rating = profile(address)
    assert rating.domain == "cnn.com"
    assert rating.reference.startswith("https://mediabiasfactcheck.com/")
    assert rating.rating_by == "Media Bias/Fact Check (via Baly et al. 2020)"
    assert rating.factuality in ("low", "mixed", "high")


def test_unknown_outlet_gives_no_rating() -> None:
    assert profile("https://news.example-unknown-outlet.test/a") == SourceProfile()
    assert profile(None) == SourceProfile() and profile("") == SourceProfile()
    assert all(v is None for k, v in SourceProfile().model_dump().items() if k != "genre_signals")


def test_rated_section_is_not_the_whole_site() -> None:
    borowitz = profile("https://www.newyorker.com/humor/borowitz-report/some-story")
    site = profile("https://www.newyorker.com/news/some-story")
    assert borowitz.section == "humor/borowitz-report"
    assert borowitz.name != site.name


def test_source_option_overrides_the_page_url() -> None:
    doc = Document.from_parts(
        "T", "Short.", Metadata(url="https://edition.cnn.com/x", site="breitbart.com")
    )
    assert SourceProfiler()(doc).source.domain == "breitbart.com"
    named = Document.from_parts(
        "T", "Short.", Metadata(url="https://edition.cnn.com/x", site="CNN")
    )
    assert SourceProfiler()(named).source.domain == "cnn.com"


def test_table_has_one_row_per_key() -> None:
    table = outlets()
    assert len(table) > 1000
    assert all(row["corpus"] in ("acl2020", "emnlp18") for row in table.values())


@needs_shared
def test_acl2020_labels_win() -> None:
    path = SHARED / "data" / "media" / "acl2020-corpus.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        key, found = find_outlet(row["source_url"])
        assert (found["fact"], found["bias"]) == (row["fact"], row["bias"]), key
