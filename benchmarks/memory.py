"""Start-up time and server memory, as a hosted demo sees them (issue 10, section 2).

The server is started exactly as the README runs it (benchmarks/serve.py's running_app) and driven
by Chromium. Measured, each printed as figure / goal / ratio:

1. the time from launching the server to the first page rendered (goal < 8 s);
2. the server's resident memory (RSS) after one browser has visited every page and trained
   the bigram model once (goal <= 520 MB);
3. the RSS added by six distinct 4.9 MiB uploads (5,138,022 bytes of made-up names each), one in
   each of six browser tabs on the bigram page, the tabs still open (goal <= 150 MB);
4. the tabs closed and their sessions expired: Streamlit keeps a closed session for
   server.disconnectedSessionTTL seconds (120 by default; the benchmark waits, it changes no
   setting) and drops expired ones when another session disconnects, so one more visitor
   opens a page and leaves. Then six more distinct uploads in six new tabs: the RSS they add
   to the high-water mark of step 3 (goal <= 50 MB).

    python benchmarks/memory.py

It takes about four minutes, most of it waiting for the sessions to expire.
"""
from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as `python benchmarks/memory.py`, Python puts only benchmarks/ (serve.py) on the path; core/ is at the root.
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from core import story  # noqa: E402
from made_up_names import names_file  # noqa: E402
from serve import CHROMIUM, CHROMIUM_ARGS, rss_mb, running_app  # noqa: E402

WAIT = 180_000        # ms
UPLOAD_BYTES = 5_138_022
TABS = 6


def wait_rendered(page) -> None:
    expect(page.locator("h1").first).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=WAIT)


def upload(page, name: str, data: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": data})
    lines = data.count(b"\n")
    expect(page.get_by_text(f"Read {lines:,} lines, kept {lines:,} names.")).to_be_visible(timeout=WAIT)
    wait_rendered(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def uploads_in_tabs(context, base: str, seeds: range) -> list:
    tabs = []
    for seed in seeds:
        tab = context.new_page()
        tab.goto(f"{base}/Bigram_model")
        wait_rendered(tab)
        upload(tab, f"names_{seed}.txt", names_file(UPLOAD_BYTES, seed))
        tabs.append(tab)
    return tabs


def session_ttl() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return int(config.get("server", {}).get("disconnectedSessionTTL", 120))


def peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))


def report(what: str, figure: float, goal: float, unit: str, at_most: bool = True) -> None:
    met = figure <= goal if at_most else figure < goal
    print(f"{what}: {figure:,.{2 if unit == 's' else 0}f} {unit} / goal {'≤' if at_most else '<'} "
          f"{goal:g} {unit} / ratio {figure / goal:.2f} ({'met' if met else 'MISSED'})")


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        started = time.perf_counter()
        with running_app() as (base, proc):
            page.goto(base)
            wait_rendered(page)
            first_render = time.perf_counter() - started
            for chapter in story.CHAPTERS:
                page.goto(f"{base}/{chapter.url_path}")
                wait_rendered(page)
            page.goto(f"{base}/Bigram_model")   # the bigram model's Train (chapter 8 has a button of its own)
            wait_rendered(page)
            page.get_by_role("button", name="Train", exact=True).click()
            page.wait_for_timeout(500)
            wait_rendered(page)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            at_rest = rss_mb(proc.pid)

            tabs = uploads_in_tabs(context, base, range(1, TABS + 1))
            after_six = rss_mb(proc.pid)

            for tab in tabs:
                tab.close()
            ttl = session_ttl()
            print(f"(six tabs closed; waiting {ttl + 10} s for Streamlit to expire their sessions)", flush=True)
            time.sleep(ttl + 10)
            passer_by = context.new_page()        # a visitor who comes and goes: its disconnect
            passer_by.goto(f"{base}/{story.CHAPTERS[0].url_path}")  # makes Streamlit drop expired sessions
            wait_rendered(passer_by)
            passer_by.close()
            time.sleep(3)
            expired = rss_mb(proc.pid)

            uploads_in_tabs(context, base, range(TABS + 1, 2 * TABS + 1))
            after_twelve = rss_mb(proc.pid)
            peak = peak_mb(proc.pid)
        browser.close()

    report("start-up to the first page rendered", first_render, 8, "s", at_most=False)
    report("RSS after every page and one training", at_rest, 520, "MB")
    report(f"RSS added by {TABS} distinct {UPLOAD_BYTES:,}-byte uploads in {TABS} tabs "
           f"({at_rest:,.0f} -> {after_six:,.0f} MB)", after_six - at_rest, 150, "MB")
    print(f"RSS once those sessions expired: {expired:,.0f} MB")
    report(f"RSS added by {TABS} more distinct uploads after those sessions expired "
           f"({after_six:,.0f} -> {after_twelve:,.0f} MB)", after_twelve - after_six, 50, "MB")
    print(f"peak RSS of the server over the whole run: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
