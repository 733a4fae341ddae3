"""Negative log likelihood: the curve -ln p, densities above 1, the NLL of the same data in
other units, a total against a mean, squared error as an NLL, and NLL as cross-entropy (and why it
takes logits)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from scipy import stats

from core import normal
from core.formatting import adding_up, apart, num, sig


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


# --- A total or a mean ------------------------------------------------------------------------
@dataclass(frozen=True)
class TotalAndMean:
    """The lowest NLL of `data` as a total over its n observations, and as a mean per observation."""
    n: int
    total: float

    @property
    def mean(self) -> float:
        return self.total / self.n


def total_and_mean(data) -> TotalAndMean:
    values = [float(x) for x in data]
    return TotalAndMean(len(values), nll_at_mle(values))


# --- Squared error is the NLL of a normal with σ held -----------------------------------------
#
# -log L(μ | x, σ) = n/2 · ln(2πσ²) + SSE(μ)/(2σ²), with SSE(μ) = Σ(xᵢ - μ)²: with σ held, the NLL is
# the sum of squared errors scaled by 1/(2σ²) and moved up by a constant, so it is lowest wherever
# SSE (and MSE = SSE/n) is lowest: at the mean of the data, whatever σ is held at.

@dataclass(frozen=True)
class SquaredError:
    n: int
    sigma: float            # the σ held
    mu: float               # the μ at which the relation is written out
    mean: float             # x̄: where both curves are lowest
    mus: np.ndarray         # a grid of μ
    mse: np.ndarray         # MSE(μ) = SSE(μ)/n on the grid
    nll: np.ndarray         # -Σ log p(xᵢ | μ, σ) on the grid, from scipy's logpdf
    sse: float              # SSE at mu
    nll_at: float           # -Σ log p(xᵢ | mu, σ), from scipy's logpdf (not from the relation)

    @property
    def constant(self) -> float:
        """n/2 · ln(2πσ²): the part of the NLL that does not depend on μ."""
        return self.n / 2 * math.log(2 * math.pi * self.sigma**2)

    @property
    def scaled_sse(self) -> float:
        """SSE/(2σ²): the part that does."""
        return self.sse / (2 * self.sigma**2)

    @property
    def argmin_mse(self) -> float:
        return float(self.mus[int(np.argmin(self.mse))])

    @property
    def argmin_nll(self) -> float:
        return float(self.mus[int(np.argmin(self.nll))])


def squared_error(data, sigma: float, mu: float, lo: float, hi: float, points: int = 401) -> SquaredError:
    """MSE and the NLL of N(μ, σ²) over a grid of μ from lo to hi, and both at `mu`."""
    if not sigma > 0:
        raise ValueError(f"σ must be positive, got {sigma}")
    x = np.asarray(data, dtype=float)
    mus = np.linspace(lo, hi, points)
    sse = ((x[None, :] - mus[:, None]) ** 2).sum(axis=1)
    nll = -stats.norm.logpdf(x[None, :], mus[:, None], sigma).sum(axis=1)
    return SquaredError(len(x), float(sigma), float(mu), float(x.mean()), mus, sse / len(x), nll,
                        float(((x - mu) ** 2).sum()), -normal.log_likelihood(x, mu, sigma))


def squared_error_summaries(se: SquaredError) -> tuple[str, str]:
    """The sentences under the MSE curve and the NLL curve."""
    span = f"over μ from {num(se.mus[0], '.4g')} to {num(se.mus[-1], '.4g')}"
    at = f"at μ = {num(se.mu, '.4g')}"
    low = f"x̄ = {num(se.mean, '.4f')}"
    (constant, _), total = relation_terms(se)
    return (f"MSE {span} is a parabola, lowest at {low}; {at} it is {num(se.sse / se.n, '.4f')}.",
            f"The NLL of N(μ, {num(se.sigma, '.4g')}²) {span} is the same parabola times "
            f"n/(2σ²) = {num(se.n / (2 * se.sigma**2), '.4g')}, plus n/2 · ln(2πσ²) = {constant}: lowest at "
            f"{low} too; {at} it is {total}.")


def relation_terms(se: SquaredError) -> tuple[list[str], str]:
    """n/2 · ln(2πσ²) and SSE/(2σ²) at se.mu, and the NLL summed from the densities, written so that
    the two terms as shown add up to the NLL as shown."""
    return adding_up([se.constant, se.scaled_sse], se.nll_at)


# --- Why a cross-entropy takes logits: the softmax written by hand against log-sum-exp ---------
LARGEST_EXPONENT32 = math.log(float(np.finfo(np.float32).max))   # exp(z) overflows a float32 beyond this (88.72)
SOFTMAX_ROWS, SOFTMAX_CLASSES = 5, 27    # chapter 6's logits: five rows, one per letter and the end marker
_AGREE_ULPS = 16   # the hand-written and the built-in NLL agree "to rounding" within this many float32 steps


@dataclass(frozen=True)
class SoftmaxCheck:
    """The NLL of the same logits, times `scale`, three ways in float32: the softmax written by
    hand (exp, divide, log), the same after subtracting each row's largest logit (log-sum-exp),
    and F.cross_entropy."""
    scale: float
    logits: torch.Tensor        # already times scale
    targets: torch.Tensor
    naive: float
    stable: float
    cross_entropy: float
    overflowed: bool            # some exp(z) is inf in float32
    sum_overflowed: bool        # some row's sum of exp(z) is inf
    zero_probability: bool      # a true class's probability came out 0.0
    subnormal_probability: bool  # a true class's probability came out subnormal (it keeps few bits)

    @property
    def largest(self) -> float:
        return float(self.logits.max())

    def _agree(self, value: float) -> bool:
        step = float(np.spacing(np.float32(abs(self.cross_entropy))))
        return abs(value - self.cross_entropy) <= _AGREE_ULPS * step

    @property
    def stable_agrees(self) -> bool:
        """Whether log-sum-exp written by hand gives F.cross_entropy to float32 rounding."""
        return self._agree(self.stable)

    @property
    def outcome(self) -> str:
        """'agrees' (the hand-written NLL is the built-in one to rounding), 'off' (finite, but
        digits lost), 'infinite' (a probability rounded to 0.0, and −ln 0 = ∞) or 'nan' (inf / inf)."""
        if math.isnan(self.naive):
            return "nan"
        if math.isinf(self.naive):
            return "infinite"
        return "agrees" if self._agree(self.naive) else "off"


def softmax_check(scale: float = 1.0, rows: int = SOFTMAX_ROWS, classes: int = SOFTMAX_CLASSES,
                  seed: int = 2147483647) -> SoftmaxCheck:
    """cross_entropy_check's logits times `scale`, scored by hand naively, by hand stably, and by torch."""
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"the scale must be a positive number, got {scale}")
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn((rows, classes), generator=g) * float(scale)
    targets = torch.randint(0, classes, (rows,), generator=g)
    picked = torch.arange(rows), targets
    counts = logits.exp()                                   # the article's way
    probs = counts / counts.sum(1, keepdims=True)
    naive = -probs[picked].log().mean()
    shifted = logits - logits.max(1, keepdim=True).values   # every exponent ≤ 0: no overflow, sum ≥ 1
    stable = (shifted.exp().sum(1).log() - shifted[picked]).mean()
    p = probs[picked]
    return SoftmaxCheck(float(scale), logits, targets, naive.item(), stable.item(),
                        F.cross_entropy(logits, targets).item(), bool(torch.isinf(counts).any()),
                        bool(torch.isinf(counts.sum(1)).any()), bool((p == 0).any()),
                        bool(((p > 0) & (p < torch.finfo(torch.float32).tiny)).any()))


