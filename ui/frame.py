"""The frame around every chapter, on Streamlit's own navigation and widget state.

app.py routes every run through `route()`: it lists the story's pages with `st.navigation`,
opens the frame (tab title and icon, the sidebar in story order, presenter mode, the title and
lead), runs the chapter the URL asks for, and closes the frame (previous / next links, the
clicker's keys, the QR code):

    current = navigation()
    page = open(current)
    current.run()               # the chapter: page = frame.page(); widgets, figures, its question
    page.close()

A chapter's controls live in the URL and survive a visit to another page because their
widgets say so (`bind="query-params"`, `persist_state="session"`): `page.slider` and
`page.number_input` draw them that way. What Streamlit does not do, the frame adds:
- a notice when a link's value is refused (not a number, out of range), and the default in use;
- a typed value out of range is moved to the nearest end, with a notice (Streamlit's own box
  would keep showing it while the page goes on with the old value);
- values that are not widgets (typed observations kept as the last good ones, page 7's
  "trained") written to the URL by hand (`url_value`, `url_data`);
- links in the sidebar and at the foot that carry each chapter's settings.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import streamlit as st

from core import story
from core.charts.style import height
from core.formatting import exact
from core.parsing import DataError, Parsed, format_observations, parse_flag, parse_number, parse_observations
from core.text import shortened
from core.turns import TURNS
from ui import formula, presenter as presenting, room
from ui.chart_spec import CachedChart, spec_of
from ui.text import say

_PAGE = "frame_page"              # the Page of this run, for the chapter's script (frame.page()); gone at its close
_LAST = "frame_last"              # the chapter of the previous run: another one means the visitor arrived
_PRESENTER = "presenter_on"       # survives page changes (not a widget key)
_PRESENTER_TOGGLE = "presenter_toggle"
_LINKED = "frame_linked"          # {chapter path: {url key: its default as a link writes it}}
_LATER = "frame_later"            # notices and corrected values carried over a rerun the frame asked for
_PAGES = "frame_pages"            # this session's st.Page objects, in story order
_OPEN = "frame_open"              # {expander key: open?}: an expander has no persist_state of its own
KEEP = "session"                  # persist_state of every control: it survives a visit to another page

# Our own fixed CSS (never user text): larger type and wider content for a projector.
_PRESENTER_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stMarkdownContainer"] th, [data-testid="stMarkdownContainer"] td { font-size: 1.35rem; }
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
# Our own fixed CSS for every page. Streamlit stacks columns below 641 px: there the column holding
# a "first-…" container (the figure the page is about) moves above its neighbours (the controls
# that move it), and code wraps.
PHONE_WIDTH = 640
_LAYOUT_CSS = f"""
<style>
@media (max-width: {PHONE_WIDTH}px) {{
  [data-testid="stColumn"]:has([class*="st-key-first-"]) {{ order: -1; }}
  [data-testid="stCode"] pre, [data-testid="stCode"] code {{ white-space: pre-wrap !important; overflow-wrap: anywhere; }}
}}
</style>
"""


@dataclass(frozen=True)
class Spec:
    """A control kept in the URL: its default and the values a link or a box may give it."""
    default: float
    lo: float
    hi: float
    integer: bool = False

    def parse(self, raw: str | None, name: str) -> Parsed:
        return parse_number(raw, self.default, self.lo, self.hi, integer=self.integer, name=name)


@dataclass
class Page:
    chapter: story.Chapter
    presenter: bool
    arrived: bool = True          # the first run on this page since another page (or of the session)
    follows: bool = False         # a phone following a room: it shows what the projector shows
    _share: object = None         # presenter mode: the "Follow on your phone" box, filled by close()
    _specs: dict[str, Spec] = field(default_factory=dict)
    _by_hand: list[str] = field(default_factory=list)   # URL keys that are not widgets
    _said: list[str] = field(default_factory=list)      # the notices about the link drawn on this run
    _unlinked: list[str] = field(default_factory=list)  # what of the view a link cannot carry
    _tables: dict[str, int] = field(default_factory=dict)
    _keys: dict[str, int] = field(default_factory=dict)  # kind -> how many keyed containers so far

    def _numbered(self, kind: str) -> str:
        """A container key unique on this page: kind-0, kind-1, ... in drawing order."""
        self._keys[kind] = self._keys.get(kind, -1) + 1
        return f"{kind}-{self._keys[kind]}"

    # --- words, formulas, layout ----------------------------------------------------------------
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

    def fragment(self, section: Callable, *args) -> None:
        """Draw `section(*args)` as an st.fragment: a control inside it reruns that section alone.
        Its keyed containers keep the names they have in a whole run, and what a whole run does at
        its end for the URL and a presenter's room is done at the section's end too."""
        _section(self, dict(self._keys), dict(self._tables), section, args)

    def first_on_phone(self):
        """A container for the figure a page is about: where a phone stacks the columns, the
        column that holds it comes first, above the controls that move it."""
        return st.container(key=self._numbered("first"))

    # --- charts ----------------------------------------------------------------
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

    # --- controls in the URL --------------------------------------------------------------------
    def url_number(self, key: str, default: float, lo: float, hi: float, *, integer: bool = False) -> None:
        """Declare a control kept in the URL: its default and the range a link or a box may give
        it. Draw it with `slider` or `number_input`."""
        self._specs[key] = Spec(default, lo, hi, integer)
        _linked_keys(self.chapter)[key] = _url_text(default)
        followed = room.followed(self.chapter)
        if followed is not None:   # a phone following the presenter: the presenter's value, or the default
            st.session_state[key] = self._specs[key].parse(followed.get(key), key).value
        elif self.arrived and key not in self._by_hand:
            # A value Streamlit cannot use is dropped from the URL; one out of range is put back
            # to the default (number_input): either way the page says so, here.
            self._note(self._specs[key].parse(st.query_params.get(key), key).notice)

    def url_value(self, key: str, default: float, lo: float, hi: float, *, integer: bool = False) -> None:
        """A value kept in the URL that is no widget (the page sets st.session_state[key] itself)."""
        self._by_hand.append(key)
        self.url_number(key, default, lo, hi, integer=integer)
        raw = st.query_params.get(key)
        if (self.arrived and raw is not None) or key not in st.session_state:
            parsed = self._specs[key].parse(raw, key)
            self._note(parsed.notice)
            st.session_state[key] = parsed.value

    def slider(self, label: str, key: str, *, lo: float | None = None, hi: float | None = None,
               where=None, **widget) -> None:
        """A slider over the declared range (or [lo, hi], a range of these data), in the URL."""
        spec = self._specs[key]
        lo, hi = spec.lo if lo is None else lo, spec.hi if hi is None else hi
        default = min(max(spec.default, lo), hi)
        raw = st.query_params.get(key)
        if self.arrived and spec.parse(raw, key).notice is None and raw is not None:
            # A link's value that fits the declared range but not this run's (the data's) range
            self._note(Spec(default, lo, hi, spec.integer).parse(raw, key).notice)
        self._put_back(key, lo, hi)
        (where or st).slider(label, lo, hi, default, key=key, bind="query-params", persist_state=KEEP, **widget)

    def number_input(self, label: str, key: str, *, where=None, lo: float | None = None, hi: float | None = None,
                     default: float | None = None, step: float | None = None, integer: bool | None = None,
                     **widget) -> None:
        """A number box whose range is checked here, not in the browser: any number may be typed,
        one out of range is moved to the nearest end, the box shows the value in use, and a notice
        under it says what happened. A declared control (url_number) is kept in the URL; otherwise
        give lo, hi and default, and it is kept for the session only."""
        in_url = key in self._specs
        spec = self._specs[key] if in_url else Spec(default, lo, hi, bool(integer))
        later = st.session_state.get(_LATER, {})
        if key in later.get("values", {}):
            st.session_state[key] = later["values"].pop(key)
        step = (int(step) if spec.integer else float(step)) if step is not None else (1 if spec.integer else 0.01)
        default_value = int(spec.default) if spec.integer else float(spec.default)
        box = where if where is not None else st
        box.number_input(label, value=default_value, step=step, key=key, on_change=_bounded, args=(key, label, spec),
                         bind="query-params" if in_url else None, persist_state=KEEP, **widget)
        value = st.session_state[key]
        if value is not None and not spec.lo <= value <= spec.hi:
            # Only a link gets here (a typed value was moved by _bounded): Streamlit's box has no
            # range of its own, so put the default in place before the box is drawn again.
            later = st.session_state.setdefault(_LATER, {})
            later.setdefault("values", {})[key] = default_value
            later["notices"] = self._said
            st.rerun()
        notice = later.get("typed", {}).pop(key, None)
        if notice:
            with box.container():
                say("warning", notice, icon=":material/straighten:")

    def url_data(self, key: str, default: tuple[float, ...]) -> bool:
        """Observations typed as text, kept in the URL as the last good ones (the box a visitor
        types in is another key, so a typo never reaches the link). A bad value in the link falls
        back to the default with a notice. True when this call set them (from the link or the default)."""
        if key in self._by_hand:
            return False      # taken already on this run (a page may ask early, for its notice)
        self._by_hand.append(key)
        _linked_keys(self.chapter)[key] = format_observations(default)
        raw = st.query_params.get(key)
        followed = room.followed(self.chapter)
        if followed is not None:
            raw = followed.get(key, format_observations(default))
        elif key in st.session_state and not (self.arrived and raw is not None and raw != st.session_state[key]):
            return False
        text = format_observations(default)
        if raw:
            try:
                text = format_observations(parse_observations(raw))
            except DataError as err:
                self._note(f"'{key}={shortened(raw)}' could not be used: {err} Using the article's data.")
        st.session_state[key] = text
        return True

    def not_in_link(self, what: str) -> None:
        """Part of the view that no link can carry (an uploaded file, a path of steps): the QR
        code's box says so."""
        self._unlinked.append(what)

    def _put_back(self, key: str, lo: float, hi: float) -> None:
        value = st.session_state.get(key)
        if value is not None and not lo <= value <= hi:
            st.session_state[key] = min(max(value, lo), hi)

    def _note(self, notice: str | None) -> None:
        """A notice about a value in the link: plain text, drawn literally (it quotes the link)."""
        if notice:
            self._said.append(notice)
            _say_link(notice)

    # --- the end of the run ---------------------------------------------------------------------
    def url_params(self) -> dict[str, str]:
        """The view's parameters as a link writes them (the QR code's), defaults left out."""
        defaults = _linked_keys(self.chapter)
        return {k: text for k, d in defaults.items()
                if k in st.session_state and (text := _url_text(st.session_state[k])) != d}

    def stop(self) -> None:
        """End the run here: the chapter has nothing more to show (the frame still closes)."""
        self.close()
        st.stop()

    def _sync(self) -> None:
        """The values that are no widgets written to the URL, and a presenter's room given the view."""
        for key in self._by_hand:
            text = _url_text(st.session_state[key])
            if text == _linked_keys(self.chapter)[key]:
                st.query_params.pop(key, None)
            elif st.query_params.get(key) != text:
                st.query_params[key] = text
        if self.presenter:
            room.publish(self.chapter, self.url_params())

    def close(self) -> None:
        """After the chapter: the URL and the room brought up to date (_sync), previous / next links
        in story order, and in presenter mode the keys and the code."""
        room.taken(self.chapter)
        self._sync()
        if self.presenter and st.query_params.get("present") != "1":
            st.query_params["present"] = "1"
        if (code := room.joined_code()) and st.query_params.get(room.PARAM) != code:
            st.query_params[room.PARAM] = code
        if self.follows:
            return      # the presenter turns the pages; stepping out brings the links back
        before, after = story.neighbours(self.chapter)
        st.divider()
        # One row (fewer elements than columns: benchmarks/elements.py): previous at the left, next at the right.
        with st.container(horizontal=True, horizontal_alignment="distribute" if before else "right"):
            if before is not None:
                link(before, f"← {before.title}")
            if after is not None:
                link(after, f"{after.title} →")
        if self.presenter:
            presenting.keys(self.chapter)
            presenting.hint(self.chapter)
            presenting.draw_share(self._share, self.url_params(), self._unlinked)


