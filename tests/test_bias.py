"""core.bias: σ̂ and s over many simulated samples, against the closed forms (scipy's chi and chi²
distributions), with a stated tolerance; the classification of each average, over random settings."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from core import bias

TOLERANCE = 4.0   # standard errors: a correct simulation strays further about 6 times in 100,000


@pytest.mark.parametrize("n", [2, 3, 5, 10, 100])
def test_c4_against_scipy_chi(n):
    # s·√(n − 1)/σ follows a chi distribution with n − 1 degrees of freedom
    assert bias.c4(n) == pytest.approx(stats.chi(n - 1).mean() / math.sqrt(n - 1), rel=1e-12)
    assert bias.c4(n) < 1


def test_c4_closed_forms_and_refusal():
    assert bias.c4(2) == pytest.approx(math.sqrt(2 / math.pi), rel=1e-14)
    assert bias.c4(3) == pytest.approx(math.sqrt(math.pi) / 2, rel=1e-14)
    with pytest.raises(ValueError):
        bias.c4(1)


def test_each_sample_is_summed_up_as_numpy_does():
    sim = bias.simulate(7, 500, 2.5, 11)
    x = np.random.default_rng(11).normal(50.0, 2.5, size=(500, 7))
    np.testing.assert_allclose(sim.sigma_hat, x.std(axis=1, ddof=0), rtol=1e-12)
    np.testing.assert_allclose(sim.s, x.std(axis=1, ddof=1), rtol=1e-12)


@pytest.mark.parametrize("n, samples, sigma, seed", [(2, 20_000, 1.0, 0), (5, 20_000, 5.0, 1), (30, 20_000, 0.3, 2),
                                                     (100, 20_000, 50.0, 3)])
def test_simulation_against_theory(n, samples, sigma, seed):
    sim = bias.simulate(n, samples, sigma, seed)
    chi2 = stats.chi2(n - 1, scale=sigma**2 / (n - 1))           # the law of s²
    chi = stats.chi(n - 1, scale=sigma / math.sqrt(n - 1))       # the law of s
    shrink = (n - 1) / n
    expected = {"σ̂²": (shrink * chi2.mean(), shrink * chi2.std()), "s²": (chi2.mean(), chi2.std()),
                "σ̂": (math.sqrt(shrink) * chi.mean(), math.sqrt(shrink) * chi.std()), "s": (chi.mean(), chi.std())}
    for e in sim.estimators:
        mean, sd = expected[e.name]
        assert e.theory == pytest.approx(mean, rel=1e-12)
        assert e.error == pytest.approx(sd / math.sqrt(samples), rel=1e-9)
        assert abs(e.simulated - mean) <= TOLERANCE * sd / math.sqrt(samples), e.name
    assert sim.estimator("s²").theory == sigma**2 and sim.estimator("s²").kind == "unbiased"
    assert sim.estimator("s").simulated < sigma             # still low, though s² is not
    assert sim.estimator("σ̂²").kind == "shown"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 100), samples=st.integers(100, 20_000), sigma=st.floats(0.1, 50.0),
       seed=st.integers(0, 2**31 - 1))
def test_each_average_is_classified_from_its_numbers(n, samples, sigma, seed):
    if n * samples > bias.MAX_DRAWS:
        samples = bias.MAX_DRAWS // n
    sim = bias.simulate(n, samples, sigma, seed)
    for e in sim.estimators:
        near_theory = abs(e.simulated - e.theory) <= 3 * e.error
        near_truth = abs(e.simulated - e.truth) <= 3 * e.error
        expected = ("off" if not near_theory else "unbiased" if e.theory == e.truth else
                    "hidden" if near_truth else "shown")
        assert e.kind == expected
        said = bias.sentence(e, sim)
        assert {"shown": "is biased low", "unbiased": "is unbiased", "hidden": "cannot tell them apart",
                "off": "try another seed"}[e.kind] in said
        assert f"over the {samples:,} samples" in said
    bins = bias.histograms(sim)
    assert bins.sigma_hat.sum() == bins.s.sum() == samples
    assert bins.edges[0] == 0 and bins.edges[-1] == sim.s.max()


@pytest.mark.parametrize("args", [(1, 100, 1.0, 0), (5, 1, 1.0, 0), (101, 20_000, 1.0, 0), (5, 100, 0.0, 0),
                                  (5, 100, math.nan, 0)])
def test_bad_settings_are_refused(args):
    with pytest.raises(ValueError):
        bias.simulate(*args)
