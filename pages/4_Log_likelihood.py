"""Chapter 4: log L = Σ log p(xᵢ | θ). Logs keep the numbers finite and leave the best θ where it was."""
import pandas as pd
import streamlit as st

from core import derived, normal, underflow
from core.charts.normal import Mark
from core.charts.style import VERMILLION
from ui import frame, tex
from ui.question import ask
from core import questions
from ui.cached_builders import curve_with_marks, log_equality_rate, log_likelihood_growth, underflow_chart

page = frame.start(__file__, lead="Swap the product for a sum of logs: same answer, and numbers a computer can hold.")

page.explain(
    """
The likelihood multiplies one density per observation. Each factor is usually well below 1, so
the product shrinks with every observation added, and soon it is too small for a computer to
store. Taking the natural logarithm turns that product into a sum of ordinary negative numbers.
"""
)
page.formula(r"\log L(\theta \mid x) = \log \prod_{i=1}^{n} p(x_i \mid \theta) = \sum_{i=1}^{n} \log p(x_i \mid \theta)")

# --- 1. Three small numbers -------------------------------------------------------------
st.subheader("Three small numbers, multiplied and logged")
ex = underflow.article_log_example()
a, b, c = underflow.ARTICLE_FACTORS
total32, direct32 = underflow.float32_text(ex.sum_of_logs), underflow.float32_text(ex.log_of_product)
page.explain(
    f"Take three densities, {a}, {b} and {c}. Their product is already tiny. torch works in "
    "32-bit floats by default; the code below logs each factor and adds the logs, then logs the "
    "product directly, and asks torch whether the two answers are the same number."
)
st.code(
    f"""import torch

a, b, c = {a}, {b}, {c}
product = a * b * c                      # a plain Python float

sum_of_logs = (torch.log(torch.tensor(a))
               + torch.log(torch.tensor(b))
               + torch.log(torch.tensor(c)))
log_of_product = torch.log(torch.tensor(product))

print(product, sum_of_logs, log_of_product)
print(log_of_product == sum_of_logs)               # equal to the last bit?
print(torch.isclose(log_of_product, sum_of_logs))  # equal up to rounding""",
    language="python",
)
r1 = st.columns(2)
r1[0].metric("product a × b × c", f"{ex.product!r}")
r1[1].metric("equal in float32?", str(ex.torch_equal))
r2 = st.columns(2)
r2[0].metric("log a + log b + log c", total32, help="A float32 holds about 7 significant digits, so that is all shown.")
r2[1].metric("log(a × b × c)", direct32, help="A float32 holds about 7 significant digits, so that is all shown.")
page.formula(
    rf"""\begin{{aligned}}
    \log({a} \times {b} \times {c}) &= \log\left({tex.sci(ex.product, 1)}\right) = {direct32} \\
    \log {a} + \log {b} + \log {c} &= {total32}
    \end{{aligned}}"""
)
zeros = derived.zeros_after_point(ex.product)
if ex.torch_equal:
    outcome = "Here both routes land on the very same float32 number, so `==` answers `True`."
else:
    outcome = (f"Here the two routes land on different float32 numbers, {total32} and {direct32}, "
               "so `==` answers `False`.")
page.explain(
    f"{outcome} Either way, the log turned a number with {derived.count(zeros, 'zero')} after the decimal "
    f"point into an ordinary one, close to {derived.shown(round(ex.log_of_product), '.0f')}."
)
rate = log_equality_rate()
luck = ("That `True` belongs to these three numbers; it is not a rule." if ex.torch_equal
        else "Equality to the last bit is not a rule either way.")
st.info(
    f"{luck} The two routes round at different moments (three logs each rounded to float32 and then "
    f"added, against one product rounded and then logged), so in general their answers differ in the "
    f"last bits. The same code on {rate.trials:,} random triples of probabilities: `==` holds for "
    f"{rate.equal:,} of them ({rate.share:.0%}); for the others the two sides differ by up to "
    f"{rate.largest_gap:.2g}, at most {derived.count(round(rate.largest_ulps), 'unit')} in the last place "
    f"of a float32 that size. So compare computed results with a tolerance (`torch.isclose`, "
    f"`math.isclose`), not with `==`.",
    icon=":material/info:",
)

