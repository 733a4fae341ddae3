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
from ui.frame import Page
from ui.layout import row

_DONE = "literal_training"   # (corpus fingerprint, settings, the literal loop's finished training)


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
        if st.button("Train with the literal loop", key="literal", icon=":material/timer:"):
            st.session_state[_DONE] = (corpus.fingerprint, short, _train_literally(corpus, N, short))
        done = st.session_state.get(_DONE)
        if done is not None and done[:2] == (corpus.fingerprint, short):
            _compare(done[2], shared_run.CACHE.get(corpus.fingerprint, N, short))


def _train_literally(corpus: Corpus, N: torch.Tensor, short: training.TrainingSettings) -> training.TrainingResult:
    bar = st.progress(0.0)
    for snapshot in shared_run.CACHE.stream(corpus.fingerprint, N, short, pairs=bigram.bigram_pairs(corpus)):
        bar.progress(snapshot.steps_done / short.steps, text=f"literal loop: step {snapshot.steps_done}")
    return snapshot


def _compare(literal: training.TrainingResult, fast: training.TrainingResult) -> None:
    c = training.compare_loops(literal, fast)
    figures = row()
    figures.metric(f"literal loop, {count(literal.steps_done, 'step')}", seconds(literal.elapsed))
    figures.metric("counts-only loop, same steps", seconds(fast.elapsed))
    figures.metric("largest |loss difference|", sig(c.loss_gap, 2))
    figures.metric("largest |W difference|", "not compared" if c.stopped else sig(c.w_gap, 2))
    (st.caption if c.agree else st.warning)(c.sentence)
    st.dataframe(pd.DataFrame({"step": range(len(literal.losses)), "literal loss": literal.losses,
                               "counts-only loss": fast.losses[:len(literal.losses)]}),
                 hide_index=True, height=200)
