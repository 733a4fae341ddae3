"""The check that the page's counts-only training matches the article's loop run literally:
a few steps of each, timed, and their losses side by side."""
from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st
import torch

from core import bigram, shared_run, training
from core.formatting import count, integer, seconds, sig
from core.corpus import Corpus
from ui import run_looks
from ui.frame import Page
from ui.layout import row

_DONE = "literal_training"   # (corpus fingerprint, settings, the literal loop's finished training)
_ASKED = "literal_asked"     # (corpus fingerprint, settings) of the run the button asked for, until it ends
_LOST = "literal_lost"       # that run went before its end (it failed, or was dropped)


def literal_check(page: Page, corpus: Corpus, N: torch.Tensor, settings: training.TrainingSettings) -> None:
    """The expander: a number of steps, the button that trains with the literal loop, the comparison.
    Drawn only while open (page.expander), like a chart's table: most visitors never open it, and
    every Train press would send its elements again."""
    with page.expander("Check: does the article's literal loop give the same numbers?", "literal_shelf") as shelf:
        if not shelf.open:
            return
        st.markdown("The page trains with the counts N alone: the loss depends on the data only through them. "
                    "The article's loop one-hot encodes every bigram instead. Train with it here for a few "
                    "steps and compare, step by step.")
        if not training.literal_fits(corpus.n_bigrams, corpus.vocab_size):
            st.info("This corpus is too large for the literal loop on a shared server "
                    f"({integer(corpus.n_bigrams)} bigrams × {corpus.vocab_size} one-hot columns).")
            return
        most = min(settings.steps, training.LITERAL_MAX_STEPS)
        page.number_input(f"steps of the literal loop (at most {most})", "literal_steps", lo=1, hi=most,
                          default=min(20, most), integer=True)
        short = dataclasses.replace(settings, steps=int(st.session_state.literal_steps))
        pressed = st.button("Train with the literal loop", key="literal", icon=":material/timer:")
        if pressed:
            st.session_state[_ASKED] = (corpus.fingerprint, short)
        if st.session_state.get(_ASKED) == (corpus.fingerprint, short):
            if not pressed and shared_run.CACHE.state(corpus.fingerprint, short, literal=True)[0] == "gone":
                _lost()   # gone since the press, unseen by any look: said, and only a press runs it again
            else:
                literal = _train_literally(corpus, N, short)   # followed by looks while it runs (ui/run_looks.py)
                if literal is not None and literal.finished:
                    st.session_state[_DONE] = (corpus.fingerprint, short, literal)
                    del st.session_state[_ASKED]
        if st.session_state.pop(_LOST, False):
            run_looks.say_gone("This run of the literal loop", "the button")
        done = st.session_state.get(_DONE)
        if done is not None and done[:2] == (corpus.fingerprint, short):
            _compare(done[2], shared_run.CACHE.get(corpus.fingerprint, N, short))


def _train_literally(corpus: Corpus, N: torch.Tensor,
                     short: training.TrainingSettings) -> training.TrainingResult | None:
    """The literal loop's run for these settings: the finished one, or None while looks follow it."""
    pairs = bigram.bigram_pairs(corpus)
    return run_looks.follow(
        lambda until: shared_run.CACHE.stream(corpus.fingerprint, N, short, pairs=pairs, until=until),
        lambda: shared_run.CACHE.state(corpus.fingerprint, short, literal=True),
        lambda going: st.progress(going.steps_done / short.steps,
                                  text=f"literal loop: step {going.steps_done} of {short.steps}"),
        _lost)


def _lost() -> None:
    st.session_state.pop(_ASKED, None)
    st.session_state[_LOST] = True


def _compare(literal: training.TrainingResult, fast: training.TrainingResult) -> None:
    c = training.compare_loops(literal, fast)
    figures = row()
    figures.metric(f"literal loop, {count(literal.steps_done, 'step')}", seconds(literal.elapsed))
    figures.metric("counts-only loop, same steps", seconds(fast.elapsed))
    figures.metric("largest |loss difference|", sig(c.loss_gap, 2))
    figures.metric("largest |W difference|", "not compared" if c.stopped or c.literal_steps < 2 else sig(c.w_gap, 2))
    (st.caption if c.agree else st.warning)(c.sentence)
    st.dataframe(pd.DataFrame({"step": range(len(literal.losses)), "literal loss": literal.losses,
                               "counts-only loss": fast.losses[:len(literal.losses)]}),
                 hide_index=True, height=200)