@st.fragment
def _section(page: Page, keys: dict, tables: dict, section: Callable, args: tuple) -> None:
    """Page.fragment's section: on a rerun of its own it starts from the counters the whole run had
    where it began, so its keyed containers and tables keep their names."""
    page._keys, page._tables = dict(keys), dict(tables)
    with TURNS.turn():   # its own turn when it reruns alone (inside a whole run, that run's)
        section(*args)
        if _PAGE not in st.session_state:   # a rerun of the section alone: no close() will follow
            page._sync()


def _say_link(notice: str) -> None:
    say("warning", notice, icon=":material/link:")


def _bounded(key: str, label: str, spec: Spec) -> None:
    """A number box's change: a value out of range is moved to the nearest end, with a notice."""
    value = st.session_state[key]
    if value is None or spec.lo <= value <= spec.hi:
        return
    used = spec.lo if value < spec.lo else spec.hi
    used = int(used) if spec.integer else float(used)
    st.session_state[key] = used
    side = "below" if value < spec.lo else "above"
    st.session_state.setdefault(_LATER, {}).setdefault("typed", {})[key] = (
        f"“{label}” takes values from {exact(spec.lo)} to {exact(spec.hi)}. {exact(value)} is {side} "
        f"that, so the page uses {exact(used)}.")


