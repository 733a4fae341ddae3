"""core.normal: probabilities, densities, likelihoods, logs and the closed-form MLE.

Every figure is checked against an independent computation: a hand-written pdf / log pdf
with math.exp / math.log, an erf-based CDF, brute-force loops, or the statistics module.
"""
from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core import normal as N

SQRT2 = math.sqrt(2.0)
LOG_2PI = math.log(2.0 * math.pi)

DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


# ---------------------------------------------------------------- independent references
def pdf(x: float, mu: float, sigma: float) -> float:
    return math.exp(-((x - mu) ** 2) / (2.0 * sigma * sigma)) / (sigma * math.sqrt(2.0 * math.pi))


def logpdf(x: float, mu: float, sigma: float) -> float:
    z = (x - mu) / sigma
    return -0.5 * z * z - math.log(sigma) - 0.5 * LOG_2PI


def phi(z: float) -> float:
    """Standard normal CDF from math.erf."""
    return 0.5 * (1.0 + math.erf(z / SQRT2))


def brute_loglik(data, mu, sigma) -> float:
    return math.fsum(logpdf(x, mu, sigma) for x in data)


# strategies
finite = dict(allow_nan=False, allow_infinity=False)
data_st = st.lists(st.floats(-1e3, 1e3, **finite), min_size=1, max_size=30)
mu_st = st.floats(-1e3, 1e3, **finite)
sigma_st = st.floats(1e-2, 1e3, **finite)


# ---------------------------------------------------------------- probability
def test_article_interval_probability():
    p = N.interval_probability(50, 52.5, 50, 2.5)
    assert round(p, 4) == 0.3413
    assert p == pytest.approx(phi(1.0) - phi(0.0), abs=1e-14)


@pytest.mark.parametrize("k, shown", [(1, "68.27 %"), (2, "95.45 %"), (3, "99.73 %")])
def test_sigma_rule(k, shown):
    p = N.sigma_rule(k)
    assert p == pytest.approx(math.erf(k / SQRT2), abs=1e-14)
    assert f"{100 * p:.2f} %" == shown
    # the rule does not depend on μ, σ
    assert N.interval_probability(50 - k * 2.5, 50 + k * 2.5, 50, 2.5) == pytest.approx(p, abs=1e-14)


def test_interval_probability_far_upper_tail_keeps_precision():
    # both ends far above μ: cdf - cdf would lose everything; the sf branch must not
    exact = 0.5 * (math.erfc(10 / SQRT2) - math.erfc(11 / SQRT2))
    assert N.interval_probability(10, 11, 0, 1) == pytest.approx(exact, rel=1e-9)
    assert N.interval_probability(-11, -10, 0, 1) == pytest.approx(exact, rel=1e-9)


@pytest.mark.parametrize("sigma", [0.0, -1.0, float("nan")])
def test_bad_sigma_raises(sigma):
    with pytest.raises(ValueError):
        N.interval_probability(0, 1, 0, sigma)
    with pytest.raises(ValueError):
        N.densities(DATA, 0, sigma)
    with pytest.raises(ValueError):
        N.log_likelihood(DATA, 0, sigma)
    with pytest.raises(ValueError):
        N.sample_fraction_inside(0, 1, 0, sigma, 10, 0)


@given(st.floats(-50, 50, **finite), st.floats(-50, 50, **finite), st.floats(-50, 50, **finite),
       st.floats(-10, 10, **finite), st.floats(0.1, 10, **finite))
