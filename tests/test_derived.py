"""core.derived: the small figures chapters 4-6 show."""
import math

import numpy as np
import pytest
from scipy import stats

from core import derived, nll
from core.ascent import Point, ascend

X = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def test_grid_argmax_and_the_same_maximiser():
    assert derived.grid_argmax([1, 2, 3], [0, 5, 1]) == 2
    with pytest.raises(ValueError):
        derived.grid_argmax([], [])
    for sigma in (1.0, 3.1673, 8.0):
        same = derived.same_maximiser(X, sigma)
        assert same.agree and same.argmax_likelihood == pytest.approx(np.mean(X))


def test_closed_form_pieces():
    cf = derived.closed_form(X)
    x = np.array(X)
    assert cf.n == 5 and cf.total == pytest.approx(x.sum())
    assert cf.sum_sq_dev == pytest.approx(np.sum((x - x.mean()) ** 2))
    assert cf.sigma_mle == pytest.approx(x.std()) and cf.sample_std == pytest.approx(x.std(ddof=1))
    assert cf.log_likelihood == pytest.approx(stats.norm.logpdf(x, x.mean(), x.std()).sum())


def test_gradient_norms_and_distance():
    run = ascend(X, (45.0, 8.0), 0.5, 200)
    steps, norms = derived.gradient_norms(run.path)
    assert list(steps) == list(range(201))
    assert norms[0] == pytest.approx(math.hypot(run.path[0].grad_mu, run.path[0].grad_sigma))
    assert norms[-1] < 1e-8
    d_mu, d_sigma = derived.distance_to_mle(run.path[-1], X)
    assert d_mu < 1e-4 and d_sigma < 1e-4


def test_plane_framing_contains_the_path():
    path = [Point(0, 10.0, 40.0, 0, 0, 0), Point(1, 90.0, 0.2, 0, 0, 0)]
    mus, sigmas = derived.plane_framing(X, path)
    assert mus[0] < 10 and mus[-1] > 90 and 0 < sigmas[0] < 0.2 and sigmas[-1] > 40


def test_narrow_normal_and_cross_entropy():
    narrow = derived.point_at_mean(0.1)
    assert narrow.peak_density == pytest.approx(3.9894, abs=1e-4)
    assert narrow.nll == pytest.approx(-math.log(narrow.peak_density)) and narrow.nll_negative
    assert not derived.point_at_mean(derived.SIGMA_PEAK_ONE * 1.01).nll_negative
    assert derived.neg_log_likelihood(X, 50, 5) == pytest.approx(-stats.norm.logpdf(X, 50, 5).sum())
    assert derived.cross_entropy_gap(nll.cross_entropy_check()) < 1e-6
    assert derived.FLOAT32_TINY == pytest.approx(1.4e-45, rel=0.01)


def test_same_spot_is_relative_to_the_plane():
    mus, sigmas = np.linspace(0, 100, 11), np.linspace(1, 11, 11)
    assert derived.same_spot((50, 5), (52, 5.2), mus, sigmas)
    assert not derived.same_spot((50, 5), (60, 5), mus, sigmas)
    assert not derived.same_spot((50, 5), (50, 6), mus, sigmas)
