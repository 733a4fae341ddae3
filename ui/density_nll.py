"""Chapter 6's NLL of a measurement: p is a density, not a probability, so the NLL depends on the
unit the data are written in (core.nll.OtherUnits) and is negative where the density tops 1
(core.nll.NarrowNormal)."""
from __future__ import annotations

import streamlit as st

from core import formatting, nll
from core.nll import NarrowNormal, OtherUnits
from ui.frame import Page
from ui.layout import row
from ui.held_back import held_back


def units_caveat(units: OtherUnits) -> None:
    """The same data in a larger unit: every density taller, the NLL lower by n · ln(factor)."""
    caveat, figures = st.columns([2, 1], gap="large")
    factor = formatting.num(units.factor)
    with caveat:
        change = "drops" if units.nll_rescaled < units.nll else "rises"
        st.info(
            f"The zero floor of the curve holds for outcomes from a list. A measurement on a continuous scale, "
            f"such as the article's {formatting.number_word(units.n)} points, gets a density p, not a probability. "
            f"A density can be larger than 1, so −ln p can be negative, and it depends on the unit the data are "
            f"written in. Divide the article's points by {factor}, the same measurements in a unit "
            f"{factor} times larger: every density at the best normal becomes {factor} times "
            f"taller, and the NLL there {change} from {formatting.num(units.nll, '.2f')} to "
            f"{formatting.num(units.nll_rescaled, '.2f')}, by n · ln {factor} = "
            f"{units.n} × {formatting.num(units.log_factor, '.4f')} = {formatting.shown_gap(units.nll, units.nll_rescaled, 2)}. "
            f"So an NLL says nothing on its own: compare NLLs only on the same data in the same units.",
            icon=":material/straighten:",
        )
    with figures:
        st.metric("NLL at the best normal, the article's units", formatting.num(units.nll, ".4f"))
        st.metric(f"the same, every point divided by {factor}", formatting.num(units.nll_rescaled, ".4f"))


def point_at_mean(page: Page, narrow: NarrowNormal, metrics_in, shown: bool) -> None:
    """One observation at the mean of N(0, σ²): its density, log-likelihood and NLL (the metrics in
    the column `metrics_in`), the working, and whether the NLL came out negative. The sign of that
    NLL is the chapter's question, so all of it waits for the answer (`shown`)."""
    if not shown:
        with metrics_in:
            held_back(page, f"The density at the mean of N(0, {formatting.num(narrow.sigma)}²), the log-likelihood "
                            "and the NLL of x = 0 appear")
        return
    with metrics_in:
        figures = row()
        figures.metric("density at the mean", formatting.num(narrow.peak_density, ".4f"))
        figures.metric("log-likelihood of x = 0", formatting.num(narrow.log_likelihood, ".4f"))
        figures.metric("NLL of x = 0", formatting.num(narrow.nll, ".4f"))
    page.formula(
        rf"""\begin{{aligned}}
    p(0 \mid \mu = 0, \sigma = {formatting.num(narrow.sigma)}) &= \frac{{1}}{{\sigma\sqrt{{2\pi}}}}
    = {formatting.num(narrow.peak_density, ".4f")} \\
    \log L &= \ln {formatting.num(narrow.peak_density, ".4f")} = {formatting.num(narrow.log_likelihood, ".4f")} \\
    -\log L &= {formatting.num(narrow.nll, ".4f")}
    \end{{aligned}}"""
    )
    exact_nll, sigma, limit = formatting.nonzero(narrow.nll), formatting.num(narrow.sigma), formatting.num(nll.SIGMA_PEAK_ONE, ".4f")
    if narrow.nll_negative:
        st.info(f"With σ = {sigma}, below {limit} = 1/√(2π), the density at the mean is above 1, so the NLL of "
                f"an observation sitting there is negative: {exact_nll}.", icon=":material/info:")
    else:
        st.info(f"With σ = {sigma}, at least {limit} = 1/√(2π), the density never exceeds 1, so this NLL is not "
                f"negative. Make σ smaller than {limit} to see it turn negative.", icon=":material/info:")
