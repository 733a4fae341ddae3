"""Names the model never saw: a seeded train / held-out split and the NLL on each side.

A table fitted to the training names can only reward memorising them; the NLL of names held
out of the fit says how well the model generalises. Everything here works on V x V count
matrices (N[i, j] = how often symbol j follows symbol i), so a split costs two small tables.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from core.bigram import average_nll, probabilities
from core.corpus import HELD_OUT_SHARE, SPLIT_SEED, held_out_mask
from core.training import TrainingResult, trained_probabilities


def split(names: Sequence[str], share: float = HELD_OUT_SHARE, seed: int = SPLIT_SEED
          ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(training, held out): a seeded random `share` of the names held out, the order kept.
    With two or more names, each side gets at least one."""
    held = held_out_mask(len(names), share, seed)   # the split every Corpus counts when it is made
    return (tuple(name for name, h in zip(names, held) if not h),
            tuple(name for name, h in zip(names, held) if h))


def perplexity(nll: float) -> float:
    """e^NLL: the number of equally likely characters that would be as uncertain."""
    return math.exp(nll) if nll < 700 else math.inf


def bits_per_character(nll: float) -> float:
    """The NLL in bits (log base 2) instead of nats."""
    return nll / math.log(2)


def unseen_pairs(N_train: torch.Tensor, N_held: torch.Tensor) -> int:
    """How many different pairs of the held-out names never occur in the training names."""
    return int(((N_held > 0) & (N_train == 0)).sum().item())


@dataclass(frozen=True)
class SmoothingCurve:
    ks: np.ndarray            # the smoothing constants tried
    train: np.ndarray         # training NLL at each k
    held_out: np.ndarray      # held-out NLL at each k (inf where a held-out pair has P = 0)

    @property
    def best_k(self) -> float:
        """The k with the lowest held-out NLL."""
        return float(self.ks[int(np.argmin(self.held_out))])

    @property
    def best_held_out(self) -> float:
        return float(np.min(self.held_out))


def smoothing_curve(N_train: torch.Tensor, N_held: torch.Tensor, ks: Sequence[float]) -> SmoothingCurve:
    """The counting model fitted to N_train with add-k smoothing, scored on both sides, for each k."""
    ks = np.asarray(ks, dtype=float)
    train, held = [], []
    for k in ks:
        P = probabilities(N_train, float(k))
        train.append(average_nll(N_train, P))
        held.append(average_nll(N_held, P))
    return SmoothingCurve(ks, np.array(train), np.array(held))


def default_ks() -> np.ndarray:
    """0, then a log-spaced grid from 0.001 to 100: the held-out optimum of add-k is usually well
    below 1 for a large corpus and grows as the corpus shrinks."""
    return np.concatenate([[0.0], np.logspace(-3, 2, 61)])


# --- the network on both sides of the split ---------------------------------------------------

PENALTIES = (0.0, 0.01, 0.1, 1.0)   # the penalties λ the page compares, besides the visitor's own


def network_nll(W: torch.Tensor, N: torch.Tensor) -> float:
    """The average NLL of the bigrams counted in N under the network's table softmax(W)."""
    return average_nll(N, trained_probabilities(W).double())


def penalties_to_compare(reg: float) -> tuple[float, ...]:
    """PENALTIES and the visitor's λ, in increasing order, each once."""
    return tuple(sorted({*PENALTIES, reg}))


def penalty_table(fits: Mapping[float, TrainingResult], N_train: torch.Tensor, N_held: torch.Tensor
                  ) -> pd.DataFrame:
    """One row per λ: the network trained on N_train with that penalty, scored on both sides."""
    return pd.DataFrame([{"λ": reg, "training NLL": network_nll(fit.W, N_train),
                          "held-out NLL": network_nll(fit.W, N_held), "diverged": fit.diverged_at is not None}
                         for reg, fit in fits.items()])


@dataclass(frozen=True)
class BestPenalty:
    held_out: float          # the λ with the lowest held-out NLL
    held_out_nll: float      # that NLL
    train: float             # the λ with the lowest training NLL


def best_penalty(table: pd.DataFrame) -> BestPenalty | None:
    """The best λ on each side among the trainings that did not diverge; None if all diverged."""
    finite = table[~table["diverged"]]
    if not len(finite):
        return None
    low = finite.loc[finite["held-out NLL"].idxmin()]
    return BestPenalty(float(low["λ"]), float(low["held-out NLL"]),
                       float(finite.loc[finite["training NLL"].idxmin(), "λ"]))
