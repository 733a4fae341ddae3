"""Chapter 5: σ̂'s bias shown by simulation (core.bias): many samples of size n, the spread of σ̂ and
of s against the true σ with their means marked, and what the averages say against the closed forms."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core import bias, formatting
from core.charts.estimators import sampling_distributions_summary
from ui.cached_builders import bias_simulation, sampling_distributions
from ui.frame import Page


def section(page: Page) -> None:
    page.explain(
        "An estimator is unbiased when its average over many samples is the value it estimates. To see "
        "whether σ̂ and s are, draw many samples of n observations from a normal whose σ you choose, compute "
        "both for every sample, and look where they land on average."
    )
    page.url_number("bias_n", 5, 2, 100, integer=True)
    page.url_number("bias_samples", 10_000, 100, bias.MAX_DRAWS // 100, integer=True)
    page.url_number("bias_sigma", 5.0, 0.1, 50.0)
    page.url_number("bias_seed", 0, 0, 2**31 - 1, integer=True)
    with page.controls_row():
        page.number_input("observations per sample n", "bias_n", step=1)
        page.number_input("samples drawn", "bias_samples", step=1000)
    with page.controls_row():
        page.number_input("true σ", "bias_sigma", step=0.5, format="%.4g")
        page.number_input("seed", "bias_seed")
    sim = bias_simulation(st.session_state.bias_n, st.session_state.bias_samples,
                          float(st.session_state.bias_sigma), st.session_state.bias_seed)
    bins = bias.histograms(sim)
    hat, s = sim.estimator("σ̂").simulated, sim.estimator("s").simulated
    page.chart(
        sampling_distributions(bins.edges, bins.sigma_hat, bins.s, sim.sigma, hat, s, height=page.chart_height),
        sampling_distributions_summary(sim),
        pd.DataFrame({"from": bins.edges[:-1], "to": bins.edges[1:], "samples with σ̂ here": bins.sigma_hat,
                      "samples with s here": bins.s}),
    )
    n = sim.n
    page.formula(
        rf"""\mathbb{{E}}[\hat\sigma^2] = \frac{{n-1}}{{n}}\,\sigma^2, \qquad \mathbb{{E}}[s^2] = \sigma^2, \qquad
        \mathbb{{E}}[s] = c_4(n)\,\sigma, \quad c_4({n}) = \sqrt{{\frac{{2}}{{n-1}}}}\,
        \frac{{\Gamma(n/2)}}{{\Gamma((n-1)/2)}} = {formatting.num(bias.c4(n), '.4f')}"""
    )
    st.markdown("\n".join(f"- {bias.sentence(e, sim)}" for e in sim.estimators))
    st.caption(
        f"The noise is {formatting.num(bias.NOISE, 'g')} standard errors of a mean over the samples drawn: a correct "
        "simulation lands that far from the truth about 3 times in 1,000. Dividing by n − 1 makes the variance "
        "unbiased, not its square root: the square root of an average is above the average of square roots, "
        "so s, the root of an unbiased s², is a little low in expectation: E[s] = c4(n) σ, and c4(n) < 1. A "
        "run's mean of s lands near that, within its noise, so it can fall on either side of σ."
    )
