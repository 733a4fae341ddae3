"""Chapter 6: -log L, the loss. Maximising log L and minimising -log L find the same θ."""
import streamlit as st

from core import derived, nll, normal
from core.charts.normal import neg_log_curve
from ui import frame

page = frame.start(__file__, lead="Flip the sign: climbing the log-likelihood becomes lowering a loss.")

page.explain(
    """
Chapter 5 climbed log L to its highest point. Training software is built the other way round: it
lowers a number called the loss. Put a minus sign in front of the log-likelihood and the highest
point of log L becomes the lowest point of −log L, at exactly the same parameters. That signed
quantity is the negative log-likelihood, or NLL.
"""
)
best = derived.closed_form(normal.ARTICLE_DATA)
lowest = derived.neg_log_likelihood(normal.ARTICLE_DATA, best.mean, best.sigma_mle)
st.latex(
    rf"""\begin{{aligned}}
    -\log L(\theta \mid x) &= -\sum_{{i=1}}^{{n}} \log P(x_i \mid \theta) \\
    -\log L(\hat\mu = {best.mean:.4f},\ \hat\sigma = {best.sigma_mle:.4f} \mid x) &= {lowest:.4f}
    \end{{aligned}}"""
)
st.caption(f"For the article's five observations, {lowest:.4f} is the lowest NLL any normal can reach: "
           "it is attained at the maximum-likelihood estimate of chapter 5.")

# --- 1. The curve -ln p -------------------------------------------------------------------
st.subheader("What one observation costs: −ln p")
page.explain(
    "Each observation adds −ln p to the loss, where p is the probability the model gave it. Move the "
    "point along the curve: an outcome the model was sure of (p = 1) costs nothing, and the cost "
    "climbs without limit as p heads towards 0."
)
page.url_number("p", 0.1, 0.001, 1.0)
controls, figure = st.columns([1, 2], gap="large")
with controls:
    st.slider("probability p of the observed outcome", 0.001, 1.0, step=0.001, key="p", format="%.3f")
    p = st.session_state.p
    cost = float(nll.neg_log(p))
    st.metric("−ln p", f"{cost:.4f}")
    st.latex(rf"-\ln({p:g}) = {cost:.4f}")
with figure:
    page.chart(
        neg_log_curve(p, height=page.chart_height),
        f"The curve −ln p falls from about {float(nll.neg_log(0.001)):.2f} at p = 0.001 to 0 at p = 1. "
        f"At the chosen p = {p:g} it is {cost:.4f}.",
    )

st.markdown(
    """
**Why minimise rather than maximise?**
- Optimisers in torch and other libraries are written to make a number *smaller*; gradient descent steps downhill.
- A loss is something we lower, and other common losses (squared error, absolute error) are lowered too, so the NLL fits in.
- Nothing is lost: log L is largest exactly where −log L is smallest, so argmax log L = argmin (−log L).
"""
)
st.latex(r"\hat\theta = \underset{\theta}{\operatorname{argmax}} \log L(\theta \mid x) = \underset{\theta}{\operatorname{argmin}} \bigl(-\log L(\theta \mid x)\bigr)")

# --- 2. The training loop -----------------------------------------------------------------
st.subheader("Where the NLL sits in a training loop")
page.explain(
    "The article ends with the loop that trains its bigram model of names. The three numbered comments "
    "mark the three steps: compute the NLL, differentiate it, step against the gradient."
)
st.code(
    """# gradient descent
for k in range(1000):
    # forward pass
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    # 1. Negative Log Likelihood Conversion
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01*(W**2).mean()
    print(loss.item())

    # backward pass
    W.grad = None
    # 2. Derivation of NLL with respect to W
    loss.backward()

    # update
    # 3. Gradient Descent
    W.data += -50 * W.grad""",
    language="python",
    wrap_lines=True,
)
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

# --- 3. Two things the article leaves out -------------------------------------------------
st.subheader("Two things worth knowing")
st.markdown("**(a) A density is not a probability, so the NLL can be negative.**")
page.explain(
    "For a continuous model, p(x | θ) is a density, not a probability, and a density can be larger "
    "than 1. A narrow normal piles its density up at the mean. Then the log-likelihood is positive "
    "and the NLL is negative. That is fine: only differences in the NLL matter when comparing models, "
    "and the loss can keep falling below zero."
)
page.url_number("peak_sigma", 0.1, 0.01, 5.0)
left, right = st.columns([1, 3], gap="large")
with left:
    st.slider("σ of N(0, σ²)", 0.01, 5.0, step=0.01, key="peak_sigma")
narrow = derived.point_at_mean(st.session_state.peak_sigma)
with right:
    r1, r2, r3 = st.columns(3)
    r1.metric("density at the mean", f"{narrow.peak_density:.4f}")
    r2.metric("log-likelihood of x = 0", f"{narrow.log_likelihood:.4f}")
    r3.metric("NLL of x = 0", f"{narrow.nll:.4f}")
st.latex(
    rf"""\begin{{aligned}}
    p(0 \mid \mu = 0, \sigma = {narrow.sigma:g}) &= \frac{{1}}{{\sigma\sqrt{{2\pi}}}} = {narrow.peak_density:.4f} \\
    \log L &= \ln {narrow.peak_density:.4f} = {narrow.log_likelihood:.4f} \\
    -\log L &= {narrow.nll:.4f}
    \end{{aligned}}"""
)
if narrow.nll_negative:
    st.info(f"With σ = {narrow.sigma:g}, below {derived.SIGMA_PEAK_ONE:.4f}, the density at the mean is above 1, "
            f"so the NLL of an observation sitting there is negative: {narrow.nll:.4f}.", icon=":material/info:")
else:
    st.info(f"With σ = {narrow.sigma:g}, at least {derived.SIGMA_PEAK_ONE:.4f}, the density never exceeds 1, "
            f"so this NLL is not negative. Make σ smaller than {derived.SIGMA_PEAK_ONE:.4f} to see it turn negative.",
            icon=":material/info:")

st.markdown("**(b) For a softmax, the NLL is the cross-entropy.**")
page.explain(
    "When a network turns scores (logits) into probabilities with a softmax, the NLL of the true "
    "classes is what torch calls cross-entropy. `F.cross_entropy` takes the raw logits and does the "
    "softmax, the log and the averaging in one call. Below, five rows of 27 random logits are scored "
    "both ways."
)
check = nll.cross_entropy_check()
st.code(
    """counts = logits.exp()
probs = counts / counts.sum(1, keepdims=True)            # softmax
by_hand = -probs[torch.arange(5), targets].log().mean()  # NLL, as above
built_in = F.cross_entropy(logits, targets)              # cross-entropy""",
    language="python",
)
e1, e2, e3 = st.columns(3)
e1.metric("NLL written by hand", f"{check.by_hand:.7f}")
e2.metric("F.cross_entropy", f"{check.cross_entropy:.7f}")
e3.metric("difference", f"{derived.cross_entropy_gap(check):.1e}")
st.caption(f"Targets (true classes) of the five rows: {', '.join(str(int(t)) for t in check.targets)}. "
           "Both routes work in float32 (about 7 significant digits), so any difference is rounding at most.")
page.finish()
