"""Charts of chapter 8 (the ladder of models): each chart `x(...)` has `x_summary(...)`, its key
figures in a sentence (the chart's text alternative), and `x_table(...)`, its numbers as a table.
They take plain values (labels, NLLs, arrays), so ui/cached_builders.py can key them by content.
"""
from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from core.charts.style import BLACK, BLUE, GREY, VERMILLION, haloed_text, sized
from core.formatting import count, figure, integer
from core.ladder import shown

PARTS = ("training", "validation", "test")
_COLOURS = (BLUE, VERMILLION, BLACK)
_NLL_AXIS = "average NLL per symbol (nats)"


# --- the ladder: every model's NLL on each part -------------------------------------------------

def ladder_table(labels: Sequence[str], training: Sequence[float], validation: Sequence[float],
                 test: Sequence[float]) -> pd.DataFrame:
    return pd.DataFrame({"model": list(labels), "training NLL": [figure(x) for x in training],
                         "validation NLL": [figure(x) for x in validation], "test NLL": [figure(x) for x in test]})


def ladder_chart(labels: Sequence[str], training: Sequence[float], validation: Sequence[float],
                 test: Sequence[float], height: int = 340) -> alt.Chart:
    """The models in the order they see more, left to right; each one's NLL on the three parts."""
    df = pd.DataFrame({"model": np.repeat(list(labels), 3), "names": list(PARTS) * len(labels),
                       "nll": np.ravel(np.column_stack([training, validation, test]))})
    df["shown"] = [figure(x) for x in df["nll"]]
    return sized(alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeWidth=3).encode(
        alt.X("model:N", sort=list(labels), title=None, axis=alt.Axis(labelAngle=0, labelFontSize={
            "expr": "width < 500 ? 11 : 15"}, labelPadding=6)),
        alt.Y("nll:Q", title=_NLL_AXIS, scale=alt.Scale(zero=False), axis=alt.Axis(format=".2f")),
        alt.Color("names:N", title=None, legend=alt.Legend(orient="top"),
                  scale=alt.Scale(domain=list(PARTS), range=list(_COLOURS))),
        tooltip=[alt.Tooltip("model:N"), alt.Tooltip("names:N", title="names"), alt.Tooltip("shown:N", title="NLL")],
    ), height)


def ladder_summary(labels: Sequence[str], training: Sequence[float], validation: Sequence[float],
                   test: Sequence[float]) -> str:
    steps = "; ".join(f"{label} {figure(t)}" for label, t in zip(labels, test))
    return (f"Test NLL of each model, in the order they see more: {steps}. The training and validation NLLs "
            "are drawn beside them (the table has every figure).")


# --- counting with more and more context, and the networks ---------------------------------------
# A model here is (label, symbols of context, training NLL, validation NLL).
Model = tuple[str, int, float, float]


def context_table(counted: Sequence[Model], networks: Sequence[Model]) -> pd.DataFrame:
    return pd.DataFrame([{"model": label, "symbols of context": context, "training NLL": figure(t),
                          "validation NLL": figure(v)} for label, context, t, v in (*counted, *networks)])


def _long(models: Sequence[Model]) -> pd.DataFrame:
    return pd.DataFrame([{"model": label, "context": context, "names": part, "nll": nll}
                         for label, context, t, v in models for part, nll in zip(PARTS[:2], (t, v))],
                        columns=["model", "context", "names", "nll"])


