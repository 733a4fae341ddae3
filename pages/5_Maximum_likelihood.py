"""Chapter 5: θ̂ = argmax log L. Solved on paper for a normal, then found by gradient ascent with autograd."""
import pandas as pd
import streamlit as st

from core import ascent, derived, normal
from core.charts.normal import Mark, log_likelihood_plane
from core.charts.optimise import gradient_norm_chart
from core.charts.style import BLACK, GREY, VERMILLION
from ui import frame

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
st.latex(
    r"""\begin{aligned}
    \hat\theta &= \underset{\theta}{\operatorname{argmax}}\; L(\theta \mid x)
    = \underset{\theta}{\operatorname{argmax}}\; \log L(\theta \mid x) \\
    \frac{\partial}{\partial \theta} \log L(\theta \mid x)
    &= \sum_{i=1}^{n} \frac{\partial}{\partial \theta} \log P(x_i \mid \theta) = 0
    \quad \text{at } \theta = \hat\theta
    \end{aligned}"""
)

# --- 1. The closed form ---------------------------------------------------------------------
st.subheader("On paper: the closed form for a normal")
cf = derived.closed_form(DATA)
st.caption("The article's five observations: " + ", ".join(f"{x:g}" for x in DATA))
page.explain(
    "For a normal the two equations can be solved by hand. Setting the μ-derivative to zero gives "
    "the mean; setting the σ-derivative to zero gives the root mean squared distance from that mean."
)
st.latex(
    r"""\begin{aligned}
    \frac{\partial \log L}{\partial \mu} &= \frac{1}{\sigma^2} \sum_{i=1}^{n} (x_i - \mu) = 0 \\
    \frac{\partial \log L}{\partial \sigma} &= -\frac{n}{\sigma} + \frac{1}{\sigma^3} \sum_{i=1}^{n} (x_i - \mu)^2 = 0
    \end{aligned}"""
)
st.latex(
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
step size η sets how far each step goes: too small and the climb is slow, too large and it
overshoots, or even pushes σ below zero, where no normal exists.
"""
)
page.url_number("ga_mu0", 45.0, 0.0, 100.0)
page.url_number("ga_sigma0", 8.0, 0.1, 50.0)
page.url_number("ga_eta", 0.5, 0.001, 20.0)
page.url_number("ga_steps", 200, 1, 2000, integer=True)
c1, c2, c3, c4 = st.columns(4)
c1.number_input("start μ₀", 0.0, 100.0, step=0.5, key="ga_mu0", format="%.4g")
c2.number_input("start σ₀", 0.1, 50.0, step=0.5, key="ga_sigma0", format="%.4g")
c3.number_input("step size η", 0.001, 20.0, step=0.1, key="ga_eta", format="%.4g",
                help="Above about 1 the climb starts to overshoot; large values can push σ below zero.")
c4.number_input("steps per Run", 1, 2000, step=50, key="ga_steps")
start = (float(st.session_state.ga_mu0), float(st.session_state.ga_sigma0))
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
if run["stopped"]:
    st.warning(f"The climb stopped: {run['stopped']}. The path up to that point is kept.", icon=":material/warning:")

path = run["path"]
now = path[-1]
d_mu, d_sigma = derived.distance_to_mle(now, DATA)
st.latex(
    rf"""\begin{{aligned}}
    \mu &\leftarrow \mu + \eta \, \frac{{\partial \log L}}{{\partial \mu}}, \qquad
    \sigma \leftarrow \sigma + \eta \, \frac{{\partial \log L}}{{\partial \sigma}}, \qquad \eta = {lr:g} \\
    \text{{step }} {now.step}: \quad \mu &= {now.mu:.6f}, \quad \sigma = {now.sigma:.6f}, \quad
    \log L = {now.log_likelihood:.6f}
    \end{{aligned}}"""
)
g1, g2, g3, g4 = st.columns(4)
g1.metric("∂ log L / ∂μ", f"{now.grad_mu:.3e}", help="At the current point; zero at the top.")
g2.metric("∂ log L / ∂σ", f"{now.grad_sigma:.3e}", help="At the current point; zero at the top.")
g3.metric("|μ − μ̂|", f"{d_mu:.2e}", help="Distance from the closed-form answer.")
g4.metric("|σ − σ̂|", f"{d_sigma:.2e}", help="Distance from the closed-form answer.")

left, right = st.columns([3, 2])
with left:
    mus, sigmas = derived.plane_framing(DATA, path)
    grid = normal.log_likelihood_grid(DATA, mus, sigmas)
    # Points that would sit on top of each other share one mark, so their labels never overlap.
    spots = [Mark(cf.mean, "MLE", VERMILLION, cf.sigma_mle),
             Mark(now.mu, f"step {now.step}" if now.step else "start", GREY if now.step else BLACK, now.sigma)]
    if now.step:
        spots.append(Mark(path[0].mu, "start", BLACK, path[0].sigma))
    marks: list[Mark] = []
    for spot in spots:
        twin = next((i for i, m in enumerate(marks) if derived.same_spot((m.x, m.y), (spot.x, spot.y), mus, sigmas)), None)
        if twin is None:
            marks.append(spot)
        else:
            marks[twin] = Mark(marks[twin].x, f"{spot.label} ≈ {marks[twin].label}", marks[twin].colour, marks[twin].y)
    page.chart(
        log_likelihood_plane(mus, sigmas, grid, marks, path=[(p.mu, p.sigma) for p in path],
                             height=page.chart_height + 60),
        f"The white line is the path of {now.step} steps from the start (μ = {path[0].mu:g}, σ = {path[0].sigma:g}) "
        f"to μ = {now.mu:.4f}, σ = {now.sigma:.4f}. The closed-form maximum is at μ̂ = {cf.mean:.4f}, "
        f"σ̂ = {cf.sigma_mle:.4f}; the current point is {d_mu:.2e} away in μ and {d_sigma:.2e} in σ.",
    )
with right:
    st.markdown("**Size of the gradient at each step**")
    steps_taken, norms = derived.gradient_norms(path)
    page.chart(
        gradient_norm_chart(steps_taken, norms, height=page.chart_height),
        f"The length of the gradient went from {norms[0]:.3g} at the start to {norms[-1]:.3g} at step "
        f"{now.step}. It shrinks towards zero as the climb reaches the flat top.",
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
page.finish()
