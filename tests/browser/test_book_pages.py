"""The built book, page by page, in headless Chromium with the network cut off.

Each test opens pages from the local server only (see conftest.py): a page that tries
to reach another host, logs a console error, fails to load one of its own files, shows a
figure without a real description, or has a serious accessibility problem fails here.
"""
from __future__ import annotations

import re

import pytest

from .conftest import BOOK_HTML, book_pages

pytestmark = pytest.mark.browser

# Console errors we accept, each with the reason. Keep this list short and specific.
CONSOLE_ALLOW = [
    # sphinx-thebe declares `const THEBE_JS_URL` in two scripts when launch buttons with
    # thebe are on; harmless (thebe is only loaded when the reader clicks "launch").
    # Jupyter Book 1 inserts sphinx-thebe's inline configuration script twice, so the second
    # `const THEBE_JS_URL` raises this (a page error, not just a console line). Harmless: thebe
    # is only loaded when a reader clicks a launch button, and none is configured.
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),
    # Chromium asks the server for /favicon.ico by itself when a page declares no icon (the
    # book has no logo yet); the page never requests it. Only that exact URL is excused.
    re.compile(r"Failed to load resource: .*404.* @ http://127\.0\.0\.1:\d+/favicon\.ico$"),
    re.compile(r"^http://127\.0\.0\.1:\d+/favicon\.ico: HTTP 404$"),
]


def _not_allowed(messages: list[str]) -> list[str]:
    return [m for m in messages if not any(a.search(m) for a in CONSOLE_ALLOW)]

# What an <img> alt text must not be: empty, a file name or a generic word.
FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|webp)\b|_images/|^data:", re.IGNORECASE)
GENERIC = {"png", "image", "img", "figure", "plot", "graph", "picture", "output"}


def _pages_containing(marker: str) -> list[str]:
    return [p for p in book_pages() if marker in (BOOK_HTML / p).read_text(encoding="utf-8")]


def test_pages_were_found():
    """The page list comes from the build itself; an empty list would make every test vacuous."""
    pages = book_pages()
    if not pages:
        from .conftest import unavailable
        unavailable(f"no built book at {BOOK_HTML}")
    assert any("intro" in p for p in pages), pages


def test_page_loads_offline_without_errors(loaded_page, page_path):
    page, visit = loaded_page
    assert not visit.blocked, f"{page_path} tried to reach other hosts: {visit.blocked}"
    assert not _not_allowed(visit.failed), f"{page_path} failed to load its own files: {visit.failed}"
    assert not _not_allowed(visit.page_errors), f"{page_path} raised JavaScript errors: {visit.page_errors}"
    assert not _not_allowed(visit.console_errors), f"{page_path} logged console errors: {visit.console_errors}"


def test_math_is_typeset(loaded_page, page_path):
    """Every math element was rendered by the self-hosted MathJax (no raw TeX left)."""
    page, _ = loaded_page
    n_math = page.locator(".math").count()
    if n_math == 0:
        pytest.skip("no math on this page")
    untypeset = page.evaluate(
        "() => [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container'))"
        ".map(e => e.textContent.slice(0, 60))"
    )
    assert not untypeset, f"{len(untypeset)} of {n_math} math elements not typeset: {untypeset[:5]}"


def test_figures_have_descriptive_alt_text(loaded_page, page_path):
    page, _ = loaded_page
    images = page.evaluate(
        "() => [...document.querySelectorAll('main img, article img')]"
        ".map(i => ({alt: i.getAttribute('alt'), src: (i.getAttribute('src') || '').slice(0, 80)}))"
    )
    bad = []
    for img in images:
        alt = (img["alt"] or "").strip()
        words = re.findall(r"[A-Za-z]+", alt)
        if not alt or FILE_NAME.search(alt) or alt.lower() in GENERIC or len(words) < 3:
            bad.append(img)
    assert not bad, (
        f"{page_path}: {len(bad)} of {len(images)} figures lack alt text that says what they show "
        f"(give the cell metadata mystnb: {{image: {{alt: ...}}}}, see CONTRIBUTING.md): {bad}"
    )


def test_no_serious_accessibility_violations(loaded_page, page_path):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = loaded_page
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -- e.g. {v['nodes'][0]['target']} "
        f"[{len(v['nodes'])} element(s)]"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page_path}: axe-core found:\n  " + "\n  ".join(serious)


def test_beat_explorer_page_is_live_and_shows_no_dead_widgets():
    """If the beat explorer page is built, it carries the live explorer (computed in the
    browser, tests/browser/test_live_figures.py) and no saved ipywidgets, whose sliders
    would move in the web page without recomputing anything."""
    explorer = [p for p in book_pages() if "beat_explorer" in p]
    if not explorer:
        pytest.skip("the beat explorer page is not in this build")
    html = (BOOK_HTML / explorer[0]).read_text(encoding="utf-8")
    assert 'class="beat-live" data-live="explorer"' in html
    assert "application/vnd.jupyter.widget-state+json" not in html
