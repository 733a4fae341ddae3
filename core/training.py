"""The article's neural bigram model: one linear layer W, softmax, gradient descent on the NLL.

Two implementations of the same loop, both in float32:
- `train_literal` is the article's code: one-hot encode every bigram of the corpus, autograd.
- `train_fast` uses that the loss depends on the data only through the V x V counts N
  (a sufficient statistic): data NLL = -sum(N * log_softmax(W)) / N.sum(), with its gradient
  written out. Same losses, same W, hundreds of times faster; the dashboard uses this one.

Step k records the loss of the weights *before* update k, as the article's loop prints it.
A non-finite loss stops training (never raises): `diverged_at` says at which step, no NaN
enters `losses`, and W is the last weights whose loss was finite. The literal loop
exponentiates logits as the article does, so at absurd learning rates it overflows to NaN
some steps earlier than the fast loop, whose log_softmax does not overflow.

`TrainingCache` computes each (corpus, settings) once per process, shared by all sessions.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from core.corpus import PAIRS_MAX_CELLS

# A 27 x 27 step is too small to gain from threads; on a shared 2-core server torch's own
# thread pool only fights the sessions' threads (1000 steps: 0.18 s with 1 thread, up to 5 s with 2).
torch.set_num_threads(1)

ARTICLE_SEED = 2147483647
MAX_STEPS = 10_000   # bounds the time and the memory (losses per step) of one run
CACHE_BYTES = 8 * 2**20  # finished results kept: about 100 of 10,000 steps at V = 27
LIVE_FRAMES = 20     # snapshots a shared run publishes: every watcher wakes (and may redraw) this often
# The literal loop's one-hot matrix has (bigrams x V) float32 cells; the default corpus needs
# 6.3 M (25 MB). Bigger uploads would cost hundreds of MB per run on a shared server. A corpus
# keeps the text the loop needs exactly when it fits (core.corpus), so the bound is defined there.
LITERAL_MAX_CELLS = PAIRS_MAX_CELLS


@dataclass(frozen=True)
class TrainingSettings:
    lr: float = 50.0
    steps: int = 1000
    reg: float = 0.01
    seed: int = ARTICLE_SEED

    def __post_init__(self):
        if not math.isfinite(self.lr) or self.lr <= 0:
            raise ValueError(f"learning rate must be a finite number > 0, got {self.lr}")
        if not (isinstance(self.steps, int) and 1 <= self.steps <= MAX_STEPS):
            raise ValueError(f"steps must be a whole number in [1, {MAX_STEPS}], got {self.steps}")
        if not math.isfinite(self.reg) or self.reg < 0:
            raise ValueError(f"regularisation must be a finite number ≥ 0, got {self.reg}")


# eq=False: W is a tensor, so results compare by identity (the cache hands out one object).
@dataclass(frozen=True, eq=False)
class TrainingResult:
    settings: TrainingSettings
    # float32 arrays, read-only: each step's loss is a float32 number, so nothing is lost, and a
    # result of 10,000 steps costs 80 kB (tuples of Python floats cost 0.6 MB).
    losses: np.ndarray            # total loss (data NLL + regularisation) per step, all finite
    data_nll: np.ndarray          # the data NLL alone, per step
    W: torch.Tensor               # read-only by convention: cached results are shared
    steps_done: int
    diverged_at: int | None
    elapsed: float                # seconds of computation

    @property
    def finished(self) -> bool:
        """Ran every step or diverged; False for a snapshot of a run still going or stopped early."""
        return self.diverged_at is not None or self.steps_done == self.settings.steps

    @property
    def final_loss(self) -> float | None:
        return float(self.losses[-1]) if len(self.losses) else None

    @property
    def final_data_nll(self) -> float | None:
        return float(self.data_nll[-1]) if len(self.data_nll) else None

    @property
    def nbytes(self) -> int:
        """The memory the result holds, roughly: its arrays, W and a little for the rest."""
        return self.losses.nbytes + self.data_nll.nbytes + self.W.numel() * self.W.element_size() + 1_000


def _frozen(values: list[float]) -> np.ndarray:
    array = np.array(values, dtype=np.float32)
    array.flags.writeable = False
    return array


# A step function returns (loss, data NLL, gradient) at W, without changing W.
StepFn = Callable[[torch.Tensor], tuple[float, float, torch.Tensor]]


def initial_weights(vocab_size: int, seed: int = ARTICLE_SEED) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn((vocab_size, vocab_size), generator=g)


def literal_step(xs: torch.Tensor, ys: torch.Tensor, vocab_size: int, reg: float) -> StepFn:
    """The article's forward and backward pass, verbatim, over every bigram (xs[i] -> ys[i])."""
    num = xs.nelement()

    def step(W: torch.Tensor) -> tuple[float, float, torch.Tensor]:
        W = W.detach().requires_grad_()
        xenc = F.one_hot(xs, num_classes=vocab_size).float()
        logits = xenc @ W
        counts = logits.exp()
        probs = counts / counts.sum(1, keepdims=True)
        data_nll = -probs[torch.arange(num), ys].log().mean()
        loss = data_nll + reg * (W**2).mean()
        loss.backward()
        return loss.item(), data_nll.item(), W.grad

    return step


