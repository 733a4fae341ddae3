"""Chapter 5: θ̂ = argmax log L. Solved on paper for a normal, then found by gradient ascent with autograd."""
import pandas as pd
import streamlit as st

from core import ascent, derived, normal
from ui import frame
from ui.question import ask
from ui.cached_builders import climb_question, gradient_norm_chart, log_likelihood_plane

DATA = normal.ARTICLE_DATA
STATE = "mle_ascent"      # this page's optimiser run: start, path so far, why it stopped
MAX_STEPS = 5000          # one path never grows beyond this; Reset starts afresh

page = frame.start(__file__, lead="Find the parameters that make the data most likely: by algebra, then by climbing.")

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
cf = derived.closed_form(DATA)
st.caption(f"The article's {derived.number_word(cf.n)} observations: " + ", ".join(f"{x:g}" for x in DATA))
page.explain(
    "For a normal the two equations can be solved by hand. Setting the μ-derivative to zero gives "
    "the mean; setting the σ-derivative to zero gives the root mean squared distance from that mean."
)
page.formula(
    r"""\begin{aligned}
    \frac{\partial \log L}{\partial \mu} &= \frac{1}{\sigma^2} \sum_{i=1}^{n} (x_i - \mu) = 0 \\
    \frac{\partial \log L}{\partial \sigma} &= -\frac{n}{\sigma} + \frac{1}{\sigma^3} \sum_{i=1}^{n} (x_i - \mu)^2 = 0
    \end{aligned}"""
)
page.formula(
    rf"""\begin{{aligned}}
    \hat\mu &= \frac{{1}}{{n}} \sum_{{i=1}}^{{n}} x_i = \frac{{{cf.total:.4f}}}{{{cf.n}}} = {cf.mean:.4f} \\
    \hat\sigma &= \sqrt{{\frac{{1}}{{n}} \sum_{{i=1}}^{{n}} (x_i - \hat\mu)^2}}
    = \sqrt{{\frac{{{cf.sum_sq_dev:.4f}}}{{{cf.n}}}}} = {cf.sigma_mle:.4f} \\
    s &= \sqrt{{\frac{{1}}{{n-1}} \sum_{{i=1}}^{{n}} (x_i - \hat\mu)^2}}
    = \sqrt{{\frac{{{cf.sum_sq_dev:.4f}}}{{{cf.n - 1}}}}} = {cf.sample_std:.4f}
    \end{{aligned}}"""
)
m1, m2, m3 = st.columns(3)
m1.metric("μ̂, the mean", f"{cf.mean:.4f}")
m2.metric("σ̂, the MLE (divides by n)", f"{cf.sigma_mle:.4f}")
m3.metric("s, sample std (divides by n − 1)", f"{cf.sample_std:.4f}")
stated = derived.stated_summary(DATA)
if stated.mean_is_xbar and stated.sd_is_sigma_mle:
    st.markdown(
        f"The article says its points come from a normal with mean {stated.stated_mean:g} and sd "
        f"{stated.stated_sd:g}. Those two figures are these points' own μ̂ = {stated.mean:.4f} and "
        f"σ̂ = {stated.sigma_mle:.4f}, rounded to {stated.decimals} decimals: the sd is the one that divides "
        f"by *n*" + ("." if stated.sd_is_sample_std else f", not s = {stated.sample_std:.4f}.")
    )
else:
    st.markdown(
        f"The article says its points come from a normal with mean {stated.stated_mean:g} and sd "
        f"{stated.stated_sd:g}; these points give μ̂ = {stated.mean:.4f}, σ̂ = {stated.sigma_mle:.4f} "
        f"and s = {stated.sample_std:.4f}."
    )
