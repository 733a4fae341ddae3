"""The name box of the bigram page: a typed name scored by a bigram table, bigram by bigram.

A name that cannot be scored (a character outside the vocabulary, too long, empty) says why and
the box keeps showing the last good name. A new corpus (an upload) may lack the letters of the
name in the box: the box then starts from the corpus's first name.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from core import bigram
from core.corpus import Corpus
from core.formatting import figure, sig
from core.text import visible
from ui.cached_builders import cached_resource
from ui.text import literal, say

_NAME = "score_name"              # the text box (kept when a visitor returns to the page)
_LAST_GOOD = "score_last_good"    # the last name that could be scored
_CORPUS = "score_corpus"          # fingerprint of the corpus the name was last fitted to
_FIRST_NAME = "andrej"


@st.fragment
def score_box(P: torch.Tensor, N: torch.Tensor, corpus: Corpus) -> None:
    """The box, the score of its name under P, and a warning on pairs the counts N never saw.
    A fragment: typing a name reruns the box alone, not the bigram page around it."""
    st.markdown("#### Score a name")
    _fit_name_to(corpus)
    st.text_input("a name (lower case; only characters of the vocabulary)", key=_NAME, persist_state="session")
    kept, shown, hint = _scored(st.session_state[_NAME], st.session_state.get(_LAST_GOOD, ""), P, N, corpus)
    if kept.problem is None:
        st.session_state[_LAST_GOOD] = st.session_state[_NAME]
    elif kept.score is not None:
        say("error", f"{kept.problem} Showing “{st.session_state[_LAST_GOOD]}” instead.", icon=":material/error:")
    else:
        say("error", kept.problem, icon=":material/error:")
    score = kept.score
    if score is None:
        return
    st.metric(f"average NLL of “{literal(score.name)}”", figure(score.nll))
    st.dataframe(shown, hide_index=True, width="stretch")
    if score.impossible:
        pairs = ", ".join(f"“{b}”" for b in score.impossible)
        say("warning", f"The pair {pairs} never occurs in the corpus, so with k = 0 its probability is 0 and "
                       "−log 0 = ∞: one impossible pair makes the whole name impossible, and its loss infinite. "
                       "Move k above 0 and every pair keeps a little probability.", icon=":material/all_inclusive:")
    elif hint is not None:
        say("caption", f"Try “{hint[0]}” with k = 0: no name in the corpus has “{hint[1]}”.")


def _score_shown(typed: str, last_good: str, P: torch.Tensor, N: torch.Tensor, corpus: Corpus
                 ) -> tuple[bigram.KeptScore, pd.DataFrame | None, tuple[str, str] | None]:
    """The box's score (bigram.score_or_last_good), its table as the page shows it, and a longer
    name the counts call impossible (bigram.unseen_extension)."""
    kept = bigram.score_or_last_good(typed, last_good, P, corpus.stoi)
    if kept.score is None:
        return kept, None, None
    return kept, shown_table(kept.score.table), bigram.unseen_extension(kept.score.name, N, corpus.itos)


# Shared read-only, once per name, table and corpus: a name's rows are at most 51 (a few kB).
# Scoring and formatting it again was a twelfth of the bigram page's open (py-spy, 80 opens).
_scored = cached_resource(_score_shown, 256)


def shown_table(table: pd.DataFrame) -> pd.DataFrame:
    """The name's bigrams with their numbers written as the page writes numbers: four decimals,
    never −0 (a pair of probability 1 costs 0), ∞ for a pair of probability 0, and a probability
    too small for four decimals with its power of ten rather than as 0.0000; a pair with an
    invisible character (an uploaded corpus's) shows it as its code point."""
    return pd.DataFrame({"bigram": [visible(b) for b in table["bigram"]],
                         "p": [figure(p) if p == 0 or p >= 5e-5 else sig(p, 2) for p in table["p"]],
                         "log p": [figure(x) for x in table["log p"]],
                         "-log p": [figure(x) for x in table["-log p"]]})


def _fit_name_to(corpus: Corpus) -> None:
    if _NAME not in st.session_state:
        st.session_state[_NAME] = _FIRST_NAME
    if st.session_state.get(_CORPUS) != corpus.fingerprint:
        st.session_state[_CORPUS] = corpus.fingerprint
        if not bigram.fits_alphabet(st.session_state[_NAME], corpus.itos):
            st.session_state[_NAME] = st.session_state[_LAST_GOOD] = corpus.examples[0]
