"""Names the model never saw: models fitted to the training names of a corpus's split
(core/split.py), a setting chosen on the validation names, the model chosen scored on the test names.

The models' vocabulary is the training names' own: '.' and the characters they use. A validation
or test name with any other character cannot be spelled by such a model, so it is left out of the
scores, and counted. Past the split, everything here works on count matrices over that vocabulary
(N[i, j] = how often symbol j follows symbol i), so a score costs a small table, not a pass over
the names.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from core.bigram import average_nll, probabilities
from core.corpus import Corpus
from core.split import Part
from core.training import TrainingResult, trained_probabilities


# --- an NLL in other units ------------------------------------------------------------------------

def perplexity(nll: float) -> float:
    """e^NLL: the number of equally likely symbols that would be as uncertain."""
    return math.exp(nll) if nll < 700 else math.inf


def bits_per_symbol(nll: float) -> float:
    """The NLL in bits (log base 2) instead of nats, per symbol: per character, and per name's
    end marker '.', which is predicted too."""
    return nll / math.log(2)


def against_uniform(nll: float, vocab_size: int) -> str:
    """How an average NLL compares with a uniform guess among vocab_size symbols (NLL ln V,
    perplexity V): "infinite" (a symbol had probability 0), "worse" (perplexity above V),
    "uniform" (equal, to 1e-9 nats), or "better"."""
    if math.isinf(nll):
        return "infinite"
    gap = nll - math.log(vocab_size)
    return "worse" if gap > 1e-9 else "uniform" if gap >= -1e-9 else "better"


# --- the split, over the training names' vocabulary ----------------------------------------------

@dataclass(frozen=True, eq=False)
class Scored:
    """A part's names that the training vocabulary can spell, as counts over that vocabulary."""
    counts: torch.Tensor     # A x A int64
    n_names: int             # names scored
    left_out: int            # names with a character the training names never use


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The split of one corpus, ready to score: the training vocabulary, each part's counts over it,
    and the counting model's NLL on the training and validation names for each k of KS."""
    fingerprint: str                 # the corpus's
    alphabet: tuple[str, ...]        # '.' and the characters of the training names
    sizes: tuple[int, int, int]      # training, validation and test names
    scorable: bool                   # core.split.Split.scorable
    unspelled: tuple[str, ...]       # characters of validation or test names that training never uses
    unseen: int                      # different pairs of the validation names never in the training names
    training: Scored
    validation: Scored
    test: Scored
    curve: SmoothingCurve


def evaluate(corpus: Corpus) -> Evaluation:
    """The corpus's split ready to score (one pass over the validation and test names, and the
    counting model for each k of KS)."""
    split = corpus.split
    used = split.training.counts.any(0) | split.training.counts.any(1)
    used[0] = True
    keep = np.flatnonzero(used)
    elsewhere = sum(p.counts for p in (split.validation, split.test))
    unspelled = tuple(corpus.itos[j] for j in np.flatnonzero(~used & (elsewhere.any(0) | elsewhere.any(1))))
    training, validation, test = (_scored(part, used, keep) for part in split.parts)
    return Evaluation(corpus.fingerprint, tuple(corpus.itos[j] for j in keep), split.sizes, split.scorable,
                      unspelled, unseen_pairs(training.counts, validation.counts), training, validation, test,
                      smoothing_curve(training.counts, validation.counts, KS))


def _scored(part: Part, used: np.ndarray, keep: np.ndarray) -> Scored:
    """The part's names spelled with the symbols marked `used` alone, counted over them."""
    square = np.ix_(keep, keep)
    if not (part.counts[~used].any() or part.counts[:, ~used].any()):   # every name can be spelled
        return Scored(torch.from_numpy(part.counts[square].copy()), part.n_names, 0)
    text, v = part.text, len(used)
    name_of = np.cumsum(text[:-1] == 0) - 1              # the name each symbol but the last belongs to
    unspellable = np.zeros(part.n_names, dtype=bool)
    unspellable[name_of[~used[text[:-1]]]] = True
    spelled = ~unspellable[name_of]
    pairs = text[:-1][spelled].astype(np.int64) * v + text[1:][spelled]
    counts = np.bincount(pairs, minlength=v * v).reshape(v, v)
    left_out = int(unspellable.sum())
    return Scored(torch.from_numpy(counts[square].copy()), part.n_names - left_out, left_out)


def unseen_pairs(N_train: torch.Tensor, N_other: torch.Tensor) -> int:
    """How many different pairs of the other names never occur in the training names."""
    return int(((N_other > 0) & (N_train == 0)).sum().item())


# --- the counting model: k chosen on validation --------------------------------------------------

KS = tuple(np.concatenate([[0.0], np.logspace(-3, 2, 61)]).tolist())
"""0, then a log-spaced grid from 0.001 to 100: the best add-k on unseen names is usually well
below 1 for a large corpus and grows as the corpus shrinks."""


