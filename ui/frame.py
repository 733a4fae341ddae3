"""The frame every page shares: page set-up, navigation in story order, presenter mode,
controls that live in the URL, charts with a text alternative, and previous / next links.

A page is a script that does

    page = frame.start(__file__)
    ...widgets, figures, page.chart(...)...
    page.finish()
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import streamlit as st

from core import story
from core.charts.style import height
from core.params import DataError, format_observations, parse_choice, parse_flag, parse_number, parse_observations
from core.text import normalised, shortened
from ui.chart_spec import vega_lite
from ui.text import say

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PRESENTER = "presenter_on"       # survives page changes (not a widget key)
_PRESENTER_TOGGLE = "presenter_toggle"

# Our own fixed CSS (never user text): larger type and wider content for a projector.
_PRESENTER_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; }
.katex { font-size: 1.6em; }
h1 { font-size: 3.2rem !important; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea { font-size: 1.3rem !important; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 2rem 3rem 3rem 3rem; }
[data-testid="stCaptionContainer"] { font-size: 1.1rem; }
</style>
"""


def _chapter_of(script_file: str) -> story.Chapter:
    rel = os.path.relpath(os.path.abspath(script_file), _ROOT).replace(os.sep, "/")
    return next(c for c in story.STORY if c.path == rel)


def _presenter_from_state() -> bool:
    """Presenter mode: a URL parameter switches it on or off; otherwise it carries over between pages."""
    raw = st.query_params.get("present")
    if raw is not None:
        st.session_state[_PRESENTER] = parse_flag(raw)
    return bool(st.session_state.get(_PRESENTER, False))


def _on_presenter_toggle() -> None:
    on = st.session_state[_PRESENTER_TOGGLE]
    st.session_state[_PRESENTER] = on
    # The URL must agree, or its old `present` would switch the mode straight back.
    st.query_params["present"] = "1" if on else "0"


