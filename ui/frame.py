"""The frame around every chapter, on Streamlit's own navigation.

app.py routes every run through `route()`: a link's room is joined first (a phone that follows
shows no sidebar), then it lists the story's pages with `st.navigation` (Streamlit draws them in
the sidebar, in story order), opens the frame (tab title and icon, presenter mode, the title and
lead), runs the chapter the URL asks for, and closes the frame (previous / next links, the
clicker's keys, the QR code):

    refused = room.join(presenter)
    current = navigation(presenter)
    page = open(current, presenter, refused)
    current.run()               # the chapter: page = frame.page(); widgets, figures, its question
    page.close()

The chapter draws through its Page: words, formulas and charts (ui/page_drawing.py) and controls
kept in the URL (ui/url_controls.py). The links at the foot carry each chapter's settings; the
sidebar's find them kept in the session.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from core import story
from core.parsing import parse_flag
from core.turns import TURNS
from ui import presenter as presenting, room, url_controls
from ui.layout import PHONE_CSS
from ui.page_drawing import Drawing
from ui.url_controls import Spec, UrlControls

_PAGE = "frame_page"              # the Page of this run, for the chapter's script (frame.page()); gone at its close
_LAST = "frame_last"              # the chapter of the previous run: another one means the visitor arrived
_PRESENTER = "presenter_on"       # survives page changes (not a widget key)
_PRESENTER_TOGGLE = "presenter_toggle"
_PAGES = "frame_pages"            # this session's st.Page objects, in story order


@dataclass
class Page(Drawing, UrlControls):
    """This run's chapter inside the frame: what a chapter's script draws through (Drawing) and
    the controls it keeps in the URL (UrlControls). `checks_link` and the fields after `_share`
    are theirs; each class says what they hold."""
    chapter: story.Chapter
    presenter: bool
    arrived: bool = True          # the first run on this page since another page (or of the session)
    follows: bool = False         # a phone following a room: it shows what the projector shows
    checks_link: bool = True      # this run reads the link's values (UrlControls says when)
    _shown: dict | None = None    # presenter mode: the view's settings as close() gave them to the QR code
    _share: object = None         # presenter mode: the "Follow on your phone" box, filled by close()
    _specs: dict[str, Spec] = field(default_factory=dict)
    _by_hand: list[str] = field(default_factory=list)
    _said: list[str] = field(default_factory=list)
    _unlinked: list[str] = field(default_factory=list)
    _under_row: list[tuple[str, str]] | None = None
    _tables: dict[str, int] = field(default_factory=dict)
    _keys: dict[str, int] = field(default_factory=dict)

    def fragment(self, section: Callable, *args) -> None:
        """Draw `section(*args)` as an st.fragment: a control inside it reruns that section alone.
        Its keyed containers keep the names they have in a whole run, and what a whole run does at
        its end for the URL and a presenter's room is done at the section's end too."""
        _section(self, dict(self._keys), dict(self._tables), section, args)

    def stop(self) -> None:
        """End the run here: the chapter has nothing more to show (the frame still closes)."""
        self.close()
        st.stop()

    def _sync(self) -> None:
        """The values that are no widgets written to the URL, and a presenter's room given the view."""
        self._write_url()
        if self.presenter:
            room.publish(self.chapter, self.url_params(), self._unlinked)

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
            self._shown = self.url_params()
            presenting.draw_share(self._share, self._shown, self._unlinked)


@st.fragment
def _section(page: Page, keys: dict, tables: dict, section: Callable, args: tuple) -> None:
    """Page.fragment's section: on a rerun of its own it starts from the counters the whole run had
    where it began, so its keyed containers and tables keep their names. What the section's own
    rerun cannot redraw outside it is left to a whole run: the link's notices of the run before,
    and in presenter mode the QR code, once the view's settings have changed."""
    page._keys, page._tables = dict(keys), dict(tables)
    alone = _PAGE not in st.session_state   # a rerun of the section alone: no close() will follow
    if alone:
        if page._said:
            st.rerun(scope="app")   # the whole run said something about the link: a whole run takes it back
        # A visitor's move, not a link: the link was read by the whole run (it may still hold a
        # value typed into a box here, which the box has put right already).
        page.arrived = page.checks_link = False
    with TURNS.turn():   # its own turn when it reruns alone (inside a whole run, that run's)
        section(*args)
        if alone:
            page._sync()
            if page.presenter and page.url_params() != page._shown:
                st.rerun(scope="app")   # the QR code shows the view as it was: a whole run draws it anew


def link(chapter: story.Chapter, label: str, icon: str | None = None) -> None:
    """A link to `chapter` that carries its settings (link_params), so that it opens them in a new
    tab too. Given the session's own st.Page (navigation()), Streamlit finds the page without
    resolving a file path on the disk for each link."""
    pages = st.session_state[_PAGES]
    st.page_link(pages[story.STORY.index(chapter)], label=label, icon=icon, query_params=link_params(chapter))


