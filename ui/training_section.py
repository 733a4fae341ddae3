"""The bigram page's training and what depends on it, as one fragment (Page.fragment): Train,
Stop and the zoom rerun this section alone, not the corpus, the counts and the floor above it.

What depends on a training: the live loss curve and its verdict, the trained network beside the
counted table, the literal loop's check, and the held-out section's network scores."""
from __future__ import annotations

import streamlit as st
import torch

from core import training
from core.corpus import Corpus
from ui import live_training
from ui.frame import Page
from ui.heldout_view import heldout_check
from ui.literal_check import literal_check
from ui.trained_network import after_training


def training_and_unseen_names(page: Page, corpus: Corpus, N: torch.Tensor, P_counted: torch.Tensor,
                              counting_nll: float, settings: training.TrainingSettings, k: float, cell: int) -> None:
    trained = live_training.train(page, corpus, N, settings, counting_nll)  # the latest snapshot, or None
    if trained is not None and trained.steps_done:
        after_training(page, corpus, N, P_counted, counting_nll, trained, cell)
        literal_check(page, corpus, N, settings)

    st.subheader("Names the model never saw")
    page.explain(
        """
The NLL on the names a model was fitted to rewards memorising them: the counted table with k = 0
is the best possible score there. To see how well a model does on names it has not seen, set
some names aside before fitting: fit to the rest, choose settings on one set of unseen names, and
report the score on another.
"""
    )
    heldout_check(page, corpus, k, trained)