def fast_step(N: torch.Tensor, reg: float) -> StepFn:
    """The same loss from the counts alone, with the gradient in closed form (no autograd)."""
    _check_counts(N)
    total = N.sum().item()
    weights = N.float() / total                       # each bigram's share of the data
    row_share = weights.sum(1, keepdim=True)
    reg_scale = 2 * reg / N.numel()                   # d/dW of reg * mean(W**2)

    def step(W: torch.Tensor) -> tuple[float, float, torch.Tensor]:
        log_p = torch.log_softmax(W, dim=1)
        data_nll = -(weights * log_p).sum()
        loss = data_nll + reg * (W * W).mean()
        grad = log_p.exp() * row_share - weights + reg_scale * W
        return loss.item(), data_nll.item(), grad

    return step


def _check_counts(N: torch.Tensor) -> None:
    if N.dim() != 2 or N.shape[0] != N.shape[1]:
        raise ValueError(f"counts must be a square V x V matrix, got shape {tuple(N.shape)}")
    if (N < 0).any() or N.sum() <= 0:
        raise ValueError("counts must be ≥ 0 with a positive total")


def iterate(step: StepFn, vocab_size: int, settings: TrainingSettings, chunk: int) -> Iterator[TrainingResult]:
    """Run gradient descent, yielding a snapshot every `chunk` steps; the last one is finished."""
    if chunk < 1:
        raise ValueError("chunk must be ≥ 1")
    W = last_finite = initial_weights(vocab_size, settings.seed)
    losses: list[float] = []
    nlls: list[float] = []
    diverged_at = None
    elapsed = 0.0
    while len(losses) < settings.steps and diverged_at is None:
        start = time.perf_counter()
        for _ in range(min(chunk, settings.steps - len(losses))):
            loss, nll, grad = step(W)
            if not math.isfinite(loss):
                diverged_at = len(losses)
                W = last_finite
                break
            losses.append(loss)
            nlls.append(nll)
            last_finite, W = W, W - settings.lr * grad
        elapsed += time.perf_counter() - start
        yield TrainingResult(settings, _frozen(losses), _frozen(nlls), W.clone(), len(losses), diverged_at, elapsed)


def train_literal(xs: torch.Tensor, ys: torch.Tensor, vocab_size: int,
                  settings: TrainingSettings = TrainingSettings()) -> TrainingResult:
    """The article's loop over every bigram (see core.bigram.bigram_pairs); slow, the reference."""
    return _last(iterate(literal_step(xs, ys, vocab_size, settings.reg), vocab_size, settings, settings.steps))


