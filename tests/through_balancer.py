"""What the browser tests through a balancer share (tests/test_balancer.py with deploy/local.sh,
tests/test_compose_stack.py with the compose stack): the affinity cookie, a page without an
error, a metric's value, and a names file uploaded and trained on the bigram page."""
from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from browsing import WAIT, wait_idle

# A names file of 6 lines, 5 names (one blank line).
NAMES = b"Emma\nolivia\nava\n\nisabella\nsophia\n"


def no_error(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.get_by_text("Connection error")).to_have_count(0)


def metric_value(page: Page, label: str):
    """The locator of the value of the metric whose label has `label`."""
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]')


def metric(page: Page, label: str) -> str:
    return metric_value(page, label).inner_text()


def server_cookie(context: BrowserContext) -> str | None:
    """The balancer's affinity cookie: which replica this browser's requests go to."""
    return next((c["value"] for c in context.cookies() if c["name"] == "SERVERID"), None)


def wait_connected(page: Page, timeout: int = WAIT) -> None:
    """Until the page's websocket is connected (again, after a replica's death): what a visitor
    does before that reaches no session and is lost."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-connection-state", "CONNECTED",
                                                                     timeout=timeout)


def upload_names(page: Page, names: bytes = NAMES, kept: int = 5, file_name: str = "names.txt",
                 timeout: int = WAIT) -> None:
    """Upload a names file on the bigram page and wait until the page uses its `kept` names. The
    page may run more than once meanwhile (a file that replaces another is reported as none for
    one run), so this waits for what the page shows, not for the first idle moment."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": file_name, "mimeType": "text/plain", "buffer": names})
    expect(metric_value(page, "names")).to_have_text(str(kept), timeout=timeout)
    expect(page.get_by_text(f"kept {kept} names.")).to_be_visible(timeout=timeout)
    wait_idle(page)


def train(page: Page, before: str | None = None) -> str:
    """Press Train on the bigram page; the trained network's NLL as shown (once it differs from
    `before`, a value the page showed earlier)."""
    page.locator(".st-key-train").get_by_role("button").click()
    nll = metric_value(page, "data NLL alone")
    expect(nll).to_have_text(re.compile(r"^\d\.\d{4}$"), timeout=2 * WAIT)
    if before is not None:
        expect(nll).not_to_have_text(before, timeout=2 * WAIT)
    wait_idle(page)
    return nll.inner_text()
