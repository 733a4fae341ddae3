"""core.ascent: autograd gradients of log L and gradient ascent to the MLE.

Independent checks: the closed-form gradient, a central finite difference of
core.normal.log_likelihood (scipy), and the closed-form MLE.
"""
from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import ascent as A
from core import questions, run_shape
from core import normal as N
from core.formatting import sig

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


def excess(data, mu, sigma):
    """log L(θ̂) − log L(μ, σ) in long double (64-bit mantissa), straight from the sums: an
    independent check of core.ascent's float64 closed form, fine enough to see its rises."""
    x = np.array(data, dtype=np.longdouble)
    n, m = len(x), x.mean()
    s2 = ((x - m) ** 2).mean()
    mu, sigma = np.longdouble(mu), np.longdouble(sigma)
    return float(n * np.log(sigma) - n * np.log(s2) / 2 + ((x - mu) ** 2).sum() / (2 * sigma**2) - n / 2)


def late_and_window(steps):
    return max(run_shape.MIN_TAIL, steps // 4), max(run_shape.MIN_TAIL, steps // 20)


def check_against_the_path(data, r, v):
    """Each kind of verdict holds of the path it came from (figures recomputed here)."""
    path = r.path
    est = N.mle(data)
    taken = len(path) - 1
    ex = [excess(data, p.mu, p.sigma) for p in path]
    assert (v.kind == "stopped") == (r.stopped is not None)
    if v.kind == "stopped":
        return
    assert (v.kind == "too_few") == (taken < run_shape.MIN_STEPS)
    if v.kind == "too_few":
        return
    late, window = late_and_window(taken)
    tail = ex[-late - 1:]
    rises = sum(b > a for a, b in zip(tail, tail[1:]))
    if v.kind == "oscillating":                          # log L fell on at least two late steps
        assert rises >= 2
    elif v.kind == "top":                                # and stayed within the tolerance of θ̂
        for p in path[-window - 1:]:
            assert abs(p.mu - est.mu) <= 1.001 * A.TOP_TOLERANCE * est.sigma
            assert abs(p.sigma - est.sigma) <= 1.001 * A.TOP_TOLERANCE * est.sigma
    else:
        assert max(ex[-window - 1:]) > len(data) * A.TOP_TOLERANCE**2 / 2 * 0.999   # not settled at the top
        if v.kind == "fell":                             # ends further below θ̂'s log L than it began
            assert ex[-1] > ex[0]
        elif v.kind == "climbing":                       # late steps went up, at a pace that gets there
            fall = tail[0] - tail[-1]
            assert fall > 0 and ex[-1] / (fall / late) <= 1.01 * run_shape.STALL_STEPS
        else:
            assert v.kind == "stalled"                   # at the late pace, more steps than the page allows
            fall = tail[0] - tail[-1]
            assert fall <= 0 or ex[-1] / (fall / late) >= 0.99 * run_shape.STALL_STEPS


datasets = st.lists(st.floats(-50, 50, **finite), min_size=2, max_size=8).filter(
    lambda xs: statistics.pstdev(xs) > 0.05)


@settings(max_examples=60, deadline=None)
@given(datasets, st.floats(-3, 3), st.floats(0.05, 10), st.floats(-3, 1), st.integers(1, 300))
def test_every_verdict_holds_of_the_path_it_came_from(data, shift, scale, log_factor, steps):
    """Random data, starts, step sizes (as a multiple of the top's limit σ̂²/n, from 10⁻³ to 10)
    and numbers of steps: the verdict, and the chapter's question, agree with the path."""
    est = N.mle(data)
    start = (est.mu + shift * est.sigma, est.sigma * scale)
    lr = A.step_limits(data).unstable * 10**log_factor
    r = A.ascend(data, start, lr, steps)
    v = A.verdict(data, r, lr=lr)
    assert v.kind in A.KINDS and v.sentence
    check_against_the_path(data, r, v)
    assert questions.maximum_likelihood(data, start, lr, steps).correct == questions.CLIMB_OPTIONS[v.kind]


def test_starting_at_the_top_with_a_step_just_above_the_limit_moves_away():
    # The case: every step lands further from σ̂, so this is no top, however close it still is.
    lr = 1.005 * EST.sigma**2 / N_OBS
    r = run((52.295, 3.1673), lr, 200)
    offsets = [abs(p.sigma - EST.sigma) for p in r.path[-20:]]
    assert all(b > a for a, b in zip(offsets, offsets[1:]))
    v = A.verdict(DATA, r, lr=lr)
    assert v.kind == "oscillating" and "each time further from σ̂" in v.sentence
    assert questions.maximum_likelihood(DATA, (52.295, 3.1673), lr, 200).correct.startswith("It bounces")
    # Started on θ̂ itself, nothing nudges it: it stays, and the verdict says why that is fragile.
    there = A.verdict(DATA, run((EST.mu, EST.sigma), lr, 200), lr=lr)
    assert there.kind == "top" and "any nudge would grow" in there.lesson


def test_one_tiny_step_is_too_few_to_tell():
    r = run((45, 8), 0.001, 1)
    v = A.verdict(DATA, r, lr=0.001)
    assert v.kind == "too_few" and "Stalled" not in v.sentence and "take at least 10" in v.sentence
    assert questions.maximum_likelihood(DATA, (45, 8), 0.001, 1).correct == "Too few steps to tell"
    assert "Too few steps to tell" not in questions.maximum_likelihood(DATA, (45, 8), 0.001, 10).options


def test_the_top_settles_below_the_limit_and_never_above_it():
    # Near θ̂ each step multiplies σ's distance by 1 - η·2n/σ̂²: it settles for η < 2.0064, in a
    # zig-zag whose swings die out (not an oscillation), and bounces for ever above.
    below = run((45, 8), 2.0, 1000)
    kinds = [A.verdict(DATA, below.path[: k + 1], lr=2.0).kind for k in range(0, len(below.path), 3)]
    assert "oscillating" not in kinds and kinds[-1] == "top"
    above = run((45, 8), 2.01, 3000)
    assert A.verdict(DATA, above, lr=2.01).kind == "oscillating"


def test_verdict_top_default_climb():
    v = A.verdict(DATA, run((45, 8), 0.5, 200), lr=0.5)
    assert v.kind == "top" and v.lesson is None and "Reached the top" in v.sentence
    assert f"μ = {EST.mu:.6g}" in v.sentence and "1 steps" not in v.sentence


def test_verdict_oscillating_sigma_bounces_between_two_values():
    r = run((45, 8), 2.1, 200)
    (_, s1), (_, s2) = [(p.mu, p.sigma) for p in r.path[-2:]]
    v = A.verdict(DATA, r, lr=2.1)
    assert v.kind == "oscillating" and "bounces between two values" in v.sentence
    assert f"above {EST.sigma**2 / N_OBS:.4g}" in v.lesson and A.CURVATURE_LESSON in v.lesson


def test_verdict_oscillating_in_slow_swings():
    # η = 5 throws σ out to about 40, crawls back for 30 steps, and is thrown out again.
    r = run((45, 8), 5, 200)
    v = A.verdict(DATA, r, lr=5)
    assert v.kind == "oscillating" and "swung between" in v.sentence


def test_verdict_stalled_on_a_flat_plain():
    v = A.verdict(DATA, run((45, 0.5), 0.5, 20), lr=0.5)
    assert v.kind == "stalled" and v.sentence.startswith("Stalled far from the top") and v.gradient < 0.01
    assert A.SMALL_GRADIENT_LESSON in v.lesson and "flat plain" in v.lesson and "Step 1 started" in v.lesson


def test_verdict_stalled_by_a_tiny_step_says_the_step_is_small():
    v = A.verdict(DATA, run((45, 8), 0.001, 200), lr=0.001)
    assert v.kind == "stalled" and v.sentence.startswith("Barely moving") and "The gradient is 0.56" in v.sentence
    assert "not small here; the step is" in v.lesson and A.SMALL_GRADIENT_LESSON not in v.lesson


@pytest.mark.parametrize("now", [0.001, 0.01, 1.5])
def test_a_stall_is_blamed_on_the_step_it_took_not_the_one_in_the_box(now):
    """Climbed with η = 0.001, then η changed in the box without a Reset: the lesson names the η
    the stalled steps used (read off the path), whatever the box holds now."""
    v = A.verdict(DATA, run((45, 8), 0.001, 200), lr=now)
    assert v.kind == "stalled" and "the last steps used η = 0.001, " in v.lesson
    assert now == 0.001 or f"η = {sig(now, 4)}" not in v.lesson


def test_verdict_fell_when_a_step_throws_it_downhill():
    r = run((45, 8), 20, 200)
    assert r.path[-1].log_likelihood < r.path[0].log_likelihood
    v = A.verdict(DATA, r, lr=20)
    assert v.kind == "fell" and "Step 3 started" in v.lesson


@pytest.mark.parametrize("start, lr, steps, done", [((50, 8), 20, 200, 0), ((45, 8), 12, 200, 123)])
def test_verdict_stopped(start, lr, steps, done):
    r = run(start, lr, steps)
    v = A.verdict(DATA, r, lr=lr)
    assert v.kind == "stopped" and v.steps == done
    assert A.verdict(DATA, list(r.path), lr=lr, stopped=r.stopped) == v


def test_verdict_stopped_after_the_step_size_was_lowered_quotes_the_reason():
    r = run((50, 8), 20, 200)
    v = A.verdict(DATA, r, lr=0.5)  # the page's η has since been lowered
    assert v.kind == "stopped" and r.stopped.rstrip(".") in v.sentence


def test_verdict_climbing_and_no_steps():
    v = A.verdict(DATA, run((45, 8), 0.1, 10), lr=0.1)
    assert v.kind == "climbing" and v.lesson is None and "Still climbing" in v.sentence
    assert A.verdict(DATA, run((45, 8), 0.5, 0), lr=0.5).sentence.startswith("No steps yet")
    assert A.verdict(DATA, [A.evaluate(DATA, EST.mu, EST.sigma)]).sentence.startswith("At the top already")


@settings(max_examples=15, deadline=None)
@given(st.floats(0.1, 100), st.floats(-50, 50), st.sampled_from([((45, 8), 0.5, 200), ((45, 8), 0.1, 10),
                                                                 ((45, 8), 2.1, 200), ((45, 0.5), 0.5, 20),
                                                                 ((50, 8), 20, 200), ((45, 8), 0.001, 200)]))
def test_verdict_does_not_depend_on_the_units(scale, shift, case):
    start, lr, steps = case
    base = A.verdict(DATA, run(start, lr, steps), lr=lr)
    data = [scale * x + shift for x in DATA]
    moved = A.ascend(data, (scale * start[0] + shift, scale * start[1]), scale**2 * lr, steps)
    assert A.verdict(data, moved, lr=scale**2 * lr).kind == base.kind


def test_verdict_rejects_empty_paths_and_flat_data():
    with pytest.raises(ValueError):
        A.verdict(DATA, [])
    with pytest.raises(ValueError):
        A.verdict([2.0, 2.0], [A.evaluate([2.0, 2.0], 2.0, 1.0)])


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
        f"At the start the gradient is {sig(math.hypot(*closed_form_grad(DATA, 45, 8)))} long; no steps yet."
    down = A.ascend(DATA, (45, 8), 0.5, 100).path
    first, last = (math.hypot(*closed_form_grad(DATA, p.mu, p.sigma)) for p in (down[0], down[-1]))
    assert A.gradient_trend(down).startswith(f"The length of the gradient went from {sig(first)} at the start to ")
    assert A.gradient_trend(down).endswith(f"{sig(last)} at step 100, {sig(first / last, 2)} times smaller than it was.")
    one = A.ascend(DATA, (45, 8), 0.001, 1).path     # one tiny step: no "1 times smaller"
    assert A.gradient_trend(one).endswith("at step 1: about the same.")
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
