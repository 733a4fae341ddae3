"""In place of a figure that would give the chapter's question away: what will appear there, and when
(ui.question.answered decides whether the figure itself is drawn)."""
from __future__ import annotations

import streamlit as st

from ui.frame import Page


def held_back(page: Page, what: str) -> None:
    """`what` (a sentence's subject and verb, e.g. "The chart of the products appears") is said to
    appear here once the question at the foot of the page is answered (`when_answered`)."""
    st.info(f"{what} here {when_answered(page)} ([Predict, then see](#predict)).", icon=":material/hourglass_top:")


def when_answered(page: Page) -> str:
    """When the answer comes out on this screen (ui/question.py): a reader's pick shows it; on the
    projector and on the phones that follow it, the presenter's reveal does."""
    if page.presenter or page.follows:
        return "once the answer to the question at the foot of the page is revealed"
    return "once you have picked an answer to the question at the foot of the page"
