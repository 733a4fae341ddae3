"""Chapter 5 in AppTest: the closed form, and gradient ascent with autograd reaching it."""
import json

import numpy as np
import pyarrow as pa
import pytest

from core.ascent import CURVATURE_LESSON, SMALL_GRADIENT_LESSON
from core.formatting import sig
from pagetest import charts, figure_value, formulas, metrics, open_page
from ui.text import literal, read_back

PAGE = "pages/5_Maximum_likelihood.py"
X = np.array([48.8292, 49.3087, 52.4836, 53.2384, 57.6151])
MU_HAT, SIGMA_HAT, S = X.mean(), X.std(ddof=0), X.std(ddof=1)
D_MU, D_SIGMA = "|μ − μ̂|", "|σ − σ̂|"
value = figure_value


@pytest.fixture
def at():
    # Each test starts from a fresh session, so no optimiser path carries over.
    return open_page(PAGE)


def step_line(at) -> str:
    return next(l for l in formulas(at) if r"\text{step }" in l)


def test_closed_form_beside_the_sample_std(at):
    m = metrics(at)
    assert m["μ̂, the mean"] == f"{MU_HAT:.4f}" == "52.2950"
    assert m["σ̂, the MLE (divides by n)"] == f"{SIGMA_HAT:.4f}" == "3.1673"
    assert m["s, sample std (divides by n − 1)"] == f"{S:.4f}" == "3.5411"
    written = " ".join(formulas(at))
    assert "operatorname{argmax}" in written and "= 3.1673" in written and "= 3.5411" in written


def test_run_reaches_the_closed_form(at):
    assert value(metrics(at)[D_MU]) > 1  # the start (45, 8) is far away
    at.button(key="mle_run").click().run()
    assert not at.exception
    m = metrics(at)
    assert value(m[D_MU]) < 1e-4 and value(m[D_SIGMA]) < 1e-4
    assert abs(value(m["∂ log L / ∂μ"])) < 1e-6
    assert "e-" not in m[D_MU] + m["∂ log L / ∂μ"] and "× 10⁻" in m[D_MU]     # one way to write a small number
    assert r"\text{step } 200" in step_line(at)
    assert len(charts(at)) == 3          # the bias simulation, the plane, the gradient


def test_one_step_follows_the_gradient(at):
    mu0, sigma0, lr = 45.0, 8.0, 0.5
    grad_mu = np.sum(X - mu0) / sigma0**2
    grad_sigma = -len(X) / sigma0 + np.sum((X - mu0) ** 2) / sigma0**3
    assert metrics(at)["∂ log L / ∂μ"] == sig(grad_mu, 4)
    assert value(metrics(at)["∂ log L / ∂μ"]) == pytest.approx(grad_mu, rel=1e-3)
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
    assert r"\text{step } 0" in line and r"\mu = 50.000000" in line


def test_a_step_that_pushes_sigma_below_zero_is_stopped(at):
    at.number_input(key="ga_mu0").set_value(52.3).run()
    at.number_input(key="ga_sigma0").set_value(5.5).run()
    at.number_input(key="ga_eta").set_value(10.0).run()
    at.button(key="mle_run").click().run()
    assert not at.exception
    g_sigma = -len(X) / 5.5 + np.sum((X - 52.3) ** 2) / 5.5**3
    assert 5.5 + 10 * g_sigma < 0  # the first step would leave σ > 0
    assert f"would take σ from 5.5 to {5.5 + 10 * g_sigma:.4g}" in at.warning[0].value
    assert "Stopped before the first step" in at.warning[0].value
    assert r"\text{step } 0" in step_line(at)  # the path so far (just the start) is kept


def test_deep_link_and_a_bad_value():
    at = open_page(PAGE, ga_mu0="60", ga_eta="abc")
    assert "'ga_eta=abc' is not a number; using 0.5." in read_back(at.warning[0].value)
    assert at.warning[0].value == literal(read_back(at.warning[0].value))  # drawn literally
    assert at.number_input(key="ga_eta").value == 0.5
    assert r"\mu = 60.000000" in step_line(at)


# --- the verdict on a climb, one case per way it can end ----------------------------------------
#
# Each case sets the page's own controls and presses Run. The expected figures come from a plain
# numpy climb on the closed-form gradient, not from core.ascent.

N = len(X)


def grad(mu, sigma):
    return np.sum(X - mu) / sigma**2, -N / sigma + np.sum((X - mu) ** 2) / sigma**3


