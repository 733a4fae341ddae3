"""In place of a figure that waits for the chapter's answer (ui.question.answered): what will appear, and when."""
from __future__ import annotations

import streamlit as st

from ui.frame import Page


def held_back(page: Page, what: str) -> None:
    """`what` (a sentence's start, "Both likelihoods appear") finished with when it will: after the
    reader's pick, or in presenter mode after the reveal. A bordered note, not an alert: the pages'
    alerts are about their data."""
    when = "once the answer is revealed below" if page.presenter else "once you pick an answer below"
    with st.container(border=True):
        st.markdown(f":material/how_to_vote: {what} {when}.")
