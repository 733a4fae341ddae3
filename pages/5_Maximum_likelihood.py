"""Chapter 5: θ̂ = argmax log L. Solved on paper for a normal, then found by gradient ascent with autograd."""
import pandas as pd
import streamlit as st

from core import ascent, formatting, normal
from core.charts import optimise
from ui import bias_view, climb, closed_form_view, frame
from ui.layout import row
from ui.question import ask
from ui.cached_builders import climb_question, gradient_norm_chart, log_likelihood_plane

DATA = normal.ARTICLE_DATA

page = frame.page()

page.explain(
    """
Chapter 3 showed the likelihood as a surface over (μ, σ) with a single highest point. Maximum
likelihood estimation picks that point as the estimate. Because the log never changes where the
peak is (chapter 4), we climb log L instead of L. At the top the surface is flat, so every partial
derivative is zero there.
"""
)
page.formula(
    r"""\begin{aligned}
    \hat\theta &= \underset{\theta}{\operatorname{argmax}}\; L(\theta \mid x)
    = \underset{\theta}{\operatorname{argmax}}\; \log L(\theta \mid x) \\
    \frac{\partial}{\partial \theta} \log L(\theta \mid x)
    &= \sum_{i=1}^{n} \frac{\partial}{\partial \theta} \log p(x_i \mid \theta) = 0
    \quad \text{at } \theta = \hat\theta
    \end{aligned}"""
)

# --- 1. The closed form ---------------------------------------------------------------------
st.subheader("On paper: the closed form for a normal")
cf = closed_form_view.section(page, DATA)
st.markdown(
    "**Why σ̂ and s differ:** σ̂ divides by *n*, s by *n − 1*. The deviations are measured from the "
    "sample's own mean, which sits closer to the data than the true mean, so dividing by *n* comes out "
    "too small on average; *n − 1* removes that bias from the variance. With many observations the two "
    "are nearly equal. Below, the simulation shows it."
)
st.subheader("σ̂'s bias, shown: many samples drawn")
page.fragment(bias_view.section, page)   # its controls rerun it alone

# --- 2. The numerical route ---------------------------------------------------------------
st.subheader("By computer: gradient ascent with torch autograd")
page.explain(
    """
Most models have no closed form, so we let the computer climb. Start somewhere, ask torch for the
gradient of log L with `backward()`, take a small step in that direction (uphill), and repeat. The
step size η sets how far each step goes. Too small, and the climb crawls. Too large, and it jumps
past the top and may never settle, or it throws σ far out onto a flat stretch of the surface where
the slope is almost zero, or it pushes σ below zero, where no normal exists. How large is too large
depends on how sharply the surface bends where the point is.
"""
)
controls, figure = st.columns([2, 3], gap="large")
with controls:
    chosen = climb.settings(page, DATA)
    climbed = climb.so_far(DATA, chosen)
    path, now = climbed.path, climbed.now
    judged = ascent.verdict(DATA, path, lr=chosen.lr, stopped=climbed.stopped)
    if climbed.taken:
        page.not_in_link("the steps climbed so far")
    else:
        st.caption("Before you press Run, predict where one Run from this start ends: the question is at the "
                   "foot of the page ([Predict, then see](#predict)).")
    # The verdict is read from the path and its distance to θ̂, never from the gradient's size alone.
    climb.say_verdict(judged, climbed)
d_mu, d_sigma = ascent.distance_to_mle(now, DATA)
with figure, page.first_on_phone():
    view = optimise.ascent_view(DATA, path, top=judged.kind == "top")
    page.chart(
        log_likelihood_plane(view.mus, view.sigmas, normal.log_likelihood_grid(DATA, view.mus, view.sigmas),
                             view.marks, path=view.path, height=page.chart_height + 60),
        f"{optimise.whereabouts(view, path)} The closed-form maximum is at μ̂ = {formatting.num(cf.mean, '.4f')}, "
        f"σ̂ = {formatting.num(cf.sigma_mle, '.4f')}; the current point is {formatting.sig(d_mu)} away in μ and "
        f"{formatting.sig(d_sigma)} in σ.",
    )
page.formula(
    rf"""\begin{{aligned}}
    \mu &\leftarrow \mu + \eta \, \frac{{\partial \log L}}{{\partial \mu}}, \qquad
    \sigma \leftarrow \sigma + \eta \, \frac{{\partial \log L}}{{\partial \sigma}}, \qquad \eta = {formatting.num(chosen.lr)} \\
    \text{{step }} {now.step}: \quad \mu &= {formatting.num(now.mu, ".6f")}, \quad \sigma = {formatting.num(now.sigma, ".6f")}, \quad
    \log L = {formatting.num(now.log_likelihood, ".6f")}
    \end{{aligned}}"""
)
gradient = row()
gradient.metric("∂ log L / ∂μ", formatting.sig(now.grad_mu, 4), help="At the current point; zero at the top.")
gradient.metric("∂ log L / ∂σ", formatting.sig(now.grad_sigma, 4), help="At the current point; zero at the top.")
gradient.metric("|μ − μ̂|", formatting.sig(d_mu), help="Distance from the closed-form answer.")
gradient.metric("|σ − σ̂|", formatting.sig(d_sigma), help="Distance from the closed-form answer.")

st.markdown("**Size of the gradient at each step**")
steps_taken, norms = ascent.gradient_norms(path)
page.chart(gradient_norm_chart(steps_taken, norms, height=page.chart_height),
           f"{ascent.gradient_trend(path)} A small gradient alone does not mean the top: the verdict above is "
           f"read from the whole path and its distance to θ̂.", pd.DataFrame({"step": steps_taken, "|gradient|": norms}))

with st.expander("The same climb written out in torch"):
    st.code(
        f"""import math, torch

x = torch.tensor({list(DATA)}, dtype=torch.float64)
mu = torch.tensor({repr(chosen.start[0])}, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor({repr(chosen.start[1])}, dtype=torch.float64, requires_grad=True)
n = x.numel()

for step in range({chosen.steps}):
    log_l = (-n * torch.log(sigma) - n / 2 * math.log(2 * math.pi)
             - ((x - mu) ** 2).sum() / (2 * sigma ** 2))
    mu.grad = sigma.grad = None
    log_l.backward()                  # fills mu.grad and sigma.grad
    with torch.no_grad():             # a plus sign: we climb, not descend
        mu += {repr(chosen.lr)} * mu.grad
        sigma += {repr(chosen.lr)} * sigma.grad""",
        language="python",
    )
ask(page, climb_question(DATA, chosen.start, chosen.lr, chosen.steps), "climb")
