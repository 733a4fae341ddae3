"""Negative log likelihood: the curve -ln p, densities above 1, the NLL of the same data in
other units, and NLL as cross-entropy."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from core import normal


def neg_log(p):
    """-ln p for p in (0, 1]: 0 at certainty, growing without bound as p → 0."""
    arr = np.asarray(p, dtype=float)
    if not np.all((arr > 0) & (arr <= 1)):  # written so that NaN fails too
        raise ValueError("a probability must lie in (0, 1]")
    return -np.log(arr) + 0.0  # + 0.0 turns -0.0 (at p = 1) into 0.0, so it never prints as -0.0000


def neg_log_likelihood(data, mu: float, sigma: float) -> float:
    """-log L(μ, σ | x) = -Σ log p(xᵢ | μ, σ): the loss that gradient descent lowers."""
    return -normal.log_likelihood(data, mu, sigma)


# The σ at which the peak of a normal density is exactly 1: 1/√(2π).
SIGMA_PEAK_ONE = 1.0 / math.sqrt(2.0 * math.pi)


def nll_at_mle(data) -> float:
    """The lowest NLL any normal reaches on `data`: -Σ ln p(xᵢ | x̄, σ̂)."""
    est = normal.mle(data)
    return neg_log_likelihood(data, est.mu, est.sigma)


@dataclass(frozen=True)
class NarrowNormal:
    """One observation sitting at the mean of N(μ, σ²): its density, log-likelihood and NLL."""
    sigma: float
    peak_density: float
    log_likelihood: float
    nll: float

    @property
    def nll_negative(self) -> bool:
        return self.nll < 0


def point_at_mean(sigma: float, mu: float = 0.0) -> NarrowNormal:
    """An observation at the mean of N(μ, σ²): negative NLL whenever σ < SIGMA_PEAK_ONE."""
    ll = normal.log_likelihood([mu], mu, sigma)
    return NarrowNormal(float(sigma), normal.peak_density(sigma), ll, -ll)


@dataclass(frozen=True)
class OtherUnits:
    """The same data written in a unit `factor` times larger (every xᵢ divided by `factor`)."""
    n: int
    factor: float
    nll: float              # at the MLE, in the original units
    nll_rescaled: float     # at the MLE, with every xᵢ divided by factor

    @property
    def log_factor(self) -> float:
        return math.log(self.factor)

    @property
    def shift(self) -> float:
        """nll - nll_rescaled = n ln(factor): each density is `factor` times taller."""
        return self.nll - self.nll_rescaled


def other_units(data, factor: float = 100.0) -> OtherUnits:
    """The NLL at the MLE before and after dividing every observation by `factor`."""
    if not (math.isfinite(factor) and factor > 0):
        raise ValueError(f"the factor must be a positive number, got {factor}")
    values = [float(x) for x in data]
    return OtherUnits(len(values), float(factor), nll_at_mle(values), nll_at_mle([x / factor for x in values]))


@dataclass(frozen=True)
class CrossEntropyCheck:
    logits: torch.Tensor
    targets: torch.Tensor
    by_hand: float          # -mean log softmax(logits)[target], written out
    cross_entropy: float    # torch.nn.functional.cross_entropy


def cross_entropy_gap(check: CrossEntropyCheck) -> float:
    """|hand-written NLL - F.cross_entropy|: zero up to float32 rounding."""
    return abs(check.by_hand - check.cross_entropy)


def cross_entropy_check(rows: int = 5, classes: int = 27, seed: int = 2147483647) -> CrossEntropyCheck:
    """The NLL of softmax probabilities, by hand as in the article's loop, against F.cross_entropy."""
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn((rows, classes), generator=g)
    targets = torch.randint(0, classes, (rows,), generator=g)
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    by_hand = -probs[torch.arange(rows), targets].log().mean()
    return CrossEntropyCheck(logits, targets, by_hand.item(), F.cross_entropy(logits, targets).item())
