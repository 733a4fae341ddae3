"""Chapter 6's NLL of a measurement: p is a density, not a probability, so the NLL depends on the
unit the data are written in (core.nll.OtherUnits) and is negative where the density tops 1
(core.nll.NarrowNormal)."""
from __future__ import annotations

import streamlit as st

from core import formatting, nll
from core.nll import NarrowNormal, OtherUnits
from ui.frame import Page


def units_caveat(units: OtherUnits) -> None:
    """The same data in a larger unit: every density taller, the NLL lower by n · ln(factor)."""
    caveat, figures = st.columns([2, 1], gap="large")
    with caveat:
        change = "drops" if units.nll_rescaled < units.nll else "rises"
        st.info(
            f"The zero floor of the curve holds for outcomes from a list. A measurement on a continuous scale, "
            f"such as the article's {formatting.number_word(units.n)} points, gets a density p, not a probability. "
            f"A density can be larger than 1, so −ln p can be negative, and it depends on the unit the data are "
            f"written in. Divide the article's points by {units.factor:g}, the same measurements in a unit "
            f"{units.factor:g} times larger: every density at the best normal becomes {units.factor:g} times "
            f"taller, and the NLL there {change} from {formatting.num(units.nll, '.2f')} to "
            f"{formatting.num(units.nll_rescaled, '.2f')}, by n · ln {units.factor:g} = "
            f"{units.n} × {units.log_factor:.4f} = {formatting.num(units.shift, '.2f')}. "
            f"So an NLL says nothing on its own: compare NLLs only on the same data in the same units.",
            icon=":material/straighten:",
        )
    with figures:
        st.metric("NLL at the best normal, the article's units", formatting.num(units.nll, ".4f"))
        st.metric(f"the same, every point divided by {units.factor:g}", formatting.num(units.nll_rescaled, ".4f"))


def point_at_mean(page: Page, narrow: NarrowNormal, metrics_in) -> None:
    """One observation at the mean of N(0, σ²): its density, log-likelihood and NLL (the metrics in
    the column `metrics_in`), the working, and whether the NLL came out negative."""
    with metrics_in:
        r1, r2, r3 = st.columns(3)
        r1.metric("density at the mean", f"{narrow.peak_density:.4f}")
        r2.metric("log-likelihood of x = 0", formatting.num(narrow.log_likelihood, ".4f"))
        r3.metric("NLL of x = 0", formatting.num(narrow.nll, ".4f"))
    page.formula(
        rf"""\begin{{aligned}}
    p(0 \mid \mu = 0, \sigma = {narrow.sigma:g}) &= \frac{{1}}{{\sigma\sqrt{{2\pi}}}} = {narrow.peak_density:.4f} \\
    \log L &= \ln {narrow.peak_density:.4f} = {formatting.num(narrow.log_likelihood, ".4f")} \\
    -\log L &= {formatting.num(narrow.nll, ".4f")}
    \end{{aligned}}"""
    )
    exact_nll = formatting.nonzero(narrow.nll)
    if narrow.nll_negative:
        st.info(f"With σ = {narrow.sigma:g}, below {nll.SIGMA_PEAK_ONE:.4f}, the density at the mean is above 1, "
                f"so the NLL of an observation sitting there is negative: {exact_nll}.", icon=":material/info:")
    else:
        st.info(f"With σ = {narrow.sigma:g}, at least {nll.SIGMA_PEAK_ONE:.4f}, the density never exceeds 1, "
                f"so this NLL is not negative. Make σ smaller than {nll.SIGMA_PEAK_ONE:.4f} to see it turn negative.",
                icon=":material/info:")
