"""Following a shared run (core.shared_run) without holding up the page.

Streamlit cuts no running section short for a click: a section that waited for a run to its end
would hold every click on the page (Stop, the zoom, k) until then. So the run that starts a run
watches it for at most WATCH_HERE seconds (the article's training ends within a hundredth of one),
and a longer run is followed from a small section that looks again every LOOK_EVERY seconds and
reruns the whole app once the run has ended, as chapter 8 follows its networks.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import streamlit as st

from core import shared_run
from ui.text import say

WATCH_HERE = 0.5     # seconds a run is watched inside the script run that asks for it
LOOK_EVERY = 0.5     # seconds between looks at a longer run


def follow(stream: Callable[[float], Iterator], state: Callable[[], tuple[str, Any]],
           draw: Callable[[Any], None], lost: Callable[[], None]) -> Any:
    """The last snapshot of `stream(until)` seen by WATCH_HERE seconds from now (None if none came).
    If the run has not finished by then, the looks are drawn here: each reads `state()` (as
    shared_run.CACHE.state answers) and draws a snapshot of the run going on with `draw`. A run
    that fails or is gone before its end: `lost()`, then a whole run (it says so)."""
    seen = None
    try:
        for seen in stream(time.monotonic() + WATCH_HERE):
            pass
    except shared_run.TrainingFailed:
        lost()
        st.rerun(scope="app")
    if seen is None or not seen.finished:
        st.fragment(_look, run_every=LOOK_EVERY)(state, draw, lost)
    return seen


def _look(state: Callable[[], tuple[str, Any]], draw: Callable[[Any], None], lost: Callable[[], None]) -> None:
    kind, seen = state()
    if kind == "starting":
        st.caption("Starting…")
        return
    if kind == "going":
        draw(seen)
        return
    if kind == "gone":
        lost()
    st.rerun(scope="app")   # ended: a whole run shows the finished run, or says that it is gone


def say_gone(what: str, button: str) -> None:
    """What a page says of a run that went before its end, told by `lost()` (shared_run.CACHE.state
    cannot tell a failure from a run dropped to make room, so neither is claimed)."""
    say("error", f"{what} is no longer on the server: it failed, or the server dropped it to make room for "
                 f"others. Press {button} to run it again.", icon=":material/error:")
