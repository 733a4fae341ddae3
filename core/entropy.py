"""The bigram page's floor in terms of information: the counted table's NLL is the conditional
entropy of the corpus's bigrams, any other table scores them worse by exactly a KL divergence, and
the baselines a model must beat (a uniform guess, the unigram frequencies) are entropies too.

Everything comes from the V x V counts N (N[a, b] = how often b follows a, '.' included), in
numpy float64: p(a, b) = N[a, b] / n is a bigram's share, p(a) its row's share, and p(b | a) the
counted table with k = 0. A table of probabilities is given by its logits W (row a of the table
is softmax(W)_a), as the network holds it; the logits of a table Q are log Q.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.formatting import sig

AGREE = 1e-9   # two float64 computations of one quantity closer than this share of it agree


def _joint(N) -> np.ndarray:
    """p(a, b): each bigram's share of the counts."""
    counts = np.asarray(N, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square V x V matrix, got shape {counts.shape}")
    if (counts < 0).any() or counts.sum() <= 0:
        raise ValueError("counts must be ≥ 0 with a positive total")
    return counts / counts.sum()


def _log_conditional(joint: np.ndarray) -> np.ndarray:
    """ln p(b | a) where p(a, b) > 0, and 0 elsewhere (those terms carry weight 0)."""
    rows = joint.sum(1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(joint > 0, np.log(joint / rows), 0.0)


def _log_softmax(W) -> np.ndarray:
    """Each row of W as log-probabilities, without overflow (a logit of −∞ is a probability of 0)."""
    W = np.asarray(W, dtype=np.float64)
    top = W.max(1, keepdims=True)
    return W - top - np.log(np.exp(W - top).sum(1, keepdims=True))


def conditional_entropy(N) -> float:
    """H(next | current) = −Σ_ab p(a, b) ln p(b | a), in nats per symbol: the uncertainty about the
    next symbol that knowing the current one leaves, and the counted table's NLL (k = 0)."""
    joint = _joint(N)
    return float(-(joint * _log_conditional(joint)).sum())


def unigram_nll(N) -> float:
    """The NLL of predicting every next symbol by its overall frequency p(b) (its share among the
    second symbols of all bigrams), on the same bigrams: H(next) = −Σ_b p(b) ln p(b)."""
    p = _joint(N).sum(0)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def uniform_nll(vocab_size: int) -> float:
    """The NLL of a uniform guess among vocab_size symbols: ln V, whatever the data."""
    return math.log(vocab_size)


def nll(W, N) -> float:
    """The average NLL of the bigrams counted in N under the table softmax(W): −Σ_ab p(a, b) ln softmax(W)_ab."""
    joint = _joint(N)
    log_q = _log_softmax(W)
    with np.errstate(invalid="ignore"):
        return float(-np.where(joint > 0, joint * log_q, 0.0).sum())


def kl_excess(W, N) -> float:
    """Σ_a p(a) KL(p(· | a) ‖ softmax(W)_a): how much worse than the counted table the table
    softmax(W) scores the bigrams of N, computed row by row as a divergence, not as a difference of
    NLLs. Never negative, and 0 only where every row that occurs equals the counted one."""
    joint = _joint(N)
    log_q = _log_softmax(W)
    with np.errstate(invalid="ignore"):
        return float(np.where(joint > 0, joint * (_log_conditional(joint) - log_q), 0.0).sum())


@dataclass(frozen=True)
class Excess:
    """A table's NLL above the floor, two ways: the difference of two NLLs, and the KL sum."""
    nll: float         # the table's NLL on the counts
    floor: float       # the conditional entropy: the counted table's NLL
    kl: float          # Σ_a p(a) KL(p(· | a) ‖ the table's row a)

    @property
    def difference(self) -> float:
        """NLL − floor."""
        return self.nll - self.floor

    @property
    def apart(self) -> float:
        """How far the two computations of the excess are from each other."""
        return 0.0 if self.difference == self.kl else abs(self.difference - self.kl)

    @property
    def agree(self) -> bool:
        """Whether the two computations give the same number, to float64 rounding."""
        return self.apart <= AGREE * max(1.0, abs(self.nll))


def excess(W, N) -> Excess:
    """The excess over the floor of the table softmax(W) on the counts N."""
    return Excess(nll(W, N), conditional_entropy(N), kl_excess(W, N))


def agreement(e: Excess, table: str = "softmax(W)") -> str:
    """The excess computed both ways, in a sentence that says whether the two agree (Excess.agree)."""
    both = (f"its NLL minus the counting NLL is {sig(e.difference, 6)}, and the sum of its rows' KL divergences, "
            f"Σ_a P(a) KL(P(·|a) ‖ {table}_a), is {sig(e.kl, 6)}")
    if not e.agree:
        apart = f"they differ by {sig(e.apart, 2)}, more than float rounding"
    elif e.apart == 0:
        apart = "the same number to the last bit"
    else:
        apart = f"they differ by {sig(e.apart, 2)}, float rounding"
    return f"Computed both ways for the table {table}, {both}: {apart}."


# --- the baselines a model must beat ---------------------------------------------------------------

@dataclass(frozen=True)
class Rung:
    """One model of the ladder: its name, how it predicts, its NLL on the counts and its excess
    over the floor as a KL sum (0 for the counted table itself)."""
    model: str
    predicts: str
    nll: float
    kl: float


def baselines(N) -> tuple[Rung, Rung, Rung]:
    """The uniform guess, the unigram frequencies and the counted bigram table, each scored on the
    bigrams of N, from the highest NLL to the floor."""
    V = np.asarray(N).shape[0]
    joint = _joint(N)
    with np.errstate(divide="ignore"):
        unigram_logits = np.broadcast_to(np.log(joint.sum(0)), joint.shape)
        counted_logits = np.log(joint / np.maximum(joint.sum(1, keepdims=True), np.finfo(float).tiny))
    # A row that never occurs has no logits to speak of; any finite row serves, it weighs 0.
    counted_logits = np.where(joint.sum(1, keepdims=True) > 0, counted_logits, 0.0)
    return (Rung("uniform", f"each of the {V} symbols equally likely", uniform_nll(V), kl_excess(np.zeros((V, V)), N)),
            Rung("unigram", "each symbol as often as it occurs, whatever came before", unigram_nll(N),
                 kl_excess(unigram_logits, N)),
            Rung("bigram (counted)", "the counted table: each symbol as often as it follows the current one",
                 conditional_entropy(N), kl_excess(counted_logits, N)))
