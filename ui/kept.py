"""Each page's controls as the visitor left it, kept across page changes.

Streamlit forgets a widget's value at the end of every run that does not draw the widget, so a
visit to another page used to put every control of the page left behind back to its default
(page 1's μ, page 5's start and so its climb, page 7's settings and so its training). The frame
keeps, for each page, the value of every control the page registers (Page.url_number,
Page.keep) in one plain session entry, which Streamlit never drops, and puts the values
back when the visitor returns. The values are read again at the start of the first run on the
next page, when the page left behind still holds them all, so a change made in its last run
counts even if that run was cut short by the click that left it.

Keys shared by all pages (the observations `x` of chapters 2 and 3) are not kept per page: they
live in a plain session entry of their own and simply stay.
"""
from __future__ import annotations

import streamlit as st

_PAGES = "frame_kept"      # {page path: {"url": [keys], "values": {key: value}}}
_SHARED = "frame_shared"   # keys every page shares (not widget keys, so Streamlit keeps them)
_LAST = "frame_page"       # the page of the latest run


def _pages() -> dict:
    return st.session_state.setdefault(_PAGES, {})


def record(path: str) -> dict:
    """The record of page `path`: its URL keys in order and its kept values."""
    return _pages().setdefault(path, {"url": [], "values": {}})


def arrive(path: str) -> bool:
    """A run of page `path` starts. True when the visitor arrives: the session's first run, or
    the first after a run of another page, whose controls are saved now, while Streamlit still
    holds them."""
    last = st.session_state.get(_LAST)
    if last is not None and last != path:
        save(last)
    st.session_state[_LAST] = path
    return last != path


def save(path: str, keys=None) -> None:
    """Copy the current value of page `path`'s controls (or of `keys`) into its record."""
    values = record(path)["values"]
    for key in list(values) if keys is None else keys:
        if key in st.session_state:
            values[key] = st.session_state[key]


def shared() -> set:
    return st.session_state.setdefault(_SHARED, set())


def url_text(value) -> str:
    """A value as written in a link (a float with at most 6 significant digits, like the URL bar)."""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else repr(value)
    return str(value)


def link_params(path: str, presenter: bool) -> dict[str, str]:
    """The query of a link to page `path`: its controls as kept (shared ones as they are now),
    in the page's own order, and `present=1` in presenter mode."""
    page = _pages().get(path, {"url": [], "values": {}})
    params = {}
    for key in page["url"]:
        if key in shared() and key in st.session_state:
            params[key] = url_text(st.session_state[key])
        elif key in page["values"]:
            params[key] = url_text(page["values"][key])
    if presenter:
        params["present"] = "1"
    return params
