"""Maximum likelihood the numerical way: gradient ascent on log L(μ, σ | x) with torch autograd."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from core import normal, run_shape
from core.formatting import about_count, count, figure, integer, sig


@dataclass(frozen=True)
class Point:
    step: int
    mu: float
    sigma: float
    log_likelihood: float
    grad_mu: float
    grad_sigma: float


def _log_likelihood(x: torch.Tensor, mu: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    n = x.numel()
    return -n * torch.log(sigma) - n / 2 * math.log(2 * math.pi) - ((x - mu) ** 2).sum() / (2 * sigma**2)


def evaluate(data, mu: float, sigma: float, step: int = 0) -> Point:
    """log L and its gradient (∂/∂μ, ∂/∂σ) at one point, by backward()."""
    if not sigma > 0:
        raise ValueError(f"σ must be positive, got {sigma}")
    x = torch.tensor(list(data), dtype=torch.float64)
    m = torch.tensor(float(mu), dtype=torch.float64, requires_grad=True)
    s = torch.tensor(float(sigma), dtype=torch.float64, requires_grad=True)
    ll = _log_likelihood(x, m, s)
    ll.backward()
    return Point(step, float(mu), float(sigma), ll.item(), m.grad.item(), s.grad.item())


@dataclass(frozen=True)
class Ascent:
    path: tuple[Point, ...]
    stopped: str | None  # why the climb ended early, in words, or None


def ascend(data, start: Point | tuple[float, float], lr: float, steps: int) -> Ascent:
    """θ ← θ + lr·∇log L, from start, for `steps` steps. Stops early if σ would leave (0, ∞)."""
    if isinstance(start, Point):
        current = start
    else:
        current = evaluate(data, *start)
    path = [current]
    for _ in range(steps):
        mu = current.mu + lr * current.grad_mu
        sigma = current.sigma + lr * current.grad_sigma
        if not (math.isfinite(mu) and math.isfinite(sigma)) or sigma <= 0:
            return Ascent(tuple(path), f"step {current.step + 1} would push σ to {sig(sigma, 4)}; lower the step size")
        current = evaluate(data, mu, sigma, current.step + 1)
        path.append(current)
    return Ascent(tuple(path), None)


# --- A climb made a press at a time ----------------------------------------------------------
#
# Chapter 5 climbs in presses: each press of Run (or One step) goes on from where the last one
# stopped, so the path grows until Reset or a new start begins it afresh.

MAX_STEPS = 5000  # one climb's path never grows beyond this many steps


@dataclass(frozen=True)
class Climb:
    """A climb so far: where it started, every point since, and why its last press stopped early."""
    start: tuple[float, float]
    path: tuple[Point, ...]
    stopped: str | None = None

    @property
    def now(self) -> Point:
        return self.path[-1]

    @property
    def taken(self) -> int:
        """Steps taken since the start."""
        return self.path[-1].step - self.path[0].step

    @property
    def full(self) -> bool:
        return self.taken >= MAX_STEPS


def begin(data, start: tuple[float, float]) -> Climb:
    """A climb with no steps yet: just its starting point."""
    start = (float(start[0]), float(start[1]))
    return Climb(start, (evaluate(data, *start),))


def climb_on(data, climb: Climb, lr: float, steps: int) -> Climb:
    """The climb after `steps` more steps of size `lr` from where it is, never past MAX_STEPS.
    A full climb comes back as it was."""
    steps = min(steps, MAX_STEPS - climb.taken)
    if steps <= 0:
        return climb
    more = ascend(data, climb.now, lr, steps)
    return Climb(climb.start, climb.path + more.path[1:], more.stopped)


def gradient_norm(point: Point) -> float:
    """|∇ log L| = √((∂/∂μ)² + (∂/∂σ)²) at one point of an ascent."""
    return math.hypot(point.grad_mu, point.grad_sigma)


def gradient_norms(path) -> tuple[np.ndarray, np.ndarray]:
    """Step numbers and the size of the gradient at each point of the path."""
    return (np.array([p.step for p in path], dtype=int), np.array([gradient_norm(p) for p in path], dtype=float))


def gradient_trend(path) -> str:
    """How the gradient's length changed from the path's start to its last point, in a sentence."""
    first, last = gradient_norm(path[0]), gradient_norm(path[-1])
    if path[-1].step == path[0].step:
        return f"At the start the gradient is {sig(first)} long; no steps yet."
    went = (f"The length of the gradient went from {sig(first)} at the start to {sig(last)} at "
            f"step {integer(path[-1].step)}")
    if sig(first) == sig(last):
        return went + ": about the same."
    if last < first:
        return went + (f", {_times(first / last, 'it was')}." if last > 0 else ".")
    return went + ": no smaller than where it began."


def distance_to_mle(point: Point, data) -> tuple[float, float]:
    """|μ - μ̂| and |σ - σ̂|: how far a numerical answer is from the closed form."""
    est = normal.mle(data)
    return abs(point.mu - est.mu), abs(point.sigma - est.sigma)


# --- How far a step may go, and what the path says about the climb ----------------------------
#
# Near a point θ, log L is close to a parabola whose downward curvature along a direction is
# given by the negative Hessian -∇² log L. Gradient ascent on a parabola of curvature h is the map
# d ← (1 - η h) d on the distance d to its top: for η < 1/h each step stops short of the top, for
# 1/h < η < 2/h it jumps past the top but lands closer (a zig-zag that still settles), and for
# η > 2/h it lands further away than it started, so the climb never settles. The curvature depends
# on where you are, so the safe step does too. For the normal:
#
#   ∂²/∂μ²  = -n/σ²      ∂²/∂μ∂σ = -2 Σ(xᵢ-μ)/σ³      ∂²/∂σ² = n/σ² - 3 Σ(xᵢ-μ)²/σ⁴
#
# and at θ̂ = (x̄, σ̂) this is diagonal: -n/σ̂² and -2n/σ̂², so steps above σ̂²/n overshoot for ever.

TOP_TOLERANCE = 1e-3   # "top": |μ - μ̂| and |σ - σ̂| both within about this many σ̂ (see _shape)
FAR = 1.0              # "far" from θ̂: more than this many σ̂ away in μ or in σ
FLAT = 0.1             # a gradient under this share of the top's slope at the same distance is "flat"
SHOWN = 10             # an oscillation's range is quoted over this many recent steps
ROUNDING = 1e-16       # log L(θ̂) − log L(θ) per observation below this (θ within 10⁻⁸ σ̂) is rounding
RELATIVE = 1e-9        # and so is a change of it smaller than this share of it

KINDS = ("stopped", "too_few", "oscillating", "top", "fell", "climbing", "stalled")


@dataclass(frozen=True)
class _Stats:
    n: int
    mean: float
    sigma_hat: float

    def sum_sq(self, mu: float) -> float:
        """Σ (xᵢ - μ)², from the closed-form pieces: n σ̂² + n (μ - x̄)²."""
        return self.n * (self.sigma_hat**2 + (mu - self.mean) ** 2)


def _stats(data) -> _Stats:
    values = [float(x) for x in data]
    if not values:
        raise ValueError("a likelihood needs at least one observation")
    est = normal.mle(values)
    if not (math.isfinite(est.sigma) and est.sigma > 0):
        raise ValueError("all observations are equal: σ̂ = 0, so log L has no top to climb to")
    return _Stats(len(values), est.mu, est.sigma)


@dataclass(frozen=True)
class StepLimits:
    """The step sizes η that are safe for one gradient-ascent step from (μ, σ)."""
    mu: float
    sigma: float
    curvature: float        # largest eigenvalue of -∇² log L here; ≤ 0 means no downward curvature
    overshoot: float        # 1/curvature: larger steps jump past the top of the local parabola
    unstable: float         # 2/curvature: larger steps land further from that top than they started
    sigma_positive: float   # the step that would push σ to 0 (inf when the gradient raises σ; huge at θ̂)

    @property
    def safe(self) -> float:
        """The largest step that neither overshoots for ever nor leaves σ > 0."""
        return min(self.unstable, self.sigma_positive)


def _limits(s: _Stats, mu: float, sigma: float) -> StepLimits:
    n, sq = s.n, s.sum_sq(mu)
    a = n / sigma**2                                  # -∂²/∂μ²
    b = 2 * n * (s.mean - mu) / sigma**3              # -∂²/∂μ∂σ
    c = 3 * sq / sigma**4 - n / sigma**2              # -∂²/∂σ²
    curvature = (a + c) / 2 + math.hypot((a - c) / 2, b)
    g_sigma = -n / sigma + sq / sigma**3
    return StepLimits(
        float(mu), float(sigma), curvature,
        1 / curvature if curvature > 0 else math.inf,
        2 / curvature if curvature > 0 else math.inf,
        sigma / -g_sigma if g_sigma < 0 else math.inf,
    )


def step_limits(data, mu: float | None = None, sigma: float | None = None) -> StepLimits:
    """Safe step sizes at (μ, σ); by default at the top θ̂, where they are σ̂²/(2n) and σ̂²/n."""
    s = _stats(data)
    mu = s.mean if mu is None else float(mu)
    sigma = s.sigma_hat if sigma is None else float(sigma)
    if not sigma > 0:
        raise ValueError(f"σ must be positive, got {sigma}")
    return _limits(s, mu, sigma)


@dataclass(frozen=True)
class Verdict:
    """What a gradient-ascent path shows: its shape (core.run_shape) read from the whole path."""
    kind: str               # one of KINDS
    sentence: str           # what happened, with the figures
    lesson: str | None      # why, when there is something to learn from it
    steps: int              # the step number of the last point
    distance_mu: float      # |μ - μ̂| at the last point
    distance_sigma: float   # |σ - σ̂| at the last point
    gradient: float         # |∇ log L| at the last point
    lr: float | None        # the step size the sentence speaks of (the next step's, or the bouncing steps')
    shape: run_shape.Shape | None = None   # None for a climb that stopped

    @property
    def text(self) -> str:
        return self.sentence if self.lesson is None else f"{self.sentence} {self.lesson}"


SMALL_GRADIENT_LESSON = "A small gradient is not proof of the top: only the distance to θ̂ is."
CURVATURE_LESSON = "A safe step size depends on the curvature where you are."


def _eta(prev: Point, nxt: Point) -> float | None:
    """The η of one step, read back from θ' = θ + η ∇log L(θ)."""
    g2 = prev.grad_mu**2 + prev.grad_sigma**2
    if not g2 > 0:
        return None
    eta = ((nxt.mu - prev.mu) * prev.grad_mu + (nxt.sigma - prev.sigma) * prev.grad_sigma) / g2
    return eta if math.isfinite(eta) and eta > 0 else None


