"""Numbers written for st.latex: scientific notation as a power of ten, not 'e-07'."""
from __future__ import annotations

import math


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
