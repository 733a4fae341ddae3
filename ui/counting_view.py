"""The bigram page's counting model: the counted table with add-k smoothing, and everything k moves
(a section of its own, so that k reruns it alone)."""
from __future__ import annotations

import streamlit as st
import torch

from core.corpus import Corpus
from core.formatting import figure_tex, integer, setting, setting_tex
from ui import cached_builders as charts
from ui.bigram_figures import nll_metric
from ui.floor_view import FLOOR, floor_explained
from ui.frame import Page
from ui.heldout_view import UNSEEN, heldout_check
from ui.name_samples import samples_table
from ui.name_score import score_box


def counting_section(page: Page, corpus: Corpus, N: torch.Tensor, counting_nll: float, cell: int) -> None:
    """The counted table with add-k smoothing and what depends on k: its NLL, heatmap, scored and
    drawn names, and its check on names it never saw (the floor, which k does not move, sits among them)."""
    V = corpus.vocab_size
    page.url_number("k", 0.0, 0.0, 10.0)
    page.slider("add-k smoothing k (0 is the maximum-likelihood estimate)", "k", step=0.1)
    k = st.session_state.k
    P, nll_k = charts.counting_model(corpus, k)
    n_tex = integer(corpus.n_bigrams).replace(",", "{,}")  # a bare comma in LaTeX adds a space
    page.formula(rf"""\begin{{aligned}}
P(b \mid a) &= \frac{{N_{{ab}} + k}}{{\sum_c (N_{{ac}} + k)}} \qquad (k = {setting_tex(k, 6)}) \\
\text{{NLL}} &= -\frac{{1}}{{n}} \sum_{{i=1}}^{{n}} \log P(b_i \mid a_i) = {figure_tex(nll_k)} \qquad (n = {n_tex})
\end{{aligned}}""")
    if k == 0:   # the table above is the floor itself: one metric, not the same one twice
        nll_metric(st, "average NLL with k = 0 (the MLE, the floor)", counting_nll, V)
    else:
        m1, m2 = st.columns(2)
        nll_metric(m1, f"average NLL with k = {setting(k, 6)}", nll_k, V)
        nll_metric(m2, "average NLL with k = 0 (the MLE, the floor)", counting_nll, V)
    page.chart(charts.count_heatmap(N, P, corpus.itos, cell), charts.count_heatmap_summary(N, P, corpus.itos),
               charts.bigram_table(N, P, corpus.itos))
    left, right = st.columns(2)
    with left:
        score_box(P, N, corpus)
    with right:
        st.markdown("#### Names the counting model makes up")
        page.fragment(samples_table, page, P, corpus, "count_draw", True)   # its boxes rerun it alone
    # Two asides, each drawn only while open (most visitors read on to the training; a closed
    # section costs a class nothing, benchmarks/elements.py): why the counted table is the floor,
    # and how the model does on names it never saw (the network's check comes after training).
    with page.expander(FLOOR, "floor_shelf") as shelf:
        if shelf.open:
            floor_explained(page, corpus, N)
    with page.expander(UNSEEN, "unseen_shelf") as shelf:
        if shelf.open:
            heldout_check(page, corpus, k)
