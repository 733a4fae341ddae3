"""The frame every page shares: page set-up, navigation in story order, presenter mode,
controls that live in the URL and stay as they were left, charts with a text alternative, and
previous / next links.

A page is a script that does

    page = frame.start(__file__)
    page.url_number("mu", 50.0, 0.0, 100.0)     # before the widget: value from the link or as left
    st.slider("mean μ", 0.0, 100.0, key="mu")
    ...widgets, figures, page.chart(...)...
    page.finish()

Every control a page registers (url_number, url_data, keep) comes back as the visitor
left it after a visit to another page (ui/kept.py), and the links to a page (sidebar, previous /
next, the home page's list) carry its parameters. On arrival, a link's value that differs from
the one kept wins: the link is what the visitor asked for.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import streamlit as st

from core import story
from core.charts.style import height
from core.parsing import DataError, format_observations, parse_flag, parse_number, parse_observations
from core.text import normalised, shortened
from ui import formula, kept, presenter as presenting
from ui.chart_spec import CachedChart, spec_of
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
""" + presenting.CSS + """
</style>
"""
# Our own fixed CSS for every page: what changes at a phone's width. Streamlit stacks columns below
# 641 px; there a keyed container "wide-…" gives way to its "narrow-…" twin (a formula in lines
# that wrap, a heatmap without text in its cells), and a column holding a "first-…" container (the
# figure the page is about) moves above its neighbours (the controls that move it); code wraps.
# The twin not shown is hidden with the wrapper Streamlit puts around a keyed container.
PHONE_WIDTH = 640
# Out of the flow (no gap), unseen and unread, yet laid out: a chart drawn there is ready when the
# window crosses the width, and Streamlit draws it (it draws nothing into display: none).
_HIDDEN = "position: absolute !important; visibility: hidden; height: 0; overflow: hidden; width: 100%;"
_LAYOUT_CSS = f"""
<style>
@media (max-width: {PHONE_WIDTH}px) {{
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-wide-"]) {{ {_HIDDEN} }}
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-wide-"]) * {{ visibility: hidden !important; }}
  [data-testid="stColumn"]:has([class*="st-key-first-"]) {{ order: -1; }}
  /* A code listing wraps its long lines rather than cut them at the edge. */
  [data-testid="stCode"] pre, [data-testid="stCode"] code {{ white-space: pre-wrap !important; overflow-wrap: anywhere; }}
}}
@media (min-width: {PHONE_WIDTH + 1}px) {{
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-narrow-"]) {{ {_HIDDEN} }}
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-narrow-"]) * {{ visibility: hidden !important; }}
}}
[class*="st-key-narrow-formula-"] p {{ text-align: center; margin-bottom: 0.8rem; }}
/* The markdown element that carries this style (and the presenter's) takes no room. */
[data-testid="stElementContainer"]:has(style) {{ display: none; }}
</style>
"""
_NUMBER_NOTICES = "frame_number_notices"  # {key: what happened to a typed value out of range}


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
    arrived: bool = True          # first run on this page since another page (or of the session)
    _share: object = None         # presenter mode: the "Follow on your phone" box, filled by finish()
    _url_keys: list[str] = field(default_factory=list)
    _kept_keys: list[str] = field(default_factory=list)
    _ranges: dict[str, tuple] = field(default_factory=dict)  # key -> (lo, hi, integer) of url_number
    _notices: list[str] = field(default_factory=list)
    _linked: dict[str, str] = field(default_factory=dict)  # key -> the link's text, for values taken from it
    _tables: dict[str, int] = field(default_factory=dict)
    _keys: dict[str, int] = field(default_factory=dict)  # kind -> how many keyed containers so far

    def _numbered(self, kind: str) -> str:
        """A container key unique on this page: kind-0, kind-1, ... in drawing order."""
        self._keys[kind] = self._keys.get(kind, -1) + 1
        return f"{kind}-{self._keys[kind]}"

    # --- words -----------------------------------------------------------------
    def explain(self, markdown: str) -> None:
        """A longer explanation: shown to readers, hidden in presenter mode (the speaker says it)."""
        if not self.presenter:
            st.markdown(markdown)

    # --- formulas and layout that fit a phone ------------------------------------------
    def formula(self, latex: str) -> None:
        """A display formula (st.latex) that fits every screen. Display math never wraps, so on a
        phone the same formula is drawn as one line per row (and per \\qquad-separated clause) of
        inline math, which breaks after =, +, × where a line is too long; the wide form is kept
        for desktops and projectors, where its rows line up."""
        key = self._numbered("formula")
        with st.container(key=f"wide-{key}"):
            st.latex(latex)
        with st.container(key=f"narrow-{key}"):
            st.markdown("\n\n".join(f"$\\displaystyle {line}$" for line in formula.lines(latex)))

    def first_on_phone(self):
        """A container for the figure a page is about: where a phone stacks the columns, the
        column that holds it comes first, above the controls that move it."""
        return st.container(key=self._numbered("first"))

    # --- charts ----------------------------------------------------------------
    @property
    def chart_height(self) -> int:
        return height(self.presenter)

    def chart(self, chart: CachedChart | alt.TopLevelMixin, summary: str, table: pd.DataFrame | None = None,
              key: str | None = None, phone: CachedChart | alt.TopLevelMixin | None = None) -> None:
        """Draw a chart, then say its key figures in words and, on request, as a table.
        The summary is also the chart's accessible name for screen readers. `phone`: the same
        figure in a form that reads at a phone's width, drawn there instead of `chart`."""
        if phone is None:
            st.vega_lite_chart(spec_of(chart, self.presenter), width="stretch", key=key, alt=summary)
        else:
            name = self._numbered("chart")
            with st.container(key=f"wide-{name}"):
                st.vega_lite_chart(spec_of(chart, self.presenter), width="stretch", key=key, alt=summary)
            with st.container(key=f"narrow-{name}"):
                st.vega_lite_chart(spec_of(phone, self.presenter), width="stretch", alt=summary)
        st.caption(summary)
        if table is not None:
            # Built only while open: the chart's spec is made once (ui.chart_spec), but a table
            # is converted and sent again on every rerun, and most visitors never open it.
            key = self._table_key(table)
            self.keep(key)  # an open table stays open after a visit to another page
            with st.expander("The chart's numbers as a table", key=key, on_change="rerun") as shelf:
                if shelf.open:
                    st.dataframe(table, hide_index=True, width="stretch")

    def _table_key(self, table: pd.DataFrame) -> str:
        """A key for a table's expander that stays with its chart when other charts come and go:
        named by the table's columns, numbered among tables with the same columns."""
        name = "table: " + " | ".join(map(str, table.columns))
        self._tables[name] = self._tables.get(name, -1) + 1
        return f"{name} #{self._tables[name]}"

    # --- controls kept in the URL and across pages -----------------------------------
    @property
    def _kept(self) -> dict:
        return kept.record(self.chapter.path)["values"]

    def _url_key(self, key: str) -> None:
        self._url_keys.append(key)
        order = kept.record(self.chapter.path)["url"]
        if key not in order:
            order.append(key)

    def _origin(self, key: str, shared: bool = False) -> str:
        """Where a control's value comes from on this run: "session" (it stands), "kept" (as the
        visitor left this page), "url" (the link) or "default"."""
        here = key in st.session_state
        if here and not self.arrived:
            return "session"
        raw = st.query_params.get(key)
        if shared:
            before = st.session_state[key] if here else None
        else:
            before = self._kept.get(key)
            here = key in self._kept
        if self.arrived and raw is not None and not (here and raw == kept.url_text(before)):
            return "url"      # a link that asks for something else than what was left
        if here:
            return "session" if shared else "kept"
        return "url" if raw is not None else "default"

    def _remember(self, key: str) -> None:
        if key in st.session_state:
            self._kept[key] = st.session_state[key]

    def url_number(self, key: str, default: float, lo: float, hi: float, *, integer: bool = False) -> None:
        """Give the widget `key` its value (from the link, as left, or the default, bounded) and keep it in the URL."""
        self._url_key(key)
        self._ranges[key] = (lo, hi, integer)
        origin = self._origin(key)
        if origin == "kept":
            st.session_state[key] = self._kept[key]
        elif origin != "session":
            raw = st.query_params.get(key) if origin == "url" else None
            parsed = parse_number(raw, default, lo, hi, integer=integer, name=key)
            self._note(parsed.notice)
            if raw and parsed.notice is None:
                self._linked[key] = normalised(raw).strip()
            st.session_state[key] = parsed.value
        self._remember(key)

    def keep_within(self, key: str, lo: float, hi: float) -> None:
        """Pull a control's value into [lo, hi] when its range moved (new data) since it was set.
        A value the link gave on this visit is not moved silently: the page says so."""
        value = st.session_state[key]
        kept_value = min(max(value, lo), hi)
        if kept_value != value and key in self._linked:
            self._note(f"'{key}={shortened(self._linked[key])}' is outside {lo:.4g} to {hi:.4g}, the range "
                       f"for these data; using {kept_value:.4g}.")
        st.session_state[key] = kept_value
        self._remember(key)

    def url_data(self, key: str, default: tuple[float, ...]) -> bool:
        """Observations typed as text, shared by every page that shows them; a bad URL value falls
        back to the default with a notice. True when this call set them (from the link or the default)."""
        if key in self._url_keys:
            return False      # taken already on this run (a page may ask early, for its notice)
        self._url_key(key)
        kept.shared().add(key)
        origin = self._origin(key, shared=True)
        if origin == "session":
            return False
        raw = st.query_params.get(key) if origin == "url" else None
        text = format_observations(default)
        if raw:
            try:
                text = format_observations(parse_observations(raw))
            except DataError as err:
                self._note(f"'{key}={shortened(raw)}' could not be used: {err} Using the article's data.")
        st.session_state[key] = text
        return True

    def keep(self, *keys: str) -> None:
        """Bring these controls back as the visitor left them on this page (widgets that are not in
        the URL: a typed name, a sample's seed, an open table). Call before drawing them; never
        with a button's key (Streamlit does not let a button's value be set)."""
        for key in keys:
            self._kept_keys.append(key)
            if key in self._kept and (self.arrived or key not in st.session_state):
                st.session_state[key] = self._kept[key]

    # --- a number box that says what it did with a value out of range ----------------
    def number_input(self, label: str, key: str, *, where=None, lo: float | None = None, hi: float | None = None,
                     default: float | None = None, step: float | None = None, integer: bool | None = None,
                     **widget) -> None:
        """A number box for `key` whose range is checked here, not in the browser.

        Streamlit's own box, given a min and max, keeps showing a typed value out of range with a
        red icon while the page goes on with the old value. This one takes any number; a value out
        of range is moved to the nearest end, the box shows the value in use, and a notice under it
        says what happened. The range is the url_number's (or lo / hi, with `default`, for a
        control that is not in the URL, kept with keep()). `where`: a column or container."""
        if key in self._ranges:
            lo, hi, integer = self._ranges[key]
        else:
            integer = bool(integer)
            self.keep(key)
            if key not in st.session_state:
                st.session_state[key] = default
        step = (int(step) if integer else float(step)) if step is not None else (1 if integer else 0.01)
        box = where if where is not None else st
        box.number_input(label, step=step, key=key, on_change=_bounded, args=(key, label, lo, hi, integer), **widget)
        notice = st.session_state.get(_NUMBER_NOTICES, {}).pop(key, None)
        if notice:
            with box.container():
                say("warning", notice, icon=":material/straighten:")

    def _note(self, notice: str | None) -> None:
        """A notice about a value in the link: plain text, drawn literally (it quotes the link)."""
        if notice:
            self._notices.append(notice)
            say("warning", notice, icon=":material/link:")

    # --- the foot of the page ---------------------------------------------------
    def url_params(self) -> dict[str, str]:
        """The page's parameters as the URL writes them, in the page's order (no `present`)."""
        return {k: kept.url_text(st.session_state[k]) for k in self._url_keys if k in st.session_state}

    def finish(self) -> None:
        """Previous / next links in story order, the URL brought up to date with the controls, the
        controls kept for a return to this page, and in presenter mode the keys' hint and the code."""
        kept.save(self.chapter.path, self._url_keys + self._kept_keys)
        before, after = story.neighbours(self.chapter.path)
        st.divider()
        left, _, right = st.columns([2, 1, 2])
        if before is not None:
            left.page_link(before.path, label=f"← {before.title}", icon=None, width="stretch",
                           query_params=kept.link_params(before.path, self.presenter))
        if after is not None:
            right.page_link(after.path, label=f"{after.title} →", icon=None, width="stretch",
                            query_params=kept.link_params(after.path, self.presenter))
        shown = self.url_params()
        params = {**shown, "present": "1"} if self.presenter else shown
        if dict(st.query_params) != params:
            st.query_params.from_dict(params)
        if self.presenter:
            presenting.hint(self.chapter)
            presenting.draw_share(self._share, shown)


