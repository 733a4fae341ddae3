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
