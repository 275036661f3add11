"""The HTML report of the bundled demo column, shown by a real browser (Debian's Chromium driven
by Playwright): what a reader sees first, what stays in view, what a keyboard reaches, and that
the page's own Content-Security-Policy lets it run without one error.

On a machine without Playwright or Chromium these tests skip; under CI (``CI`` set) they fail
instead, so the pipeline cannot pass without running them. The browser is ``UNSPIN_CHROMIUM``,
else ``chromium`` on the PATH. Screenshots go to ``UNSPIN_ARTIFACTS`` (default
``tmp/artifacts`` in the checkout) for people to look at; nothing compares pixels.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLES

import unspin
from unspin.report import render

DEMO = SAMPLES / "column-demo.html"
ARTIFACTS = Path(os.environ.get("UNSPIN_ARTIFACTS") or REPO / "tmp" / "artifacts")
WIDTHS = {"desktop": (1280, 800), "phone": (375, 740)}


def _chromium() -> str | None:
    return os.environ.get("UNSPIN_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return unspin.analyze(str(DEMO))


@pytest.fixture(scope="module")
def report(demo: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's report as a file:// URL, as a user opens a saved report."""
    path = tmp_path_factory.mktemp("report") / "column-demo.html"
    path.write_text(render([demo], "html"), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if not executable:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install playwright and chromium")
        pytest.skip("playwright or chromium is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Opened:
    """A page of the report at one window size, with every console error and CSP violation."""

    def __init__(self, browser: Any, url: str, size: tuple[int, int]) -> None:
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Runs before the page's own script and outside its CSP: it only listens.
        self.page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.page.goto(url)

    def box(self, selector: str) -> dict[str, float]:
        return self.page.locator(selector).first.bounding_box()

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")


@pytest.fixture
def opened(browser: Any, report: str) -> Iterator[Opened]:
    page = Opened(browser, report, WIDTHS["desktop"])
    yield page
    page.page.close()


def test_demo_sample_shows_every_layer(demo: dict[str, Any]) -> None:
    """The README's first demo displays each layer, so a newcomer sees every feature."""
    assert {t["technique"] for t in demo["techniques"]} >= {"Name_Calling,Labeling", "Doubt"}
    dated = [e for e in demo["events"] if e["date"] and e["casualties"]]
    assert len(dated) >= 3
    claims = demo["claims"]
    assert any(c["attributed"] for c in claims) and any(not c["attributed"] for c in claims)
    assert any(e["kb_id"] and e["kb_id"].startswith("Q") for e in demo["entities"])
    assert sum(1 for e in demo["entities"] if e["geo"]) >= 3
    assert demo["document"]["genre"] == "opinion"
    html = render([demo], "html")
    assert "No technique spans found." not in html
    assert '<figure class="map">' in html and "Unattributed claims (" in html


def test_summary_band_is_at_the_top_above_the_article(opened: Opened) -> None:
    band, text = opened.box(".band"), opened.box(".text")
    assert band["y"] < 400  # in the first screen
    assert band["y"] + band["height"] <= text["y"]
    assert "Outlet" in opened.page.inner_text(".band")
    assert opened.page.locator(".band .mini-tl li").count() >= 3


def test_legend_stays_in_view_while_reading(opened: Opened) -> None:
    start, text = opened.box(".legend"), opened.box(".text")
    # Read on: the legend's own place is now above the screen, the article fills it.
    scrolled = round(start["y"]) + 200
    assert text["y"] + text["height"] - scrolled > start["height"], "article too short"
    # Only evaluate(): the page's CSP refuses the eval() that wait_for_function() needs.
    assert opened.page.evaluate(f"window.scrollTo(0, {scrolled}); window.scrollY") >= scrolled
    legend = opened.box(".legend")
    assert legend["y"] >= 0 and legend["y"] + legend["height"] <= WIDTHS["desktop"][1], legend


def test_highlights_are_reached_by_keyboard_and_labelled(opened: Opened) -> None:
    page = opened.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('text')")
    for _ in range(3):  # past the claim markers (links) that open the text
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.closest('.text') !== null,"
            " document.activeElement.getAttribute('role'),"
            " document.activeElement.getAttribute('aria-label')]"
        )
        if focused[1]:
            break
    assert focused[0] and focused[1] == "button"
    assert "score" in focused[2] and "confidence" in focused[2]
    assert page.is_visible("#tip")  # focus shows the labels, as a hover would
    marks = page.locator(".text mark[tabindex='0'], .text .ent[tabindex='0']")
    assert marks.count() == page.locator(".text [aria-label][role='button']").count() > 5


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_no_horizontal_scrolling_no_errors_no_csp_violations(
    browser: Any, report: str, size: str
) -> None:
    opened = Opened(browser, report, WIDTHS[size])
    page = opened.page
    width, client = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert width <= client, (size, width, client)
    page.locator(".text [tabindex='0']").first.click()  # the script runs under the CSP
    assert page.is_visible("#tip")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{size}.png"), full_page=True)
    assert opened.errors == [] and opened.violations() == []
    page.close()
