"""In place of a figure that would give the chapter's question away: what will appear there, and when
(ui.question.answered decides whether the figure itself is drawn)."""
from __future__ import annotations

import streamlit as st

from ui.frame import Page


def held_back(page: Page, what: str) -> None:
    """`what` (a sentence's subject and verb, e.g. "The chart of the products appears") is said to
    appear here once the question at the foot of the page is answered: picked, or revealed."""
    when = ("once the answer to the question at the foot of the page is revealed" if page.presenter else
            "once you have picked an answer to the question at the foot of the page")
    st.info(f"{what} here {when} ([Predict, then see](#predict)).", icon=":material/hourglass_top:")
