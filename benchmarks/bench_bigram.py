"""Speed of the bigram page's computations on the default corpus (32,033 US baby names).

Times 1000 steps of the article's literal loop and of the fast counts-based loop, the counting
model's NLL, and a cached repeat; checks that both loops agree. Goals: fast >= 200x faster
than literal, fast 1000 steps < 0.3 s, cached repeat < 10 ms. torch runs on one thread, as the
server does (app.py sets it where the app starts). The literal loop takes a few minutes.

    python benchmarks/bench_bigram.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

# Run as `python benchmarks/bench_bigram.py`, Python puts only benchmarks/ on the path; core/ is at the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from core.bigram import average_nll, bigram_counts, bigram_pairs, probabilities  # noqa: E402
from core.baby_names import load_default_corpus  # noqa: E402
from core.shared_run import TrainingCache  # noqa: E402
from core.training import TrainingSettings, train_fast, train_literal  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    torch.set_num_threads(1)  # as the server runs (app.py)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    corpus, t_load = timed(load_default_corpus)
    N, t_counts = timed(lambda: bigram_counts(corpus))
    print(f"corpus: {corpus.n_names:,} names, {corpus.n_bigrams:,} bigrams, vocabulary {corpus.vocab_size} "
          f"(load {t_load:.2f} s, counts {t_counts * 1e3:.1f} ms)")

    nll0, t_nll = timed(lambda: average_nll(N, probabilities(N, 0)))
    nll1 = average_nll(N, probabilities(N, 1))
    print(f"counting model NLL: k=0 {nll0:.4f}, k=1 {nll1:.4f}  ({t_nll * 1e3:.2f} ms)")

    settings = TrainingSettings()  # the article's: lr 50, 1000 steps, reg 0.01, seed 2147483647
    train_fast(N, TrainingSettings(steps=10))  # warm-up: first-call overheads are not the loop's
    fast, t_fast = timed(lambda: train_fast(N, settings))
    xs, ys = bigram_pairs(corpus)
    literal, t_literal = timed(lambda: train_literal(xs, ys, corpus.vocab_size, settings))
    print(f"literal loop, 1000 steps: {t_literal:.2f} s   final loss {literal.final_loss:.4f}")
    print(f"fast loop,    1000 steps: {t_fast:.3f} s   final loss {fast.final_loss:.4f} "
          f"(data NLL {fast.final_data_nll:.4f})")
    loss_gap = np.abs(np.array(literal.losses) - np.array(fast.losses)).max()
    w_gap = (literal.W - fast.W).abs().max().item()
    print(f"literal vs fast: max |loss difference| {loss_gap:.2e}, max |W difference| {w_gap:.2e}")

    cache = TrainingCache()
    cache.get(corpus.fingerprint, N, settings)
    _, t_cached = timed(lambda: cache.get(corpus.fingerprint, N, settings))
    print(f"cached repeat: {t_cached * 1e3:.3f} ms")

    ratio = t_literal / t_fast
    print(f"speed-up fast vs literal: {ratio:,.0f}x")
    goals = [("fast >= 200x faster than literal", ratio >= 200), ("fast 1000 steps < 0.3 s", t_fast < 0.3),
             ("cached repeat < 10 ms", t_cached < 0.01), ("loops agree (loss diff <= 1e-5)", loss_gap <= 1e-5)]
    for goal, met in goals:
        print(f"  [{'met' if met else 'MISSED'}] {goal}")
    sys.exit(0 if all(met for _, met in goals) else 1)


if __name__ == "__main__":
    main()
