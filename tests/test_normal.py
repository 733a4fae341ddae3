"""core.normal: probabilities, densities, likelihoods, logs and the closed-form MLE.

Every figure is checked against an independent computation: a hand-written pdf / log pdf
with math.exp / math.log, an erf-based CDF, brute-force loops, or the statistics module.
"""
from __future__ import annotations

import math
import statistics
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy.stats import norm

from core import formatting, normal as N

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


@given(st.floats(-300, 300, **finite), st.floats(-300, 300, **finite), st.floats(-100, 100, **finite),
       st.floats(0.01, 30, **finite))
def test_interval_probability_is_scipys_to_the_last_bit(a, b, mu, sigma):
    """The CDF is scipy's ndtr without stats.norm's per-call checks: the same floats, tails too."""
    lo, hi = sorted((a, b))
    if lo > mu:
        ref = norm.sf(lo, mu, sigma) - norm.sf(hi, mu, sigma)
    else:
        ref = norm.cdf(hi, mu, sigma) - norm.cdf(lo, mu, sigma)
    assert N.interval_probability(a, b, mu, sigma) == float(ref)
    assert N.standard_cdf(a / 100) == float(norm.cdf(a / 100))


@settings(max_examples=300, deadline=None)
@given(x=st.floats(-1e4, 1e4), mu=st.floats(-1e4, 1e4), sigma=st.floats(1e-3, 1e3))
def test_the_closed_form_density_is_scipys(x, mu, sigma):
    """density() is stats.norm.pdf's formula written out: the same value to a few units in the last
    place, underflow to 0 included."""
    assert N.density(x, mu, sigma) == pytest.approx(float(norm.pdf(x, mu, sigma)), rel=1e-13, abs=1e-300)


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


@pytest.mark.parametrize("data, names", [
    ((50.0, 55.0), None),
    ((50.0,), "only one observation"),
    ((3.0, 3.0, 3.0), "All observations are equal"),
    ((0.0, 1e-300), "differ by only"),
])
def test_no_best_normal_says_why_exactly_when_the_mle_sigma_is_unusable(data, names):
    why = N.no_best_normal(data)
    sigma = statistics.pstdev(data) if len(set(data)) > 1 else 0.0
    assert (why is None) == (sigma >= N.TINY_SPREAD or (len(set(data)) > 1 and N.mle(data).sigma >= N.TINY_SPREAD))
    if names is not None:
        reason, remedy = why
        assert names in reason and "equal" not in reason.replace("All observations are equal", "")
        assert remedy.endswith(".")


@pytest.mark.parametrize("log_a, log_b, better", [
    (-14.0, -14.0, None), (-14.00004, -14.0, None), (-14.0, -14.00004, None),
    (-14.00006, -14.0, "B"), (-14.0, -14.00006, "A"), (-14.0002, -14.0, "B"), (-14.1718, -17.4626, "A"),
    (-800.0, 0.0, "B"),
    # the logs as the page shows them, -12.0000 and -12.0001, differ by 0.0001 although the exact
    # difference, 0.00002, is below half of it: the verdict follows the figures shown
    (-12.00004, -12.00006, "A"),
    (-12.00006, -12.00004, "B"),
    # and the other way round: an exact difference of 0.00009 between logs shown equal
    (-12.000149, -12.000059, None),
])
def test_which_better_says_a_tie_only_when_the_logs_shown_are_equal(log_a, log_b, better):
    assert N.which_better(log_a, log_b) == better
    assert (better is None) == (f"{log_a:.4f}" == f"{log_b:.4f}")


def test_the_article_example_is_recognised_only_as_printed():
    a, b = N.score(N.ARTICLE_DATA, *N.ARTICLE_A), N.score(N.ARTICLE_DATA, *N.ARTICLE_B)
    assert N.is_article_example(N.ARTICLE_DATA, a, b) and not N.is_article_example(N.ARTICLE_DATA, b, a)
    assert not N.is_article_example(N.ARTICLE_DATA[:4], a, b)


