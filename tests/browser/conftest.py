"""Browser tests of the built book: headless Chromium, the site served on 127.0.0.1.

Which book: ``$BOOK_HTML`` if set (for example a private build in
``/tmp/me_build/_build/html``), otherwise ``_build/html`` of this repository. Build it
first (`make book-strict`); `make browser` runs these tests.

Which browser: ``$CHROMIUM`` if set, else ``chromium`` on the PATH, else
``/usr/bin/chromium`` (Debian's package; Playwright cannot download its own browsers
here). Without a browser or without a built book the tests are skipped with a message on
a laptop, and they FAIL when ``CI=true``, so a CI machine cannot pass them vacuously.

Every request to a host other than the local server is aborted and recorded: a page
that tries to reach the network fails its test.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK_HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()
PlaywrightTimeoutError = TimeoutError  # replaced by Playwright's own once it is imported
IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no update checks, safe-browsing lists, etc.
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str):
    """Skip on a laptop; fail under CI=true, where the tests must really run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    """$CHROMIUM if set (and only that), else chromium on the PATH, else Debian's path."""
    if os.environ.get("CHROMIUM"):
        candidates = [os.environ["CHROMIUM"]]
    else:
        candidates = [shutil.which("chromium"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


# ---------------------------------------------------------------------------------------
# Which pages: parsed from the built book, never a fixed list (chapters are added often).


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_nav = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "bd-docs-nav" in (attrs.get("class") or ""):
            self.in_nav = 1
        elif tag == "nav" and self.in_nav:
            self.in_nav += 1
        elif tag == "a" and self.in_nav and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self.in_nav:
            self.in_nav -= 1


def book_pages(book: Path = BOOK_HTML) -> list[str]:
    """Paths (relative to the site root) of the intro and every chapter/section page.

    The union of every page linked from the sidebar of the root page and every .html file
    under ``chapters/`` (so a page missing from the sidebar is still tested).
    """
    if not (book / "index.html").is_file():
        return []
    pages = {p.relative_to(book).as_posix() for p in (book / "chapters").rglob("*.html")}
    root_candidates = sorted(pages, key=lambda p: ("intro" not in p, p))
    if root_candidates:
        parser = _LinkParser()
        parser.feed((book / root_candidates[0]).read_text(encoding="utf-8"))
        for href in parser.links:
            target = urlparse(urljoin(root_candidates[0], href))
            if not target.scheme and target.path.endswith(".html"):
                pages.add(target.path.lstrip("/"))
    return sorted(pages)


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        pages = book_pages() or ["<no built book>"]
        metafunc.parametrize("page_path", pages)


# ---------------------------------------------------------------------------------------
# Local server and browser.


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by http.server
        pass


@pytest.fixture(scope="session")
def site_url():
    if not (BOOK_HTML / "index.html").is_file():
        unavailable(f"no built book at {BOOK_HTML}: run `make book-strict` first "
                    "(or set BOOK_HTML to a built _build/html folder)")
    handler = functools.partial(_QuietHandler, directory=str(BOOK_HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    exe = chromium_path()
    if exe is None:
        unavailable("no Chromium found (install Debian's `chromium` package or set CHROMIUM=/path/to/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed in this environment (make venv installs it)")
    global PlaywrightTimeoutError
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh profile every session
            executable_path=exe,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@dataclass
class PageVisit:
    """What happened while one page loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests to another host
    failed: list[str] = field(default_factory=list)  # local requests that failed or gave >= 400


@pytest.fixture(scope="session")
def open_page(browser_context, site_url):
    """Open a book page with every request to a foreign host aborted and recorded.

    Returns ``(page, visit)``; the page has finished loading, MathJax (if any) has
    typeset, and saved widgets (if any) have had time to render. Each call opens the page
    anew in a new tab; use ``loaded_page`` for checks that only read the page.
    """
    local_host = urlparse(site_url).netloc
    opened = []

    def _open(page_path: str):
        if page_path == "<no built book>":
            unavailable(f"no pages found in {BOOK_HTML}: build the book first")
        url = urljoin(site_url, page_path)
        visit = PageVisit(url)
        page = browser_context.new_page()
        opened.append(page)

        def route(r):
            target = urlparse(r.request.url)
            if target.scheme in ("http", "https", "ws", "wss") and target.netloc != local_host:
                visit.blocked.append(r.request.url)
                r.abort()
            else:
                r.continue_()

        page.route("**/*", route)
        page.on("console", lambda m: visit.console_errors.append(f"{m.text} @ {m.location.get('url')}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: visit.failed.append(f"{r.url}: {r.failure}")
                if urlparse(r.url).netloc == local_host else None)
        page.on("response", lambda r: visit.failed.append(f"{r.url}: HTTP {r.status}")
                if r.status >= 400 else None)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        # MathJax 3 typesets asynchronously after load; wait until it says it is done.
        page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise) || null")
        return page, visit

    yield _open
    for page in opened:
        page.close()


@pytest.fixture(scope="session")
def _load_once(open_page):
    cache = {}

    def _get(page_path: str):
        if page_path not in cache:
            cache[page_path] = open_page(page_path)
        return cache[page_path]

    return _get


@pytest.fixture
def loaded_page(_load_once, page_path):
    """``(page, visit)`` for ``page_path``, loaded once per session and shared by the
    read-only checks (offline, console, math, alt text, axe), so each page loads once."""
    return _load_once(page_path)