@dataclass(frozen=True, eq=False)
class SmoothingCurve:
    ks: np.ndarray            # the smoothing constants tried, increasing
    train: np.ndarray         # training NLL at each k
    validation: np.ndarray    # validation NLL at each k (inf where a validation pair has P = 0)


def smoothing_curve(N_train: torch.Tensor, N_val: torch.Tensor, ks: Sequence[float]) -> SmoothingCurve:
    """The counting model fitted to N_train with add-k smoothing, scored on both, for each k."""
    ks = np.asarray(ks, dtype=float)
    train, val = [], []
    for k in ks:
        P = probabilities(N_train, float(k))
        train.append(average_nll(N_train, P))
        val.append(average_nll(N_val, P))
    return SmoothingCurve(ks, np.array(train), np.array(val))


@dataclass(frozen=True)
class KChoice:
    """The k with the lowest validation NLL. kind: "zero" (k = 0: smoothing does not help on
    these names), "inside" (a k inside the range tried, where the curve turns), "top" (the
    largest k tried: the validation NLL is still falling there, a larger k may do better)."""
    kind: str
    k: float
    validation_nll: float
    test_nll: float           # the counting model with this k, on the test names


def lowest(ks: np.ndarray, validation: np.ndarray) -> tuple[int, str]:
    """Where the validation NLL over increasing ks is lowest (the first of equal minima: the least
    smoothing), and KChoice's kind for it."""
    best = int(np.argmin(validation))
    return best, "zero" if ks[best] == 0 else "top" if best == len(ks) - 1 else "inside"


def choose_k(evaluation: Evaluation) -> KChoice:
    """k chosen on the validation names, and the test NLL of the model it gives."""
    curve = evaluation.curve
    best, kind = lowest(curve.ks, curve.validation)
    k = float(curve.ks[best])
    return KChoice(kind, k, float(curve.validation[best]), counting_nll(evaluation, k, "test"))


def counting_nll(evaluation: Evaluation, k: float, part: str) -> float:
    """The NLL on a part's names of the counting model fitted to the training names with add-k's k."""
    return average_nll(getattr(evaluation, part).counts, probabilities(evaluation.training.counts, k))


# --- the network: λ chosen on validation ----------------------------------------------------------

PENALTIES = (0.0, 0.01, 0.1, 1.0)   # the penalties λ the page compares, besides the visitor's own


def network_nll(W: torch.Tensor, N: torch.Tensor) -> float:
    """The average NLL of the bigrams counted in N under the network's table softmax(W)."""
    return average_nll(N, trained_probabilities(W).double())


def penalties_to_compare(reg: float) -> tuple[float, ...]:
    """PENALTIES and the visitor's λ, in increasing order, each once."""
    return tuple(sorted({*PENALTIES, reg}))


def penalty_table(fits: Mapping[float, TrainingResult], evaluation: Evaluation) -> pd.DataFrame:
    """One row per λ: the network trained on the training names with that penalty, its NLL on the
    training and validation names, and the step it stopped at if its loss became non-finite."""
    return pd.DataFrame([{"λ": reg, "training NLL": network_nll(fit.W, evaluation.training.counts),
                          "validation NLL": network_nll(fit.W, evaluation.validation.counts),
                          "stopped at step": fit.diverged_at}
                         for reg, fit in fits.items()])


@dataclass(frozen=True)
class PenaltyChoice:
    """The λ with the lowest validation NLL among the runs that can be chosen: those that ran to
    the end with a finite validation NLL. kind: "chosen", or "none" when no run can be, because
    `diverged` runs stopped at non-finite values and `impossible` ones give a validation pair
    probability 0 (reg and the NLLs are then None)."""
    kind: str
    reg: float | None
    validation_nll: float | None
    test_nll: float | None       # the chosen network's NLL on the test names
    diverged: int
    impossible: int


def choose_penalty(fits: Mapping[float, TrainingResult], evaluation: Evaluation) -> PenaltyChoice:
    """λ chosen on the validation names (the least λ of equal NLLs), and the test NLL of its network."""
    table = penalty_table(fits, evaluation)
    diverged = table["stopped at step"].notna()
    finite = np.isfinite(table["validation NLL"].to_numpy(dtype=float))
    n_diverged, n_impossible = int(diverged.sum()), int((~diverged & ~finite).sum())
    candidates = table[~diverged & finite]
    if not len(candidates):
        return PenaltyChoice("none", None, None, None, n_diverged, n_impossible)
    best = candidates.loc[candidates["validation NLL"].idxmin()]
    reg = float(best["λ"])
    return PenaltyChoice("chosen", reg, float(best["validation NLL"]),
                         network_nll(fits[reg].W, evaluation.test.counts), n_diverged, n_impossible)