def test_area_near_one_and_infinite_areas_in_words():
    assert N.area_near_one(math.log(1.005)) and N.area_near_one(math.log(0.995))
    assert not N.area_near_one(math.log(1.02)) and not N.area_near_one(math.inf)
    assert formatting.sci_text(math.inf) == "∞" and formatting.sci_words(math.inf) == "infinite"


def test_score_fields_agree():
    s = N.score(DATA, 50, 5)
    assert (s.mu, s.sigma) == (50, 5)
    np.testing.assert_allclose(s.densities, [pdf(x, 50, 5) for x in DATA], rtol=1e-13)
    assert s.likelihood == pytest.approx(math.prod(pdf(x, 50, 5) for x in DATA), rel=1e-13)
    assert s.log_likelihood == pytest.approx(brute_loglik(DATA, 50, 5), rel=1e-13)
    np.testing.assert_allclose(s.log_densities, [logpdf(x, 50, 5) for x in DATA], rtol=1e-13)


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


# ---------------------------------------------------------------- chapter 1: Φ and the rule
def test_standard_cdf_is_phi():
    for z in (-3.0, -1.0, 0.0, 0.5, 1.0, 2.0):
        assert N.standard_cdf(z) == pytest.approx(phi(z), abs=1e-15)
    assert N.standard_cdf(0) == 0.5


def test_article_phi_steps():
    s = N.phi_steps(50, 52.5, 50, 2.5)
    assert (s.z_a, s.z_b) == (0.0, 1.0)
    assert (f"{s.phi_b:.4f}", f"{s.phi_a:.4f}", f"{s.probability:.4f}", s.decimals) == ("0.8413", "0.5000", "0.3413", 4)
    assert s.phi_b - s.phi_a == pytest.approx(N.sigma_rule(1) / 2, abs=1e-15)  # half the band, by symmetry


def _subtracts(s) -> bool:
    d = s.decimals
    return Decimal(f"{s.phi_b:.{d}f}") - Decimal(f"{s.phi_a:.{d}f}") == Decimal(f"{s.probability:.{d}f}")


@settings(max_examples=300)
@given(st.floats(-100, 200, **finite), st.floats(-100, 200, **finite),
       st.sampled_from([i / 2 for i in range(201)]), st.sampled_from([i / 10 for i in range(1, 201)]))
def test_phi_steps_shown_numbers_always_subtract(a, b, mu, sigma):
    """Over every state of page 1's controls, the shown Φ(z_b) − Φ(z_a) = P adds up, with z = (x − μ)/σ."""
    s = N.phi_steps(a, b, mu, sigma)
    assert _subtracts(s) and 4 <= s.decimals <= 10
    lo, hi = sorted((a, b))
    assert s.z_a == pytest.approx((lo - mu) / sigma, abs=1e-12) and s.z_b == pytest.approx((hi - mu) / sigma, abs=1e-12)
    assert s.phi_a == pytest.approx(phi(s.z_a), abs=1e-14) and s.phi_b == pytest.approx(phi(s.z_b), abs=1e-14)
    assert s.probability == N.interval_probability(a, b, mu, sigma)
    assert math.copysign(1, s.z_a) == 1 or s.z_a != 0  # never −0.0


def test_phi_steps_takes_more_decimals_when_four_do_not_add_up():
    # Φ(z_b) − Φ(z_a) where the 4-decimal roundings of the three numbers disagree
    mu, sigma = 0.0, 1.0
    for a in np.linspace(-2, 2, 401):
        b = a + 0.37
        s = N.phi_steps(a, b, mu, sigma)
        four = Decimal(f"{phi(b):.4f}") - Decimal(f"{phi(a):.4f}") == Decimal(f"{s.probability:.4f}")
        assert (s.decimals == 4) == four and _subtracts(s)
    assert any(N.phi_steps(a, a + 0.37, mu, sigma).decimals > 4 for a in np.linspace(-2, 2, 401))