def train_fast(N: torch.Tensor, settings: TrainingSettings = TrainingSettings()) -> TrainingResult:
    """The same training from the V x V counts N alone."""
    return _last(iter_training(N, settings, chunk=settings.steps))


def iter_training(N: torch.Tensor, settings: TrainingSettings = TrainingSettings(),
                  chunk: int = 10) -> Iterator[TrainingResult]:
    """Live training: a snapshot (steps so far, losses, W) every `chunk` steps; stop any time."""
    return iterate(fast_step(N, settings.reg), N.shape[0], settings, chunk)


def _last(snapshots: Iterator[TrainingResult]) -> TrainingResult:
    for result in snapshots:
        pass
    return result


def literal_fits(n_bigrams: int, vocab_size: int) -> bool:
    """Whether the literal loop's one-hot matrix stays within LITERAL_MAX_CELLS."""
    return n_bigrams * vocab_size <= LITERAL_MAX_CELLS


def agreement(a: TrainingResult, b: TrainingResult) -> tuple[float, float]:
    """(largest |loss difference| over the steps both ran, largest |W difference|)."""
    n = min(len(a.losses), len(b.losses))
    loss_gap = float(np.abs(a.losses[:n].astype(np.float64) - b.losses[:n]).max()) if n else 0.0
    return loss_gap, (a.W - b.W).abs().max().item()


def trained_probabilities(W: torch.Tensor) -> torch.Tensor:
    """The network's P(next | current): softmax of each row of W."""
    return torch.softmax(W, dim=1)


def max_probability_gap(W: torch.Tensor, P: torch.Tensor) -> float:
    """The largest |softmax(W) - P| over all bigrams: how close training came to the counts."""
    return (trained_probabilities(W).double() - P.double()).abs().max().item()


# --- one computation per (corpus, settings), shared by every session ------------------------

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

    def watch(self) -> Iterator[TrainingResult]:
        seen = None
        while seen is None or not seen.finished:
            with self.changed:
                self.changed.wait_for(lambda: self.latest is not seen or self.error is not None)
                if self.error is not None:
                    raise RuntimeError("training failed") from self.error
                seen = self.latest
            yield seen


