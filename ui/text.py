"""The one rule for visitor text (URL values, typed data, uploaded names, file names, the name box).

Streamlit reads every notice, caption and label as Markdown, with LaTeX ($…$), colour and icon
directives (:red[…], :material/…:), emoji short codes and bare-URL links on top. Visitor text must
show as the characters given, so it goes through `literal` before it meets any of them, and a
message that carries visitor text is drawn with `say`, which escapes the whole message.
"""
from __future__ import annotations

import re
import unicodedata

import streamlit as st

# CommonMark lets a backslash escape any ASCII punctuation character, and an escaped character
# can start no construct: no link, image, emphasis, formula, directive, short code or autolink.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# Characters that reorder or hide the text around them (bidi overrides, isolates and marks,
# zero-width joiners and the like): shown as their code point instead.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
MAX_SHOWN = 200  # a visitor's value quoted back is cut here


def visible(text: str) -> str:
    """`text` with line breaks as spaces and every invisible or reordering character as ⟨U+XXXX⟩."""
    text = unicodedata.normalize("NFC", str(text))
    text = _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def shortened(text: str) -> str:
    """A visitor's value as it is quoted back in a message: visible, and cut at MAX_SHOWN."""
    text = visible(text)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def literal(text: str) -> str:
    """Escape `text` so that Streamlit's Markdown shows exactly its characters."""
    return _PUNCTUATION.sub(r"\\\1", visible(text))


def say(kind: str, message: str, icon: str | None = None) -> None:
    """Draw a message that carries visitor text: st.error / warning / info / success / caption,
    with the whole message shown literally (so it has no Markdown of its own either)."""
    draw = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}
    if kind == "caption":
        st.caption(literal(message))
    else:
        draw[kind](literal(message), icon=icon)


plain = literal  # the old name, until every caller says literal / say
