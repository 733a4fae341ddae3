import json
import math

import numpy as np
import pyarrow as pa
import pytest
from scipy import integrate, optimize, stats

from pagetest import charts, metrics, open_page, formulas
from ui.text import read_back

PAGE = "pages/3_Likelihood_function.py"
DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def captions(at):
    return " ".join(read_back(c.value) for c in at.caption)


def sci(x: float) -> str:
    """x as the page writes a small number: 6.6466 × 10⁻⁶ (never 6.6466e-06)."""
    return sci_log(math.log(x))


def sci_log(log_x: float) -> str:
    """From 0.001 to 99999 with four significant digits, beyond as m × 10ⁿ."""
    power = math.floor(log_x / math.log(10))
    if -3 <= power < 5:
        return f"{math.exp(log_x):.4g}"
    mantissa = 10 ** (log_x / math.log(10) - power)
    return f"{mantissa:.4f} × 10{str(power).translate(str.maketrans('0123456789-', '⁰¹²³⁴⁵⁶⁷⁸⁹⁻'))}"


def test_defaults_mark_the_maximum():
    at = open_page(PAGE)
    text = captions(at)
    assert "μ = 52.2950" in text and "σ = 3.1673" in text
    assert r"7.0030 \times 10^{-7}" in formulas(at)[0]
    assert len(charts(at)) == 4   # L(μ), L(σ), the plane, and the sample-size section's narrowing curves


def test_moving_mu_moves_the_product():
    at = open_page(PAGE)
    at.slider(key="lf_mu").set_value(52.0).run()
    expected = 1.0
    for x in DATA:
        expected *= stats.norm.pdf(x, at.slider(key="lf_mu").value, 5)
    mantissa, exponent = f"{expected:.4e}".split("e")
    assert rf"{mantissa} \times 10^{{{int(exponent)}}}" in formulas(at)[0]


def test_identical_observations_are_explained_not_crashed():
    at = open_page(PAGE, x="3, 3, 3")
    assert "All observations are equal" in at.error[0].value


def test_a_link_value_inside_the_datas_range_is_taken_as_given():
    at = open_page(PAGE, lf_mu="52.5", lf_sigma="4")
    assert not at.warning
    assert at.slider(key="lf_mu").value == 52.5 and at.slider(key="lf_sigma").value == 4.0


def test_a_link_value_outside_the_datas_range_falls_back_and_is_said():
    at = open_page(PAGE, lf_mu="-500")
    slider = at.slider(key="lf_mu")
    assert slider.value == 50.0 and slider.min > -500
    notice = read_back(at.warning[0].value)
    assert len(at.warning) == 1 and "'lf_mu=-500' is outside " in notice and notice.endswith("; using 50.")
    lo, hi = notice.removeprefix("'lf_mu=-500' is outside ").removesuffix("; using 50.").split(" to ")
    assert slider.min <= float(lo) < float(hi) <= slider.max   # the data's range, its ends rounded inward


def pdf(x: float, mu: float, sigma: float) -> float:
    return math.exp(-((x - mu) ** 2) / (2 * sigma * sigma)) / (sigma * math.sqrt(2 * math.pi))


def area_by_quad(data, sigma):
    """∫ L(μ | x) dμ by scipy's quad around the mean, where all of L's mass lies."""
    centre, width = sum(data) / len(data), 40 * sigma / math.sqrt(len(data))
    f = lambda m: math.prod(pdf(x, m, sigma) for x in data)  # noqa: E731
    return integrate.quad(f, centre - width, centre + width, points=[centre], epsabs=0, epsrel=1e-10)[0]


def area_over_sigma_by_quad(data, mu):
    f = lambda s: math.prod(pdf(x, mu, s) for x in data) if s > 0 else 0.0  # noqa: E731
    top = math.sqrt(sum((x - mu) ** 2 for x in data) / len(data))
    near = integrate.quad(f, 0, 50 * top, points=[top], epsabs=0, epsrel=1e-10, limit=200)[0]
    return near + integrate.quad(f, 50 * top, math.inf, epsabs=0, epsrel=1e-9)[0]


def words(at) -> str:
    return " ".join(e.value for e in at.markdown) + " " + " ".join(read_back(e.value) for e in at.caption)


def test_the_area_under_the_likelihood_is_shown_and_is_not_one():
    at = open_page(PAGE)
    m = metrics(at)
    area = area_by_quad(DATA, 5.0)
    assert sci(area) == "6.6466 × 10⁻⁶"  # the "about 6.6 × 10⁻⁶" at σ = 5
    assert m["area under L(μ | x), over all μ"] == sci(area)
    assert m["area under L(σ | x), over all σ > 0"] == sci(area_over_sigma_by_quad(DATA, 50.0))
    text = words(at)
    assert "not a distribution over μ or σ, so nothing makes the area under it 1" in text
    assert "the area is 6.6466 × 10⁻⁶" in text