def _excess(s: _Stats, mu: float, sigma: float) -> float:
    """log L(θ̂) − log L(μ, σ) ≥ 0 from the closed form, without subtracting two large logs:
    n·(ln r − (r² − 1)/(2r²) + m²/(2r²)) with r = σ/σ̂ and m = (μ − μ̂)/σ̂."""
    e = (sigma - s.sigma_hat) / s.sigma_hat
    m = (mu - s.mean) / s.sigma_hat
    r2 = (1 + e) ** 2
    return s.n * (math.log1p(e) - e * (2 + e) / (2 * r2) + m * m / (2 * r2))


def _shape(s: _Stats, points) -> run_shape.Shape:
    """The climb's shape from log L(θ̂) − log L(θ) along the path."""
    return run_shape.classify([_excess(s, p.mu, p.sigma) for p in points], s.n * ROUNDING,
                              s.n * TOP_TOLERANCE**2 / 2, RELATIVE)


def _steps(k: int) -> str:
    return count(k, "step")


def _times(ratio: float, than: str) -> str:
    """'12 times smaller than X', or 'about as large as X' when the ratio reads 1."""
    shown = sig(ratio, 2)
    return f"about as large as {than}" if shown == "1" else f"{shown} times smaller than {than}"


def _apart(a: float, b: float) -> tuple[str, str]:
    """a and b with just enough significant digits (4 at least) to tell them apart."""
    for digits in range(4, 13):
        if sig(a, digits) != sig(b, digits):
            break
    return sig(a, digits), sig(b, digits)


