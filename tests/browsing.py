"""What the browser tests share: tabs, and waiting for a page of the running app to be drawn."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from serve import LOOPBACK

WAIT = 60_000  # ms; the first run of a page imports torch

# Where the browser tests save their screenshots, when asked: `SCREENSHOT_DIR=docs/screenshots`
# refreshes the README's. Unasked, none is taken: a full-page picture is Chromium's costliest
# work in a test, and the tests' checks do not need it.
SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None


class Tabs:
    """A new tab for each test, in a browser context shared by the tests of a kind of screen (the
    context's options).

    A new tab is a new Streamlit session with nothing of another test's. One tab reused from test
    to test (through about:blank) once opened the bigram page with an earlier test's corpus in
    CI; the cause was not pinned down (Streamlit's frontend does keep the last session's id to
    resume it on a reconnect), so no tab is reused. Sharing the context keeps the browser's cache, so the app's
    scripts are not fetched and compiled anew for every test (a fresh context per page visit cost
    16.6-19.0 s of CPU over five visits, a new tab in a shared context 11.8-17.0 s; /proc/stat).
    Cookies are cleared after every test (a presenter's room lives in one). Every request to a
    host other than this machine is refused, and a test during which one was made fails."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.contexts: dict[str, object] = {}
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
        page = context.new_page()
        try:
            yield page
        finally:
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
