"""What the browser tests share: waiting for a page of the running app to be drawn."""
from __future__ import annotations

from playwright.sync_api import Page, expect

WAIT = 60_000  # ms; the first run of a page imports torch


def wait_idle(page: Page, timeout: int = WAIT) -> None:
    """Wait until the script run has finished (Streamlit shows a running indicator meanwhile)."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-script-state", "notRunning",
                                                                     timeout=timeout)


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