def test_the_area_follows_the_data_and_sigma():
    data = (1.0, 2.0, 4.0, 4.5)
    at = open_page(PAGE, x=", ".join(map(str, data)), lf_mu="3", lf_sigma="1.5")
    assert at.slider(key="lf_sigma").value == 1.5
    m = metrics(at)
    assert m["area under L(μ | x), over all μ"] == sci(area_by_quad(data, 1.5))
    assert m["area under L(σ | x), over all σ > 0"] == sci(area_over_sigma_by_quad(data, 3.0))
    at.slider(key="lf_sigma").set_value(0.9).run()
    sigma = at.slider(key="lf_sigma").value
    assert metrics(at)["area under L(μ | x), over all μ"] == sci(area_by_quad(data, sigma))


def test_an_area_near_one_is_called_a_coincidence():
    """Two points 0.2 apart: the area over μ, 1/(2σ√π) · exp(−0.01/σ²), passes 1 as σ grows (on
    the slider's round steps of 0.002, within 1 % of it at σ = 0.096 and from 0.232 to 0.238)."""
    data = (0.0, 0.2)
    at = open_page(PAGE, x="0, 0.2")
    lo, hi, step = at.slider(key="lf_sigma").min, at.slider(key="lf_sigma").max, at.slider(key="lf_sigma").step
    grid = [lo + i * step for i in range(int(round((hi - lo) / step)) + 1)]
    near = [s for s in grid if abs(area_by_quad(data, s) - 1) < 0.01]
    assert near  # the slider reaches it
    at.slider(key="lf_sigma").set_value(near[0]).run()
    assert "The area over μ is within 1 % of 1 here only by chance" in words(at)
    at.slider(key="lf_sigma").set_value(grid[-1]).run()
    assert abs(area_by_quad(data, at.slider(key="lf_sigma").value) - 1) > 0.01 and "by chance" not in words(at)


def test_likelihood_curves_too_small_for_a_float_are_rescaled_and_said():
    data = tuple(50 + (i % 7) for i in range(1000))
    at = open_page(PAGE, x=", ".join(map(str, data)))
    text = words(at)
    assert "Here L stays below 10⁻³⁰⁰, at or past the smallest numbers a 64-bit float holds (about 10⁻³⁰⁸) along " \
           "the whole curve, so the chart draws L × 10" in text
    log_area = (-(len(data) - 1) / 2 * math.log(2 * math.pi * 25) - 0.5 * math.log(len(data))
                - sum((x - sum(data) / len(data)) ** 2 for x in data) / 50)
    assert metrics(at)["area under L(μ | x), over all μ"] == sci_log(log_area)
    assert "= 0\n" not in formulas(at)[0] and r"\times 10^{-" in formulas(at)[0]


def test_one_observation_is_not_called_all_equal():
    at = open_page(PAGE, x="3")
    assert "There is only one observation" in at.error[0].value


def test_a_peak_beyond_the_sigma_charts_edge_is_said():
    at = open_page(PAGE)
    at.slider(key="lf_mu").set_value(at.slider(key="lf_mu").max).run()
    mu = at.slider(key="lf_mu").value
    best = math.sqrt(sum((x - mu) ** 2 for x in DATA) / len(DATA))  # argmax over σ with μ held
    assert best > at.slider(key="lf_sigma").max
    assert f"peaks at σ = {best:.4f}, the root mean squared distance of the data from μ, beyond the right edge " \
           "of this chart." in words(at)
    at.slider(key="lf_mu").set_value(52.0).run()
    assert "beyond the right edge" not in words(at)


def test_the_observations_shelf_is_kept_open_across_a_page_change():
    at = open_page(PAGE)
    assert not at.session_state["data_shelf"]
    at.session_state["data_shelf"] = True  # the visitor opens it
    at.run()
    at.switch_page("pages/2_Likelihood.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.session_state["data_shelf"]


# --- issue 18 §2: the question about the interval is asked before the interval is drawn -----------


def chart_frames(chart) -> list:
    """The data frames a chart on the page was sent with."""
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]


def mark_labels(at) -> list[str]:
    """The labels of the marks on the L(μ | x) chart (the first chart)."""
    return [label for frame in chart_frames(charts(at)[0]) if "label" in frame for label in frame["label"]]


def answer(at):
    (radio,) = [r for r in at.radio if str(r.key).startswith("question:likelihood_function")]
    radio.set_value(read_back(radio.options[0])).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def interval(data, sigma):
    """Where scipy's log L(μ), σ held, has fallen 1.9207 below its top, by root finding."""
    x = np.asarray(data)
    f = lambda m: stats.norm.logpdf(x, m, sigma).sum() - stats.norm.logpdf(x, x.mean(), sigma).sum() \
        + stats.chi2.ppf(0.95, 1) / 2  # noqa: E731
    return optimize.brentq(f, x.mean() - 50 * sigma, x.mean()), optimize.brentq(f, x.mean(), x.mean() + 50 * sigma)


