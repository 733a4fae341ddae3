"""Why logs: the article's three-number example, and the product of many densities underflowing."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy import stats

ARTICLE_FACTORS = (0.015, 0.05, 0.01)


@dataclass(frozen=True)
class LogExample:
    product: float            # Python float product, as the article prints it
    sum_of_logs: float        # torch float32: log a + log b + log c
    log_of_product: float     # torch float32: log(a·b·c)
    torch_equal: bool         # what `==` between the two float32 tensors answers


def article_log_example(factors=ARTICLE_FACTORS) -> LogExample:
    """The article's code, run: the sum of float32 logs against the float32 log of the product."""
    product = 1.0
    for f in factors:
        product *= f
    # float(...): a Python float makes a float32 tensor, as in the article; a numpy float64 would not.
    total = sum(torch.log(torch.tensor(float(f))) for f in factors)
    applied = torch.log(torch.tensor(float(product)))
    return LogExample(product, total.item(), applied.item(), bool(applied == total))


@dataclass(frozen=True)
class EqualityRate:
    trials: int
    equal: int                 # triples for which `==` held
    largest_gap: float         # the largest |log(a·b·c) - (log a + log b + log c)| in float32
    largest_ulps: float = 0.0  # the same, in float32 steps (ulps) at the size of that log

    @property
    def share(self) -> float:
        return self.equal / self.trials


def log_equality_rate(trials: int = 2_000, seed: int = 0) -> EqualityRate:
    """article_log_example run on `trials` random triples of probabilities in (0, 1): how often
    its `==` holds to the last bit. One triple at a time through the very same code, because
    torch's vectorised log may round differently from the one-number path the article takes."""
    rng = np.random.default_rng(seed)
    equal, gap, ulps = 0, 0.0, 0.0
    for row in rng.uniform(np.finfo(np.float32).tiny, 1.0, size=(trials, 3)):
        ex = article_log_example(tuple(row))
        equal += ex.torch_equal
        here = abs(ex.log_of_product - ex.sum_of_logs)
        gap = max(gap, here)
        ulps = max(ulps, here / float(np.abs(np.spacing(np.float32(ex.sum_of_logs)))))
    return EqualityRate(trials, equal, gap, ulps)


def float32_text(value: float) -> str:
    """A float32 result at float32 precision: the shortest decimal that reads back as the same
    float32 (about 7 significant digits), not the float64 print of it."""
    return np.format_float_positional(np.float32(value), unique=True, trim="-") if abs(value) >= 1e-4 \
        else np.format_float_scientific(np.float32(value), unique=True, trim="-")


# The smallest positive numbers each float type can hold; a product at most half of them rounds to 0.0.
FLOAT32_TINY = float(np.finfo(np.float32).smallest_subnormal)
FLOAT64_TINY = float(np.finfo(np.float64).smallest_subnormal)
# Below the smallest normal float32 a float32 is subnormal: a whole multiple of FLOAT32_TINY, so the
# smaller it gets, the fewer significant bits it keeps (24 for a normal one, 1 at FLOAT32_TINY).
FLOAT32_NORMAL = float(np.finfo(np.float32).tiny)


@dataclass(frozen=True)
class RunningProducts:
    n: np.ndarray               # number of observations, 1..n_max
    product32: np.ndarray       # running product of densities in float32
    product64: np.ndarray       # the same in float64
    log_likelihood: np.ndarray  # running sum of log densities (float64)
    zero_at32: int | None       # first n whose float32 product is exactly 0.0
    zero_at64: int | None
    factor32: np.ndarray        # the densities as the float32 factors multiplied


def _first_zero(running: np.ndarray) -> int | None:
    hits = np.flatnonzero(running == 0.0)
    return int(hits[0]) + 1 if hits.size else None


