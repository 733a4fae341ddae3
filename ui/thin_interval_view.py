"""Chapter 1's last section: why a density can stand in for a probability. Over [x, x + Δ] the area
under the curve is nearly the rectangle p(x) · Δ, and the two agree more closely as Δ shrinks
(core/thin_interval.py); the chart zooms in on the strip (core.charts.normal.thin_strip)."""
from __future__ import annotations

import streamlit as st

from core import formatting, thin_interval
from core.formatting import num, small, small_tex
from ui.cached_builders import thin_strip, thin_strip_summary, thin_strip_table
from ui.frame import Page


def _format(step: float) -> str:
    """A slider's printf format with as many decimals as its step (a power of ten) has: 0.001 → %.3f."""
    return f"%.{formatting.zeros_after_point(step) + 1 if step < 1 else 0}f"


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
        "for every candidate, so it cannot change which one wins."
    )
    x_lo, x_hi, x_step = thin_interval.x_range(mu, sigma)
    d_lo, d_hi, d_step = thin_interval.delta_range(sigma)
    page.url_number("thin_x", 52.5, -200.0, 300.0)
    page.url_number("thin_delta", 2.5, 1e-4, 40.0)
    controls, figure = st.columns([1, 2], gap="large")
    with controls:
        page.slider("point x", "thin_x", lo=x_lo, hi=x_hi, step=x_step, format=_format(x_step))
        page.slider("width Δ", "thin_delta", lo=d_lo, hi=d_hi, step=d_step, format=_format(d_step))
    x, delta = st.session_state.thin_x, st.session_state.thin_delta
    t = thin_interval.thin_interval(x, delta, mu, sigma)
    with controls:
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
