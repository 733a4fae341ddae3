"""Chapter 3's sample-size section: n draws from a true normal chosen here (its own sample, apart from
the observations shared with chapter 2), and how log L(μ) narrows as n grows: the curvature at its top,
the standard error and the 95 % likelihood interval (core/sample_size.py), on one chart with the first
quarter of the draws for comparison (core.charts.normal.narrowing)."""
from __future__ import annotations

import streamlit as st

from core import sample_size
from core.formatting import figure, num, small_tex
from ui.cached_builders import narrowing, narrowing_summary, narrowing_table
from ui.frame import Page


def narrowing_section(page: Page) -> None:
    st.subheader("More data, a narrower likelihood")
    page.explain(
        "This section draws **its own sample** from a normal you choose, N(μ₀, σ₀²); the observations above "
        "are not used here. Pull n up and log L(μ) closes in around the truth: the more observations, the more "
        "a step away from μ̂ costs, so the curve is sharper at its top. Its curvature there is n/σ², and one over "
        "its square root, σ/√n, is the standard error of μ̂. The likelihood interval keeps every μ whose log L "
        f"is within {num(sample_size.CUT, '.4f')} of the top, half of χ²₁'s 95 % point: for a normal with σ "
        "held it is exactly μ̂ ± 1.96 σ/√n, the usual 95 % interval. σ is held at the sample's own σ̂, so for "
        "a small n it is a little too narrow (the t interval allows for σ̂'s own error)."
    )
    page.url_number("lf_n", 20, 2, 1000, integer=True)
    page.url_number("lf_true_mu", 50.0, -1000.0, 1000.0)
    page.url_number("lf_true_sigma", 5.0, 0.1, 100.0)
    page.url_number("lf_seed", 0, 0, 2**31 - 1, integer=True)
    controls, chart = st.columns([1, 2], gap="large")
    with controls:
        page.slider("sample size n", "lf_n", step=1)
        mu_box, sigma_box = st.columns(2)   # not a row: in this narrow column a row wraps one box a line
        with mu_box:
            page.number_input("true μ₀", "lf_true_mu", step=1.0)
        with sigma_box:
            page.number_input("true σ₀", "lf_true_sigma", step=0.5)
        page.number_input("seed of the draws", "lf_seed")
    n, mu0, sigma0, seed = (st.session_state[k] for k in ("lf_n", "lf_true_mu", "lf_true_sigma", "lf_seed"))
    sample = sample_size.draw(n, mu0, sigma0, seed)
    p = sample_size.precision(sample)
    with chart, page.first_on_phone():
        page.chart(narrowing(sample, mu0, sigma0, height=page.chart_height), narrowing_summary(sample, mu0, sigma0),
                   narrowing_table(sample))
    centre, half = round(p.mu_hat, 4), round(p.half_width, 4)   # the ends add up as shown
    page.formula(
        rf"""\begin{{aligned}}
        &-\frac{{d^2 \log L}}{{d\mu^2}} = \frac{{n}}{{\hat\sigma^2}} = \frac{{{n}}}{{{figure(p.sigma)}^2}}
         = {small_tex(p.curvature)} \\
        &\frac{{1}}{{\sqrt{{{small_tex(p.curvature)}}}}} = \frac{{\hat\sigma}}{{\sqrt{{n}}}}
         = {small_tex(p.standard_error)} \quad \text{{(the standard error)}} \\
        &\hat\mu \pm {num(sample_size.Z, '.2f')}\,\frac{{\hat\sigma}}{{\sqrt{{n}}}} = {figure(centre)} \pm {figure(half)}
         = [{figure(centre - half)}, {figure(centre + half)}]
        \end{{aligned}}"""
    )
    st.caption(f"This sample's interval {'contains' if p.contains(mu0) else 'misses'} the true μ₀ = {num(mu0)}. "
               "Over many seeds about 19 samples in 20 give an interval that contains it when σ is known; with σ "
               "held at σ̂, a little fewer for a small n.")
