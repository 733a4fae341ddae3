"""core/sample_size.py: the curvature of log L at its top against a numerical second derivative, the
likelihood interval against scipy (norm.interval, and brentq on scipy's log L), the nested draws, and
the page's claims about coverage checked by simulation with a stated tolerance."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import optimize, stats

from core import sample_size as S


def scipy_loglik(data, mu, sigma):
    return float(stats.norm.logpdf(np.asarray(data, dtype=float), mu, sigma).sum())


def test_the_cut_is_half_the_chi_square_point_and_gives_1_96():
    assert S.CUT == pytest.approx(stats.chi2.ppf(0.95, df=1) / 2, rel=1e-15)
    assert f"{S.CUT:.4f}" == "1.9207"
    assert S.Z == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)   # √(2 · 1.9207) = 1.95996
    assert S.KEEP == pytest.approx(math.exp(-S.CUT)) and f"{100 * S.KEEP:.2f}" == "14.65"


def test_draws_are_seeded_and_nested():
    big = S.draw(100, 50.0, 5.0, 7)
    assert np.array_equal(S.draw(100, 50.0, 5.0, 7), big)
    assert np.array_equal(S.draw(25, 50.0, 5.0, 7), big[:25])      # more n adds to the same draws
    assert not np.array_equal(S.draw(100, 50.0, 5.0, 8), big)
    with pytest.raises(ValueError):
        S.draw(5, 0.0, 0.0, 0)


def test_draws_follow_the_true_normal():
    x = S.draw(200_000, -3.0, 2.0, 1)
    # the mean within 4 standard errors (2/√200000 = 0.0045), the sd within 1 %
    assert abs(x.mean() + 3.0) < 4 * 2.0 / math.sqrt(x.size) and x.std() == pytest.approx(2.0, rel=0.01)
    assert stats.kstest(x, "norm", args=(-3.0, 2.0)).pvalue > 1e-3


@pytest.mark.parametrize("n, sigma", [(2, 1.0), (5, 5.0), (20, 0.3), (1000, 12.0)])
def test_the_curvature_at_the_top_is_n_over_sigma_squared(n, sigma):
    data = S.draw(n, 10.0, 3.0, n)
    p = S.precision(data, sigma)
    h = 1e-3 * p.standard_error
    numerical = -(scipy_loglik(data, p.mu_hat + h, sigma) - 2 * scipy_loglik(data, p.mu_hat, sigma)
                  + scipy_loglik(data, p.mu_hat - h, sigma)) / h**2
    assert p.curvature == pytest.approx(numerical, rel=1e-4) and p.curvature == n / sigma**2
    assert p.standard_error == pytest.approx(1 / math.sqrt(numerical), rel=1e-4)
    assert p.standard_error == pytest.approx(sigma / math.sqrt(n), rel=1e-15)


def test_sigma_held_at_the_samples_own_sigma_hat_by_default():
    data = S.draw(30, 0.0, 1.0, 3)
    p = S.precision(data)
    assert p.sigma == pytest.approx(np.std(data), rel=1e-12) and p.mu_hat == pytest.approx(np.mean(data))
    with pytest.raises(ValueError):
        S.precision((2.0, 2.0, 2.0))                 # no spread: nothing to hold σ at


def root_found_interval(data, sigma):
    x = np.asarray(data, dtype=float)
    top = scipy_loglik(x, x.mean(), sigma)
    f = lambda m: scipy_loglik(x, m, sigma) - (top - stats.chi2.ppf(0.95, 1) / 2)  # noqa: E731
    reach = 20 * sigma
    return optimize.brentq(f, x.mean() - reach, x.mean(), xtol=1e-13), optimize.brentq(f, x.mean(), x.mean() + reach, xtol=1e-13)


@pytest.mark.parametrize("n, mu0, sigma0, seed", [(2, 50, 5, 0), (20, 50, 5, 0), (500, -3, 0.2, 9), (1000, 900, 100, 4)])
def test_the_interval_is_scipys_95_percent_interval_and_where_log_l_has_fallen_by_the_cut(n, mu0, sigma0, seed):
    data = S.draw(n, mu0, sigma0, seed)
    p = S.precision(data)
    lo, hi = p.interval
    z_lo, z_hi = stats.norm.interval(0.95, loc=np.mean(data), scale=np.std(data) / math.sqrt(n))
    assert (lo, hi) == (pytest.approx(z_lo, abs=1e-9 * sigma0), pytest.approx(z_hi, abs=1e-9 * sigma0))
    r_lo, r_hi = root_found_interval(data, p.sigma)
    assert (lo, hi) == (pytest.approx(r_lo, abs=1e-7 * sigma0), pytest.approx(r_hi, abs=1e-7 * sigma0))
    assert p.contains(p.mu_hat) and p.contains(lo) and not p.contains(hi + 1e-6 * sigma0)


@settings(max_examples=200, deadline=None)
@given(data=st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=50),
       sigma=st.floats(1e-2, 1e3), mu=st.floats(-2e4, 2e4))
def test_drop_is_the_fall_of_log_l_below_its_top(data, sigma, mu):
    p = S.precision(data, sigma)
    exact = scipy_loglik(data, p.mu_hat, sigma) - scipy_loglik(data, mu, sigma)
    assert p.drop(mu) == pytest.approx(exact, rel=1e-6, abs=1e-6 * (1 + abs(scipy_loglik(data, mu, sigma))))
    assert p.drop(p.interval[0]) == pytest.approx(S.CUT, rel=1e-9)
    assert p.contains(mu) == (p.drop(mu) <= S.CUT * (1 + 1e-12)) or abs(p.drop(mu) - S.CUT) < 1e-9


def test_the_curve_the_chart_draws_is_the_parabola():
    data = S.draw(40, 5.0, 2.0, 1)
    p = S.precision(data)
    mus = np.linspace(0, 10, 101)
    rel = S.relative_log_likelihood(data, mus, p.sigma)
    np.testing.assert_allclose(rel, [-p.drop(m) for m in mus], rtol=1e-9, atol=1e-9)
    assert rel.max() <= 1e-12


def test_the_width_goes_as_one_over_root_n_with_sigma_held():
    data = S.draw(400, 0.0, 1.0, 2)
    sigma = S.precision(data).sigma
    widths = [S.precision(data[:n], sigma).half_width for n in (4, 16, 100, 400)]
    assert [widths[0] / w for w in widths] == pytest.approx([1, 2, 5, 10], rel=1e-12)


def test_quarter():
    assert [S.quarter(n) for n in (2, 7, 8, 11, 12, 1000)] == [0, 0, 2, 2, 3, 250]


def coverage(n, sigma_known, seeds=4000):
    hits = 0
    for seed in range(seeds):
        data = S.draw(n, 0.0, 1.0, seed)
        hits += S.precision(data, 1.0 if sigma_known else None).contains(0.0)
    return hits / seeds


def test_the_pages_coverage_sentence_by_simulation():
    """"About 19 samples in 20 contain μ₀ when σ is known; with σ held at σ̂, a little fewer for a small
    n": 4,000 seeds, so the share is within 3 standard errors (3 · √(0.95 · 0.05 / 4000) = 0.0103)."""
    assert coverage(5, True) == pytest.approx(0.95, abs=0.0103)
    assert coverage(200, True) == pytest.approx(0.95, abs=0.0103)
    small = coverage(5, False)
    # theory: |x̄ − μ| ≤ Z σ̂/√n is |t| ≤ Z √((n − 1)/n), t on n − 1 degrees of freedom
    theory = 2 * stats.t.cdf(S.Z * math.sqrt(4 / 5), df=4) - 1
    assert small == pytest.approx(theory, abs=3 * math.sqrt(theory * (1 - theory) / 4000)) and small < 0.93
    assert coverage(200, False) == pytest.approx(0.95, abs=0.0103)
