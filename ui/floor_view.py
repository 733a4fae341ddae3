"""The bigram page's floor explained (core/entropy.py): the counted table's NLL is the conditional
entropy of the corpus's bigrams, any other table scores them worse by a KL divergence, and the
baselines a model must beat (a uniform guess, the unigram frequencies) show how much the counts
know. On every name of the corpus, as the counting model above it."""
from __future__ import annotations

import streamlit as st
import torch

from core.corpus import Corpus
from core.formatting import figure_tex, integer
from ui import cached_builders as charts
from ui.frame import Page

FLOOR = "Why the counted table is the floor, and what it is worth"   # the aside's title (ui/counting_view.py)
_BAND = {False: 72, True: 96}   # px per model of the ladder (three lines of label), by presenter mode


def floor_explained(page: Page, corpus: Corpus, N: torch.Tensor) -> None:
    page.explain(
        """
With k = 0 the counted table's NLL is a property of the names themselves: the **conditional
entropy** of their bigrams, H(next | current), how uncertain the next symbol stays once the current
one is known. Any other table Q scores the same bigrams worse, and by exactly a weighted
**Kullback–Leibler divergence** between its rows and the counted ones. A KL divergence is never
negative, and it is 0 only when the two rows are the same: so no table, and no network whose
softmax is a table, gets below the counted one on these names. Two simpler models show what the
counts are worth: a uniform guess among the V symbols, whose NLL is ln V whatever the names, and
the unigram model, which predicts each next symbol by how often it occurs overall, whatever came
before it.
"""
    )
    floor = charts.baselines(N)[-1].nll
    page.formula(rf"H(\text{{next}} \mid \text{{current}}) = -\sum_{{a,b}} P(a, b) \log P(b \mid a) = "
                 rf"{figure_tex(floor)} = \text{{counting NLL}} \ (k = 0)")
    page.formula(r"\text{NLL}(Q) - H(\text{next} \mid \text{current}) = "
                 r"\sum_a P(a)\, \mathrm{KL}\big(P(\cdot \mid a) \,\big\|\, Q_a\big) \ \ge 0")
    st.caption("P(a, b): a bigram's share of all bigrams; P(a): the share of those that start with a; P(· | a): "
               "row a of the counted table; Q_a: row a of another table Q. The table under the chart computes each "
               "model's distance above the floor both ways.")
    page.chart(charts.baseline_ladder(N, _BAND[page.presenter]), charts.baseline_ladder_summary(N),
               charts.baseline_table(N))
    st.caption(f"Every figure here is on all {integer(corpus.n_names)} names of the corpus, the names the table is "
               "counted from, as above; how models do on names they never saw is the next aside.")
