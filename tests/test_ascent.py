"""core.ascent: autograd gradients of log L and gradient ascent to the MLE.

Independent checks: the closed-form gradient, a central finite difference of
core.normal.log_likelihood (scipy), and the closed-form MLE.
"""
from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import ascent as A
from core import normal as N

DATA = N.ARTICLE_DATA
finite = dict(allow_nan=False, allow_infinity=False)


def closed_form_grad(data, mu, sigma):
    n = len(data)
    g_mu = math.fsum(x - mu for x in data) / sigma**2
    g_sigma = -n / sigma + math.fsum((x - mu) ** 2 for x in data) / sigma**3
    return g_mu, g_sigma


def finite_difference(data, mu, sigma, h=1e-5):
    f = N.log_likelihood
    g_mu = (f(data, mu + h, sigma) - f(data, mu - h, sigma)) / (2 * h)
    hs = h * sigma
    g_sigma = (f(data, mu, sigma + hs) - f(data, mu, sigma - hs)) / (2 * hs)
    return g_mu, g_sigma


def test_evaluate_at_article_start():
    p = A.evaluate(DATA, 45, 8, step=3)
    assert (p.step, p.mu, p.sigma) == (3, 45.0, 8.0)
    assert p.log_likelihood == pytest.approx(N.log_likelihood(DATA, 45, 8), rel=1e-13)
    g_mu, g_sigma = closed_form_grad(DATA, 45, 8)
    assert p.grad_mu == pytest.approx(g_mu, rel=1e-12)
    assert p.grad_sigma == pytest.approx(g_sigma, rel=1e-9, abs=1e-13)
    fd_mu, fd_sigma = finite_difference(DATA, 45, 8)
    assert p.grad_mu == pytest.approx(fd_mu, rel=1e-6)
    assert p.grad_sigma == pytest.approx(fd_sigma, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-100, 100, **finite), min_size=1, max_size=20),
       st.floats(-100, 100, **finite), st.floats(0.5, 50, **finite))
def test_evaluate_gradient_matches_closed_form_and_finite_difference(data, mu, sigma):
    p = A.evaluate(data, mu, sigma)
    assert p.log_likelihood == pytest.approx(N.log_likelihood(data, mu, sigma), rel=1e-10, abs=1e-9)
    g_mu, g_sigma = closed_form_grad(data, mu, sigma)
    scale_mu = math.fsum(abs(x - mu) for x in data) / sigma**2 + 1e-12
    scale_sigma = len(data) / sigma + math.fsum((x - mu) ** 2 for x in data) / sigma**3
    assert abs(p.grad_mu - g_mu) <= 1e-10 * scale_mu
    assert abs(p.grad_sigma - g_sigma) <= 1e-10 * scale_sigma
    fd_mu, fd_sigma = finite_difference(data, mu, sigma)
    assert abs(p.grad_mu - fd_mu) <= 1e-5 * scale_mu + 1e-6
    assert abs(p.grad_sigma - fd_sigma) <= 1e-5 * scale_sigma + 1e-6


@pytest.mark.parametrize("sigma", [0.0, -2.0])
def test_evaluate_rejects_bad_sigma(sigma):
    with pytest.raises(ValueError):
        A.evaluate(DATA, 50, sigma)


def test_ascend_reaches_the_closed_form_mle():
    run = A.ascend(DATA, (45, 8), lr=0.5, steps=400)
    est = N.mle(DATA)
    end = run.path[-1]
    assert run.stopped is None
    assert len(run.path) == 401
    assert [p.step for p in run.path] == list(range(401))
    assert end.mu == pytest.approx(est.mu, abs=1e-4)
    assert end.sigma == pytest.approx(est.sigma, abs=1e-4)
    assert abs(end.grad_mu) < 1e-6 and abs(end.grad_sigma) < 1e-6
    assert end.log_likelihood == pytest.approx(N.log_likelihood(DATA, est.mu, est.sigma), abs=1e-9)
    # at this step size every step climbs
    lls = [p.log_likelihood for p in run.path]
    assert all(b >= a - 1e-12 for a, b in zip(lls, lls[1:]))


