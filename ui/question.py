"""Predict, then see: the question at the end of a chapter (core/questions.py gives its content).

A reader picks an option and sees at once whether it was right, and why. In presenter mode the room
votes first: the answer stays hidden until the presenter presses "Reveal the answer". Both the pick
and the reveal belong to one question: when the controls change the question (its prompt, options
or answer), they are forgotten, so a new question never shows the old one's answer.
"""
from __future__ import annotations

import hashlib

import streamlit as st

from core.questions import Pending, Question
from ui.frame import Page
from ui.text import literal, say

_REVEALED = "question_revealed"   # {key: the token of the question whose answer the presenter revealed}


def _token(question: Question | Pending) -> str:
    """A short name for the question's content: equal questions share it, changed ones do not."""
    facts = (question.depends_on,) if isinstance(question, Pending) else (str(question.answer), question.explanation)
    text = "\x1f".join((question.prompt, *question.options, *facts))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _reveal(key: str, token: str) -> None:
    st.session_state.setdefault(_REVEALED, {})[key] = token


def ask(page: Page, question: Question | Pending, key: str) -> None:
    """Draw `question` at the end of the chapter; `key` names it on its page. A Pending question is
    resolved only once its answer is to be shown."""
    st.divider()
    st.subheader("Predict, then see", anchor="predict")
    _question(page.presenter, question, key)


@st.fragment
def _question(presenter: bool, question: Question | Pending, key: str) -> None:
    """The question itself: a pick or a reveal reruns this, not the chapter above it."""
    token = _token(question)
    st.markdown(literal(question.prompt))
    # Keyed by the content: a changed question is a new radio, with nothing picked.
    picked = st.radio("Your prediction", question.options, index=None, key=f"question:{key}:{token}",
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
