"""Chapter 8's neural rung: a small multilayer perceptron in the style of makemore's MLP.

Each of the last `block` symbols (within the name, '.'-padded: core.ngram.windows) is looked up
in a table of learned embeddings C; the embeddings side by side go through one hidden layer of
tanh units, and a last layer gives a logit for every symbol of the alphabet. The loss is the
average NLL of the next symbols, F.cross_entropy of the logits, and the weights follow its
gradient over minibatches of the training names, with the step size cut tenfold for the last
part of the run. Its settings are fixed: a server trains it once (core.shared_run).

`train` yields snapshots as it goes (the shared live curve), each with the minibatch losses so
far and the validation NLL at each snapshot, the last one also with the NLL on every part.
The datasets stay compact: contexts as one byte a symbol (uint8), made into indices a minibatch
at a time. Time is counted in CPU seconds of the training thread (time.thread_time), the figure
a shared machine does not inflate.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from core.memory import give_back_memory
from core.ngram import Texts, draw_names, windows

LECTURE_SEED = 2147483647
EVAL_ROWS = 2048              # rows per forward pass when a part is scored: a few MB of temporaries


@dataclass(frozen=True)
class MLPSettings:
    block: int = 3            # symbols of context
    embedding: int = 10       # numbers per symbol
    hidden: int = 200         # tanh units
    steps: int = 30_000
    batch: int = 32
    lr: float = 0.1
    late_lr: float = 0.01     # the step size from `decay_at` of the run on
    decay_at: float = 0.75
    seed: int = LECTURE_SEED

    def __post_init__(self):
        for name in ("block", "embedding", "hidden", "steps", "batch"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 1):
                raise ValueError(f"{name} must be a whole number ≥ 1, got {value}")
        if not (math.isfinite(self.lr) and self.lr > 0 and math.isfinite(self.late_lr) and self.late_lr > 0):
            raise ValueError("the step sizes must be finite numbers > 0")
        if not 0 <= self.decay_at <= 1:
            raise ValueError(f"decay_at must be a fraction of the run, got {self.decay_at}")

    def lr_at(self, step: int) -> float:
        return self.lr if step < self.decay_at * self.steps else self.late_lr

    def parameters(self, size: int) -> int:
        """How many numbers the network learns over an alphabet of `size` symbols."""
        return size * self.embedding + (self.block * self.embedding + 1) * self.hidden + (self.hidden + 1) * size


# --- the network ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Weights:
    """C (A x embedding), W1 (block·embedding x hidden), b1, W2 (hidden x A), b2: read-only by
    convention, one set is handed to many sessions."""
    C: torch.Tensor
    W1: torch.Tensor
    b1: torch.Tensor
    W2: torch.Tensor
    b2: torch.Tensor

    @property
    def tensors(self) -> tuple[torch.Tensor, ...]:
        return self.C, self.W1, self.b1, self.W2, self.b2

    @property
    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in self.tensors)


def initial_weights(size: int, settings: MLPSettings) -> Weights:
    """Seeded weights, scaled so that training starts near a uniform guess: tanh's gain 5/3 over
    √fan-in for the hidden layer, a last layer near 0 (all logits alike, NLL near ln A)."""
    g = torch.Generator().manual_seed(settings.seed)
    fan_in = settings.block * settings.embedding
    return Weights(torch.randn((size, settings.embedding), generator=g),
                   torch.randn((fan_in, settings.hidden), generator=g) * (5 / 3) / math.sqrt(fan_in),
                   torch.randn(settings.hidden, generator=g) * 0.01,
                   torch.randn((settings.hidden, size), generator=g) * 0.01,
                   torch.zeros(size))


def logits(w: Weights, contexts: torch.Tensor) -> torch.Tensor:
    """The logits for each row of contexts (rows x block symbol indices)."""
    emb = w.C[contexts.long()].reshape(len(contexts), -1)
    return torch.tanh(emb @ w.W1 + w.b1) @ w.W2 + w.b2


def average_nll(w: Weights, contexts: np.ndarray, targets: np.ndarray) -> float:
    """The average NLL of the targets given their contexts, a part at a time of EVAL_ROWS rows."""
    if not len(targets):
        return math.nan
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(targets), EVAL_ROWS):
            x = torch.from_numpy(contexts[start:start + EVAL_ROWS])
            y = torch.from_numpy(targets[start:start + EVAL_ROWS]).long()
            total += F.cross_entropy(logits(w, x), y, reduction="sum").item()
    return total / len(targets)


def next_probabilities(w: Weights, context: tuple[int, ...]) -> torch.Tensor:
    with torch.no_grad():
        return torch.softmax(logits(w, torch.tensor([context])), dim=1)[0]


def sample(w: Weights, alphabet: tuple[str, ...], n: int, seed: int) -> tuple[str, ...]:
    """n names drawn from the network the makemore way (core.ngram.draw_names)."""
    return draw_names(lambda ctx: next_probabilities(w, ctx), w.W1.shape[0] // w.C.shape[1], alphabet, n, seed)


# --- a run ----------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class MLPRun:
    """A snapshot of a training: finished once every step ran (or a loss stopped being finite)."""
    settings: MLPSettings
    size: int                         # the alphabet's
    losses: np.ndarray                # each step's minibatch loss, float32, read-only
    checked_at: np.ndarray            # the steps after which the validation NLL was computed
    validation: np.ndarray            # the validation NLL there
    weights: Weights
    steps_done: int
    diverged_at: int | None
    cpu: float                        # CPU seconds of the training thread so far
    final: dict[str, float] | None = field(default=None)   # NLL on each part, at the end

    @property
    def finished(self) -> bool:
        return self.final is not None

    @property
    def nbytes(self) -> int:
        return self.losses.nbytes + self.checked_at.nbytes + self.validation.nbytes + self.weights.nbytes + 1_000


@dataclass(frozen=True, eq=False)
class Dataset:
    """A part's (context, next symbol) rows, one byte a symbol."""
    contexts: np.ndarray
    targets: np.ndarray

    def __len__(self) -> int:
        return len(self.targets)


