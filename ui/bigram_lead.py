"""The bigram page's lead: the article's training beside the counted table, said in one paragraph."""
from __future__ import annotations

import streamlit as st
import torch

from core import shared_run, training, training_verdict
from core.formatting import figure
from core.corpus import Corpus
from ui.bigram_figures import departure, nll_metric


def show_lead(corpus: Corpus, N: torch.Tensor, P_counted: torch.Tensor, counting_nll: float) -> None:
    """Metrics of the counted table and of the article's training, and what the training found
    (core.training_verdict.lead: the same classification as the verdict under Train)."""
    # A run the page shows unasked (its own kind), so that a visitor's first Train still streams live.
    article = shared_run.CACHE.get(corpus.fingerprint, N, training.TrainingSettings(), kind=shared_run.SHOWN)
    outcome = training_verdict.verdict(article, counting_nll, N)
    a1, a2, a3 = st.columns(3)
    nll_metric(a1, "counted table: NLL", counting_nll, corpus.vocab_size)
    nll_metric(a2, "trained network: data NLL", article.final_data_nll, corpus.vocab_size)
    a2.caption("the article's training: η = 50, 1,000 steps, λ = 0.01")
    gap = training.max_probability_gap(article.W, P_counted)
    a3.metric("largest gap |softmax(W) − P|", figure(gap))
    claim, rest = training_verdict.lead(outcome)
    if outcome.kind in training_verdict.FAILED:
        st.markdown(f"**{claim}** {rest}")
    else:
        st.markdown(f"**{claim}** {rest} None of its {corpus.vocab_size ** 2:,} probabilities differs from the "
                    f"counted one by more than {figure(gap)}. "
                    + departure(training.trained_probabilities(article.W), P_counted, N, corpus))
