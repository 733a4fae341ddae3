"""One training computation per (corpus, loop, settings) per server, streamed to every session
watching it, and kept afterwards in a cache bounded in bytes.

`TrainingCache.stream` is the one way to get a run: the first request for a key starts it in a
background thread (core.training.descend_counts; descend for the literal loop); that request and
any concurrent ones for the same key watch the same snapshots and end with the same result object.
Watchers may stop watching at any time (a Stop button, a rerun, a deadline given as `until`): the
run still finishes, so nobody waits on an abandoned computation and the cache only holds finished
runs. `get` is the same, waiting for the end.

One cache holds two kinds of run, told apart in its key and in its counters: ASKED, the runs a
visitor asks for (Train, the chapter's question, the literal loop's check), and SHOWN, the runs a
page shows unasked (the bigram page's lead, its trainings on the training names). The kind is in
the key so that a page's own run never answers a visitor's Train: that one streams live the first
time. `counters(kind)` reports each kind; the server's /training-cache reports ASKED.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator

import torch

from core.training import TrainingResult, TrainingSettings, descend, descend_counts, last, literal_step

CACHE_BYTES = 12 * 2**20  # finished results kept: about 150 of 10,000 steps at V = 27
ASKED, SHOWN = "asked", "shown"   # the kinds of run (above)
# Snapshots a run publishes. Each wakes every watcher, and with a class watching one run their
# redraws starved the run itself (50 at once: 27 s for a 0.1 s run at 200 snapshots).
LIVE_FRAMES = 20


class TrainingFailed(RuntimeError):
    """The run being watched raised (its error is the cause); the cache has dropped it."""


class _Run:
    """A computation in progress: its latest snapshot, published to everyone watching it."""

    def __init__(self):
        self.changed = threading.Condition()
        self.latest: TrainingResult | None = None
        self.error: BaseException | None = None

    def publish(self, snapshot: TrainingResult) -> None:
        with self.changed:
            self.latest = snapshot
            self.changed.notify_all()

    def fail(self, error: BaseException) -> None:
        with self.changed:
            self.error = error
            self.changed.notify_all()

    def watch(self, until: float | None = None) -> Iterator[TrainingResult]:
        """Each new snapshot, up to the finished one; or up to `until` (time.monotonic()), when the
        watcher stops waiting and the run goes on without it."""
        seen = None
        while seen is None or not seen.finished:
            if seen is not None and until is not None and time.monotonic() >= until:
                return   # even if a newer snapshot is there: a watcher that falls behind stops on time
            with self.changed:
                wait = None if until is None else max(0.0, until - time.monotonic())
                if not self.changed.wait_for(lambda: self.latest is not seen or self.error is not None, wait):
                    return
                if self.error is not None:
                    raise TrainingFailed("training failed") from self.error
                seen = self.latest
            yield seen


class TrainingCache:
    """Finished runs by (corpus key, loop, settings): LRU-bounded in bytes (`max_bytes`, each
    result's nbytes) and in entries (`maxsize`); runs in progress are shared too.
    `computations` counts runs started, `hits` requests answered without starting one, of every
    kind; counters(kind) counts one kind."""

    def __init__(self, maxsize: int = 64, max_bytes: int = CACHE_BYTES):
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.bytes = 0
        self.computations = 0
        self.hits = 0
        self._of_kind = {kind: {"computed": 0, "answered_from_cache": 0} for kind in (ASKED, SHOWN)}
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple, TrainingResult] = OrderedDict()
        self._running: dict[tuple, _Run] = {}
        self._pinned: set[tuple] = set()

    def stream(self, corpus_key: str, N: torch.Tensor, settings: TrainingSettings,
               pairs: tuple[torch.Tensor, torch.Tensor] | None = None, kind: str = ASKED,
               until: float | None = None) -> Iterator[TrainingResult]:
        """Snapshots of the run of this kind for this corpus and these settings, the last one
        finished (just that one if it is cached); or those until `until` (_Run.watch). It trains
        from the V x V counts N, or, given the corpus's bigram pairs (xs, ys), with the article's
        literal loop over them: slow, so all the more worth computing once."""
        def snapshots() -> Iterator[TrainingResult]:
            every = max(1, settings.steps // LIVE_FRAMES)
            if pairs is None:
                return descend_counts(N, settings, every)
            return descend(literal_step(*pairs, N.shape[0], settings.reg), N.shape[0], settings, every)

        return self.stream_run((corpus_key, pairs is not None, settings), snapshots, kind, "bigram-training",
                               until=until)

    def stream_run(self, key: tuple, snapshots: Callable[[], Iterator], kind: str = ASKED,
                   name: str = "training", pinned: bool = False, until: float | None = None) -> Iterator:
        """Snapshots of any run, shared and cached as above by its `key` and kind: `snapshots()`
        starts the computation (called here, in the caller's thread, so that bad input raises to
        the caller; only when no run of this key is cached or going), and each snapshot it yields
        has `finished` and `nbytes`. The bigram's trainings are such runs; so is chapter 8's network.
        A pinned result is never dropped to make room (a run too costly to repeat: keep it small)."""
        key = (key[0], kind, *key[1:])
        with self._lock:
            if pinned:
                self._pinned.add(key)
            result = self._done.get(key)
            run = self._running.get(key)
            if result is not None or run is not None:
                self.hits += 1
                self._of_kind[kind]["answered_from_cache"] += 1
                if result is not None:
                    self._done.move_to_end(key)
            else:
                computation = snapshots()
                run = self._running[key] = _Run()
                self.computations += 1
                self._of_kind[kind]["computed"] += 1
                threading.Thread(target=self._compute, args=(key, run, computation),
                                 name=name, daemon=True).start()
        return iter((result,)) if result is not None else run.watch(until)

    def peek(self, key: tuple, kind: str = ASKED):
        """The run of stream_run's `key` as it stands, starting nothing: its finished result, the
        latest snapshot of a run going on, or None (not started, or dropped from the cache)."""
        key = (key[0], kind, *key[1:])
        with self._lock:
            result = self._done.get(key)
            run = self._running.get(key)
            if result is not None:
                self._done.move_to_end(key)   # looked at: kept as if asked for
        return result if result is not None else None if run is None else run.latest

    def state(self, corpus_key: str, settings: TrainingSettings, kind: str = ASKED, literal: bool = False
              ) -> tuple[str, TrainingResult | None]:
        """Where the run `stream` starts for this corpus and these settings stands (from the counts,
        or with `literal`, from the bigram pairs), starting nothing: ("starting", None) going with no
        snapshot yet, ("going", its latest snapshot), ("finished", the result), or ("gone", None):
        neither going nor kept (it failed, was dropped to make room, or never ran). One look under
        the lock: a run that finishes is kept before its last snapshot is published, so "going"
        never hides a finished run."""
        key = (corpus_key, kind, literal, settings)
        with self._lock:
            result, run = self._done.get(key), self._running.get(key)
            if result is not None:
                self._done.move_to_end(key)   # looked at: kept as if asked for
                return "finished", result
            latest = None if run is None else run.latest
        if run is None:
            return "gone", None
        return ("starting", None) if latest is None else ("going", latest)

    def running(self) -> list[tuple]:
        """The keys (as stream_run takes them) of the runs going on now, of every kind."""
        with self._lock:
            return [(key[0], *key[2:]) for key in self._running]

    def get(self, corpus_key: str, N: torch.Tensor, settings: TrainingSettings, kind: str = ASKED
            ) -> TrainingResult:
        """The finished run from the counts N, waiting for (or starting) its computation."""
        return last(self.stream(corpus_key, N, settings, kind=kind))

    def counters(self, kind: str = ASKED) -> dict[str, int]:
        """The runs of one kind computed and answered from the cache, and what the whole cache holds:
        ASKED for the server's /training-cache route (app.py), which the load tests read."""
        with self._lock:
            return {**self._of_kind[kind], "kept": len(self._done), "bytes": self.bytes,
                    "max_bytes": self.max_bytes, "maxsize": self.maxsize}

    def __len__(self) -> int:
        with self._lock:
            return len(self._done)

    def _compute(self, key, run: _Run, snapshots: Iterator[TrainingResult]) -> None:
        try:
            for snapshot in snapshots:
                if snapshot.finished:
                    self._store(key, snapshot)  # stored before published: a finished watcher finds it cached
                run.publish(snapshot)
        except BaseException as err:  # hand the failure to the watchers instead of leaving them waiting
            with self._lock:
                self._running.pop(key, None)
            run.fail(err)

    def _store(self, key, result: TrainingResult) -> None:
        with self._lock:
            old = self._done.pop(key, None)
            self.bytes -= 0 if old is None else old.nbytes
            self._done[key] = result
            self.bytes += result.nbytes
            # The newest result stays even when it alone is over the budget: its watchers need it.
            while len(self._done) > 1 and (len(self._done) > self.maxsize or self.bytes > self.max_bytes):
                oldest = next((k for k in self._done if k not in self._pinned and k != key), None)
                if oldest is None:
                    break
                self.bytes -= self._done.pop(oldest).nbytes
            del self._running[key]


# The one training cache of the server: the runs visitors ask for and the runs pages show unasked.
CACHE = TrainingCache()