def verdict(data, path, lr: float | None = None, stopped: str | None = None) -> Verdict:
    """Judge a gradient-ascent path on `data`, from the whole path: one of KINDS.

    `path` is an Ascent or a sequence of Points (first to last). `stopped` is why the climb ended
    early (Ascent.stopped); an Ascent brings its own. `lr` is the step size of the next step (the
    page's current η): it sets the refused step of a stopped climb and the pace the lessons speak
    of; when omitted it is read off the path's last step. The steps already taken are judged by the
    η each one used, read back from the path itself (θ' - θ = η ∇log L(θ)).

    A climb that ended because σ would leave (0, ∞), or whose last point is not finite, is
    "stopped". Any other is judged by the shape of log L(θ̂) − log L(θ) along it
    (core.run_shape): too_few, oscillating, top (settled within about TOP_TOLERANCE·σ̂ of θ̂ and
    staying there), fell (log L ends lower than it began), climbing, stalled (barely moving).
    """
    points = tuple(path.path) if isinstance(path, Ascent) else tuple(path)
    if isinstance(path, Ascent) and stopped is None:
        stopped = path.stopped
    if not points:
        raise ValueError("a path needs at least its starting point")
    s = _stats(data)
    last = points[-1]
    top_limits = _limits(s, s.mean, s.sigma_hat)
    fields = (last.mu, last.sigma, last.grad_mu, last.grad_sigma, last.log_likelihood)
    finite = all(math.isfinite(v) for v in fields)
    d_mu = abs(last.mu - s.mean) if math.isfinite(last.mu) else math.inf
    d_sigma = abs(last.sigma - s.sigma_hat) if math.isfinite(last.sigma) else math.inf
    gradient = math.hypot(last.grad_mu, last.grad_sigma) if finite else math.inf
    far = max(d_mu, d_sigma) / s.sigma_hat  # in units of σ̂
    etas = [_eta(a, b) for a, b in zip(points, points[1:])]
    path_eta = next((e for e in reversed(etas) if e is not None), None)
    eta = lr if lr is not None else path_eta  # the next step's
    k, taken = last.step, last.step - points[0].step
    stop_at = "before the first step" if not taken else f"after {_steps(taken)}"
    when = "At the start" if not taken else f"After {_steps(taken)}"
    where = (f"{when} the point is μ = {sig(last.mu, 6)}, σ = {sig(last.sigma, 6)}, {sig(d_mu, 2)} from "
             f"μ̂ = {figure(s.mean)} and {sig(d_sigma, 2)} from σ̂ = {figure(s.sigma_hat)}")

    def done(kind: str, sentence: str, lesson: str | None = None, used: float | None = eta,
             shape: run_shape.Shape | None = None) -> Verdict:
        return Verdict(kind, sentence, lesson, k, d_mu, d_sigma, gradient, used, shape)

    # 1. stopped: an event, whatever the shape so far --------------------------------------
    if stopped or not finite or not last.sigma > 0:
        new_sigma = last.sigma + eta * last.grad_sigma if finite and eta is not None else math.nan
        if finite and last.sigma > 0 and new_sigma <= 0:
            here = _limits(s, last.mu, last.sigma)
            sentence = (f"Stopped {stop_at}: the next step, η·∂log L/∂σ = {sig(eta * last.grad_sigma, 4)}, "
                        f"would take σ from {sig(last.sigma, 4)} to {sig(new_sigma, 4)}, and a normal needs σ > 0. "
                        f"θ̂ is still {sig(far, 2)} σ̂ away.")
            lesson = (f"{CURVATURE_LESSON} From here a step may be at most {sig(here.safe)} "
                      f"(at the top, {sig(top_limits.unstable, 4)}); η = {sig(eta, 4)} is "
                      f"{sig(eta / here.safe)} times that.")
            return done("stopped", sentence, lesson)
        reason = (stopped or "σ left (0, ∞)").rstrip(".")
        return done("stopped", f"Stopped {stop_at}: {reason}.", CURVATURE_LESSON)

    shape = _shape(s, points)
    first_ll, last_ll = figure(points[0].log_likelihood), figure(last.log_likelihood)
    went = (f"log L stayed at {first_ll}" if first_ll == last_ll else
            f"log L {'rose' if last.log_likelihood > points[0].log_likelihood else 'fell'} from {first_ll} to {last_ll}")
    unstable = sig(top_limits.unstable, 4)
    thrown = _thrown(s, points, etas)

    # 2. too few steps to tell --------------------------------------------------------------
    if shape.kind == "too_few":
        if not taken:
            at = ("At the top already: the start is within about 0.001·σ̂ of θ̂" if shape.last <= _near(s) else
                  f"No steps yet: the start is {sig(d_mu, 2)} from μ̂ and {sig(d_sigma, 2)} from σ̂")
            return done("too_few", f"{at}.", shape=shape)
        return done("too_few", f"{where}; {went}, and the gradient there is {sig(gradient, 2)}. That is too few "
                               f"steps to tell whether the climb settles, bounces or stalls: take at least "
                               f"{run_shape.MIN_STEPS}.", shape=shape)

    # 3. oscillating ------------------------------------------------------------------------
    if shape.kind == "oscillating":
        late = points[len(points) - shape.late - 1:]
        moves = [(q.mu - p.mu, q.sigma - p.sigma) for p, q in zip(late, late[1:])]
        flips = [sum(1 for u, v in zip(moves, moves[1:]) if u[c] * v[c] < 0) for c in (0, 1)]
        c = 0 if flips[0] > flips[1] else 1
        used = next((e for e in reversed(etas) if e is not None), eta)
        name, hat = ("μ", s.mean) if c == 0 else ("σ", s.sigma_hat)
        values = [p.mu if c == 0 else p.sigma for p in points[-(SHOWN + 1):]]
        lo, hi = min(values), max(values)
        offsets = [abs(v - hat) for v in values]
        if len(values) >= 4 and max(abs(values[-1] - values[-3]), abs(values[-2] - values[-4])) <= 1e-6 * (hi - lo):
            a, b = _apart(values[-2], values[-1])
            swing = f"{name} now bounces between two values, {a} and {b}, for ever"
        else:
            a, b = _apart(lo, hi)
            swing = f"over the last {_steps(len(values) - 1)} {name} swung between {a} and {b}"
            if all(y > x for x, y in zip(offsets, offsets[1:])):
                swing += f", each time further from {name}̂"
        sentence = (f"Oscillating: with η = {sig(used, 4)}, log L fell on {shape.rises} of the last "
                    f"{_steps(shape.late)}, losing {sig(shape.up, 2)} in all; {swing}, around {name}̂ = {figure(hat)}. {where}.")
        if used is not None and used > top_limits.unstable:
            lesson = (f"The step is too large for the curvature: near the top any step above {unstable} "
                      f"(σ̂²/n) overshoots so far that it lands lower than it started, so the climb never "
                      f"settles; η = {sig(used, 4)}. {CURVATURE_LESSON}")
        else:
            lesson = (f"The step is too large for the curvature where the point is: there a step may be at most "
                      f"{sig(_limits(s, last.mu, last.sigma).safe)}, and η = {sig(used, 4)}. {CURVATURE_LESSON}")
        return done("oscillating", sentence, lesson, used, shape)

    # 4. top --------------------------------------------------------------------------------
    if shape.kind == "settled":
        window = min(run_shape.settle_window(shape.steps), shape.steps)
        lesson = None
        if eta is not None and eta > top_limits.unstable:
            lesson = (f"But η = {sig(eta, 4)} is above σ̂²/n = {unstable}: the point stays only because it sits "
                      "within rounding of θ̂, and any nudge would grow with every step.")
        return done("top", f"Reached the top. {where}: within about 0.001·σ̂ = {sig(TOP_TOLERANCE * s.sigma_hat, 2)} "
                           f"of θ̂ for the last {_steps(window)}. The gradient there is {sig(gradient, 2)}.",
                    lesson, shape=shape)

    thrown_lesson = None
    if thrown is not None:
        i, limit = thrown
        a, b = points[i], points[i + 1]
        thrown_lesson = (f"{CURVATURE_LESSON} Step {b.step} started where the curvature allowed steps up to "
                         f"{sig(limit)}; η = {sig(etas[i])} threw the point from (μ = {sig(a.mu, 4)}, "
                         f"σ = {sig(a.sigma, 4)}) to (μ = {sig(b.mu, 4)}, σ = {sig(b.sigma, 4)}).")

    # 5. fell -------------------------------------------------------------------------------
    if shape.kind == "worse":
        return done("fell", f"Went downhill: {went}. {where}, {sig(far)} σ̂ from the top.",
                    thrown_lesson or f"{CURVATURE_LESSON} A step too large for the bend where it starts lands "
                                     "lower than it started.", shape=shape)

    pace = (f"over the last {_steps(shape.late)} log L rose by {sig(shape.pace * shape.late, 2)}: "
            f"at that pace about {about_count(shape.to_go)} more steps would reach the top")

    # 6. climbing ---------------------------------------------------------------------------
    if shape.kind == "improving":
        sentence = f"Still climbing. {where}, so not at the top yet: {pace}."
        if eta is not None and eta > top_limits.unstable:
            sentence += (f" But η = {sig(eta, 4)} is above {unstable}, the largest step that can settle at "
                         "the top, so expect it to bounce there.")
        return done("climbing", sentence, shape=shape)

    # 7. stalled ----------------------------------------------------------------------------
    expected = s.n / s.sigma_hat**2 * far * s.sigma_hat  # the slope the top's gentler bend gives at this distance
    flat = far > FAR and gradient < FLAT * expected
    head = "Stalled far from the top" if flat else "Barely moving"
    slow = (f"over the last {_steps(shape.late)} log L rose by only {sig(shape.pace * shape.late, 2)}, "
            f"so at that pace it would take {about_count(shape.to_go)} more steps")
    sentence = (f"{head}. {where}, {sig(far)} σ̂ away. The gradient is {'only ' if flat else ''}{sig(gradient, 2)}: "
                f"{slow}.")
    if flat:
        times = _times(expected / gradient, "") if gradient > 0 else "nothing next to "
        lesson = (f"{SMALL_GRADIENT_LESSON} Out here log L is a nearly flat plain, so the gradient is "
                  f"{times}the slope near the top would be at this distance, and the climb crawls.")
    elif path_eta is not None and path_eta < top_limits.unstable:
        # The η the stalled steps used, read off the path: the box may hold another one by now.
        lesson = (f"The gradient is not small here; the step is: the last steps used η = {sig(path_eta, 4)}, "
                  f"{_times(top_limits.unstable / path_eta, unstable)}, the largest step that settles at the top.")
    else:
        lesson = None
    if thrown_lesson:
        lesson = thrown_lesson if lesson is None else f"{lesson} {thrown_lesson}"
    return done("stalled", sentence, lesson, shape=shape)


def _near(s: _Stats) -> float:
    return s.n * TOP_TOLERANCE**2 / 2


def _thrown(s: _Stats, points, etas) -> tuple[int, float] | None:
    """The step whose η most exceeded the safe step where it started, as (index, that safe step)."""
    worst = None
    for i, eta in enumerate(etas):
        if eta is None:
            continue
        limit = _limits(s, points[i].mu, points[i].sigma).safe
        if eta > limit and (worst is None or eta / limit > worst[2]):
            worst = (i, limit, eta / limit)
    return None if worst is None else worst[:2]
