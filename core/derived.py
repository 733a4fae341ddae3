"""Small figures that chapters 4-6 show on top of core.normal, core.ascent and core.nll.

Each function here turns results those modules already compute into the one number a page
prints (an argmax on a grid, a distance, a gradient's size), so the pages themselves do no maths.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core import normal, nll
from core.ascent import Point


# The smallest positive numbers each float type can hold; below them a product rounds to 0.0.
FLOAT32_TINY = float(np.finfo(np.float32).smallest_subnormal)
FLOAT64_TINY = float(np.finfo(np.float64).smallest_subnormal)


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
    mus, _ = normal.grid_around(data, points=points)
    lik = normal.likelihood_over_mu(data, mus, sigma)
    loglik = normal.log_likelihood_over_mu(data, mus, sigma)
    return SameMaximiser(float(sigma), mus, lik, loglik, grid_argmax(mus, lik), grid_argmax(mus, loglik))


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
    est = normal.mle(x)
    ll = normal.log_likelihood(x, est.mu, est.sigma) if est.sigma > 0 else math.inf
    return ClosedForm(int(x.size), float(x.sum()), est.mu, float(np.sum((x - est.mu) ** 2)),
                      est.sigma, normal.sample_std(x), ll)


def gradient_norm(point: Point) -> float:
    """|∇ log L| = √((∂/∂μ)² + (∂/∂σ)²) at one point of an ascent."""
    return math.hypot(point.grad_mu, point.grad_sigma)


def gradient_norms(path: Sequence[Point]) -> tuple[np.ndarray, np.ndarray]:
    """Step numbers and the size of the gradient at each point of the path."""
    return (np.array([p.step for p in path], dtype=int), np.array([gradient_norm(p) for p in path], dtype=float))


def distance_to_mle(point: Point, data) -> tuple[float, float]:
    """|μ - μ̂| and |σ - σ̂|: how far a numerical answer is from the closed form."""
    est = normal.mle(data)
    return abs(point.mu - est.mu), abs(point.sigma - est.sigma)


def plane_framing(data, path: Sequence[Point] = (), points: int = 121) -> tuple[np.ndarray, np.ndarray]:
    """A μ grid and σ grid that frame the MLE and also every point of an optimiser's path."""
    mus, sigmas = normal.grid_around(data, points=points)
    if not path:
        return mus, sigmas
    pm = [p.mu for p in path]
    ps = [p.sigma for p in path]
    m_lo, m_hi = min(mus[0], *pm), max(mus[-1], *pm)
    s_lo, s_hi = min(sigmas[0], *ps), max(sigmas[-1], *ps)
    m_pad, s_pad = 0.05 * (m_hi - m_lo), 0.05 * (s_hi - s_lo)
    s_lo = max(s_lo - s_pad, s_lo * 0.5)  # stay above σ = 0
    return np.linspace(m_lo - m_pad, m_hi + m_pad, points), np.linspace(s_lo, s_hi + s_pad, points)


def same_spot(a: tuple[float, float], b: tuple[float, float], mus, sigmas, share: float = 0.04) -> bool:
    """Whether two (μ, σ) points would overlap on a plane drawn over these grids (within `share` of each axis)."""
    return (abs(a[0] - b[0]) <= share * (mus[-1] - mus[0])
            and abs(a[1] - b[1]) <= share * (sigmas[-1] - sigmas[0]))


def neg_log_likelihood(data, mu: float, sigma: float) -> float:
    """-log L(μ, σ | x) = -Σ log p(xᵢ | μ, σ): the loss that gradient descent lowers."""
    return -normal.log_likelihood(data, mu, sigma)


# The σ at which the peak of a normal density is exactly 1: 1/√(2π).
SIGMA_PEAK_ONE = 1.0 / math.sqrt(2.0 * math.pi)


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
    ll = normal.log_likelihood([mu], mu, sigma)
    return NarrowNormal(float(sigma), nll.peak_density(sigma), ll, -ll)


def cross_entropy_gap(check: nll.CrossEntropyCheck) -> float:
    """|hand-written NLL - F.cross_entropy|: zero up to float32 rounding."""
    return abs(check.by_hand - check.cross_entropy)
