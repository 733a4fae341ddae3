"""The bigram page after a training: the network's losses against the counting floor, softmax(W)
beside the counted table, and the names each makes up with the same seeds."""
from __future__ import annotations

import streamlit as st
import torch

from core import bigram, entropy, training, training_verdict
from core.formatting import LARGEST_SHOWN, figure, figure_tex, shown_gap
from core.corpus import Corpus
from ui import cached_builders as charts
from ui.bigram_figures import departure, nll_metric
from ui.cached_builders import sample_each
from ui.floor_view import FLOOR
from ui.frame import Page
from ui.name_samples import samples_table


def after_training(page: Page, corpus: Corpus, N: torch.Tensor, P_counted: torch.Tensor, counting_nll: float,
                   trained: training.TrainingResult, cell: int) -> None:
    """Everything the page says about the trained weights `trained.W` (P_counted: the table with k = 0)."""
    V = corpus.vocab_size
    st.markdown("#### After training")
    r1, r2, r3 = st.columns(3)
    r1.metric("loss (data NLL + λ·mean W²)", figure(trained.final_loss))
    nll_metric(r2, "data NLL alone", trained.final_data_nll, V)
    nll_metric(r3, "counting model NLL (k = 0)", counting_nll, V)
    gap = trained.final_data_nll - counting_nll
    gap_tex = shown_gap(trained.final_data_nll, counting_nll) if abs(gap) < LARGEST_SHOWN else figure_tex(gap)
    page.formula(rf"\text{{data NLL}} - \text{{counting NLL}} = {figure_tex(trained.final_data_nll)} - "
                 rf"{figure_tex(counting_nll)} = {gap_tex} \ \ge 0")
    # The gap is a KL divergence (core/entropy.py): computed both ways for the trained weights.
    page.formula(r"\text{data NLL} - \text{counting NLL} = "
                 r"\sum_a P(a)\, \mathrm{KL}\big(P(\cdot \mid a) \,\big\|\, \operatorname{softmax}(W)_a\big)")
    st.caption("The gap is a weighted KL divergence of softmax(W)'s rows from the counted ones (why the counted "
               f"table is the floor: “{FLOOR}”, above). " + entropy.agreement(charts.excess(trained.W, N)))
    st.markdown("#### softmax(W) beside the counted P (k = 0)")
    st.metric("largest |softmax(W) − P| over all pairs", figure(training.max_probability_gap(trained.W, P_counted)))
    page.chart(charts.probability_gap_heatmap(trained.W, P_counted, corpus.itos, cell),
               charts.probability_gap_summary(trained.W, P_counted, corpus.itos))
    P_net = training.trained_probabilities(trained.W)
    # Where the gap comes from, said only as far as the run's classification allows (core.training_verdict).
    judged = training_verdict.verdict(trained, counting_nll, N) if trained.finished else None
    why = f"{training_verdict.gap_paragraph(judged)} " if judged is not None else ""
    st.markdown(why + departure(P_net, P_counted, N, corpus))
    with st.columns(2)[0]:
        st.markdown("#### Names the trained network makes up")
        page.fragment(_names_beside_counted, page, P_net, P_counted, corpus)   # its boxes rerun it alone


def _names_beside_counted(page: Page, P_net: torch.Tensor, P_counted: torch.Tensor, corpus: Corpus) -> None:
    """Names drawn from the network's table, and how many of them the counted table draws too
    with the same seeds."""
    how_many, seed = samples_table(page, P_net, corpus, "net_draw")
    net_names = sample_each(P_net, corpus.itos, how_many, seed)
    counted_names = sample_each(P_counted, corpus.itos, how_many, seed)
    st.markdown(bigram.draws_compared(net_names, counted_names, seed))
