"""Chapter 1: P(a ≤ X ≤ b | θ), the probability of an interval as an area under the normal density."""
import streamlit as st

from core import formatting, normal, questions
from core.formatting import num, z_text
from ui import frame
from ui.layout import row
from ui.question import ask
from ui.cached_builders import density_interval
from ui.text import table
from ui.thin_interval_view import density_as_probability

page = frame.page()

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
    st.session_state.a, st.session_state.b = normal.rule_interval(st.session_state.mu, st.session_state.sigma, k)


controls, figure = st.columns([1, 2], gap="large")
with controls:
    page.slider("mean μ", "mu", step=0.5)
    page.slider("standard deviation σ", "sigma", step=0.1)
    page.number_input("interval start a", "a", step=0.5, format="%.4f")
    page.number_input("interval end b", "b", step=0.5, format="%.4f")
    st.caption("The 68-95-99.7 rule: set the interval to")
    # A wrapping row of content-wide buttons: in three narrow columns a label cut short ("μ ± …")
    # once the presenter's larger font no longer fitted.
    with st.container(horizontal=True):
        for k in (1, 2, 3):
            st.button(f"μ ± {k}σ", key=f"rule{k}", on_click=_set_rule, args=(k,))

mu, sigma = st.session_state.mu, st.session_state.sigma
a, b = sorted((st.session_state.a + 0.0, st.session_state.b + 0.0))
p = normal.interval_probability(a, b, mu, sigma)
steps = normal.phi_steps(a, b, mu, sigma)

with figure:
    phi_b, phi_a, shown = (num(v, f".{steps.decimals}f") for v in (steps.phi_b, steps.phi_a, p))
    page.formula(
        rf"""\begin{{aligned}}
        &P({num(a)} \le X \le {num(b)} \mid \mu={num(mu)}, \sigma={num(sigma)}) \\
        &= \Phi\!\left(\tfrac{{{num(b)}-{num(mu)}}}{{{num(sigma)}}}\right)
         - \Phi\!\left(\tfrac{{{num(a)}-{num(mu)}}}{{{num(sigma)}}}\right) \\
        &= \Phi({z_text(steps.z_b)}) - \Phi({z_text(steps.z_a)}) = {phi_b} - {phi_a} \\
        &= {shown}
        \end{{aligned}}"""
    )
    st.caption(
        "Φ is the standard normal CDF: Φ(z) = P(Z ≤ z) for Z ~ N(0, 1), the area under the standard bell "
        "curve to the left of z. Subtracting μ and dividing by σ turns each end into such a z, and the area "
        "left of b minus the area left of a is the area between them."
    )
    st.metric("P(a ≤ X ≤ b), the shaded area", num(p, '.4f'), help="From the normal CDF Φ, computed with scipy.")
    page.chart(
        density_interval(mu, sigma, a, b, height=page.chart_height),
        f"Normal density N(μ, σ²) with μ = {num(mu)} and σ = {num(sigma)}. The area between a = {num(a)} and "
        f"b = {num(b)} is shaded; it equals {num(p, '.4f')}, that is {num(100 * p, '.2f')} % of all outcomes.",
    )

st.subheader("The 68-95-99.7 rule")
page.explain("Whatever μ and σ are, the share of outcomes within k standard deviations of the mean is the same:")
table(("interval", "probability"),
      [(f"μ ± {k}σ = [{num(lo)}, {num(hi)}]", f"{num(100 * normal.sigma_rule(k), '.2f')} %")
       for k in normal.RULE_KS for lo, hi in [normal.rule_interval(mu, sigma, k)]])
band = normal.sigma_rule(1)
st.markdown(
    f"The curve is symmetric about μ, so [μ, μ + σ] holds exactly half of the {num(100 * band, '.2f')} % within "
    f"μ ± σ: Φ(1) − Φ(0) = {num(normal.standard_cdf(1), '.4f')} − {num(normal.standard_cdf(0))} "
    f"= {num(band / 2, '.4f')} ≈ {num(band, '.4f')} / 2."
)
where = normal.rule_band(a, b, mu, sigma)
interval = f"The interval set above, [{num(a)}, {num(b)}],"
if where is None:
    st.caption(f"{interval} is none of the rule's intervals: its ends sit at z = {z_text(steps.z_a)} and "
               f"z = {z_text(steps.z_b)}, and Φ at those two values gives its area, as in the formula above.")
else:
    kind, k = where
    share = normal.sigma_rule(k)
    sk = "σ" if k == 1 else f"{k}σ"
    if kind == "band":
        st.caption(f"{interval} is μ ± {sk} itself: {num(share, '.4f')}, the rule's {num(100 * share, '.2f')} %.")
    elif (kind, k) == ("upper", 1):
        st.caption(f"{interval} is this [μ, μ + σ]: its area above is that half of the band.")
    else:
        half = f"[μ, μ + {sk}]" if kind == "upper" else f"[μ − {sk}, μ]"
        st.caption(f"{interval} is {half}, one half of μ ± {sk}: by symmetry it holds exactly half of "
                   f"the rule's {num(100 * share, '.2f')} %, {num(share / 2, '.4f')} ≈ {num(share, '.4f')} / 2.")

st.subheader("Check it by sampling")
page.explain(
    "Draw a sample from the model and count how many values land in [a, b]. The share "
    "wobbles around the exact area and settles on it as the sample grows."
)


def sampling_check(page: frame.Page, a: float, b: float, mu: float, sigma: float, p: float) -> None:
    """n draws from N(μ, σ²): the share inside [a, b] beside the exact probability p."""
    page.url_number("n", 1000, 1, 1_000_000, integer=True)
    page.url_number("seed", 0, 0, 2**31 - 1, integer=True)
    with page.controls_row():
        page.number_input("sample size n", "n", step=100)
        page.number_input("random seed", "seed")
        drawn = st.checkbox("Draw n samples", key="draw", persist_state="session")
    if drawn:
        n = st.session_state.n
        share = normal.sample_fraction_inside(a, b, mu, sigma, n, st.session_state.seed)
        error = formatting.shown_gap(share, p)   # the two figures shown, subtracted: they add up as shown
        figures = row()
        figures.metric(f"share of {formatting.count(n, 'draw')} inside [a, b]", num(share, '.4f'))
        figures.metric("exact probability", num(p, '.4f'), delta_color="off",
                       delta=f"{'' if error.startswith('-') or error == '0.0000' else '+'}{error} sampling error")


page.fragment(sampling_check, page, a, b, mu, sigma, p)   # its boxes rerun it alone
density_as_probability(page, mu, sigma)
ask(page, questions.probability(a, b, mu, sigma), "probability")
