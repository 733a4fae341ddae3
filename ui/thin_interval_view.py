"""Chapter 1's last section: why a density can stand in for a probability. Over [x, x + Δ] the area
under the curve is nearly the rectangle p(x) · Δ, and the two agree more closely as Δ shrinks
(core/thin_interval.py); the chart zooms in on the strip (core.charts.normal.thin_strip)."""
from __future__ import annotations

import streamlit as st

from core import thin_interval
from core.formatting import num, small, small_tex
from ui.cached_builders import thin_strip, thin_strip_summary, thin_strip_table
from ui.frame import Page


def _x(value: float) -> str:
    """An end of the thin interval: enough digits to tell x from x + Δ at the smallest Δ."""
    return num(value, ".10g")


def density_as_probability(page: Page, mu: float, sigma: float) -> None:
    st.subheader("Why a density can stand in for a probability")
    page.explain(
        "The chance of one exact value is 0, so what can a density's height mean? Take a thin interval "
        "[x, x + Δ]. Across it the curve is nearly flat, so the area under it, a probability, is nearly a "
        "rectangle: height p(x) times width Δ. Shrink Δ and the two agree ever more closely: "
        "P(x ≤ X ≤ x + Δ) ≈ p(x) · Δ. The next chapters multiply densities: each one stands for the "
        "probability of a tiny interval around an observation, divided by its width Δ, and Δ is the same "
        "for every candidate, so it cannot change which one wins. Both controls count in standard deviations: "
        "thin means thin compared with σ, the scale on which the curve bends."
    )
    z_lo, z_hi, z_step = thin_interval.Z_RANGE
    k_lo, k_hi, k_step = thin_interval.K_RANGE
    page.url_number("thin_z", 1.0, z_lo, z_hi)
    page.url_number("thin_k", 1.0, k_lo, k_hi)
    controls, figure = st.columns([1, 2], gap="large")
    with controls:
        page.slider("where x sits: z = (x − μ) / σ", "thin_z", step=z_step, format="%.2f")
        page.slider("how wide: Δ / σ", "thin_k", step=k_step, format="%.3f")
    t = thin_interval.in_sigmas(st.session_state.thin_z, st.session_state.thin_k, mu, sigma)
    x, delta = t.x, t.delta
    with controls:
        st.caption(f"x = {_x(x)}, Δ = {_x(delta)}")
        st.metric("exact area P(x ≤ X ≤ x + Δ)", small(t.area))
        st.metric("rectangle p(x) · Δ", small(t.shown_rectangle))
        st.metric("area / (p(x) · Δ)", num(t.ratio, ".4f"), help="Tends to 1 as Δ shrinks to 0.")
    with figure, page.first_on_phone():
        page.chart(thin_strip(mu, sigma, x, delta, height=page.chart_height),
                   thin_strip_summary(mu, sigma, x, delta), thin_strip_table(mu, sigma, x, delta))
    height = small_tex(t.height, thin_interval.HEIGHT_DIGITS)
    page.formula(
        rf"""\begin{{aligned}}
        &P({_x(x)} \le X \le {_x(x + delta)}) = {small_tex(t.area)} \\
        &p({_x(x)}) \cdot \Delta = {height} \times {_x(delta)} = {small_tex(t.shown_rectangle)} \\
        &\frac{{P({_x(x)} \le X \le {_x(x + delta)})}}{{p({_x(x)}) \cdot \Delta}} = {num(t.ratio, ".4f")}
        \end{{aligned}}"""
    )
    st.caption("The table under the chart divides Δ by 10 again and again: the ratio closes in on 1.")