def dataset(text: np.ndarray, block: int) -> Dataset:
    return Dataset(*windows(text, block))


def train(texts: Texts, settings: MLPSettings = MLPSettings(), snapshots: int = 20) -> Iterator[MLPRun]:
    """Train on the training names; yield about `snapshots` snapshots, the last one finished with
    each part's NLL. Minibatches are drawn with the run's own seeded generator."""
    started = time.thread_time()
    size = len(texts.alphabet)
    parts = {name: dataset(text, settings.block) for name, text in texts.parts.items()}
    train_x = torch.from_numpy(parts["training"].contexts)
    train_y = torch.from_numpy(parts["training"].targets)
    if not len(train_y):
        raise ValueError("no training names to learn from")
    w = initial_weights(size, settings)
    params = [t.requires_grad_() for t in w.tensors]
    g = torch.Generator().manual_seed(settings.seed + 1)
    losses = np.empty(settings.steps, dtype=np.float32)
    checked_at, validation = [], []
    every = max(1, settings.steps // snapshots)
    step, diverged_at = 0, None
    while step < settings.steps and diverged_at is None:
        for step in range(step, min(step + every, settings.steps)):
            ix = torch.randint(0, len(train_y), (settings.batch,), generator=g)
            loss = F.cross_entropy(logits(w, train_x[ix]), train_y[ix].long())
            if not math.isfinite(loss.item()):
                diverged_at = step
                break
            for p in params:
                p.grad = None
            loss.backward()
            lr = settings.lr_at(step)
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
            losses[step] = loss.item()
        else:
            step += 1
        done = diverged_at if diverged_at is not None else step
        shown = _frozen_weights(w)
        checked_at.append(done)
        validation.append(average_nll(shown, parts["validation"].contexts, parts["validation"].targets))
        last = done == settings.steps or diverged_at is not None
        final = None
        if last:
            final = {name: average_nll(shown, part.contexts, part.targets) for name, part in parts.items()}
            give_back_memory()   # the scoring's temporaries, freed, would stay in glibc's heap
        yield MLPRun(settings, size, _read_only(losses[:done].copy()), _read_only(np.array(checked_at)),
                     _read_only(np.array(validation)), shown, done, diverged_at, time.thread_time() - started, final)


def _frozen_weights(w: Weights) -> Weights:
    return Weights(*(t.detach().clone() for t in w.tensors))


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# --- the page's networks, trained one after another in one run -----------------------------------

# makemore's network (3 symbols of context), and one that sees further and trains longer: what a
# network needs to pull ahead of counting, which runs out of names beyond 3 symbols (core.ngram).
NETWORKS = (MLPSettings(block=3, steps=30_000, batch=32), MLPSettings(block=8, steps=60_000, batch=64))


@dataclass(frozen=True, eq=False)
class Networks:
    """A snapshot of training `settings` in turn: the runs so far, the last one perhaps going on."""
    settings: tuple[MLPSettings, ...]
    runs: tuple[MLPRun, ...]

    @property
    def finished(self) -> bool:
        return len(self.runs) == len(self.settings) and self.runs[-1].finished

    @property
    def done(self) -> tuple[MLPRun, ...]:
        return tuple(run for run in self.runs if run.finished)

    @property
    def steps_done(self) -> int:
        return sum(run.steps_done for run in self.runs)

    @property
    def steps(self) -> int:
        return sum(s.steps for s in self.settings)

    @property
    def cpu(self) -> float:
        return sum(run.cpu for run in self.runs)

    @property
    def nbytes(self) -> int:
        return sum(run.nbytes for run in self.runs) + 500


def train_networks(texts: Texts, settings: tuple[MLPSettings, ...] = NETWORKS,
                   snapshots: int = 20) -> Iterator[Networks]:
    """Each network of `settings` trained in turn (`train`), as snapshots of them all."""
    done: tuple[MLPRun, ...] = ()
    for s in settings:
        for run in train(texts, s, snapshots):
            yield Networks(settings, (*done, run))
        done = (*done, run)
