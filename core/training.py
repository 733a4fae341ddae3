"""The article's neural bigram model: one linear layer W, softmax, gradient descent on the NLL.

Read top to bottom: the settings and what a run returns; the article's loop as the pages show
it; the two steps that compute one loss and its gradient; the loop that repeats a step; how the
two loops compare (what a run did is core.training_verdict's). Everything here is pure: no
threads, no caches (core.shared_run shares one run among many sessions).

Two steps of the same loss, both in float32:
- `literal_step` is the article's code: one-hot encode every bigram of the corpus, autograd.
- `fast_step` uses that the loss depends on the data only through the V x V counts N
  (a sufficient statistic): data NLL = -sum(N * log_softmax(W)) / N.sum(), with its gradient
  written out. Same losses, same W, hundreds of times faster. The dashboard runs it as
  `descend_counts`: the same loop in fewer torch calls (see there why that matters on a server).

Step k records the loss of the weights *before* update k, as the article's loop prints it.
A non-finite loss stops training (never raises): `diverged_at` says at which step, no NaN
enters `losses`, and W is the last weights whose loss was finite. The literal step
exponentiates logits as the article does, so at absurd learning rates it overflows to NaN
some steps earlier than the fast one, whose log_softmax does not overflow.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from core.corpus import PAIRS_MAX_CELLS
from core.formatting import about_count, count, exact, sig

ARTICLE_SEED = 2147483647
MAX_STEPS = 10_000   # bounds the time and the memory (losses per step) of one run
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


# eq=False: W is a tensor, so results compare by identity (a shared run hands out one object).
@dataclass(frozen=True, eq=False)
class TrainingResult:
    settings: TrainingSettings
    # float32 arrays, read-only: each step's loss is a float32 number, so nothing is lost, and a
    # result of 10,000 steps costs 80 kB (tuples of Python floats cost 0.6 MB).
    losses: np.ndarray            # total loss (data NLL + regularisation) per step, all finite
    data_nll: np.ndarray          # the data NLL alone, per step
    W: torch.Tensor               # the weights of the last loss (_snapshots); read-only by convention:
                                  # one result is handed to many sessions
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


# --- the article's loop, as the pages show it -------------------------------------------------

def article_loop(vocab_size: int = 27, lr: float = 50.0, reg: float = 0.01, steps: int = 1000) -> str:
    """The article's training loop as code to read, with these settings written in; the numbered
    comments mark its three steps. `literal_step` below is its body as a function, and
    tests/test_training.py runs this text and checks that both give the same losses."""
    return f"""# gradient descent
for k in range({steps}):
    # forward pass
    xenc = F.one_hot(xs, num_classes={vocab_size}).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    # 1. Negative Log Likelihood Conversion
    loss = -probs[torch.arange(num), ys].log().mean() + {exact(reg)}*(W**2).mean()
    print(loss.item())

    # backward pass
    W.grad = None
    # 2. Derivation of NLL with respect to W
    loss.backward()

    # update
    # 3. Gradient Descent
    W.data += -{exact(lr)} * W.grad"""


# --- one step: the loss and its gradient at W -------------------------------------------------

# A step function returns (loss, data NLL, gradient) at W, without changing W.
StepFn = Callable[[torch.Tensor], tuple[float, float, torch.Tensor]]


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


def _shares(N: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each bigram's share of the data, and each row's: what both counts-only loops use of N."""
    if N.dim() != 2 or N.shape[0] != N.shape[1]:
        raise ValueError(f"counts must be a square V x V matrix, got shape {tuple(N.shape)}")
    if (N < 0).any() or N.sum() <= 0:
        raise ValueError("counts must be ≥ 0 with a positive total")
    weights = N.float() / N.sum().item()
    return weights, weights.sum(1, keepdim=True)


def fast_step(N: torch.Tensor, reg: float) -> StepFn:
    """The same loss from the counts alone, with the gradient in closed form (no autograd)."""
    weights, row_share = _shares(N)
    reg_scale = 2 * reg / N.numel()                   # d/dW of reg * mean(W**2)

    def step(W: torch.Tensor) -> tuple[float, float, torch.Tensor]:
        log_p = torch.log_softmax(W, dim=1)
        data_nll = -(weights * log_p).sum()
        loss = data_nll + reg * (W * W).mean()
        grad = log_p.exp() * row_share - weights + reg_scale * W
        return loss.item(), data_nll.item(), grad

    return step


# --- the loop ---------------------------------------------------------------------------------

def initial_weights(vocab_size: int, seed: int = ARTICLE_SEED) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn((vocab_size, vocab_size), generator=g)