def test_each_step_is_theta_plus_lr_times_gradient():
    run = A.ascend(DATA, (45, 8), lr=0.5, steps=5)
    for prev, nxt in zip(run.path, run.path[1:]):
        g_mu, g_sigma = closed_form_grad(DATA, prev.mu, prev.sigma)
        assert nxt.mu == pytest.approx(prev.mu + 0.5 * g_mu, rel=1e-12)
        assert nxt.sigma == pytest.approx(prev.sigma + 0.5 * g_sigma, rel=1e-12)


def test_ascend_continues_from_a_point():
    first = A.ascend(DATA, (45, 8), lr=0.5, steps=10)
    more = A.ascend(DATA, first.path[-1], lr=0.5, steps=10)
    assert more.path[0] == first.path[-1]
    assert [p.step for p in more.path] == list(range(10, 21))
    straight = A.ascend(DATA, (45, 8), lr=0.5, steps=20)
    assert more.path[-1].mu == pytest.approx(straight.path[-1].mu, rel=1e-14)
    assert more.path[-1].sigma == pytest.approx(straight.path[-1].sigma, rel=1e-14)


def test_ascend_zero_steps():
    run = A.ascend(DATA, (45, 8), lr=0.5, steps=0)
    assert run.stopped is None and len(run.path) == 1
    assert run.path[0] == A.evaluate(DATA, 45, 8)


def test_huge_step_size_stops_with_a_message():
    run = A.ascend(DATA, (45, 8), lr=1e6, steps=50)
    assert isinstance(run.stopped, str)
    assert "step 1" in run.stopped and "lower the step size" in run.stopped
    assert run.path == (A.evaluate(DATA, 45, 8),)  # the path so far is kept


def test_stop_midway_keeps_the_path():
    # lr = 30 overshoots for a while, then σ would go negative at step 6
    run = A.ascend(DATA, (45, 8), lr=30, steps=50)
    assert run.stopped is not None and "step 6" in run.stopped
    assert [p.step for p in run.path] == [0, 1, 2, 3, 4, 5]
    last = run.path[-1]
    assert last.sigma + 30 * last.grad_sigma <= 0  # the reason it gave is true
    assert all(p.sigma > 0 for p in run.path)


def test_non_finite_start_stops_instead_of_raising():
    run = A.ascend(DATA, (45, 1e-300), lr=0.5, steps=5)
    assert run.stopped is not None
    assert len(run.path) == 1


# --- step_limits and verdict ---------------------------------------------------------------
#
# The cases below use the page's own controls (μ₀ in [0, 100], σ₀ in [0.1, 50], η in
# [0.001, 20], 1 to 2000 steps per Run) on the article's five points, where θ̂ = (52.295, 3.1673)
# and the largest step that can settle at the top is σ̂²/n = 2.0064.

EST = N.mle(DATA)
N_OBS = len(DATA)


def fd_hessian(data, mu, sigma, h=1e-4):
    """Central second differences of core.normal.log_likelihood (scipy), steps scaled to σ."""
    f = lambda m, s: N.log_likelihood(data, m, s)  # noqa: E731
    hm, hs = h * sigma, h * sigma
    f_mm = (f(mu + hm, sigma) - 2 * f(mu, sigma) + f(mu - hm, sigma)) / hm**2
    f_ss = (f(mu, sigma + hs) - 2 * f(mu, sigma) + f(mu, sigma - hs)) / hs**2
    f_ms = (f(mu + hm, sigma + hs) - f(mu + hm, sigma - hs) - f(mu - hm, sigma + hs) + f(mu - hm, sigma - hs)) / (4 * hm * hs)
    return f_mm, f_ms, f_ss


def run(start, lr, steps):
    return A.ascend(DATA, start, lr, steps)


