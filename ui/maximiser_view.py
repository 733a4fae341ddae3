"""Chapter 4's two curves over μ, L and log L with σ held, each with its highest point marked,
and the verdict on whether they peak at the same μ (core.normal.SameMaximiser)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.normal import Mark
from core.formatting import axis_power, num, superscript
from core.charts.style import VERMILLION
from core.normal import SameMaximiser
from ui.cached_builders import curve_with_marks
from ui.frame import Page


def curves_and_verdict(page: Page, same: SameMaximiser) -> None:
    power = axis_power(float(same.likelihood.max()))     # L's axis in units of 10^power, never 2.5e-6
    in_units = f" (× 10{superscript(power)})" if power else ""
    curves = ((same.likelihood / 10.0**power, "L", f"likelihood L{in_units}", same.argmax_likelihood, ".2~f"),
              (same.log_likelihood, "log L", "log-likelihood log L", same.argmax_log_likelihood, ",.0f"))
    tables = (same.likelihood, same.log_likelihood)
    for column, (values, name, axis, argmax, y_format), raw in zip(st.columns(2), curves, tables):
        with column:
            st.markdown(f"**{name}(μ | x), σ = {num(same.sigma, '.4g')}**")
            page.chart(
                curve_with_marks(same.mus, values, "μ", axis,
                                 [Mark(argmax, f"max at μ = {num(argmax, '.4f')}", VERMILLION)],
                                 height=page.chart_height, y_format=y_format),
                f"{name} over μ from {num(same.mus[0], '.4g')} to {num(same.mus[-1], '.4g')} peaks at "
                f"μ = {num(argmax, '.4f')}.",
                pd.DataFrame({"μ": same.mus[::20], f"{name}(μ | x)": raw[::20]}),
            )
    verdict = (f"On a grid of {len(same.mus)} values of μ, L is largest at μ = {num(same.argmax_likelihood, '.4f')} "
               f"and log L is largest at μ = {num(same.argmax_log_likelihood, '.4f')}")
    if same.agree:
        st.success(f"{verdict}: the same point, the mean of the data.", icon=":material/check_circle:")
    else:
        st.warning(f"{verdict}: they differ here, which only rounding on the grid could cause.")