st.markdown(
    "**Why σ̂ and s differ:** σ̂ divides by *n*, s by *n − 1*. The deviations are measured from the "
    "sample's own mean, which sits closer to the data than the true mean, so dividing by *n* comes out "
    "too small on average; *n − 1* removes that bias from the variance. With many observations the two "
    "are nearly equal."
)

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
page.url_number("ga_mu0", 45.0, 0.0, 100.0)
page.url_number("ga_sigma0", 8.0, 0.1, 50.0)
page.url_number("ga_eta", 0.5, 0.001, 20.0)
page.url_number("ga_steps", 200, 1, 2000, integer=True)
c1, c2, c3, c4 = st.columns(4)
page.number_input("start μ₀", "ga_mu0", where=c1, step=0.5, format="%.4g")
page.number_input("start σ₀", "ga_sigma0", where=c2, step=0.5, format="%.4g")
start = (float(st.session_state.ga_mu0), float(st.session_state.ga_sigma0))
at_top, from_start = ascent.step_limits(DATA), ascent.step_limits(DATA, *start)
narrow = ascent.step_limits(DATA, start[0], 0.5)
smaller = (f"; from σ₀ = 0.5 it would be only {narrow.safe:.2g}"
           if start[1] > 0.5 and narrow.safe < from_start.safe else "")
page.number_input(
    "step size η", "ga_eta", where=c3, step=0.1, format="%.4g",
    help=(f"Near the top, a step above about {at_top.overshoot:.3g} lands past the peak: the path zig-zags "
          f"but still settles. Above {at_top.unstable:.4g} (that is σ̂²/n) each jump lands farther out than "
          f"the last, so σ swings around σ̂ for ever. Away from the top the limit follows the bend of the "
          f"surface where the point is: for the first step from this start (μ₀ = {start[0]:g}, "
          f"σ₀ = {start[1]:g}) it is {from_start.safe:.3g}{smaller}. Beyond it, a step can throw σ onto a "
          f"flat plain, where the gradient is tiny and the climb stalls far from the top, or push σ below zero."))
page.number_input("steps per Run", "ga_steps", where=c4, step=50)
lr, steps = float(st.session_state.ga_eta), int(st.session_state.ga_steps)


def _fresh(point: tuple[float, float]) -> dict:
    return {"start": point, "path": [ascent.evaluate(DATA, *point)], "stopped": None}


run = st.session_state.get(STATE)
if run is None or run["start"] != start:
    run = st.session_state[STATE] = _fresh(start)

b1, b2, b3, _ = st.columns([1, 1, 1, 3])
go = b1.button("Run", key="mle_run", help="Take the number of steps set in *steps per Run*", type="primary", width="stretch")
one = b2.button("One step", key="mle_one", width="stretch")
if b3.button("Reset", key="mle_reset", width="stretch"):
    run = st.session_state[STATE] = _fresh(start)
if go or one:
    room = MAX_STEPS - (len(run["path"]) - 1)
    if room <= 0:
        st.warning(f"This path already has {MAX_STEPS:,} steps, the most one path keeps. Press Reset to start again.")
    else:
        result = ascent.ascend(DATA, run["path"][-1], lr, min(1 if one else steps, room))
        run["path"].extend(result.path[1:])
        run["stopped"] = result.stopped
path = run["path"]
now = path[-1]
d_mu, d_sigma = derived.distance_to_mle(now, DATA)
judged = ascent.verdict(DATA, path, lr=lr, stopped=run["stopped"])
page.formula(
    rf"""\begin{{aligned}}
    \mu &\leftarrow \mu + \eta \, \frac{{\partial \log L}}{{\partial \mu}}, \qquad
    \sigma \leftarrow \sigma + \eta \, \frac{{\partial \log L}}{{\partial \sigma}}, \qquad \eta = {lr:g} \\
    \text{{step }} {now.step}: \quad \mu &= {derived.shown(now.mu, ".6f")}, \quad \sigma = {now.sigma:.6f}, \quad
    \log L = {derived.shown(now.log_likelihood, ".6f")}
    \end{{aligned}}"""
)
g1, g2, g3, g4 = st.columns(4)
g1.metric("∂ log L / ∂μ", derived.shown(now.grad_mu, ".3e"), help="At the current point; zero at the top.")
g2.metric("∂ log L / ∂σ", derived.shown(now.grad_sigma, ".3e"), help="At the current point; zero at the top.")
g3.metric("|μ − μ̂|", f"{d_mu:.2e}", help="Distance from the closed-form answer.")
g4.metric("|σ − σ̂|", f"{d_sigma:.2e}", help="Distance from the closed-form answer.")

