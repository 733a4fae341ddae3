"""The room's votes on a chapter's question (ui/room.py): one bar per answer, its count written
at its end, for the presenter's screen; and the same in words, its text alternative."""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from core.charts.style import BLUE, sized
from core.formatting import count


def vote_chart(options: Sequence[str], counts: Sequence[int]) -> alt.LayerChart:
    """Horizontal bars in the question's order; an answer nobody picked keeps its row."""
    df = pd.DataFrame({"answer": list(options), "phones": [int(c) for c in counts]})
    y = alt.Y("answer:N", sort=list(options), title=None, axis=alt.Axis(labelLimit=320))
    scale = alt.Scale(domain=[0, max(1, int(df["phones"].max()))])
    bars = alt.Chart(df).mark_bar(color=BLUE).encode(alt.X("phones:Q", title="phones", scale=scale,
                                                           axis=alt.Axis(tickMinStep=1, format="d")), y)
    labels = alt.Chart(df).mark_text(align="left", dx=6).encode(alt.X("phones:Q", scale=scale), y,
                                                                text=alt.Text("phones:Q"))
    return sized(alt.layer(bars, labels), alt.Step(44))


def vote_summary(options: Sequence[str], counts: Sequence[int]) -> str:
    """The count per answer in a sentence."""
    total = sum(counts)
    parts = "; ".join(f"{option}: {count(int(n), 'phone')}" for option, n in zip(options, counts))
    return f"The room's picks so far, {count(total, 'phone')} in all: {parts}."