@dataclass
class Page:
    chapter: story.Chapter
    presenter: bool
    _url_keys: list[str] = field(default_factory=list)
    _notices: list[str] = field(default_factory=list)
    _linked: dict[str, str] = field(default_factory=dict)  # key -> the link's text, for values taken from it
    _tables: dict[str, int] = field(default_factory=dict)

    # --- words -----------------------------------------------------------------
    def explain(self, markdown: str) -> None:
        """A longer explanation: shown to readers, hidden in presenter mode (the speaker says it)."""
        if not self.presenter:
            st.markdown(markdown)

    # --- charts ----------------------------------------------------------------
    @property
    def chart_height(self) -> int:
        return height(self.presenter)

    def chart(self, chart: alt.TopLevelMixin, summary: str, table: pd.DataFrame | None = None,
              key: str | None = None) -> None:
        """Draw a chart, then say its key figures in words and, on request, as a table.
        The summary is also the chart's accessible name for screen readers."""
        st.vega_lite_chart(vega_lite(chart, self.presenter), width="stretch", key=key, alt=summary)
        st.caption(summary)
        if table is not None:
            # Built only while open: the chart's spec is made once (ui.chart_spec), but a table
            # is converted and sent again on every rerun, and most visitors never open it.
            with st.expander("The chart's numbers as a table", key=self._table_key(table),
                             on_change="rerun") as shelf:
                if shelf.open:
                    st.dataframe(table, hide_index=True, width="stretch")

    def _table_key(self, table: pd.DataFrame) -> str:
        """A key for a table's expander that stays with its chart when other charts come and go:
        named by the table's columns, numbered among tables with the same columns."""
        name = "table: " + " | ".join(map(str, table.columns))
        self._tables[name] = self._tables.get(name, -1) + 1
        return f"{name} #{self._tables[name]}"

    # --- controls kept in the URL ----------------------------------------------
    def url_number(self, key: str, default: float, lo: float, hi: float, *, integer: bool = False) -> None:
        """Give the widget `key` its first value from the URL (bounded) and keep it in the URL."""
        self._url_keys.append(key)
        if key not in st.session_state:
            raw = st.query_params.get(key)
            parsed = parse_number(raw, default, lo, hi, integer=integer, name=key)
            self._note(parsed.notice)
            if raw and parsed.notice is None:
                self._linked[key] = normalised(raw).strip()
            st.session_state[key] = parsed.value

    def keep_within(self, key: str, lo: float, hi: float) -> None:
        """Pull a control's value into [lo, hi] when its range moved (new data) since it was set.
        A value the link gave on this visit is not moved silently: the page says so."""
        value = st.session_state[key]
        kept = min(max(value, lo), hi)
        if kept != value and key in self._linked:
            self._note(f"'{key}={shortened(self._linked[key])}' is outside {lo:.4g} to {hi:.4g}, the range "
                       f"for these data; using {kept:.4g}.")
        st.session_state[key] = kept

    def url_choice(self, key: str, default: str, choices) -> None:
        self._url_keys.append(key)
        if key not in st.session_state:
            parsed = parse_choice(st.query_params.get(key), default, list(choices), name=key)
            self._note(parsed.notice)
            st.session_state[key] = parsed.value

    def url_data(self, key: str, default: tuple[float, ...]) -> None:
        """Observations typed as text; a bad URL value falls back to the default with a notice."""
        self._url_keys.append(key)
        if key not in st.session_state:
            raw = st.query_params.get(key)
            text = format_observations(default)
            if raw:
                try:
                    text = format_observations(parse_observations(raw))
                except DataError as err:
                    self._note(f"'{key}={shortened(raw)}' could not be used: {err} Using the article's data.")
            st.session_state[key] = text

    def _note(self, notice: str | None) -> None:
        """A notice about a value in the link: plain text, drawn literally (it quotes the link)."""
        if notice:
            self._notices.append(notice)
            say("warning", notice, icon=":material/link:")

    # --- the foot of the page ---------------------------------------------------
    def finish(self) -> None:
        """Previous / next links in story order, and the URL brought up to date with the controls."""
        before, after = story.neighbours(self.chapter.path)
        st.divider()
        left, _, right = st.columns([2, 1, 2])
        if before is not None:
            left.page_link(before.path, label=f"← {before.title}", icon=None, width="stretch")
        if after is not None:
            right.page_link(after.path, label=f"{after.title} →", icon=None, width="stretch")
        params = {k: _url_text(st.session_state[k]) for k in self._url_keys if k in st.session_state}
        if self.presenter:
            params["present"] = "1"
        if dict(st.query_params) != params:
            st.query_params.from_dict(params)


def _url_text(value) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else repr(value)
    return str(value)


def start(script_file: str, lead: str = "") -> Page:
    """Set up the page for the script at `script_file` and draw the shared frame around it."""
    chapter = _chapter_of(script_file)
    presenter = _presenter_from_state()
    st.set_page_config(
        page_title=f"{chapter.title} · Likelihood, step by step",
        page_icon=chapter.favicon,
        layout="wide",
        initial_sidebar_state="collapsed" if presenter else "auto",
    )
    with st.sidebar:
        st.markdown("### Likelihood, step by step")
        for c in story.STORY:
            st.page_link(c.path, label=c.title, icon=c.icon)
        st.divider()
        st.session_state[_PRESENTER_TOGGLE] = presenter
        st.toggle("Presenter mode", key=_PRESENTER_TOGGLE, on_change=_on_presenter_toggle,
                  help="Larger text and charts for a projector; long explanations hidden. "
                       "Add ?present=1 to a link to open it this way.")
    if presenter:
        st.markdown(_PRESENTER_CSS, unsafe_allow_html=True)
    st.title(chapter.title.split("· ")[-1])
    if lead:
        st.markdown(f"**{lead}**")
    return Page(chapter, presenter)
