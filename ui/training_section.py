"""The bigram page's training and what depends on it, as one fragment (Page.fragment): Train,
Stop and the zoom rerun this section alone, not the corpus, the counts, the floor and the
counting model's check on unseen names above it.

What depends on a training: the live loss curve and its verdict, the trained network beside the
counted table, the literal loop's check, and the network's scores on names it never saw (an aside
drawn only while open)."""
from __future__ import annotations

import torch

from core import training
from core.corpus import Corpus
from ui import live_training
from ui.frame import Page
from ui.heldout_view import network_check
from ui.literal_check import literal_check
from ui.trained_network import after_training


def training_section(page: Page, corpus: Corpus, N: torch.Tensor, P_counted: torch.Tensor,
                     counting_nll: float, settings: training.TrainingSettings, cell: int, answered: bool,
                     alone: bool) -> None:
    # the latest snapshot, or None (`answered`, `alone`: the chapter's question, which asks where it ends)
    trained = live_training.train(page, corpus, N, settings, counting_nll, answered, alone)
    if trained is not None and trained.steps_done:
        after_training(page, corpus, N, P_counted, counting_nll, trained, cell)
        literal_check(page, corpus, N, settings)
        network_check(page, corpus, trained)