def descend(step: StepFn, vocab_size: int, settings: TrainingSettings,
            every: int | None = None) -> Iterator[TrainingResult]:
    """Gradient descent from the seeded weights: W -= lr * gradient, settings.steps times.
    Yields a snapshot every `every` steps (by default only at the end); the last one is finished.
    The caller may stop iterating at any time."""
    def stretch(W: torch.Tensor, n: int) -> tuple[list[float], list[float], list[torch.Tensor]]:
        losses, nlls, visited = [], [], [W]
        for _ in range(n):
            loss, nll, grad = step(W)
            losses.append(loss)
            nlls.append(nll)
            if not math.isfinite(loss):
                break
            W = W - settings.lr * grad
            visited.append(W)
        return losses, nlls, visited

    return _snapshots(stretch, vocab_size, settings, every)


def descend_counts(N: torch.Tensor, settings: TrainingSettings, every: int | None = None
                   ) -> Iterator[TrainingResult]:
    """descend(fast_step(N, settings.reg), ...) in fewer torch calls; what the dashboard trains with.

    A step is three calls: the softmax, then W - lr * gradient as two fused updates,
    W * (1 - lr * 2λ/V²) + lr * N/n, then minus lr * softmax(W) * (row sums of N/n). The losses of
    a stretch of steps are computed together at its end. Why: each torch call lets another thread
    take Python's lock (the GIL) and then waits for it back. On a server busy with a class,
    fast_step's fifteen calls a step spent far longer waiting than computing: the article's run
    took 2.0 s for 0.12 s of its own CPU while a class arrived at once (README, "What moved these
    figures"). The same run to float32 rounding where it settles (lr up to about 100 on the default
    corpus); where it oscillates, rounding grows with the steps, as between any two float32 loops.
    Bad counts raise here, before the first snapshot is asked for."""
    weights, row_share = _shares(N)
    keep = 1 - settings.lr * 2 * settings.reg / N.numel()   # what the penalty's gradient leaves of W
    pull = settings.lr * weights

    def stretch(W: torch.Tensor, n: int) -> tuple[list[float], list[float], list[torch.Tensor]]:
        visited = [W]
        for _ in range(n):
            W = torch.addcmul(torch.add(pull, W, alpha=keep), torch.softmax(W, dim=1), row_share,
                              value=-settings.lr)
            visited.append(W)
        stack = torch.stack(visited[:-1])
        data_nll = -(weights * torch.log_softmax(stack, dim=2)).sum((1, 2))
        loss = data_nll + settings.reg * (stack * stack).mean((1, 2))
        return loss.tolist(), data_nll.tolist(), visited

    return _snapshots(stretch, N.shape[0], settings, every)


# A stretch takes up to n steps from W: the losses and data NLLs of the steps taken, and the weights
# of each of them followed by the weights after the last. It may stop after a non-finite loss.
Stretch = Callable[[torch.Tensor, int], tuple[list[float], list[float], list[torch.Tensor]]]


def _snapshots(stretch: Stretch, vocab_size: int, settings: TrainingSettings,
               every: int | None) -> Iterator[TrainingResult]:
    """The loop both descents share: stretches of `every` steps, a snapshot after each. A non-finite
    loss stops it. A snapshot's W is the last weights whose loss it measured (finite): the ones its
    last loss and data NLL describe, so that every figure the page shows of a run is of one W. The
    update after that measurement, the loop's last (the article's too), is not measured, so not kept."""
    every = settings.steps if every is None else every
    if every < 1:
        raise ValueError("every must be ≥ 1")
    W = last_kept = initial_weights(vocab_size, settings.seed)
    losses: list[float] = []
    nlls: list[float] = []
    diverged_at = None
    elapsed = 0.0
    while len(losses) < settings.steps and diverged_at is None:
        start = time.perf_counter()
        loss, nll, visited = stretch(W, min(every, settings.steps - len(losses)))
        bad = next((i for i, value in enumerate(loss) if not math.isfinite(value)), None)
        if bad is None:
            W, last_kept = visited[-1], visited[-2]   # the next stretch starts from W
        else:
            diverged_at = len(losses) + bad
            last_kept = visited[bad - 1] if bad else last_kept
        losses += loss[:bad]
        nlls += nll[:bad]
        elapsed += time.perf_counter() - start
        yield TrainingResult(settings, _frozen(losses), _frozen(nlls), last_kept.clone(), len(losses), diverged_at,
                             elapsed)


def _frozen(values: list[float]) -> np.ndarray:
    array = np.array(values, dtype=np.float32)
    array.flags.writeable = False
    return array


