"""Chapter 3: L(θ | x) as a function of the parameters, one slice at a time and over the plane."""
import numpy as np
import pandas as pd
import streamlit as st

from core import normal
from core.charts.normal import Mark, curve_with_marks, log_likelihood_plane
from core.charts.style import GREY, VERMILLION
from core.params import TINY_SPREAD
from ui import frame, tex
from ui.data_input import linked_data, observations

page = frame.start(__file__, lead="Slide the parameters and watch one number, the likelihood, rise and fall.")

page.explain(
    """
Keep the observations fixed and treat the likelihood as a machine: parameters in, one number
out. Move μ with σ held and you trace a curve; move σ with μ held and you trace another. Both are
slices of one surface over the (μ, σ) plane, and its highest point is the parameter pair that
explains these data best.
"""
)

linked_data(page)  # a notice about the link's x shows here, not in the closed expander
# Keyed: it stays open when the link's notices above it go away on the next run.
with st.expander("The observations (shared with chapter 2)", expanded=False, key="data_shelf"):
    data = observations(page)
best = normal.mle(data)
if best.sigma < TINY_SPREAD:
    if best.sigma == 0:
        st.error("All observations are equal: the likelihood grows without bound as σ shrinks to 0, "
                 "so there is no best normal. Add a different value in the box above.")
    else:
        st.error(f"The observations differ by only {max(data) - min(data):.3g}: the best σ, {best.sigma:.3g}, "
                 "is too small for the likelihood to be computed in 64-bit floats. Spread them further apart "
                 "in the box above.")
    page.finish()
    st.stop()

mus, sigmas = normal.grid_around(data)
page.url_number("mu", 50.0, -1e6, 1e6)
page.url_number("sigma", 5.0, 0.01, 1e6)
page.keep_within("mu", float(mus[0]), float(mus[-1]))
page.keep_within("sigma", float(sigmas[0]), float(sigmas[-1]))
c1, c2 = st.columns(2)
c1.slider("μ", float(mus[0]), float(mus[-1]), key="mu", step=float((mus[-1] - mus[0]) / 200))
c2.slider("σ", float(sigmas[0]), float(sigmas[-1]), key="sigma", step=float((sigmas[-1] - sigmas[0]) / 200))
mu, sigma = st.session_state.mu, st.session_state.sigma
current = normal.score(data, mu, sigma)

st.latex(
    rf"""\begin{{aligned}}
    L(\mu={mu:.4g}, \sigma={sigma:.4g} \mid x) &= \prod_{{i=1}}^{{{len(data)}}} p(x_i \mid \mu, \sigma) \\
    &= {tex.product(data, fmt="p({:g})")} \\
    &= {tex.product(current.densities)} = {tex.sci(current.likelihood)}
    \end{{aligned}}"""
)

left, right = st.columns(2)
sigma_best_here = normal.best_sigma_given_mu(data, mu)
with left:
    st.markdown(f"**L(μ | x) with σ = {sigma:.4g} held**")
    lik_mu = normal.likelihood_over_mu(data, mus, sigma)
    page.chart(
        curve_with_marks(mus, lik_mu, "μ", "likelihood L", [
            Mark(mu, f"μ = {mu:.4g}", GREY), Mark(best.mu, f"max at μ = {best.mu:.4g}", VERMILLION)],
            height=page.chart_height, y_format=".1e"),
        f"Over μ from {mus[0]:.4g} to {mus[-1]:.4g} with σ held at {sigma:.4g}, the likelihood peaks at "
        f"μ = {best.mu:.4f}, the mean of the data, whatever σ is. At the current μ = {mu:.4g} it is {current.likelihood:.4e}.",
        pd.DataFrame({"μ": mus[::20], "L(μ | x)": lik_mu[::20]}),
    )
with right:
    st.markdown(f"**L(σ | x) with μ = {mu:.4g} held**")
    lik_sigma = np.exp(normal.log_likelihood_over_sigma(data, mu, sigmas))
    page.chart(
        curve_with_marks(sigmas, lik_sigma, "σ", "likelihood L", [
            Mark(sigma, f"σ = {sigma:.4g}", GREY), Mark(sigma_best_here, f"max at σ = {sigma_best_here:.4g}", VERMILLION)],
            height=page.chart_height, y_format=".1e"),
        f"Over σ from {sigmas[0]:.4g} to {sigmas[-1]:.4g} with μ held at {mu:.4g}, the likelihood peaks at "
        f"σ = {sigma_best_here:.4f}, the root mean squared distance of the data from μ.",
        pd.DataFrame({"σ": sigmas[::20], "L(σ | x)": lik_sigma[::20]}),
    )

st.subheader("The whole surface: log L over the (μ, σ) plane")
page.explain(
    "Colour shows the log-likelihood (chapter 4 says why logs). Brighter is better. The grey "
    "point is where the sliders are; the vermillion one is the top of the surface."
)
grid = normal.log_likelihood_grid(data, mus, sigmas)
page.chart(
    log_likelihood_plane(mus, sigmas, grid, [
        Mark(mu, "current", GREY, sigma), Mark(best.mu, "maximum", VERMILLION, best.sigma)],
        height=page.chart_height + 60),
    f"The log-likelihood is highest, {normal.log_likelihood(data, best.mu, best.sigma):.4f}, at μ = {best.mu:.4f}, "
    f"σ = {best.sigma:.4f}. At the current point (μ = {mu:.4g}, σ = {sigma:.4g}) it is {current.log_likelihood:.4f}.",
)
page.finish()
