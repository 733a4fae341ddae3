"""Chapter 3: L(θ | x) as a function of the parameters, one slice at a time and over the plane."""
import pandas as pd
import streamlit as st

from core import formatting, normal, questions, sample_size
from core.charts.normal import Mark
from core.charts.style import GREEN, GREY, VERMILLION
from core.formatting import num, plain, plain_pair, round_scale
from core.parsing import shortest
from ui import frame
from ui.held_back import held_back
from ui.question import answered, ask
from ui.sample_size_view import narrowing_section
from ui.cached_builders import curve_with_marks, log_likelihood_plane
from ui.data_input import linked_data, observations

page = frame.page()

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
with page.expander("The observations (shared with chapter 2)", "data_shelf"):
    data = observations(page)
missing = normal.no_best_normal(data)
if missing:
    st.error(" ".join(missing))
    page.stop()
best = normal.mle(data)
n = len(data)

mus, sigmas = normal.grid_around(data)
# Keys of their own: chapter 1 has a μ and a σ too, and each chapter keeps its own.
page.url_number("lf_mu", 50.0, -1e6, 1e6)
page.url_number("lf_sigma", 5.0, 0.01, 1e6)
# On round numbers inside the charts' grids, so that a link carries lf_mu=50.3, not 50.29960401524239.
with page.controls_row():
    for label, key, grid in (("μ", "lf_mu", mus), ("σ", "lf_sigma", sigmas)):
        scale = round_scale(grid[0], grid[-1])
        page.slider(label, key, lo=scale.low, hi=scale.high, step=scale.step, format=scale.format)
mu, sigma = st.session_state.lf_mu, st.session_state.lf_sigma
current = normal.score(data, mu, sigma)

page.formula(
    rf"""\begin{{aligned}}
    L(\mu={plain(mu, 4)}, \sigma={plain(sigma, 4)} \mid x) &= \prod_{{i=1}}^{{{n}}} p(x_i \mid \mu, \sigma) \\
    &= {formatting.product_tex([shortest(x) for x in data], fmt="p({})")} \\
    &= {formatting.product_tex(formatting.factors_tex(current.log_densities, current.log_likelihood), fmt="{}")} = {formatting.sci_tex(current.log_likelihood)}
    \end{{aligned}}"""
)


def _scaled(name: str, k: int) -> str:
    """The name of a likelihood drawn as L × 10^-k (k = 0: as it is)."""
    return name if k == 0 else f"{name} × 10{formatting.superscript(-k)}"


def _too_small(beyond: int, k: int) -> str:
    """What the chart's scale means when L leaves a float's range (normal.beyond_float)."""
    if beyond == 0:
        return ""
    where = ("below 10⁻³⁰⁰, at or past the smallest numbers a 64-bit float holds (about 10⁻³⁰⁸)" if beyond < 0 else
             "above 10³⁰⁰, near or past the largest numbers a 64-bit float holds (about 10³⁰⁸)")
    return (f" Here L stays {where} along the whole curve, so the chart draws L × 10{formatting.superscript(-k)}; "
            "chapter 4 works with log L instead.")