def climb(mu, sigma, lr, steps):
    """[(μ, σ), ...] of θ ← θ + η ∇log L, stopping before a step that would make σ ≤ 0."""
    path = [(mu, sigma)]
    for _ in range(steps):
        g_mu, g_sigma = grad(mu, sigma)
        if sigma + lr * g_sigma <= 0:
            break
        mu, sigma = mu + lr * g_mu, sigma + lr * g_sigma
        path.append((mu, sigma))
    return path


def run_case(mu0, sigma0, lr, steps):
    at = open_page(PAGE, ga_mu0=str(mu0), ga_sigma0=str(sigma0), ga_eta=str(lr), ga_steps=str(steps))
    at.button(key="mle_run").click().run()
    assert not at.exception
    return at


def labels(at) -> list[str]:
    """The labels of the marked points on the (μ, σ) plane."""
    found = []
    for chart in charts(at):          # the plane: the one chart whose marks have a σ
        for d in chart.proto.datasets:
            frame = pa.ipc.open_stream(d.data.data).read_all().to_pandas()
            if "label" in frame and "sigma" in frame:
                found = list(frame["label"])
    return found


def plane_path(at):
    """The (μ, σ) drawn as the path, and the plane's two axis ranges."""
    proto = charts(at)[1].proto          # after the bias simulation's histograms
    spec = json.loads(proto.spec)
    heat = spec["layer"][0]["encoding"]
    domains = heat["x"]["scale"]["domain"], heat["y"]["scale"]["domain"]
    for d in proto.datasets:
        frame = pa.ipc.open_stream(d.data.data).read_all().to_pandas()
        if "i" in frame:
            return list(zip(frame["mu"], frame["sigma"])), domains
    return [], domains


def text_of(elements) -> str:
    return " ".join(e.value for e in elements)


def test_verdict_top():
    at = run_case(45, 8, 0.5, 200)
    mu, sigma = climb(45, 8, 0.5, 200)[-1]
    assert abs(mu - MU_HAT) < 1e-4 * SIGMA_HAT and abs(sigma - SIGMA_HAT) < 1e-4 * SIGMA_HAT
    assert "Reached the top" in at.success[0].value and not at.warning
    assert labels(at) == ["step 200 ≈ MLE", "start"]
    assert "shrinks towards zero" not in text_of(at.caption)


def test_verdict_still_climbing():
    at = run_case(45, 8, 0.1, 10)
    mu, sigma = climb(45, 8, 0.1, 10)[-1]
    assert abs(mu - MU_HAT) > 1  # far from done
    assert "Still climbing" in at.info[0].value and "more steps would reach the top" in at.info[0].value
    assert not at.warning and not at.success


def test_verdict_oscillating_sigma_bounces_for_ever():
    at = run_case(45, 8, 2.1, 200)
    path = climb(45, 8, 2.1, 200)
    (_, s1), (_, s2), (_, s3), (_, s4) = path[-4:]
    assert abs(s1 - s3) < 1e-9 and abs(s2 - s4) < 1e-9 and abs(s3 - s4) > 0.4  # a two-value cycle
    assert 2.1 > SIGMA_HAT**2 / N  # above the step that can settle at the top
    warning = at.warning[0].value
    assert warning.startswith("Oscillating")
    assert f"bounces between two values, {s3:.4g} and {s4:.4g}, for ever" in warning
    lesson = at.info[0].value
    assert f"above {SIGMA_HAT**2 / N:.4g}" in lesson and CURVATURE_LESSON in lesson
    assert "log L fell on 25 of the last 50 steps" in warning
    assert not any("≈ MLE" in label for label in labels(at))


def test_verdict_oscillating_chaotic():
    at = run_case(45, 8, 5, 200)
    assert at.warning[0].value.startswith("Oscillating") and "swung between" in at.warning[0].value
    assert CURVATURE_LESSON in at.info[0].value