@pytest.mark.parametrize("k", N.RULE_KS)
def test_rule_band_recognises_the_buttons_intervals(k):
    for mu in (0.0, 0.3, 50.0, 99.5):
        for sigma in (0.1, 0.3, 2.5, 7.7, 20.0):
            lo, hi = N.rule_interval(mu, sigma, k)
            assert N.rule_band(lo, hi, mu, sigma) == ("band", k)
            assert N.rule_band(hi, lo, mu, sigma) == ("band", k)  # the ends in either order
            assert N.rule_band(mu, hi, mu, sigma) == ("upper", k)
            assert N.rule_band(lo, mu, mu, sigma) == ("lower", k)
            assert N.rule_band(lo, hi + 0.01, mu, sigma) is None
            # by symmetry each half holds half the band
            assert N.interval_probability(mu, mu + k * sigma, mu, sigma) == pytest.approx(
                math.erf(k / SQRT2) / 2, abs=1e-12)
    assert N.rule_band(50, 52.5, 50, 2.5) == ("upper", 1)
    assert N.rule_band(51, 52.5, 50, 2.5) is None


def test_rule_interval_never_shows_minus_zero():
    lo, hi = N.rule_interval(0.3, 0.1, 3)  # 0.3 − 3 × 0.1 is −5.6e-17 in floats
    assert lo == 0 and math.copysign(1, lo) == 1 and hi == 0.6
    assert N.rule_interval(50, 2.5, 2) == (45.0, 55.0)


def test_display_scale():
    ordinary = np.log([1e-10, 2e-7, 3e-9])
    values, k = N.display_scale(ordinary)
    assert k == 0 and values == pytest.approx([1e-10, 2e-7, 3e-9], rel=1e-12)
    tiny = np.array([-2600.0, -2590.0, -2605.0])
    values, k = N.display_scale(tiny)
    assert 1 <= values.max() < 10
    assert np.log(values) + k * math.log(10) == pytest.approx(tiny, rel=1e-12)  # L = value × 10^k
    huge = np.array([900.0, 880.0])
    values, k = N.display_scale(huge)
    assert k > 0 and 1 <= values.max() < 10


# ---------------------------------------------------------------- chapter 2: rounding and units
def test_article_rounded_products_exactly():
    by_hand = {(50, 5): ("0.0776", "0.0790", "0.0705", "0.0647", "0.0250"),
               (45, 8): ("0.0445", "0.0431", "0.0322", "0.0293", "0.0144")}
    for (mu, sigma), printed in by_hand.items():
        r = N.rounded_product_decimal(DATA, mu, sigma)
        assert r.value == math.prod(Decimal(v) for v in printed) and r.exact
        assert float(r.value) == pytest.approx(N.score(DATA, mu, sigma).rounded_product, rel=1e-15)
        exact = math.prod(pdf(x, mu, sigma) for x in DATA)
        assert math.expm1(r.log_gap) == pytest.approx(exact / float(r.value) - 1, rel=1e-9)
    gaps = [formatting.compared(N.rounded_product_decimal(DATA, *p).log_gap) for p in ((50, 5), (45, 8))]
    assert gaps == ["is 0.18 % larger than", "is 0.04 % larger than"]  # the 0.18 % and 0.04 %
    assert formatting.decimal_words(N.rounded_product_decimal(DATA, 45, 8).value) == "2.60569311408 × 10⁻⁸"
    assert formatting.decimal_words(N.rounded_product_decimal(DATA, 50, 5).value) == "6.99072501 × 10⁻⁷"


def test_rounded_product_without_underflow_or_float_rounding():
    big = N.random_sample(1000, 50, 2.5, seed=4)
    r = N.rounded_product_decimal(big, 50, 2.5)
    logs = [math.log(float(f"{pdf(x, 50, 2.5):.4f}")) for x in big]
    assert float(r.value.ln()) == pytest.approx(math.fsum(logs), rel=1e-12)
    assert not r.exact and formatting.decimal_words(r.value).startswith("≈ ")
    far = N.rounded_product_decimal([0.0, 100.0], 0, 1)  # p(100) rounds to 0.0000
    assert far.value == 0 and far.log_gap == math.inf


