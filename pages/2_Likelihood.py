"""Chapter 2: L(θ | x), the data held fixed while candidate parameters compete."""
import pandas as pd
import streamlit as st

from core import formatting, normal, questions
from core.parsing import shortest
from ui import frame
from ui.likelihood_products import products_and_ratio
from ui.held_back import held_back
from ui.question import answered, ask
from ui.cached_builders import likelihood_candidates
from ui.data_input import observations

page = frame.page()
intro = st.container()  # filled once the observations are read: its words follow them

page.url_number("muA", normal.ARTICLE_A[0], -1e6, 1e6)
page.url_number("sigmaA", normal.ARTICLE_A[1], 0.01, 1e6)
page.url_number("muB", normal.ARTICLE_B[0], -1e6, 1e6)
page.url_number("sigmaB", normal.ARTICLE_B[1], 0.01, 1e6)

# --- the controls ------------------------------------------------------------------------------
controls, figure = st.columns([1, 2], gap="large")
with controls:
    data = observations(page)
    a_col, b_col = st.columns(2)
    with a_col:
        page.number_input("A: mean μ", "muA", step=0.5, format="%.4g")
        page.number_input("A: σ", "sigmaA", step=0.5, format="%.4g")
    with b_col:
        page.number_input("B: mean μ", "muB", step=0.5, format="%.4g")
        page.number_input("B: σ", "sigmaB", step=0.5, format="%.4g")
    show_best = st.checkbox("Also show the best normal for these data (the MLE)", key="show_mle",
                            persist_state="session")
n = len(data)

with intro:
    if n == 1:
        scene = ("Here the outcome has already happened: one measurement sits on the axis. Each candidate "
                 "normal gives it a density: the height of its curve above that point (the dashed stick). "
                 "With a single point, that height is the candidate's **likelihood**, L(θ | x). The candidate "
                 "whose curve stands taller over the point explains it better.")
    else:
        scene = (f"Here the outcomes have already happened: {formatting.count(n, 'measurement', words=True)} sit on the axis. Each "
                 "candidate normal gives every point a density: the height of its curve above that point (the "
                 "dashed sticks). Multiply the heights together and you get the candidate's **likelihood**, "
                 "L(θ | x). The candidate whose curve stands taller over the data, taken all together, explains "
                 "the data better.")
    page.explain("Chapter 1 held μ and σ fixed and asked about outcomes. " + scene)

scores = {
    "A": normal.score(data, st.session_state.muA, st.session_state.sigmaA),
    "B": normal.score(data, st.session_state.muB, st.session_state.sigmaB),
}
if show_best:
    missing = normal.no_best_normal(data)
    if missing:
        st.info(missing[0])
    else:
        best = normal.mle(data)
        scores["MLE"] = normal.score(data, best.mu, best.sigma)

labels = {k: f"{k} = {formatting.normal_label(s.mu, s.sigma)}" for k, s in scores.items()}
a = scores["A"]
# The likelihoods answer the chapter's question: they wait for the visitor's pick (the presenter's reveal).
question = questions.likelihood(scores["A"], scores["B"])
out = answered(page, question, "likelihood")
with figure, page.first_on_phone():
    page.chart(
        likelihood_candidates(data, {labels[k]: (s.mu, s.sigma) for k, s in scores.items()}, height=page.chart_height),
        f"{formatting.count(n, 'observation', words=True).capitalize()}, marked as "
        f"{'triangles' if n > 1 else 'a triangle'} on the axis, under "
        + ", ".join(labels[k] + (f" (likelihood {formatting.sci_words(s.log_likelihood)})" if out else "")
                    for k, s in scores.items())
        + f". {'Each stick rises' if n > 1 else 'A stick rises'} from an observation to a curve; its height is "
          "that point's density.",
    )
    # The caveat where the heights first appear: they are densities, not probabilities.
    factor = normal.unit_factor(a.sigma)
    moved = normal.in_unit(data, a.mu, a.sigma, factor)
    first = shortest(data[0])
    grows = formatting.power_of_ten(moved.log_likelihood - a.log_likelihood)
    caveat = (
        f"**These heights are densities, not probabilities.** Under every candidate P(X = {first}) = 0: a "
        "continuous X has a positive probability only for an interval, as an area under the curve (chapter 1). "
        "A density can exceed 1, and its size depends on the unit of x: in a unit "
        f"{formatting.num(factor, ',')} times larger (x, μ and σ divided by {formatting.num(factor, ',')}), A is "
        f"{formatting.normal_label(moved.mu, moved.sigma)}, the {'first ' if n > 1 else ''}point's density "
        f"{formatting.sci_words(a.log_densities[0])} becomes {formatting.sci_words(moved.log_densities[0])}, and the "
        f"top of A's curve, {formatting.sig(normal.peak_density(a.sigma), 4)}, becomes "
        f"{formatting.sig(normal.peak_density(moved.sigma), 4)}. "
        + (f"Every candidate's likelihood grows by the same factor, 10{formatting.superscript(grows[1])}, "
           "so their ratio does not change." if n > 1 else
           "Every candidate's likelihood grows by the same factor, so their ratio does not change.")
    )
    # A bordered note, not an st.info: the info alerts of this page are its warnings about the data.
    with st.container(border=True):
        st.markdown(":material/info: " + caveat)

table = pd.DataFrame({"x": [shortest(v) for v in data]})
for k, s in scores.items():
    table[f"density under {k}"] = [formatting.density_words(v) for v in s.log_densities]
st.subheader("Each point's density, and their product" if n > 1 else "The point's density")
if n > 1 or out:
    st.dataframe(table, hide_index=True)
else:   # one point: its density under each candidate is that candidate's likelihood, the answer
    held_back(page, "With one observation its density under each candidate is that candidate's likelihood: the table")

factors = rf"&= {formatting.product_tex(formatting.factors_tex(a.log_densities, a.log_likelihood), fmt='{}')} \\" if n > 1 else ""
page.formula(
    rf"""\begin{{aligned}}
    L(A \mid x) &= \prod_{{i=1}}^{{{n}}} p(x_i \mid \mu={formatting.plain(a.mu)}, \sigma={formatting.plain(a.sigma)}) \\
    {factors}&= {formatting.sci_tex(a.log_likelihood)}
    \end{{aligned}}"""
)
if 1 < n <= 5:
    st.caption("The formula writes the densities with enough digits to multiply to the likelihood it shows; the "
               "table rounds them to four decimals, as the article does. The note on rounded densities "
               f"{'below' if out else 'that comes with the likelihoods'} shows what that rounding does to the product.")

products_and_ratio(page, data, scores, out)
ask(page, question, "likelihood")