def last(snapshots: Iterator[TrainingResult]) -> TrainingResult:
    """The last snapshot: the finished run."""
    for result in snapshots:
        pass
    return result


def train_fast(N: torch.Tensor, settings: TrainingSettings = TrainingSettings()) -> TrainingResult:
    """The whole run from the V x V counts N alone."""
    return last(descend_counts(N, settings))


def train_literal(xs: torch.Tensor, ys: torch.Tensor, vocab_size: int,
                  settings: TrainingSettings = TrainingSettings()) -> TrainingResult:
    """The whole run of the article's loop over every bigram (core.bigram.bigram_pairs); slow, the reference."""
    return last(descend(literal_step(xs, ys, vocab_size, settings.reg), vocab_size, settings))


def literal_fits(n_bigrams: int, vocab_size: int) -> bool:
    """Whether the literal loop's one-hot matrix stays within LITERAL_MAX_CELLS."""
    return n_bigrams * vocab_size <= LITERAL_MAX_CELLS


# --- what a run found -------------------------------------------------------------------------

def agreement(a: TrainingResult, b: TrainingResult) -> tuple[float, float]:
    """(largest |loss difference| over the steps both ran, largest |W difference|)."""
    n = min(len(a.losses), len(b.losses))
    loss_gap = float(np.abs(a.losses[:n].astype(np.float64) - b.losses[:n]).max()) if n else 0.0
    return loss_gap, (a.W - b.W).abs().max().item()


LITERAL_MAX_STEPS = 200   # the literal loop is slow: a check of a few steps, not a training


LOOPS_AGREE = 1e-4   # the two loops' losses and weights closer than this agree to float32 rounding


@dataclass(frozen=True)
class LoopComparison:
    """The article's literal loop beside the counts-only loop, over the same steps."""
    loss_gap: float     # largest |loss difference| over the steps both ran
    w_gap: float        # largest |W difference| at the end
    speedup: float      # how many times faster the counts-only loop computed them
    literal_steps: int  # steps each loop ran with a finite loss
    fast_steps: int
    literal_diverged: bool   # the loop stopped at a non-finite loss
    fast_diverged: bool

    @property
    def stopped(self) -> bool:
        return self.literal_diverged or self.fast_diverged

    @property
    def agree(self) -> bool:
        return (not self.stopped and self.literal_steps == self.fast_steps
                and self.loss_gap <= LOOPS_AGREE and self.w_gap <= LOOPS_AGREE)

    @property
    def sentence(self) -> str:
        """What the comparison shows, in words: agreement only when the figures show it."""
        both = count(min(self.literal_steps, self.fast_steps), "step")
        if self.stopped:
            which = [f"the {name} loop stopped after {count(n, 'step')}" for name, n, d in
                     (("literal", self.literal_steps, self.literal_diverged), ("counts-only", self.fast_steps,
                                                                              self.fast_diverged)) if d]
            return (f"At this learning rate {' and '.join(which)}: a loss became infinite or not a number (the "
                    "article's loop exponentiates the logits, which overflows sooner than the counts-only "
                    f"loop's log-softmax). Over the {both} both ran the losses differ by at most "
                    f"{sig(self.loss_gap, 2)}; their last weights come from different steps, so they are not compared.")
        if self.agree:
            # A run's W is the weights of its last loss (_snapshots): after one update fewer than its steps.
            compared = ("the first loss, at the seed's weights; take two steps or more to compare an update too"
                        if self.literal_steps == 1 else
                        f"the losses, and the weights after {count(self.literal_steps - 1, 'update')}")
            return (f"The counts-only loop was {about_count(self.speedup)} times faster here; both work in 32-bit "
                    f"floats, so over {both} they agree to rounding: {compared}.")
        return (f"Over {both} the two loops differ by up to {sig(self.loss_gap, 2)} in the loss and "
                f"{sig(self.w_gap, 2)} in W: more than float32 rounding explains.")


def compare_loops(literal: TrainingResult, fast: TrainingResult) -> LoopComparison:
    """How closely, and how much faster, the counts-only loop reproduces the literal one."""
    return LoopComparison(*agreement(literal, fast), literal.elapsed / max(fast.elapsed, 1e-9), literal.steps_done,
                          fast.steps_done, literal.diverged_at is not None, fast.diverged_at is not None)


def trained_probabilities(W: torch.Tensor) -> torch.Tensor:
    """The network's P(next | current): softmax of each row of W."""
    return torch.softmax(W, dim=1)


def max_probability_gap(W: torch.Tensor, P: torch.Tensor) -> float:
    """The largest |softmax(W) - P| over all bigrams: how close training came to the counts."""
    return (trained_probabilities(W).double() - P.double()).abs().max().item()