def test_peak_density_and_unit_factor():
    for sigma in (0.01, 0.3, 0.3989422804014327, 0.5, 5.0, 8.0, 1e6):
        assert N.peak_density(sigma) == pytest.approx(pdf(0, 0, sigma), rel=1e-14)
        c = N.unit_factor(sigma)
        assert c >= 10 and math.log10(c) == round(math.log10(c))
        assert pdf(0, 0, sigma / c) > 1  # in the new unit the curve's top is above 1
        assert c == 10 or pdf(0, 0, sigma * 10 / c) <= 1  # and no smaller power of ten would do
    assert N.unit_factor(5.0) == 100


@pytest.mark.parametrize("factor", [10, 100, 1000])
def test_in_unit_multiplies_every_density(factor):
    moved = N.in_unit(DATA, 50, 5, factor)
    np.testing.assert_allclose(moved.densities, [factor * pdf(x, 50, 5) for x in DATA], rtol=1e-12)
    assert moved.log_likelihood - brute_loglik(DATA, 50, 5) == pytest.approx(len(DATA) * math.log(factor), rel=1e-12)
    # the ratio of two candidates does not depend on the unit
    other = N.in_unit(DATA, 45, 8, factor)
    assert moved.log_likelihood - other.log_likelihood == pytest.approx(
        brute_loglik(DATA, 50, 5) - brute_loglik(DATA, 45, 8), rel=1e-10)


# ---------------------------------------------------------------- chapter 3: the area under L
def _area_by_quad(f_log, centre, width):
    """∫ exp(f_log) by scipy's quad, scaled by its value at `centre` so that it cannot underflow."""
    top = f_log(centre)
    value, err = integrate.quad(lambda t: math.exp(f_log(t) - top), centre - width, centre + width,
                                points=[centre], limit=200, epsabs=0, epsrel=1e-11)
    return math.log(value) + top


@pytest.mark.parametrize("data, sigma", [
    (DATA, 5.0), (DATA, 1.0), (DATA, 30.0), ((1.0, 2.0, 4.0), 0.7), ((-3.0, 3.0), 2.0),
    (N.random_sample(400, 10, 2, seed=1), 2.5),
])
def test_area_over_mu_matches_quad(data, sigma):
    n, xbar = len(data), statistics.fmean(data)
    got = N.log_area_over_mu(data, sigma)
    ref = _area_by_quad(lambda m: brute_loglik(data, m, sigma), xbar, 40 * sigma / math.sqrt(n))
    assert got == pytest.approx(ref, abs=1e-8)
    if (data, sigma) == (DATA, 5.0):
        assert f"{math.exp(got):.4e}" == "6.6466e-06"


def test_area_over_mu_is_one_for_one_observation():
    """With n = 1, p(x | μ, σ) integrates over μ like a density over x: a coincidence of the normal."""
    assert N.log_area_over_mu([3.7], 2.0) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("data, mu", [(DATA, 50.0), (DATA, 52.295), ((1.0, 2.0, 4.0), 0.0), ((-3.0, 3.0), 1.0),
                                      (N.random_sample(300, 10, 2, seed=2), 10.0)])
def test_area_over_sigma_matches_quad(data, mu):
    got = N.log_area_over_sigma(data, mu)
    best = N.best_sigma_given_mu(data, mu)
    f = lambda s: brute_loglik(data, mu, s) if s > 0 else -math.inf  # noqa: E731
    top = f(best)
    tail, _ = integrate.quad(lambda s: math.exp(f(s) - top), 0, best * 50, points=[best], limit=400,
                             epsabs=0, epsrel=1e-11)
    far, _ = integrate.quad(lambda s: math.exp(f(s) - top), best * 50, math.inf, epsabs=0, epsrel=1e-9)
    assert got == pytest.approx(math.log(tail + far) + top, abs=1e-7)


