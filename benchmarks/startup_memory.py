"""Start-up time and server memory, as a hosted demo sees them.

Measures (1) the time from launching `streamlit run app.py` to the first page rendered in
Chromium, and (2) the server's resident memory after one browser has visited every page and
trained the bigram model once. Goals: under 8 s and under 600 MB on a 2-core machine.

    python benchmarks/startup_memory.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from core import story  # noqa: E402
from serve import CHROMIUM, CHROMIUM_ARGS, rss_mb, running_app  # noqa: E402

WAIT = 120_000


def wait_rendered(page) -> None:
    expect(page.locator("h1").first).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=WAIT)


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        started = time.perf_counter()
        with running_app() as (base, proc):
            page.goto(base)
            wait_rendered(page)
            first_render = time.perf_counter() - started
            for chapter in story.CHAPTERS:
                page.goto(f"{base}/{story.url_path(chapter)}")
                wait_rendered(page)
            page.get_by_role("button", name="Train").first.click()
            page.wait_for_timeout(500)
            wait_rendered(page)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            memory = rss_mb(proc.pid)
        browser.close()
    print(f"start-up to first page rendered: {first_render:.2f} s (goal < 8 s: {'met' if first_render < 8 else 'MISSED'})")
    print(f"server resident memory after every page and one training: {memory:.0f} MB "
          f"(goal < 600 MB: {'met' if memory < 600 else 'MISSED'}; ratio to goal {memory / 600:.2f})")


if __name__ == "__main__":
    main()