def _url_text(value) -> str:
    """A value as a link writes it: a number as typed (formatting.exact), text as it is."""
    return value if isinstance(value, str) else exact(value)


def _linked_keys(chapter: story.Chapter) -> dict[str, str]:
    """The URL keys of `chapter` with their defaults, as met on its runs this session."""
    return st.session_state.setdefault(_LINKED, {}).setdefault(chapter.path, {})


def link(chapter: story.Chapter, label: str, icon: str | None = None) -> None:
    """A link to `chapter` that carries its settings (link_params). Given the session's own st.Page
    (navigation()), Streamlit finds the page without resolving a file path on the disk for each link."""
    pages = st.session_state[_PAGES]
    st.page_link(pages[story.STORY.index(chapter)], label=label, icon=icon, query_params=link_params(chapter))


def link_params(chapter: story.Chapter) -> dict[str, str]:
    """The query of a link to `chapter`: its settings as the visitor left them (and presenter mode)."""
    params = {k: text for k, d in _linked_keys(chapter).items()
              if k in st.session_state and (text := _url_text(st.session_state[k])) != d}
    if st.session_state.get(_PRESENTER, False):
        params["present"] = "1"
    return params


# --- the router's side ----------------------------------------------------------------------------

def navigation():
    """The story's pages for `st.navigation`, in story order; the frame draws the sidebar itself.
    No icon here: a page's Material icon would become the tab's icon, fetched from a public font
    server; the frame sets the tab icon from the SVG that ships with the app (Chapter.favicon)."""
    # Made once per session: st.Page resolves its file on the disk each time (6 % of a room's
    # server time under load). Not once per server: st.navigation marks the page it returns as
    # the one to run on the Page object itself, and sessions run at the same time.
    pages = st.session_state.get(_PAGES)
    if pages is None:
        pages = st.session_state[_PAGES] = [st.Page(c.path, title=c.title, url_path=c.url_path,
                                                    default=c is story.HOME) for c in story.STORY]
    return st.navigation(pages, position="hidden")


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


