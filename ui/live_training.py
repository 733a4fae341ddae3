"""Train / Stop for the bigram page: the loss curve drawn live while the shared training goes on.

Training itself happens in core.shared_run (one training per corpus and settings per server, in a
background thread); this module only follows it (ui/run_looks.py), so a click in the training's
section (Stop, the zoom) or in another section waits for a short look, not for the whole run.
(Once the chapter's question is answered, its answer needs the finished training:
questions.Pending.ready.) Stop keeps the last snapshot seen. Once a visitor has trained (URL
`trained=1`), a change of settings trains again at once only if the chapter's question about the
new settings is answered: otherwise the result would answer it before it is asked, so the page
waits for Train (a phone following a room shows what the projector shows).
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from core import shared_run, training, training_verdict
from core.corpus import Corpus
from core.formatting import count, integer
from ui import cached_builders as charts, room, run_looks
from ui.frame import Page
from ui.layout import row

_FOR = "training_for"         # (corpus fingerprint, settings) that the snapshot below belongs to
_SNAPSHOT = "training_seen"   # the last snapshot seen: finished, or where Stop left it
_LOST = "training_lost"       # the run went before its end (it failed, or was dropped)
_PRESSED = "training_pressed" # (corpus fingerprint, settings) this visitor last pressed Train for


def train(page: Page, corpus: Corpus, N, settings: training.TrainingSettings,
          counting_nll: float, answered: bool, alone: bool) -> training.TrainingResult | None:
    """Draw Train / Stop and the loss curve; return the latest snapshot of the training with these
    settings (None before a Train press, and while a long run is watched by looks). `answered`:
    whether the chapter's question about these settings is answered; `alone`: whether a reader
    answers it alone (not a presenter's room, ui.question.alone)."""
    page.url_value("trained", 0, 0, 1, integer=True)
    with row(vertical_alignment="center"):
        clicked = st.button("Train", key="train", type="primary", icon=":material/play_arrow:")
        stopped = st.button("Stop", key="stop", icon=":material/stop:")
        st.toggle("zoom in on the floor", key="loss_zoom", persist_state="session",
                  help="Narrow the loss axis to just above the counting model's NLL, where the last steps happen.")
    wanted = (corpus.fingerprint, settings)
    if st.session_state.pop(_LOST, False) and not clicked:
        run_looks.say_gone("This training", "Train")
        return None
    seen = st.session_state.get(_SNAPSHOT) if st.session_state.get(_FOR) == wanted else None
    shown = seen is not None and seen.finished and bool(st.session_state.trained)   # on screen already
    if stopped and not shown:   # a finished run has nothing to stop: it stays, and the URL with it
        st.session_state.trained = 0
    moved = st.session_state.get(_FOR) not in (None, wanted)   # the corpus or settings changed since a training
    takes_view = room.followed(page.chapter) is not None      # this run takes the presenter's view
    if moved and st.session_state.trained and not (clicked or answered or takes_view):
        # Predict first: the question below asks about the new settings. The last run's snapshot
        # stays only to say that the settings changed (coming back to its settings waits for Train too).
        st.session_state.trained, st.session_state[_FOR] = 0, None
    held = (page.presenter and st.session_state.trained and not (clicked or answered)
            and st.session_state.get(_PRESSED) != wanted)
    if held:   # a presenter's page opened trained (a link, a reload): the room votes before Train shows it
        st.session_state.trained = 0
    if clicked and not shown:   # Train for a result already on screen asks nothing new
        st.session_state[_PRESSED] = wanted

    if clicked or (st.session_state.trained and (seen is None or not seen.finished)):
        st.session_state.trained = 1
        if st.session_state.get(_FOR) != wanted:   # another run: the last one's snapshot is not its own
            st.session_state.pop(_SNAPSHOT, None)
            st.session_state[_FOR] = wanted
        seen = run_looks.follow(
            lambda until: shared_run.CACHE.stream(corpus.fingerprint, N, settings, until=until),
            lambda: shared_run.CACHE.state(corpus.fingerprint, settings),
            lambda going: _draw_going(page, corpus.fingerprint, going, counting_nll), _lost)
        if seen is None or not seen.finished:   # a long run: the looks follow it (and keep what they show)
            return None
        st.session_state[_SNAPSHOT] = seen

    if seen is None:
        if st.session_state.get(_SNAPSHOT) is not None:
            st.info(f"The corpus or the settings changed since the last training: {_next(page, answered, alone)}.",
                    icon=":material/refresh:")
        elif held:
            st.info(f"Opened trained: {_next(page, answered, alone)}.", icon=":material/how_to_vote:")
        return None
    _draw_curve(page, seen, counting_nll)
    if not seen.finished:
        st.warning(f"Stopped after {integer(seen.steps_done)} of {count(settings.steps, 'step')}; the figures below are "
                   "for the weights at that point. Press **Train** for the rest.", icon=":material/pause:")
    else:
        show_verdict(training_verdict.verdict(seen, counting_nll, N))
    return seen


def _next(page: Page, answered: bool, alone: bool) -> str:
    """What comes before the next training is shown, for whoever looks at this page."""
    if page.presenter:
        return "press **Train**" if answered else "let the room vote at the foot of the page, then press **Train**"
    if not alone:
        return "the presenter trains next"     # a phone whose room votes on this question
    return "press **Train**" if answered else "make your prediction at the foot of the page, then press **Train**"


_LOOKS = {  # how each kind of run is shown: the box and its icon
    "diverged": (st.error, ":material/warning:"),
    "oscillating": (st.warning, ":material/swap_vert:"),
    "rose": (st.warning, ":material/trending_up:"),
    "settled": (st.success, ":material/check_circle:"),
    "held": (st.success, ":material/check_circle:"),
    "descending": (st.info, ":material/trending_down:"),
    "crawling": (st.info, ":material/hourglass_empty:"),
    "too_few": (st.info, ":material/more_horiz:"),
}


def show_verdict(v: training_verdict.Verdict | None) -> None:
    """What the training did, from its whole loss curve (core.training_verdict)."""
    if v is None:
        return
    box, icon = _LOOKS[v.kind]
    box(training_verdict.sentence(v), icon=icon)


def _draw_going(page: Page, corpus_key: str, seen: training.TrainingResult, counting_nll: float) -> None:
    """A look at a long run: its progress and curve."""
    if st.session_state.get(_FOR) == (corpus_key, seen.settings):
        st.session_state[_SNAPSHOT] = seen   # what Stop keeps (a look left from other settings keeps nothing)
    st.progress(seen.steps_done / seen.settings.steps,
                text=f"step {integer(seen.steps_done)} of {integer(seen.settings.steps)}")
    _draw_curve(page, seen, counting_nll)


def _lost() -> None:
    """The run went before its end: the next whole run says so instead of training it again, and
    shows none of its snapshots (they would read as stopped)."""
    st.session_state.trained = 0
    st.session_state[_LOST] = True
    st.session_state.pop(_SNAPSHOT, None)


def _draw_curve(page: Page, seen: training.TrainingResult, counting_nll: float) -> None:
    # Watchers of one training see the same few snapshots (shared_run.LIVE_FRAMES), so the cached spec
    # (ui/cached_builders.py) is built once for all of them.
    zoom = st.session_state.get("loss_zoom", False)
    losses, nlls = np.asarray(seen.losses), np.asarray(seen.data_nll)
    page.chart(charts.loss_curve(losses, counting_nll, nlls, page.chart_height, zoom),
               charts.loss_curve_summary(losses, counting_nll, nlls))


ANSWERED_ABOVE = ("The training above is the answer for these settings, so the question is not asked here. Change "
                  "η, the steps, λ or the seed for a new question: the page then waits for your prediction before "
                  "it trains.")


def answer_shown(corpus: Corpus, settings: training.TrainingSettings) -> str | None:
    """ANSWERED_ABOVE if this run shows the training with these settings, finished or under way
    (after train()), without this visitor's press of Train for them (a link's `trained=1`): it
    answers the chapter's question before it was asked. Else None. (A visitor who pressed Train
    saw the question first: it stays.)"""
    wanted = (corpus.fingerprint, settings)
    shown = bool(st.session_state.get("trained")) and st.session_state.get(_FOR) == wanted
    return ANSWERED_ABOVE if shown and st.session_state.get(_PRESSED) != wanted else None


def going(corpus: Corpus, settings: training.TrainingSettings) -> bool:
    """Whether the training Train shows for these settings is under way (not finished yet)."""
    return shared_run.CACHE.state(corpus.fingerprint, settings)[0] in ("starting", "going")


def finished(corpus: Corpus, N, settings: training.TrainingSettings) -> training.TrainingResult:
    """The training Train shows for these settings, waited for (or started): the same entry of the
    shared cache, so a server computes it once whoever asks first."""
    return shared_run.CACHE.get(corpus.fingerprint, N, settings)
