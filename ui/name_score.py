"""The name box of the bigram page: a typed name scored by a bigram table, bigram by bigram.

A name that cannot be scored (a character outside the vocabulary, too long, empty) says why and
the box keeps showing the last good name. A new corpus (an upload) may lack the letters of the
name in the box: the box then starts from the corpus's first name.
"""
from __future__ import annotations

import streamlit as st
import torch

from core import bigram
from core.corpus import Corpus
from core.formatting import figure
from ui import cached_builders as charts
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
    kept, shown, hint = charts.name_box(st.session_state[_NAME], st.session_state.get(_LAST_GOOD, ""), P, N, corpus)
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


def _fit_name_to(corpus: Corpus) -> None:
    if _NAME not in st.session_state:
        st.session_state[_NAME] = _FIRST_NAME
    if st.session_state.get(_CORPUS) != corpus.fingerprint:
        st.session_state[_CORPUS] = corpus.fingerprint
        if not bigram.fits_alphabet(st.session_state[_NAME], corpus.itos):
            st.session_state[_NAME] = st.session_state[_LAST_GOOD] = corpus.examples[0]