def test_step_limits_at_the_top_are_the_closed_form():
    lim = A.step_limits(DATA)
    assert (lim.mu, lim.sigma) == (EST.mu, EST.sigma)
    # the Hessian at θ̂ is diag(-n/σ̂², -2n/σ̂²): the steeper curvature is σ's
    assert lim.curvature == pytest.approx(2 * N_OBS / EST.sigma**2, rel=1e-12)
    assert lim.overshoot == pytest.approx(EST.sigma**2 / (2 * N_OBS), rel=1e-12)
    assert lim.unstable == pytest.approx(EST.sigma**2 / N_OBS, rel=1e-12)
    assert lim.unstable == pytest.approx(2.00635, abs=1e-5)
    assert lim.sigma_positive > 1e12 and lim.safe == lim.unstable  # ∂σ log L is 0 up to rounding
    f_mm, f_ms, f_ss = fd_hessian(DATA, EST.mu, EST.sigma)
    assert f_mm == pytest.approx(-N_OBS / EST.sigma**2, rel=1e-5)
    assert f_ss == pytest.approx(-2 * N_OBS / EST.sigma**2, rel=1e-5)
    assert abs(f_ms) < 1e-5


@pytest.mark.parametrize("mu, sigma", [(45, 8), (45, 0.5), (60, 2), (52.295, 20), (0, 0.1)])
def test_step_limits_curvature_matches_a_finite_difference_hessian(mu, sigma):
    lim = A.step_limits(DATA, mu, sigma)
    f_mm, f_ms, f_ss = fd_hessian(DATA, mu, sigma)
    a, b, c = -f_mm, -f_ms, -f_ss
    largest = (a + c) / 2 + math.hypot((a - c) / 2, b)
    assert lim.curvature == pytest.approx(largest, rel=1e-4)
    if lim.curvature > 0:
        assert lim.unstable == pytest.approx(2 / lim.curvature) and lim.overshoot == pytest.approx(1 / lim.curvature)


def test_step_limits_sigma_positive_is_the_step_that_reaches_zero():
    lim = A.step_limits(DATA, 50, 8)  # here the gradient lowers σ
    assert math.isfinite(lim.sigma_positive) and lim.safe == lim.sigma_positive
    assert run((50, 8), lim.sigma_positive * 0.999, 1).stopped is None
    assert run((50, 8), lim.sigma_positive * 1.001, 1).stopped is not None
    assert A.step_limits(DATA, 45, 0.5).sigma_positive == math.inf  # here it raises σ


def test_step_limits_rejects_bad_sigma_and_flat_data():
    with pytest.raises(ValueError):
        A.step_limits(DATA, 50, 0)
    with pytest.raises(ValueError):
        A.step_limits([3.0, 3.0, 3.0])


def test_the_top_settles_below_the_limit_and_never_above_it():
    # Gradient ascent near θ̂ multiplies σ's distance by 1 - η·2n/σ̂² each step: settles for η < 2.0064.
    below = run((45, 8), 2.0, 1000)
    kinds = {A.verdict(DATA, below.path[: k + 1], lr=2.0).kind for k in range(len(below.path))}
    assert "oscillating" not in kinds
    assert A.verdict(DATA, below, lr=2.0).kind == "top"
    above = run((45, 8), 2.01, 1000)
    assert A.verdict(DATA, above, lr=2.01).kind == "oscillating"


def test_verdict_top_default_climb():
    r = run((45, 8), 0.5, 200)
    v = A.verdict(DATA, r, lr=0.5)
    assert v.kind == "top" and v.lesson is None
    assert v.steps == 200 and v.distance_mu < 1e-10 and v.distance_sigma < 1e-10
    assert "Reached the top" in v.sentence and v.text == v.sentence


def test_verdict_oscillating_sigma_bounces_between_two_values():
    r = run((45, 8), 2.1, 200)
    last = r.path[-4:]
    assert last[0].sigma == pytest.approx(last[2].sigma, rel=1e-9)
    assert last[1].sigma == pytest.approx(last[3].sigma, rel=1e-9)
    assert {round(last[2].sigma, 3), round(last[3].sigma, 3)} == {3.456, 2.970}
    v = A.verdict(DATA, r, lr=2.1)
    assert v.kind == "oscillating"
    assert v.gradient > 0.2  # large, and it stays large
    assert "bounces between two values, 3.456 and 2.97" in v.sentence
    assert "above 2.006" in v.lesson and "η = 2.1" in v.lesson and A.CURVATURE_LESSON in v.lesson
    # one more Run of the same size changes nothing
    more = run(r.path[-1], 2.1, 200)
    assert A.verdict(DATA, r.path + more.path[1:], lr=2.1).kind == "oscillating"


