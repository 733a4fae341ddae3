"""Chapter 8's networks on the default corpus: training time on one core and test NLL, against the
counted models.

Trains core.mlp.NETWORKS one after another as the server does (core.ladder.train, torch on one
thread), and prints for each its CPU seconds (time.thread_time of the training, the figure a busy
machine inflates least), its wall-clock seconds, and its NLL on the training, validation and test
names; then the counted trigram's and the best counted model's (chosen on validation) test NLL,
and the machine's load average before and after, since these 2 cores are shared.
Goals: makemore's network (3 symbols) at most 2.25 on the test names within 120 s of CPU.

    python benchmarks/bench_networks.py
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from core import ladder, mlp  # noqa: E402
from core.baby_names import load_default_corpus  # noqa: E402

GOAL_NLL, GOAL_CPU = 2.25, 120.0


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    torch.set_num_threads(1)  # as the server runs (app.py)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread; {os.cpu_count()} cores; "
          f"load average (1 / 5 / 15 min) before: {load()}")
    corpus = load_default_corpus()
    print(f"corpus: {corpus.n_names:,} names, {corpus.n_bigrams:,} symbols to predict")
    started = time.perf_counter()
    last_wall, walls = started, []
    result = None
    for result in ladder.train(corpus, mlp.NETWORKS):
        if result.runs[-1].finished and len(walls) < len(result.runs):
            now = time.perf_counter()
            walls.append(now - last_wall)
            last_wall = now
    for run, wall in zip(result.runs, walls):
        s, f = run.settings, run.final
        print(f"{ladder.network_label(s)} (context {s.block}, embedding {s.embedding}, hidden {s.hidden}, "
              f"{s.parameters(run.size):,} weights; {s.steps:,} steps of {s.batch}, lr {s.lr:g} then {s.late_lr:g}): "
              f"{run.cpu:.1f} s CPU, {wall:.1f} s wall; NLL training {f['training']:.4f}, "
              f"validation {f['validation']:.4f}, test {f['test']:.4f}")
    counted = ladder.by_context(corpus)
    best = ladder.best_counted(counted)
    print(f"counted trigram: test {counted[2].test_nll:.4f}; best counted (lowest validation NLL, "
          f"the {ladder.order_label(best.order)}): test {best.test_nll:.4f}")
    first = result.runs[0]
    ok = first.final["test"] <= GOAL_NLL and first.cpu <= GOAL_CPU
    print(f"goal: {ladder.network_label(first.settings)} test NLL <= {GOAL_NLL} within {GOAL_CPU:.0f} s CPU: "
          f"{'met' if ok else 'MISSED'}; both networks: {result.cpu:.1f} s CPU")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"load average after: {load()}")


if __name__ == "__main__":
    main()