def running_products(n_max: int, mu: float, sigma: float, seed: int = 0) -> RunningProducts:
    """Multiply the densities of a seeded N(mu, sigma²) sample one by one, in float32 and float64,
    and add their logs: where each product first underflows to 0.0, and the sum that does not."""
    if n_max < 1:
        raise ValueError("n must be at least 1")
    if not sigma > 0:
        raise ValueError(f"σ must be positive, got {sigma}")
    x = np.random.default_rng(seed).normal(mu, sigma, size=n_max)
    logp = stats.norm.logpdf(x, mu, sigma)
    p = np.exp(logp)
    factor32 = p.astype(np.float32)
    # numpy multiplies one factor after another in the dtype asked for, rounding each product, so
    # the first 0.0 is exactly where a step-by-step float32 (or float64) loop would hit it.
    # (torch.cumprod is no such loop: it carries the running product in float64 and rounds only
    # what it returns, so its float32 zero can come a few steps earlier or later.)
    product32 = np.cumprod(factor32, dtype=np.float32)
    product64 = np.cumprod(p, dtype=np.float64)
    return RunningProducts(
        n=np.arange(1, n_max + 1),
        product32=product32,
        product64=product64,
        log_likelihood=np.cumsum(logp),
        zero_at32=_first_zero(product32),
        zero_at64=_first_zero(product64),
        factor32=factor32,
    )


def rises(running) -> int:
    """How many steps of a running sum go up: for a running log-likelihood, the observations
    after the first whose log density is positive (a density above 1)."""
    values = np.asarray(running, dtype=float)
    return int(np.count_nonzero(np.diff(values) > 0))


def thin_for_plot(n_max: int, points: int = 400) -> np.ndarray:
    """Indices 0..n_max-1 spaced evenly on a log axis, so a chart stays small at any n."""
    if n_max <= points:
        return np.arange(n_max)
    idx = np.unique(np.geomspace(1, n_max, num=min(points, n_max)).round().astype(int)) - 1
    return idx


@dataclass(frozen=True)
class ZeroStep:
    """How the float32 running product reached 0.0: its last multiplication, and the exact product
    of the same float32 factors beside it (computed from their logs, so it has no floor)."""
    at: int                     # the first n whose float32 product is 0.0
    before: float               # the float32 product at n = at - 1 (1.0, the empty product, at n = 1)
    factor: float               # the at-th factor, a float32 density
    density: float             # the same density before it was rounded to float32
    exact_log: float            # ln of the exact product at n = at
    exact_before_log: float     # the same at n = at - 1 (0.0 at n = 1)
    subnormal_from: int | None  # the first n whose float32 product is subnormal (None: it went from normal to 0.0)
    exact_half_at: int | None   # the first n whose exact product is at most FLOAT32_TINY / 2, if any within n

    @property
    def timing(self) -> str:
        """'on_time': the float32 product is 0.0 from the n where the exact product first falls to half
        of FLOAT32_TINY; 'early': before it (the roundings of subnormals took it down faster);
        'late': after it (rounding to a whole multiple of FLOAT32_TINY held it up)."""
        if self.exact_half_at == self.at:
            return "on_time"
        return "late" if self.exact_half_at is not None and self.exact_half_at < self.at else "early"

    @property
    def last_product(self) -> float:
        """before × factor, exactly (two float32 mantissas multiply exactly in a float64): the value
        the float32 multiplication rounded to 0.0."""
        return self.before * self.factor

    @property
    def multiple(self) -> int | None:
        """The float32 product before the last step as a whole multiple of FLOAT32_TINY, when subnormal."""
        return round(self.before / FLOAT32_TINY) if 0 < self.before < FLOAT32_NORMAL else None

    @property
    def bits(self) -> int | None:
        """The significant bits that subnormal product kept (a normal float32 keeps 24)."""
        return None if self.multiple is None else self.multiple.bit_length()


def zero_step(products: RunningProducts) -> ZeroStep | None:
    """The step at which the float32 product became 0.0, or None if it never did within n."""
    at = products.zero_at32
    if at is None:
        return None
    with np.errstate(divide="ignore"):   # a factor of 0.0 has the log -inf: the exact product is 0 too
        exact = np.cumsum(np.log(products.factor32.astype(np.float64)))
    half = np.flatnonzero(exact <= math.log(FLOAT32_TINY / 2))
    first_low = int(np.flatnonzero(products.product32 < FLOAT32_NORMAL)[0]) + 1
    ll = products.log_likelihood
    return ZeroStep(
        at=at,
        before=1.0 if at == 1 else float(products.product32[at - 2]),
        factor=float(products.factor32[at - 1]),
        density=math.exp(float(ll[0] if at == 1 else ll[at - 1] - ll[at - 2])),
        exact_log=float(exact[at - 1]),
        exact_before_log=0.0 if at == 1 else float(exact[at - 2]),
        subnormal_from=first_low if first_low < at else None,
        exact_half_at=int(half[0]) + 1 if half.size else None,
    )
