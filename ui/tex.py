"""Numbers written for st.latex (scientific notation as a power of ten, not 'e-07'), and a display
formula cut into the lines a phone shows."""
from __future__ import annotations

import math
import re


def sci(value: float, digits: int = 4) -> str:
    """7.003e-07 → '7.0030 \\times 10^{-7}'; ordinary sizes stay plain; 0.0 and inf spelled out."""
    if value == 0 or not math.isfinite(value):
        return {0.0: "0", math.inf: r"\infty", -math.inf: r"-\infty"}.get(value, r"\text{NaN}")
    exponent = math.floor(math.log10(abs(value)))
    if -3 <= exponent < 5:
        return f"{value:.{digits}g}"
    mantissa = value / 10**exponent
    return rf"{mantissa:.{digits}f} \times 10^{{{exponent}}}"


def product(values, shown: int = 5, fmt: str = "{:.4f}") -> str:
    """a × b × c × ⋯, at most `shown` factors written out."""
    values = list(values)
    text = r" \times ".join(fmt.format(v) for v in values[:shown])
    return text + (r" \times \cdots" if len(values) > shown else "")


_ENVIRONMENT = re.compile(r"\\(begin|end)\{aligned\}")
_ROW_BREAK = re.compile(r"\\\\")
_CLAUSE_BREAK = re.compile(r"\\qquad\s*")


def lines(latex: str) -> list[str]:
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
    return out


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
