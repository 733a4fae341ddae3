"""Names drawn from a bigram table, each marked as a name of the corpus or a new one."""
from __future__ import annotations

import streamlit as st
import torch

from core import training
from core.formatting import count
from core.corpus import Corpus
from ui.cached_builders import drawn_table
from ui.frame import Page


def samples_table(page: Page, probs: torch.Tensor, corpus: Corpus, key: str, lecture: bool = False
                  ) -> tuple[int, int]:
    """Draw how many names and a seed (widgets `key`_count, `key`_seed), the names drawn from `probs`,
    and how many are known; return (how many, seed). lecture=True draws them as the makemore lecture
    does, one generator for all (bigram.sample_names); otherwise each name has its own generator,
    seeded seed + i, for comparing two tables name by name (bigram.sample_each)."""
    with page.controls_row():
        page.number_input("how many names", f"{key}_count", lo=1, hi=50, default=10, integer=True)
        page.number_input("seed", f"{key}_seed", lo=0, hi=2**53 - 1, default=training.ARTICLE_SEED, integer=True)
    how_many, seed = st.session_state[f"{key}_count"], st.session_state[f"{key}_seed"]
    table = drawn_table(probs, corpus, how_many, seed, lecture)
    st.dataframe(table, hide_index=True, width="stretch")
    known = int(table["in corpus"].sum())
    st.caption(f"{known} of {count(len(table), 'sampled name')} {'is' if known == 1 else 'are'} in the corpus"
               + ("." if known == len(table) else "; the rest are new.")
               + (f" Drawn the lecture's way: one generator seeded {seed} for all of them, one torch.multinomial "
                  "per character from the row of the one before, the table in float32 (the lecture's P is this "
                  "table at k = 1)." if lecture else ""))
    return how_many, seed
