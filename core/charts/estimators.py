"""Charts of estimators over many simulated samples (chapter 5): how σ̂ and s spread around the true σ.

Every chart function `x(...)` has a sibling `x_summary(...) -> str`, its key figures in words."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core import bias
from core.charts.style import BLACK, BLUE, VERMILLION, haloed_text, sized
from core.formatting import count, normal_label, sig

COLOURS = {"σ̂ (divides by n)": BLUE, "s (divides by n − 1)": VERMILLION}


def sampling_distributions(edges, counts_hat, counts_s, sigma: float, mean_hat: float, mean_s: float,
                           height: int = 340) -> alt.LayerChart:
    """The two histograms over the same bins, overlaid, with the true σ and both means as rules."""
    edges = np.asarray(edges, dtype=float)
    rows = [pd.DataFrame({"from": edges[:-1], "to": edges[1:], "samples": np.asarray(c, dtype=int), "zero": 0,
                          "estimator": name}) for name, c in zip(COLOURS, (counts_hat, counts_s))]
    df = pd.concat(rows, ignore_index=True)
    xs = alt.X("from:Q", title="value of the estimate", scale=alt.Scale(domain=[0, float(edges[-1])], nice=False))
    bars = alt.Chart(df).mark_rect(opacity=0.55).encode(
        xs, alt.X2("to:Q"), alt.Y("samples:Q", title="samples"), alt.Y2("zero:Q"),
        alt.Color("estimator:N", title=None, scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values()))),
        tooltip=[alt.Tooltip("estimator:N"), alt.Tooltip("from:Q", format=".3g"), alt.Tooltip("to:Q", format=".3g"),
                 alt.Tooltip("samples:Q")])
    marks = pd.DataFrame({"x": [sigma, mean_hat, mean_s], "colour": [BLACK, BLUE, VERMILLION],
                          "label": [f"true σ = {sig(sigma, 4)}", f"mean σ̂ = {sig(mean_hat, 4)}",
                                    f"mean s = {sig(mean_s, 4)}"], "dash": [0, 1, 1]})
    mx = alt.X("x:Q", scale=alt.Scale(domain=[0, float(edges[-1])], nice=False))
    layers = [bars]
    for i, row in marks.iterrows():
        one = alt.Chart(marks.iloc[[i]])
        layers.append(one.mark_rule(strokeWidth=3, color=row.colour, strokeDash=[8, 4] if row.dash else [1, 0])
                      .encode(mx, tooltip=[alt.Tooltip("label:N")]))
        layers += haloed_text(one.encode(mx, alt.YValue(0), alt.Text("label:N")), align="left", dx=6,
                              dy=14 + 26 * i, fontWeight="bold", fontSize=15, color=row.colour)
    return sized(alt.layer(*layers), height)


def sampling_distributions_summary(sim: bias.Simulation) -> str:
    hat, s = sim.estimator("σ̂").simulated, sim.estimator("s").simulated
    side = {True: "below", False: "above"}
    return (f"Histograms of σ̂ and s over {count(sim.samples, 'sample')} of n = {sim.n} from {normal_label(sim.mu, sim.sigma)}. "
            f"σ̂ averages {sig(hat, 4)}, {side[hat < sim.sigma]} the true σ = {sig(sim.sigma, 4)}; s averages "
            f"{sig(s, 4)}, {side[s < sim.sigma]} it{', and closer' if abs(s - sim.sigma) < abs(hat - sim.sigma) else ''}. "
            f"Every sample's s is its σ̂ times √(n/(n − 1)) = {sig(np.sqrt(sim.n / (sim.n - 1)), 4)}, so the s "
            "histogram is the σ̂ one stretched to the right.")
