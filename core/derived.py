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
from core.charts.normal import Mark
from core.charts.style import BLACK, GREY, VERMILLION


# --- Numbers in words ---------------------------------------------------------------------------

def shown(value: float, spec: str = ".4f") -> str:
    """`value` formatted by `spec`, without the minus of a negative zero: -0.00001 at ".4f" is
    "0.0000", not "-0.0000" (a reader sees a sign that the number it stands beside does not have)."""
    text = format(value, spec)
    if text.startswith("-") and math.isfinite(value) and not any(c in "123456789" for c in text.split("e")[0]):
        return text[1:]
    return text


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    """A count as a reader says it in a sentence: "five", or "1,000" beyond ten."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """"1 step", "2 steps", "1,000 steps": the noun agrees with the number."""
    return f"{n:,} " + (noun if n == 1 else plural or noun + "s")


def zeros_after_point(value: float) -> int:
    """How many zeros follow the decimal point before the first digit: 5 for 0.0000075."""
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"needs a positive number, got {value}")
    return max(0, -math.floor(math.log10(value)) - 1)


def rises(running) -> int:
    """How many steps of a running sum go up: for a running log-likelihood, the observations
    after the first whose log density is positive (a density above 1)."""
    values = np.asarray(running, dtype=float)
    return int(np.count_nonzero(np.diff(values) > 0))


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


# --- The (μ, σ) plane under a climb ------------------------------------------------------------
#
# The plane frames θ̂ and the path. A path that ends far out (the climb was thrown onto a flat
# plain) would stretch the axes until θ̂ and the start share one pixel, so a trailing run of
# points much farther from θ̂ than the start and the usual frame stays off the chart: the path is
# drawn up to where it leaves, and the page says where it went.

OFF_CHART = 3.0  # points beyond this many times the frame's own reach from θ̂ are left off


@dataclass(frozen=True)
class AscentView:
    mus: np.ndarray
    sigmas: np.ndarray
    path: tuple[tuple[float, float], ...]   # the (μ, σ) drawn: up to the chart's edge
    left_at: Point | None                   # the first point of the trailing run left off, if any
    marks: tuple[Mark, ...]                 # MLE, start, current point: those on the chart, merged where they touch


def _reach(est: normal.Estimate, mu: float, sigma: float) -> float:
    return max(abs(mu - est.mu), abs(sigma - est.sigma))


def _edge(a: tuple[float, float], b: tuple[float, float], mus, sigmas) -> tuple[float, float]:
    """Where the segment from a (inside the frame) to b (outside) crosses the frame's edge."""
    t = 1.0
    for i, (lo, hi) in enumerate(((mus[0], mus[-1]), (sigmas[0], sigmas[-1]))):
        d = b[i] - a[i]
        if d > 0 and b[i] > hi:
            t = min(t, (hi - a[i]) / d)
        elif d < 0 and b[i] < lo:
            t = min(t, (lo - a[i]) / d)
    t = max(t, 0.0)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def ascent_view(data, path: Sequence[Point], top: bool, points: int = 121) -> AscentView:
    """The plane for a gradient-ascent path: its frame, the part of the path drawn, and the marks.

    A mark is merged into "MLE" only when the climb reached the top (`top`, from core.ascent's
    verdict): a point that merely sits near θ̂ on this chart is labelled as near it, not as it."""
    if not path:
        raise ValueError("a path needs at least its starting point")
    est = normal.mle(data)
    mus0, sigmas0 = normal.grid_around(data, points=points)
    reach = max(_reach(est, path[0].mu, path[0].sigma), mus0[-1] - est.mu, sigmas0[-1] - est.sigma)
    keep = len(path)
    while keep > 1 and _reach(est, path[keep - 1].mu, path[keep - 1].sigma) > OFF_CHART * reach:
        keep -= 1
    mus, sigmas = plane_framing(data, path[:keep], points)
    drawn = [(p.mu, p.sigma) for p in path[:keep]]
    left_at = path[keep] if keep < len(path) else None
    if left_at is not None:
        drawn.append(_edge(drawn[-1], (left_at.mu, left_at.sigma), mus, sigmas))

    now = path[-1]
    spots = [Mark(est.mu, "MLE", VERMILLION, est.sigma)]
    if left_at is None:
        spots.append(Mark(now.mu, f"step {now.step}" if now.step != path[0].step else "start",
                          GREY if now.step != path[0].step else BLACK, now.sigma))
    if now.step != path[0].step:
        spots.append(Mark(path[0].mu, "start", BLACK, path[0].sigma))
    marks: list[Mark] = []
    for spot in spots:
        twin = next((i for i, m in enumerate(marks) if same_spot((m.x, m.y), (spot.x, spot.y), mus, sigmas)), None)
        if twin is None:
            marks.append(spot)
            continue
        other = marks[twin]
        near = "MLE" in other.label and not top
        label = f"{spot.label} near {other.label}" if near else f"{spot.label} ≈ {other.label}"
        marks[twin] = Mark(other.x, label, other.colour, other.y)
    return AscentView(mus, sigmas, tuple(drawn), left_at, tuple(marks))


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
