"""core.memo: results keyed by the content of the arguments, bounded, safe across threads."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import pytest
import torch

from core import memo
from core.memo import Memo, fingerprint, memoize


@dataclass(frozen=True)
class Point:
    x: float
    label: str


def test_equal_content_gives_equal_keys_and_different_content_different_ones():
    a = np.arange(6.0).reshape(2, 3)
    assert fingerprint(a) == fingerprint(a.copy())
    assert fingerprint(torch.tensor(a)) == fingerprint(a)          # a tensor keys like its array
    assert fingerprint(a) != fingerprint(a.reshape(3, 2))          # same bytes, other shape
    assert fingerprint(a) != fingerprint(a.astype(np.float32))     # other dtype
    b = a.copy(); b[1, 2] += 1e-12
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint([1, 2]) != fingerprint((1, 2))
    assert fingerprint(1) != fingerprint(1.0) != fingerprint(True)
    assert fingerprint(Point(1.0, "m")) == fingerprint(Point(1.0, "m")) != fingerprint(Point(1.0, "n"))
    assert fingerprint({"A": (1.0, 2.0)}) != fingerprint({"A": (1.0, 2.5)})


def test_an_argument_it_cannot_compare_by_content_is_refused():
    with pytest.raises(TypeError):
        fingerprint(object())


def test_memoize_returns_the_first_result_for_equal_inputs():
    calls = []

    @memoize(maxsize=2)
    def total(values, scale=1):
        calls.append(1)
        return [float(np.sum(values)) * scale]

    first = total(np.array([1.0, 2.0]))
    assert total(np.array([1.0, 2.0])) is first and len(calls) == 1
    assert total(np.array([1.0, 2.0]), scale=2) == [6.0] and len(calls) == 2
    assert total.memo.hits == 1 and total.memo.misses == 2


def test_the_memo_is_bounded_and_forgets_the_least_recently_used():
    memo = Memo(maxsize=3)
    for k in range(10):
        memo.get_or_build(k, lambda k=k: k * k)
    assert len(memo) == 3
    memo.get_or_build(7, lambda: pytest.fail("7 should still be kept"))
    memo.get_or_build(10, lambda: 100)                 # evicts 8, the least recently used
    assert memo.get_or_build(8, lambda: "rebuilt") == "rebuilt"


def test_many_threads_get_correct_results():
    @memoize(maxsize=8)
    def square(x):
        return x * x

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: square(i % 20), range(2000)))
    assert results == [(i % 20) ** 2 for i in range(2000)]
    assert len(square.memo) <= 8


def test_callers_of_a_key_being_built_wait_for_that_one_build():
    builds = []

    @memoize(maxsize=4)
    def slow(x):
        builds.append(x)
        time.sleep(0.2)
        return object()

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: slow(1), range(20)))
    assert builds == [1] and all(r is results[0] for r in results)


def test_a_failed_build_reaches_every_waiter_and_is_not_kept():
    memo = Memo(maxsize=4)
    started = threading.Event()

    def failing():
        started.set()
        deadline = time.monotonic() + 10
        while memo.hits == 0 and time.monotonic() < deadline:  # until the waiter has joined this build
            time.sleep(0.01)
        raise ValueError("bad input")

    def waiter():
        started.wait()
        return memo.get_or_build("k", lambda: "never built: the first build is still running")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(memo.get_or_build, "k", failing)
        second = pool.submit(waiter)
        with pytest.raises(ValueError):
            first.result()
        with pytest.raises(ValueError):
            second.result()
    assert memo.get_or_build("k", lambda: "rebuilt") == "rebuilt"


def test_approx_bytes_is_exact_for_arrays_and_frames_and_adds_up_containers():
    a = np.zeros(1000)
    frame = pd.DataFrame({"x": np.arange(500, dtype=np.int64)})
    assert memo.approx_bytes(a) == 8000
    assert memo.approx_bytes(torch.zeros(10, 10)) == 400
    assert memo.approx_bytes(frame) == frame.memory_usage(index=True, deep=True).sum()
    assert memo.approx_bytes((a, a)) >= 16000
    other = frame * 2
    chart = alt.Chart(frame).mark_line().encode(x="x") + alt.Chart(other).mark_point().encode(x="x")
    assert memo.approx_bytes(chart) >= 2 * frame.memory_usage(index=True, deep=True).sum()


def test_the_memo_is_bounded_in_bytes_as_well_as_entries():
    @memo.memoize(maxsize=100, max_bytes=50_000)
    def block(n):
        return np.zeros(n)            # n * 8 bytes

    for i in range(10):
        block(1000 + i)               # about 8 kB each: only six fit in 50 kB
    assert block.memo.bytes <= 50_000
    assert len(block.memo) == 6
    block(100_000)                    # 800 kB, larger than the whole budget: kept alone, the newest
    assert len(block.memo) == 1 and block.memo.bytes == 800_000
