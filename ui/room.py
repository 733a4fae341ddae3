"""A room: the phones follow the presenter's screen, and the room votes on its question.

The presenter (presenter mode) opens a room in the "Follow on your phone" box. Its QR code and
link then carry the room's short code, never the presenter's secret, which stays in the
presenter's session. Every run of the presenter's page publishes the view: the chapter, its
controls as a link writes them, and the question on screen (core/rooms.py keeps it, in this
process or in Redis when REDIS_URL is set, so that every replica sees the same room).

A phone that opens the link joins the room and follows it: its page asks the server about every
POLL_SECONDS for the view's version (ui/room_watch.js, over app.py's /room-version/ route, no
Streamlit run), and when it changes, reruns; the run goes to the presenter's chapter and takes
the presenter's values there, where each control is declared (the frame asks `followed` for
them), as if it had arrived by the presenter's link. A follower may step out to
explore, and step back in with one tap; nothing a follower sends changes the view.

The question: each phone in the room votes (one pick per phone and question; a second pick
replaces the first); the presenter sees the count per answer as it comes in, then reveals, and
the answer shows on every phone at its next look.
"""
from __future__ import annotations

import functools
import random
import secrets as _secrets
from pathlib import Path

import streamlit as st

from core import rooms, story
from core.charts import votes
from ui import cached_builders
from ui.chart_spec import spec_of
from ui.text import say

POLL_SECONDS = 1.0           # a follower's watch asks this often: a change on the projector shows within about this
POLL_SPREAD = 0.2            # each phone asks every POLL_SECONDS ± this at most, its own interval
COUNT_SECONDS = 1.0          # the presenter's view of the votes coming in
_PRESENTING = "room_presenting"   # the presenter's room: rooms.Opened (its code and secret)
_FOLLOWING = "room_following"     # a phone's room: {"code", "on", "seen" (the view's version applied)}
_FOLLOWED = "room_followed"       # the presenter's view for the next run of its chapter: {"path", "params"}
_VOTER = "room_voter"             # this phone's name in the room's votes
_EVERY = "room_poll_every"        # how often this phone asks for the version, in s
_POLL = "room_poll"               # the question on the presenter's screen, this run: rooms.Poll
_SAID = "room_said"               # for the presenter's box on its next run (a room not opened, or ended)
PARAM = "room"                    # the link's parameter that joins a room
COOKIE = "likelihood_room"        # the presenter's browser keeps "CODE.SECRET" here, for a new replica
_COOKIE_DAYS = 1


@functools.cache
def store() -> rooms.Rooms:
    """The server's room store: in this process, or in Redis when REDIS_URL is set. One per
    process, outside Streamlit's caches: the /room-version/ route reads it outside any run."""
    return rooms.from_environment()


# --- the presenter ----------------------------------------------------------------------------

def presenting() -> rooms.Opened | None:
    return st.session_state.get(_PRESENTING)


def _open_room() -> None:
    try:
        st.session_state[_PRESENTING] = store().open()
    except rooms.RoomError as err:
        st.session_state[_SAID] = str(err)


def _keep_in_browser(value: str, days: int) -> None:
    """The presenter's browser keeps the room's code and secret in a cookie of this site, so that
    a tab that reconnects to another replica (its own died) drives the room again. Our own fixed
    script; the value is letters, digits, '-', '_' and '.' only (a code and token_urlsafe)."""
    st.html(f"<script>document.cookie = '{COOKIE}={value}; path=/; SameSite=Strict; max-age={days * 86400}';"
            "</script>", unsafe_allow_javascript=True)


def _resume() -> None:
    """A presenter's tab whose session is new (a replica died; the tab reconnected elsewhere)
    takes its room back from the browser's cookie, if the room is alive and the secret right."""
    kept = st.context.cookies.get(COOKIE)
    code, _, secret = kept.partition(".") if isinstance(kept, str) else ("", "", "")
    if not secret:
        return
    try:
        store().touch(code, secret)
    except rooms.RoomError:
        return
    st.session_state[_PRESENTING] = rooms.Opened(rooms.normal_code(code), secret)


def _close_room() -> None:
    st.session_state["room_forget"] = True
    opened = st.session_state.pop(_PRESENTING, None)
    if opened is not None:
        try:
            store().close(opened.code, opened.secret)
        except rooms.RoomError:
            pass   # already ended: nothing to close


def room_controls() -> None:
    """In the presenter's "Follow on your phone" box: open or close the room."""
    opened = presenting()
    if opened is not None:
        _keep_in_browser(f"{opened.code}.{opened.secret}", _COOKIE_DAYS)
    elif st.session_state.pop("room_forget", False):
        _keep_in_browser("", 0)
    if opened is None:
        st.button("Open a room for the class", key="room_open", icon=":material/groups:", on_click=_open_room,
                  help="Phones that scan the code then follow this screen, and vote on each chapter's question.")
    else:
        st.markdown(f"### Room {opened.code}")
        st.button("Close the room", key="room_close", icon=":material/logout:", on_click=_close_room)
    said = st.session_state.pop(_SAID, None)
    if said:
        say("warning", said)


