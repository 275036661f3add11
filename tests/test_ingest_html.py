"""HTML pages: main text without page furniture, and the page's own metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import InputError
from unspin.ingest import iter_records
from unspin.ingest.html import NO_ARTICLE, body_lines, html_document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NEWS = FIXTURES / "news_article.html"
TITLE = "Shelling cuts water to Karvesh as talks stall"


@pytest.fixture(scope="module")
def news():
    return html_document(NEWS.read_bytes(), str(NEWS))


def test_main_text_keeps_every_paragraph_one_per_line(news) -> None:
    assert news.text.startswith(TITLE + "\n\n")
    body = news.text[news.body_start :].split("\n")
    assert len(body) == 6
    assert body[0].startswith("Thousands of residents in the river town of Karvesh")
    assert body[-1].startswith("Talks brokered by neighbouring states")
    assert '"The children are the first to get sick."' in body[2]


@pytest.mark.parametrize(
    "furniture",
    [
        "cookies",  # banner
        "Subscribe",  # newsletter box (kept by trafilatura, dropped by the boilerplate list)
        "Sign up",
        "Most read",  # sidebar
        "Late goal",
        "Related stories",
        "Aid convoy turned back",  # related links
        "Bridge near Karvesh",
        "Politics",  # navigation
        "All rights reserved",  # footer
        "Privacy policy",
        "Advertisement",
        "By Lina Haddad",  # byline
    ],
)
def test_page_furniture_is_dropped(news, furniture: str) -> None:
    assert furniture.lower() not in news.text.lower()


def test_title_is_not_repeated_in_the_body(news) -> None:
    assert news.text.count(TITLE) == 1


def test_metadata(news) -> None:
    meta = news.meta
    assert meta.title == TITLE
    assert meta.authors == ["Lina Haddad", "Tomas Reyes"]
    assert meta.published == "2024-03-14"
    assert meta.url == "https://meridian-ledger.example/world/2024/03/karvesh-water"
    assert meta.site == "The Meridian Ledger"
    assert meta.language == "en"


def test_page_without_article() -> None:
    page = FIXTURES / "no_article.html"
    with pytest.raises(InputError) as err:
        html_document(page.read_bytes(), str(page))
    assert err.value.reason == NO_ARTICLE


@pytest.mark.parametrize("raw", [b"<html><body></body></html>", b"<html>   </html>"])
def test_empty_pages(raw: bytes) -> None:
    with pytest.raises(InputError, match=NO_ARTICLE):
        html_document(raw, "x")


def test_html_is_sniffed_without_an_extension(tmp_path: Path) -> None:
    copy = tmp_path / "saved-page"
    copy.write_bytes(NEWS.read_bytes())
    (record,) = iter_records([str(copy)])
    assert record.error is None
    assert record.document.meta.title == TITLE
    assert record.document.meta.id == "saved-page"


def test_meta_charset_is_honoured() -> None:
    paragraph = (
        "Le maire a d\u00e9clar\u00e9 que les \u00e9coles rouvriraient lundi, "
        "apr\u00e8s une semaine de fermeture \u00ab par pr\u00e9caution \u00bb."
    )
    page = (
        '<html lang="fr-FR"><head><meta charset="windows-1252"><title>Rentr\u00e9e</title>'
        f"</head><body><article><p>{paragraph}</p></article></body></html>"
    )
    doc = html_document(page.encode("cp1252"), "x")
    assert paragraph in doc.text
    assert doc.meta.language == "fr"


def test_boilerplate_lines_only_when_short() -> None:
    long_line = (
        "The ministry said the website uses cookies to track visitors, a claim the company "
        "denied on Friday, adding that it had never shared data with any foreign agency or "
        "intelligence service."
    )
    lines = body_lines(
        f"Title\nWe use cookies to improve your experience.\n{long_line}\nBy Ana Ruiz\n",
        "Title",
        ["Ana Ruiz"],
    )
    assert lines == [long_line]


@pytest.mark.parametrize(
    ("head", "language"),
    [
        ('<html lang="pt-BR"><head>', "pt"),
        ('<html><head><meta http-equiv="Content-Language" content="de">', "de"),
        ('<html><head><meta property="og:locale" content="es_ES">', "es"),
        ("<html><head>", None),
    ],
)
def test_language_from_the_page(head: str, language: str | None) -> None:
    paragraph = "The harbour authority said the ferry service would resume on Monday morning."
    page = f"{head}<title>Ferry</title></head><body><article><p>{paragraph}</p></article></body>"
    assert html_document(page.encode(), "x").meta.language == language


@pytest.mark.parametrize(
    ("extra", "published"),
    [
        ('<div class="byline">By Ana Ruiz, 2 November 2023</div>', "2023-11-02"),
        ("", None),  # a date in the story is not the publication date
    ],
)
def test_published_from_a_visible_byline_never_from_the_story(
    extra: str, published: str | None
) -> None:
    paragraph = "On 4 March 2024, gunmen attacked the village near the harbour, officials said."
    page = (
        "<html><head><title>Harbour attack</title></head><body><article><h1>Harbour attack</h1>"
        f"{extra}<p>{paragraph}</p><p>{paragraph}</p></article></body></html>"
    )
    assert html_document(page.encode(), "x").meta.published == published