@pytest.mark.parametrize("mu0, sigma0, lr, steps, thrown", [(45, 0.5, 0.5, 20, 1), (45, 0.1, 20, 20, 1)])
def test_verdict_stalled_on_a_flat_plain(mu0, sigma0, lr, steps, thrown):
    at = run_case(mu0, sigma0, lr, steps)
    path = climb(mu0, sigma0, lr, steps)
    mu, sigma = path[-1]
    assert len(path) == steps + 1 and sigma - SIGMA_HAT > 100 * SIGMA_HAT  # hundreds of σ̂ from the top
    gradient = np.hypot(*grad(mu, sigma))
    assert gradient < 0.005
    warning, lesson = at.warning[0].value, at.info[0].value
    assert warning.startswith("Stalled far from the top") and f"The gradient is only {sig(gradient, 2)}" in warning
    assert SMALL_GRADIENT_LESSON in lesson and "flat plain" in lesson and CURVATURE_LESSON in lesson
    assert f"Step {thrown} started" in lesson
    # the chart stays on the start and θ̂; it says where the path went, and calls nothing else the MLE
    out_mu, out_sigma = path[thrown]
    plane = next(read_back(c.value) for c in at.caption if c.value.startswith("The white line"))
    assert f"step {thrown} lands far off it, at μ = {sig(out_mu, 4)}, σ = {sig(out_sigma, 4)}" in plane
    assert labels(at) == ["MLE", "start"]
    drawn, (mu_range, sigma_range) = plane_path(at)
    assert sigma_range[1] < 20 * SIGMA_HAT and mu_range[0] < MU_HAT < mu_range[1]
    assert all(mu_range[0] - 1e-9 <= m <= mu_range[1] + 1e-9 and sigma_range[0] - 1e-9 <= s <= sigma_range[1] + 1e-9
               for m, s in drawn)
    assert drawn[:thrown] == path[:thrown] or np.allclose(drawn[:thrown], path[:thrown], rtol=1e-12)


def test_verdict_stalled_by_a_tiny_step():
    at = run_case(45, 8, 0.001, 200)
    assert at.warning[0].value.startswith("Barely moving")
    assert "not small here; the step is" in at.info[0].value
    assert SMALL_GRADIENT_LESSON not in at.info[0].value


def test_starting_at_the_top_with_a_step_just_above_the_limit_is_not_the_top():
    # η = 2.01 > σ̂²/n = 2.0064: every step lands a little further from σ̂
    at = run_case(52.295, 3.1673, 2.01, 200)
    assert not at.success and at.warning[0].value.startswith("Oscillating")
    assert "each time further from σ̂" in at.warning[0].value
    assert not any("≈ MLE" in label for label in labels(at))


def test_one_tiny_step_is_too_few_to_tell():
    at = run_case(45, 8, 0.001, 1)
    said = " ".join(e.value for e in (*at.info, *at.warning, *at.success))
    assert "too few steps to tell" in said and "Stalled" not in said and not at.warning
    caption = " ".join(read_back(c.value) for c in at.caption)
    assert "about the same" in caption and "1 times" not in caption


@pytest.mark.parametrize("mu0, lr, done", [(50, 20, 0), (45, 12, 123)])
def test_verdict_stopped_before_sigma_turns_negative(mu0, lr, done):
    at = run_case(mu0, 8, lr, 200)
    path = climb(mu0, 8, lr, 200)
    assert len(path) - 1 == done
    mu, sigma = path[-1]
    new_sigma = sigma + lr * grad(mu, sigma)[1]
    warning = at.warning[0].value
    assert f"would take σ from {sigma:.4g} to {new_sigma:.4g}" in warning
    assert warning.startswith("Stopped before the first step" if done == 0 else f"Stopped after {done} steps")
    assert CURVATURE_LESSON in at.info[0].value
    assert rf"\text{{step }} {done}" in step_line(at)


def test_step_size_help_names_both_failures_with_the_curvature_here():
    at = open_page(PAGE)
    help_text = at.number_input(key="ga_eta").proto.help
    assert f"Above {SIGMA_HAT**2 / N:.4g} (that is σ̂²/n)" in help_text
    assert f"a step above about {SIGMA_HAT**2 / (2 * N):.3g} lands past the peak" in help_text
    # the largest step from (45, 8): 2 / the largest eigenvalue of -∇² log L there (finite differences)
    def ll(m, s):
        return np.sum(-np.log(s) - 0.5 * np.log(2 * np.pi) - (X - m) ** 2 / (2 * s**2))
    h, m, s = 1e-4, 45.0, 8.0
    hess = np.array([[ll(m + h, s) - 2 * ll(m, s) + ll(m - h, s), 0], [0, ll(m, s + h) - 2 * ll(m, s) + ll(m, s - h)]]) / h**2
    hess[0, 1] = hess[1, 0] = (ll(m + h, s + h) - ll(m + h, s - h) - ll(m - h, s + h) + ll(m - h, s - h)) / (4 * h * h)
    safe = 2 / np.linalg.eigvalsh(-hess).max()
    assert f"from this start (μ₀ = 45, σ₀ = 8) it is {safe:.3g}" in help_text
    assert "flat plain" in help_text and "below zero" in help_text


