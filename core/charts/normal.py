"""Charts of the likelihood pages (1-6): bell curves, likelihood curves, the (μ, σ) plane.

Pure builders: ui/cached_builders.py caches their finished specs for the pages (the core knows no cache).
The charts added for chapters 1 and 3 (thin_strip, narrowing) each have a sibling `x_summary(...) -> str`
that says their key figures in words, and `x_table(...)` with their numbers.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from core import formatting, sample_size
from core.charts.style import BLACK, BLUE, GREY, ORANGE, PURPLE, SKY, VERMILLION, haloed_text, sized
from core.thin_interval import HEIGHT_DIGITS, shrinking, thin_interval

CANDIDATE_COLOURS = (BLUE, VERMILLION, PURPLE, ORANGE)


@dataclass(frozen=True)
class Mark:
    """A labelled vertical line or point on a chart (the current value, the maximum, ...)."""
    x: float
    label: str
    colour: str = VERMILLION
    y: float | None = None


def _span(mu: float, sigma: float, *extra: float) -> np.ndarray:
    lo = min(mu - 4 * sigma, *extra) if extra else mu - 4 * sigma
    hi = max(mu + 4 * sigma, *extra) if extra else mu + 4 * sigma
    return np.linspace(lo, hi, 400)


def density_interval(mu: float, sigma: float, a: float, b: float, height: int = 340) -> alt.LayerChart:
    """N(μ, σ²) with the area over [a, b] shaded: that area is P(a ≤ X ≤ b)."""
    lo, hi = min(a, b), max(a, b)
    x = _span(mu, sigma, lo, hi)
    curve = pd.DataFrame({"x": x, "density": stats.norm.pdf(x, mu, sigma)})
    inside = np.linspace(lo, hi, 200)
    area = pd.DataFrame({"x": inside, "density": stats.norm.pdf(inside, mu, sigma)})
    xs = alt.X("x:Q", title="x", scale=alt.Scale(domain=[float(x[0]), float(x[-1])], nice=False))
    ys = alt.Y("density:Q", title="density p(x | μ, σ)")
    line = alt.Chart(curve).mark_line(color=BLUE, strokeWidth=3).encode(xs, ys, tooltip=[
        alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("density:Q", format=".4f")])
    shade = alt.Chart(area).mark_area(color=SKY, opacity=0.6).encode(xs, ys)
    edges = alt.Chart(pd.DataFrame({"x": [lo, hi]})).mark_rule(color=BLACK, strokeDash=[6, 4], strokeWidth=2).encode(xs)
    return sized(alt.layer(shade, line, edges), height)


def likelihood_candidates(data: Sequence[float], candidates: dict[str, tuple[float, float]],
                          height: int = 340) -> alt.LayerChart:
    """Each candidate's density, the observations on the axis, and a stick from each point up to each curve.

    The sticks' heights are the densities whose product is the candidate's likelihood.
    """
    params = list(candidates.values())
    lo = min(min(data), *(m - 3.5 * s for m, s in params))
    hi = max(max(data), *(m + 3.5 * s for m, s in params))
    x = np.linspace(lo, hi, 400)
    curves, sticks = [], []
    for label, (mu, sigma) in candidates.items():
        curves.append(pd.DataFrame({"x": x, "density": stats.norm.pdf(x, mu, sigma), "candidate": label}))
        sticks.append(pd.DataFrame({"x": list(data), "density": stats.norm.pdf(data, mu, sigma), "candidate": label}))
    curves_df, sticks_df = pd.concat(curves), pd.concat(sticks)
    sticks_df["zero"] = 0.0
    colour = alt.Color("candidate:N", title="candidate",
                       scale=alt.Scale(domain=list(candidates), range=list(CANDIDATE_COLOURS[: len(candidates)])))
    xs = alt.X("x:Q", title="x", scale=alt.Scale(domain=[float(lo), float(hi)], nice=False))
    ys = alt.Y("density:Q", title="density")
    lines = alt.Chart(curves_df).mark_line(strokeWidth=3).encode(xs, ys, colour)
    rules = alt.Chart(sticks_df).mark_rule(strokeWidth=2, strokeDash=[4, 3]).encode(xs, ys, alt.Y2("zero:Q"), colour)
    # The shape shares the colour's title and domain so vega-lite merges the two into one legend;
    # a shape with legend=None would switch off the merged legend, colours and all.
    shape = alt.Shape("candidate:N", title="candidate", scale=alt.Scale(domain=list(candidates)))
    dots = alt.Chart(sticks_df).mark_point(size=120, filled=True).encode(
        xs, ys, colour, shape,
        tooltip=[alt.Tooltip("candidate:N"), alt.Tooltip("x:Q", format=".4f"), alt.Tooltip("density:Q", format=".4f")])
    observed = alt.Chart(pd.DataFrame({"x": list(data), "density": 0.0})).mark_point(
        shape="triangle-up", size=220, filled=True, color=BLACK).encode(xs, ys)
    return sized(alt.layer(lines, rules, dots, observed), height)


def curve_with_marks(x: Sequence[float], y: Sequence[float], x_title: str, y_title: str,
                     marks: Sequence[Mark] = (), height: int = 340, y_format: str = ".4g") -> alt.LayerChart:
    """A line with labelled vertical rules, e.g. L(μ) with the current μ and the maximiser."""
    df = pd.DataFrame({"x": np.asarray(x, dtype=float), "y": np.asarray(y, dtype=float)})
    xs = alt.X("x:Q", title=x_title, scale=alt.Scale(domain=[float(df.x.min()), float(df.x.max())], nice=False))
    line = alt.Chart(df).mark_line(color=BLUE, strokeWidth=3).encode(
        xs, alt.Y("y:Q", title=y_title, axis=alt.Axis(format=y_format)),
        tooltip=[alt.Tooltip("x:Q", title=x_title, format=".4f"), alt.Tooltip("y:Q", title=y_title, format=".5g")])
    layers = [line]
    if marks:
        # Labels stacked downwards from the top, 26 px apart, so labels of nearby marks never overlap:
        # one text layer for all of them (a layer per mark made the chart a third slower to build).
        mdf = pd.DataFrame({"x": [m.x for m in marks], "label": [m.label for m in marks],
                            "colour": [m.colour for m in marks], "down": [14.0 + 26 * i for i in range(len(marks))]})
        colour = alt.Color("colour:N", scale=None)
        labels = alt.Chart(mdf)
        layers.append(labels.mark_rule(strokeWidth=3, strokeDash=[8, 4]).encode(
            xs, colour, tooltip=[alt.Tooltip("label:N"), alt.Tooltip("x:Q", format=".4f")]))
        layers += haloed_text(labels.encode(xs, alt.YValue(0), alt.YOffset("down:Q", scale=None), alt.Text("label:N")),
                              colour, align="left", dx=6, fontWeight="bold", fontSize=16)
    return sized(alt.layer(*layers), height)


def _thinned(n: int, cells: int) -> np.ndarray:
    """At most max(cells, 2) indices of 0..n-1, one constant stride apart so equal-width cells tile
    without seams; the last index is kept too (its cell overlaps its neighbour) so the far edge is drawn."""
    stride = max(1, -(-(n - 1) // max(cells - 1, 1)))
    return np.unique(np.r_[np.arange(0, n, stride), n - 1])


def log_likelihood_plane(mus: np.ndarray, sigmas: np.ndarray, grid: np.ndarray,
                         marks: Sequence[Mark] = (), path: Sequence[tuple[float, float]] = (),
                         height: int = 380, cells: int = 60) -> alt.LayerChart:
    """log L over (μ, σ) as a heatmap, with marked points (y = σ) and an optional optimiser path."""
    # Thin the grid to at most `cells` per side: the browser draws one rectangle per cell.
    ri, ci = _thinned(len(sigmas), cells), _thinned(len(mus), cells)
    m, s = np.meshgrid(mus[ci], sigmas[ri])
    df = pd.DataFrame({"mu": m.ravel(), "sigma": s.ravel(), "loglik": grid[np.ix_(ri, ci)].ravel()})
    # Cells overlap by a few percent and are outlined in their own colour, so no hairline gaps show
    # between them: with cells a few pixels tall, anti-aliased edges alone let the white through.
    dm = 0.53 * (mus[ci][1] - mus[ci][0]) if len(ci) > 1 else 0.5
    ds = 0.53 * (sigmas[ri][1] - sigmas[ri][0]) if len(ri) > 1 else 0.5
    df = df.assign(mu0=df.mu - dm, mu1=df.mu + dm, s0=df.sigma - ds, s1=df.sigma + ds)
    # Clip the colour scale near the top so the ridge, not the far corners, gets the contrast.
    top = float(np.max(grid))
    floor = float(np.quantile(grid, 0.15))
    heat_scale = alt.Scale(scheme="viridis", domain=[floor, top], clamp=True)
    heat = alt.Chart(df).mark_rect(strokeWidth=1).encode(
        alt.X("mu0:Q", title="μ", scale=alt.Scale(domain=[float(mus[0]), float(mus[-1])], nice=False)),
        alt.X2("mu1:Q"),
        alt.Y("s0:Q", title="σ", scale=alt.Scale(domain=[float(sigmas[0]), float(sigmas[-1])], nice=False)),
        alt.Y2("s1:Q"),
        alt.Color("loglik:Q", title="log L(μ, σ)", scale=heat_scale),
        alt.Stroke("loglik:Q", scale=heat_scale, legend=None),
        tooltip=[alt.Tooltip("mu:Q", title="μ", format=".3f"), alt.Tooltip("sigma:Q", title="σ", format=".3f"),
                 alt.Tooltip("loglik:Q", title="log L", format=".3f")],
    )
    layers = [heat]
    if len(path) > 1:
        pdf_ = pd.DataFrame({"mu": [p[0] for p in path], "sigma": [p[1] for p in path], "i": range(len(path))})
        layers.append(alt.Chart(pdf_).mark_line(color="white", strokeWidth=3, point=alt.OverlayMarkDef(
            color="white", size=30)).encode(alt.X("mu:Q"), alt.Y("sigma:Q"), order=alt.Order("i:Q")))
    if marks:
        mdf = pd.DataFrame({"mu": [k.x for k in marks], "sigma": [k.y for k in marks],
                            "label": [k.label for k in marks], "colour": [k.colour for k in marks]})
        layers.append(alt.Chart(mdf).mark_point(size=300, filled=True, stroke="white", strokeWidth=2).encode(
            alt.X("mu:Q"), alt.Y("sigma:Q"), alt.Color("colour:N", scale=None),
            alt.Shape("label:N", legend=alt.Legend(title="marked", orient="bottom")),  # beside the colour bar it ran off a narrow chart
            tooltip=[alt.Tooltip("label:N"), alt.Tooltip("mu:Q", title="μ", format=".4f"),
                     alt.Tooltip("sigma:Q", title="σ", format=".4f")]))
        layers += haloed_text(alt.Chart(mdf).encode(alt.X("mu:Q"), alt.Y("sigma:Q"), alt.Text("label:N")),
                              align="left", dx=14, dy=-14, fontWeight="bold", fontSize=18, color=BLACK)
    return sized(alt.layer(*layers), height)


def underflow_chart(n: np.ndarray, product32: np.ndarray, product64: np.ndarray,
                    height: int = 340) -> alt.LayerChart:
    """The running product of densities on a log axis; each line ends where its type gives 0.0."""
    series = {"float32 product": product32, "float64 product": product64}
    frames = []
    for label, values in series.items():
        keep = values > 0  # a log axis cannot show 0.0: the line stops where the product underflows
        frames.append(pd.DataFrame({"n": n[keep], "product": values[keep].astype(float), "type": label}))
    df = pd.concat(frames)
    types = list(series)
    # The two lines coincide until float32 gives out: float64, drawn on top, is dashed with wide gaps
    # so float32 shows through. Colour and dash share title and domain: vega-lite merges them into
    # one legend of dashed and solid swatches (legend=None on either would hide that legend).
    return sized(alt.Chart(df).mark_line(strokeWidth=3, point=False).encode(
        alt.X("n:Q", title="number of observations n", scale=alt.Scale(type="log")),
        # No nice domain: it would round the smallest product (~5e-324) down to 1e-324, which is 0.0,
        # and a log scale from 0 draws both lines flat along the top, without tick labels.
        alt.Y("product:Q", title="∏ p(xᵢ) (log scale)", scale=alt.Scale(type="log", nice=False),
              axis=alt.Axis(format=".0e")),
        alt.Color("type:N", title=None, scale=alt.Scale(domain=types, range=[VERMILLION, BLUE])),
        alt.StrokeDash("type:N", title=None, scale=alt.Scale(domain=types, range=[[1, 0], [8, 6]])),
        tooltip=[alt.Tooltip("type:N"), alt.Tooltip("n:Q"), alt.Tooltip("product:Q", format=".3e")],
    ), height)


def log_likelihood_growth(n: np.ndarray, loglik: np.ndarray, height: int = 340) -> alt.Chart:
    """The running log-likelihood: it only adds finite numbers, so it never underflows."""
    df = pd.DataFrame({"n": n, "log_likelihood": loglik})
    return sized(alt.Chart(df).mark_line(color=BLUE, strokeWidth=3).encode(
        alt.X("n:Q", title="number of observations n", scale=alt.Scale(type="log")),
        alt.Y("log_likelihood:Q", title="Σ log p(xᵢ)"),
        tooltip=[alt.Tooltip("n:Q"), alt.Tooltip("log_likelihood:Q", format=".2f")],
    ), height)


def neg_log_curve(p: float, height: int = 340) -> alt.LayerChart:
    """−ln P over (0, 1] with the chosen probability P marked: 0 at P = 1, steep as P → 0."""
    ps = np.geomspace(1e-3, 1, 400)
    df = pd.DataFrame({"p": ps, "nll": -np.log(ps)})
    xs = alt.X("p:Q", title="P of the observed outcome", scale=alt.Scale(domain=[0, 1]))
    line = alt.Chart(df).mark_line(color=BLUE, strokeWidth=3).encode(
        xs, alt.Y("nll:Q", title="−ln P"),
        tooltip=[alt.Tooltip("p:Q", title="P", format=".3f"), alt.Tooltip("nll:Q", title="−ln P", format=".3f")])
    label = f"P = {formatting.num(p, '.3g')}, −ln P = {formatting.num(-np.log(p), '.3f')}"
    point = pd.DataFrame({"p": [p], "nll": [-np.log(p)], "label": [label]})
    dot = alt.Chart(point).mark_point(size=300, filled=True, color=VERMILLION).encode(xs, alt.Y("nll:Q"))
    text = haloed_text(alt.Chart(point).encode(xs, alt.Y("nll:Q"), alt.Text("label:N")),
                       align="left", dx=12, dy=-12, fontWeight="bold", color=VERMILLION)
    return sized(alt.layer(line, dot, *text), height)


# --- chapter 1: P(x ≤ X ≤ x + Δ) ≈ p(x) · Δ ------------------------------------------------------
_AREA, _RECTANGLE = "exact area", "rectangle p(x) · Δ"   # short: the legend fits a phone


def thin_strip(mu: float, sigma: float, x: float, delta: float, height: int = 340) -> alt.LayerChart:
    """The density zoomed in on [x − Δ, x + 2Δ]: the exact area over [x, x + Δ] shaded, and the
    rectangle of height p(x) and width Δ outlined. As Δ shrinks the curve across the strip flattens
    and the two shapes become one."""
    t = thin_interval(x, delta, mu, sigma)
    window = np.linspace(x - delta, x + 2 * delta, 300)
    curve = pd.DataFrame({"x": window, "density": stats.norm.pdf(window, mu, sigma)})
    inside = np.linspace(x, x + delta, 200)
    area = pd.DataFrame({"x": inside, "density": stats.norm.pdf(inside, mu, sigma), "what": _AREA})
    rectangle = pd.DataFrame({"x": [x], "x2": [x + delta], "top": [t.height], "zero": [0.0], "what": [_RECTANGLE]})
    top = 1.15 * float(curve.density.max())
    xs = alt.X("x:Q", title="x", scale=alt.Scale(domain=[float(window[0]), float(window[-1])], nice=False),
               axis=alt.Axis(tickCount=4))
    ys = alt.Y("density:Q", title="density p", scale=alt.Scale(domain=[0, top], nice=False))
    what = alt.Scale(domain=[_AREA, _RECTANGLE], range=[SKY, VERMILLION])
    shade = alt.Chart(area).mark_area(opacity=0.7).encode(xs, ys, alt.Color("what:N", title=None, scale=what))
    line = alt.Chart(curve).mark_line(color=BLUE, strokeWidth=3).encode(xs, ys, tooltip=[
        alt.Tooltip("x:Q", format=".6g"), alt.Tooltip("density:Q", format=".6g")])
    box = alt.Chart(rectangle).mark_rect(fillOpacity=0, strokeWidth=3).encode(
        alt.X("x:Q"), alt.X2("x2:Q"), alt.Y("zero:Q"), alt.Y2("top:Q"),
        alt.Stroke("what:N", scale=what, title=None))   # the same title and scale: one merged legend
    return sized(alt.layer(shade, line, box), height)


def _ratio_words(ratio: float) -> str:
    shown = formatting.num(ratio, ".4f")
    if shown == "1.0000":
        return "1.0000: the same to four decimals"
    return f"{shown}: the area is {'more' if ratio > 1 else 'less'} than the rectangle"


def thin_strip_summary(mu: float, sigma: float, x: float, delta: float) -> str:
    t = thin_interval(x, delta, mu, sigma)
    return (f"The curve of N({formatting.num(mu)}, {formatting.num(sigma)}²) zoomed in on [x, x + Δ] = "
            f"[{formatting.num(x, '.10g')}, {formatting.num(x + delta, '.10g')}]: the exact area there, "
            f"{formatting.small(t.area)}, is shaded; the rectangle of height p(x) = {formatting.small(t.height, HEIGHT_DIGITS)} "
            f"and width Δ = {formatting.num(delta, '.10g')}, {formatting.small(t.shown_rectangle)}, is outlined. "
            f"Their ratio is {_ratio_words(t.ratio)}.")


def thin_strip_table(mu: float, sigma: float, x: float, delta: float) -> pd.DataFrame:
    """Δ divided by 10 again and again: the ratio of the area to p(x) · Δ closes in on 1."""
    rows = shrinking(x, delta, mu, sigma)
    return pd.DataFrame({"Δ": [formatting.sig(t.delta, 6) for t in rows],
                         "exact area": [formatting.small(t.area, 6) for t in rows],
                         "p(x) · Δ": [formatting.small(t.rectangle, 6) for t in rows],
                         "area / (p(x) · Δ)": [formatting.num(t.ratio, ".6f") for t in rows]})


# --- chapter 3: the likelihood narrows as n grows --------------------------------------------------
def _curves(sample: np.ndarray) -> list[tuple[str, np.ndarray, sample_size.Precision]]:
    """All the draws, and (when there are enough) the first quarter of them, each with its precision.
    Both hold σ at the σ̂ of all the draws, so that their widths differ by n alone (√4 = 2 for a quarter)."""
    n, m = len(sample), sample_size.quarter(len(sample))
    sigma = sample_size.precision(sample).sigma
    out = [(f"all {formatting.count(n, 'draw')}", sample, sample_size.precision(sample, sigma))]
    if m:
        out.append((f"the first {m}", sample[:m], sample_size.precision(sample[:m], sigma)))
    return out


def narrowing(sample: np.ndarray, mu0: float, sigma0: float, height: int = 340) -> alt.LayerChart:
    """log L(μ) − log L(μ̂), σ held at each sample's σ̂, on an axis fixed by the true normal (so that a
    larger n shows as a narrower curve), with each curve's likelihood interval drawn on the cut line
    at −CUT and the true μ₀ marked."""
    lo, hi = mu0 - 4 * sigma0, mu0 + 4 * sigma0
    curves, intervals = [], []
    for label, data, p in _curves(sample):
        reach = p.standard_error * np.sqrt(-2 * sample_size.FLOOR) * 1.05   # where the curve leaves the chart
        mus = np.unique(np.r_[np.linspace(lo, hi, 401), np.linspace(p.mu_hat - reach, p.mu_hat + reach, 201)])
        mus = mus[(mus >= lo) & (mus <= hi)]
        rel = sample_size.relative_log_likelihood(data, mus, p.sigma)
        keep = rel >= sample_size.FLOOR
        curves.append(pd.DataFrame({"mu": mus[keep], "rel": rel[keep], "curve": label}))
        intervals.append(pd.DataFrame({"mu": [p.interval[0]], "mu2": [p.interval[1]], "rel": [-sample_size.CUT],
                                       "curve": [label]}))
    labels = [label for label, _, _ in _curves(sample)]
    colour = alt.Color("curve:N", title=None, scale=alt.Scale(domain=labels, range=[BLUE, ORANGE][:len(labels)]))
    dash = alt.StrokeDash("curve:N", title=None, scale=alt.Scale(domain=labels, range=[[1, 0], [8, 5]][:len(labels)]))
    xs = alt.X("mu:Q", title="μ", scale=alt.Scale(domain=[lo, hi], nice=False))
    ys = alt.Y("rel:Q", title="log L(μ) − log L(μ̂)", scale=alt.Scale(domain=[sample_size.FLOOR, 0.5], nice=False))
    lines = alt.Chart(pd.concat(curves)).mark_line(strokeWidth=3, clip=True).encode(
        xs, ys, colour, dash, tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("mu:Q", title="μ", format=".4f"),
                                       alt.Tooltip("rel:Q", title="log L − max", format=".4f")])
    # The wider interval first and thicker, so that the narrower one shows on top of it.
    bars = alt.Chart(pd.concat(intervals[::-1])).mark_rule(strokeWidth=7, clip=True).encode(
        xs, alt.X2("mu2:Q"), ys, colour)
    # Every layer shares the axes' fixed domains (a layer's own x scale would start at 0 and widen them).
    cut = alt.Chart(pd.DataFrame({"rel": [-sample_size.CUT]})).mark_rule(color=GREY, strokeDash=[4, 4]).encode(ys)
    cut_label = pd.DataFrame({"mu": [lo], "rel": [-sample_size.CUT],
                              "text": [f"−{formatting.num(sample_size.CUT, '.2f')}: the 95 % cut"]})
    truth = pd.DataFrame({"mu": [mu0], "rel": [sample_size.FLOOR], "text": [f"true μ₀ = {formatting.num(mu0)}"]})
    true_rule = alt.Chart(truth).mark_rule(color=BLACK, strokeDash=[2, 3], strokeWidth=2).encode(xs)
    texts = (haloed_text(alt.Chart(cut_label).encode(xs, ys, alt.Text("text:N")),
                         align="left", dx=4, dy=14, color=GREY)
             + haloed_text(alt.Chart(truth).encode(xs, ys, alt.Text("text:N")),
                           align="left", dx=6, dy=-8, color=BLACK))
    return sized(alt.layer(cut, true_rule, bars, lines, *texts), height)


def _interval_text(p: sample_size.Precision) -> str:
    """[lo, hi] written from the centre and half-width as shown, so the figures add up as shown."""
    centre, half = round(p.mu_hat, 4), round(p.half_width, 4)
    return f"[{formatting.figure(centre - half)}, {formatting.figure(centre + half)}]"


def narrowing_summary(sample: np.ndarray, mu0: float, sigma0: float) -> str:
    (_, _, p), *rest = _curves(sample)
    n = p.n
    text = (f"log L(μ) for {formatting.count(n, 'draw')} from N({formatting.num(mu0)}, {formatting.num(sigma0)}²), "
            f"σ held at their σ̂ = {formatting.figure(p.sigma)}: its top is at μ̂ = {formatting.figure(p.mu_hat)}, "
            f"and it stays within {formatting.figure(sample_size.CUT)} of the top over {_interval_text(p)}, "
            f"{_width_text(p)} wide.")
    if rest:
        (_, _, q), = rest
        text += (f" The first {q.n} draws alone, σ held at the same value, give {_interval_text(q)}, {_width_text(q)} "
                 f"wide: {formatting.sig(q.half_width / p.half_width)} times as wide, √({n}/{q.n}), since the width "
                 "goes as 1/√n.")
    inside = p.contains(mu0)
    text += f" The true μ₀ = {formatting.num(mu0)} is {'inside' if inside else 'outside'} the interval of all {n}."
    return text


def _width_text(p: sample_size.Precision) -> str:
    return formatting.figure(2 * round(p.half_width, 4))


def narrowing_table(sample: np.ndarray) -> pd.DataFrame:
    """The figures of each curve: how the top's curvature, the standard error and the interval follow n."""
    return pd.DataFrame([{"draws": label, "μ̂": formatting.figure(p.mu_hat), "σ held at": formatting.figure(p.sigma),
                          "curvature n / σ²": formatting.small(p.curvature),
                          "standard error σ / √n": formatting.small(p.standard_error),
                          "95 % likelihood interval": _interval_text(p), "width": _width_text(p)}
                         for label, _, p in _curves(sample)])
