"""Chapter 5's closed form: the two equations of the top solved for a normal, with the article's
numbers in (core.normal.closed_form), and how the article's stated mean and sd relate to them."""
from __future__ import annotations

import streamlit as st

from core import formatting, normal
from core.formatting import num
from ui.frame import Page
from ui.layout import row


def _four(x: float) -> str:
    return num(x, ".4f")


def section(page: Page, data) -> normal.ClosedForm:
    cf = normal.closed_form(data)
    st.caption(f"The article's {formatting.number_word(cf.n)} observations: " + ", ".join(num(x) for x in data))
    page.explain(
        "For a normal the two equations can be solved by hand. Setting the μ-derivative to zero gives "
        "the mean; setting the σ-derivative to zero gives the root mean squared distance from that mean."
    )
    page.formula(
        r"""\begin{aligned}
    \frac{\partial \log L}{\partial \mu} &= \frac{1}{\sigma^2} \sum_{i=1}^{n} (x_i - \mu) = 0 \\
    \frac{\partial \log L}{\partial \sigma} &= -\frac{n}{\sigma} + \frac{1}{\sigma^3} \sum_{i=1}^{n} (x_i - \mu)^2 = 0
    \end{aligned}"""
    )
    squares = _four(cf.sum_sq_dev)
    page.formula(
        rf"""\begin{{aligned}}
    \hat\mu &= \frac{{1}}{{n}} \sum_{{i=1}}^{{n}} x_i = \frac{{{_four(cf.total)}}}{{{cf.n}}} = {_four(cf.mean)} \\
    \hat\sigma &= \sqrt{{\frac{{1}}{{n}} \sum_{{i=1}}^{{n}} (x_i - \hat\mu)^2}}
    = \sqrt{{\frac{{{squares}}}{{{cf.n}}}}} = {_four(cf.sigma_mle)} \\
    s &= \sqrt{{\frac{{1}}{{n-1}} \sum_{{i=1}}^{{n}} (x_i - \hat\mu)^2}}
    = \sqrt{{\frac{{{squares}}}{{{cf.n - 1}}}}} = {_four(cf.sample_std)}
    \end{{aligned}}"""
    )
    estimates = row()
    estimates.metric("μ̂, the mean", _four(cf.mean))
    estimates.metric("σ̂, the MLE (divides by n)", _four(cf.sigma_mle))
    estimates.metric("s, sample std (divides by n − 1)", _four(cf.sample_std))
    stated = normal.stated_summary(data)
    said = f"The article says its points come from a normal with mean {num(stated.stated_mean)} and sd {num(stated.stated_sd)}"
    if stated.mean_is_xbar and stated.sd_is_sigma_mle:
        st.markdown(
            f"{said}. Those two figures are these points' own μ̂ = {_four(stated.mean)} and "
            f"σ̂ = {_four(stated.sigma_mle)}, rounded to {stated.decimals} decimals: the sd is the one that divides "
            f"by *n*" + ("." if stated.sd_is_sample_std else f", not s = {_four(stated.sample_std)}.")
        )
    else:
        st.markdown(f"{said}; these points give μ̂ = {_four(stated.mean)}, σ̂ = {_four(stated.sigma_mle)} "
                    f"and s = {_four(stated.sample_std)}.")
    return cf
