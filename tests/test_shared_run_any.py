"""core.shared_run for any run (chapter 8's networks): computed once per key, watched by many,
looked at without starting it, and a pinned result kept however full the cache gets."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from core.bigram import bigram_counts
from core.corpus import Corpus
from core.shared_run import SHOWN, TrainingCache, TrainingFailed
from core.training import TrainingSettings, descend_counts, last


@dataclass(frozen=True)
class Snap:
    done: int
    total: int
    nbytes: int = 1_000

    @property
    def finished(self) -> bool:
        return self.done == self.total


def counted_run(total: int, gate: threading.Event | None = None, started: list | None = None):
    """A run of `total` snapshots; it waits at the first for `gate` (when given)."""
    def snapshots():
        if started is not None:
            started.append(1)
        for i in range(1, total + 1):
            if gate is not None and i == 2:
                gate.wait(10)
            yield Snap(i, total)
    return snapshots


def test_one_run_per_key_watched_by_everyone_and_peeked_at_without_starting():
    cache, gate, started = TrainingCache(), threading.Event(), []
    assert cache.peek(("net", 1)) is None and cache.computations == 0      # looking starts nothing
    first = cache.stream_run(("net", 1), counted_run(5, gate, started))
    second = cache.stream_run(("net", 1), counted_run(5, gate, started))
    seen = next(first)
    assert seen.done == 1 and cache.peek(("net", 1)) is seen               # the run going on, as it stands
    gate.set()
    ends = last(first), last(second)
    assert ends[0] is ends[1] and ends[0].finished and len(started) == 1
    assert cache.peek(("net", 1)) is ends[0] and cache.counters()["computed"] == 1
    assert cache.peek(("net", 1), kind=SHOWN) is None                       # kinds stay apart


def test_a_pinned_result_stays_when_the_cache_is_full():
    cache = TrainingCache(maxsize=3)
    pinned = last(cache.stream_run(("net", "default"), counted_run(2), pinned=True))
    for i in range(6):
        last(cache.stream_run(("other", i), counted_run(1)))
    assert cache.peek(("net", "default")) is pinned and len(cache) == 3
    assert cache.peek(("other", 0)) is None and cache.peek(("other", 5)) is not None
    unpinned = last(cache.stream_run(("net", "upload"), counted_run(2)))
    for i in range(6, 9):
        last(cache.stream_run(("other", i), counted_run(1)))
    assert cache.peek(("net", "upload")) is None and unpinned.finished


def test_the_bigrams_trainings_are_runs_of_the_same_cache():
    corpus = Corpus.from_names(("emma", "olivia", "ava"), "test")
    cache, s = TrainingCache(), TrainingSettings(steps=10)
    result = cache.get(corpus.fingerprint, bigram_counts(corpus), s)
    assert cache.peek((corpus.fingerprint, False, s)) is result
    assert cache.get(corpus.fingerprint, bigram_counts(corpus), s) is result and cache.counters()["computed"] == 1


def test_the_runs_going_on_are_listed_by_their_keys():
    cache, gate = TrainingCache(), threading.Event()
    watching = cache.stream_run(("net", "a"), counted_run(3, gate))
    next(watching)
    assert cache.running() == [("net", "a")]
    gate.set()
    last(watching)
    assert cache.running() == []


def test_a_watcher_given_a_deadline_stops_there_and_the_run_goes_on():
    """A page watches a run for a moment, then looks again later: the watch ends at its deadline
    without the finished snapshot, and the run finishes all the same."""
    cache, gate = TrainingCache(), threading.Event()
    started = time.monotonic()
    seen = list(cache.stream_run(("net", "long"), counted_run(3, gate), until=started + 1.0))
    assert [s.done for s in seen] == [1] and time.monotonic() - started < 5     # held at the gate: no more
    assert cache.running() == [("net", "long")]
    late = list(cache.stream_run(("net", "long"), counted_run(3), until=time.monotonic()))
    assert [s.done for s in late] == [1]                                          # the run as it stands, at once
    gate.set()
    end = last(cache.stream_run(("net", "long"), counted_run(3)))
    assert end.finished and cache.counters()["computed"] == 1


def test_a_runs_state_is_starting_going_finished_or_gone():
    """What a page's look at a bigram training reads (ui/live_training.py): one answer, never a
    finished run shown as going, a failed run as gone."""
    corpus = Corpus.from_names(("emma", "olivia", "ava"), "test")
    N, s = bigram_counts(corpus), TrainingSettings(steps=40)
    cache, first, rest = TrainingCache(), threading.Event(), threading.Event()

    def held():
        first.wait(10)                       # no snapshot yet: starting
        for i, snapshot in enumerate(descend_counts(N, s, 10)):
            if i == 1:
                rest.wait(10)                # one snapshot out: going
            yield snapshot

    assert cache.state(corpus.fingerprint, s) == ("gone", None)             # never ran
    watching = cache.stream_run((corpus.fingerprint, False, s), held)
    assert cache.state(corpus.fingerprint, s) == ("starting", None)
    first.set()
    seen = next(watching)
    assert cache.state(corpus.fingerprint, s) == ("going", seen) and not seen.finished
    rest.set()
    end = last(watching)
    assert cache.state(corpus.fingerprint, s) == ("finished", end) and end.finished
    assert cache.state(corpus.fingerprint, s, kind=SHOWN) == ("gone", None)  # kinds stay apart

    def failing():
        yield next(descend_counts(N, TrainingSettings(steps=40, seed=7), 10))
        raise ValueError("a failure")

    broken = TrainingSettings(steps=40, seed=7)
    watching = cache.stream_run((corpus.fingerprint, False, broken), failing)
    try:
        last(watching)
    except TrainingFailed as err:
        assert isinstance(err.__cause__, ValueError)
    else:
        raise AssertionError("the watcher was not told the run failed")
    assert cache.state(corpus.fingerprint, broken) == ("gone", None)
