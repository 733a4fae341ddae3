"""Charts of an optimiser at work (chapter 5): how the gradient shrinks step by step."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import BLUE


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
    ys = alt.Y("norm:Q", title="|gradient of log L| (log scale)", scale=alt.Scale(type="log"),
               axis=alt.Axis(format=".0e"))
    line = alt.Chart(df).mark_line(color=BLUE, strokeWidth=3, point=len(df) <= 60).encode(
        xs, ys, tooltip=["step:Q", alt.Tooltip("norm:Q", title="|gradient|", format=".3e")])
    return line.properties(height=height, width="container")
