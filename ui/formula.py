"""A display formula cut into the lines a phone shows (Page.formula draws them there; numbers in
a formula are written by core.formatting)."""
from __future__ import annotations

import functools
import re

_ENVIRONMENT = re.compile(r"\\(begin|end)\{aligned\}")
_ROW_BREAK = re.compile(r"\\\\")
_CLAUSE_BREAK = re.compile(r"\\qquad\s*")


@functools.lru_cache(maxsize=1024)   # a page draws the same formulas on every rerun; a few kB each
def lines(latex: str) -> tuple[str, ...]:
    """A display formula as the lines a narrow screen shows, one per row of an `aligned` block and
    one per clause set apart with \\qquad; the alignment marks & are dropped (inline math has none).
    Splits only at the top level of braces, so a \\\\ or \\qquad inside a group stays where it is."""
    body = _ENVIRONMENT.sub("", latex)
    out = []
    for row in _top_level_split(body, _ROW_BREAK):
        for clause in _top_level_split(row.replace("&", ""), _CLAUSE_BREAK):
            clause = " ".join(clause.split())
            if clause:
                out.append(clause)
    return tuple(out)


def _top_level_split(text: str, separator: re.Pattern) -> list[str]:
    depth, start, parts = 0, 0, []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and depth == 0 and (match := separator.match(text, i)):
            parts.append(text[start:i])
            start = i = match.end()
            continue
        if char == "\\":
            i += 2      # an escaped character (\{, \\) is not a brace
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        i += 1
    parts.append(text[start:])
    return parts