class TrainingCache:
    """Finished training results by (corpus key, settings): computed once, LRU-bounded in bytes
    (`max_bytes`, each result's nbytes) and in entries (`maxsize`).

    The first request for a key starts the run in a background thread; that request and any
    concurrent ones for the same key all watch the same snapshots and end with the same result
    object. Watchers may stop watching at any time (a Stop button, a rerun): the run still
    finishes, so nobody waits on an abandoned computation and the cache only holds finished runs.
    """

    def __init__(self, maxsize: int = 64, max_bytes: int = CACHE_BYTES):
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.bytes = 0
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple[str, TrainingSettings], TrainingResult] = OrderedDict()
        self._running: dict[tuple[str, TrainingSettings], _Run] = {}
        self.computations = 0   # runs started
        self.hits = 0           # requests answered without starting a run (finished or in progress)

    def peek(self, corpus_key: str, settings: TrainingSettings) -> TrainingResult | None:
        """The finished result if there is one; never computes."""
        with self._lock:
            return self._done.get((corpus_key, settings))

    def stream(self, corpus_key: str, N: torch.Tensor, settings: TrainingSettings) -> Iterator[TrainingResult]:
        """Snapshots of the run for this key, the last one finished (just that one if cached)."""
        # Few snapshots: with a class watching one run, each snapshot wakes every watcher, and
        # their redraws starved the run itself (50 at once: 27 s for a 0.1 s run at 200 snapshots).
        chunk = max(1, settings.steps // LIVE_FRAMES)
        return self._stream(corpus_key, settings, lambda: iter_training(N, settings, chunk))

    def stream_literal(self, corpus_key: str, xs: torch.Tensor, ys: torch.Tensor, vocab_size: int,
                       settings: TrainingSettings) -> Iterator[TrainingResult]:
        """The same for the article's literal loop: slow, so all the more worth computing once."""
        step = literal_step(xs, ys, vocab_size, settings.reg)
        return self._stream("literal:" + corpus_key, settings,
                            lambda: iterate(step, vocab_size, settings, chunk=1))

    def _stream(self, corpus_key: str, settings: TrainingSettings,
                make_snapshots: Callable[[], Iterator[TrainingResult]]) -> Iterator[TrainingResult]:
        key = (corpus_key, settings)
        with self._lock:
            result = self._done.get(key)
            run = self._running.get(key)
            if result is not None or run is not None:
                self.hits += 1
                if result is not None:
                    self._done.move_to_end(key)
            else:
                snapshots = make_snapshots()  # validates its input here, in the caller's thread
                run = self._running[key] = _Run()
                self.computations += 1
                threading.Thread(target=self._compute, args=(key, run, snapshots),
                                 name="bigram-training", daemon=True).start()
        if result is not None:
            return iter((result,))
        return run.watch()

    def get(self, corpus_key: str, N: torch.Tensor, settings: TrainingSettings) -> TrainingResult:
        """The finished result, waiting for (or starting) its computation."""
        return _last(self.stream(corpus_key, N, settings))

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
                _, dropped = self._done.popitem(last=False)
                self.bytes -= dropped.nbytes
            del self._running[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._done)

    def clear(self) -> None:
        """Forget finished results and reset the counters (runs in progress still finish)."""
        with self._lock:
            self._done.clear()
            self.bytes = 0
            self.computations = self.hits = 0


CACHE = TrainingCache()
# The runs a page computes for itself, not at a visitor's Train: the article's run that the bigram
# page leads with, and runs on the training names of the held-out split. Kept apart so that a
# visitor's first Train still streams live, and CACHE's counters still count the visitors' runs.
SIDE_CACHE = TrainingCache(max_bytes=4 * 2**20)


def cached_training(corpus_key: str, N: torch.Tensor, settings: TrainingSettings = TrainingSettings()) -> TrainingResult:
    """train_fast(N, settings), computed once per process for each corpus fingerprint and settings."""
    return CACHE.get(corpus_key, N, settings)


def stream_training(corpus_key: str, N: torch.Tensor,
                    settings: TrainingSettings = TrainingSettings()) -> Iterator[TrainingResult]:
    """Live snapshots of cached_training's run, for drawing the loss curve as it falls."""
    return CACHE.stream(corpus_key, N, settings)


# --- what a run did, in one word ---------------------------------------------------------------

NEAR_FLOOR = 0.02   # nats: a data NLL this close to the counting NLL has found the counted table


@dataclass(frozen=True)
class Verdict:
    """What a run did, computed from its losses and the counting model's NLL (the floor).

    kind: "diverged" (a loss became infinite or NaN; the run stopped there), "rose" (the last
    loss is above the first: the step is too large for this corpus), "near_floor" (came down
    to within NEAR_FLOOR of the floor) or "above_floor" (came down, still further above it)."""
    kind: str
    first: float            # the loss before the first step
    last: float             # the loss of the last finite weights
    gap: float              # the last data NLL minus the counting NLL (≥ 0 up to float rounding)
    steps: int              # steps run with a finite loss
    diverged_at: int | None


def verdict(result: TrainingResult, counting_nll: float) -> Verdict | None:
    """The verdict on `result`; None before its first step."""
    if not len(result.losses):
        return None
    first, last = float(result.losses[0]), float(result.losses[-1])
    gap = float(result.data_nll[-1]) - counting_nll
    if result.diverged_at is not None:
        kind = "diverged"
    elif last > first:
        kind = "rose"
    elif gap <= NEAR_FLOOR:
        kind = "near_floor"
    else:
        kind = "above_floor"
    return Verdict(kind, first, last, gap, result.steps_done, result.diverged_at)