# --- 2. Underflow, live -----------------------------------------------------------------
st.subheader("Multiply many densities and the product hits zero")
page.explain(
    """
Now draw *n* observations from a normal distribution and multiply their densities one after
another, once in 32-bit floats (what torch uses by default) and once in 64-bit floats (numpy's
default). Each type has a smallest positive number it can hold. Once the running product falls
below it, the computer rounds it to exactly **0.0**, and every likelihood computed that way looks
equally bad. The running sum of logs has no such floor.
"""
)
page.url_number("uf_n", 1000, 1, 200_000, integer=True)
page.url_number("uf_mu", 50.0, -1000.0, 1000.0)
page.url_number("uf_sigma", 5.0, 0.3, 20.0)
page.url_number("uf_seed", 0, 0, 2**31 - 1, integer=True)
c1, c2, c3, c4 = st.columns(4)
page.number_input("observations n", "uf_n", where=c1, step=100,
                  help="Up to 200,000. The sample is drawn once, then multiplied one density at a time.")
page.number_input("μ of the sample", "uf_mu", where=c2, step=1.0, format="%.4g")
c3.slider("σ of the sample", 0.3, 20.0, step=0.1, key="uf_sigma")
page.number_input("seed", "uf_seed", where=c4)
n, mu, sigma, seed = (st.session_state.uf_n, st.session_state.uf_mu,
                      st.session_state.uf_sigma, st.session_state.uf_seed)

try:
    run = underflow.underflow(n, mu, sigma, seed)
except ValueError as err:
    st.error(f"These settings cannot be used: {err}.")
    page.finish()
    st.stop()


def _zero_text(at):
    return f"{at:,}" if at is not None else "not yet at this n"


def _where(at):
    return f"at n = {at:,}" if at is not None else f"not yet, within n = {n:,}"


m1, m2, m3 = st.columns(3)
m1.metric("float32 product first 0.0 at n =", _zero_text(run.zero_at32))
m2.metric("float64 product first 0.0 at n =", _zero_text(run.zero_at64))
p32, p64, ll_n = float(run.product32[-1]), float(run.product64[-1]), float(run.log_likelihood[-1])
m3.metric(f"log-likelihood at n = {n:,}", derived.shown(ll_n, ",.2f"))
page.formula(
    rf"""\begin{{aligned}}
    \prod_{{i=1}}^{{{n}}} p(x_i) &= {tex.sci(p32)} \quad \text{{(float32)}}, \qquad
    {tex.sci(p64)} \quad \text{{(float64)}} \\
    \sum_{{i=1}}^{{{n}}} \log p(x_i) &= {derived.shown(ll_n, ".4f")}
    \end{{aligned}}"""
)
if run.zero_at32 is None:
    st.info(f"Neither product has reached 0.0 at n = {n:,}: not yet at this n. Raise n to watch it happen.",
            icon=":material/info:")
elif run.zero_at64 is None:
    st.info(f"The float32 product is 0.0 from n = {run.zero_at32:,}; the float64 product has not reached "
            f"0.0 at n = {n:,}: not yet at this n. Raise n to watch it go too.", icon=":material/info:")
else:
    st.success(f"From n = {run.zero_at64:,} on, both products are exactly 0.0, yet the log-likelihood is "
               f"still an ordinary number: {derived.shown(ll_n, ',.2f')} at n = {n:,}.", icon=":material/check_circle:")
page.explain(
    "Moving μ shifts the sample and the model together, so it hardly changes anything here. "
    "σ matters: a wider normal has lower densities, so its product sinks faster."
)