def test_the_articles_mean_and_sd_are_xbar_and_sigma_hat(at):
    text = " ".join(m.value for m in at.markdown)
    assert round(MU_HAT, 3) == 52.295 and round(SIGMA_HAT, 3) == 3.167 != round(S, 3)
    assert "mean 52.295 and sd 3.167" in text
    assert f"μ̂ = {MU_HAT:.4f} and σ̂ = {SIGMA_HAT:.4f}" in text and f"not s = {S:.4f}" in text
    assert "The article's five observations" in read_back(at.caption[0].value)


# --- §6: number boxes checked on the server ----------------------------------------------------
def test_out_of_range_climb_settings_are_moved_to_the_nearest_end_and_said(at):
    at.number_input(key="ga_eta").set_value(100.0).run()
    assert not at.exception
    assert at.number_input(key="ga_eta").value == 20.0
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "“step size η” takes values from 0.001 to 20. 100 is above that, so the page uses 20." in notices
    at.number_input(key="ga_steps").set_value(0).run()
    assert at.number_input(key="ga_steps").value == 1
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "“steps per Run” takes values from 1 to 2000. 0 is below that, so the page uses 1." in notices
    assert "step size η" not in notices  # the earlier notice is not said again


# --- issue 22 §1: σ̂'s bias, shown by simulation ----------------------------------------------------
def _simulated(n, samples, sigma, seed):
    """The same seeded samples drawn again with numpy: the means of σ̂² , s², σ̂ and s."""
    x = np.random.default_rng(seed).normal(50.0, sigma, size=(samples, n))
    hat, s = x.std(axis=1, ddof=0), x.std(axis=1, ddof=1)
    return {"σ̂²": (hat**2).mean(), "s²": (s**2).mean(), "σ̂": hat.mean(), "s": s.mean()}


def _four(x: float) -> str:
    """Four significant digits, zeros kept, as the bias section writes its averages."""
    return f"{x:,.{max(0, 3 - int(np.floor(np.log10(abs(x)))))}f}"


def _bias_words(at) -> str:
    return " ".join(read_back(m.value) for m in at.markdown if "over the" in m.value and "samples" in m.value)


def test_the_bias_simulation_shows_what_theory_says(at):
    means = _simulated(5, 10_000, 5.0, 0)
    words = _bias_words(at)
    for name, mean in means.items():
        assert f"The mean of {name} over the 10,000 samples is {_four(mean)}" in words
    assert "σ̂² is biased low, by 20 %" in words and "s² is unbiased" in words
    assert "s is biased low, by 6 %" in words                        # c4(5) = 0.9400
    assert any("c_4(5)" in f and "= 0.9400" in f for f in formulas(at))
    summary = next(read_back(c.value) for c in at.caption if c.value.startswith("Histograms of σ̂ and s"))
    assert f"σ̂ averages {sig(means['σ̂'], 4)}, below the true σ = 5" in summary


def test_the_bias_controls_are_kept_in_the_url_and_move_the_simulation():
    at = open_page(PAGE, bias_n="100", bias_samples="100", bias_seed="3")
    assert at.number_input(key="bias_n").value == 100 and at.number_input(key="bias_samples").value == 100
    means = _simulated(100, 100, 5.0, 3)
    words = _bias_words(at)
    assert f"The mean of s over the 100 samples is {_four(means['s'])}" in words
    assert "cannot tell them apart" in words          # a 0.25 % bias is far below the noise of 100 samples
    at.number_input(key="bias_n").set_value(2).run()
    at.number_input(key="bias_samples").set_value(20_000).run()
    assert "s is biased low, by 20 %" in _bias_words(at)             # c4(2) = √(2/π) = 0.7979


def test_too_many_bias_draws_are_refused_with_a_notice():
    at = open_page(PAGE, bias_samples="50000")
    assert "bias_samples=50000" in " ".join(read_back(w.value) for w in at.warning)
    assert at.number_input(key="bias_samples").value == 10_000


def test_before_run_the_page_asks_for_a_prediction_and_shows_no_verdict_on_a_run(at):
    """Chapter 5's question is about one Run from the start: before it nothing on the page says
    where a Run ends (the verdict speaks of the start only); Run is the "see"."""
    from core import questions

    expected = questions.maximum_likelihood(X, (45.0, 8.0), 0.5, 200)
    assert any("predict where one Run from this start ends" in read_back(c.value) for c in at.caption)
    shown_now = " ".join(e.value for e in (*at.success, *at.warning, *at.info))
    assert "No steps yet" in shown_now and "Reached the top" not in shown_now
    assert expected.explanation.split(".")[0] not in shown_now
    at.button(key="mle_run").click().run()
    assert not any("predict where one Run" in read_back(c.value) for c in at.caption)
    assert "Reached the top" in at.success[0].value
