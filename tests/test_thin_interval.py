"""core/thin_interval.py: the exact area over [x, x + Δ] against scipy's quadrature of the density,
the ratio to p(x) · Δ against its Taylor expansion as Δ → 0, and the sliders' ranges."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st
from scipy import integrate

from core import thin_interval as T


def pdf(x, mu, sigma):
    return math.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))


@pytest.mark.parametrize("x, delta, mu, sigma", [
    (52.5, 2.5, 50, 2.5), (52.5, 0.0025, 50, 2.5), (50, 1e-4, 50, 0.1), (-30, 40, 50, 20), (59.9, 0.5, 50, 2.5),
])
def test_the_area_is_the_integral_of_the_density(x, delta, mu, sigma):
    t = T.thin_interval(x, delta, mu, sigma)
    quad = integrate.quad(pdf, x, x + delta, args=(mu, sigma), epsabs=0, epsrel=1e-12)[0]
    assert t.area == pytest.approx(quad, rel=1e-9)
    assert t.height == pytest.approx(pdf(x, mu, sigma), rel=1e-12)
    assert t.rectangle == pytest.approx(pdf(x, mu, sigma) * delta, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(mu=st.floats(0, 100), sigma=st.floats(0.1, 20), z=st.floats(-4, 4), share=st.floats(1e-4, 1e-2))
def test_the_ratio_tends_to_one_as_the_taylor_expansion_says(mu, sigma, z, share):
    """area / (p(x) Δ) = (1/Δ) ∫₀^Δ p(x + t)/p(x) dt = 1 − zΔ/(2σ) + O((Δ/σ)²), z = (x − μ)/σ."""
    x, delta = mu + z * sigma, share * sigma
    t = T.thin_interval(x, delta, mu, sigma)
    assert t.ratio == pytest.approx(1 - z * share / 2, abs=(z * z + 1) * share**2 + 1e-9)


def test_the_ladder_divides_delta_by_ten_and_closes_in_on_one():
    rows = T.shrinking(52.5, 2.5, 50, 2.5)
    assert [r.delta for r in rows] == pytest.approx([2.5, 0.25, 0.025, 0.0025])
    gaps = [abs(r.ratio - 1) for r in rows]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-3 and gaps[0] > 0.4
    # at the top of the curve the first-order term vanishes: closer still
    assert abs(T.thin_interval(50, 0.0025, 50, 2.5).ratio - 1) < 1e-6


def test_the_rectangle_as_shown_multiplies_out():
    t = T.thin_interval(52.5, 0.0025, 50, 2.5)
    assert t.shown_rectangle == float(f"{t.height:.5e}") * 0.0025
    assert t.shown_rectangle == pytest.approx(t.rectangle, rel=5e-6)


def test_a_width_must_be_positive():
    with pytest.raises(ValueError):
        T.thin_interval(1.0, 0.0, 0.0, 1.0)


@pytest.mark.parametrize("z, k, mu, sigma", [(1, 1, 50, 2.5), (-4, 0.001, 0.3, 0.1), (0.33, 0.5, 50, 20)])
def test_the_controls_count_in_standard_deviations(z, k, mu, sigma):
    t = T.in_sigmas(z, k, mu, sigma)
    assert t.x == pytest.approx(mu + z * sigma) and t.delta == pytest.approx(k * sigma)
    assert (t.mu, t.sigma) == (mu, sigma)
    # the ratio depends on z and k alone: the same picture at every μ and σ
    assert t.ratio == pytest.approx(T.in_sigmas(z, k, 0.0, 1.0).ratio, rel=1e-9)