def link_params(chapter: story.Chapter) -> dict[str, str]:
    """The query of a link to `chapter`: its settings as the visitor left them (and presenter mode)."""
    params = url_controls.settings(chapter)
    if st.session_state.get(_PRESENTER, False):
        params["present"] = "1"
    return params


# --- the router's side ----------------------------------------------------------------------------

def navigation(presenter: bool):
    """The story's pages for `st.navigation`, in story order: Streamlit draws them in the sidebar,
    each with its chapter's Material icon (from the app's bundled font; the tab's icon is the SVG
    that ships with the app). A phone that follows a room shows none (the presenter turns the pages)."""
    # A browser tab takes its icon from the first message that names one; the navigation's would be
    # the chapter's Material icon, fetched from a public font server. So the tab is set up first, on
    # every run (a run cut short may never reach the browser, a reloaded tab may keep its session):
    # as for the last run's chapter, which open() puts right if the visitor went elsewhere.
    last = st.session_state.get(_LAST)
    _tab(next((c for c in story.STORY if c.path == last), story.HOME), presenter)
    # Made once per session: st.Page resolves its file on the disk each time (6 % of a room's
    # server time under load). Not once per server: st.navigation marks the page it returns as
    # the one to run on the Page object itself, and sessions run at the same time.
    pages = st.session_state.get(_PAGES)
    if pages is None:
        pages = st.session_state[_PAGES] = [st.Page(c.path, title=c.title, icon=c.icon, url_path=c.url_path,
                                                    default=c is story.HOME) for c in story.STORY]
    hidden = not presenter and room.following()
    return st.navigation({"Likelihood, step by step": pages}, position="hidden" if hidden else "sidebar")


def _tab(chapter: story.Chapter, presenter: bool) -> None:
    """The browser tab's title and icon (the chapter's own SVG), the wide layout, and the sidebar
    folded away in presenter mode."""
    st.set_page_config(page_title=f"{chapter.title} · Likelihood, step by step", page_icon=chapter.favicon,
                       layout="wide", initial_sidebar_state="collapsed" if presenter else "auto")


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


def _presenter_switch(presenter: bool) -> None:
    """The presenter-mode switch, in the sidebar under the chapters."""
    with st.sidebar:
        st.session_state[_PRESENTER_TOGGLE] = presenter
        st.toggle("Presenter mode", key=_PRESENTER_TOGGLE, on_change=_on_presenter_toggle,
                  help="Larger text and charts for a projector; long explanations hidden. "
                       "Add ?present=1 to a link to open it this way.")


def open(current, presenter: bool, refused: str | None) -> Page:  # noqa: A001  (opens and closes around a chapter)
    """Before the chapter runs: the tab, presenter mode, the title."""
    chapter = story.by_url_path(current.url_path)
    presenting.follow_key(link_params)      # a clicker's key pressed on the last run: go there now
    if (presenter or not room.following()) and url_controls.emptied_by_history(chapter):
        st.rerun()      # before the controls are drawn, and before an arrival is noted (_LAST)
    arrived = st.session_state.get(_LAST) != chapter.path
    st.session_state[_LAST] = chapter.path
    if arrived:
        _tab(chapter, presenter)    # navigation() set the tab up for the chapter of the last run
    # Style only: st.html applies it without an element on the page.
    st.html(PHONE_CSS)
    if presenter:
        st.html(presenting.PAGE_CSS)
    st.title(chapter.title.split("· ")[-1])
    if chapter.lead:
        st.markdown(f"**{chapter.lead}**")
    carried = url_controls.carried_notices(arrived)
    room.start_run(chapter, refused)        # a room's bar, or why the link's room cannot be joined
    # A phone that follows a room shows what the projector shows: no sidebar, page links or long
    # explanations (the presenter turns the pages and says them; stepping out brings them back).
    # A room reruns every phone at once on each move, so each element costs it 70 times.
    follows = room.following() and not presenter
    if follows:
        st.html(room.NO_SIDEBAR_CSS)
    else:
        _presenter_switch(presenter)
    share = presenting.share_box() if presenter else None
    page = Page(chapter, presenter, arrived, follows, arrived or carried is not None, _share=share, _said=carried or [])
    st.session_state[_PAGE] = page
    return page


def route() -> None:
    """One run of the app: the chapter the URL asks for, inside the frame (app.py calls this), on
    its turn (core/turns.py: runs that share the interpreter all at once each take as long as all)."""
    with TURNS.turn():
        presenter = _presenter_from_state()
        refused = room.join(presenter)      # a link with ?room= joins before anything is drawn
        current = navigation(presenter)
        page = open(current, presenter, refused)
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
