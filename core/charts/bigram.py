"""Charts of the bigram page (7): the count matrix, the baselines' ladder, the training loss,
trained vs counted P.

Every chart function `x(...)` has a sibling `x_summary(...) -> str`: one or two sentences with
the chart's key figures, its text alternative for screen readers (and for the back row).
`bigram_table` is the count matrix as a table, one row per bigram, for the same purpose.
Matrices are V x V, rows = first character, columns = second, in the vocabulary order itos.
A symbol of the vocabulary is a visitor's character (an uploaded name's): a sentence quotes it
through core.text.visible, so a right-to-left override shows as ⟨U+202E⟩ instead of reversing it.
Pure builders: ui/cached_builders.py caches their results for the pages (the core knows no cache).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd
import torch

from core import entropy, heldout
from core.formatting import count, figure, integer, setting, shown_gap
from core.charts.style import BLACK, BLUE, GREEN, GREY, SKY, VERMILLION, haloed_text, sized
from core.text import visible

LABELLED_UP_TO = 40   # beyond this vocabulary size, cells are too small for text: tooltips only


def _shown(itos: Sequence[str]) -> list[str]:
    """The symbols as a chart or a table shows them: an invisible one as its code point, ⟨U+202E⟩."""
    return [visible(c) for c in itos]


def _grid(itos: Sequence[str]) -> pd.DataFrame:
    """Every (first, second) pair in row-major order, matching a V x V matrix's ravel()."""
    v, shown = len(itos), _shown(itos)
    return pd.DataFrame({"first": np.repeat(shown, v), "second": np.tile(shown, v),
                         "bigram": [a + b for a in shown for b in shown]})


def bigram_table(N: torch.Tensor, P: torch.Tensor, itos: Sequence[str]) -> pd.DataFrame:
    """One row per bigram: first, second, bigram, count, P and -log P (inf where P = 0)."""
    df = _grid(itos)
    df["count"] = N.numpy().ravel().astype(np.int64)
    df["P"] = P.double().numpy().ravel()
    with np.errstate(divide="ignore"):
        df["-log P"] = -np.log(df["P"])
    return df


# Cells wide enough for their text on a desktop; on a phone (a column of about 350 px, 13 px a
# cell) the text goes and only the colour stays, with every symbol still labelled on both axes.
TEXT_FROM = 24     # px of cell width from which a cell shows its text
NARROW = 600       # px of chart width below which the axis labels take their smallest size


def _fits_text(v: int) -> dict:
    """An expression: 1 while the chart is wide enough for text in its cells, else 0."""
    return {"expr": f"width / {v} >= {TEXT_FROM} ? 1 : 0"}


def _heatmap_axes(itos: Sequence[str]) -> tuple[alt.X, alt.Y]:
    """Every symbol labelled on both axes (never dropped for overlapping), at a size that reads at
    a phone's width and grows on a wider screen."""
    order = _shown(itos)
    size = {"expr": f"width < {NARROW} ? 11 : 14"}
    axis = dict(labelFontSize=size, labelOverlap=False, labelPadding=2, ticks=False, labelFontWeight="bold")
    return (alt.X("second:O", sort=order, title="second character",
                  axis=alt.Axis(orient="top", labelAngle=0, **axis)),
            alt.Y("first:O", sort=order, title="first character", axis=alt.Axis(**axis)))


def _square_cells(chart, cell: int, itos: Sequence[str]):
    """As wide as the page column, `cell` px per row; the colour scale below, where it fits any
    width. Drawn as SVG, so each label is an element of the page that a browser test can measure."""
    return sized(chart, cell * len(itos), autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                 usermeta={"embedOptions": {"renderer": "svg"}})


def _legend(title: str) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom", direction="horizontal", gradientLength=220)


def _short_count(n: int) -> str:
    """A count that fits a heatmap cell: 4 digits become 1.2k (the tooltip and table keep it exact)."""
    return f"{figure(n / 1000, 1)}k" if n >= 1000 else str(n)


