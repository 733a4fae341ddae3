"""What a page visit costs the machine in the browser tests: a new tab each, or one tab reused.

Starts `streamlit run app.py` as the README does (serve.py), then Debian's Chromium visits five
chapters twice in a browser context that has seen the app once, first in a new tab per visit (then
closed), then in one tab that goes to about:blank between visits (tests/browsing.py: Tabs). Prints
the machine's CPU (the `cpu` line of /proc/stat: server, browser and this script) and the wall time
of each way, and their ratio; ROUNDS times, alternating.

    python benchmarks/page_visits.py [--rounds 2]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))     # browsing.py: how the tests open a page

import browsing  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from serve import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

PAGES = ["Probability", "Likelihood", "Likelihood_function", "Log_likelihood", "Maximum_likelihood"] * 2


def machine_cpu_seconds() -> float:
    fields = open("/proc/stat").readline().split()
    return sum(int(fields[i]) for i in (1, 2, 3, 6, 7)) / 100     # user nice system irq softirq, in ticks


def visits(context, base: str, reuse: bool) -> tuple[float, float]:
    cpu, wall = machine_cpu_seconds(), time.monotonic()
    kept = context.new_page() if reuse else None
    for name in PAGES:
        page = kept or context.new_page()
        browsing.open_url(page, f"{base}/{name}")
        page.goto("about:blank") if reuse else page.close()
    if kept:
        kept.close()
    return machine_cpu_seconds() - cpu, time.monotonic() - wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with running_app() as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)   # as the tests launch it
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        warm = context.new_page()
        browsing.open_url(warm, f"{base}/Probability")    # the app's scripts in the browser's cache
        warm.close()
        for _ in range(args.rounds):
            new_cpu, new_wall = visits(context, base, reuse=False)
            kept_cpu, kept_wall = visits(context, base, reuse=True)
            print(f"{len(PAGES)} visits: a new tab each {new_cpu:.1f} s CPU ({new_wall:.1f} s wall); one tab reused "
                  f"{kept_cpu:.1f} s CPU ({kept_wall:.1f} s wall); ratio {new_cpu / kept_cpu:.2f}", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
