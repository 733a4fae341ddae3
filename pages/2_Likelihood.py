"""Chapter 2: L(θ | x), the data held fixed while candidate parameters compete."""
import pandas as pd
import streamlit as st

from core import normal
from core.charts.normal import likelihood_candidates
from core.params import TINY_SPREAD
from ui import frame, tex
from ui.data_input import observations

page = frame.start(__file__, lead="Now the data are fixed, and the parameters are on trial.")

page.explain(
    """
Chapter 1 held μ and σ fixed and asked about outcomes. Here the outcomes have already
happened: five measurements sit on the axis. Each candidate normal gives every point a
density: the height of its curve above that point (the dashed sticks). Multiply the
heights together and you get the candidate's **likelihood**, L(θ | x). The candidate whose
curve stands taller over the data, taken all together, explains the data better.
"""
)

page.url_number("muA", normal.ARTICLE_A[0], -1e6, 1e6)
page.url_number("sigmaA", normal.ARTICLE_A[1], 0.01, 1e6)
page.url_number("muB", normal.ARTICLE_B[0], -1e6, 1e6)
page.url_number("sigmaB", normal.ARTICLE_B[1], 0.01, 1e6)

controls, figure = st.columns([1, 2], gap="large")
with controls:
    data = observations(page)
    a_col, b_col = st.columns(2)
    a_col.number_input("A: mean μ", key="muA", step=0.5, format="%.4g")
    a_col.number_input("A: σ", key="sigmaA", min_value=0.01, step=0.5, format="%.4g")
    b_col.number_input("B: mean μ", key="muB", step=0.5, format="%.4g")
    b_col.number_input("B: σ", key="sigmaB", min_value=0.01, step=0.5, format="%.4g")
    show_best = st.checkbox("Also show the best normal for these data (the MLE)", key="show_mle")

scores = {
    "A": normal.score(data, st.session_state.muA, st.session_state.sigmaA),
    "B": normal.score(data, st.session_state.muB, st.session_state.sigmaB),
}
if show_best:
    best = normal.mle(data)
    if best.sigma == 0:
        st.info("All observations are equal, so the best σ would be 0: no normal curve fits them exactly.")
    elif best.sigma < TINY_SPREAD:
        st.info(f"The observations differ by only {max(data) - min(data):.3g}, so the best σ would be "
                f"{best.sigma:.3g}: too small for its densities to be computed in 64-bit floats.")
    else:
        scores["MLE"] = normal.score(data, best.mu, best.sigma)

labels = {k: f"{k} = N({s.mu:.5g}, {s.sigma:.5g})" for k, s in scores.items()}
with figure:
    page.chart(
        likelihood_candidates(data, {labels[k]: (s.mu, s.sigma) for k, s in scores.items()}, height=page.chart_height),
        f"{len(data)} observations, marked as triangles on the axis, under "
        + ", ".join(f"{labels[k]} (likelihood {s.likelihood:.4e})" for k, s in scores.items())
        + ". Each stick rises from an observation to a curve; its height is that point's density.",
    )

table = pd.DataFrame({"x": data})
for k, s in scores.items():
    table[f"density under {k}"] = s.densities
st.subheader("Each point's density, and their product")
st.dataframe(table.style.format({c: "{:.4f}" for c in table.columns}), hide_index=True)

a = scores["A"]
st.latex(
    rf"L(A \mid x) = \prod_{{i=1}}^{{{len(data)}}} p(x_i \mid \mu={a.mu:g}, \sigma={a.sigma:g})"
    rf" = {tex.product(a.densities)} = {tex.sci(a.likelihood)}"
)

cols = st.columns(len(scores))
for col, (k, s) in zip(cols, scores.items()):
    col.metric(f"L({k} | x)", f"{s.likelihood:.4e}", help="The exact product of the densities.")
    col.caption(f"log L = {s.log_likelihood:.4f}")

ratio, log_ratio = normal.likelihood_ratio(scores["A"], scores["B"])
st.metric("L(A) / L(B): how many times better A explains the data", f"{ratio:.4g}",
          help=f"Its natural log is log L(A) − log L(B) = {log_ratio:.4f}.")
st.caption(f"ln(L(A)/L(B)) = {log_ratio:.4f}")

with st.expander("Rounded densities: where the article's slightly different products come from"):
    st.markdown(
        "The article multiplied the densities **after rounding each to four decimals**, as listed in the "
        "table. Multiplying the rounded numbers gives:"
    )
    for k in ("A", "B"):
        s = scores[k]
        st.markdown(f"- {k}: product of the rounded densities = `{s.rounded_product!r}`, exact product = `{s.likelihood:.10e}`")
    st.markdown(
        "Both are right; they answer slightly different sums. Rounding five factors by up to 0.00005 "
        "each moves the product by a fraction of a percent, which is the whole gap."
    )

page.finish()