def softmax_sentence(check: SoftmaxCheck) -> str:
    """What happened to the softmax written by hand, from check.outcome and its causes."""
    biggest = f"The largest logit is {num(check.largest, '.1f')}"
    limit = f"the largest float32, {sig(float(np.finfo(np.float32).max), 2)}, is about exp({sig(LARGEST_EXPONENT32, 4)})"
    if check.outcome == "agrees":
        return (f"{biggest}: exp(z) stays within a float32 ({limit}), so the softmax written by hand works and "
                "agrees with F.cross_entropy to rounding.")
    if check.outcome == "off":
        cause = ("a true class's probability came out subnormal (below "
                 f"{sig(float(torch.finfo(torch.float32).tiny), 2)}), where a float32 keeps only a few significant "
                 "bits, so its log is off" if check.subnormal_probability else
                 "rounding exp(z) and their sum to float32 before the log lost digits")
        naive, built_in = apart(check.naive, check.cross_entropy)
        return f"{biggest}. Nothing overflows yet, but {cause}: the hand-written NLL is {naive}, F.cross_entropy {built_in}."
    overflow = (f"{biggest}, and exp({num(check.largest, '.1f')}) is beyond a float32 ({limit}): exp gives inf, "
                "and so does its row's sum. " if check.overflowed else
                f"{biggest}; no exp(z) overflows, but a row's sum of them does ({limit}). " if check.sum_overflowed else
                f"{biggest}; nothing overflows. ")
    if check.outcome == "nan":
        return overflow + "Where the true class's own exp(z) is inf, its probability is inf / inf = nan, and the NLL is nan."
    return overflow + ("A true class's probability, its exp(z) divided by that sum, rounds to 0.0, and −ln 0 = ∞: "
                       "the NLL written by hand is infinite.")


def stable_sentence(check: SoftmaxCheck) -> str:
    """How log-sum-exp written by hand compares with F.cross_entropy, from check.stable_agrees."""
    stable, built_in = sig(check.stable, 7), sig(check.cross_entropy, 7)
    if check.stable_agrees:
        same = "the same number" if stable == built_in else "the same to float32 rounding"
        return f"Here F.cross_entropy gives {built_in} and the stable route {stable}: {same}."
    return (f"Here F.cross_entropy gives {built_in} and the stable route {stable}: they differ by "
            f"{sig(abs(check.stable - check.cross_entropy), 2)}, more than float32 rounding.")
