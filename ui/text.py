"""User-supplied text inside Streamlit markdown, shown as the characters typed."""
from __future__ import annotations

import re

# Markdown punctuation, plus '$' (Streamlit renders $...$ as LaTeX) and '<' '>' (raw HTML).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """Escape `text` so that markdown shows it literally: no links, images, emphasis or formulas."""
    return _SPECIAL.sub(r"\\\1", text)
