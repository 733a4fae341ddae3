"""What one rerun costs the server, one visitor at a time (no queueing): the floor under load.

Starts `streamlit run app.py` as the README does (benchmarks/serve.py: the project's config, which
is the production one), with the agent API on, warms it (bigram page opened and trained
once, the Probability page opened), then times, one after another, REPEAT times each: opening the
bigram page, pressing Train there (the result comes from the training cache), and moving a control
on the Probability page; then the same on a fresh server of benchmarks/floor_app (the empty app
with the same page names, widget keys and config). For each kind it prints the median time and
the server's CPU per interaction (read from /proc, in the kernel's 10 ms ticks, over those REPEAT
interactions: the empty app's few ticks make its figure good to about a tenth) beside the empty
app's. Run it twice to see what a setting costs, e.g.

    python benchmarks/rerun_cost.py
    python benchmarks/rerun_cost.py --runner.postScriptGC=true      # Streamlit's default
    python benchmarks/rerun_cost.py --server.fileWatcherType=auto   # a developer's file watcher

Extra arguments go to `streamlit run` (every server). With --price-agent-chart-data, a third server
runs the dashboard with the agent API's description of a chart's data stubbed out
(benchmarks/agent_chart_data_off/sitecustomize.py): the difference is what agent sessions, such as
this benchmark's and the issues' yardstick's, pay for reading each chart's data back, which a
browser's session never does.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

from agent_client import BIGRAM, Recorder, Session, agent_server, tree_cpu_seconds
from load import FLOOR_APP
from serve import ROOT

HERE = os.path.dirname(os.path.abspath(__file__))
STUB = {"PYTHONPATH": os.path.join(HERE, "agent_chart_data_off")}  # its sitecustomize.py

REPEAT = 30


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def per_kind(extra: list[str], app, environ: dict | None = None) -> dict[str, tuple[float, float]] | None:
    """{kind: (median seconds, server CPU seconds per interaction)}, or None after an error."""
    with agent_server(*extra, app=app, environ=environ) as (base, pid, log):
        rec = Recorder()
        trainer = Session(base, rec)
        trainer.open(BIGRAM)
        trainer.press("train")
        mover = Session(base, rec)
        mover.open("Probability")
        kinds = {
            "open the bigram page": lambda: Session(base, rec).open(BIGRAM),
            "press Train (cached run)": lambda: trainer.press("train"),
            "move μ on Probability": lambda: mover.move(mu=40.0 + len(rec.timings) % 10),
        }
        results = {}
        for name, action in kinds.items():
            cpu = tree_cpu_seconds(pid)
            times = [timed(action) for _ in range(REPEAT)]
            results[name] = (statistics.median(times), (tree_cpu_seconds(pid) - cpu) / REPEAT)
        if rec.errors:
            print(f"  errors: {[e.error for e in rec.errors][:3]}")
            return None
    return results


def main(extra: list[str]) -> int:
    price = "--price-agent-chart-data" in extra
    extra = [a for a in extra if a != "--price-agent-chart-data"]
    print(f"server args: {' '.join(extra) or '(none)'}")
    app, floor = per_kind(extra, ROOT / "app.py"), per_kind(extra, FLOOR_APP)
    stubbed = per_kind(extra, ROOT / "app.py", STUB) if price else None
    if app is None or floor is None or (price and stubbed is None):
        return 1
    for name, (median, cpu) in app.items():
        floor_median, floor_cpu = floor[name]
        print(f"  {name:28} median {median * 1e3:5.0f} ms (empty app {floor_median * 1e3:4.0f})   "
              f"server CPU {cpu * 1e3:5.1f} ms (empty app {floor_cpu * 1e3:4.1f}"
              + (f", x{cpu / floor_cpu:.1f})" if floor_cpu else ", under a tick)")
              + (f"; without the agent API's chart data {stubbed[name][1] * 1e3:.1f} ms" if stubbed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