def count_heatmap(N: torch.Tensor, P: torch.Tensor, itos: Sequence[str], cell: int = 32) -> alt.LayerChart:
    """The article's count matrix: each cell shows its bigram and how often it occurs (where the
    cells are wide enough; the tooltip, a tap on a phone, and the table give the numbers anyway)."""
    df = bigram_table(N, P, itos)
    # Only its words are drawn (the tooltip): the numbers stay in the chart's table, not in its data.
    df["-log P text"] = [figure(x) if math.isfinite(x) else "∞ (never seen)" for x in df.pop("-log P")]
    df["count text"] = [_short_count(n) for n in df["count"]]
    x, y = _heatmap_axes(itos)
    base = alt.Chart(df).encode(x, y, tooltip=[
        alt.Tooltip("bigram:N"), alt.Tooltip("count:Q", format=","),
        alt.Tooltip("P:Q", format=".4f"), alt.Tooltip("-log P text:N", title="-log P")])
    rect = base.mark_rect(stroke="white", strokeWidth=0.5).encode(
        alt.Color("count:Q", scale=alt.Scale(scheme="blues"), legend=_legend("count")))
    layers = [rect]
    if len(itos) <= LABELLED_UP_TO:
        # White text once the blue gets dark enough that black would be hard to read.
        dark = float(0.45 * df["count"].max())
        ink = alt.ColorValue(BLACK, condition=[{"test": f"(datum.count > {dark!r})", "value": "white"}])
        font, shown = max(8, round(cell * 0.42)), _fits_text(len(itos))
        layers += [base.mark_text(dy=-font * 0.6, fontSize=font, fontWeight="bold", opacity=shown).encode(
                       text=alt.Text("bigram:N"), color=ink),
                   base.mark_text(dy=font * 0.6, fontSize=font, opacity=shown).encode(
                       text=alt.Text("count text:N"), color=ink)]
    return _square_cells(alt.layer(*layers), cell, itos)


def count_heatmap_summary(N: torch.Tensor, P: torch.Tensor, itos: Sequence[str]) -> str:
    df = bigram_table(N, P, itos)
    top = df.loc[df["count"].idxmax()]
    unseen = int((df["count"] == 0).sum())
    return (f"{len(itos)} × {len(itos)} counts of {integer(df['count'].sum())} bigrams. The most common is "
            f"“{visible(top['bigram'])}” ({count(int(top['count']), 'time')}, P = {figure(top['P'], 3)}); "
            f"{integer(unseen)} of the {integer(len(df))} possible bigrams never occur.")


ZOOM_ABOVE_FLOOR = 0.2   # the zoomed loss curve shows [floor - 0.02, floor + 0.2]


def loss_curve(losses: Sequence[float], counting_nll: float, data_nll: Sequence[float] | None = None,
               height: int = 340, zoom: bool = False) -> alt.LayerChart:
    """Loss per training step, with the counting model's NLL as the floor under the data NLL.

    zoom=True narrows the y axis to just above the floor, where the last steps play out
    (the first loss is far higher and would flatten everything else)."""
    series = {"loss (data NLL + regularisation)": losses}
    if data_nll is not None:
        series["data NLL"] = data_nll
    frames = [pd.DataFrame({"step": np.arange(len(values)), "value": np.asarray(values, dtype=float), "series": name})
              for name, values in series.items()]
    df = pd.concat(frames, ignore_index=True)
    df = df[np.isfinite(df["value"])]  # vega cannot draw NaN / inf; training never records them anyway
    line = alt.Chart(df).mark_line(strokeWidth=3, point=len(losses) <= 60, clip=True).encode(
        alt.X("step:Q", title="step", scale=alt.Scale(domainMin=0, nice=False), axis=alt.Axis(format="d")),
        alt.Y("value:Q", title="negative log likelihood", axis=alt.Axis(format=".3~g"),
              scale=alt.Scale(domain=[counting_nll - 0.02, counting_nll + ZOOM_ABOVE_FLOOR]) if zoom
              else alt.Scale(zero=False, domainMin=counting_nll - 0.1)),  # room for the floor's label
        # One entry a row: side by side, the two names are wider than a phone.
        alt.Color("series:N", title=None, legend=alt.Legend(orient="top", columns=1),
                  scale=alt.Scale(domain=list(series), range=[BLUE, GREEN][:len(series)])),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("step:Q"), alt.Tooltip("value:Q", format=".4f")])
    floor = pd.DataFrame({"nll": [counting_nll], "label": [f"counting model (MLE) NLL = {figure(counting_nll)}"]})
    rule = alt.Chart(floor).mark_rule(color=VERMILLION, strokeWidth=3, strokeDash=[8, 4]).encode(
        y=alt.Y("nll:Q"), tooltip=[alt.Tooltip("label:N")])
    label = haloed_text(alt.Chart(floor).encode(x=alt.XValue(6), y=alt.Y("nll:Q"), text=alt.Text("label:N")),
                        align="left", baseline="top", dy=6, color=VERMILLION, fontWeight="bold")
    return sized(alt.layer(line, rule, *label), height)


