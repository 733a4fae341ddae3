"""Predict, then see: the question at the end of a chapter (core/questions.py gives its content).

A reader picks an option and sees at once whether it was right, and why. In presenter mode the room
votes first: the answer stays hidden until the presenter presses "Reveal the answer". Both the pick
and the reveal belong to one question: when the controls change the question (its prompt, options
or answer), they are forgotten, so a new question never shows the old one's answer.

In a room (ui/room.py) the room votes first: the presenter's question is published with the view,
each phone that follows votes (the pick counts in the room and shows no answer), the presenter sees
the count per answer as it comes in, and the reveal shows the answer on every phone at once.

A figure above the question that would give its answer away waits for it: the page draws it only
`if answered(page, question, key)`. The question is a fragment, so a pick reruns it alone, except
when a figure above waits for that pick: then the whole page runs again and shows it.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from core.questions import Pending, Question
from ui import room
from ui.frame import Page
from ui.text import literal, say

_REVEALED = "question_revealed"   # {key: the token of the question whose answer the presenter revealed}
_WAITING = "question_waiting"     # {key: whether the figures that wait for it were drawn answered, this run}

PRESENTER, FOLLOWER, READER = "presenter", "follower", "reader"


def _token(question: Question | Pending) -> str:
    """A short name for the question's content: equal questions share it, changed ones do not."""
    facts = (question.depends_on,) if isinstance(question, Pending) else (str(question.answer), question.explanation)
    text = "\x1f".join((question.prompt, *question.options, *facts))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _mode(page: Page, key: str, token: str) -> tuple[str, bool]:
    """Who answers here, and whether the answer is out: the presenter (out once revealed), a phone
    following a room whose projector shows this question (out once the room's answer is revealed),
    or a reader alone (out once picked)."""
    if page.presenter:
        return PRESENTER, st.session_state.get(_REVEALED, {}).get(key) == token
    view = room.room_question(token)
    if view is not None:
        return FOLLOWER, view.revealed
    return READER, st.session_state.get(_picked_key(key, token)) is not None


def _picked_key(key: str, token: str) -> str:
    return f"question:{key}:{token}"


def answered(page: Page, question: Question | Pending, key: str) -> bool:
    """Whether the answer to the chapter's question is out, so that a figure which gives it away
    may be drawn (call before drawing it, with the question and key `ask` will get)."""
    out = _mode(page, key, _token(question))[1]
    st.session_state.setdefault(_WAITING, {})[key] = out
    return out


def alone(page: Page, question: Question | Pending, key: str) -> bool:
    """Whether a reader answers here alone: not a presenter, and not a phone whose room asks this
    question (their answer waits for the reveal, whatever the page shows)."""
    return _mode(page, key, _token(question))[0] == READER


def ask(page: Page, question: Question | Pending, key: str, shown_above: str | None = None) -> None:
    """Draw the chapter's `question` at its end; `key` names it on its page. A Pending question is
    resolved only once its answer is to be shown. `shown_above`: what to say instead of asking a
    reader when the page already shows the answer unasked (a link's): a question is asked before
    anything on screen answers it, or not at all. (A presenter's room goes on voting.)"""
    st.divider()
    st.subheader("Predict, then see", anchor="predict")
    token = _token(question)
    drawn = st.session_state.get(_WAITING, {}).pop(key, None)   # None: nothing above waits for it
    if shown_above is not None and _mode(page, key, token) == (READER, False):   # a room keeps its vote
        st.markdown(literal(question.prompt))
        say("info", shown_above, icon=":material/arrow_upward:")
        return
    if page.presenter:
        room.set_poll(token, question.options)
    _question(page, question, key, token, drawn)


def _reveal(key: str, token: str) -> None:
    st.session_state.setdefault(_REVEALED, {})[key] = token
    room.reveal()


def _vote(key: str, token: str, options: tuple[str, ...]) -> None:
    picked = st.session_state.get(_picked_key(key, token))
    if picked is not None:
        refused = room.vote(token, options.index(picked))
        if refused:
            st.session_state[f"{_picked_key(key, token)}:refused"] = refused


@st.fragment
def _question(page: Page, question: Question | Pending, key: str, token: str, drawn: bool | None) -> None:
    """The question itself: a pick or a reveal reruns this, not the chapter above it, unless a
    figure above waits for the answer (`drawn`: whether it was drawn answered)."""
    mode, out = _mode(page, key, token)
    if drawn is not None and drawn != out:
        st.rerun(scope="app")
    st.markdown(literal(question.prompt))
    # Keyed by the content: a changed question is a new radio, with nothing picked.
    picked_key = _picked_key(key, token)
    picked = st.radio("Your prediction", question.options, index=None, key=picked_key, format_func=literal,
                      persist_state="session",   # a pick stays when the page is left or followed again
                      label_visibility="collapsed" if mode == PRESENTER else "visible")
    if mode == FOLLOWER and not out and picked is not None:
        # Cast on every run that shows it, not from the radio's callback: a pick made while the
        # radio was drawn in another mode (a run before the room's question arrived) counts too.
        # A phone has one vote per question, so casting it again changes nothing.
        _vote(key, token, question.options)
    if mode == PRESENTER and not out:
        if room.presenting() is not None:
            room.vote_counts(token, question.options)
        st.button("Reveal the answer", key=f"question_reveal:{key}", icon=":material/visibility:",
                  on_click=_reveal, args=(key, token))
        return
    if mode == FOLLOWER and not out:
        refused = st.session_state.pop(f"{picked_key}:refused", None)
        if refused:
            say("warning", refused)
        st.caption("Your pick counts in the room's vote; the answer shows here when the presenter reveals it."
                   if picked is not None else "Pick one: the room votes, then the presenter reveals the answer.")
        return
    if mode == READER and not out:
        st.caption("Pick one to see the answer.")
        return
    if isinstance(question, Pending) and not question.ready():
        st.fragment(_wait_for, run_every=1.0)(question)
        return
    _answer(question.resolve() if isinstance(question, Pending) else question, picked)


def _wait_for(question: Pending) -> None:
    """The answer waits for what it needs without holding up the page: a look each second, and a
    whole run (the answer, and what waits for it above) once that has ended."""
    if question.ready():
        st.rerun(scope="app")
    st.caption(question.waiting)


def _answer(question: Question, picked: str | None) -> None:
    if picked is None:
        say("info", f"The answer: {question.correct}.", icon=":material/lightbulb:")
    elif picked == question.correct:
        say("success", f"Right: {question.correct}.")
    else:
        say("error", f"Not this time. The answer: {question.correct}.", icon=":material/close:")
    st.markdown(literal(question.explanation))
