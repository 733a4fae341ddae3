"""The pure half of the rule for visitor text (ui/text.py draws it): one Unicode normalisation,
and the visible form in which a visitor's value is quoted back.

Every text a visitor gives (URL values, typed data, names, uploaded files and their names) is
read through `normalised`, so "é" typed as one character or as e + a combining accent is the
same text everywhere. Quoting it back, `visible` shows the characters that would reorder or hide
the text around them (bidi overrides, isolates, zero-width characters) as their code point,
⟨U+202E⟩, and line breaks as spaces.
"""
from __future__ import annotations

import re
import unicodedata

from core.formatting import hex_code

NORMAL_FORM = "NFC"
MAX_SHOWN = 200  # a visitor's value quoted back is cut here

# Characters that reorder or hide the text around them: the Arabic letter mark, zero-width
# space / joiners and the left-to-right and right-to-left marks, embeddings and overrides,
# the word joiner and invisible operators, isolates, and the byte-order mark.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def normalised(text) -> str:
    """A visitor's text in the one normal form the app reads (NFC)."""
    return unicodedata.normalize(NORMAL_FORM, str(text))


def visible(text) -> str:
    """`text` normalised, with line breaks and other control characters as spaces and every
    invisible or reordering character as ⟨U+XXXX⟩."""
    text = _INVISIBLE.sub(lambda m: f"⟨U+{hex_code(ord(m.group()), 4)}⟩", normalised(text))
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def shortened(text, limit: int = MAX_SHOWN) -> str:
    """A visitor's value as it is quoted back in a message: visible, and cut at `limit` characters."""
    text = visible(text)
    return text if len(text) <= limit else text[:limit] + "…"
