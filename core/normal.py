"""The normal distribution: probabilities, densities, likelihoods and their logs.

scipy supplies the distribution functions; torch appears where the article uses it
(float32 logs, autograd). Everything returns plain floats or numpy arrays.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

# The article's worked example (five observations, two candidate normals).
ARTICLE_DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)
ARTICLE_A = (50.0, 5.0)
ARTICLE_B = (45.0, 8.0)


def _check_sigma(sigma: float) -> None:
    if not sigma > 0:
        raise ValueError(f"σ must be positive, got {sigma}")


def interval_probability(a: float, b: float, mu: float, sigma: float) -> float:
    """P(a ≤ X ≤ b) for X ~ N(mu, sigma²): the area under the density from a to b."""
    _check_sigma(sigma)
    lo, hi = min(a, b), max(a, b)
    # sf for the upper tail keeps precision when both ends sit far above the mean.
    if lo > mu:
        return float(stats.norm.sf(lo, mu, sigma) - stats.norm.sf(hi, mu, sigma))
    return float(stats.norm.cdf(hi, mu, sigma) - stats.norm.cdf(lo, mu, sigma))


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


def score(data, mu: float, sigma: float) -> Score:
    d = densities(data, mu, sigma)
    return Score(mu, sigma, d, float(np.prod(d)), log_likelihood(data, mu, sigma), rounded_product(d))


def likelihood_ratio(a: Score, b: Score) -> tuple[float, float]:
    """L(a)/L(b) and its natural log, from the logs so that it survives underflow of either product."""
    log_ratio = a.log_likelihood - b.log_likelihood
    return (math.exp(log_ratio) if log_ratio < 709 else math.inf), log_ratio