def loss_curve_summary(losses: Sequence[float], counting_nll: float, data_nll: Sequence[float] | None = None) -> str:
    # True of every W (the counted table is the MLE), so of every run: whether a run gets near the
    # floor is the verdict's to say (core/training_verdict.py), not a caption's.
    floor = f"the counting model's NLL, {figure(counting_nll)}, is the floor: no W's data NLL is lower."
    if len(losses) == 0:
        return "No training steps yet; " + floor
    verb = "rose" if losses[-1] > losses[0] else "went"
    text = (f"After {count(len(losses), 'step')} the loss {verb} from "
            f"{figure(losses[0])} to {figure(losses[-1])}")
    if data_nll is not None and len(data_nll):
        text += f" (data NLL alone {figure(data_nll[-1])})"
    return text + "; " + floor


def smoothing_curve(ks: np.ndarray, train: np.ndarray, held_out: np.ndarray, best_k: float,
                    height: int = 340) -> alt.LayerChart:
    """The counting model's NLL on the training and the validation names against add-k's k (log
    axis, so k = 0 itself is left out and said in words), with the validation optimum marked."""
    keep = ks > 0
    frames = [pd.DataFrame({"k": ks[keep], "nll": values[keep], "names": name})
              for name, values in (("training names", train), ("validation names", held_out))]
    df = pd.concat(frames, ignore_index=True)
    df = df[np.isfinite(df["nll"])]
    line = alt.Chart(df).mark_line(strokeWidth=3).encode(
        alt.X("k:Q", title="add-k smoothing k (log scale)", scale=alt.Scale(type="log")),
        alt.Y("nll:Q", title="average NLL (nats)", scale=alt.Scale(zero=False)),
        alt.Color("names:N", title=None, legend=alt.Legend(orient="top"),
                  scale=alt.Scale(domain=["training names", "validation names"], range=[BLUE, VERMILLION])),
        tooltip=[alt.Tooltip("names:N"), alt.Tooltip("k:Q", format=".4g"), alt.Tooltip("nll:Q", format=".4f")])
    layers = [line]
    if best_k > 0:
        best = pd.DataFrame({"k": [best_k], "label": [f"lowest validation NLL: k = {setting(best_k)}"]})
        layers.append(alt.Chart(best).mark_rule(color=BLACK, strokeDash=[6, 4], strokeWidth=2).encode(
            x=alt.X("k:Q"), tooltip=[alt.Tooltip("label:N")]))
    return sized(alt.layer(*layers), height)


def smoothing_curve_summary(ks: np.ndarray, train: np.ndarray, held_out: np.ndarray, best_k: float) -> str:
    i = int(np.argmin(train))
    j = int(np.argmin(held_out))
    text = (f"The training NLL is lowest at k = {setting(ks[i])} ({figure(train[i])}) and grows with k; "
            f"the validation NLL is {figure(held_out[0])} at k = 0")
    return text + f" and lowest at k = {setting(best_k)} ({figure(held_out[j])})."


def probability_gap_heatmap(W: torch.Tensor, P: torch.Tensor, itos: Sequence[str], cell: int = 32) -> alt.Chart:
    """softmax(W) - P per bigram: where the trained network and the counts disagree, and how."""
    df = _grid(itos)
    df["P"] = P.double().numpy().ravel()
    df["softmax(W)"] = torch.softmax(W.double(), dim=1).numpy().ravel()
    df["difference"] = df["softmax(W)"] - df["P"]
    df["difference text"] = [_signed(d) for d in df["difference"]]
    limit = max(float(df["difference"].abs().max()), 1e-12)
    x, y = _heatmap_axes(itos)
    return _square_cells(alt.Chart(df).mark_rect().encode(
        x, y,
        alt.Color("difference:Q", scale=alt.Scale(scheme="blueorange", domain=[-limit, limit], domainMid=0),
                  legend=_legend("softmax(W) − P")),
        tooltip=[alt.Tooltip("bigram:N"), alt.Tooltip("softmax(W):Q", format=".4f"), alt.Tooltip("P:Q", format=".4f"),
                 alt.Tooltip("difference text:N", title="difference")],
    ), cell, itos)


