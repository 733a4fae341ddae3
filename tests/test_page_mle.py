"""Chapter 5 in AppTest: the closed form, and gradient ascent with autograd reaching it."""
import numpy as np
import pytest

from pagetest import charts, metrics, open_page
from ui.text import literal, read_back

PAGE = "pages/5_Maximum_likelihood.py"
X = np.array([48.8292, 49.3087, 52.4836, 53.2384, 57.6151])
MU_HAT, SIGMA_HAT, S = X.mean(), X.std(ddof=0), X.std(ddof=1)
D_MU, D_SIGMA = "|μ − μ̂|", "|σ − σ̂|"


@pytest.fixture
def at():
    # Each test starts from a fresh session, so no optimiser path carries over.
    return open_page(PAGE)


def step_line(at) -> str:
    return next(l.value for l in at.latex if r"\text{step }" in l.value)


def test_closed_form_beside_the_sample_std(at):
    m = metrics(at)
    assert m["μ̂, the mean"] == f"{MU_HAT:.4f}" == "52.2950"
    assert m["σ̂, the MLE (divides by n)"] == f"{SIGMA_HAT:.4f}" == "3.1673"
    assert m["s, sample std (divides by n − 1)"] == f"{S:.4f}" == "3.5411"
    formulas = " ".join(l.value for l in at.latex)
    assert "operatorname{argmax}" in formulas and "= 3.1673" in formulas and "= 3.5411" in formulas


def test_run_reaches_the_closed_form(at):
    assert float(metrics(at)[D_MU]) > 1  # the start (45, 8) is far away
    at.button(key="mle_run").click().run()
    assert not at.exception
    m = metrics(at)
    assert float(m[D_MU]) < 1e-4 and float(m[D_SIGMA]) < 1e-4
    assert abs(float(m["∂ log L / ∂μ"])) < 1e-6
    assert r"\text{step } 200" in step_line(at)
    assert len(charts(at)) == 2


def test_one_step_follows_the_gradient(at):
    mu0, sigma0, lr = 45.0, 8.0, 0.5
    grad_mu = np.sum(X - mu0) / sigma0**2
    grad_sigma = -len(X) / sigma0 + np.sum((X - mu0) ** 2) / sigma0**3
    assert metrics(at)["∂ log L / ∂μ"] == f"{grad_mu:.3e}"
    at.button(key="mle_one").click().run()
    line = step_line(at)
    assert r"\text{step } 1" in line
    assert f"{mu0 + lr * grad_mu:.6f}" in line and f"{sigma0 + lr * grad_sigma:.6f}" in line


def test_reset_and_a_new_start_begin_again(at):
    at.button(key="mle_run").click().run()
    at.button(key="mle_reset").click().run()
    assert r"\text{step } 0" in step_line(at)
    at.button(key="mle_run").click().run()
    at.number_input(key="ga_mu0").set_value(50.0).run()
    line = step_line(at)
    assert r"\text{step } 0" in line and r"\mu &= 50.000000" in line


def test_a_step_that_pushes_sigma_below_zero_is_stopped(at):
    at.number_input(key="ga_mu0").set_value(52.3).run()
    at.number_input(key="ga_sigma0").set_value(5.5).run()
    at.number_input(key="ga_eta").set_value(10.0).run()
    at.button(key="mle_run").click().run()
    assert not at.exception
    assert "would push σ to" in at.warning[0].value
    assert r"\text{step } 0" in step_line(at)  # the path so far (just the start) is kept


def test_deep_link_and_a_bad_value():
    at = open_page(PAGE, ga_mu0="60", ga_eta="abc")
    assert "'ga_eta=abc' is not a number; using 0.5." in read_back(at.warning[0].value)
    assert at.warning[0].value == literal(read_back(at.warning[0].value))  # drawn literally
    assert at.number_input(key="ga_eta").value == 0.5
    assert r"\mu &= 60.000000" in step_line(at)
