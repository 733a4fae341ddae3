"""Charts of an optimiser at work (chapter 5): the (μ, σ) plane under a climb, and how the
gradient shrinks step by step."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from core import formatting, normal
from core.formatting import num, sig
from core.ascent import Point
from core.charts.normal import Mark
from core.charts.style import BLACK, BLUE, GREY, VERMILLION, sized


# An axis label 10⁻⁷ for the tick at 1e-7 (a Vega expression: the exponent's digits as superscripts),
# so that a log axis writes small numbers as the page does, never 1e-7.
_SUPERSCRIPTS = "['⁰','¹','²','³','⁴','⁵','⁶','⁷','⁸','⁹']"
POWER_OF_TEN = (f"'10' + (round(log(datum.value) / LN10) < 0 ? '⁻' : '') + "
                f"(abs(round(log(datum.value) / LN10)) >= 10 ? {_SUPERSCRIPTS}[floor(abs(round(log(datum.value) / LN10)) / 10)] : '') + "
                f"{_SUPERSCRIPTS}[abs(round(log(datum.value) / LN10)) % 10]")


def _decades(values) -> list[float]:
    """The powers of ten from just below the smallest value to just above the largest: a log axis's ticks."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return [1.0]
    lo, hi = int(np.floor(np.log10(values.min()))), int(np.ceil(np.log10(values.max())))
    step = max(1, -(-(hi - lo) // 8))      # at most nine labels
    hi = max(hi, lo + 1)
    return [10.0**e for e in range(hi - (hi - lo) // step * step, hi + 1, step)]


def gradient_norm_chart(steps, norms, height: int = 340) -> alt.Chart:
    """|∇ log L| per step on a log axis: a straight fall means steady (linear) convergence.

    Exact zeros cannot sit on a log axis, so they are left out.
    """
    steps = np.asarray(steps, dtype=int)
    norms = np.asarray(norms, dtype=float)
    keep = (norms > 0) & np.isfinite(norms)
    df = pd.DataFrame({"step": steps[keep], "norm": norms[keep]})
    xs = alt.X("step:Q", title="step", scale=alt.Scale(domainMin=0, nice=False),
               axis=alt.Axis(tickMinStep=1, format="d"))
    ys = alt.Y("norm:Q", title="|gradient of log L| (log scale)", scale=alt.Scale(type="log", nice=True),
               axis=alt.Axis(values=_decades(df["norm"]), labelExpr=POWER_OF_TEN))
    line = alt.Chart(df).mark_line(color=BLUE, strokeWidth=3, point=len(df) <= 60).encode(
        xs, ys, tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("norm:Q", title="|gradient|", format=".3e")])
    return sized(line, height)


# --- The (μ, σ) plane under a climb ------------------------------------------------------------
#
# The plane frames θ̂ and the path. A path that ends far out (the climb was thrown onto a flat
# plain) would stretch the axes until θ̂ and the start share one pixel, so a trailing stretch of
# points much farther from θ̂ than the start and the usual frame stays off the chart: the path is
# drawn up to where it leaves, and the caption says where it went.

OFF_CHART = 3.0  # points beyond this many times the frame's own reach from θ̂ are left off


def plane_framing(data, path: Sequence[Point] = (), points: int = 121) -> tuple[np.ndarray, np.ndarray]:
    """A μ grid and σ grid that frame the MLE and also every point of an optimiser's path."""
    mus, sigmas = normal.grid_around(data, points=points)
    if not path:
        return mus, sigmas
    pm = [p.mu for p in path]
    ps = [p.sigma for p in path]
    m_lo, m_hi = min(mus[0], *pm), max(mus[-1], *pm)
    s_lo, s_hi = min(sigmas[0], *ps), max(sigmas[-1], *ps)
    m_pad, s_pad = 0.05 * (m_hi - m_lo), 0.05 * (s_hi - s_lo)
    s_lo = max(s_lo - s_pad, s_lo * 0.5)  # stay above σ = 0
    return np.linspace(m_lo - m_pad, m_hi + m_pad, points), np.linspace(s_lo, s_hi + s_pad, points)


def same_spot(a: tuple[float, float], b: tuple[float, float], mus, sigmas, share: float = 0.04) -> bool:
    """Whether two (μ, σ) points would overlap on a plane drawn over these grids (within `share` of each axis)."""
    return (abs(a[0] - b[0]) <= share * (mus[-1] - mus[0])
            and abs(a[1] - b[1]) <= share * (sigmas[-1] - sigmas[0]))


def merge_marks(spots: Sequence[Mark], mus, sigmas, top: bool) -> tuple[Mark, ...]:
    """The spots as drawn: one that would overlap an earlier one joins its label ("step 200 ≈ MLE").
    A spot joins "MLE" with ≈ only when the climb reached the top (`top`); otherwise it is "near" it."""
    marks: list[Mark] = []
    for spot in spots:
        twin = next((i for i, m in enumerate(marks) if same_spot((m.x, m.y), (spot.x, spot.y), mus, sigmas)), None)
        if twin is None:
            marks.append(spot)
            continue
        other = marks[twin]
        near = "MLE" in other.label and not top
        label = f"{spot.label} near {other.label}" if near else f"{spot.label} ≈ {other.label}"
        marks[twin] = Mark(other.x, label, other.colour, other.y)
    return tuple(marks)


@dataclass(frozen=True)
class AscentView:
    mus: np.ndarray
    sigmas: np.ndarray
    path: tuple[tuple[float, float], ...]   # the (μ, σ) drawn: up to the chart's edge
    left_at: Point | None                   # the first point of the trailing stretch left off, if any
    marks: tuple[Mark, ...]                 # MLE, start, current point: those on the chart, merged where they touch


def _reach(est: normal.Estimate, mu: float, sigma: float) -> float:
    return max(abs(mu - est.mu), abs(sigma - est.sigma))


def _edge(a: tuple[float, float], b: tuple[float, float], mus, sigmas) -> tuple[float, float]:
    """Where the segment from a (inside the frame) to b (outside) crosses the frame's edge."""
    t = 1.0
    for i, (lo, hi) in enumerate(((mus[0], mus[-1]), (sigmas[0], sigmas[-1]))):
        d = b[i] - a[i]
        if d > 0 and b[i] > hi:
            t = min(t, (hi - a[i]) / d)
        elif d < 0 and b[i] < lo:
            t = min(t, (lo - a[i]) / d)
    t = max(t, 0.0)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def ascent_view(data, path: Sequence[Point], top: bool, points: int = 121) -> AscentView:
    """The plane for a gradient-ascent path: its frame, the part of the path drawn, and the marks.

    A mark is merged into "MLE" only when the climb reached the top (`top`, from core.ascent's
    verdict): a point that merely sits near θ̂ on this chart is labelled as near it, not as it."""
    if not path:
        raise ValueError("a path needs at least its starting point")
    est = normal.mle(data)
    mus0, sigmas0 = normal.grid_around(data, points=points)
    reach = max(_reach(est, path[0].mu, path[0].sigma), mus0[-1] - est.mu, sigmas0[-1] - est.sigma)
    keep = len(path)
    while keep > 1 and _reach(est, path[keep - 1].mu, path[keep - 1].sigma) > OFF_CHART * reach:
        keep -= 1
    mus, sigmas = plane_framing(data, path[:keep], points)
    drawn = [(p.mu, p.sigma) for p in path[:keep]]
    left_at = path[keep] if keep < len(path) else None
    if left_at is not None:
        drawn.append(_edge(drawn[-1], (left_at.mu, left_at.sigma), mus, sigmas))

    now, moved = path[-1], path[-1].step != path[0].step
    spots = [Mark(est.mu, "MLE", VERMILLION, est.sigma)]
    if left_at is None:
        spots.append(Mark(now.mu, f"step {now.step}" if moved else "start", GREY if moved else BLACK, now.sigma))
    if moved:
        spots.append(Mark(path[0].mu, "start", BLACK, path[0].sigma))
    return AscentView(mus, sigmas, tuple(drawn), left_at, merge_marks(spots, mus, sigmas, top))


def whereabouts(view: AscentView, path: Sequence[Point]) -> str:
    """Where the drawn path goes, in a sentence: from the start to the point now, or to the chart's
    edge and where the point it leaves for lies."""
    start, now = path[0], path[-1]
    taken = formatting.count(now.step - start.step, "step")
    if now.step == start.step:
        return f"No steps yet: the black point is the start, μ = {sig(start.mu, 6)}, σ = {sig(start.sigma, 6)}."
    if view.left_at is None:
        return (f"The white line is the path of {taken} from the start (μ = {sig(start.mu, 6)}, "
                f"σ = {sig(start.sigma, 6)}) to μ = {num(now.mu, '.4f')}, σ = {num(now.sigma, '.4f')}.")
    out = view.left_at
    return (f"The white line is the path from the start (μ = {sig(start.mu, 6)}, σ = {sig(start.sigma, 6)}) "
            f"to the edge of the chart: step {out.step} lands far off it, at μ = {sig(out.mu, 4)}, "
            f"σ = {sig(out.sigma, 4)}" +
            ("." if out.step == now.step else f", and after {taken} the point is at μ = {sig(now.mu, 4)}, σ = {sig(now.sigma, 4)}."))