def join_link(page_url: str) -> str:
    """The link that joins the presenter's room from `page_url` (an address without a query)."""
    return f"{page_url}?{PARAM}={presenting().code}"


def set_poll(token: str, options: tuple[str, ...]) -> None:
    """The question on this run's screen (ui/question.py), for publish()."""
    st.session_state[_POLL] = rooms.Poll(token, tuple(options))


def publish(chapter: story.Chapter, params: dict[str, str], unlinked: list[str]) -> None:
    """At the end of each run of the presenter's page: put the view in the room, with what of it no
    link carries (`unlinked`, in words: the phones say so). An ended room (the presenter was away
    for longer than its time to live) is dropped, and the box says so."""
    opened, poll = presenting(), st.session_state.get(_POLL)
    if opened is None:
        return
    try:
        store().publish(opened.code, opened.secret, chapter.url_path, params, poll, tuple(dict.fromkeys(unlinked)))
    except rooms.RoomNotFound as err:
        st.session_state.pop(_PRESENTING, None)
        st.session_state[_SAID] = str(err)
    except rooms.RoomError as err:
        st.session_state[_SAID] = str(err)


def reveal() -> None:
    """The presenter reveals the answer: every phone in the room shows it once its watch sees the new version."""
    opened = presenting()
    if opened is not None:
        try:
            store().reveal(opened.code, opened.secret)
        except rooms.RoomError as err:
            st.session_state[_SAID] = str(err)


@st.fragment(run_every=COUNT_SECONDS)
def vote_counts(token: str, options: tuple[str, ...]) -> None:
    """The presenter's view of the room's picks for the question on screen, as they come in; it
    also keeps the room alive while the presenter's tab is open."""
    opened = presenting()
    if opened is None:
        return
    try:
        counts = store().counts(opened.code, token) or (0,) * len(options)
        store().touch(opened.code, opened.secret)
    except rooms.RoomError as err:
        say("caption", str(err))
        return
    summary = votes.vote_summary(options, counts)
    st.vega_lite_chart(spec_of(cached_builders.vote_chart(tuple(options), tuple(counts)), presenter=True),
                       width="stretch", alt=summary)
    say("caption", summary)   # the answers may quote what a visitor typed


# --- a phone ------------------------------------------------------------------------------------

# A following phone shows no sidebar. Streamlit leaves out an empty one itself, except when the
# phone had stepped out, gone to another chapter and then follows again (that run switches page
# midway): an empty sidebar and its » button stay. Our own fixed CSS, drawn only while following.
NO_SIDEBAR_CSS = """<style>[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"] { display: none; }</style>"""


def join(presenter: bool) -> str | None:
    """Before the run draws anything (whether this phone follows decides the sidebar): a presenter
    takes back a room the browser kept; a link with ?room=CODE joins that room. Returns what to say
    when the link's room cannot be joined (start_run says it; nothing else changes)."""
    if presenter and presenting() is None:
        _resume()
    raw = st.query_params.get(PARAM)
    joined = st.session_state.get(_FOLLOWING)
    if raw is None or presenting() is not None or (joined is not None and joined["code"] == raw):
        return None
    try:
        code = rooms.normal_code(raw)
        store().version(code)
    except rooms.RoomError as err:
        return f"This link's room cannot be joined: {err}"
    st.session_state[_FOLLOWING] = {"code": code, "on": True, "seen": -1}
    return None


def start_run(here: story.Chapter, refused: str | None) -> None:
    """At the top of every run, under the title: why the link's room could not be joined (join's
    `refused`), or, while this phone is in a room, the bar to step out or back in."""
    st.session_state.pop(_POLL, None)   # set again by this run's question, if it has one
    if refused:
        say("warning", refused, icon=":material/groups:")
    joined = st.session_state.get(_FOLLOWING)
    if joined is None:
        return
    if joined["on"]:
        _catch_up(joined, here)
    bar, switch = st.columns([3, 1], vertical_alignment="center")
    if joined["on"]:
        bar.caption(f"Following the presenter's screen (room {joined['code']}). Step out to read the "
                    "explanations and explore at your own pace.")
        if joined.get("unlinked"):
            with bar:   # said as plain text: the words come through the room's store
                say("caption", f"The presenter's screen also has {' and '.join(joined['unlinked'])}, which cannot be "
                               "sent to a phone: figures here that depend on them can differ from the projector's.")
        switch.button("Step out", key="room_step_out", on_click=_step, args=(False,), icon=":material/logout:",
                      help="Explore on your own; the presenter's changes stop coming until you follow again.")
        # Each phone its own interval: the room's requests drift apart instead of arriving together
        # (a presenter's move reruns every phone at once, and each page's timer starts again then).
        every = st.session_state.setdefault(_EVERY, random.uniform(POLL_SECONDS - POLL_SPREAD,
                                                                   POLL_SECONDS + POLL_SPREAD))
        with switch:
            _watcher()(key="room_watch", data={"room": joined["code"], "seen": joined["seen"],
                                               "every_ms": round(1000 * every)},
                       on_moved_change=_moved, height=0)
    else:
        bar.caption(f"On your own; the presenter's room {joined['code']} goes on without you.")
        switch.button("Follow again", key="room_follow", on_click=_step, args=(True,), type="primary",
                      icon=":material/groups:")


