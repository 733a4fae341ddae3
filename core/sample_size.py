"""How the likelihood narrows as the sample grows (chapter 3).

With σ held, log L(μ) of a normal sample is a parabola in μ: log L(μ̂) − log L(μ) = n (μ − μ̂)² / (2σ²).
Its curvature at the top, −d² log L / dμ² = n / σ², grows with n; one over its square root is the
standard error σ/√n. The likelihood interval keeps every μ whose log L is within CUT of the maximum:
μ̂ ± √(2 · CUT) · σ/√n. With CUT = χ²₁(0.95)/2 = 1.9207 that is μ̂ ± 1.96 σ/√n, the usual 95 % interval
for a mean when σ is known. The page holds σ at the sample's own σ̂ (so, for a small n, the interval is
a little narrower than the t interval that allows for σ̂'s error).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from core.normal import log_likelihood_over_mu, mle

LEVEL = 0.95
CUT = float(stats.chi2.ppf(LEVEL, 1) / 2)   # 1.9207: log L within this of its top
Z = math.sqrt(2 * CUT)                       # 1.9600: the interval is μ̂ ± Z standard errors
KEEP = math.exp(-CUT)                        # 0.1465: L at the interval's ends, as a share of its top
FLOOR = -8.0                                 # the charts show log L down to this far below its top


def draw(n: int, mu0: float, sigma0: float, seed: int) -> np.ndarray:
    """n observations from N(mu0, sigma0²), seeded. The first m of a sample are the sample of size m
    with the same seed, so a larger n adds observations to the ones already drawn."""
    if not sigma0 > 0:
        raise ValueError(f"σ₀ must be positive, got {sigma0}")
    return np.random.default_rng(seed).normal(mu0, sigma0, size=int(n))


@dataclass(frozen=True)
class Precision:
    """How sharply the data pin μ down, σ held."""
    n: int
    mu_hat: float
    sigma: float      # held

    @property
    def curvature(self) -> float:
        """−d² log L(μ) / dμ² at μ̂ (the same at every μ: log L is a parabola in μ)."""
        return self.n / self.sigma**2

    @property
    def standard_error(self) -> float:
        """1 / √curvature = σ / √n."""
        return self.sigma / math.sqrt(self.n)

    @property
    def half_width(self) -> float:
        return Z * self.standard_error

    @property
    def interval(self) -> tuple[float, float]:
        """Every μ whose log L is within CUT of the maximum."""
        return self.mu_hat - self.half_width, self.mu_hat + self.half_width

    def drop(self, mu: float) -> float:
        """log L(μ̂) − log L(μ) = n (μ − μ̂)² / (2σ²): how far below its top log L is at μ."""
        return self.n * (mu - self.mu_hat) ** 2 / (2 * self.sigma**2)

    def contains(self, mu: float) -> bool:
        lo, hi = self.interval
        return lo <= mu <= hi


def precision(data, sigma: float | None = None) -> Precision:
    """The precision of μ̂ for these data with σ held at `sigma`, or at the data's own σ̂ when None."""
    best = mle(data)
    held = best.sigma if sigma is None else float(sigma)
    if not held > 0:
        raise ValueError("σ must be positive: these data have no spread")
    return Precision(len(data), best.mu, held)


def relative_log_likelihood(data, mus, sigma: float) -> np.ndarray:
    """log L(μ) − log L(μ̂) over `mus`, σ held, summed from the densities (not from the parabola)."""
    top = float(log_likelihood_over_mu(data, [mle(data).mu], sigma)[0])
    return log_likelihood_over_mu(data, mus, sigma) - top


def quarter(n: int) -> int:
    """The size of the smaller sample the page compares with: the first quarter of the draws (at
    least 2, so that it has a σ̂), or 0 when n is too small to have one smaller than itself."""
    m = n // 4
    return m if m >= 2 else 0
