"""Chapter 4's running products, drawn: where each float type's product first becomes 0.0, the
log-likelihood that stays finite, and both as charts (core.underflow.RunningProducts)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import formatting, underflow
from core.underflow import RunningProducts
from ui.cached_builders import log_likelihood_growth, underflow_chart
from ui.frame import Page


def _zero_text(at: int | None) -> str:
    return f"{at:,}" if at is not None else "not yet at this n"


def _where(at: int | None, n: int) -> str:
    return f"at n = {at:,}" if at is not None else f"not yet, within n = {n:,}"


def figures(page: Page, products: RunningProducts) -> None:
    """The first 0.0 of each product, the log-likelihood at n, and what they say together."""
    n = len(products.n)
    m1, m2, m3 = st.columns(3)
    m1.metric("float32 product first 0.0 at n =", _zero_text(products.zero_at32))
    m2.metric("float64 product first 0.0 at n =", _zero_text(products.zero_at64))
    p32, p64 = float(products.product32[-1]), float(products.product64[-1])
    ll_n = float(products.log_likelihood[-1])
    m3.metric(f"log-likelihood at n = {n:,}", formatting.num(ll_n, ",.2f"))
    page.formula(
        rf"""\begin{{aligned}}
    \prod_{{i=1}}^{{{n}}} p(x_i) &= {formatting.value_tex(p32)} \quad \text{{(float32)}}, \qquad
    {formatting.value_tex(p64)} \quad \text{{(float64)}} \\
    \sum_{{i=1}}^{{{n}}} \log p(x_i) &= {formatting.num(ll_n, ".4f")}
    \end{{aligned}}"""
    )
    if products.zero_at32 is None:
        st.info(f"Neither product has reached 0.0 at n = {n:,}: not yet at this n. Raise n to watch it happen.",
                icon=":material/info:")
    elif products.zero_at64 is None:
        st.info(f"The float32 product is 0.0 from n = {products.zero_at32:,}; the float64 product has not "
                f"reached 0.0 at n = {n:,}: not yet at this n. Raise n to watch it go too.", icon=":material/info:")
    else:
        st.success(f"From n = {products.zero_at64:,} on, both products are exactly 0.0, yet the log-likelihood "
                   f"is still an ordinary number: {formatting.num(ll_n, ',.2f')} at n = {n:,}.",
                   icon=":material/check_circle:")


def _log_trend(products: RunningProducts) -> str:
    """Which way the running log-likelihood goes, counted from the sample."""
    n, ups = len(products.n), underflow.rises(products.log_likelihood)
    if n == 1:
        return "With a single observation there is one point: its log density."
    if ups == 0:
        return "The log-likelihood falls with every observation added after the first (none has a density above 1)."
    if ups == n - 1:
        return "The log-likelihood rises with every observation added after the first (each has a density above 1)."
    return (f"Of the {formatting.count(n - 1, 'observation')} added after the first, the log-likelihood "
            f"rises with the {ups:,} whose density is above 1 and falls with the rest.")


def charts(page: Page, products: RunningProducts) -> None:
    """The running products (log scale) beside the running sum of logs, thinned to a few hundred points."""
    n, ll_n = len(products.n), float(products.log_likelihood[-1])
    idx = underflow.thin_for_plot(n)
    ns = products.n[idx]
    left, right = st.columns(2)
    with left:
        st.markdown("**The running product (log scale)**")
        page.chart(
            underflow_chart(ns, products.product32[idx], products.product64[idx], height=page.chart_height),
            f"The product of the first n densities, on a log scale. Each line stops where its product becomes "
            f"0.0: float32 {_where(products.zero_at32, n)} (its smallest "
            f"positive number is about {underflow.FLOAT32_TINY:.1e}), float64 {_where(products.zero_at64, n)} "
            f"(about {underflow.FLOAT64_TINY:.1e}).",
            pd.DataFrame({"n": ns, "product (float32)": products.product32[idx].astype(float),
                          "product (float64)": products.product64[idx]}),
        )
    with right:
        st.markdown("**The running sum of logs**")
        page.chart(
            log_likelihood_growth(ns, products.log_likelihood[idx], height=page.chart_height),
            _log_trend(products) + f" It stays finite all the way: {formatting.num(ll_n, ',.2f')} at n = {n:,}.",
            pd.DataFrame({"n": ns, "log-likelihood": products.log_likelihood[idx]}),
        )
