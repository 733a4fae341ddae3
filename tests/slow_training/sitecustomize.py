"""For tests/test_browser.py's long-training test only, on its own server's PYTHONPATH: Python runs
this before Streamlit starts. The bigram page's trainings of 10,000 steps or more (none at the
warm-up) pause 0.5 s after each of their snapshots, so a training of 10,000 steps takes seconds
instead of a tenth of one, long enough to click during it; nothing else changes. The training
module is wrapped once the app has imported it (it is imported at the warm-up, long before any
Train press)."""
import sys
import threading
import time

SLOW_FROM, PAUSE = 10_000, 0.5


def _slow_down() -> None:
    while getattr(sys.modules.get("core.shared_run"), "descend_counts", None) is None:
        time.sleep(0.02)
    shared_run = sys.modules["core.shared_run"]
    descend_counts = shared_run.descend_counts

    def slowed(N, settings, every=None):
        for snapshot in descend_counts(N, settings, every):
            if settings.steps >= SLOW_FROM:
                time.sleep(PAUSE)
            yield snapshot

    shared_run.descend_counts = slowed


threading.Thread(target=_slow_down, name="slow-training", daemon=True).start()
