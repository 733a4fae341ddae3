"""Chapter 4: log L = Σ log p(xᵢ | θ). Logs keep the numbers finite and leave the best θ where it was."""
import streamlit as st

from core import formatting, normal, questions, underflow
from ui import frame, log_example, maximiser_view, underflow_view
from ui.question import answered, ask

page = frame.page()

page.explain(
    """
The likelihood multiplies one density per observation. Each factor is usually well below 1, so
the product shrinks with every observation added, and soon it is too small for a computer to
store. Taking the natural logarithm turns that product into a sum of ordinary negative numbers.
"""
)
page.formula(r"\log L(\theta \mid x) = \log \prod_{i=1}^{n} p(x_i \mid \theta) = \sum_{i=1}^{n} \log p(x_i \mid \theta)")
st.caption("Here and in every chapter, log is the natural logarithm, ln (base e), as in torch.log and np.log. "
           "Only where information is counted in bits (chapter 7) is the base 2, written log₂.")

# --- 1. Three small numbers -------------------------------------------------------------
st.subheader("Three small numbers, multiplied and logged")
a, b, c = underflow.ARTICLE_FACTORS
page.explain(
    f"Take three densities, {a}, {b} and {c}. Their product is already tiny. torch works in "
    "32-bit floats by default; the code below logs each factor and adds the logs, then logs the "
    "product directly, and asks torch whether the two answers are the same number."
)
example = log_example.three_numbers(page)
log_example.equality_rate(example.torch_equal)

# --- 2. Underflow, live -----------------------------------------------------------------
st.subheader("Multiply many densities and the product hits zero")
page.explain(
    """
Now draw *n* observations from a normal distribution and multiply their densities one after
another, once in 32-bit floats (what torch uses by default) and once in 64-bit floats (numpy's
default). Each type has a smallest positive number it can hold. Once the running product falls to
half of it or below, the computer rounds it to exactly **0.0**, and every likelihood computed that
way looks equally bad. The running sum of logs has no such floor.
"""
)
page.url_number("uf_n", 1000, 1, 200_000, integer=True)
page.url_number("uf_mu", 50.0, -1000.0, 1000.0)
page.url_number("uf_sigma", 5.0, 0.3, 20.0)
page.url_number("uf_seed", 0, 0, 2**31 - 1, integer=True)
with page.controls_row():
    page.number_input("observations n", "uf_n", step=100,
                      help="Up to 200,000. The sample is drawn once, then multiplied one density at a time.")
    page.number_input("μ of the sample", "uf_mu", step=1.0, format="%.4g")
    page.slider("σ of the sample", "uf_sigma", step=0.1)
    page.number_input("seed", "uf_seed")
try:
    products = underflow.running_products(st.session_state.uf_n, st.session_state.uf_mu,
                                          st.session_state.uf_sigma, st.session_state.uf_seed)
except ValueError as err:
    st.error(f"These settings cannot be used: {err}.")
    page.stop()
question = questions.log_likelihood(products)
shown = answered(page, question, "underflow")   # where the float32 product hits 0.0 is the question
underflow_view.figures(page, products, shown)
page.explain(
    "Moving μ shifts the sample and the model together, so it hardly changes anything here. "
    "σ matters: a wider normal has lower densities, so its product sinks faster."
)
underflow_view.charts(page, products, shown)

# --- 3. Same maximiser ------------------------------------------------------------------
st.subheader("The log moves the heights, not the peak")
page.explain(
    f"""
Back to the article's {formatting.number_word(len(normal.ARTICLE_DATA))} observations. With σ held, draw the
likelihood over μ and, beside it, the log-likelihood. The log squeezes the heights, but it never
changes which of two numbers is larger, so the highest point of both curves sits at the same μ.
"""
)


def same_maximiser(page: frame.Page) -> None:
    """σ held where the visitor puts it: the likelihood and its log over μ, peaking at one μ."""
    best = normal.mle(normal.ARTICLE_DATA)
    page.url_number("ll_sigma", best.sigma, 0.5, 10.0)
    page.slider("σ held at", "ll_sigma", step=0.01,
                help=f"Starts at σ̂ = {formatting.num(best.sigma, '.4f')}, the best σ for these data (chapter 5).")
    maximiser_view.curves_and_verdict(page, normal.same_maximiser(normal.ARTICLE_DATA, st.session_state.ll_sigma))


page.fragment(same_maximiser, page)   # its slider reruns it alone

# --- 4. Why logs ------------------------------------------------------------------------
st.subheader("Why work with logs")
st.markdown(
    """
1. **No underflow.** A long product of small numbers drops below the smallest number a float can
   hold and becomes 0.0. The sum of their logs is just a large negative number.
2. **Sums instead of products.** The log of a product is the sum of the logs. Sums are easier to
   differentiate, to add up one observation at a time, and to average.
3. **Same best parameters.** The log always keeps the larger of two numbers larger, so the θ that
   makes L highest also makes log L highest.
"""
)
ask(page, question, "underflow")