def test_verdict_oscillating_chaotic_swings():
    # η = 5: σ is thrown out, walks back, is thrown out again; no two-value cycle
    r = run((45, 8), 5, 200)
    v = A.verdict(DATA, r, lr=5)
    assert v.kind == "oscillating"
    assert "swung between" in v.sentence and "bounces" not in v.sentence
    # whenever the walk back is under way, it is still judged by the bouncing before it
    for k in range(60, 201):
        assert A.verdict(DATA, r.path[: k + 1], lr=5).kind == "oscillating"


def test_verdict_stalled_on_a_flat_plain_after_one_step():
    # from σ₀ = 0.5 the first step throws σ from 0.5 to about 1260
    r = run((45, 0.5), 0.5, 1)
    assert r.path[-1].sigma == pytest.approx(1260, rel=1e-3)
    v = A.verdict(DATA, r, lr=0.5)
    assert v.kind == "stalled"
    assert v.gradient < 0.005 and v.distance_sigma > 1000
    assert A.SMALL_GRADIENT_LESSON in v.lesson and "flat plain" in v.lesson
    assert "Step 1 started where the curvature allowed steps up to 0.000132" in v.lesson
    assert A.CURVATURE_LESSON in v.lesson
    assert "630,000 more steps" in v.sentence
    # and 200 more steps later it has hardly moved
    r200 = run((45, 0.5), 0.5, 200)
    assert abs(r200.path[-1].sigma - r.path[-1].sigma) < 1
    assert A.verdict(DATA, r200, lr=0.5).kind == "stalled"


@pytest.mark.parametrize("start, lr", [((45, 0.1), 20.0), ((0, 0.1), 0.5)])
def test_verdict_stalled_with_sigma_in_the_millions(start, lr):
    r = run(start, lr, 1)
    assert r.stopped is None and r.path[-1].sigma > 1e6
    v = A.verdict(DATA, r, lr=lr)
    assert v.kind == "stalled" and v.gradient < 1e-6
    assert "10¹" in v.sentence  # more than 10¹⁰ steps to go


def test_verdict_stalled_article_start_large_step():
    # η = 20 from the article's start: overshoots to σ ≈ 0.67, then is thrown to σ ≈ 5400
    r = run((45, 8), 20, 200)
    v = A.verdict(DATA, r, lr=20)
    assert r.stopped is None and v.kind == "stalled"
    assert "Step 3 started" in v.lesson


def test_verdict_stalled_by_a_tiny_step_size_says_so():
    r = run((45, 8), 0.001, 200)
    v = A.verdict(DATA, r, lr=0.001)
    assert v.kind == "stalled"
    assert "not small here; the step is" in v.lesson
    assert A.SMALL_GRADIENT_LESSON not in v.lesson


@pytest.mark.parametrize("start, lr, steps, done", [((50, 8), 20, 50, 0), ((45, 8), 12, 200, 123)])
def test_verdict_stopped(start, lr, steps, done):
    r = run(start, lr, steps)
    assert r.stopped is not None and r.path[-1].step == done
    v = A.verdict(DATA, r, lr=lr)
    assert v.kind == "stopped" and v.steps == done
    last = r.path[-1]
    assert f"to {last.sigma + lr * last.grad_sigma:.4g}" in v.sentence
    assert A.CURVATURE_LESSON in v.lesson
    # the same path and reason, passed separately
    assert A.verdict(DATA, list(r.path), lr=lr, stopped=r.stopped) == v


def test_verdict_stopped_after_the_step_size_was_lowered_quotes_the_reason():
    r = run((50, 8), 20, 5)
    v = A.verdict(DATA, r, lr=0.5)  # the page's η has since been lowered
    assert v.kind == "stopped" and r.stopped.rstrip(".") in v.sentence


def test_verdict_climbing_and_no_steps():
    v = A.verdict(DATA, run((45, 8), 0.1, 10), lr=0.1)
    assert v.kind == "climbing" and v.lesson is None and "run more steps" in v.sentence
    v0 = A.verdict(DATA, run((45, 8), 0.5, 0), lr=0.5)
    assert v0.kind == "climbing" and v0.steps == 0 and "No steps yet" in v0.sentence
    assert A.verdict(DATA, [A.evaluate(DATA, EST.mu, EST.sigma)]).kind == "top"
    # heading for a bounce: thrown out first, walking back now, with η above the top's limit
    v2 = A.verdict(DATA, run((25, 3), 2.1, 2000), lr=2.1)
    assert v2.kind == "climbing" and "expect it to bounce" in v2.sentence


