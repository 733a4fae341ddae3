"""Chapter 1: P(x | θ), the probability of an interval as an area under the normal density."""
import pandas as pd
import streamlit as st

from core import normal
from core.charts.normal import density_interval
from ui import frame

page = frame.start(__file__, lead="Fix the parameters θ = (μ, σ); ask how probable an outcome is.")

page.explain(
    """
A continuous quantity such as a measured length never takes one exact value with any real
chance, so we ask about ranges instead. The normal curve below is the *density* of the
model N(μ, σ²). The chance that an observation falls between *a* and *b* is the **area**
under that curve between the two dashed lines. The parameters are held fixed; the event
(the interval) is what we vary.
"""
)

page.url_number("mu", 50.0, 0.0, 100.0)
page.url_number("sigma", 2.5, 0.1, 20.0)
page.url_number("a", 50.0, -100.0, 200.0)
page.url_number("b", 52.5, -100.0, 200.0)


def _set_rule(k: int) -> None:
    """Set the interval to μ ± kσ."""
    mu, sigma = st.session_state.mu, st.session_state.sigma
    st.session_state.a, st.session_state.b = round(mu - k * sigma, 4), round(mu + k * sigma, 4)


controls, figure = st.columns([1, 2], gap="large")
with controls:
    st.slider("mean μ", 0.0, 100.0, step=0.5, key="mu")
    st.slider("standard deviation σ", 0.1, 20.0, step=0.1, key="sigma")
    st.number_input("interval start a", -100.0, 200.0, step=0.5, key="a", format="%.4f")
    st.number_input("interval end b", -100.0, 200.0, step=0.5, key="b", format="%.4f")
    st.caption("The 68-95-99.7 rule: set the interval to")
    # A wrapping row of content-wide buttons: in three narrow columns a label cut short ("μ ± …")
    # once the presenter's larger font no longer fitted.
    with st.container(horizontal=True):
        for k in (1, 2, 3):
            st.button(f"μ ± {k}σ", key=f"rule{k}", on_click=_set_rule, args=(k,))

mu, sigma = st.session_state.mu, st.session_state.sigma
a, b = sorted((st.session_state.a, st.session_state.b))
p = normal.interval_probability(a, b, mu, sigma)

with figure:
    st.latex(
        rf"""\begin{{aligned}}
        &P({a:g} \le X \le {b:g} \mid \mu={mu:g}, \sigma={sigma:g}) \\
        &= \Phi\!\left(\tfrac{{{b:g}-{mu:g}}}{{{sigma:g}}}\right) - \Phi\!\left(\tfrac{{{a:g}-{mu:g}}}{{{sigma:g}}}\right) \\
        &= {p:.4f}
        \end{{aligned}}"""
    )
    st.metric("P(a ≤ X ≤ b), the shaded area", f"{p:.4f}", help="From the normal CDF Φ, computed with scipy.")
    page.chart(
        density_interval(mu, sigma, a, b, height=page.chart_height),
        f"Normal density with μ = {mu:g} and σ = {sigma:g}. The area between a = {a:g} and b = {b:g} "
        f"is shaded; it equals {p:.4f}, that is {100 * p:.2f} % of all outcomes.",
    )

st.subheader("The 68-95-99.7 rule")
page.explain("Whatever μ and σ are, the share of outcomes within k standard deviations of the mean is the same:")
rule = pd.DataFrame(
    {
        "interval": [f"μ ± {k}σ = [{mu - k * sigma:g}, {mu + k * sigma:g}]" for k in (1, 2, 3)],
        "probability": [f"{100 * normal.sigma_rule(k):.2f} %" for k in (1, 2, 3)],
    }
)
st.dataframe(rule, hide_index=True)

st.subheader("Check it by sampling")
page.explain(
    "Draw a sample from the model and count how many values land in [a, b]. The share "
    "wobbles around the exact area and settles on it as the sample grows."
)
page.url_number("n", 1000, 1, 1_000_000, integer=True)
page.url_number("seed", 0, 0, 2**31 - 1, integer=True)
c1, c2, c3 = st.columns(3)
c1.number_input("sample size n", 1, 1_000_000, step=100, key="n")
c2.number_input("random seed", 0, 2**31 - 1, key="seed")
if c3.checkbox("Draw n samples", key="draw"):
    share = normal.sample_fraction_inside(a, b, mu, sigma, st.session_state.n, st.session_state.seed)
    left, right = st.columns(2)
    left.metric(f"share of {st.session_state.n:,} draws inside [a, b]", f"{share:.4f}")
    right.metric("exact probability", f"{p:.4f}", delta=f"{share - p:+.4f} sampling error", delta_color="off")

page.finish()
