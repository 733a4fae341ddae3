"""Chapter 6: -log L, the loss. Maximising log L and minimising -log L find the same θ."""
import streamlit as st

from core import derived, nll, normal
from core.training import article_loop
from ui import frame
from ui.question import ask
from core import questions
from ui.cached_builders import neg_log_curve

page = frame.start(__file__, lead="Flip the sign: climbing the log-likelihood becomes lowering a loss.")

page.explain(
    """
Chapter 5 climbed log L to its highest point. Training software is built the other way round: it
lowers a number called the loss. Put a minus sign in front of the log-likelihood and the highest
point of log L becomes the lowest point of −log L, at exactly the same parameters. That sign-flipped
quantity is the negative log-likelihood, or NLL.
"""
)
best = derived.closed_form(normal.ARTICLE_DATA)
lowest = derived.neg_log_likelihood(normal.ARTICLE_DATA, best.mean, best.sigma_mle)
page.formula(
    rf"""\begin{{aligned}}
    -\log L(\theta \mid x) &= -\sum_{{i=1}}^{{n}} \log p(x_i \mid \theta) \\
    -\log L(\hat\mu = {best.mean:.4f},\ \hat\sigma = {best.sigma_mle:.4f} \mid x) &= {derived.shown(lowest, '.4f')}
    \end{{aligned}}"""
)
st.caption(f"For the article's {derived.number_word(best.n)} observations, {derived.shown(lowest, '.4f')} is "
           "the lowest NLL any normal can reach: it is attained at the maximum-likelihood estimate of chapter 5.")

# --- 1. The curve -ln P -------------------------------------------------------------------
st.subheader("What one observation costs: −ln P")
page.explain(
    "Take an outcome that is one of a list of separate possibilities: the next letter of a name, the "
    "class of an image. The model gives the outcome that happened a probability P between 0 and 1, and "
    "that observation adds −ln P to the loss. Move the point along the curve: an outcome the model was "
    "sure of (P = 1) costs nothing, and the cost climbs without limit as P heads towards 0."
)
page.url_number("p", 0.1, 0.001, 1.0)
controls, figure = st.columns([1, 2], gap="large")
with controls:
    st.slider("probability P of the observed outcome", 0.001, 1.0, step=0.001, key="p", format="%.3f")
    p = st.session_state.p
    cost = float(nll.neg_log(p))
    st.metric("−ln P", derived.shown(cost, ".4f"))
    page.formula(rf"-\ln({p:g}) = {derived.shown(cost, '.4f')}")
with figure:
    page.chart(
        neg_log_curve(p, height=page.chart_height),
        f"The curve −ln P falls from about {float(nll.neg_log(0.001)):.2f} at P = 0.001 to 0 at P = 1. "
        f"At the chosen P = {p:g} it is {derived.shown(cost, '.4f')}.",
    )

# Beside the curve: what changes when the data are measurements, not outcomes from a list.
units = nll.other_units(normal.ARTICLE_DATA, 100)
st.markdown("**For a measurement, p is a density, and the NLL depends on the units**")
caveat, figures = st.columns([2, 1], gap="large")
with caveat:
    change = "drops" if units.nll_rescaled < units.nll else "rises"
    st.info(
        f"The zero floor of the curve holds for outcomes from a list. A measurement on a continuous scale, "
        f"such as the article's {derived.number_word(units.n)} points, gets a density p, not a probability. "
        f"A density can be larger than 1, so −ln p can be negative, and it depends on the unit the data are "
        f"written in. Divide the article's points by {units.factor:g}, the same measurements in a unit "
        f"{units.factor:g} times larger: every density at the best normal becomes {units.factor:g} times "
        f"taller, and the NLL there {change} from {derived.shown(units.nll, '.2f')} to "
        f"{derived.shown(units.nll_rescaled, '.2f')}, by n · ln {units.factor:g} = "
        f"{units.n} × {units.log_factor:.4f} = {derived.shown(units.shift, '.2f')}. "
        f"So an NLL says nothing on its own: compare NLLs only on the same data in the same units.",
        icon=":material/straighten:",
    )
with figures:
    st.metric("NLL at the best normal, the article's units", derived.shown(units.nll, ".4f"))
    st.metric(f"the same, every point divided by {units.factor:g}", derived.shown(units.nll_rescaled, ".4f"))

st.markdown("**See it with one point: the density at the mean of a narrow normal**")
page.explain(
    "A narrow normal piles its density up at the mean. Below σ = "
    f"{derived.SIGMA_PEAK_ONE:.4f} the peak is taller than 1, so an observation sitting there has a positive "
    "log-likelihood and a negative NLL. That is no error: a loss may keep falling below zero."
)
page.url_number("peak_sigma", 0.1, 0.01, 5.0)
left, right = st.columns([1, 3], gap="large")
with left:
    st.slider("σ of N(0, σ²)", 0.01, 5.0, step=0.01, key="peak_sigma")