def _sidebar(presenter: bool) -> None:
    """The chapters in story order, each link with the settings the visitor left there, and the
    presenter-mode switch. (Drawn after the title in the script; Streamlit puts it in the sidebar.)"""
    with st.sidebar:
        st.markdown("### Likelihood, step by step")
        for c in story.STORY:
            link(c, c.title, c.icon)
        st.divider()
        st.session_state[_PRESENTER_TOGGLE] = presenter
        st.toggle("Presenter mode", key=_PRESENTER_TOGGLE, on_change=_on_presenter_toggle,
                  help="Larger text and charts for a projector; long explanations hidden. "
                       "Add ?present=1 to a link to open it this way.")


def open(current) -> Page:  # noqa: A001  (the frame opens and closes around a chapter)
    """Before the chapter runs: the tab, the sidebar in story order, presenter mode, the title."""
    chapter = story.by_url_path(current.url_path)
    presenter = _presenter_from_state()
    presenting.follow_key(link_params)      # a clicker's key pressed on the last run: go there now
    arrived = st.session_state.get(_LAST) != chapter.path
    st.session_state[_LAST] = chapter.path
    if arrived:
        st.session_state.pop(_LATER, None)  # what was for the page left behind
    st.set_page_config(
        page_title=f"{chapter.title} · Likelihood, step by step",
        page_icon=chapter.favicon,
        layout="wide",
        initial_sidebar_state="collapsed" if presenter else "auto",
    )
    # Style only: st.html applies it without an element on the page.
    st.html(_LAYOUT_CSS)
    if presenter:
        st.html(_PRESENTER_CSS)
    st.title(chapter.title.split("· ")[-1])
    if chapter.lead:
        st.markdown(f"**{chapter.lead}**")
    if not arrived:   # the notices of a run the frame cut short to put a link's value right
        for notice in st.session_state.get(_LATER, {}).pop("notices", []):
            _say_link(notice)
    room.start_run(chapter, presenter)      # a link with ?room= joins here
    # A phone that follows a room shows what the projector shows: no sidebar, page links or long
    # explanations (the presenter turns the pages and says them; stepping out brings them back).
    # A room reruns every phone at once on each move, so each element costs it 70 times.
    follows = room.following() and not presenter
    if not follows:
        _sidebar(presenter)
    share = presenting.share_box() if presenter else None
    page = Page(chapter, presenter, arrived, follows, share)
    st.session_state[_PAGE] = page
    return page


def route() -> None:
    """One run of the app: the chapter the URL asks for, inside the frame (app.py calls this), on
    its turn (core/turns.py: runs that share the interpreter all at once each take as long as all)."""
    with TURNS.turn():
        current = navigation()
        page = open(current)
        try:
            current.run()
        finally:
            st.session_state.pop(_PAGE, None)   # a chapter's script finds the frame only inside route()
        page.close()


def page() -> Page:
    """The frame of this run, for the chapter's script.

    A script of pages/ can be run without app.py: a fresh Streamlit process (and every AppTest
    run) starts in the multipage mode of old, which runs a pages/ script by itself, until a first
    st.navigation call switches that mode off for good. Such a run is routed here and now, with
    this run's clicks, and stops when the chapter, run inside the frame, is done."""
    if _PAGE not in st.session_state:
        route()
        st.stop()
    return st.session_state[_PAGE]