# The chapter's question: is the current μ inside the likelihood interval? Its ends wait for the answer.
question = questions.likelihood_function(data, mu, sigma)
out = answered(page, question, "likelihood_function")
left, right = st.columns(2)
sigma_best_here = normal.best_sigma_given_mu(data, mu)
with left:
    st.markdown(f"**L(μ | x) with σ = {plain(sigma, 4)} held**")
    log_mu = normal.log_likelihood_over_mu(data, mus, sigma)
    lik_mu, k_mu = normal.readable_scale(log_mu)
    lo, hi = questions.interval_ends(sample_size.precision(data, sigma))
    marks = [Mark(mu, f"μ = {plain(mu, 4)}", GREY), Mark(best.mu, f"max at μ = {num(best.mu, '.4f')}", VERMILLION)]
    page.chart(
        curve_with_marks(mus, lik_mu, "μ", _scaled("likelihood L", k_mu), marks + ([
            Mark(float(lo), f"95 % interval from {lo}", GREEN), Mark(float(hi), f"to {hi}", GREEN)] if out else []),
            height=page.chart_height, y_format=",.4~g"),
        f"Over μ from {' to '.join(plain_pair(mus[0], mus[-1]))} with σ held at {plain(sigma, 4)}, the likelihood "
        f"peaks at μ = {num(best.mu, '.4f')}, the mean of the data, whatever σ is. At the current "
        f"μ = {plain(mu, 4)} it is {formatting.sci_words(current.log_likelihood)}."
        + (f" Its 95 % likelihood interval, where L is at least {num(100 * sample_size.KEEP, '.2f')} % of its peak, "
           f"runs from μ = {lo} to {hi}." if out else "") + _too_small(normal.beyond_float(log_mu), k_mu),
        pd.DataFrame({"μ": mus[::20], _scaled("L(μ | x)", k_mu): lik_mu[::20]}),
    )
    if not out:
        held_back(page, "Is the current μ inside this curve's 95 % likelihood interval? Its ends are drawn")
    area_mu = normal.log_area_over_mu(data, sigma)
    st.metric("area under L(μ | x), over all μ", formatting.sci_words(area_mu),
              help="∫ L(μ | x) dμ from −∞ to ∞, σ held: (2πσ²)^(−(n−1)/2) · n^(−1/2) · exp(−Σ(xᵢ − x̄)² / (2σ²)).")
with right:
    st.markdown(f"**L(σ | x) with μ = {plain(mu, 4)} held**")
    log_sigma = normal.log_likelihood_over_sigma(data, mu, sigmas)
    lik_sigma, k_sigma = normal.readable_scale(log_sigma)
    beyond = sigma_best_here > sigmas[-1]
    page.chart(
        curve_with_marks(sigmas, lik_sigma, "σ", _scaled("likelihood L", k_sigma), [
            Mark(sigma, f"σ = {plain(sigma, 4)}", GREY),
            Mark(sigma_best_here, f"max at σ = {num(sigma_best_here, '.4f')}", VERMILLION)],
            height=page.chart_height, y_format=",.4~g"),
        f"Over σ from {' to '.join(plain_pair(sigmas[0], sigmas[-1]))} with μ held at {plain(mu, 4)}, the "
        f"likelihood peaks at σ = {num(sigma_best_here, '.4f')}, the root mean squared distance of the data from μ"
        + (", beyond the right edge of this chart." if beyond else ".") + _too_small(normal.beyond_float(log_sigma), k_sigma),
        pd.DataFrame({"σ": sigmas[::20], _scaled("L(σ | x)", k_sigma): lik_sigma[::20]}),
    )
    area_sigma = normal.log_area_over_sigma(data, mu)
    st.metric("area under L(σ | x), over all σ > 0", formatting.sci_words(area_sigma),
              help="∫ L(σ | x) dσ from 0 to ∞, μ held: (2π)^(−n/2) · ½ Γ((n−1)/2) · (S/2)^(−(n−1)/2), "
                   "S = Σ(xᵢ − μ)².")

near_one = [name for name, value in (("μ", area_mu), ("σ", area_sigma)) if normal.area_near_one(value)]
st.markdown(
    "**Neither curve is a probability distribution.** L is a function of the parameters for these fixed data, "
    "not a distribution over μ or σ, so nothing makes the area under it 1. Over all μ, with σ = "
    f"{plain(sigma, 4)} held, the area is {formatting.sci_words(area_mu)}; over all σ > 0, with μ = {plain(mu, 4)} "
    f"held, it is {formatting.sci_words(area_sigma)}."
    + (f" The area over {' and '.join(near_one)} is within 1 % of 1 here only by chance: move the sliders and it changes."
       if near_one else "")
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
    f"The log-likelihood is highest, {num(normal.log_likelihood(data, best.mu, best.sigma), '.4f')}, at "
    f"μ = {num(best.mu, '.4f')}, σ = {num(best.sigma, '.4f')}. At the current point (μ = {plain(mu, 4)}, "
    f"σ = {plain(sigma, 4)}) it is {num(current.log_likelihood, '.4f')}.",
)
page.fragment(narrowing_section, page)   # its controls rerun it alone
ask(page, question, "likelihood_function")
