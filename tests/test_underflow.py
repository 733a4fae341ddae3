"""core.underflow: the article's three-number log example, and a product of densities underflowing.

Independent checks: numpy float32 / float64 cumulative products of a hand-written pdf,
scipy logpdf sums, and the theoretical crossing of ln(smallest subnormal).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from core import normal as N
from core import underflow as U

TINY32 = float(np.finfo(np.float32).smallest_subnormal)  # 1.4e-45
TINY64 = float(np.finfo(np.float64).smallest_subnormal)  # 4.94e-324


@pytest.fixture(scope="module")
def default():
    return U.running_products(100_000, 50, 2.5, seed=0)


@pytest.fixture(scope="module")
def draws():
    """The same seeded draws, regenerated here, and their densities from a hand-written formula."""
    x = np.random.default_rng(0).normal(50, 2.5, size=100_000)
    p = np.exp(-((x - 50) ** 2) / (2 * 2.5**2)) / (2.5 * math.sqrt(2 * math.pi))
    return x, p


# ---------------------------------------------------------------- the article's log example
def test_article_log_example():
    ex = U.article_log_example()
    assert U.ARTICLE_FACTORS == (0.015, 0.05, 0.01)
    assert ex.product == 7.5e-06
    assert ex.product == 0.015 * 0.05 * 0.01
    assert ex.sum_of_logs == -11.800607681274414
    assert ex.log_of_product == -11.800607681274414
    assert ex.log_of_product == ex.sum_of_logs
    assert ex.torch_equal is True
    # independent: float64 maths agree to float32 precision, and numpy float32 gives a nearby float
    assert ex.sum_of_logs == pytest.approx(math.log(7.5e-06), rel=1e-6)
    f32 = np.float32
    assert float(np.log(f32(0.015)) + np.log(f32(0.05)) + np.log(f32(0.01))) == pytest.approx(ex.sum_of_logs, abs=4e-6)


def test_log_example_other_factors():
    ex = U.article_log_example((0.5, 0.25))
    assert ex.product == 0.125
    assert ex.sum_of_logs == pytest.approx(math.log(0.125), rel=1e-6)
    assert ex.log_of_product == pytest.approx(math.log(0.125), rel=1e-6)
    assert ex.torch_equal == (ex.sum_of_logs == ex.log_of_product)


# ---------------------------------------------------------------- underflow of the running product
def test_default_underflows_float32_before_float64(default):
    assert default.zero_at32 is not None and default.zero_at64 is not None
    assert default.zero_at32 < default.zero_at64
    assert len(default.n) == len(default.product32) == len(default.product64) == len(default.log_likelihood) == 100_000
    np.testing.assert_array_equal(default.n, np.arange(1, 100_001))
    assert default.product32.dtype == np.float32 and default.product64.dtype == np.float64


def _loop_first_zero(p, dtype):
    """A plain Python loop: multiply one factor after another, each product rounded to dtype."""
    running = dtype(1)
    for i, factor in enumerate(p.astype(dtype), start=1):
        running = dtype(running * factor)
        if running == 0:
            return i
    return None


def test_first_zero_matches_a_step_by_step_loop(default, draws):
    _, p = draws
    assert default.zero_at32 == _loop_first_zero(p, np.float32)
    assert default.zero_at64 == _loop_first_zero(p, np.float64)
    c32 = np.cumprod(p.astype(np.float32), dtype=np.float32)
    c64 = np.cumprod(p, dtype=np.float64)
    # and the products themselves agree where they are normal numbers
    ok64 = c64 > 1e-300
    np.testing.assert_allclose(default.product64[ok64], c64[ok64], rtol=1e-11)
    ok32 = c32 > np.finfo(np.float32).tiny
    np.testing.assert_allclose(default.product32[ok32], c32[ok32], rtol=1e-4)


def test_once_zero_stays_zero_and_decreases_before(default):
    z32, z64 = default.zero_at32, default.zero_at64
    assert np.all(default.product32[z32 - 1:] == 0.0) and np.all(default.product32[: z32 - 1] > 0.0)
    assert np.all(default.product64[z64 - 1:] == 0.0) and np.all(default.product64[: z64 - 1] > 0.0)
    # σ = 2.5: every density is below 1/(2.5·√(2π)) ≈ 0.16, so each factor shrinks the product
    assert np.all(np.diff(default.product64[:z64]) < 0)


def test_running_log_likelihood_is_finite_and_the_sum_of_logpdf(default, draws):
    x, p = draws
    ll = default.log_likelihood
    assert np.all(np.isfinite(ll))
    np.testing.assert_allclose(ll, np.cumsum(stats.norm.logpdf(x, 50, 2.5)), rtol=1e-12)
    hand = np.cumsum(-0.5 * ((x - 50) / 2.5) ** 2 - math.log(2.5) - 0.5 * math.log(2 * math.pi))
    np.testing.assert_allclose(ll, hand, rtol=1e-10)
    assert ll[-1] == pytest.approx(N.log_likelihood(x, 50, 2.5), rel=1e-10)
    # log of the product equals the running log where the float64 product is a normal number
    ok = default.product64 > 1e-300
    np.testing.assert_allclose(np.log(default.product64[ok]), ll[ok], rtol=1e-10)


def test_zeros_happen_where_theory_says(default):
    ll = default.log_likelihood
    t32, t64 = math.log(TINY32), math.log(TINY64)
    assert t32 == pytest.approx(-103.28, abs=0.01)
    assert t64 == pytest.approx(-744.44, abs=0.01)
    cross32 = int(np.flatnonzero(ll < t32)[0]) + 1
    cross64 = int(np.flatnonzero(ll < t64)[0]) + 1
    assert abs(default.zero_at32 - cross32) <= 2
    assert abs(default.zero_at64 - cross64) <= 2
    # just before the zero the product was still representable: log L above ln(tiny) - ln 2 ...
    assert ll[default.zero_at32 - 2] > t32 - math.log(2) - 1.0
    # ... and at the zero the true product is below half the smallest subnormal (rounds to 0)
    assert ll[default.zero_at64 - 1] < t64 - math.log(2) + 1.0


def test_small_n_does_not_underflow():
    u = U.running_products(10, 50, 2.5, seed=0)
    assert u.zero_at32 is None and u.zero_at64 is None
    assert np.all(u.product32 > 0) and np.all(u.product64 > 0)


def test_underflow_is_deterministic():
    a, b = U.running_products(500, 50, 2.5, seed=4), U.running_products(500, 50, 2.5, seed=4)
    np.testing.assert_array_equal(a.product64, b.product64)
    assert (a.zero_at32, a.zero_at64) == (b.zero_at32, b.zero_at64)


@pytest.mark.parametrize("n_max, sigma", [(0, 2.5), (-3, 2.5), (10, 0.0), (10, -1.0)])
def test_underflow_rejects_bad_input(n_max, sigma):
    with pytest.raises(ValueError):
        U.running_products(n_max, 50, sigma)


# ---------------------------------------------------------------- thinning for the chart
def _check_thin(idx, n_max, points):
    assert np.all(np.diff(idx) > 0)  # sorted and unique
    assert idx[0] == 0 and idx[-1] == n_max - 1
    assert idx.min() >= 0 and idx.max() <= n_max - 1
    assert len(idx) <= min(points, n_max)


def test_thin_default():
    idx = U.thin_for_plot(100_000)
    _check_thin(idx, 100_000, 400)
    assert len(idx) > 200  # still dense enough to draw a smooth line
    assert set(range(10)) <= set(idx.tolist())  # every early n, where the log axis is widest


@given(st.integers(1, 2_000_000), st.integers(2, 2000))
def test_thin_properties(n_max, points):
    _check_thin(U.thin_for_plot(n_max, points), n_max, points)


def test_thin_single_point():
    np.testing.assert_array_equal(U.thin_for_plot(1), [0])


@pytest.mark.parametrize("n_max", [5, 20, 400])
def test_thin_small_n_keeps_everything(n_max):
    np.testing.assert_array_equal(U.thin_for_plot(n_max), np.arange(n_max))


def test_equality_of_the_two_sides_is_luck_but_they_always_agree_within_float32_rounding():
    rate = U.log_equality_rate(300, seed=5)
    assert rate.trials == 300
    assert 0.05 < rate.share < 0.95  # `==` holds for some triples and fails for others
    assert 0 < rate.largest_gap < 1e-5  # a unit or two in the last place of float32 numbers near -10


def test_equality_rate_in_units_in_the_last_place():
    # the same triples again, one at a time through torch, counted here
    import torch

    rng = np.random.default_rng(3)
    equal, ulps = 0, 0.0
    for a, b, c in rng.uniform(np.finfo(np.float32).tiny, 1.0, size=(200, 3)):
        total = torch.log(torch.tensor(float(a))) + torch.log(torch.tensor(float(b))) + torch.log(torch.tensor(float(c)))
        direct = torch.log(torch.tensor(float(a) * float(b) * float(c)))
        equal += bool(total == direct)
        ulps = max(ulps, abs(direct.item() - total.item()) / float(np.spacing(np.abs(np.float32(total.item())))))
    rate = U.log_equality_rate(200, seed=3)
    assert (rate.trials, rate.equal) == (200, equal) and rate.largest_ulps == ulps
    assert 1 <= rate.largest_ulps <= 8 and float(rate.largest_ulps).is_integer()  # whole float32 steps


@pytest.mark.parametrize("value", [-11.800607681274414, 0.1, 1e-7, -3.5, 123456.789])
def test_float32_text_reads_back_as_the_same_float32_in_few_digits(value):
    text = U.float32_text(value)
    assert np.float32(float(text)) == np.float32(value)
    assert len(text.lstrip("-").replace(".", "").split("e")[0].lstrip("0")) <= 9
    assert U.float32_text(-11.800607681274414) == "-11.800608"


# ---------------------------------------------------------------- rises, and the smallest floats
def test_rises_counts_positive_log_densities():
    x = np.random.default_rng(1).normal(0, 0.3, 500)
    logp = stats.norm.logpdf(x, 0, 0.3)
    assert U.rises(np.cumsum(logp)) == int(np.sum(logp[1:] > 0)) > 0
    assert U.rises([0.0]) == 0 and U.rises([-1, -2, -3]) == 0


def test_the_smallest_positive_floats_are_where_a_product_ends():
    assert U.FLOAT32_TINY == pytest.approx(1.4e-45, rel=0.01)
    assert U.FLOAT64_TINY == pytest.approx(4.9e-324, rel=0.01)
    for tiny, dtype in ((U.FLOAT32_TINY, np.float32), (U.FLOAT64_TINY, np.float64)):
        assert dtype(tiny) > 0 and dtype(tiny) * dtype(0.4) == 0.0  # below it, a product rounds to 0.0
