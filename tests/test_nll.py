"""core.nll: -ln p, the peak density, and NLL as cross-entropy (checked against scipy/numpy)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from core import nll, normal


@given(st.floats(min_value=0.0, max_value=1.0, exclude_min=True, allow_nan=False))
def test_neg_log_is_never_negative(p):
    v = float(nll.neg_log(p))
    assert v >= 0.0
    assert v == pytest.approx(-math.log(p), rel=1e-15, abs=0.0)


def test_neg_log_values_and_arrays():
    assert float(nll.neg_log(1.0)) == 0.0
    assert float(nll.neg_log(math.exp(-3))) == pytest.approx(3.0, rel=1e-15)
    ps = np.array([1.0, 0.5, 0.1, 1e-300])
    np.testing.assert_allclose(nll.neg_log(ps), [-math.log(p) for p in ps], rtol=1e-15)
    assert np.all(np.diff(nll.neg_log(ps)) > 0)  # grows as p shrinks


@pytest.mark.parametrize("p", [0.0, -0.0, -0.1, -1e-300, 1.0000001, 2.0, math.inf, -math.inf, [0.5, 0.0], [0.5, 1.5]])
def test_neg_log_rejects_non_probabilities(p):
    with pytest.raises(ValueError):
        nll.neg_log(p)


def test_neg_log_rejects_nan():
    with pytest.raises(ValueError):
        nll.neg_log(float("nan"))


def test_peak_density_article():
    v = normal.peak_density(0.1)
    assert round(v, 4) == 3.9894
    assert v == pytest.approx(1 / (0.1 * math.sqrt(2 * math.pi)), rel=1e-14)


@given(st.floats(1e-3, 1e3, allow_nan=False))
def test_peak_density_closed_form(sigma):
    v = normal.peak_density(sigma)
    assert v == pytest.approx(1 / (sigma * math.sqrt(2 * math.pi)), rel=1e-13)
    threshold = 1 / math.sqrt(2 * math.pi)  # 0.3989...
    if sigma < threshold * (1 - 1e-12):
        assert v > 1
    elif sigma > threshold * (1 + 1e-12):
        assert v < 1


def _reference_nll(logits: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    """Mean NLL two ways: scipy's log_softmax, and a hand-written max-shifted log-sum-exp."""
    rows = np.arange(len(targets))
    via_scipy = -special.log_softmax(logits, axis=1)[rows, targets].mean()
    by_loop = []
    for row, t in zip(logits, targets):
        m = max(row)
        lse = m + math.log(math.fsum(math.exp(v - m) for v in row))
        by_loop.append(lse - row[t])
    return float(via_scipy), math.fsum(by_loop) / len(by_loop)


@pytest.mark.parametrize("rows, classes, seed", [(5, 27, 2147483647), (1, 2, 0), (32, 27, 42), (8, 1000, 7)])
def test_cross_entropy_check(rows, classes, seed):
    c = nll.cross_entropy_check(rows, classes, seed)
    assert tuple(c.logits.shape) == (rows, classes)
    assert tuple(c.targets.shape) == (rows,)
    assert int(c.targets.min()) >= 0 and int(c.targets.max()) < classes
    assert abs(c.by_hand - c.cross_entropy) < 1e-6
    logits = c.logits.double().numpy()
    targets = c.targets.numpy()
    via_scipy, by_loop = _reference_nll(logits, targets)
    assert via_scipy == pytest.approx(by_loop, rel=1e-12)
    assert c.by_hand == pytest.approx(via_scipy, abs=1e-5)
    assert c.cross_entropy == pytest.approx(via_scipy, abs=1e-5)
    assert c.cross_entropy > 0


def test_cross_entropy_check_default_is_seeded():
    a, b = nll.cross_entropy_check(), nll.cross_entropy_check()
    assert a.by_hand == b.by_hand and a.cross_entropy == b.cross_entropy
    assert bool((a.logits == b.logits).all()) and bool((a.targets == b.targets).all())
    # 27 roughly uniform classes: the loss sits near ln 27, not near 0
    assert abs(a.cross_entropy - math.log(27)) < 1.5


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 20), st.integers(2, 50), st.integers(0, 2**31 - 1))
def test_cross_entropy_check_property(rows, classes, seed):
    c = nll.cross_entropy_check(rows, classes, seed)
    via_scipy, _ = _reference_nll(c.logits.double().numpy(), c.targets.numpy())
    assert abs(c.by_hand - c.cross_entropy) < 1e-5
    assert c.cross_entropy == pytest.approx(via_scipy, abs=1e-5)


def test_certainty_costs_exactly_zero_not_minus_zero():
    assert str(float(nll.neg_log(1.0))) == "0.0"


def test_the_same_data_in_other_units_has_another_nll():
    from scipy import stats

    x = np.array((48.8292, 49.3087, 52.4836, 53.2384, 57.6151))
    by_scipy = [-stats.norm.logpdf(d, d.mean(), d.std(ddof=0)).sum() for d in (x, x / 100)]
    assert round(by_scipy[0], 2) == 12.86 and round(by_scipy[1], 2) == -10.17
    units = nll.other_units(tuple(x), 100)
    assert units.nll == pytest.approx(by_scipy[0], rel=1e-12)
    assert units.nll_rescaled == pytest.approx(by_scipy[1], rel=1e-12)
    assert units.shift == pytest.approx(len(x) * math.log(100), rel=1e-12) and units.log_factor == math.log(100)
    assert nll.nll_at_mle(x) == pytest.approx(by_scipy[0], rel=1e-12)
    with pytest.raises(ValueError):
        nll.other_units(tuple(x), 0)


X = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def test_narrow_normal_and_cross_entropy():
    narrow = nll.point_at_mean(0.1)
    assert narrow.peak_density == pytest.approx(3.9894, abs=1e-4)
    assert narrow.nll == pytest.approx(-math.log(narrow.peak_density)) and narrow.nll_negative
    assert not nll.point_at_mean(nll.SIGMA_PEAK_ONE * 1.01).nll_negative
    assert nll.point_at_mean(nll.SIGMA_PEAK_ONE * 0.99).nll_negative
    assert nll.neg_log_likelihood(X, 50, 5) == pytest.approx(-stats.norm.logpdf(X, 50, 5).sum())
    assert nll.nll_at_mle(X) == pytest.approx(-stats.norm.logpdf(X, np.mean(X), np.std(X)).sum())
    assert nll.cross_entropy_gap(nll.cross_entropy_check()) < 1e-6
    assert stats.norm.pdf(0, 0, nll.SIGMA_PEAK_ONE) == pytest.approx(1.0)
