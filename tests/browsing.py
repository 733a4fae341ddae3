"""What the browser tests share: waiting for a page of the running app to be drawn."""
from __future__ import annotations

from playwright.sync_api import Page, expect

WAIT = 60_000  # ms; the first run of a page imports torch


QUIET = 400  # ms without a run: the run a click asked for has begun, or there is none to come

# True once no run has been going for `quiet` ms since the wait began (window.idleSince is reset
# by each wait). Streamlit shows a run in stApp's data-test-script-state; a click's run shows there
# only once the server has begun it, and a key pressed in the moment a run ends can go unheard.
_QUIET_FOR = """(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const now = performance.now();
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') window.idleSince = now;
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