@functools.cache
def _watcher():
    """The browser's side of a following phone (ui/room_watch.js): it asks /room-version/CODE
    about every POLL_SECONDS and reruns the app when the version moves. A room at rest costs the
    server 0.8-1.4 ms of CPU per phone and second this way, 3.0-3.3 ms with a run_every fragment
    (a Streamlit run each time, and one more before each rerun): benchmarks/room_load.py."""
    return st.components.v2.component("room_watch", js=(Path(__file__).parent / "room_watch.js").read_text())


def _moved() -> None:
    """The watch saw a new version: the rerun it asks for catches up (_catch_up, in start_run)."""


def _step(on: bool) -> None:
    joined = st.session_state[_FOLLOWING]
    joined["on"], joined["seen"] = on, -1     # following again takes the presenter's view at once
    st.session_state.pop(_FOLLOWED, None)


def _catch_up(joined: dict, here: story.Chapter) -> None:
    """On every run of a following phone: one cheap read; a new version brings this phone to the
    presenter's view, on this run of the same chapter (its controls take the presenter's values
    where they are declared, and what the phone has picked stays), else by going there."""
    try:
        if store().version(joined["code"]) == joined["seen"]:
            return
        view = store().view(joined["code"])
    except rooms.RoomError as err:
        # An ended room leaves this phone on its own; a store away for a moment does not (the
        # watch asks again).
        joined["on"] = not isinstance(err, rooms.RoomNotFound)
        say("warning", str(err), icon=":material/groups:")
        return
    first = joined["seen"] == -1      # just joined, or following again
    joined["seen"], joined["unlinked"] = view.version, list(view.unlinked)
    if view.version == 0:
        return          # nothing published yet (its empty path is the start page's)
    chapter = next((c for c in story.STORY if c.url_path == view.path), None)
    if chapter is None:
        return          # a page this server does not have
    st.session_state[_FOLLOWED] = {"path": view.path, "params": dict(view.params)}
    # An address with values of its own (a tab opened again with the phone's old link) would give
    # them to the controls on a new session's first run, over the presenter's: go there without it.
    own = first and set(st.query_params) - {PARAM, "present"}
    if chapter != here or own:
        # No query: the values are taken where each control is declared (followed()), and
        # Streamlit refuses to set a query parameter a widget of this page is bound to.
        st.switch_page(chapter.path, query_params={})


def version_answer(request):
    """GET /room-version/CODE (app.py's route): the room's version as JSON, for a following
    phone's watch. 404 when the code is no room's (ended, never opened, or not a code at all): the
    watch takes it for an ended room; 503 when the store is away for a moment: the watch asks
    again. It reads only: nothing a phone sends here changes a room."""
    from starlette.responses import JSONResponse  # noqa: PLC0415  (Streamlit's server brings it)

    headers = {"Cache-Control": "no-store"}
    try:
        version = store().version(rooms.normal_code(request.path_params["code"]))
    except rooms.StoreUnavailable as err:
        return JSONResponse({"error": str(err)}, status_code=503, headers=headers)
    except rooms.RoomError as err:
        return JSONResponse({"error": str(err)}, status_code=404, headers=headers)
    return JSONResponse({"version": version}, headers=headers)


def joined_code() -> str | None:
    """The code of the room this phone is in (following or stepped out), for its URL: a tab that
    reconnects to another replica joins it again from there."""
    joined = st.session_state.get(_FOLLOWING)
    return joined["code"] if joined else None


def following() -> bool:
    joined = st.session_state.get(_FOLLOWING)
    return bool(joined and joined["on"])


def followed(chapter: story.Chapter) -> dict[str, str] | None:
    """The presenter's controls to take on this run of `chapter` (None: none to take): the frame
    gives each declared control the presenter's value, or its default when the presenter's is."""
    view = st.session_state.get(_FOLLOWED)
    return view["params"] if view and view["path"] == chapter.url_path else None


def taken(chapter: story.Chapter) -> None:
    """The presenter's view has been applied to `chapter` (the end of its run)."""
    view = st.session_state.get(_FOLLOWED)
    if view and view["path"] == chapter.url_path:
        del st.session_state[_FOLLOWED]


# --- a phone's vote -----------------------------------------------------------------------------

def voter() -> str:
    """This phone's name among the room's voters: random, never shown."""
    return st.session_state.setdefault(_VOTER, _secrets.token_urlsafe(12))


def room_question(token: str) -> rooms.View | None:
    """The room's view when this phone follows and its question is the one on the projector."""
    if not following():
        return None
    try:
        view = store().view(st.session_state[_FOLLOWING]["code"])
    except rooms.RoomError:
        return None
    return view if view.poll is not None and view.poll.token == token else None


def vote(token: str, option: int) -> str | None:
    """This phone's pick for the room's question; a refusal's words, or None."""
    try:
        store().vote(st.session_state[_FOLLOWING]["code"], token, voter(), option)
    except rooms.RoomError as err:
        return str(err)
    return None
