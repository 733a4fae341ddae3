"""The normal distribution: probabilities, densities, likelihoods and their logs.

scipy supplies the distribution functions; torch appears where the article uses it
(float32 logs, autograd). Everything returns plain floats or numpy arrays.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext

import numpy as np
from scipy import special, stats

from core.formatting import shown_gap, sig

# The article's worked example (five observations, two candidate normals).
ARTICLE_DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)
ARTICLE_A = (50.0, 5.0)
ARTICLE_B = (45.0, 8.0)


_ROOT_TWO_PI = math.sqrt(2 * math.pi)


def _check_sigma(sigma: float) -> None:
    if not sigma > 0:
        raise ValueError(f"σ must be positive, got {sigma}")


def _cdf(x: float, mu: float, sigma: float) -> float:
    """P(X ≤ x): scipy's normal CDF as stats.norm.cdf computes it, without its per-call checks
    (which cost a room of phones a tenth of each rerun of chapter 1)."""
    return float(special.ndtr((x - mu) / sigma))


def density(x: float, mu: float, sigma: float) -> float:
    """p(x | μ, σ) for one x, in closed form: stats.norm.pdf's formula without its per-call checks
    (chapter 1's thin interval asks it on every run)."""
    _check_sigma(sigma)
    z = (x - mu) / sigma
    return math.exp(-z * z / 2) / _ROOT_TWO_PI / sigma


def interval_probability(a: float, b: float, mu: float, sigma: float) -> float:
    """P(a ≤ X ≤ b) for X ~ N(mu, sigma²): the area under the density from a to b."""
    _check_sigma(sigma)
    lo, hi = min(a, b), max(a, b)
    # The upper tail, 1 − Φ, computed as Φ of the mirror image keeps its precision when both ends
    # sit far above the mean.
    if lo > mu:
        return _cdf(-lo, -mu, sigma) - _cdf(-hi, -mu, sigma)
    return _cdf(hi, mu, sigma) - _cdf(lo, mu, sigma)


def sigma_rule(k: float) -> float:
    """P(|X - μ| ≤ kσ): 0.6827, 0.9545, 0.9973 for k = 1, 2, 3."""
    return interval_probability(-k, k, 0.0, 1.0)


def sample_fraction_inside(a: float, b: float, mu: float, sigma: float, n: int, seed: int) -> float:
    """The share of a seeded sample of n draws from N(mu, sigma²) that lands in [a, b]."""
    _check_sigma(sigma)
    x = np.random.default_rng(seed).normal(mu, sigma, size=n)
    lo, hi = min(a, b), max(a, b)
    return float(np.mean((x >= lo) & (x <= hi)))


def densities(data, mu: float, sigma: float) -> np.ndarray:
    """p(x_i | μ, σ) for each observation."""
    _check_sigma(sigma)
    return stats.norm.pdf(np.asarray(data, dtype=float), mu, sigma)


def likelihood(data, mu: float, sigma: float) -> float:
    """L(μ, σ | x) = ∏ p(x_i | μ, σ), computed directly (it can underflow; see underflow_point)."""
    return float(np.prod(densities(data, mu, sigma)))


def log_likelihood(data, mu: float, sigma: float) -> float:
    """log L(μ, σ | x) = Σ log p(x_i | μ, σ), from logpdf so it never underflows."""
    _check_sigma(sigma)
    return float(np.sum(stats.norm.logpdf(np.asarray(data, dtype=float), mu, sigma)))


def rounded_product(values, decimals: int = 4) -> float:
    """The product of the values after rounding each, as the article does with its densities."""
    return float(np.prod(np.round(np.asarray(values, dtype=float), decimals)))


@dataclass(frozen=True)
class Estimate:
    mu: float
    sigma: float


def mle(data) -> Estimate:
    """Closed form: μ̂ is the mean, σ̂ the root mean squared deviation (divides by n).

    σ̂ is 0 exactly when all observations are equal: equal values are their own mean (the
    rounding of a sum would make 0.1, 0.1, 0.1 spread by 1e-17), and the deviations are scaled by
    the largest before squaring, so that tiny ones (0 and 1e-300) do not square to 0."""
    x = np.asarray(data, dtype=float)
    if np.all(x == x[0]):
        return Estimate(float(x[0]), 0.0)
    mu = float(x.mean())
    deviations = x - mu
    largest = float(np.max(np.abs(deviations)))
    return Estimate(mu, largest * float(np.sqrt(np.mean((deviations / largest) ** 2))))


# Observations whose best σ is below this differ, but too little to compute with: σ² and the
# squared deviations leave the range of a 64-bit float (about 1e-308). Pages say so, and never
# call such data "all equal".
TINY_SPREAD = 1e-150


def no_best_normal(data) -> tuple[str, str] | None:
    """Why these data have no best normal, and what to do about it; None when they have one.
    σ̂ = 0 (one observation, or all equal) makes the likelihood grow without bound as σ shrinks;
    a σ̂ below TINY_SPREAD exists but its densities cannot be computed in 64-bit floats."""
    best = mle(data)
    if best.sigma >= TINY_SPREAD:
        return None
    if len(data) == 1:
        return ("There is only one observation: the likelihood grows without bound as σ shrinks to 0, "
                "so no normal is the best.", "Add more values to the data.")
    if best.sigma == 0:
        return ("All observations are equal: the likelihood grows without bound as σ shrinks to 0, "
                "so no normal is the best.", "Add a different value to the data.")
    return (f"The observations differ by only {sig(max(data) - min(data))}: the best σ, {sig(best.sigma)}, is too "
            "small for the likelihood to be computed in 64-bit floats.", "Spread the values further apart.")


def area_near_one(log_area: float) -> bool:
    """Whether an area, from its log, is within 1 % of 1 (by chance: a likelihood is no distribution)."""
    return math.isfinite(log_area) and abs(math.expm1(log_area)) < 0.01


def sample_std(data) -> float:
    """The sample standard deviation (divides by n - 1): unbiased for σ², not the MLE."""
    x = np.asarray(data, dtype=float)
    return float(x.std(ddof=1)) if x.size > 1 else float("nan")


def likelihood_over_mu(data, mus, sigma: float) -> np.ndarray:
    """L(μ | x) for each μ in mus, σ held."""
    return np.exp(log_likelihood_over_mu(data, mus, sigma))


def log_likelihood_over_mu(data, mus, sigma: float) -> np.ndarray:
    _check_sigma(sigma)
    x = np.asarray(data, dtype=float)[None, :]
    return stats.norm.logpdf(x, np.asarray(mus, dtype=float)[:, None], sigma).sum(axis=1)


def log_likelihood_over_sigma(data, mu: float, sigmas) -> np.ndarray:
    s = np.asarray(sigmas, dtype=float)
    if np.any(s <= 0):
        raise ValueError("every σ must be positive")
    x = np.asarray(data, dtype=float)[None, :]
    return stats.norm.logpdf(x, mu, s[:, None]).sum(axis=1)


def log_likelihood_grid(data, mus, sigmas) -> np.ndarray:
    """log L over the (μ, σ) plane: rows follow sigmas, columns follow mus."""
    s = np.asarray(sigmas, dtype=float)
    if np.any(s <= 0):
        raise ValueError("every σ must be positive")
    x = np.asarray(data, dtype=float)
    m = np.asarray(mus, dtype=float)
    # Σ(x-μ)² = Σ(x-x̄)² + n(μ-x̄)²: the grid costs O(grid), not O(grid·n), and centring on
    # the mean avoids the cancellation that Σx² - 2μΣx + nμ² suffers for data far from 0.
    n, xbar = x.size, x.mean()
    sq = np.square(x - xbar).sum() + n * (m - xbar) ** 2
    return -n * np.log(s)[:, None] - n / 2 * math.log(2 * math.pi) - sq[None, :] / (2 * s[:, None] ** 2)


def grid_around(data, width: float = 3.0, points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """A μ grid and a σ grid that frame the maximum-likelihood estimate of the data."""
    est = mle(data)
    spread = est.sigma if est.sigma > 0 else 1.0
    mus = np.linspace(est.mu - width * spread, est.mu + width * spread, points)
    sigmas = np.linspace(spread * 0.25, spread * 3.0, points)
    return mus, sigmas


def best_sigma_given_mu(data, mu: float) -> float:
    """argmax over σ of L(μ, σ | x) with μ held: the root mean squared deviation from μ."""
    x = np.asarray(data, dtype=float)
    return float(np.sqrt(np.mean((x - mu) ** 2)))


def random_sample(n: int, mu: float, sigma: float, seed: int, decimals: int = 4) -> tuple[float, ...]:
    """A seeded sample from N(mu, sigma²), rounded as the article rounds its observations."""
    _check_sigma(sigma)
    x = np.random.default_rng(seed).normal(mu, sigma, size=n)
    return tuple(float(v) for v in np.round(x, decimals))


@dataclass(frozen=True)
class Score:
    """How well one candidate N(mu, sigma²) explains the data."""
    mu: float
    sigma: float
    densities: np.ndarray
    likelihood: float        # the exact product (0.0 once it underflows)
    log_likelihood: float
    rounded_product: float   # the product of the densities rounded to 4 d.p., as the article prints
    log_densities: np.ndarray  # log p(x_i | μ, σ): finite where a density underflows to 0.0


def score(data, mu: float, sigma: float) -> Score:
    d = densities(data, mu, sigma)
    with np.errstate(over="ignore", under="ignore"):  # the products may leave a float's range
        return Score(mu, sigma, d, float(np.prod(d)), log_likelihood(data, mu, sigma), rounded_product(d),
                     log_densities(data, mu, sigma))


def likelihood_ratio(a: Score, b: Score) -> tuple[float, float]:
    """L(a)/L(b) and its natural log, from the logs so that it survives underflow of either product."""
    log_ratio = a.log_likelihood - b.log_likelihood
    return (math.exp(log_ratio) if log_ratio < 709 else math.inf), log_ratio


def is_article_example(data, a: Score, b: Score) -> bool:
    """Whether the data and both candidates are the article's own (so its printed figures apply)."""
    return tuple(data) == ARTICLE_DATA and (a.mu, a.sigma) == ARTICLE_A and (b.mu, b.sigma) == ARTICLE_B


def which_better(log_a: float, log_b: float) -> str | None:
    """From log L(A) and log L(B): "A" or "B" for the candidate that explains the data better, None
    when their difference, ln(L(A)/L(B)) written as the difference of the two logs shown to four
    decimals (formatting.shown_gap, as the pages write it), is 0."""
    if shown_gap(log_a, log_b) == "0.0000":
        return None
    return "A" if log_a > log_b else "B"


# ---------------------------------------------------------------- chapter 1: Φ and the rule
def standard_cdf(z: float) -> float:
    """Φ(z) = P(Z ≤ z) for Z ~ N(0, 1): the area under the standard normal density left of z."""
    return _cdf(z, 0.0, 1.0)


@dataclass(frozen=True)
class PhiSteps:
    """P(a ≤ X ≤ b) = Φ(z_b) − Φ(z_a) with z = (x − μ)/σ, and the decimals to show it with."""
    z_a: float
    z_b: float
    phi_a: float
    phi_b: float
    probability: float
    decimals: int   # the fewest (from 4) at which the rounded Φ(z_b) − Φ(z_a) is the rounded probability


def _decimal(value: float, decimals: int) -> Decimal:
    """`value` rounded to `decimals` places as Python shows it (half to even, on the float's exact
    binary value)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals))


def phi_steps(a: float, b: float, mu: float, sigma: float, decimals: int = 4, most: int = 10) -> PhiSteps:
    """The standardised route to an interval's probability, for X ~ N(mu, sigma²).

    Shown rounded, Φ(z_b) − Φ(z_a) need not equal the rounded probability (0.84135 − 0.50004
    would read 0.8414 − 0.5000 = 0.3413); `decimals` is the fewest at which the shown numbers
    subtract exactly, so a line Φ(z_b) − Φ(z_a) = … = … always adds up."""
    _check_sigma(sigma)
    lo, hi = min(a, b), max(a, b)
    z_a, z_b = (lo - mu) / sigma + 0.0, (hi - mu) / sigma + 0.0
    phi_a, phi_b = standard_cdf(z_a), standard_cdf(z_b)
    p = interval_probability(lo, hi, mu, sigma)
    shown = next((d for d in range(decimals, most + 1)
                  if _decimal(phi_b, d) - _decimal(phi_a, d) == _decimal(p, d)), decimals)
    return PhiSteps(z_a, z_b, phi_a, phi_b, p, shown)


RULE_KS = (1, 2, 3)


def rule_band(a: float, b: float, mu: float, sigma: float, tol: float = 1e-9) -> tuple[str, int] | None:
    """How [a, b] sits in the 68-95-99.7 rule: ("band", k) for [μ − kσ, μ + kσ], ("upper", k) for
    [μ, μ + kσ], ("lower", k) for [μ − kσ, μ] (k = 1, 2, 3; ends within tol·k standard deviations),
    else None."""
    lo, hi = sorted(((a - mu) / sigma, (b - mu) / sigma))
    for k in RULE_KS:
        near = lambda z, target: abs(z - target) <= tol * k  # noqa: E731
        if near(lo, -k) and near(hi, k):
            return ("band", k)
        if near(lo, 0) and near(hi, k):
            return ("upper", k)
        if near(lo, -k) and near(hi, 0):
            return ("lower", k)
    return None


def rule_interval(mu: float, sigma: float, k: int, decimals: int = 4) -> tuple[float, float]:
    """[μ − kσ, μ + kσ] rounded to `decimals`, as the page's buttons set it (never −0.0)."""
    return round(mu - k * sigma, decimals) + 0.0, round(mu + k * sigma, decimals) + 0.0


# ---------------------------------------------------------------- numbers too small for a float


def display_scale(log_values, lo: int = -300, hi: int = 300) -> tuple[np.ndarray, int]:
    """exp(log_values) / 10^k for charting, with k = 0 while the largest value is between 10^lo and
    10^hi (by default an ordinary float) and otherwise the k that brings the largest to between 1 and
    10. readable_scale is the same for an axis a reader reads (no 1.2e-6 on it)."""
    logs = np.asarray(log_values, dtype=float)
    top = float(np.max(logs))
    if lo * math.log(10) < top < hi * math.log(10):
        return np.exp(logs), 0
    k = math.floor(top / math.log(10))
    return np.exp(logs - k * math.log(10)), k


def readable_scale(log_values) -> tuple[np.ndarray, int]:
    """display_scale for an axis: values from 0.001 to 10⁴ as they are, others as L × 10^-k with the
    largest between 1 and 10, so that the axis is labelled "L × 10⁶" and never "1.2e-6"."""
    return display_scale(log_values, -3, 4)


def beyond_float(log_values) -> int:
    """-1 when the largest of exp(log_values) is below 10^-300 (at or past the smallest 64-bit
    floats), 1 when above 10^300, else 0: whether a chart of them has to say it was rescaled."""
    return int(np.sign(display_scale(log_values)[1]))


# ---------------------------------------------------------------- chapter 2: rounding and units
@dataclass(frozen=True)
class RoundedProduct:
    """The product of densities each rounded to `decimals`, in exact decimal arithmetic."""
    value: Decimal          # exact unless `exact` is False (then 60 significant digits)
    exact: bool
    log_gap: float          # ln(exact likelihood / rounded product); inf when the rounded product is 0


def rounded_product_decimal(data, mu: float, sigma: float, decimals: int = 4) -> RoundedProduct:
    """Round each density p(x_i | μ, σ) to `decimals` as the article's table prints it, multiply the
    rounded numbers exactly (no float rounding, no underflow), and compare with the exact likelihood."""
    factors = [_decimal(float(v), decimals) for v in densities(data, mu, sigma)]   # rounded, as printed
    with localcontext() as ctx:
        ctx.prec, ctx.Emin, ctx.Emax = 60, -10**9, 10**9
        ctx.traps[Inexact] = False
        ctx.clear_flags()
        value = Decimal(1)
        for factor in factors:
            value *= factor
        exact = not ctx.flags[Inexact]
        log_gap = math.inf if value == 0 else log_likelihood(data, mu, sigma) - float(value.ln())
    return RoundedProduct(value, exact, log_gap)


def peak_density(sigma: float) -> float:
    """The top of the N(μ, σ²) curve, at x = μ: 1 / (σ √(2π))."""
    _check_sigma(sigma)
    return 1.0 / (sigma * math.sqrt(2.0 * math.pi))


def unit_factor(sigma: float) -> int:
    """The smallest power of ten, at least 10, by which x, μ and σ can be divided (a unit that
    many times larger) so that the peak of N(μ, σ²) rises above 1 in the new unit."""
    _check_sigma(sigma)
    k = max(1, math.floor(math.log10(sigma * math.sqrt(2.0 * math.pi))) + 1)
    while peak_density(sigma / 10**k) <= 1.0:  # guards the floor against rounding at a power of ten
        k += 1
    return 10**k


# ---------------------------------------------------------------- chapter 3: the area under L
def log_area_over_mu(data, sigma: float) -> float:
    """ln ∫ L(μ, σ | x) dμ over all μ, σ held: the closed form
    (2πσ²)^(−(n−1)/2) · n^(−1/2) · exp(−Σ(x_i − x̄)² / (2σ²)), in logs so that it never underflows."""
    _check_sigma(sigma)
    x = np.asarray(data, dtype=float)
    n = x.size
    ss = float(np.sum((x - x.mean()) ** 2))
    return -(n - 1) / 2 * math.log(2 * math.pi * sigma**2) - 0.5 * math.log(n) - ss / (2 * sigma**2)


def log_area_over_sigma(data, mu: float) -> float:
    """ln ∫₀^∞ L(μ, σ | x) dσ, μ held: (2π)^(−n/2) · ½ Γ((n−1)/2) · (S/2)^(−(n−1)/2) with
    S = Σ(x_i − μ)². Infinite for one observation (L falls only like 1/σ) or when S = 0."""
    x = np.asarray(data, dtype=float)
    n = x.size
    s = float(np.sum((x - mu) ** 2))
    if n < 2 or s == 0:
        return math.inf
    return -n / 2 * math.log(2 * math.pi) - math.log(2) + math.lgamma((n - 1) / 2) - (n - 1) / 2 * math.log(s / 2)


def in_unit(data, mu: float, sigma: float, factor: float) -> Score:
    """The candidate N(mu, sigma²) scored on the same data written in a unit `factor` times larger:
    every x, μ and σ divided by `factor` (each density comes out `factor` times larger)."""
    return score(tuple(float(x) / factor for x in data), mu / factor, sigma / factor)


# ---------------------------------------------------------------- numbers as pages 1-3 write them


def log_densities(data, mu: float, sigma: float) -> np.ndarray:
    """log p(x_i | μ, σ) for each observation (finite where the density itself underflows to 0)."""
    _check_sigma(sigma)
    return stats.norm.logpdf(np.asarray(data, dtype=float), mu, sigma)


# --- One maximiser for L and log L (chapter 4) -------------------------------------------------

def grid_argmax(xs, ys) -> float:
    """The x at which y is largest on a grid (the first one, if several tie)."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if xs.shape != ys.shape or xs.size == 0:
        raise ValueError("xs and ys must be non-empty and the same length")
    return float(xs[int(np.argmax(ys))])


@dataclass(frozen=True)
class SameMaximiser:
    """L(μ) and log L(μ) over one μ grid, σ held, and where each one peaks."""
    sigma: float
    mus: np.ndarray
    likelihood: np.ndarray
    log_likelihood: np.ndarray
    argmax_likelihood: float
    argmax_log_likelihood: float

    @property
    def agree(self) -> bool:
        return self.argmax_likelihood == self.argmax_log_likelihood


def same_maximiser(data, sigma: float, points: int = 201) -> SameMaximiser:
    """Evaluate both curves on the grid that frames the data's MLE and find each maximiser."""
    mus, _ = grid_around(data, points=points)
    lik = likelihood_over_mu(data, mus, sigma)
    loglik = log_likelihood_over_mu(data, mus, sigma)
    return SameMaximiser(float(sigma), mus, lik, loglik, grid_argmax(mus, lik), grid_argmax(mus, loglik))


# --- The closed form written out, and the article's stated summary -----------------------------

@dataclass(frozen=True)
class ClosedForm:
    """The pieces of the closed-form MLE of a normal, for writing the formulas out with numbers."""
    n: int
    total: float            # Σ xᵢ
    mean: float             # μ̂ = Σ xᵢ / n
    sum_sq_dev: float       # Σ (xᵢ - μ̂)²
    sigma_mle: float        # σ̂ = √(Σ (xᵢ - μ̂)² / n)
    sample_std: float       # s = √(Σ (xᵢ - μ̂)² / (n - 1))
    log_likelihood: float   # log L(μ̂, σ̂ | x)


def closed_form(data) -> ClosedForm:
    x = np.asarray(data, dtype=float)
    if x.size == 0:
        raise ValueError("a likelihood needs at least one observation")
    est = mle(x)
    ll = log_likelihood(x, est.mu, est.sigma) if est.sigma > 0 else math.inf
    return ClosedForm(int(x.size), float(x.sum()), est.mu, float(np.sum((x - est.mu) ** 2)),
                      est.sigma, sample_std(x), ll)


# The article describes its five points as drawn from a normal "with mean 52.295 and sd 3.167".
ARTICLE_STATED = (52.295, 3.167)


@dataclass(frozen=True)
class StatedSummary:
    """A mean and sd quoted to a few decimals, against what the data give."""
    stated_mean: float
    stated_sd: float
    decimals: int            # how many decimals the quoted figures have
    mean: float              # x̄
    sigma_mle: float         # σ̂, dividing by n
    sample_std: float        # s, dividing by n - 1

    def _same(self, a: float, b: float) -> bool:
        return round(a, self.decimals) == round(b, self.decimals)

    @property
    def mean_is_xbar(self) -> bool:
        return self._same(self.mean, self.stated_mean)

    @property
    def sd_is_sigma_mle(self) -> bool:
        return self._same(self.sigma_mle, self.stated_sd)

    @property
    def sd_is_sample_std(self) -> bool:
        return self._same(self.sample_std, self.stated_sd)


def stated_summary(data, stated: tuple[float, float] = ARTICLE_STATED, decimals: int = 3) -> StatedSummary:
    cf = closed_form(data)
    return StatedSummary(float(stated[0]), float(stated[1]), decimals, cf.mean, cf.sigma_mle, cf.sample_std)
