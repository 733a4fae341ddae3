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


# --- numbers in words --------------------------------------------------------------------------

@pytest.mark.parametrize("value, spec, text", [
    (-0.0, ".4f", "0.0000"), (-0.00001, ".4f", "0.0000"), (-0.00005, ".4f", "-0.0001"),
    (-0.004, ",.2f", "0.00"), (-1234.5, ",.2f", "-1,234.50"), (-0.0, ".3e", "0.000e+00"),
    (-1e-300, ".2e", "-1.00e-300"), (3.0, ".1f", "3.0"), (-math.inf, ".2f", "-inf")])
def test_shown_drops_only_the_sign_of_a_zero(value, spec, text):
    assert derived.shown(value, spec) == text
    assert float(derived.shown(value, spec).replace(",", "")) == float(format(value, spec).replace(",", ""))


def test_counts_agree_with_their_noun():
    assert [derived.count(k, "step") for k in (0, 1, 2, 1000)] == ["0 steps", "1 step", "2 steps", "1,000 steps"]
    assert derived.count(1, "row") == "1 row" and derived.count(3, "mouse", "mice") == "3 mice"
    assert [derived.number_word(k) for k in (1, 5, 10, 11, 2000)] == ["one", "five", "ten", "11", "2,000"]


@pytest.mark.parametrize("value", [7.5e-6, 0.5, 0.05, 0.001, 0.000999, 1.0, 12.5, 3e-12])
def test_zeros_after_the_decimal_point(value):
    decimals = f"{value:.40f}".split(".")[1]
    expected = len(decimals) - len(decimals.lstrip("0")) if value < 1 else 0
    assert derived.zeros_after_point(value) == expected
    with pytest.raises(ValueError):
        derived.zeros_after_point(0.0)


def test_rises_counts_positive_log_densities():
    x = np.random.default_rng(1).normal(0, 0.3, 500)
    logp = stats.norm.logpdf(x, 0, 0.3)
    assert derived.rises(np.cumsum(logp)) == int(np.sum(logp[1:] > 0)) > 0
    assert derived.rises([0.0]) == 0 and derived.rises([-1, -2, -3]) == 0


def test_the_articles_mean_and_sd_are_xbar_and_sigma_hat():
    x = np.array(X)
    summary = derived.stated_summary(X)
    assert (summary.stated_mean, summary.stated_sd) == derived.ARTICLE_STATED == (52.295, 3.167)
    assert round(x.mean(), 3) == 52.295 and round(x.std(ddof=0), 3) == 3.167 and round(x.std(ddof=1), 3) != 3.167
    assert summary.mean_is_xbar and summary.sd_is_sigma_mle and not summary.sd_is_sample_std
    other = derived.stated_summary(X, stated=(52.295, round(x.std(ddof=1), 3)))
    assert other.sd_is_sample_std and not other.sd_is_sigma_mle


# --- the plane under a climb -------------------------------------------------------------------

def _inside(view, mu, sigma, slack=1e-9):
    return (view.mus[0] - slack <= mu <= view.mus[-1] + slack
            and view.sigmas[0] - slack <= sigma <= view.sigmas[-1] + slack)


@pytest.mark.parametrize("start, lr, steps, left", [((45, 0.5), 0.5, 1, 1), ((45, 0.1), 20, 1, 1),
                                                    ((45, 8), 20, 200, 3)])
def test_a_path_thrown_far_out_leaves_the_chart(start, lr, steps, left):
    path = ascend(X, start, lr, steps).path
    view = derived.ascent_view(X, path, top=False)
    mu_hat, sigma_hat = np.mean(X), np.std(X)
    assert view.left_at is path[left] and view.left_at.sigma > 100 * sigma_hat
    # the frame holds θ̂ and every point before the throw, and the drawn line ends on its edge
    assert _inside(view, mu_hat, sigma_hat)
    assert all(_inside(view, p.mu, p.sigma) for p in path[:left])
    assert [(p.mu, p.sigma) for p in path[:left]] == list(view.path[:-1])
    end, a, b = np.array(view.path[-1]), np.array(view.path[-2]), np.array([path[left].mu, path[left].sigma])
    assert _inside(view, *end)
    assert min(abs(end[0] - view.mus[[0, -1]]).min(), abs(end[1] - view.sigmas[[0, -1]]).min()) < 1e-9
    cross = (end - a)[0] * (b - a)[1] - (end - a)[1] * (b - a)[0]  # on the segment from a to b
    assert abs(cross) <= 1e-9 * np.linalg.norm(b - a) * np.linalg.norm(end - a) + 1e-12
    # the far point is not marked, and nothing is called the MLE but the MLE
    labels = [m.label for m in view.marks]
    assert labels == ["MLE", "start"]
    assert view.sigmas[-1] < 20 * sigma_hat  # not stretched out to the far point


def test_a_path_that_stays_near_is_drawn_whole():
    path = ascend(X, (45, 8), 5, 200).path  # σ swings out to about 45 and back
    view = derived.ascent_view(X, path, top=False)
    assert view.left_at is None and view.path == tuple((p.mu, p.sigma) for p in path)
    assert all(_inside(view, p.mu, p.sigma) for p in path)


def test_marks_merge_into_the_mle_only_at_the_top():
    top = ascend(X, (45, 8), 0.5, 200).path
    assert [m.label for m in derived.ascent_view(X, top, top=True).marks] == ["step 200 ≈ MLE", "start"]
    bounce = ascend(X, (45, 8), 2.1, 200).path  # σ bounces 0.2 away from σ̂: one spot on this chart
    mus, sigmas = derived.plane_framing(X, bounce)
    assert derived.same_spot((np.mean(X), np.std(X)), (bounce[-1].mu, bounce[-1].sigma), mus, sigmas)
    labels = [m.label for m in derived.ascent_view(X, bounce, top=False).marks]
    assert labels == ["step 200 near MLE", "start"] and not any("≈ MLE" in label for label in labels)
    still = ascend(X, (45, 8), 0.001, 200).path  # hardly moved: the current point sits on the start
    assert [m.label for m in derived.ascent_view(X, still, top=False).marks] == ["MLE", "start ≈ step 200"]
    alone = ascend(X, (45, 8), 0.5, 0).path
    assert [m.label for m in derived.ascent_view(X, alone, top=False).marks] == ["MLE", "start"]
