"""Names drawn from a bigram table, each marked as a name of the corpus or a new one."""
from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from core import bigram, training
from core.formatting import count
from core.corpus import Corpus
from core.text import visible
from ui.cached_builders import cached_resource
from ui.frame import Page


def samples_table(page: Page, probs: torch.Tensor, corpus: Corpus, key: str, lecture: bool = False
                  ) -> tuple[int, int]:
    """Draw how many names and a seed (widgets `key`_count, `key`_seed), the names drawn from `probs`,
    and how many are known; return (how many, seed). lecture=True draws them as the makemore lecture
    does, one generator for all (bigram.sample_names); otherwise each name has its own generator,
    seeded seed + i, for comparing two tables name by name (bigram.sample_each)."""
    left, right = st.columns(2)
    page.number_input("how many names", f"{key}_count", where=left, lo=1, hi=50, default=10, integer=True)
    page.number_input("seed", f"{key}_seed", where=right, lo=0, hi=2**53 - 1, default=training.ARTICLE_SEED,
                      integer=True)
    how_many, seed = st.session_state[f"{key}_count"], st.session_state[f"{key}_seed"]
    table = _drawn(probs, corpus, how_many, seed, lecture)
    st.dataframe(table, hide_index=True, width="stretch")
    known = int(table["in corpus"].sum())
    st.caption(f"{known} of {count(len(table), 'sampled name')} {'is' if known == 1 else 'are'} in the corpus"
               + ("." if known == len(table) else "; the rest are new.")
               + (f" Drawn the lecture's way: one generator seeded {seed} for all of them, one torch.multinomial "
                  "per character from the row of the one before, the table in float32 (the lecture's P is this "
                  "table at k = 1)." if lecture else ""))
    return how_many, seed


def _drawn_table(probs: torch.Tensor, corpus: Corpus, how_many: int, seed: int, lecture: bool) -> pd.DataFrame:
    """The names drawn, as the page shows them, each marked as a name of the corpus or a new one."""
    drawn = (bigram.sample_names if lecture else bigram.sample_each)(probs, corpus.itos, how_many, seed)
    table = bigram.mark_new(drawn, corpus)
    table["name"] = [visible(name) if name else "(ended at once)" for name in table["name"]]
    return table


# Shared read-only, once per table, corpus and seed: at most 50 names of at most 31 characters.
_drawn = cached_resource(_drawn_table, 64)
