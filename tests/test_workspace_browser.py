"""The workspace in a real browser (Debian's Chromium driven by Playwright), served by uvicorn
on a free loopback port over a temporary SQLite store: paste, refuse, filter, follow a link,
correct, and lay out at desk and phone widths.  Skips without Playwright or Chromium unless
``CI`` is set; screenshots go to ``tmp/artifacts``; nothing compares pixels."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from test_report_browser import ARTIFACTS, WIDTHS, browser  # noqa: F401  (the fixture)

from unspin import settings as settings_module
from unspin.service import create_app
from unspin.store.database import open_store

ARTICLE = (
    "Harbour council votes on the bridge\n\nThe harbour council voted on Tuesday to close the "
    "old bridge in Kharkiv, the mayor said. Critics called it a shameful, disastrous betrayal "
    "of every family in town, and warned that everyone will suffer."
)


@pytest.fixture(scope="module")
def server(pipeline: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = open_store(str(tmp_path_factory.mktemp("ws") / "unspin.sqlite"))
    app = create_app(store, settings_module.load(), pipelines=lambda: [pipeline])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


def _open(browser: Any, size: tuple[int, int]) -> Any:  # noqa: F811
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / f"workspace-{name}.png"), full_page=True)


def _no_sideways_scroll(page: Any) -> None:
    wide = page.evaluate(
        "[document.documentElement.scrollWidth, [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)]"
    )
    assert wide[0] <= page.viewport_size["width"], (page.url, wide)


def test_paste_correct_filter_and_follow_links(server, browser):  # noqa: F811
    page = _open(browser, WIDTHS["desktop"])
    page.goto(server + "/")
    page.fill("#text", ARTICLE)
    page.click("button[type=submit]")
    page.wait_for_url("**/analyses/*", timeout=60000)
    assert page.locator(".band").is_visible()
    assert page.locator(".text mark").count() > 0
    _shot(page, "analysis-desktop")
    analysis_url = page.url
    technique = page.locator("select[name^='label:'] option[selected]").first.get_attribute("value")
    # a correction: select a passage, choose a technique, save, see it in the PTC export
    page.fill("#add-form input.annotator", "Test Reader")
    page.evaluate(
        "() => { const t = document.querySelector('.doc .text'); const r = document.createRange();"
        " const n = document.createTreeWalker(t, NodeFilter.SHOW_TEXT).nextNode();"
        " r.setStart(n, 0); r.setEnd(n, 3);"
        " getSelection().removeAllRanges(); getSelection().addRange(r); }"
    )
    page.wait_for_function("document.getElementById('add-end').value === '3'")
    page.select_option("#add-form select[name=technique]", "Doubt")
    page.click("#add-form button[value=add]")
    page.wait_for_selector("text=Test Reader")
    gold = page.request.get(server + "/api/v1/corrections?format=ptc").text()
    assert "\tDoubt\t0\t3\n" in gold
    # the corpus filtered by a technique the article has
    page.goto(server + f"/search?technique={technique}")
    assert page.locator(".results a[href^='/analyses/']").count() == 1
    page.goto(server + "/search?technique=Bandwagon,Reductio_ad_hitlerum")
    assert page.locator(".results").count() == 0
    # an actor or place link from the analysis opens its page
    page.goto(analysis_url)
    page.locator("a[href^='/entities/']").first.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h2#h-mentions").is_visible()
    assert not page.errors, page.errors


def test_private_address_is_refused_visibly(server, browser):  # noqa: F811
    page = _open(browser, WIDTHS["desktop"])
    page.goto(server + "/")
    page.fill("#url", "http://127.0.0.1:9/x")
    page.click("button[type=submit]")
    alert = page.locator("#error")
    alert.wait_for(state="visible")
    assert "private" in alert.inner_text().lower() or "refus" in alert.inner_text().lower()
    assert page.url.rstrip("/") == server


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_pages_fit_the_window(server, browser, width):  # noqa: F811
    page = _open(browser, WIDTHS[width])
    for path in ("/", "/search", "/timeline", "/analyses/1", "/outlets/unknown.example"):
        page.goto(server + path)
        _no_sideways_scroll(page)
        _shot(page, f"{path.strip('/').replace('/', '-') or 'start'}-{width}")
    assert not [e for e in page.errors if "404" not in e], page.errors