def test_small_gradient_alone_is_not_the_top():
    plain = A.verdict(DATA, run((0, 0.1), 0.5, 1), lr=0.5)
    near = A.evaluate(DATA, EST.mu + 0.9e-3 * EST.sigma, EST.sigma - 0.9e-3 * EST.sigma)
    top = A.verdict(DATA, [near])
    assert top.kind == "top"
    assert plain.kind == "stalled"
    assert plain.gradient < top.gradient / 1000  # far smaller gradient, yet far from the top
    # a hand-made far point with a tiny gradient, and no path behind it
    far = A.evaluate(DATA, EST.mu, 1e6)
    assert math.hypot(far.grad_mu, far.grad_sigma) < 1e-5
    assert A.verdict(DATA, [far]).kind != "top"


def test_passing_through_the_top_is_not_arriving():
    r = run((45, 8), 3, 1000)
    tol = A.TOP_TOLERANCE * EST.sigma
    passes = [k for k, p in enumerate(r.path)
              if k and abs(p.mu - EST.mu) <= tol and abs(p.sigma - EST.sigma) <= tol]
    assert passes  # the chaotic bounce does land within tolerance now and then
    for k in passes:
        assert A.verdict(DATA, r.path[: k + 1], lr=3).kind == "oscillating"


@pytest.mark.parametrize("scale, shift", [(100.0, 0.0), (0.01, 0.0), (1.0, -1000.0)])
@pytest.mark.parametrize("start, lr, steps", [((45, 8), 0.5, 200), ((45, 8), 2.1, 200), ((45, 8), 5, 200),
                                              ((45, 0.5), 0.5, 1), ((50, 8), 20, 5), ((45, 8), 0.1, 10)])
def test_verdict_does_not_depend_on_the_units(scale, shift, start, lr, steps):
    # x → c·x + b with μ₀ → c·μ₀ + b, σ₀ → c·σ₀, η → c²·η gives the same climb, redrawn
    data = [scale * x + shift for x in DATA]
    base = A.verdict(DATA, run(start, lr, steps), lr=lr)
    moved = A.ascend(data, (scale * start[0] + shift, scale * start[1]), scale**2 * lr, steps)
    assert A.verdict(data, moved, lr=scale**2 * lr).kind == base.kind


def test_verdict_rejects_empty_paths_and_flat_data():
    with pytest.raises(ValueError):
        A.verdict(DATA, [])
    with pytest.raises(ValueError):
        A.verdict([2.0, 2.0], [A.evaluate([2.0, 2.0], 2.0, 1.0)])


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 100, **finite), st.floats(0.1, 50, **finite), st.floats(0.001, 20, **finite),
       st.integers(1, 60))
def test_verdict_on_any_page_input_is_one_of_the_kinds(mu, sigma, lr, steps):
    r = A.ascend(DATA, (mu, sigma), lr, steps)
    v = A.verdict(DATA, r, lr=lr)
    assert v.kind in A.KINDS and v.sentence
    assert (v.lesson is None) == (v.kind in ("top", "climbing"))
    if v.kind == "top":
        assert max(v.distance_mu, v.distance_sigma) <= A.TOP_TOLERANCE * EST.sigma
    if r.stopped:
        assert v.kind == "stopped"


