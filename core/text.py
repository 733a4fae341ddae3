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
# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) and its line and
# paragraph separators (Zl, Zp): shown as spaces. One table, not a category lookup per character
# (tests/test_hostile_inputs.py checks it against every code point's category).
_BREAKS_TO_SPACES = {c: " " for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]}


def normalised(text) -> str:
    """A visitor's text in the one normal form the app reads (NFC)."""
    return unicodedata.normalize(NORMAL_FORM, str(text))


def visible(text) -> str:
    """`text` normalised, with line breaks and other control characters as spaces and every
    invisible or reordering character as ⟨U+XXXX⟩."""
    text = _INVISIBLE.sub(lambda m: f"⟨U+{hex_code(ord(m.group()), 4)}⟩", normalised(text))
    return text.translate(_BREAKS_TO_SPACES)


def shortened(text, limit: int = MAX_SHOWN) -> str:
    """A visitor's value as it is quoted back in a message: visible, and cut at `limit` characters."""
    text = visible(text)
    return text if len(text) <= limit else text[:limit] + "…"
