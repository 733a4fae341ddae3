"""Chapter 6: -log L, the loss. Maximising log L and minimising -log L find the same θ."""
import streamlit as st

from core import formatting, nll, normal, questions, story
from core.training import article_loop
from ui import cross_entropy_view, density_nll, frame, squared_error_view
from ui.cached_builders import neg_log_curve
from ui.question import answered, ask

page = frame.page()

page.explain(
    """
Chapter 5 climbed log L to its highest point. Training software is built the other way round: it
lowers a number called the loss. Put a minus sign in front of the log-likelihood and the highest
point of log L becomes the lowest point of −log L, at exactly the same parameters. That sign-flipped
quantity is the negative log-likelihood, or NLL.
"""
)
best = normal.closed_form(normal.ARTICLE_DATA)
lowest = nll.neg_log_likelihood(normal.ARTICLE_DATA, best.mean, best.sigma_mle)
page.formula(
    rf"""\begin{{aligned}}
    -\log L(\theta \mid x) &= -\sum_{{i=1}}^{{n}} \log p(x_i \mid \theta) \\
    -\log L(\hat\mu = {formatting.num(best.mean, '.4f')},\ \hat\sigma = {formatting.num(best.sigma_mle, '.4f')} \mid x)
    &= {formatting.num(lowest, '.4f')}
    \end{{aligned}}"""
)
st.caption(f"For the article's {formatting.number_word(best.n)} observations, {formatting.num(lowest, '.4f')} is "
           "the lowest NLL any normal can reach: it is attained at the maximum-likelihood estimate of chapter 5.")

# --- 1. The curve -ln P -------------------------------------------------------------------
st.subheader("What one observation costs: −ln P")
page.explain(
    "Take an outcome that is one of a list of separate possibilities: the next letter of a name, the "
    "class of an image. The model gives the outcome that happened a probability P between 0 and 1, and "
    "that observation adds −ln P to the loss. Move the point along the curve: an outcome the model was "
    "sure of (P = 1) costs nothing, and the cost climbs without limit as P heads towards 0."
)


def cost_of_one_outcome(page: frame.Page) -> None:
    """The slider's P on the curve −ln P, with its cost."""
    page.url_number("p", 0.1, 0.001, 1.0)
    controls, figure = st.columns([1, 2], gap="large")
    with controls:
        page.slider("probability P of the observed outcome", "p", step=0.001, format="%.3f")
        p = st.session_state.p
        cost = float(nll.neg_log(p))
        st.metric("−ln P", formatting.num(cost, ".4f"))
        page.formula(rf"-\ln({formatting.num(p)}) = {formatting.num(cost, '.4f')}")
    with figure:
        page.chart(
            neg_log_curve(p, height=page.chart_height),
            f"The curve −ln P falls from about {formatting.num(float(nll.neg_log(0.001)), '.2f')} at P = 0.001 to 0 "
            f"at P = 1. At the chosen P = {formatting.num(p)} it is {formatting.num(cost, '.4f')}.",
        )


page.fragment(cost_of_one_outcome, page)   # its slider reruns it alone

# Beside the curve: what changes when the data are measurements, not outcomes from a list.
st.markdown("**For a measurement, p is a density, and the NLL depends on the units**")
density_nll.units_caveat(nll.other_units(normal.ARTICLE_DATA, 100))

st.markdown("**See it with one point: the density at the mean of a narrow normal**")
page.explain(
    "A narrow normal piles its density up at the mean. Set σ, then predict at the foot of the page whether an "
    "observation sitting exactly at the mean has a negative, zero or positive NLL; its density, "
    "log-likelihood and NLL appear here once you have."
)
page.url_number("peak_sigma", 0.1, 0.01, 5.0)
left, right = st.columns([1, 3], gap="large")
with left:
    page.slider("σ of N(0, σ²)", "peak_sigma", step=0.01)
narrow = nll.point_at_mean(st.session_state.peak_sigma)
question = questions.negative_log_likelihood(narrow.sigma)
density_nll.point_at_mean(page, narrow, right, shown=answered(page, question, "nll"))

st.markdown(
    """
**Why minimise rather than maximise?**
- Optimisers in torch and other libraries are written to make a number *smaller*; gradient descent steps downhill.
- A loss is something we lower, and other common losses (squared error, absolute error) are lowered too, so the NLL fits in.
- Nothing is lost: log L is largest exactly where −log L is smallest, so argmax log L = argmin (−log L).
"""
)
page.formula(r"\hat\theta = \underset{\theta}{\operatorname{argmax}} \log L(\theta \mid x) = \underset{\theta}{\operatorname{argmin}} \bigl(-\log L(\theta \mid x)\bigr)")

st.subheader("Squared error is an NLL too")
page.fragment(squared_error_view.section, page)   # its sliders rerun it alone

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
per = nll.total_and_mean(normal.ARTICLE_DATA)
st.markdown(
    f"**A total or a mean.** On this page the NLL is a total over the n observations; the loop above, and "
    f"chapter 7, take the mean per bigram: the total divided by n, so the total is n times the mean. For the "
    f"article's {formatting.number_word(per.n)} points the lowest total is {formatting.num(per.total, '.4f')} "
    f"and the lowest mean {formatting.num(per.total, '.4f')} / {per.n} = {formatting.num(per.mean, '.4f')}, at the "
    "same μ̂ and σ̂: dividing by n moves no minimiser. What it changes is the scale of the gradient, 1/n of "
    "the total's, so the same step size η takes steps n times shorter on the mean, and a mean's loss "
    "compares across data sets of different sizes."
)
frame.link(story.by_url_path("Bigram_model"), "Train this loop live in chapter 7", ":material/abc:")

# --- 3. One more thing the article leaves out ----------------------------------------------
st.subheader("One more thing worth knowing")
st.markdown("**For a softmax, the NLL is the cross-entropy.**")
page.fragment(cross_entropy_view.nll_is_cross_entropy, page)   # its slider reruns it alone
ask(page, question, "nll")