def test_verdict_sentences_agree_with_the_state():
    # a flat plain: the gradient is called "only" this big; a tiny step: the gradient is not belittled
    flat = A.verdict(DATA, run((45, 0.5), 0.5, 1), lr=0.5)
    assert "The gradient is only" in flat.sentence and "397 σ̂ away" in flat.sentence
    slow = A.verdict(DATA, run((45, 8), 0.001, 200), lr=0.001)
    assert "The gradient is only" not in slow.sentence and "The gradient is 0.56" in slow.sentence
    far = A.verdict(DATA, run((45, 0.1), 20.0, 1), lr=20.0)
    sigma_far = (run((45, 0.1), 20.0, 1).path[-1].sigma - EST.sigma) / EST.sigma
    assert f"{sigma_far / 1e6:.1f} × 10⁶ σ̂ away" in far.sentence
    # the last point is quoted to six figures, so it reads as the μ̂ it is within 1e-14 of
    top = A.verdict(DATA, run((45, 8), 0.5, 200), lr=0.5)
    assert f"μ = {EST.mu:.6g}" in top.sentence and "1 steps" not in top.sentence
    one = A.verdict(DATA, run((45, 0.5), 0.5, 1), lr=0.5)
    assert "After 1 step the point" in one.sentence
    # a path that starts at θ̂ took no step: it says so, and claims no last step
    there = A.verdict(DATA, [A.evaluate(DATA, EST.mu, EST.sigma)])
    assert there.kind == "top" and there.sentence.startswith("At the top already. At the start the point")
    assert "last step" not in there.sentence


# --- the gradient's size and the distance to θ̂---------------------------------------------

def test_gradient_norms_and_distance():
    climb = A.ascend(DATA, (45.0, 8.0), 0.5, 200)
    steps, norms = A.gradient_norms(climb.path)
    assert list(steps) == list(range(201))
    assert norms[0] == pytest.approx(math.hypot(*closed_form_grad(DATA, 45.0, 8.0)))
    assert norms[-1] < 1e-8
    d_mu, d_sigma = A.distance_to_mle(climb.path[-1], DATA)
    assert d_mu < 1e-4 and d_sigma < 1e-4
    assert A.distance_to_mle(climb.path[0], DATA) == pytest.approx(
        (abs(45 - statistics.fmean(DATA)), abs(8 - statistics.pstdev(DATA))))


def test_gradient_trend_says_how_the_length_changed():
    assert A.gradient_trend(A.ascend(DATA, (45, 8), 0.5, 0).path) == \
        f"At the start the gradient is {math.hypot(*closed_form_grad(DATA, 45, 8)):.3g} long; no steps yet."
    down = A.ascend(DATA, (45, 8), 0.5, 100).path
    first, last = (math.hypot(*closed_form_grad(DATA, p.mu, p.sigma)) for p in (down[0], down[-1]))
    assert A.gradient_trend(down).startswith(f"The length of the gradient went from {first:.3g} at the start to ")
    assert A.gradient_trend(down).endswith(f"{last:.3g} at step 100, {first / last:.3g} times smaller.")
    up = A.ascend(DATA, (52.3, 3.2), 2.1, 50).path  # bounces around σ̂: ends steeper than it began
    assert A.gradient_trend(up).endswith("at step 50: no smaller than where it began.")


# --- a climb made a press at a time ---------------------------------------------------------------

def test_a_climb_in_presses_is_the_climb_in_one_go():
    climb = A.begin(DATA, (45, 8))
    assert climb.start == (45.0, 8.0) and climb.taken == 0 and climb.stopped is None
    assert (climb.now.mu, climb.now.sigma) == (45.0, 8.0)
    for steps in (1, 49, 150):
        climb = A.climb_on(DATA, climb, 0.5, steps)
    whole = A.ascend(DATA, (45, 8), 0.5, 200).path
    assert climb.taken == 200 and climb.path == whole and climb.start == (45.0, 8.0)


def test_a_climb_keeps_why_its_last_press_stopped():
    climb = A.climb_on(DATA, A.begin(DATA, (45, 8)), 12, 200)
    assert climb.taken == 123 and "would push σ" in climb.stopped  # as in test_verdict_stopped
    again = A.climb_on(DATA, climb, 0.5, 10)  # a smaller step goes on from there
    assert again.taken == 133 and again.stopped is None and again.path[:124] == climb.path


def test_a_climb_never_grows_past_the_most_steps():
    climb = A.begin(DATA, (45, 8))
    climb = A.climb_on(DATA, climb, 0.5, A.MAX_STEPS - 3)
    assert not climb.full
    climb = A.climb_on(DATA, climb, 0.5, 200)
    assert climb.taken == A.MAX_STEPS and climb.full and len(climb.path) == A.MAX_STEPS + 1
    assert A.climb_on(DATA, climb, 0.5, 200) is climb
