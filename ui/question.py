"""Predict, then see: the question at the end of a chapter (core/questions.py gives its content).

A reader picks an option and sees at once whether it was right, and why. In presenter mode the room
votes first: the answer stays hidden until the presenter presses "Reveal the answer". Both the pick
and the reveal belong to one question: when the controls change the question (its prompt, options
or answer), they are forgotten, so a new question never shows the old one's answer.

A figure above the question that would give its answer away waits for it: the page draws it only
`if answered(page, question, key)`. The question is a fragment, so a pick reruns it alone, except
when a figure above waits for that pick: then the whole page runs again and shows it.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from core.questions import Pending, Question
from ui.frame import Page
from ui.text import literal, say

_REVEALED = "question_revealed"   # {key: the token of the question whose answer the presenter revealed}
_WAITING = "question_waiting"     # {key: whether the figures that wait for it were drawn answered, this run}


def _token(question: Question | Pending) -> str:
    """A short name for the question's content: equal questions share it, changed ones do not."""
    facts = (question.depends_on,) if isinstance(question, Pending) else (str(question.answer), question.explanation)
    text = "\x1f".join((question.prompt, *question.options, *facts))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _reveal(key: str, token: str) -> None:
    st.session_state.setdefault(_REVEALED, {})[key] = token


def _picked_key(key: str, token: str) -> str:
    return f"question:{key}:{token}"


def _out(presenter: bool, key: str, token: str) -> bool:
    """The answer is out: revealed by the presenter, or (reading mode) picked by the reader."""
    if presenter:
        return st.session_state.get(_REVEALED, {}).get(key) == token
    return st.session_state.get(_picked_key(key, token)) is not None


def answered(page: Page, question: Question | Pending, key: str) -> bool:
    """Whether the answer to the chapter's question is out, so that a figure which gives it away
    may be drawn (call before drawing it, with the question `ask` will get)."""
    out = _out(page.presenter, key, _token(question))
    st.session_state.setdefault(_WAITING, {})[key] = out
    return out


def ask(page: Page, question: Question | Pending, key: str) -> None:
    """Draw `question` at the end of the chapter; `key` names it on its page. A Pending question is
    resolved only once its answer is to be shown."""
    st.divider()
    st.subheader("Predict, then see", anchor="predict")
    drawn = st.session_state.get(_WAITING, {}).pop(key, None)   # None: nothing above waits for it
    _question(page.presenter, question, key, drawn)


@st.fragment
def _question(presenter: bool, question: Question | Pending, key: str, drawn: bool | None) -> None:
    """The question itself: a pick or a reveal reruns this, not the chapter above it, unless a
    figure above waits for the answer (`drawn`: whether it was drawn answered)."""
    token = _token(question)
    if drawn is not None and drawn != _out(presenter, key, token):
        st.rerun(scope="app")
    st.markdown(literal(question.prompt))
    # Keyed by the content: a changed question is a new radio, with nothing picked.
    picked = st.radio("Your prediction", question.options, index=None, key=_picked_key(key, token),
                      format_func=literal, label_visibility="collapsed" if presenter else "visible")
    if presenter:
        revealed = st.session_state.get(_REVEALED, {}).get(key) == token
        if not revealed:
            st.button("Reveal the answer", key=f"question_reveal:{key}", icon=":material/visibility:",
                      on_click=_reveal, args=(key, token))
            return
    elif picked is None:
        st.caption("Pick one to see the answer.")
        return
    _answer(question.resolve() if isinstance(question, Pending) else question, picked)


def _answer(question: Question, picked: str | None) -> None:
    if picked is None:
        say("info", f"The answer: {question.correct}.", icon=":material/lightbulb:")
    elif picked == question.correct:
        say("success", f"Right: {question.correct}.")
    else:
        say("error", f"Not this time. The answer: {question.correct}.", icon=":material/close:")
    st.markdown(literal(question.explanation))
