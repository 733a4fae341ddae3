"""The one rule for visitor text (URL values, typed data, uploaded names, file names, the name box).

Streamlit reads every notice, caption and label as Markdown, with LaTeX ($…$), colour and icon
directives (:red[…], :material/…:), emoji short codes and bare-URL links on top. Visitor text must
show as the characters given, so it goes through `literal` before it meets any of them, and a
message that carries visitor text is drawn with `say`, which escapes the whole message.

Backslash escapes alone are not enough. Some of Streamlit's Markdown plugins search the text
*after* the escapes are resolved: bare links (https://…, www.…, a@b.co), the icon short codes
:material_…: and :streamlit:, emoji short codes, and arrows made of "->", "<=", "--". `literal`
puts an invisible WORD JOINER (U+2060) where those patterns would start, so none of them matches
and the text still reads, and wraps, exactly as given (checked in Chromium by
tests/test_browser_planted.py).
"""
from __future__ import annotations

import re

import streamlit as st

from core.text import visible

# CommonMark lets a backslash escape any ASCII punctuation character, and an escaped character
# can start no construct: no link, image, emphasis, formula, directive, short code or autolink.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
JOINER = "\u2060"  # WORD JOINER: invisible, no line break; splits what the plugins above search for
# Where a joiner goes: after a colon that touches the next character (https://, :material_x:,
# :streamlit:, :smile:), before every @ (e-mail links), between "www" and its dot, and inside the
# pairs that Streamlit turns into arrows and dashes (->, <-, <->, --, >=, <=, ~=).
_SPLIT = re.compile(r"(?<=:)(?=\S)|(?=@)|(?i:(?<=www)(?=\.))|(?<=[<>~-])(?=[>=-])")
# An alert whose body starts with an emoji would take it for its icon: each kind has its own.
_ICONS = {"error": ":material/error:", "warning": ":material/warning:", "info": ":material/info:",
          "success": ":material/check_circle:"}


def literal(text: str) -> str:
    """Escape `text` so that Streamlit's Markdown shows exactly its characters, as `visible` gives
    them (the joiners it adds are invisible; `read_back` removes them with the escapes)."""
    return _PUNCTUATION.sub(r"\\\1", _SPLIT.sub(JOINER, visible(text)))


def read_back(markdown: str) -> str:
    """What a reader sees of a `literal` text: the escapes and joiners taken out (for tests)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(JOINER, "")


def say(kind: str, message: str, icon: str | None = None) -> None:
    """Draw a message that carries visitor text: st.error / warning / info / success / caption,
    with the whole message shown literally (so it has no Markdown of its own either)."""
    draw = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}
    if kind == "caption":
        st.caption(literal(message))
    else:
        draw[kind](literal(message), icon=icon or _ICONS[kind])


def table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A few rows of figures as one Markdown table, every cell shown literally: a real table for a
    screen reader, and light to send (st.dataframe converts its frame to Arrow on every run,
    a tenth of a room's phone's rerun of chapter 1)."""
    def line(cells) -> str:
        return "| " + " | ".join(literal(str(c)) for c in cells) + " |"
    st.markdown("\n".join([line(columns), "|" + " --- |" * len(columns), *map(line, rows)]))
