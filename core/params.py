"""Reading user-supplied values (URL query parameters, typed data) safely.

Every parser takes raw text, never evaluates it, and either returns a value inside its
bounds or says in plain words why it fell back to the default.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_RAW_LENGTH = 64           # a number in a URL is never longer than this
MAX_OBSERVATIONS = 1000       # typed data beyond this belongs in a file, not a text box
MAX_DATA_TEXT = 20_000


@dataclass(frozen=True)
class Parsed:
    value: object
    notice: str | None = None  # set when the raw value was rejected and the default used


def parse_number(raw: str | None, default: float, lo: float, hi: float,
                 *, integer: bool = False, name: str = "value") -> Parsed:
    """A finite number within [lo, hi]; anything else gives the default and a notice."""
    if raw is None or raw == "":
        return Parsed(default)
    text = str(raw).strip()
    if len(text) > MAX_RAW_LENGTH:
        return Parsed(default, f"'{name}' was too long to be a number; using {default}.")
    try:
        value = float(text)
    except ValueError:
        return Parsed(default, f"'{name}={text}' is not a number; using {default}.")
    if not math.isfinite(value):
        return Parsed(default, f"'{name}={text}' is not a finite number; using {default}.")
    if integer:
        if value != int(value):
            return Parsed(default, f"'{name}={text}' must be a whole number; using {default}.")
        value = int(value)
    if not lo <= value <= hi:
        return Parsed(default, f"'{name}={text}' is outside {lo:g} to {hi:g}; using {default}.")
    return Parsed(value)


def parse_choice(raw: str | None, default: str, choices, *, name: str = "value") -> Parsed:
    """One of a fixed set of strings; anything else gives the default and a notice."""
    if raw is None or raw == "":
        return Parsed(default)
    if raw in choices:
        return Parsed(raw)
    shown = raw if len(raw) <= MAX_RAW_LENGTH else raw[:MAX_RAW_LENGTH] + "…"
    return Parsed(default, f"'{name}={shown}' is not one of {', '.join(map(str, choices))}; using {default}.")


def parse_flag(raw: str | None) -> bool:
    return str(raw).strip().lower() in {"1", "true", "yes", "on"}


class DataError(ValueError):
    """Typed observations that cannot be used; the message is meant for the user."""


_SEPARATORS = re.compile(r"[\s,;]+")


def parse_observations(text: str) -> tuple[float, ...]:
    """Numbers separated by commas, semicolons, spaces or new lines."""
    if len(text) > MAX_DATA_TEXT:
        raise DataError(f"That is more than {MAX_DATA_TEXT:,} characters; type at most {MAX_OBSERVATIONS} numbers.")
    tokens = [t for t in _SEPARATORS.split(text.strip()) if t]
    if not tokens:
        raise DataError("Type at least one observation: a likelihood needs data.")
    if len(tokens) > MAX_OBSERVATIONS:
        raise DataError(f"{len(tokens):,} numbers is more than the {MAX_OBSERVATIONS} this box takes.")
    values = []
    for i, token in enumerate(tokens, 1):
        try:
            value = float(token)
        except ValueError:
            shown = token if len(token) <= 20 else token[:20] + "…"
            raise DataError(f"Item {i}, '{shown}', is not a number.") from None
        if not math.isfinite(value) or abs(value) > 1e9:
            raise DataError(f"Item {i}, '{token}', is not a usable number (finite, at most 1e9 in size).")
        values.append(value)
    return tuple(values)


def format_observations(values) -> str:
    """The inverse of parse_observations for any value typed with up to 10 significant digits."""
    return ", ".join(f"{v:.10g}" for v in values)
