"""core.charts.normal and core.charts.style: every chart validates and carries the right data.

`Chart.to_dict()` validates against the vega-lite schema, so each call below is also a schema check.
The data are compared with independent computations (hand-written pdf, brute-force log L).
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pytest

from core import normal as N
from core import underflow as U
from core.charts import normal as C
from core.charts import style

DATA = N.ARTICLE_DATA


def pdf(x, mu, sigma):
    return math.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))


def spec(chart) -> dict:
    d = chart.to_dict()  # validates against the schema; raises if invalid
    assert d["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    return d


def layer_rows(d: dict, i: int) -> list[dict]:
    """The rows of layer i (altair hoists data frames into the top-level `datasets`)."""
    source = d["layer"][i].get("data") or d["data"]  # a lone layer's data moves up to the top level
    return d["datasets"][source["name"]]


def marks(d: dict) -> list[str]:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in d["layer"]]


# ---------------------------------------------------------------- density_interval
@pytest.mark.parametrize("a, b", [(50, 52.5), (52.5, 50), (40, 47.5), (44.9, 61.3)])
def test_density_interval(a, b):
    d = spec(C.density_interval(50, 2.5, a, b))
    assert marks(d) == ["area", "line", "rule"]
    lo, hi = min(a, b), max(a, b)
    area, curve, edges = (layer_rows(d, i) for i in range(3))
    xs = [r["x"] for r in area]
    assert xs[0] == lo and xs[-1] == hi and min(xs) == lo and max(xs) == hi
    for r in area[::17] + curve[::37]:
        assert r["density"] == pytest.approx(pdf(r["x"], 50, 2.5), rel=1e-12)
    # the shaded area, integrated from the chart's own data, is P(a ≤ X ≤ b)
    ys = [r["density"] for r in area]
    assert np.trapezoid(ys, xs) == pytest.approx(N.interval_probability(a, b, 50, 2.5), rel=1e-4)
    assert sorted(r["x"] for r in edges) == [lo, hi]
    cx = [r["x"] for r in curve]
    assert cx[0] == min(50 - 10, lo) and cx[-1] == max(50 + 10, hi)  # μ ± 4σ, widened to show [a, b]
    assert d["height"] == 340


def test_density_interval_widens_for_ends_outside_four_sigma():
    d = spec(C.density_interval(0, 1, -10, 7, height=200))
    curve = layer_rows(d, 1)
    assert curve[0]["x"] == -10 and curve[-1]["x"] == 7
    assert d["height"] == 200


# ---------------------------------------------------------------- likelihood_candidates
def test_likelihood_candidates_article():
    cands = {"A = N(50, 5²)": (50, 5), "B = N(45, 8²)": (45, 8)}
    d = spec(C.likelihood_candidates(DATA, cands))
    assert marks(d) == ["line", "rule", "point", "point"]
    sticks = layer_rows(d, 2)
    assert len(sticks) == 2 * len(DATA)
    for label, (mu, sigma) in cands.items():
        rows = [r for r in sticks if r["candidate"] == label]
        assert [r["x"] for r in rows] == list(DATA)
        hand = [pdf(x, mu, sigma) for x in DATA]
        assert [r["density"] for r in rows] == pytest.approx(hand, rel=1e-12)
        # the sticks' heights multiply to the candidate's likelihood
        assert math.prod(r["density"] for r in rows) == pytest.approx(N.likelihood(DATA, mu, sigma), rel=1e-12)
        assert all(r["zero"] == 0.0 for r in rows)
    curves = layer_rows(d, 0)
    assert {r["candidate"] for r in curves} == set(cands)
    colour = d["layer"][0]["encoding"]["color"]["scale"]
    assert colour["domain"] == list(cands) and colour["range"] == [style.BLUE, style.VERMILLION]
    # one legend names the candidates: colour and shape share field and title, and neither is switched off
    dots = d["layer"][2]["encoding"]
    assert dots["shape"]["field"] == dots["color"]["field"] == "candidate"
    assert dots["shape"]["title"] == dots["color"]["title"] == "candidate"
    assert dots["shape"]["scale"]["domain"] == list(cands)
    assert all(layer["encoding"][ch].get("legend", {}) is not None
               for layer in d["layer"] for ch in ("color", "shape") if ch in layer["encoding"])
    observed = layer_rows(d, 3)
    assert [r["x"] for r in observed] == list(DATA) and all(r["density"] == 0 for r in observed)
    # the x domain holds every observation and each curve to ±3.5σ
    lo, hi = d["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert lo == min(min(DATA), 50 - 17.5, 45 - 28) and hi == max(max(DATA), 50 + 17.5, 45 + 28)


def test_likelihood_candidates_single_candidate():
    d = spec(C.likelihood_candidates(DATA, {"MLE": (52.295, 3.1673)}))
    assert len(layer_rows(d, 2)) == len(DATA)


# ---------------------------------------------------------------- curve_with_marks
def test_curve_with_marks():
    mus = np.linspace(45, 60, 50)
    ll = N.log_likelihood_over_mu(DATA, mus, 3.0)
    cur, best = C.Mark(50, "current μ", style.GREY), C.Mark(52.295, "maximum", style.VERMILLION)
    d = spec(C.curve_with_marks(mus, ll, "μ", "log L", [cur, best]))
    assert marks(d) == ["line", "rule", "text", "text"]  # the labels' white halo, then the labels
    line = layer_rows(d, 0)
    assert [r["x"] for r in line] == pytest.approx(mus.tolist())
    for r in line[::7]:
        assert r["y"] == pytest.approx(math.fsum(math.log(pdf(x, r["x"], 3.0)) for x in DATA), rel=1e-12)
    rules = layer_rows(d, 1)
    assert [(r["x"], r["label"], r["colour"]) for r in rules] == [
        (50, "current μ", style.GREY), (52.295, "maximum", style.VERMILLION)]
    for i in (2, 3):   # stacked from the top, 26 px apart, so that labels of nearby marks never overlap
        assert [(r["label"], r["colour"], r["down"]) for r in layer_rows(d, i)] == [
            ("current μ", style.GREY, 14), ("maximum", style.VERMILLION, 40)]
        assert d["layer"][i]["encoding"]["y"] == {"value": 0}
        assert d["layer"][i]["encoding"]["yOffset"] == {"field": "down", "type": "quantitative", "scale": None}
    halo, text = d["layer"][2], d["layer"][3]
    assert halo["mark"]["color"] == halo["mark"]["stroke"] == "white" and "color" not in halo["encoding"]
    assert text["encoding"]["color"] == {"field": "colour", "type": "nominal", "scale": None}


def test_curve_without_marks():
    d = spec(C.curve_with_marks([0, 1, 2], [3, 1, 2], "x", "y"))
    assert "layer" in d and len(d["layer"]) == 1
    assert [(r["x"], r["y"]) for r in layer_rows(d, 0)] == [(0, 3), (1, 1), (2, 2)]


# ---------------------------------------------------------------- log_likelihood_plane
def test_log_likelihood_plane():
    mus, sigmas = N.grid_around(DATA)  # 201 × 201
    grid = N.log_likelihood_grid(DATA, mus, sigmas)
    est = N.mle(DATA)
    path = [(p, q) for p, q in zip(np.linspace(45, est.mu, 5), np.linspace(8, est.sigma, 5))]
    mk = [C.Mark(45, "start", style.GREY, 8), C.Mark(est.mu, "MLE", style.VERMILLION, est.sigma)]
    d = spec(C.log_likelihood_plane(mus, sigmas, grid, marks=mk, path=path, cells=60))
    assert marks(d) == ["rect", "line", "point", "text", "text"]
    cells = layer_rows(d, 0)
    assert len(cells) == 51 * 51  # 201 points at a stride of 4: 0, 4, ..., 200
    for r in cells[::97]:
        assert r["loglik"] == pytest.approx(N.log_likelihood(DATA, r["mu"], r["sigma"]), rel=1e-10)
        assert r["mu0"] < r["mu"] < r["mu1"] and r["s0"] < r["sigma"] < r["s1"]
    assert {r["mu"] for r in cells} >= {float(mus[0]), float(mus[-1])}
    assert {r["sigma"] for r in cells} >= {float(sigmas[0]), float(sigmas[-1])}
    heat = d["layer"][0]["encoding"]
    floor, top = heat["color"]["scale"]["domain"]
    assert top == float(grid.max()) and floor == pytest.approx(float(np.quantile(grid, 0.15)))
    assert heat["color"]["title"] == "log L(μ, σ)" and heat["color"].get("legend", {}) is not None
    # each cell is outlined in its own colour, so anti-aliased edges show no white hairlines
    assert heat["stroke"]["scale"] == heat["color"]["scale"] and heat["stroke"]["legend"] is None
    # equal steps: every neighbouring pair of cells overlaps, none leaves a seam
    for lo, hi, centre in (("mu0", "mu1", "mu"), ("s0", "s1", "sigma")):
        edges = sorted({(r[centre], r[lo], r[hi]) for r in cells})
        assert all(nxt[1] < cur[2] for cur, nxt in zip(edges, edges[1:]))
        steps = np.diff([c for c, _, _ in edges])
        assert np.allclose(steps[:-1], steps[0])  # one stride; only the kept far edge may be closer
    drawn = layer_rows(d, 1)
    assert [r["mu"] for r in drawn] == pytest.approx([p for p, _ in path])
    assert [r["sigma"] for r in drawn] == pytest.approx([q for _, q in path])
    assert [r["i"] for r in drawn] == list(range(len(path)))
    assert [r["label"] for r in layer_rows(d, 2)] == ["start", "MLE"]


@pytest.mark.parametrize("n, cells", [(201, 60), (200, 60), (7, 60), (61, 60), (100, 2), (5, 1)])
def test_plane_thinning_keeps_ends_and_one_stride(n, cells):
    idx = C._thinned(n, cells)
    assert idx[0] == 0 and idx[-1] == n - 1 and len(idx) <= max(cells, 2)
    steps = np.diff(idx)
    assert len(set(steps[:-1].tolist())) <= 1 and (len(steps) == 0 or steps[-1] <= steps[0])


def test_log_likelihood_plane_small_grid_no_extras():
    mus, sigmas = np.linspace(48, 56, 7), np.linspace(1, 6, 5)
    grid = N.log_likelihood_grid(DATA, mus, sigmas)
    d = spec(C.log_likelihood_plane(mus, sigmas, grid))
    assert len(d["layer"]) == 1
    assert len(layer_rows(d, 0)) == 7 * 5  # fewer cells than the cap: nothing thinned


# ---------------------------------------------------------------- underflow / log-likelihood growth
def test_underflow_chart_drops_zeros():
    u = U.running_products(2000, 50, 2.5, seed=0)
    d = spec(C.underflow_chart(u.n, u.product32, u.product64))
    rows = d["datasets"][d["data"]["name"]]
    assert all(r["product"] > 0 for r in rows)  # nothing a log scale cannot draw
    f32 = [r for r in rows if r["type"] == "float32 product"]
    f64 = [r for r in rows if r["type"] == "float64 product"]
    assert len(f32) == u.zero_at32 - 1 and len(f64) == u.zero_at64 - 1
    assert [r["n"] for r in f64] == list(range(1, u.zero_at64))
    assert [r["product"] for r in f64] == pytest.approx(np.exp(u.log_likelihood[: u.zero_at64 - 1]).tolist(), rel=1e-9)
    assert d["encoding"]["y"]["scale"]["type"] == "log" and d["encoding"]["x"]["scale"]["type"] == "log"
    # a nice log domain would round ~5e-324 down to 1e-324, which is 0.0, and flatten the chart
    assert d["encoding"]["y"]["scale"]["nice"] is False
    # the coinciding lines differ in dash as well as colour, and one legend (dash and colour merged) names them
    colour, dash = d["encoding"]["color"], d["encoding"]["strokeDash"]
    assert colour["field"] == dash["field"] == "type"
    assert colour["scale"]["domain"] == dash["scale"]["domain"] == ["float32 product", "float64 product"]
    solid, dashed = dash["scale"]["range"]
    assert solid == [1, 0] and dashed != solid
    assert "legend" not in colour and "legend" not in dash and colour["title"] == dash["title"]


def test_log_likelihood_growth():
    u = U.running_products(300, 50, 2.5, seed=1)
    d = spec(C.log_likelihood_growth(u.n, u.log_likelihood))
    rows = d["datasets"][d["data"]["name"]]
    assert [r["n"] for r in rows] == list(range(1, 301))
    assert [r["log_likelihood"] for r in rows] == pytest.approx(u.log_likelihood.tolist())


# ---------------------------------------------------------------- neg_log_curve
@pytest.mark.parametrize("p", [0.25, 1.0, 0.001])
def test_neg_log_curve(p):
    d = spec(C.neg_log_curve(p))
    assert marks(d) == ["line", "point", "text", "text"]
    line = layer_rows(d, 0)
    assert line[0]["p"] == pytest.approx(1e-3) and line[-1]["p"] == pytest.approx(1.0)
    assert all(r["nll"] == pytest.approx(-math.log(r["p"])) and r["nll"] >= -1e-15 for r in line)
    (dot,) = layer_rows(d, 1)
    assert dot["p"] == p and dot["nll"] == pytest.approx(-math.log(p))
    assert dot["label"] == f"P = {p:.3g}, −ln P = {abs(math.log(p)):.3f}"   # never "−ln P = -0.000"
    # a probability is P (a density would be p): the axes and tooltips say so
    enc = d["layer"][0]["encoding"]
    assert enc["x"]["title"] == "P of the observed outcome" and enc["y"]["title"] == "−ln P"
    assert [t["title"] for t in enc["tooltip"]] == ["P", "−ln P"]


# ---------------------------------------------------------------- style
def test_themed_presenter_is_bigger():
    base = C.density_interval(50, 2.5, 50, 52.5)
    normal, big = spec(style.themed(base)), spec(style.themed(base, presenter=True))
    for part in ("axis", "legend", "header"):
        for key in ("labelFontSize", "titleFontSize"):
            assert big["config"][part][key] > normal["config"][part][key]
    assert big["config"]["title"]["fontSize"] > normal["config"]["title"]["fontSize"]
    assert big["config"]["text"]["fontSize"] > normal["config"]["text"]["fontSize"]
    assert normal["config"]["axis"]["labelFontSize"] >= 15  # readable in a lecture hall
    # theming only configures: the layers and data are untouched
    assert big["layer"] == normal["layer"] == spec(base)["layer"]
    assert style.height(True) > style.height(False)


def test_each_candidate_is_drawn_in_its_own_colour():
    cands = {f"c{i}": (45.0 + 3 * i, 4.0 + i) for i in range(len(C.CANDIDATE_COLOURS))}
    d = spec(C.likelihood_candidates(DATA, cands))
    for layer in d["layer"][:3]:   # each candidate's curve, sticks and dots
        scale = layer["encoding"]["color"]["scale"]
        assert scale["domain"] == list(cands)
        assert len(scale["range"]) == len(cands) == len(set(scale["range"]))


def test_charts_are_altair_objects():
    assert isinstance(C.density_interval(0, 1, -1, 1), alt.LayerChart)
    assert isinstance(C.log_likelihood_growth(np.arange(1, 4), np.array([-1.0, -2.0, -3.0])), alt.Chart)


# ---------------------------------------------------------------- chapter 1: the thin strip
def test_thin_strip_shades_the_area_and_outlines_the_rectangle():
    d = spec(C.thin_strip(50, 2.5, 52.5, 0.25))
    assert marks(d) == ["area", "line", "rect"]
    area, line, (box,) = layer_rows(d, 0), layer_rows(d, 1), layer_rows(d, 2)
    assert area[0]["x"] == 52.5 and area[-1]["x"] == pytest.approx(52.75)
    assert all(r["density"] == pytest.approx(pdf(r["x"], 50, 2.5)) for r in area + line)
    assert line[0]["x"] == pytest.approx(52.25) and line[-1]["x"] == pytest.approx(53.0)   # [x − Δ, x + 2Δ]
    assert (box["x"], box["x2"], box["zero"]) == (52.5, pytest.approx(52.75), 0.0)
    assert box["top"] == pytest.approx(pdf(52.5, 50, 2.5))


@pytest.mark.parametrize("x, delta, words", [
    (52.5, 2.5, "the area is less than the rectangle"),      # the curve falls across the strip
    (45.0, 1.0, "the area is more than the rectangle"),      # it rises
    (52.5, 0.0001, "1.0000: the same to four decimals"),
])
def test_thin_strip_summary_says_the_ratio_the_figures_give(x, delta, words):
    text = C.thin_strip_summary(50, 2.5, x, delta)
    area = math.erf((x + delta - 50) / (2.5 * math.sqrt(2))) / 2 - math.erf((x - 50) / (2.5 * math.sqrt(2))) / 2
    assert words in text and "e-0" not in text
    ratio = area / (pdf(x, 50, 2.5) * delta)
    assert f"Their ratio is {ratio:.4f}" in text


def test_thin_strip_table_shrinks_delta_tenfold_to_a_ratio_of_one():
    table = C.thin_strip_table(50, 2.5, 52.5, 2.5)
    assert list(table["Δ"]) == ["2.5", "0.25", "0.025", "0.0025"]
    assert list(table["area / (p(x) · Δ)"]) == ["0.561659", "0.950082", "0.995000", "0.999500"]
    assert table["exact area"].iloc[-1] == "2.41850 × 10⁻⁴"       # one way to write a small number


# ---------------------------------------------------------------- chapter 3: narrowing
def test_narrowing_draws_both_curves_within_the_floor_and_their_intervals():
    from core import sample_size as S
    sample = S.draw(40, 50.0, 5.0, 0)
    d = spec(C.narrowing(sample, 50.0, 5.0))
    assert marks(d) == ["rule", "rule", "rule", "line", "text", "text", "text", "text"]
    curves = layer_rows(d, 3)
    assert {r["curve"] for r in curves} == {"all 40 draws", "the first 10"}
    assert all(S.FLOOR <= r["rel"] <= 1e-12 and 30 <= r["mu"] <= 70 for r in curves)
    sigma = np.std(sample)
    for r in curves[::25]:
        data = sample if r["curve"] == "all 40 draws" else sample[:10]
        exact = sum(math.log(pdf(x, r["mu"], sigma)) - math.log(pdf(x, np.mean(data), sigma)) for x in data)
        assert r["rel"] == pytest.approx(exact, abs=1e-9)
    bars = {r["curve"]: (r["mu"], r["mu2"]) for r in layer_rows(d, 2)}
    for label, data in (("all 40 draws", sample), ("the first 10", sample[:10])):
        half = S.Z * sigma / math.sqrt(len(data))
        assert bars[label] == (pytest.approx(np.mean(data) - half), pytest.approx(np.mean(data) + half))


def test_narrowing_with_too_few_draws_for_a_quarter_draws_one_curve():
    from core import sample_size as S
    d = spec(C.narrowing(S.draw(7, 0.0, 1.0, 3), 0.0, 1.0))
    assert {r["curve"] for r in layer_rows(d, 3)} == {"all 7 draws"}
    assert "first" not in C.narrowing_summary(S.draw(7, 0.0, 1.0, 3), 0.0, 1.0)
    assert len(C.narrowing_table(S.draw(7, 0.0, 1.0, 3))) == 1


@pytest.mark.parametrize("n, seed", [(20, 0), (2, 0), (1000, 5), (30, 11)])
def test_narrowing_summary_and_table_say_the_figures_that_add_up(n, seed):
    from core import sample_size as S
    sample = S.draw(n, 50.0, 5.0, seed)
    text, table = C.narrowing_summary(sample, 50.0, 5.0), C.narrowing_table(sample)
    mean, sigma = np.mean(sample), np.std(sample)
    half = S.Z * sigma / math.sqrt(n)
    centre, shown_half = float(f"{mean:.4f}"), float(f"{half:.4f}")
    assert f"μ̂ = {mean:.4f}" in text and f"σ̂ = {sigma:.4f}" in text
    assert f"over [{centre - shown_half:.4f}, {centre + shown_half:.4f}], {2 * shown_half:.4f} wide" in text
    inside = mean - half <= 50 <= mean + half
    assert ("is inside the interval" if inside else "is outside the interval") in text
    assert table["standard error σ / √n"][0] == f"{sigma / math.sqrt(n):.4g}" or "×" in table["standard error σ / √n"][0]
    if n >= 8:
        assert f"√({n}/{n // 4})" in text and table["σ held at"].nunique() == 1
