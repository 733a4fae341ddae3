"""The observations box shared by the likelihood pages: typed, checked, kept in the URL.

The data itself lives in st.session_state["x"] as text of the last *good* values, so it
carries over between pages and into shared links; the box the user types in is separate,
so a typo never replaces good data. On arriving at a page the box shows the data in use.
The random sample's number boxes (Page.number_input) stay as they were left, and say what they
did with a value out of range.
"""
from __future__ import annotations

import streamlit as st

from core import formatting
from core.normal import ARTICLE_DATA, random_sample
from core.parsing import DataError, format_observations, parse_observations
from core.text import shortened
from ui.frame import Page
from ui.text import say

DATA_KEY = "x"
_BOX = "x_text"


def _use(values: tuple[float, ...]) -> None:
    st.session_state[DATA_KEY] = st.session_state[_BOX] = format_observations(values)


def _draw_sample() -> None:
    _use(random_sample(st.session_state.sample_n, st.session_state.sample_mu,
                       st.session_state.sample_sigma, st.session_state.sample_seed))


def linked_data(page: Page) -> None:
    """Take the observations from the link (once), with its notice drawn here: a page that puts
    the box out of sight (in a closed expander) calls this first, where the notice shows."""
    if page.url_data(DATA_KEY, ARTICLE_DATA):
        st.session_state.pop(_BOX, None)  # the box shows the data the link gave


def observations(page: Page, editable: bool = True) -> tuple[float, ...]:
    """Draw the data controls and return the last good observations."""
    linked_data(page)
    if _BOX not in st.session_state or page.arrived:
        st.session_state[_BOX] = st.session_state[DATA_KEY]
    if editable:
        # The rule in brief (core/parsing.py): a comma between two digits (48,8 or 1,000) is refused,
        # and its error says how to write the number.
        st.text_area("Observations x (numbers separated by spaces, commas or new lines; a point for decimals)",
                     key=_BOX, height=90)
        # Short labels that wrap rather than end in "…" when the presenter's font outgrows the narrow
        # column; the tooltip says what the draw replaces.
        with st.popover("Random sample", help="Replace the observations with a random sample from a normal.",
                        wrap=True):
            page.number_input("how many", "sample_n", lo=1, hi=1000, default=20, integer=True)
            page.number_input("mean of the source", "sample_mu", lo=-1e6, hi=1e6, default=50.0)
            page.number_input("σ of the source", "sample_sigma", lo=0.01, hi=1e6, default=5.0)
            page.number_input("seed", "sample_seed", lo=0, hi=2**31 - 1, default=0, integer=True)
            st.button("Draw", on_click=_draw_sample, key="sample_draw")
        st.button("Back to the article's five points", key="article_data", on_click=_use, args=(ARTICLE_DATA,),
                  wrap=True)
        try:
            st.session_state[DATA_KEY] = format_observations(parse_observations(st.session_state[_BOX]))
        except DataError as err:
            kept = st.session_state[DATA_KEY]
            quoted = shortened(kept)   # all 1,000 values would be a message of thousands of characters
            if quoted != kept:
                quoted += f" ({formatting.count(len(parse_observations(kept)), 'observation')} in all)"
            say("error", f"{err} Still using the last good data: {quoted}", icon=":material/error:")
    return parse_observations(st.session_state[DATA_KEY])