# The verdict is read from the path and its distance to θ̂, never from the gradient's size alone.
if judged.kind == "top":
    st.success(judged.sentence, icon=":material/check_circle:")
elif judged.kind == "climbing":
    st.info(judged.sentence, icon=":material/trending_up:")
else:
    kept = ("" if judged.kind != "stopped" else " The path up to that point is kept."
            if now.step > path[0].step else " The point stays at the start.")
    st.warning(judged.sentence + kept, icon=":material/warning:")
if judged.lesson is not None:
    st.info(judged.lesson, icon=":material/lightbulb:")

left, right = st.columns([3, 2])
with left:
    view = derived.ascent_view(DATA, path, top=judged.kind == "top")
    grid = normal.log_likelihood_grid(DATA, view.mus, view.sigmas)
    taken = derived.count(now.step - path[0].step, "step")
    if now.step == path[0].step:
        whereabouts = (f"No steps yet: the black point is the start, μ = {path[0].mu:g}, "
                       f"σ = {path[0].sigma:g}.")
    elif view.left_at is None:
        whereabouts = (f"The white line is the path of {taken} from the start (μ = {path[0].mu:g}, "
                       f"σ = {path[0].sigma:g}) to μ = {now.mu:.4f}, σ = {now.sigma:.4f}.")
    else:
        out = view.left_at
        whereabouts = (f"The white line is the path from the start (μ = {path[0].mu:g}, σ = {path[0].sigma:g}) "
                       f"to the edge of the chart: step {out.step} lands far off it, at μ = {out.mu:.4g}, "
                       f"σ = {out.sigma:.4g}" +
                       ("." if out.step == now.step else
                        f", and after {taken} the point is at μ = {now.mu:.4g}, σ = {now.sigma:.4g}."))
    page.chart(
        log_likelihood_plane(view.mus, view.sigmas, grid, view.marks, path=view.path,
                             height=page.chart_height + 60),
        f"{whereabouts} The closed-form maximum is at μ̂ = {cf.mean:.4f}, σ̂ = {cf.sigma_mle:.4f}; the "
        f"current point is {d_mu:.2e} away in μ and {d_sigma:.2e} in σ.",
    )
with right:
    st.markdown("**Size of the gradient at each step**")
    steps_taken, norms = derived.gradient_norms(path)
    first, last = float(norms[0]), float(norms[-1])
    if now.step == path[0].step:
        trend = f"At the start the gradient is {first:.3g} long; no steps yet."
    elif last < first:
        trend = (f"The length of the gradient went from {first:.3g} at the start to {last:.3g} at step "
                 f"{now.step}" + (f", {first / last:.3g} times smaller." if last > 0 else "."))
    else:
        trend = (f"The length of the gradient went from {first:.3g} at the start to {last:.3g} at step "
                 f"{now.step}: no smaller than where it began.")
    page.chart(
        gradient_norm_chart(steps_taken, norms, height=page.chart_height),
        f"{trend} A small gradient alone does not mean the top: the verdict above is read from the "
        f"distance to θ̂.",
        pd.DataFrame({"step": steps_taken, "|gradient|": norms}),
    )

with st.expander("The same climb written out in torch"):
    st.code(
        f"""import math, torch

x = torch.tensor({list(DATA)}, dtype=torch.float64)
mu = torch.tensor({start[0]!r}, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor({start[1]!r}, dtype=torch.float64, requires_grad=True)
n = x.numel()

for step in range({steps}):
    log_l = (-n * torch.log(sigma) - n / 2 * math.log(2 * math.pi)
             - ((x - mu) ** 2).sum() / (2 * sigma ** 2))
    mu.grad = sigma.grad = None
    log_l.backward()                  # fills mu.grad and sigma.grad
    with torch.no_grad():             # a plus sign: we climb, not descend
        mu += {lr:g} * mu.grad
        sigma += {lr:g} * sigma.grad""",
        language="python",
    )
ask(page, climb_question(DATA, start, lr, steps), "climb")
page.finish()