narrow = derived.point_at_mean(st.session_state.peak_sigma)
with right:
    r1, r2, r3 = st.columns(3)
    r1.metric("density at the mean", f"{narrow.peak_density:.4f}")
    r2.metric("log-likelihood of x = 0", derived.shown(narrow.log_likelihood, ".4f"))
    r3.metric("NLL of x = 0", derived.shown(narrow.nll, ".4f"))
page.formula(
    rf"""\begin{{aligned}}
    p(0 \mid \mu = 0, \sigma = {narrow.sigma:g}) &= \frac{{1}}{{\sigma\sqrt{{2\pi}}}} = {narrow.peak_density:.4f} \\
    \log L &= \ln {narrow.peak_density:.4f} = {derived.shown(narrow.log_likelihood, ".4f")} \\
    -\log L &= {derived.shown(narrow.nll, ".4f")}
    \end{{aligned}}"""
)
exact_nll = derived.shown(narrow.nll, ".4f") if abs(narrow.nll) >= 5e-5 else f"{narrow.nll:.2g}"
if narrow.nll_negative:
    st.info(f"With σ = {narrow.sigma:g}, below {derived.SIGMA_PEAK_ONE:.4f}, the density at the mean is above 1, "
            f"so the NLL of an observation sitting there is negative: {exact_nll}.", icon=":material/info:")
else:
    st.info(f"With σ = {narrow.sigma:g}, at least {derived.SIGMA_PEAK_ONE:.4f}, the density never exceeds 1, "
            f"so this NLL is not negative. Make σ smaller than {derived.SIGMA_PEAK_ONE:.4f} to see it turn negative.",
            icon=":material/info:")

st.markdown(
    """
**Why minimise rather than maximise?**
- Optimisers in torch and other libraries are written to make a number *smaller*; gradient descent steps downhill.
- A loss is something we lower, and other common losses (squared error, absolute error) are lowered too, so the NLL fits in.
- Nothing is lost: log L is largest exactly where −log L is smallest, so argmax log L = argmin (−log L).
"""
)
page.formula(r"\hat\theta = \underset{\theta}{\operatorname{argmax}} \log L(\theta \mid x) = \underset{\theta}{\operatorname{argmin}} \bigl(-\log L(\theta \mid x)\bigr)")

# --- 2. The training loop -----------------------------------------------------------------
st.subheader("Where the NLL sits in a training loop")
page.explain(
    "The article ends with the loop that trains its bigram model of names. The three numbered comments "
    "mark the three steps: compute the NLL, differentiate it, step against the gradient."
)
st.code(article_loop(), language="python", wrap_lines=True)
st.markdown(
    """
1. **The NLL.** `probs[torch.arange(num), ys]` picks the probability the model gave each true next
   letter; `.log().mean()` with a minus sign in front is the average NLL. The small `W**2` term
   nudges the weights towards zero.
2. **The derivative.** `loss.backward()` fills `W.grad` with the gradient of the loss.
3. **The update.** `W.data += -50 * W.grad` takes one step *downhill*, with step size 50.
"""
)
st.page_link("pages/7_Bigram_model.py", label="Train this loop live in chapter 7", icon=":material/abc:")

# --- 3. One more thing the article leaves out ----------------------------------------------
st.subheader("One more thing worth knowing")
st.markdown("**For a softmax, the NLL is the cross-entropy.**")
check = nll.cross_entropy_check()
rows, classes = check.logits.shape
page.explain(
    "When a network turns scores (logits) into probabilities with a softmax, the NLL of the true "
    "classes is what torch calls cross-entropy. `F.cross_entropy` takes the raw logits and does the "
    f"softmax, the log and the averaging in one call. Below, {derived.number_word(rows)} "
    f"{'row' if rows == 1 else 'rows'} of {classes} random logits are scored both ways."
)
st.code(
    f"""counts = logits.exp()
probs = counts / counts.sum(1, keepdims=True)            # softmax
by_hand = -probs[torch.arange({rows}), targets].log().mean()  # NLL, as above
built_in = F.cross_entropy(logits, targets)              # cross-entropy""",
    language="python",
)
e1, e2, e3 = st.columns(3)
e1.metric("NLL written by hand", f"{check.by_hand:.7f}")
e2.metric("F.cross_entropy", f"{check.cross_entropy:.7f}")
e3.metric("difference", f"{derived.cross_entropy_gap(check):.1e}")
st.caption(f"Targets (true classes) of the {derived.number_word(rows)} {'row' if rows == 1 else 'rows'}: {', '.join(str(int(t)) for t in check.targets)}. "
           "Both routes work in float32 (about 7 significant digits), so any difference is rounding at most.")
ask(page, questions.negative_log_likelihood(narrow.sigma), "nll")
page.finish()