def context_chart(counted: Sequence[Model], networks: Sequence[Model], start: int | None,
                  height: int = 340) -> alt.LayerChart:
    """Counted models seeing more and more symbols on the training and the validation names, as
    lines; the networks as diamonds; a rule at the context where overfitting starts (or None)."""
    colour = alt.Color("names:N", title=None, legend=alt.Legend(orient="top"),
                       scale=alt.Scale(domain=list(PARTS[:2]), range=list(_COLOURS[:2])))
    widest = max(context for _, context, *_ in (*counted, *networks))
    x = alt.X("context:Q", title="symbols of context", axis=alt.Axis(tickMinStep=1, format="d"),
              scale=alt.Scale(domain=[0, widest + 0.6], nice=False))   # room for the last diamond and its name
    y = alt.Y("nll:Q", title=_NLL_AXIS, scale=alt.Scale(zero=False), axis=alt.Axis(format=".2f"))
    tooltip = [alt.Tooltip("model:N"), alt.Tooltip("names:N"), alt.Tooltip("nll:Q", format=".4f")]
    layers = [alt.Chart(_long(counted)).mark_line(point=True, strokeWidth=3).encode(x, y, colour, tooltip=tooltip)]
    if networks:
        nets = _long(networks)
        layers.append(alt.Chart(nets).mark_point(shape="diamond", size=260, filled=True, opacity=1).encode(
            x, y, colour, tooltip=tooltip))
        names = alt.Chart(nets[nets["names"] == "validation"]).encode(x, y, text=alt.Text("model:N"))
        layers += haloed_text(names, dy=-18, fontWeight="bold", color=BLACK)
    if start is not None:
        mark = pd.DataFrame({"context": [start], "label": ["overfitting starts"]})
        rule = alt.Chart(mark).encode(x=alt.X("context:Q"))
        layers.append(rule.mark_rule(color=GREY, strokeDash=[6, 4], strokeWidth=2))
        layers += haloed_text(rule.encode(y=alt.YValue(4), text=alt.Text("label:N")), align="left", baseline="top", dx=4,
                              color=GREY, fontWeight="bold")
    return sized(alt.layer(*layers), height)


def context_summary(counted: Sequence[Model], networks: Sequence[Model], start: int | None) -> str:
    training, validation = [m[2] for m in counted], [m[3] for m in counted]
    best = min(range(len(validation)), key=lambda i: (shown(validation[i]), i))   # as ladder.best_counted picks
    text = (f"Counted models seeing {counted[0][1]} to {counted[-1][1]} symbols: the training NLL goes from "
            f"{figure(training[0])} to {figure(training[-1])}; the validation NLL is lowest for the {counted[best][0]} "
            f"({figure(validation[best])})")
    text += "." if start is None else f", and overfitting starts at {start} symbols of context."
    for label, context, t, v in networks:
        text += f" {label}, seeing {context} symbols: training {figure(t)}, validation {figure(v)}."
    return text


# --- the networks' training, live ------------------------------------------------------------------

def _windows(losses: np.ndarray, points: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """(step at each window's end, mean loss over the window): about `points` windows."""
    size = max(1, -(-len(losses) // points))
    n = len(losses) // size * size
    means = losses[:n].astype(np.float64).reshape(-1, size).mean(1) if n else np.zeros(0)
    return np.arange(1, len(means) + 1) * size, means


def training_curve(curves: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                   references: Sequence[tuple[str, float]], height: int = 340) -> alt.LayerChart:
    """Each network (label, minibatch losses, steps checked, validation NLL there): the minibatch
    loss averaged over windows of steps, and the validation NLL; `references` (label, NLL) as
    dashed rules, e.g. the counted trigram's validation NLL."""
    frames = []
    for label, losses, checked_at, validation in curves:
        steps, means = _windows(np.asarray(losses))
        frames.append(pd.DataFrame({"step": steps, "nll": means, "series": f"{label}: training loss"}))
        frames.append(pd.DataFrame({"step": np.asarray(checked_at), "nll": np.asarray(validation, dtype=float),
                                    "series": f"{label}: validation NLL"}))
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"step": [], "nll": [], "series": []})
    df = df[np.isfinite(df["nll"])]
    series = [f"{label}: {what}" for label, *_ in curves for what in ("training loss", "validation NLL")]
    palette = [BLUE, VERMILLION, "#56B4E9", "#E69F00"]
    lines = alt.Chart(df).mark_line(strokeWidth=3, clip=True).encode(
        alt.X("step:Q", title="step", scale=alt.Scale(domainMin=0, nice=False), axis=alt.Axis(format="~s")),
        alt.Y("nll:Q", title=_NLL_AXIS, scale=alt.Scale(zero=False), axis=alt.Axis(format=".2f")),
        alt.Color("series:N", title=None, legend=alt.Legend(orient="top", columns=1),
                  scale=alt.Scale(domain=series, range=palette[:len(series)])),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("step:Q"), alt.Tooltip("nll:Q", format=".4f")])
    # Each reference named at the right end, where the curves have come down to it, not over their start.
    end = max([len(losses) for _, losses, *_ in curves] + [1])
    ref = pd.DataFrame({"nll": [v for _, v in references], "label": [f"{k} {figure(v)}" for k, v in references],
                        "step": end})
    rules = alt.Chart(ref).encode(y=alt.Y("nll:Q"))
    layers = [lines, rules.mark_rule(color=GREY, strokeDash=[8, 4], strokeWidth=2).encode(
        tooltip=[alt.Tooltip("label:N")])]
    layers += haloed_text(rules.encode(x=alt.X("step:Q"), text=alt.Text("label:N")), align="right", baseline="bottom", dy=-3,
                          color=GREY, fontWeight="bold")
    return sized(alt.layer(*layers), height)


