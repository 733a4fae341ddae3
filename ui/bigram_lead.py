"""The bigram page's lead: the counted table's NLL, the floor; and, once the chapter's question is
answered, what the article's training reached beside it, said in one paragraph."""
from __future__ import annotations

import streamlit as st
import torch

from core import shared_run, training, training_verdict
from core.formatting import count, figure, integer, setting
from core.corpus import Corpus
from ui.bigram_figures import departure, nll_metric
from ui.frame import Page
from ui.held_back import when_answered


def show_lead(page: Page, corpus: Corpus, N: torch.Tensor, P_counted: torch.Tensor, counting_nll: float,
              answered: bool, settings: training.TrainingSettings) -> None:
    """Metrics of the counted table and, when `answered` (ui.question.answered: the question at the
    foot of the page asks where training ends), of the article's training and what it found
    (core.training_verdict.lead: the same classification as the verdict under Train). Before that,
    what the training reached would answer the question, so the lead says where it will appear. The
    article's run answers the question with the article's settings only: asked with other `settings`,
    the lead waits for that one."""
    article = training.TrainingSettings()
    own = settings != article          # a question asked with settings of the visitor's own
    answered = answered and not own
    run = (f"the article's training: η = {setting(article.lr, 6)}, {count(article.steps, 'step')}, "
           f"λ = {setting(article.reg, 6)}")
    if not answered:
        a1, a2 = st.columns([1, 2])
        nll_metric(a1, "counted table: NLL", counting_nll, corpus.vocab_size)
        when = when_answered(page) + (", asked with those settings" if own else "")
        a2.info(f"What a network trained by gradient descent reaches ({run}) appears here {when} "
                "([Predict, then see](#predict)).", icon=":material/hourglass_top:")
        st.markdown("**Counting finds the best table there is for these names.** No table of probabilities "
                    "scores them better than the counted one: its NLL is the floor. A network that never sees a "
                    "count can only search for that table by gradient descent (below). Does it reach the floor?")
        return
    a1, a2, a3 = st.columns(3)
    nll_metric(a1, "counted table: NLL", counting_nll, corpus.vocab_size)
    # A run the page shows unasked (its own kind), so that a visitor's first Train still streams live.
    shown = shared_run.CACHE.get(corpus.fingerprint, N, article, kind=shared_run.SHOWN)
    outcome = training_verdict.verdict(shown, counting_nll, N)
    nll_metric(a2, "trained network: data NLL", shown.final_data_nll, corpus.vocab_size)
    a2.caption(run)
    gap = training.max_probability_gap(shown.W, P_counted)
    a3.metric("largest gap |softmax(W) − P|", figure(gap))
    claim, rest = training_verdict.lead(outcome)
    if outcome.kind in training_verdict.FAILED:
        st.markdown(f"**{claim}** {rest}")
    else:
        st.markdown(f"**{claim}** {rest} None of its {integer(corpus.vocab_size ** 2)} probabilities differs from the "
                    f"counted one by more than {figure(gap)}. "
                    + departure(training.trained_probabilities(shown.W), P_counted, N, corpus))