def test_interval_probability_properties(a, b, c, mu, sigma):
    p_ab = N.interval_probability(a, b, mu, sigma)
    assert 0.0 <= p_ab <= 1.0
    assert N.interval_probability(b, a, mu, sigma) == p_ab  # symmetric in a, b
    lo, mid, hi = sorted((a, b, c))
    whole = N.interval_probability(lo, hi, mu, sigma)
    parts = N.interval_probability(lo, mid, mu, sigma) + N.interval_probability(mid, hi, mu, sigma)
    assert parts == pytest.approx(whole, abs=1e-12)  # additive over adjacent intervals
    ref = phi((hi - mu) / sigma) - phi((lo - mu) / sigma)
    assert whole == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_sample_fraction_close_to_exact_and_deterministic(seed):
    n = 200_000
    a, b, mu, sigma = 50, 52.5, 50, 2.5
    frac = N.sample_fraction_inside(a, b, mu, sigma, n, seed)
    p = N.interval_probability(a, b, mu, sigma)
    assert abs(frac - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert N.sample_fraction_inside(a, b, mu, sigma, n, seed) == frac  # same seed, same answer
    assert N.sample_fraction_inside(b, a, mu, sigma, n, seed) == frac  # order of the ends is irrelevant
    # independent count of the same seeded draws
    x = np.sort(np.random.default_rng(seed).normal(mu, sigma, size=n))
    count = np.searchsorted(x, b, side="right") - np.searchsorted(x, a, side="left")
    assert frac == count / n


def test_sample_fraction_differs_between_seeds():
    assert N.sample_fraction_inside(50, 52.5, 50, 2.5, 10_000, 0) != N.sample_fraction_inside(
        50, 52.5, 50, 2.5, 10_000, 1)


# ---------------------------------------------------------------- the article's likelihoods
def test_article_constants():
    assert N.ARTICLE_DATA == DATA
    assert N.ARTICLE_A == (50.0, 5.0)
    assert N.ARTICLE_B == (45.0, 8.0)


@pytest.mark.parametrize("params, expected", [
    ((50, 5), (0.0776, 0.0790, 0.0705, 0.0647, 0.0250)),
    ((45, 8), (0.0445, 0.0431, 0.0322, 0.0293, 0.0144)),
])
def test_article_densities(params, expected):
    d = N.densities(DATA, *params)
    assert tuple(float(v) for v in np.round(d, 4)) == expected
    assert tuple(round(pdf(x, *params), 4) for x in DATA) == expected
    np.testing.assert_allclose(d, [pdf(x, *params) for x in DATA], rtol=1e-13)


@pytest.mark.parametrize("params, shown", [((50, 5), "7.0030e-07"), ((45, 8), "2.6068e-08")])
def test_article_exact_likelihoods(params, shown):
    L = N.likelihood(DATA, *params)
    assert f"{L:.4e}" == shown
    assert L == pytest.approx(math.prod(pdf(x, *params) for x in DATA), rel=1e-13)


def test_article_rounded_products_are_the_printed_floats():
    a, b = N.score(DATA, 50, 5), N.score(DATA, 45, 8)
    assert a.rounded_product == 6.99072501e-07
    assert b.rounded_product == 2.6056931140799998e-08
    # the article's own computation: round each density to 4 d.p., multiply left to right
    for params, printed in (((50, 5), 6.99072501e-07), ((45, 8), 2.6056931140799998e-08)):
        prod = 1.0
        for x in DATA:
            prod *= round(pdf(x, *params), 4)
        assert prod == printed
        assert N.rounded_product([pdf(x, *params) for x in DATA]) == printed


def test_score_fields_agree():
    s = N.score(DATA, 50, 5)
    assert (s.mu, s.sigma) == (50, 5)
    np.testing.assert_allclose(s.densities, [pdf(x, 50, 5) for x in DATA], rtol=1e-13)
    assert s.likelihood == pytest.approx(math.prod(pdf(x, 50, 5) for x in DATA), rel=1e-13)
    assert s.log_likelihood == pytest.approx(brute_loglik(DATA, 50, 5), rel=1e-13)


def test_article_mle_beats_both_candidates():
    est = N.mle(DATA)
    assert round(est.mu, 3) == 52.295
    assert round(est.sigma, 4) == 3.1673
    assert est.mu == pytest.approx(statistics.fmean(DATA), rel=1e-15)
    assert est.sigma == pytest.approx(statistics.pstdev(DATA), rel=1e-13)
    L = N.likelihood(DATA, est.mu, est.sigma)
    assert f"{L:.2e}" == "2.60e-06"
    assert L == pytest.approx(math.prod(pdf(x, est.mu, est.sigma) for x in DATA), rel=1e-13)
    assert L > N.likelihood(DATA, 50, 5) > N.likelihood(DATA, 45, 8)


def test_sample_std():
    s = N.sample_std(DATA)
    assert round(s, 4) == 3.5411
    assert s == pytest.approx(statistics.stdev(DATA), rel=1e-13)
    assert s > N.mle(DATA).sigma  # n - 1 divides by less
    assert math.isnan(N.sample_std([1.0]))


def test_likelihood_ratio_article_and_underflow():
    a, b = N.score(DATA, 50, 5), N.score(DATA, 45, 8)
    ratio, log_ratio = N.likelihood_ratio(a, b)
    assert ratio == pytest.approx(a.likelihood / b.likelihood, rel=1e-12)
    assert log_ratio == pytest.approx(brute_loglik(DATA, 50, 5) - brute_loglik(DATA, 45, 8), rel=1e-12)
    # with many observations both products underflow, the ratio from logs does not
    big = N.random_sample(2000, 50, 2.5, seed=3)
    a, b = N.score(big, 50, 2.5), N.score(big, 50.2, 2.5)
    assert a.likelihood == 0.0 and b.likelihood == 0.0
    ratio, log_ratio = N.likelihood_ratio(a, b)
    assert log_ratio == pytest.approx(brute_loglik(big, 50, 2.5) - brute_loglik(big, 50.2, 2.5), rel=1e-9)
    assert ratio == pytest.approx(math.exp(log_ratio), rel=1e-12)
    # an astronomically large ratio becomes inf instead of raising OverflowError
    far = N.score(big, 70, 2.5)
    assert N.likelihood_ratio(a, far)[0] == math.inf


# ---------------------------------------------------------------- logs
def test_article_log_likelihood_is_log_of_likelihood():
    for mu, sigma in ((50, 5), (45, 8), (52.295, 3.1673)):
        assert N.log_likelihood(DATA, mu, sigma) == pytest.approx(math.log(N.likelihood(DATA, mu, sigma)), rel=1e-13)


@given(data_st, mu_st, sigma_st)
def test_log_likelihood_is_sum_of_log_densities(data, mu, sigma):
    ll = N.log_likelihood(data, mu, sigma)
    assert ll == pytest.approx(brute_loglik(data, mu, sigma), rel=1e-10, abs=1e-9)
    L = math.prod(pdf(x, mu, sigma) for x in data)
    if L > 1e-300 and math.isfinite(L):  # where the product neither underflows nor overflows
        assert ll == pytest.approx(math.log(L), rel=1e-9, abs=1e-9)
        assert N.likelihood(data, mu, sigma) == pytest.approx(L, rel=1e-9)


def test_log_likelihood_survives_where_the_product_underflows():
    big = N.random_sample(5000, 50, 2.5, seed=0)
    assert N.likelihood(big, 50, 2.5) == 0.0
    ll = N.log_likelihood(big, 50, 2.5)
    assert math.isfinite(ll)
    assert ll == pytest.approx(brute_loglik(big, 50, 2.5), rel=1e-12)


def test_over_mu_over_sigma_match_brute_force():
    mus = np.linspace(40, 60, 41)
    sigmas = np.linspace(0.5, 10, 39)
    got_mu = N.log_likelihood_over_mu(DATA, mus, 3.0)
    np.testing.assert_allclose(got_mu, [brute_loglik(DATA, m, 3.0) for m in mus], rtol=1e-12)
    np.testing.assert_allclose(N.likelihood_over_mu(DATA, mus, 3.0),
                               [math.prod(pdf(x, m, 3.0) for x in DATA) for m in mus], rtol=1e-11)
    got_s = N.log_likelihood_over_sigma(DATA, 52.0, sigmas)
    np.testing.assert_allclose(got_s, [brute_loglik(DATA, 52.0, s) for s in sigmas], rtol=1e-12)
    with pytest.raises(ValueError):
        N.log_likelihood_over_sigma(DATA, 52.0, [1.0, 0.0])
    with pytest.raises(ValueError):
        N.log_likelihood_over_mu(DATA, mus, -1.0)


def test_grid_matches_brute_force_and_orientation():
    mus, sigmas = N.grid_around(DATA, points=31)
    grid = N.log_likelihood_grid(DATA, mus, sigmas)
    assert grid.shape == (len(sigmas), len(mus))  # rows follow σ, columns follow μ
    ref = np.array([[brute_loglik(DATA, m, s) for m in mus] for s in sigmas])
    np.testing.assert_allclose(grid, ref, rtol=1e-11, atol=1e-9)
    with pytest.raises(ValueError):
        N.log_likelihood_grid(DATA, mus, np.array([1.0, -1.0]))


@settings(max_examples=60)
@given(st.lists(st.floats(-100, 100, **finite), min_size=1, max_size=20),
       st.lists(st.floats(-200, 200, **finite), min_size=1, max_size=5),
       st.lists(st.floats(0.1, 100, **finite), min_size=1, max_size=5))
def test_grid_and_curves_match_brute_force(data, mus, sigmas):
    grid = N.log_likelihood_grid(data, mus, sigmas)
    ref = np.array([[brute_loglik(data, m, s) for m in mus] for s in sigmas])
    np.testing.assert_allclose(grid, ref, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(N.log_likelihood_over_mu(data, mus, sigmas[0]), ref[0], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(N.log_likelihood_over_sigma(data, mus[0], sigmas), ref[:, 0], rtol=1e-9, atol=1e-6)


def test_grid_is_accurate_for_data_far_from_zero():
    data = [1e8 + v for v in (0.1, 0.5, 0.2, 0.9, 0.3)]  # typed values a user may enter
    mus, sigmas = N.grid_around(data, points=21)
    grid = N.log_likelihood_grid(data, mus, sigmas)
    ref = np.array([[N.log_likelihood(data, m, s) for m in mus] for s in sigmas])
    np.testing.assert_allclose(grid, ref, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("data", [DATA, N.random_sample(200, 10, 2, seed=5)])
def test_grid_argmax_is_near_the_closed_form_mle(data):
    mus, sigmas = N.grid_around(data)
    grid = N.log_likelihood_grid(data, mus, sigmas)
    i, j = np.unravel_index(np.argmax(grid), grid.shape)
    est = N.mle(data)
    assert abs(mus[j] - est.mu) <= (mus[1] - mus[0])
    assert abs(sigmas[i] - est.sigma) <= (sigmas[1] - sigmas[0])
    assert mus[0] < est.mu < mus[-1] and sigmas[0] < est.sigma < sigmas[-1]


def test_grid_around_single_observation():
    mus, sigmas = N.grid_around([3.0], width=2.0, points=5)
    np.testing.assert_allclose(mus, [1.0, 2.0, 3.0, 4.0, 5.0])  # spread falls back to 1
    np.testing.assert_allclose(sigmas, np.linspace(0.25, 3.0, 5))


@settings(max_examples=60)
@given(st.lists(st.floats(-1e3, 1e3, **finite), min_size=2, max_size=30),
       st.lists(st.tuples(st.floats(-2e3, 2e3, **finite), st.floats(1e-3, 1e4, **finite)), min_size=1, max_size=10))
def test_closed_form_mle_maximises_log_likelihood(data, others):
    est = N.mle(data)
    assume(est.sigma > 1e-3)
    best = N.log_likelihood(data, est.mu, est.sigma)
    for mu, sigma in others:
        assert best >= N.log_likelihood(data, mu, sigma) - 1e-9 * abs(best)
    # and small perturbations around it do not beat it either
    for dm, ds in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)):
        assert best >= N.log_likelihood(data, est.mu + dm * est.sigma, est.sigma * (1 + ds)) - 1e-9 * abs(best)


@given(st.lists(st.floats(-1e3, 1e3, **finite), min_size=2, max_size=30), mu_st)
def test_best_sigma_given_mu(data, mu):
    s = N.best_sigma_given_mu(data, mu)
    assert s == pytest.approx(math.sqrt(math.fsum((x - mu) ** 2 for x in data) / len(data)), rel=1e-9, abs=1e-12)
    assume(s > 1e-3)
    best = N.log_likelihood(data, mu, s)
    for f in (0.5, 0.9, 0.999, 1.001, 1.1, 2.0):
        assert best >= N.log_likelihood(data, mu, s * f) - 1e-9 * abs(best)


def test_best_sigma_at_the_mean_is_the_mle_sigma():
    est = N.mle(DATA)
    assert N.best_sigma_given_mu(DATA, est.mu) == pytest.approx(est.sigma, rel=1e-14)


def test_random_sample_is_seeded_and_rounded():
    a = N.random_sample(1000, 50, 2.5, seed=11)
    assert a == N.random_sample(1000, 50, 2.5, seed=11)
    assert a != N.random_sample(1000, 50, 2.5, seed=12)
    assert len(a) == 1000 and all(isinstance(v, float) for v in a)
    assert all(v == round(v, 4) for v in a)
    assert abs(statistics.fmean(a) - 50) < 4 * 2.5 / math.sqrt(1000)
    with pytest.raises(ValueError):
        N.random_sample(5, 0, 0, seed=0)