def test_the_interval_is_drawn_once_the_reader_has_answered():
    at = open_page(PAGE)
    assert not any("interval" in label for label in mark_labels(at))
    assert "likelihood interval" not in captions(at)
    assert any("Its ends are drawn here once you have picked an answer" in i.value for i in at.info)
    answer(at)
    lo, hi = interval(DATA, 5.0)
    assert f"95 % interval from {lo:.4f}" in mark_labels(at) and f"to {hi:.4f}" in mark_labels(at)
    assert f"Its 95 % likelihood interval, where L is at least 14.65 % of its peak, runs from μ = {lo:.4f} to " \
           f"{hi:.4f}." in captions(at)
    assert not any("Its ends are drawn here" in i.value for i in at.info)
    at.slider(key="lf_sigma").set_value(2.0).run()       # a new question: the interval waits again
    assert not any("interval" in label for label in mark_labels(at))


def test_in_presenter_mode_the_interval_waits_for_the_reveal():
    at = open_page(PAGE, present="1")
    answer(at)
    assert not any("interval" in label for label in mark_labels(at))
    assert any("Its ends are drawn here once the answer to the question" in i.value for i in at.info)
    at.button(key="question_reveal:likelihood_function").click().run()
    assert any(label.startswith("95 % interval from") for label in mark_labels(at))


def test_the_likelihood_axes_read_as_powers_of_ten_not_e_notation():
    at = open_page(PAGE)
    for chart in charts(at)[:2]:
        spec = json.loads(chart.proto.spec)
        y = spec["layer"][0]["encoding"]["y"]
        assert y["title"].startswith("likelihood L × 10") and "e" not in y["axis"]["format"]
    table_top = max(chart_frames(charts(at)[0])[0]["y"])
    peak = math.prod(pdf(x, np.mean(DATA), 5.0) for x in DATA)
    assert table_top == pytest.approx(peak * 1e6, rel=1e-3)   # drawn as L × 10⁶


# --- issue 22 §1: sample size -------------------------------------------------------------------
def test_the_sample_size_section_draws_its_own_sample():
    at = open_page(PAGE)
    text = " ".join(m.value for m in at.markdown)
    assert "its own sample" in text and "the observations above are not used here" in text
    sample = np.random.default_rng(0).normal(50, 5, 20)
    mean, sigma = sample.mean(), sample.std()
    formula = formulas(at)[-1]
    assert rf"\frac{{20}}{{{sigma:.4f}^2}} = {20 / sigma**2:.4g}" in formula
    assert rf"= {sigma / math.sqrt(20):.4f}" in formula and "the standard error" in formula
    half = stats.norm.ppf(0.975) * sigma / math.sqrt(20)
    centre, shown = round(mean, 4), round(half, 4)
    assert rf"{centre:.4f} \pm {shown:.4f} = [{centre - shown:.4f}, {centre + shown:.4f}]" in formula
    assert "This sample's interval contains the true μ₀ = 50." in captions(at)
    assert "x" not in at.query_params     # the shared observations are untouched


def test_more_draws_narrow_the_likelihood():
    at = open_page(PAGE)
    widths = {}
    for n in (20, 80, 320):
        at.slider(key="lf_n").set_value(n).run()
        assert not at.exception
        sample = np.random.default_rng(0).normal(50, 5, n)
        se = sample.std() / math.sqrt(n)
        assert f"all {n} draws" in captions(at) or f"log L(μ) for {n} draws" in captions(at)
        widths[n] = 2 * stats.norm.ppf(0.975) * se
        assert f"{round(widths[n] / 2, 4) * 2:.4f} wide" in captions(at)
        assert f"√({n}/{n // 4})" in captions(at)
    assert widths[20] > widths[80] > widths[320]
    assert at.session_state["lf_n"] == 320


def test_a_link_sets_the_true_normal_and_a_bad_value_falls_back():
    at = open_page(PAGE, lf_n="8", lf_true_mu="-3", lf_true_sigma="0.5", lf_seed="4")
    assert not at.warning
    sample = np.random.default_rng(4).normal(-3, 0.5, 8)
    assert f"log L(μ) for 8 draws from N(-3, 0.5²), σ held at their σ̂ = {sample.std():.4f}" in captions(at)
    at = open_page(PAGE, lf_n="1", lf_true_sigma="abc")
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "'lf_n=1' is outside 2 to 1000; using 20" in notices and "'lf_true_sigma=abc' is not a number" in notices
    assert "log L(μ) for 20 draws from N(50, 5²)" in captions(at)


def test_one_draw_less_than_a_quarter_shows_one_curve():
    at = open_page(PAGE, lf_n="7")
    assert "first" not in " ".join(c.value for c in at.caption if c.value.startswith("log L(μ) for"))
