"""Chapter 4's running products, drawn: where each float type's product first becomes 0.0, the
log-likelihood that stays finite, and both as charts (core.underflow.RunningProducts).

Where the float32 product first becomes 0.0 is the chapter's question, so the products and their
chart wait for its answer (`shown`); the running sum of logs does not give it away and is always drawn."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import formatting, underflow
from core.underflow import RunningProducts
from ui.cached_builders import log_likelihood_growth, underflow_chart
from ui.frame import Page
from ui.held_back import held_back


def _zero_text(at: int | None) -> str:
    return formatting.num(at, ",") if at is not None else "not yet at this n"


def _where(at: int | None, n: int) -> str:
    return f"at n = {formatting.num(at, ',')}" if at is not None else f"not yet, within n = {formatting.num(n, ',')}"


def figures(page: Page, products: RunningProducts, shown: bool) -> None:
    """The first 0.0 of each product (once `shown`), the log-likelihood at n, and what they say together."""
    n, at32, at64 = len(products.n), products.zero_at32, products.zero_at64
    ll_n = float(products.log_likelihood[-1])
    n_text = formatting.num(n, ",")
    if shown:
        m1, m2, m3 = st.columns(3)
        m1.metric("float32 product first 0.0 at n =", _zero_text(at32))
        m2.metric("float64 product first 0.0 at n =", _zero_text(at64))
    else:
        waiting, m3 = st.columns([2, 1])
        with waiting:
            held_back(page, "Where the float32 and the float64 products first become 0.0, and their values at "
                            f"n = {n_text}, appear")
    m3.metric(f"log-likelihood at n = {n_text}", formatting.num(ll_n, ",.2f"))
    sum_of_logs = rf"\sum_{{i=1}}^{{{n}}} \log p(x_i) &= {formatting.num(ll_n, '.4f')}"
    if not shown:
        page.formula(rf"\begin{{aligned}} {sum_of_logs} \end{{aligned}}")
        return
    p32, p64 = float(products.product32[-1]), float(products.product64[-1])
    page.formula(
        rf"""\begin{{aligned}}
    \prod_{{i=1}}^{{{n}}} p(x_i) &= {formatting.value_tex(p32)} \quad \text{{(float32)}} \\
    \prod_{{i=1}}^{{{n}}} p(x_i) &= {formatting.value_tex(p64)} \quad \text{{(float64)}} \\
    {sum_of_logs}
    \end{{aligned}}"""
    )
    if at32 is None:
        st.info(f"Neither product has reached 0.0 at n = {n_text}: not yet at this n. Raise n to watch it happen.",
                icon=":material/info:")
    elif at64 is None:
        st.info(f"The float32 product is 0.0 from n = {formatting.num(at32, ',')}; the float64 product has not "
                f"reached 0.0 at n = {n_text}: not yet at this n. Raise n to watch it go too.", icon=":material/info:")
    else:
        st.success(f"From n = {formatting.num(at64, ',')} on, both products are exactly 0.0, yet the log-likelihood "
                   f"is still an ordinary number: {formatting.num(ll_n, ',.2f')} at n = {n_text}.",
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
            f"rises with the {formatting.num(ups, ',')} whose density is above 1 and falls with the rest.")


def charts(page: Page, products: RunningProducts, shown: bool) -> None:
    """The running products (log scale; once `shown`) beside the running sum of logs, thinned to a
    few hundred points."""
    n, ll_n = len(products.n), float(products.log_likelihood[-1])
    idx = underflow.thin_for_plot(n)
    ns = products.n[idx]
    left, right = st.columns(2)
    with left:
        st.markdown("**The running product (log scale)**")
        if not shown:
            held_back(page, "The running product of the densities, in float32 and in float64, appears")
        else:
            page.chart(
                underflow_chart(ns, products.product32[idx], products.product64[idx], height=page.chart_height),
                f"The product of the first n densities, on a log scale. Each line stops where its product becomes "
                f"0.0: float32 {_where(products.zero_at32, n)} (its smallest positive number is about "
                f"{formatting.sig(underflow.FLOAT32_TINY, 2)}), float64 {_where(products.zero_at64, n)} "
                f"(about {formatting.sig(underflow.FLOAT64_TINY, 2)}).",
                pd.DataFrame({"n": ns, "product (float32)": products.product32[idx].astype(float),
                              "product (float64)": products.product64[idx]}),
            )
    with right:
        st.markdown("**The running sum of logs**")
        page.chart(
            log_likelihood_growth(ns, products.log_likelihood[idx], height=page.chart_height),
            _log_trend(products) + f" It stays finite all the way: {formatting.num(ll_n, ',.2f')} at "
                                   f"n = {formatting.num(n, ',')}.",
            pd.DataFrame({"n": ns, "log-likelihood": products.log_likelihood[idx]}),
        )
