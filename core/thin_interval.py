"""Why a density can stand in for a probability (chapter 1).

Over a thin interval [x, x + Δ] the curve is nearly flat, so the area under it is nearly the
rectangle of height p(x) and width Δ: P(x ≤ X ≤ x + Δ) ≈ p(x) · Δ, and the ratio of the two tends
to 1 as Δ shrinks. A likelihood built from densities therefore ranks parameters as the probabilities
of the same tiny intervals around the data would: the common factor Δ (one per observation) cancels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from core.formatting import round_sig
from core.normal import interval_probability

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
    return ThinInterval(float(x), float(delta), float(mu), float(sigma), area, float(stats.norm.pdf(x, mu, sigma)))


def shrinking(x: float, delta: float, mu: float, sigma: float, rows: int = ROWS) -> list[ThinInterval]:
    """The interval at Δ, Δ/10, Δ/100, ...: the ratio closes in on 1."""
    return [thin_interval(x, delta / SHRINK**i, mu, sigma) for i in range(rows)]


def _nice_step(size: float) -> float:
    """The power of ten at or below `size`: a slider step that writes short numbers."""
    return 10.0 ** math.floor(math.log10(size))


def _on_grid(value: float, step: float) -> float:
    """`value` rounded to a multiple of `step` (a power of ten), without float dust (0.30000000000000004)."""
    return round(round(value / step) * step, max(0, -math.floor(math.log10(step))))


def delta_range(sigma: float) -> tuple[float, float, float]:
    """(smallest, largest, step) of the Δ slider: from about σ/1000 to 2σ, in steps of a power of ten."""
    step = _nice_step(sigma / 1000)
    return step, _on_grid(2 * sigma, step), step


def x_range(mu: float, sigma: float) -> tuple[float, float, float]:
    """(smallest, largest, step) of the x slider: μ ± 4σ, in steps of a power of ten near σ/100."""
    step = _nice_step(sigma / 100)
    return _on_grid(mu - 4 * sigma, step), _on_grid(mu + 4 * sigma, step), step