def training_summary(curves: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                     references: Sequence[tuple[str, float]]) -> str:
    if not curves:
        return "No training steps yet."
    parts = []
    for label, losses, checked_at, validation in curves:
        if len(checked_at):
            parts.append(f"{label}: after {integer(checked_at[-1])} steps the validation NLL is "
                         f"{figure(validation[-1])}")
    refs = "; ".join(f"{k} {figure(v)}" for k, v in references)
    return "; ".join(parts) + (f". Dashed, the validation NLL of counted models: {refs}." if refs else ".")


# --- the counted tables: rows there could be, rows the names fill ----------------------------------

def table_table(contexts: Sequence[int], rows: Sequence[int], filled: Sequence[int]) -> pd.DataFrame:
    return pd.DataFrame({"symbols of context": list(contexts), "rows of the table": [integer(r) for r in rows],
                         "rows the training names fill": [integer(f) for f in filled]})


def table_chart(contexts: Sequence[int], rows: Sequence[int], filled: Sequence[int], symbols: int,
                height: int = 340) -> alt.LayerChart:
    """Against the symbols of context, on a log scale: the rows a counted table has (one per context),
    the rows the training names fill, and the training symbols there are to fill them (a rule)."""
    series = ("rows of the table", "rows the training names fill")
    df = pd.DataFrame({"context": np.tile(contexts, 2), "rows": np.concatenate([rows, filled]),
                       "series": np.repeat(series, len(contexts))})
    lines = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3).encode(
        alt.X("context:Q", title="symbols of context", axis=alt.Axis(tickMinStep=1, format="d")),
        alt.Y("rows:Q", title="rows (log scale)", scale=alt.Scale(type="log"), axis=alt.Axis(format="~s")),
        alt.Color("series:N", title=None, legend=alt.Legend(orient="top", columns=1),
                  scale=alt.Scale(domain=list(series), range=[GREY, BLUE])),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("context:Q"), alt.Tooltip("rows:Q", format=",")])
    mark = pd.DataFrame({"rows": [symbols], "context": [0], "label": [f"{integer(symbols)} training symbols"]})
    rule = alt.Chart(mark).encode(y=alt.Y("rows:Q"))
    layers = [lines, rule.mark_rule(color=VERMILLION, strokeDash=[8, 4], strokeWidth=2)]
    layers += haloed_text(rule.encode(x=alt.X("context:Q"), text=alt.Text("label:N")), align="left", baseline="bottom", dy=-4,
                          color=VERMILLION, fontWeight="bold")
    return sized(alt.layer(*layers), height)


def table_summary(contexts: Sequence[int], rows: Sequence[int], filled: Sequence[int], symbols: int) -> str:
    parts = [f"{count(c, 'symbol')}: {count(r, 'row')}, {integer(f)} filled" for c, r, f in zip(contexts, rows, filled)]
    return (f"Rows of a counted table and rows the training names fill, by symbols of context: {'; '.join(parts)}. "
            f"The training names have {integer(symbols)} symbols to fill them with.")
