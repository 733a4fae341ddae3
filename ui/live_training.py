"""Train / Stop for the bigram page: the loss curve drawn live while the shared training goes on.

Training itself happens in core.shared_run (one training per corpus and settings per server, in a
background thread); this module only watches it. Stop is an ordinary button: any click
reruns the script, which ends the watching loop, and the last snapshot seen is kept.
Once a visitor has trained (URL `trained=1`), a change of settings trains again at once,
the way every other chart of the app follows its controls.
"""
from __future__ import annotations

import time

import numpy as np
import streamlit as st

from core import shared_run, training
from core.formatting import count, figure
from core.corpus import Corpus
from ui import cached_builders as charts
from ui.frame import Page

_FOR = "training_for"        # (corpus fingerprint, settings) that the snapshot below belongs to
_SNAPSHOT = "training_seen"  # the last snapshot seen: finished, or where Stop left it
_REDRAW_EVERY = 0.25         # seconds between redraws of the live curve


def train(page: Page, corpus: Corpus, N, settings: training.TrainingSettings,
          counting_nll: float) -> training.TrainingResult | None:
    """Draw Train / Stop and the loss curve; return the latest snapshot of the training with these
    settings (None before a Train press)."""
    page.url_value("trained", 0, 0, 1, integer=True)
    go, stop, zoom = st.columns([1, 1, 4], vertical_alignment="center")
    clicked = go.button("Train", key="train", type="primary", icon=":material/play_arrow:", width="stretch")
    if stop.button("Stop", key="stop", icon=":material/stop:", width="stretch"):
        st.session_state.trained = 0
    zoom.toggle("zoom in on the floor", key="loss_zoom", persist_state="session",
                help="Narrow the loss axis to just above the counting model's NLL, where the last steps happen.")
    wanted = (corpus.fingerprint, settings)
    seen = st.session_state.get(_SNAPSHOT) if st.session_state.get(_FOR) == wanted else None
    progress, curve = st.empty(), st.empty()

    if clicked or (st.session_state.trained and (seen is None or not seen.finished)):
        st.session_state.trained = 1
        st.session_state[_FOR] = wanted
        drawn = 0.0
        for seen in shared_run.CACHE.stream(corpus.fingerprint, N, settings):
            st.session_state[_SNAPSHOT] = seen
            # Many watchers of one training must not each redraw hundreds of times; the finished
            # curve is drawn once, below.
            if seen.finished or time.monotonic() - drawn < _REDRAW_EVERY:
                continue
            drawn = time.monotonic()
            progress.progress(seen.steps_done / settings.steps,
                              text=f"step {seen.steps_done:,} of {settings.steps:,}")
            with curve.container():
                _draw_curve(page, seen, counting_nll)
        progress.empty()

    if seen is None:
        if st.session_state.get(_SNAPSHOT) is not None:
            st.info("The corpus or the settings changed since the last training: press **Train**.",
                    icon=":material/refresh:")
        return None
    with curve.container():
        _draw_curve(page, seen, counting_nll)
    if not seen.finished:
        st.warning(f"Stopped after {seen.steps_done:,} of {settings.steps:,} steps; the figures below are "
                   "for the weights at that point. Press **Train** for the rest.", icon=":material/pause:")
    else:
        show_verdict(training.verdict(seen, counting_nll), settings)
    return seen


def show_verdict(v: training.Verdict | None, settings: training.TrainingSettings) -> None:
    """One sentence on what the training did, computed from its losses (core.training.verdict)."""
    if v is None:
        return
    first, last, gap = figure(v.first), figure(v.last), figure(v.gap)
    if v.kind == "diverged":
        st.error(f"Training stopped at step {v.diverged_at:,}: the loss became infinite or not a number. "
                 f"A learning rate of {settings.lr:g} throws W so far in one step that exp(logits) overflows. "
                 f"The curve and the figures below are for the {count(v.steps, 'step')} before "
                 f"(last loss {last}); try a smaller learning rate.", icon=":material/warning:")
    elif v.kind == "rose":
        st.warning(f"The loss rose, from {first} to {last}: a learning rate of {settings.lr:g} is too large a "
                   "step for this corpus, so each step overshoots the minimum. Try a smaller one.",
                   icon=":material/trending_up:")
    elif v.kind == "near_floor":
        st.success(f"The loss came down from {first} to {last}; the data NLL ends {gap} above the counting "
                   "model's NLL, the floor it approaches and never passes.", icon=":material/check_circle:")
    else:
        why = (f"the penalty λ = {settings.reg:g} holds it there, or more steps would bring it closer"
               if settings.reg > 0 else "more steps would bring it closer")
        st.info(f"The loss came down from {first} to {last}, but the data NLL is still {gap} above the "
                f"counting model's NLL: {why}.", icon=":material/trending_down:")


def _draw_curve(page: Page, seen: training.TrainingResult, counting_nll: float) -> None:
    # Watchers of one training see the same few snapshots (shared_run.LIVE_FRAMES), so the cached spec
    # (ui/cached_builders.py) is built once for all of them.
    zoom = st.session_state.get("loss_zoom", False)
    losses, nlls = np.asarray(seen.losses), np.asarray(seen.data_nll)
    page.chart(charts.loss_curve(losses, counting_nll, nlls, page.chart_height, zoom),
               charts.loss_curve_summary(losses, counting_nll, nlls))


def finished(corpus: Corpus, N, settings: training.TrainingSettings) -> training.TrainingResult:
    """The training Train shows for these settings, waited for (or started): the same entry of the
    shared cache, so a server computes it once whoever asks first."""
    return shared_run.CACHE.get(corpus.fingerprint, N, settings)
