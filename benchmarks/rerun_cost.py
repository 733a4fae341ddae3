"""What one rerun costs the server, one visitor at a time (no queueing): the floor under load.

Starts `streamlit run app.py` as the README does (benchmarks/serve.py: the project's config, which
is the production one), with the agent API on, warms it (bigram page opened and trained
once, the Probability page opened), then times, one after another: opening the bigram page,
pressing Train there (the result comes from the training cache), and moving a control on the
Probability page. Run it twice to see what a setting costs, e.g.

    python benchmarks/rerun_cost.py
    python benchmarks/rerun_cost.py --runner.postScriptGC=true      # Streamlit's default
    python benchmarks/rerun_cost.py --server.fileWatcherType=auto   # a developer's file watcher

Extra arguments go to `streamlit run`. Prints the median of --repeat timings per kind.
"""
from __future__ import annotations

import statistics
import sys
import time

from agent_client import BIGRAM, Recorder, Session, agent_server

REPEAT = 15


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(extra: list[str]) -> int:
    with agent_server(*extra) as (base, pid, log):
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
        print(f"server args: {' '.join(extra) or '(none)'}")
        for name, action in kinds.items():
            times = [timed(action) for _ in range(REPEAT)]
            print(f"  {name:28} median {statistics.median(times) * 1e3:6.0f} ms   "
                  f"(min {min(times) * 1e3:.0f}, max {max(times) * 1e3:.0f}, n={REPEAT})")
        if rec.errors:
            print(f"  errors: {[e.error for e in rec.errors][:3]}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
