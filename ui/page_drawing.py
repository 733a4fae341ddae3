"""What a chapter draws through its page (`page = frame.page()`): explanations, formulas, charts
with their words and table, and expanders that stay as the visitor left them. The frame's Page
takes these from `Drawing`; they read the page's mode (`presenter`, `follows`) and its counters."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core.charts.style import height
from ui import formula
from ui.chart_spec import CachedChart, spec_of
from ui.text import say

_OPEN = "frame_open"              # {expander key: open?}: an expander has no persist_state of its own


class Drawing:
    presenter: bool
    follows: bool
    _keys: dict[str, int]         # kind -> how many keyed containers so far
    _tables: dict[str, int]       # a table's columns -> how many tables with them so far

    def _numbered(self, kind: str) -> str:
        """A container key unique on this page: kind-0, kind-1, ... in drawing order."""
        self._keys[kind] = self._keys.get(kind, -1) + 1
        return f"{kind}-{self._keys[kind]}"

    def explain(self, markdown: str) -> None:
        """A longer explanation: shown to readers, hidden in presenter mode (the speaker says it) and
        on a phone that follows the presenter (as on the projector; stepping out shows it)."""
        if not (self.presenter or self.follows):
            st.markdown(markdown)

    def formula(self, latex: str) -> None:
        """A display formula that fits every screen: one line of inline math per row (and per
        \\qquad-separated clause), centred. Display math never wraps; inline math breaks after
        =, + and × where a phone's line is too short."""
        # One element: each element costs every visitor who is sent it (benchmarks/elements.py).
        st.markdown("\n\n".join(f"$\\displaystyle {line}$" for line in formula.lines(latex)),
                    text_alignment="center")

    def first_on_phone(self):
        """A container for the figure a page is about: where a phone stacks the columns, the
        column that holds it comes first, above the controls that move it (ui/layout.py)."""
        return st.container(key=self._numbered("first"))

    @property
    def chart_height(self) -> int:
        return height(self.presenter)

    def chart(self, chart: CachedChart | alt.TopLevelMixin, summary: str, table: pd.DataFrame | None = None,
              key: str | None = None) -> None:
        """Draw a chart, then say its key figures in words and, on request, as a table.
        The summary is also the chart's accessible name for screen readers."""
        st.vega_lite_chart(spec_of(chart, self.presenter), width="stretch", key=key, alt=summary)
        say("caption", summary)   # literally: a summary may quote an uploaded symbol
        if table is not None:
            # Built only while open: a table is converted and sent again on every rerun, and most
            # visitors never open it.
            with self.expander("The chart's numbers as a table", self._table_key(table)) as shelf:
                if shelf.open:
                    st.dataframe(table, hide_index=True, width="stretch")

    def expander(self, label: str, key: str):
        """An expander that stays as the visitor left it, open or closed, across page changes;
        its `open` says whether to draw what is costly inside."""
        if key not in st.session_state:
            st.session_state[key] = st.session_state.get(_OPEN, {}).get(key, False)
        shelf = st.expander(label, key=key, on_change="rerun")
        st.session_state.setdefault(_OPEN, {})[key] = shelf.open
        return shelf

    def _table_key(self, table: pd.DataFrame) -> str:
        """A key for a table's expander that stays with its chart when other charts come and go:
        named by the table's columns, numbered among tables with the same columns."""
        name = "table: " + " | ".join(map(str, table.columns))
        self._tables[name] = self._tables.get(name, -1) + 1
        return f"{name} #{self._tables[name]}"