def _bounded(key: str, label: str, lo: float, hi: float, integer: bool) -> None:
    """A number box's change: a value out of [lo, hi] is moved to the nearest end, with a notice."""
    value = st.session_state[key]
    if value is None or lo <= value <= hi:
        return
    used = lo if value < lo else hi
    used = int(used) if integer else float(used)
    st.session_state[key] = used
    side = "below" if value < lo else "above"
    st.session_state.setdefault(_NUMBER_NOTICES, {})[key] = (
        f"“{label}” takes values from {_number(lo)} to {_number(hi)}. {_number(value)} is {side} that, "
        f"so the page uses {_number(used)}.")


def _number(value) -> str:
    """A number as typed: no exponent below 10¹⁶, no thousands separators."""
    return str(value) if isinstance(value, int) else f"{value:.10g}"


def start(script_file: str, lead: str = "") -> Page:
    """Set up the page for the script at `script_file` and draw the shared frame around it."""
    chapter = _chapter_of(script_file)
    presenter = _presenter_from_state()
    presenting.follow_key()                 # a clicker's key pressed on the last run: go there now
    arrived = kept.arrive(chapter.path)     # saves the page left behind, if any
    st.set_page_config(
        page_title=f"{chapter.title} · Likelihood, step by step",
        page_icon=chapter.favicon,
        layout="wide",
        initial_sidebar_state="collapsed" if presenter else "auto",
    )
    with st.sidebar:
        st.markdown("### Likelihood, step by step")
        for c in story.STORY:
            st.page_link(c.path, label=c.title, icon=c.icon, query_params=link_params(c))
        st.divider()
        st.session_state[_PRESENTER_TOGGLE] = presenter
        st.toggle("Presenter mode", key=_PRESENTER_TOGGLE, on_change=_on_presenter_toggle,
                  help="Larger text and charts for a projector; long explanations hidden. "
                       "Add ?present=1 to a link to open it this way.")
    # As markdown, drawn with the first elements: st.html loads later, and a phone would first
    # see the wide formulas.
    st.markdown(_LAYOUT_CSS, unsafe_allow_html=True)
    if presenter:
        st.markdown(_PRESENTER_CSS, unsafe_allow_html=True)
    st.title(chapter.title.split("· ")[-1])
    if lead:
        st.markdown(f"**{lead}**")
    share = None
    if presenter:
        presenting.keys(chapter)
        share = presenting.share_box()
    return Page(chapter, presenter, arrived, share)


def link_params(chapter: story.Chapter) -> dict[str, str]:
    """The query of a link to `chapter`: its controls as the visitor left them (and presenter mode)."""
    return kept.link_params(chapter.path, bool(st.session_state.get(_PRESENTER, False)))
