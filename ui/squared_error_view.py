"""Chapter 6: mean squared error is the NLL of a normal with σ held (core.nll.squared_error): the two
curves over μ side by side, lowest at the same μ, and the exact relation between them written out."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import formatting, nll, normal
from core.charts.normal import Mark
from core.charts.style import GREY, VERMILLION
from ui.cached_builders import curve_with_marks
from ui.frame import Page

DATA = normal.ARTICLE_DATA
MU_RANGE = (40.0, 65.0)


def section(page: Page) -> None:
    page.explain(
        "Fit a line or a curve by least squares and you lower the mean squared error, MSE = SSE/n, the "
        "average of the squared distances (xᵢ − μ)². That is an NLL in disguise: the NLL of a normal "
        "whose σ is held fixed. Written out, it is a constant plus the sum of squared errors over 2σ², so "
        "it is lowest exactly where the squared error is. Move σ: the NLL curve moves up or down and "
        "steepens or flattens, but its lowest point never moves sideways."
    )
    page.url_number("mse_sigma", 2.0, 0.5, 10.0)
    page.url_number("mse_mu", 50.0, *MU_RANGE)
    with page.controls_row():
        page.slider("σ held at", "mse_sigma", step=0.1)
        page.slider("μ where the two are compared", "mse_mu", step=0.05)
    se = nll.squared_error(DATA, st.session_state.mse_sigma, st.session_state.mse_mu, *MU_RANGE)
    marks = [Mark(se.mean, f"lowest, x̄ = {formatting.num(se.mean, '.4g')}", VERMILLION),
             Mark(se.mu, f"μ = {formatting.num(se.mu, '.4g')}", GREY)]
    about_mse, about_nll = nll.squared_error_summaries(se)
    rows = slice(None, None, 20)
    left, right = st.columns(2)
    with left:
        st.markdown("**Mean squared error, MSE(μ)**")
        page.chart(curve_with_marks(se.mus, se.mse, "μ", "MSE(μ)", marks, height=page.chart_height, y_format=",.4~r"),
                   about_mse, pd.DataFrame({"μ": se.mus[rows], "MSE(μ)": se.mse[rows]}))
    with right:
        st.markdown(f"**NLL of N(μ, {formatting.num(se.sigma, '.4g')}²)**")
        page.chart(curve_with_marks(se.mus, se.nll, "μ", "−log L(μ | x, σ)", marks,
                                    height=page.chart_height, y_format=",.4~r"),
                   about_nll, pd.DataFrame({"μ": se.mus[rows], "−log L(μ | x, σ)": se.nll[rows]}))
    (constant, scaled), total = nll.relation_terms(se)
    sigma = formatting.num(se.sigma, ".4g")
    page.formula(
        rf"""\begin{{aligned}}
    -\log L(\mu \mid x, \sigma) &= \frac{{n}}{{2}} \ln(2\pi\sigma^2) + \frac{{\mathrm{{SSE}}(\mu)}}{{2\sigma^2}},
    \qquad \mathrm{{SSE}}(\mu) = \sum_{{i=1}}^{{n}} (x_i - \mu)^2 = n \cdot \mathrm{{MSE}}(\mu) \\
    \mu = {formatting.num(se.mu, '.4g')}: \quad
    &\frac{{{se.n}}}{{2}} \ln(2\pi \cdot {sigma}^2) + \frac{{{formatting.num(se.sse, '.4f')}}}{{2 \cdot {sigma}^2}}
    = {constant} + {scaled} = {total}
    \end{{aligned}}"""
    )
    st.caption(f"{total} is −Σ ln p(xᵢ | μ, σ) summed directly from the densities, not from the formula: the two "
               "agree. The first term does not depend on μ, and the second is the squared error times a positive "
               "number, so both curves are lowest at the same μ, the mean of the data, for every σ.")
