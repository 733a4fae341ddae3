"""What the browser tests share: tabs, and waiting for a page of the running app to be drawn."""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Locator, Page, expect

from serve import LOOPBACK

WAIT = 60_000  # ms; the first run of a page imports torch

# Where the browser tests save their screenshots, when asked: `SCREENSHOT_DIR=docs/screenshots`
# refreshes the README's. Unasked, none is taken: a full-page picture is Chromium's costliest
# work in a test, and the tests' checks do not need it.
SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None


class Tabs:
    """A tab per kind of screen (the options of its browser context), reused by test after test.

    Each test opens its page's URL afresh: a new document is a new websocket, so a new Streamlit
    session with nothing of the last test's (the frontend keeps the last session's id in memory,
    per document). Reusing the tab keeps Chromium from starting a page and compiling the app for
    every test: ten page visits cost 28.9-30.4 s of CPU in a new tab each, 16.3-18.6 s in one tab
    reused (`python benchmarks/page_visits.py`). After each test the tab's sessionStorage is
    emptied, it goes to about:blank (its session ends), then cookies are cleared (a presenter's
    room lives in one) and the window gets its size back. Every request to a host other than this
    machine is refused, and a test during which one was made fails."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.contexts: dict[str, object] = {}
        self.pages: dict[str, Page] = {}
        self.foreign: list[str] = []

    def _refuse_other_hosts(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in (LOOPBACK, "localhost"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    @contextlib.contextmanager
    def open(self, **options):
        kind = repr(sorted(options.items()))
        if kind not in self.contexts:
            self.contexts[kind] = self.browser.new_context(**options)
            self.contexts[kind].route("**/*", self._refuse_other_hosts)
        context, seen = self.contexts[kind], len(self.foreign)
        if kind not in self.pages or self.pages[kind].is_closed():
            self.pages[kind] = context.new_page()
        page = self.pages[kind]
        try:
            yield page
        finally:
            try:
                page.evaluate("() => { try { sessionStorage.clear(); } catch (e) {} }")
                page.goto("about:blank")              # the session ends: nothing more can set a cookie
                page.mouse.up()                       # a drag a failed test left half done
                page.mouse.move(0, 0)                 # no hover left on the next test's page
                if "viewport" in options:
                    page.set_viewport_size(options["viewport"])
            except Exception:                         # playwright's Error: start the next test afresh
                page.close()
            context.clear_cookies()
        assert self.foreign[seen:] == [], f"requests to other hosts: {self.foreign[seen:]}"

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


QUIET = 400  # ms without a run: the run a click asked for has begun, or there is none to come

# True once no run has been going for `quiet` ms since the wait began (window.idleSince is reset
# by each wait). Streamlit shows a run in stApp's data-test-script-state; a click's run shows there
# only once the server has begun it, and a key pressed in the moment a run ends can go unheard.
_QUIET_FOR = """(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const now = performance.now();
  // (a document loaded since the wait began has no idleSince yet: it starts from now)
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning' || window.idleSince === undefined)
    window.idleSince = now;
  return now - window.idleSince >= quiet;
}"""


def wait_idle(page: Page, timeout: int = WAIT, quiet: int = QUIET) -> None:
    """Wait until no script run has been going for `quiet` ms in a row."""
    page.evaluate("() => { window.idleSince = performance.now(); }")
    page.wait_for_function(_QUIET_FOR, arg=quiet, timeout=timeout, polling=50)


def open_url(page: Page, url: str, timeout: int = WAIT) -> None:
    """Open `url` and wait for its page: the title drawn and the run over."""
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible(timeout=timeout)
    wait_idle(page, timeout)


def open_room(page: Page, base: str) -> str:
    """As a presenter: open Probability in presenter mode, open a room, and return the link that
    joins it (the text beside the QR code)."""
    open_url(page, f"{base}/Probability?present=1")
    page.get_by_role("button", name="Open a room for the class").click()
    wait_idle(page)
    shown = page.locator(".st-key-frame_share_link code")
    expect(shown).to_contain_text("?room=", timeout=WAIT)
    return shown.inner_text().strip()


def metric_box(page: Page, label: str) -> Locator:
    """The metric whose label starts with `label` ("names" is not "training names")."""
    starts = page.locator('[data-testid="stMetricLabel"]', has_text=re.compile("^" + re.escape(label)))
    return page.locator('[data-testid="stMetric"]').filter(has=starts)


def metric(page: Page, label: str) -> str:
    return metric_box(page, label).first.locator('[data-testid="stMetricValue"]').inner_text()
