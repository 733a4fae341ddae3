"""Chapter 4's three small numbers: the article's code run in torch, what `==` answers for them,
and how often it answers True for random triples (so the reader compares with a tolerance)."""
from __future__ import annotations

import streamlit as st

from core import formatting, underflow
from ui.cached_builders import log_equality_rate
from ui.frame import Page

_FLOAT32_DIGITS = "A float32 holds about 7 significant digits, so that is all shown."


def three_numbers(page: Page) -> underflow.LogExample:
    """The article's code with its factors, its results, and what they show."""
    ex = underflow.article_log_example()
    a, b, c = underflow.ARTICLE_FACTORS
    total32, direct32 = underflow.float32_text(ex.sum_of_logs), underflow.float32_text(ex.log_of_product)
    st.code(
        f"""import torch

a, b, c = {a}, {b}, {c}
product = a * b * c                      # a plain Python float

sum_of_logs = (torch.log(torch.tensor(a))
               + torch.log(torch.tensor(b))
               + torch.log(torch.tensor(c)))
log_of_product = torch.log(torch.tensor(product))

print(product, sum_of_logs, log_of_product)
print(log_of_product == sum_of_logs)               # equal to the last bit?
print(torch.isclose(log_of_product, sum_of_logs))  # equal up to rounding""",
        language="python",
    )
    # A grid of columns, not two rows: rows size each metric to its content, so the grid would not line up.
    r1 = st.columns(2)
    r1[0].metric("product a × b × c", formatting.shortest(ex.product))
    r1[1].metric("equal in float32?", str(ex.torch_equal))
    r2 = st.columns(2)
    r2[0].metric("log a + log b + log c", total32, help=_FLOAT32_DIGITS)
    r2[1].metric("log(a × b × c)", direct32, help=_FLOAT32_DIGITS)
    page.formula(
        rf"""\begin{{aligned}}
    \log({a} \times {b} \times {c}) &= \log\left({formatting.value_tex(ex.product, 1)}\right) = {direct32} \\
    \log {a} + \log {b} + \log {c} &= {total32}
    \end{{aligned}}"""
    )
    zeros = formatting.zeros_after_point(ex.product)
    if ex.torch_equal:
        outcome = "Here both routes land on the very same float32 number, so `==` answers `True`."
    else:
        outcome = (f"Here the two routes land on different float32 numbers, {total32} and {direct32}, "
                   "so `==` answers `False`.")
    page.explain(
        f"{outcome} Either way, the log turned a number with {formatting.count(zeros, 'zero')} after the decimal "
        f"point into an ordinary one, close to {formatting.num(round(ex.log_of_product), '.0f')}."
    )
    return ex


def equality_rate(torch_equal: bool) -> None:
    """The same code on many random triples: `==` is luck, a tolerance is the rule."""
    rate = log_equality_rate()
    luck = ("That `True` belongs to these three numbers; it is not a rule." if torch_equal
            else "Equality to the last bit is not a rule either way.")
    st.info(
        f"{luck} The two routes round at different moments (three logs each rounded to float32 and then "
        f"added, against one product rounded and then logged), so in general their answers differ in the "
        f"last bits. The same code on {formatting.num(rate.trials, ',')} random triples of probabilities: `==` "
        f"holds for {formatting.num(rate.equal, ',')} of them ({formatting.num(rate.share, '.0%')}); for the others "
        f"the two sides differ by up to {formatting.sig(rate.largest_gap, 2)}, at most "
        f"{formatting.count(round(rate.largest_ulps), 'unit')} in the last place "
        f"of a float32 that size. So compare computed results with a tolerance (`torch.isclose`, "
        f"`math.isclose`), not with `==`.",
        icon=":material/info:",
    )
