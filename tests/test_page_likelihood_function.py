import math

from scipy import integrate, stats

from core.formatting import exact
from pagetest import charts, metrics, open_page, formulas
from ui.text import read_back

PAGE = "pages/3_Likelihood_function.py"
DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def captions(at):
    return " ".join(read_back(c.value) for c in at.caption)


def test_defaults_mark_the_maximum():
    at = open_page(PAGE)
    text = captions(at)
    assert "μ = 52.2950" in text and "σ = 3.1673" in text
    assert r"7.0030 \times 10^{-7}" in formulas(at)[0]
    assert len(charts(at)) == 3


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
    assert len(at.warning) == 1 and f"'lf_mu=-500' is outside {exact(slider.min)} to {exact(slider.max)}; using 50" in notice


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
    assert f"{area:.4e}" == "6.6466e-06"  # the "about 6.6 × 10⁻⁶" at σ = 5
    assert m["area under L(μ | x), over all μ"] == f"{area:.4e}"
    assert m["area under L(σ | x), over all σ > 0"] == f"{area_over_sigma_by_quad(DATA, 50.0):.4e}"
    text = words(at)
    assert "not a distribution over μ or σ, so nothing makes the area under it 1" in text
    assert "the area is 6.6466 × 10⁻⁶" in text


def test_the_area_follows_the_data_and_sigma():
    data = (1.0, 2.0, 4.0, 4.5)
    at = open_page(PAGE, x=", ".join(map(str, data)), lf_mu="3", lf_sigma="1.5")
    assert at.slider(key="lf_sigma").value == 1.5
    m = metrics(at)
    assert m["area under L(μ | x), over all μ"] == f"{area_by_quad(data, 1.5):.4e}"
    assert m["area under L(σ | x), over all σ > 0"] == f"{area_over_sigma_by_quad(data, 3.0):.4e}"
    at.slider(key="lf_sigma").set_value(0.9).run()
    sigma = at.slider(key="lf_sigma").value
    assert metrics(at)["area under L(μ | x), over all μ"] == f"{area_by_quad(data, sigma):.4e}"


def test_an_area_near_one_is_called_a_coincidence():
    """Two points 0.1 apart: the area over μ, 1/(2σ√π) · exp(−0.0025/σ²), passes 1 as σ grows."""
    data = (0.0, 0.1)
    at = open_page(PAGE, x="0, 0.1")
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
    assert metrics(at)["area under L(μ | x), over all μ"] == "{:.4f}e{:+03d}".format(
        10 ** (log_area / math.log(10) % 1), math.floor(log_area / math.log(10)))
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