def test_area_over_sigma_is_infinite_for_one_observation():
    assert N.log_area_over_sigma([3.0], 1.0) == math.inf
    assert N.log_area_over_sigma([3.0, 3.0], 3.0) == math.inf


def _tex_number(text: str) -> Decimal:
    mantissa, _, exponent = text.partition(r" \times 10^{")
    return Decimal(mantissa) * (Decimal(10) ** int(exponent.rstrip("}")) if exponent else 1)


def test_log_densities():
    np.testing.assert_allclose(N.log_densities(DATA, 50, 5), [logpdf(x, 50, 5) for x in DATA], rtol=1e-13)


def test_grid_argmax_and_the_same_maximiser():
    assert N.grid_argmax([1, 2, 3], [0, 5, 1]) == 2
    with pytest.raises(ValueError):
        N.grid_argmax([], [])
    for sigma in (1.0, 3.1673, 8.0):
        same = N.same_maximiser(DATA, sigma)
        assert same.agree and same.argmax_likelihood == pytest.approx(np.mean(DATA))


# --- the closed form written out, and the article's stated summary-------------------------------

def test_closed_form_pieces():
    cf = N.closed_form(N.ARTICLE_DATA)
    x = np.array(N.ARTICLE_DATA)
    assert cf.n == 5 and cf.total == pytest.approx(x.sum())
    assert cf.sum_sq_dev == pytest.approx(np.sum((x - x.mean()) ** 2))
    assert cf.sigma_mle == pytest.approx(x.std()) and cf.sample_std == pytest.approx(x.std(ddof=1))
    assert cf.log_likelihood == pytest.approx(norm.logpdf(x, x.mean(), x.std()).sum())
    with pytest.raises(ValueError):
        N.closed_form([])
    assert N.closed_form([3.0, 3.0]).log_likelihood == math.inf  # σ̂ = 0: no finite top


def test_the_articles_mean_and_sd_are_xbar_and_sigma_hat():
    x = np.array(N.ARTICLE_DATA)
    summary = N.stated_summary(N.ARTICLE_DATA)
    assert (summary.stated_mean, summary.stated_sd) == N.ARTICLE_STATED == (52.295, 3.167)
    assert round(x.mean(), 3) == 52.295 and round(x.std(ddof=0), 3) == 3.167 and round(x.std(ddof=1), 3) != 3.167
    assert summary.mean_is_xbar and summary.sd_is_sigma_mle and not summary.sd_is_sample_std
    other = N.stated_summary(N.ARTICLE_DATA, stated=(52.295, round(x.std(ddof=1), 3)))
    assert other.sd_is_sample_std and not other.sd_is_sigma_mle


@pytest.mark.parametrize("params", [(50, 5), (45, 8), (52.295, 3.1673), (10, 0.5), (49, 0.01)])
def test_factors_written_out_multiply_to_the_product_shown(params):
    """0.0776 × 0.0790 × ⋯ (four decimals) is the article's 6.9907e-07; the factors shown must give 7.0030e-07."""
    exact = math.prod(pdf(x, *params) for x in DATA)
    factors = formatting.factors_tex(N.log_densities(DATA, *params), N.log_likelihood(DATA, *params))
    product = math.prod(_tex_number(f) for f in factors)
    if exact > 0:
        assert f"{float(product):.4e}" == f"{exact:.4e}"
    with localcontext() as ctx:  # beyond a float's range: compare with an independent exp of the log
        ctx.prec = 40
        expected = Decimal(brute_loglik(DATA, *params)).exp()
    assert f"{product:.4e}" == f"{expected:.4e}"
    assert all(len(f.split(r" \times")[0].replace("0.", "").lstrip("0").replace(".", "")) >= 5 for f in factors)