ups = derived.rises(run.log_likelihood)
if n == 1:
    log_trend = "With a single observation there is one point: its log density."
elif ups == 0:
    log_trend = "The log-likelihood falls with every observation added after the first (none has a density above 1)."
elif ups == n - 1:
    log_trend = "The log-likelihood rises with every observation added after the first (each has a density above 1)."
else:
    log_trend = (f"Of the {derived.count(n - 1, 'observation')} added after the first, the log-likelihood "
                 f"rises with the {ups:,} whose density is above 1 and falls with the rest.")
idx = underflow.thin_for_plot(n)
left, right = st.columns(2)
with left:
    st.markdown("**The running product (log scale)**")
    page.chart(
        underflow_chart(run.n[idx], run.product32[idx], run.product64[idx], height=page.chart_height),
        f"The product of the first n densities, on a log scale. Each line stops where its product becomes "
        f"0.0: float32 {_where(run.zero_at32)} (its smallest "
        f"positive number is about {derived.FLOAT32_TINY:.1e}), float64 {_where(run.zero_at64)} "
        f"(about {derived.FLOAT64_TINY:.1e}).",
        pd.DataFrame({"n": run.n[idx], "product (float32)": run.product32[idx].astype(float),
                      "product (float64)": run.product64[idx]}),
    )
with right:
    st.markdown("**The running sum of logs**")
    page.chart(
        log_likelihood_growth(run.n[idx], run.log_likelihood[idx], height=page.chart_height),
        log_trend + f" It stays finite all the way: {derived.shown(ll_n, ',.2f')} at n = {n:,}.",
        pd.DataFrame({"n": run.n[idx], "log-likelihood": run.log_likelihood[idx]}),
    )

# --- 3. Same maximiser ------------------------------------------------------------------
st.subheader("The log moves the heights, not the peak")
page.explain(
    f"""
Back to the article's {derived.number_word(len(normal.ARTICLE_DATA))} observations. With σ held, draw the
likelihood over μ and, beside it, the log-likelihood. The log squeezes the heights, but it never
changes which of two numbers is larger, so the highest point of both curves sits at the same μ.
"""
)
best = normal.mle(normal.ARTICLE_DATA)
page.url_number("ll_sigma", best.sigma, 0.5, 10.0)
st.slider("σ held at", 0.5, 10.0, step=0.01, key="ll_sigma",
          help=f"Starts at σ̂ = {best.sigma:.4f}, the best σ for these data (chapter 5).")
held = st.session_state.ll_sigma
same = derived.same_maximiser(normal.ARTICLE_DATA, held)
curves = ((same.likelihood, "L", "likelihood L", same.argmax_likelihood, ".1e"),
          (same.log_likelihood, "log L", "log-likelihood log L", same.argmax_log_likelihood, ",.0f"))
for column, (values, name, axis, argmax, y_format) in zip(st.columns(2), curves):
    with column:
        st.markdown(f"**{name}(μ | x), σ = {held:.4g}**")
        page.chart(
            curve_with_marks(same.mus, values, "μ", axis, [Mark(argmax, f"max at μ = {argmax:.4f}", VERMILLION)],
                             height=page.chart_height, y_format=y_format),
            f"{name} over μ from {same.mus[0]:.4g} to {same.mus[-1]:.4g} peaks at μ = {argmax:.4f}.",
            pd.DataFrame({"μ": same.mus[::20], f"{name}(μ | x)": values[::20]}),
        )
verdict = (f"On a grid of {len(same.mus)} values of μ, L is largest at μ = {same.argmax_likelihood:.4f} and "
           f"log L is largest at μ = {same.argmax_log_likelihood:.4f}")
if same.agree:
    st.success(f"{verdict}: the same point, the mean of the data.", icon=":material/check_circle:")
else:
    st.warning(f"{verdict}: they differ here, which only rounding on the grid could cause.")

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
ask(page, questions.log_likelihood(run), "underflow")
page.finish()
