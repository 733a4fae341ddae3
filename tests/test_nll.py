"""core.nll: -ln p, the peak density, and NLL as cross-entropy (checked against scipy/numpy)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
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


# --- a total against a mean ------------------------------------------------------------------------
def test_total_is_n_times_the_mean_and_both_are_lowest_at_the_mle():
    x = np.array(normal.ARTICLE_DATA)
    tm = nll.total_and_mean(x)
    direct = -stats.norm.logpdf(x, x.mean(), x.std()).sum()
    assert tm.total == pytest.approx(direct, rel=1e-12) and tm.mean * tm.n == pytest.approx(direct, rel=1e-12)
    # the mean NLL over a grid is lowest at the same (μ, σ) as the total: dividing by n moves no minimiser
    mus, sigmas = np.meshgrid(np.linspace(50, 55, 101), np.linspace(2, 5, 101))
    totals = -stats.norm.logpdf(x[:, None, None], mus, sigmas).sum(0)
    assert np.argmin(totals) == np.argmin(totals / len(x))


# --- squared error as an NLL -----------------------------------------------------------------------
@given(st.floats(0.5, 10.0), st.floats(40.0, 65.0))
@settings(max_examples=40, deadline=None)
def test_squared_error_relation_against_scipy(sigma, mu):
    x = np.array(normal.ARTICLE_DATA)
    se = nll.squared_error(x, sigma, mu, 40.0, 65.0)
    sse = float(((x - mu) ** 2).sum())
    assert se.sse == pytest.approx(sse, rel=1e-12)
    assert se.nll_at == pytest.approx(-stats.norm.logpdf(x, mu, sigma).sum(), rel=1e-12)
    assert se.constant + se.scaled_sse == pytest.approx(se.nll_at, rel=1e-12)     # the exact relation
    np.testing.assert_allclose(se.nll, se.constant + len(x) * se.mse / (2 * sigma**2), rtol=1e-12)
    assert se.argmin_mse == se.argmin_nll                                          # the same minimiser
    assert abs(se.argmin_mse - x.mean()) <= (65 - 40) / 400 / 2 + 1e-12
    (a, b), total = nll.relation_terms(se)
    d = len(total.split(".")[1])
    assert d >= 4 and f"{float(a) + float(b):.{d}f}" == total and abs(float(total) - se.nll_at) <= 0.5 * 10**-d


# --- why a cross-entropy takes logits -------------------------------------------------------------
def _naive(logits, targets):
    """The article's softmax and NLL, in float32, written again."""
    counts = torch.exp(logits)
    probs = counts / counts.sum(dim=1, keepdim=True)
    return -torch.log(probs[torch.arange(len(targets)), targets]).mean().item()


@given(st.floats(1.0, 1000.0), st.integers(0, 2**31 - 1))
@settings(max_examples=60, deadline=None)
def test_softmax_check_against_torch_and_scipy(scale, seed):
    c = nll.softmax_check(scale, seed=seed)
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn((5, 27), generator=g) * scale
    targets = torch.randint(0, 27, (5,), generator=g)
    assert torch.equal(c.logits, logits) and torch.equal(c.targets, targets)
    assert c.cross_entropy == F.cross_entropy(logits, targets).item()
    reference = -special.log_softmax(logits.double().numpy(), axis=1)[np.arange(5), targets.numpy()].mean()
    tol = 1e-6 * max(1.0, abs(reference))
    assert abs(c.stable - reference) <= tol and abs(c.cross_entropy - reference) <= tol
    assert math.isfinite(c.stable) and c.stable_agrees                  # log-sum-exp never overflows
    naive = _naive(logits, targets)
    assert (math.isnan(c.naive) and math.isnan(naive)) or c.naive == naive
    # the outcome is read from the numbers, and its sentence says what happened
    expected = ("nan" if math.isnan(naive) else "infinite" if math.isinf(naive) else
                "agrees" if abs(naive - reference) <= 16 * np.spacing(np.float32(reference)) + 1e-6 * abs(reference)
                else None)
    if expected is not None and expected != "agrees":
        assert c.outcome == expected
    if c.outcome == "agrees":
        assert abs(naive - c.cross_entropy) <= 16 * float(np.spacing(np.float32(c.cross_entropy)))
    assert c.overflowed == bool(logits.max().item() > nll.LARGEST_EXPONENT32)
    said = nll.softmax_sentence(c)
    assert {"agrees": "agrees with F.cross_entropy to rounding", "off": "Nothing overflows yet",
            "infinite": "−ln 0 = ∞", "nan": "inf / inf = nan"}[c.outcome] in said
    assert ("is beyond a float32" in said) == (c.overflowed and c.outcome in ("infinite", "nan"))


@pytest.mark.parametrize("scale, outcome", [(1.0, "agrees"), (25.0, "agrees"), (30.0, "off"), (31.0, "infinite"),
                                            (300.0, "nan")])
def test_softmax_check_at_the_pages_scales(scale, outcome):
    c = nll.softmax_check(scale)
    assert c.outcome == outcome
    if outcome == "off":        # the true class's probability kept only a few bits
        assert c.subnormal_probability and "subnormal" in nll.softmax_sentence(c)
        naive, built_in = (t for t in nll.softmax_sentence(c).rsplit("is ", 1)[1].rstrip(".").split(", F.cross_entropy "))
        assert naive != built_in


def test_softmax_check_refuses_a_bad_scale():
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError):
            nll.softmax_check(bad)
