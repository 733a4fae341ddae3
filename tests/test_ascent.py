"""core.ascent: autograd gradients of log L and gradient ascent to the MLE.

Independent checks: the closed-form gradient, a central finite difference of
core.normal.log_likelihood (scipy), and the closed-form MLE.
"""
from __future__ import annotations

import math

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
