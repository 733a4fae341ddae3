"""Why a density can stand in for a probability (chapter 1).

Over a thin interval [x, x + Δ] the curve is nearly flat, so the area under it is nearly the
rectangle of height p(x) and width Δ: P(x ≤ X ≤ x + Δ) ≈ p(x) · Δ, and the ratio of the two tends
to 1 as Δ shrinks. A likelihood built from densities therefore ranks parameters as the probabilities
of the same tiny intervals around the data would: the common factor Δ (one per observation) cancels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from core.formatting import round_sig
from core.normal import density, interval_probability

SHRINK = 10        # each row of the table divides Δ by this
ROWS = 4
HEIGHT_DIGITS = 6  # p(x) is shown to this many significant digits, the areas to four


@dataclass(frozen=True)
class ThinInterval:
    """The exact area over [x, x + Δ] under N(μ, σ²) against the rectangle p(x) · Δ."""
    x: float
    delta: float
    mu: float
    sigma: float
    area: float       # P(x ≤ X ≤ x + Δ), from the normal CDF
    height: float     # p(x)

    @property
    def rectangle(self) -> float:
        return self.height * self.delta

    @property
    def shown_rectangle(self) -> float:
        """p(x) · Δ with p(x) as the page shows it: "p(x) × Δ = p(x) · Δ" then multiplies out as written."""
        return round_sig(self.height, HEIGHT_DIGITS) * self.delta

    @property
    def ratio(self) -> float:
        """area / (p(x) · Δ); 1 + O(Δ) as Δ → 0 (NaN when p(x) is 0 in floats)."""
        return self.area / self.rectangle if self.rectangle > 0 else math.nan


def thin_interval(x: float, delta: float, mu: float, sigma: float) -> ThinInterval:
    if not delta > 0:
        raise ValueError(f"Δ must be positive, got {delta}")
    area = interval_probability(x, x + delta, mu, sigma)
    return ThinInterval(float(x), float(delta), float(mu), float(sigma), area, density(x, mu, sigma))


def shrinking(x: float, delta: float, mu: float, sigma: float, rows: int = ROWS) -> list[ThinInterval]:
    """The interval at Δ, Δ/10, Δ/100, ...: the ratio closes in on 1."""
    return [thin_interval(x, delta / SHRINK**i, mu, sigma) for i in range(rows)]


# The page's two controls, each a fixed range, so that moving μ or σ never moves them: where x sits,
# z = (x − μ)/σ, and how wide the interval is, k = Δ/σ (thin or not is a matter of Δ against σ, the
# scale over which the curve bends).
Z_RANGE = (-4.0, 4.0, 0.01)       # (smallest, largest, step)
K_RANGE = (0.001, 2.0, 0.001)


def in_sigmas(z: float, k: float, mu: float, sigma: float) -> ThinInterval:
    """The interval [x, x + Δ] with x = μ + zσ and Δ = kσ."""
    return thin_interval(mu + z * sigma, k * sigma, mu, sigma)
