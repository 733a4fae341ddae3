"""Reading user-supplied values (URL query parameters, typed data) safely.

Every parser takes raw text, never evaluates it, and either returns a value inside its
bounds or says in plain words why it fell back to the default. The words are plain text (no
Markdown): the page draws them with ui.text.say, which shows every character as given. A
visitor's value is quoted back in its visible form (core.text.shortened).

How numbers are read, the same way everywhere:
- the text is NFC-normalised (core.text.normalised) and may have spaces around it;
- a number is written with ASCII digits, an optional sign (+, - or the minus sign −), a point
  for decimals and an optional exponent: 48.8, -3, 1e-5, .5. Nothing else is a number: no
  thousands separators (1,000 or 1 000 or 1_000), no decimal comma (48,8), no hex, no other
  scripts' digits;
- typed observations are separated by spaces, new lines, semicolons or commas. A comma between
  two digits (48,8 or 1,000 or 1,2) is refused, not guessed: it could be a decimal comma, a
  thousands separator or two numbers. So is a thin or no-break space between two digits
  (1 000), a common thousands separator.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.formatting import exact, integer, range_ends
from core.text import normalised, shortened

MAX_RAW_LENGTH = 64           # a number in a URL is never longer than this
MAX_OBSERVATIONS = 1000       # typed data beyond this belongs in a file, not a text box
# format_observations writes at most 24 characters a number (-2.2250738585072014e-308) and two
# between them, so the most observations there can be always fit.
MAX_DATA_TEXT = 30_000
MAX_ITEM_SHOWN = 40           # one bad item of typed data is quoted up to this length

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
_MINUS = "\u2212"             # the minus sign the pages themselves print


def read_number(text: str) -> float | None:
    """The number `text` writes (see the module's rules), or None when it writes none.
    inf and nan are read (as themselves), so that the caller can say why they cannot be used."""
    text = normalised(text).strip().replace(_MINUS, "-")
    if _NUMBER.fullmatch(text) or _NOT_FINITE.fullmatch(text):
        return float(text)
    return None


@dataclass(frozen=True)
class Parsed:
    value: object
    notice: str | None = None  # set when the raw value was rejected and the default used


def _comma_hint(text: str) -> str:
    return " (use a point for decimals)" if re.search(r"[0-9],[0-9]", text) else ""


def parse_number(raw: str | None, default: float, lo: float, hi: float,
                 *, integer: bool = False, name: str = "value") -> Parsed:
    """A finite number within [lo, hi]; anything else gives the default and a notice."""
    if raw is None or raw == "":
        return Parsed(default)
    text = normalised(raw).strip()
    said = f"'{name}={shortened(text)}'"
    if len(text) > MAX_RAW_LENGTH:
        return Parsed(default, f"{said} was too long to be a number; using {exact(default)}.")
    value = read_number(text)
    if value is None:
        return Parsed(default, f"{said} is not a number{_comma_hint(text)}; using {exact(default)}.")
    if not math.isfinite(value):
        return Parsed(default, f"{said} is not a finite number; using {exact(default)}.")
    if integer:
        if value != int(value):
            return Parsed(default, f"{said} must be a whole number; using {exact(default)}.")
        value = int(value)
    if not lo <= value <= hi:
        return Parsed(default, f"{said} is outside {' to '.join(range_ends(lo, hi))}; using {exact(default)}.")
    return Parsed(value)


def parse_flag(raw: str | None) -> bool:
    return normalised(raw).strip().lower() in {"1", "true", "yes", "on"}


class DataError(ValueError):
    """Typed observations that cannot be used; the message is meant for the user (plain text)."""


_SEPARATORS = re.compile(r"[\s,;]+")
_AMBIGUOUS_COMMA = re.compile(r"[^\s;]*[0-9],[0-9][^\s;]*")
# A space other than the ordinary one between two digits: how many languages group thousands.
_GROUPING_SPACE = re.compile(r"[0-9]+(?:[\u00a0\u2000-\u200a\u202f\u205f\u3000][0-9]+)+")


def parse_observations(text: str) -> tuple[float, ...]:
    """Numbers separated by spaces, new lines, semicolons or commas (see the module's rules)."""
    if len(text) > MAX_DATA_TEXT:
        raise DataError(f"That is more than {integer(MAX_DATA_TEXT)} characters; type at most {MAX_OBSERVATIONS} numbers.")
    text = normalised(text)
    if (found := _AMBIGUOUS_COMMA.search(text)) is not None:
        raise DataError(f"'{shortened(found.group(), MAX_ITEM_SHOWN)}' has a comma between two digits: a decimal "
                        "comma, a thousands separator or two numbers? Write decimals with a point (48.8), "
                        "thousands without a separator (1000), and put a space after a comma between numbers.")
    if (found := _GROUPING_SPACE.search(text)) is not None:
        raise DataError(f"'{shortened(found.group(), MAX_ITEM_SHOWN)}' has a thin or no-break space between two "
                        "digits: a thousands separator or two numbers? Write thousands without a separator "
                        "(1000) and separate numbers with ordinary spaces.")
    tokens = [t for t in _SEPARATORS.split(text.strip()) if t]
    if not tokens:
        raise DataError("Type at least one observation: a likelihood needs data.")
    if len(tokens) > MAX_OBSERVATIONS:
        raise DataError(f"{integer(len(tokens))} numbers is more than the {MAX_OBSERVATIONS} this box takes.")
    values = []
    for i, token in enumerate(tokens, 1):
        value = read_number(token)
        if value is None:
            raise DataError(f"Item {i}, '{shortened(token, MAX_ITEM_SHOWN)}', is not a number.")
        if not math.isfinite(value) or abs(value) > 1e9:
            raise DataError(f"Item {i}, '{shortened(token, MAX_ITEM_SHOWN)}', is not a usable number "
                            "(finite, at most 1e9 in size).")
        values.append(value)
    return tuple(values)


def shortest(value: float) -> str:
    """The shortest text that reads back as exactly `value` (Python's repr), without a trailing .0."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def format_observations(values) -> str:
    """The inverse of parse_observations: every value is written so that it reads back exactly."""
    return ", ".join(shortest(v) for v in values)
