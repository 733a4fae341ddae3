"""The bigram page's lead: the article's training beside the counted table, said in one paragraph."""
from __future__ import annotations

import streamlit as st
import torch

from core import shared_run, training
from core.formatting import count, figure
from core.corpus import Corpus
from ui.bigram_figures import departure, nll_metric


def show_lead(corpus: Corpus, N: torch.Tensor, P_counted: torch.Tensor, counting_nll: float) -> None:
    """Metrics of the counted table and of the article's training, and whether they agree."""
    # A run the page shows unasked (its own kind), so that a visitor's first Train still streams live.
    article = shared_run.CACHE.get(corpus.fingerprint, N, training.TrainingSettings(), kind=shared_run.SHOWN)
    outcome = training.verdict(article, counting_nll)
    a1, a2, a3 = st.columns(3)
    nll_metric(a1, "counted table: NLL", counting_nll, corpus.vocab_size)
    nll_metric(a2, "trained network: data NLL", article.final_data_nll, corpus.vocab_size)
    a2.caption("the article's training: η = 50, 1,000 steps, λ = 0.01")
    gap = training.max_probability_gap(article.W, P_counted)
    a3.metric("largest gap |softmax(W) − P|", figure(gap))
    if outcome.kind in ("near_floor", "above_floor"):
        st.markdown(
            f"**Counting and gradient descent find the same table.** The counted table is the best possible "
            f"score on these names; the network, which never sees a count, ends "
            f"{figure(outcome.gap)} above it after {count(article.steps_done, 'step')}, and none of its "
            f"{corpus.vocab_size ** 2:,} probabilities differs from the counted one by more than "
            f"{figure(gap)}. " + departure(training.trained_probabilities(article.W), P_counted, N, corpus))
    else:
        why = ("its loss became infinite" if outcome.kind == "diverged" else
               f"its loss rose from {figure(outcome.first)} to {figure(outcome.last)}")
        st.markdown(f"**On this corpus the article's step size does not find the counted table:** {why}. "
                    "Training, below, lets you choose a smaller learning rate.")