def _signed(x: float) -> str:
    """figure(x) with a + before a positive number that does not read 0."""
    text = figure(x)
    return f"+{text}" if x > 0 and text != figure(0) else text


def probability_gap_summary(W: torch.Tensor, P: torch.Tensor, itos: Sequence[str]) -> str:
    diff = (torch.softmax(W.double(), dim=1) - P.double()).abs()
    i, j = divmod(int(diff.argmax()), len(itos))
    return (f"The trained network's probabilities differ from the counted ones by {figure(diff.mean().item())} "
            f"on average; the largest gap is {figure(diff[i, j].item())}, for “{visible(itos[i] + itos[j])}”.")


# --- the floor and the baselines a model must beat -------------------------------------------------

_RUNG_COLOURS = (GREY, SKY, BLUE)   # uniform, unigram, the counted bigram table


def _rungs(N: torch.Tensor) -> pd.DataFrame:
    """The ladder as the chart and its table read it: a row per model, its figures written out."""
    rungs = entropy.baselines(N)
    floor = rungs[-1].nll
    return pd.DataFrame({
        "model": [r.model for r in rungs],
        "predicts": [r.predicts for r in rungs],
        "nll": [r.nll for r in rungs],
        "NLL (nats per symbol)": [figure(r.nll) for r in rungs],
        "perplexity": [figure(heldout.perplexity(r.nll), 2) for r in rungs],
        "bits per symbol": [figure(heldout.bits_per_symbol(r.nll), 3) for r in rungs],
        "NLL − floor": [shown_gap(r.nll, floor) for r in rungs],
        "Σ P(a) KL(P(·|a) ‖ Q_a)": [figure(r.kl) for r in rungs],
    })


def baseline_ladder(N: torch.Tensor, band: int = 72) -> alt.LayerChart:
    """The uniform guess, the unigram frequencies and the counted table as bars of their NLL on the
    bigrams of N, each named with its perplexity and bits per symbol (three lines of the axis
    label); the counted table's bar is the floor. `band`: px per model."""
    df = _rungs(N)
    df["label"] = [f"{m}\nperplexity {p}\n{b} bits per symbol"
                   for m, p, b in zip(df["model"], df["perplexity"], df["bits per symbol"])]
    df["bar text"] = [*df["NLL (nats per symbol)"][:-1], f"{df['NLL (nats per symbol)'].iloc[-1]}, the floor"]
    y = alt.Y("label:N", sort=list(df["label"]), title=None,   # a label of three lines: split at the line breaks
              axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=240, ticks=False, labelPadding=8,
                            labelBaseline="middle"))
    base = alt.Chart(df).encode(y, tooltip=[alt.Tooltip(f"{c}:N") for c in ("model", "predicts", "NLL (nats per symbol)",
                                                                            "perplexity", "bits per symbol")])
    bars = base.mark_bar(height={"band": 0.7}).encode(
        alt.X("nll:Q", title="NLL (nats per symbol)", scale=alt.Scale(domainMin=0)),
        alt.Color("model:N", scale=alt.Scale(domain=list(df["model"]), range=list(_RUNG_COLOURS)), legend=None))
    text = base.mark_text(align="right", dx=-8, color="white", fontWeight="bold").encode(
        x=alt.X("nll:Q"), text=alt.Text("bar text:N"))
    return sized(alt.layer(bars, text), band * len(df), autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def baseline_ladder_summary(N: torch.Tensor) -> str:
    df = _rungs(N)
    models = (f"a uniform guess among the {len(N)} symbols", "the unigram frequencies", "the counted bigram table")
    each = [f"{what}, NLL {r['NLL (nats per symbol)']} (perplexity {r['perplexity']}, {r['bits per symbol']} bits "
            "per symbol)" for what, (_, r) in zip(models, df.iterrows())]
    uniform, unigram, bigram = df["nll"]
    return (f"Three models scored on the same {integer(N.sum().item())} bigrams: {each[0]}; {each[1]}; {each[2]}, "
            f"the floor. Knowing how often each symbol occurs takes {shown_gap(uniform, unigram)} nats per symbol off "
            f"a uniform guess; knowing the current symbol takes {shown_gap(unigram, bigram)} more.")


def baseline_table(N: torch.Tensor) -> pd.DataFrame:
    """The ladder's figures, and each model's distance above the floor computed two ways."""
    return _rungs(N).drop(columns="nll")
