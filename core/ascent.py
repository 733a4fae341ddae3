"""Maximum likelihood the numerical way: gradient ascent on log L(μ, σ | x) with torch autograd."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from core import normal


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
            return Ascent(tuple(path), f"step {current.step + 1} would push σ to {sigma:.4g}; lower the step size")
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
        return f"At the start the gradient is {first:.3g} long; no steps yet."
    went = f"The length of the gradient went from {first:.3g} at the start to {last:.3g} at step {path[-1].step}"
    if last < first:
        return went + (f", {first / last:.3g} times smaller." if last > 0 else ".")
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

TOP_TOLERANCE = 1e-3   # "top": |μ - μ̂| and |σ - σ̂| both within this many σ̂
FAR = 1.0              # "far" from θ̂: more than this many σ̂ away in μ or in σ
STALL_STEPS = 10_000   # "stalled": at the current pace, reaching θ̂ would take more steps than this
FLAT = 0.1             # a gradient under this share of the top's slope at the same distance is "flat"
SHOWN = 10             # an oscillation's range is quoted over this many recent steps

KINDS = ("top", "oscillating", "stalled", "stopped", "climbing")


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
    """What a gradient-ascent path shows, judged by its distance to the closed-form θ̂."""
    kind: str               # one of KINDS
    sentence: str           # what happened, with the figures
    lesson: str | None      # why, when the climb failed; None when it reached the top or is still going
    steps: int              # the step number of the last point
    distance_mu: float      # |μ - μ̂| at the last point
    distance_sigma: float   # |σ - σ̂| at the last point
    gradient: float         # |∇ log L| at the last point
    lr: float | None        # the step size the sentence speaks of (the next step's, or the bouncing steps')

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


def _noise(p: Point) -> float:
    """A change in log L smaller than this is rounding, not a step up or down."""
    return 1e-12 * (1 + abs(p.log_likelihood))


def _count(x: float) -> str:
    """A large count in words-friendly form, to two significant figures."""
    if not math.isfinite(x):
        return "endlessly many"
    if x < 1e6:
        return f"{float(f'{x:.2g}'):,.0f}"
    exp = int(math.floor(math.log10(x)))
    sup = str(exp).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{x / 10**exp:.1f} × 10{sup}"


def _size(x: float) -> str:
    """A distance in σ̂: three significant figures, whole numbers from 100, powers of ten from 10⁶."""
    return f"{x:.3g}" if x < 100 else f"{x:,.0f}" if x < 1e6 else _count(x)


def _steps(k: int) -> str:
    return f"{k:,} step" + ("" if k == 1 else "s")


def verdict(data, path, lr: float | None = None, stopped: str | None = None) -> Verdict:
    """Judge a gradient-ascent path on `data`: "top", "oscillating", "stalled", "stopped" or "climbing".

    `path` is an Ascent or a sequence of Points (first to last). `stopped` is why the climb ended
    early (Ascent.stopped); an Ascent brings its own. `lr` is the step size of the next step (the
    page's current η): it sets the pace of the stall check and the refused step of a stopped climb,
    and when omitted it is read off the path's last step. The steps already taken are judged by the
    η each one used, read back from the path itself (θ' - θ = η ∇log L(θ)).

    The checks, in order:
      stopped      the climb ended because σ would leave (0, ∞), or the last point is not finite;
      top          |μ - μ̂| and |σ - σ̂| both ≤ TOP_TOLERANCE·σ̂, and the last step moved less than
                   that in μ and σ (arrived, not passing through); the gradient's size plays no part;
      (a path with no steps yet is "climbing" from here on)
      stalled      more than FAR·σ̂ from θ̂ and, at the pace of the next step η·|∇log L|,
                   more than STALL_STEPS steps from it;
      oscillating  the path's last steps all used an η above 2/curvature at θ̂
                   (step_limits(data).unstable), so it cannot settle on θ̂: near it every deviation
                   grows by |1 - η·curvature| > 1 per step; and in that stretch of steps a coordinate
                   turned back at least twice and log L fell on at least two steps (a step landed
                   lower than it started, which on a parabola happens exactly when η > 2/curvature);
      climbing     anything else: still going up, not there yet.
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
    k = last.step
    stop_at = "before the first step" if k == points[0].step else f"after {_steps(k)}"
    when = "At the start" if k == points[0].step else f"After {_steps(k)}"
    where = (f"{when} the point is μ = {last.mu:.6g}, σ = {last.sigma:.6g}, "
             f"{d_mu:.2g} from μ̂ = {s.mean:.4f} and {d_sigma:.2g} from σ̂ = {s.sigma_hat:.4f}")

    def done(kind: str, sentence: str, lesson: str | None = None, used: float | None = eta) -> Verdict:
        return Verdict(kind, sentence, lesson, k, d_mu, d_sigma, gradient, used)

    # 1. stopped ---------------------------------------------------------------------------
    if stopped or not finite or not last.sigma > 0:
        new_sigma = last.sigma + eta * last.grad_sigma if finite and eta is not None else math.nan
        if finite and last.sigma > 0 and new_sigma <= 0:
            here = _limits(s, last.mu, last.sigma)
            sentence = (f"Stopped {stop_at}: the next step, η·∂log L/∂σ = {eta * last.grad_sigma:.4g}, "
                        f"would take σ from {last.sigma:.4g} to {new_sigma:.4g}, and a normal needs σ > 0. "
                        f"θ̂ is still {far:.2g} σ̂ away.")
            lesson = (f"{CURVATURE_LESSON} From here a step may be at most {here.safe:.3g} "
                      f"(at the top, {top_limits.unstable:.4g}); η = {eta:g} is {eta / here.safe:.3g} times that.")
            return done("stopped", sentence, lesson)
        reason = (stopped or "σ left (0, ∞)").rstrip(".")
        return done("stopped", f"Stopped {stop_at}: {reason}.", CURVATURE_LESSON)

    # 2. top -------------------------------------------------------------------------------
    tol = TOP_TOLERANCE * s.sigma_hat
    last_move = (max(abs(last.mu - points[-2].mu), abs(last.sigma - points[-2].sigma))
                 if len(points) > 1 else 0.0)
    if far <= TOP_TOLERANCE and last_move <= tol:
        settled = ", and the last step moved less than that" if len(points) > 1 else ""
        head = "Reached the top" if len(points) > 1 else "At the top already"
        return done("top", f"{head}. {where}: both within {TOP_TOLERANCE:g}·σ̂ = "
                           f"{tol:.2g}{settled}. The gradient there is {gradient:.2g}.")

    if k == points[0].step:
        return done("climbing", f"No steps yet: the start is {d_mu:.2g} from μ̂ and {d_sigma:.2g} from σ̂.")

    # 3. stalled ---------------------------------------------------------------------------
    pace = eta * gradient if eta is not None else None
    if pace is not None and far > FAR:
        to_go = far * s.sigma_hat / pace if pace > 0 else math.inf
        if to_go > STALL_STEPS:
            # the slope the top's gentler curvature (n/σ̂²) would give at this distance
            expected = s.n / s.sigma_hat**2 * far * s.sigma_hat
            flat = gradient < FLAT * expected
            sentence = (f"Stalled far from the top. {where}, {_size(far)} σ̂ away. The gradient is "
                        f"{'only ' if flat else ''}{gradient:.2g}, so a step of η = {eta:.3g} moves {pace:.2g}: "
                        f"about {_count(to_go)} more steps at this pace.")
            if flat:
                times = f"{expected / gradient:.2g} times smaller than" if gradient > 0 else "nothing next to"
                lesson = (f"{SMALL_GRADIENT_LESSON} Out here log L is a nearly flat plain, so the gradient is "
                          f"{times} the slope near the top would be at this distance, and the climb crawls.")
            else:
                lesson = (f"The gradient is not small here; the step is: η = {eta:.3g} is tiny next to "
                          f"{top_limits.unstable:.4g}, the largest step that settles at the top.")
            thrown = _worst_step(s, points, etas)
            if thrown is not None:
                i, limit = thrown
                a, b = points[i], points[i + 1]
                lesson += (f" {CURVATURE_LESSON} Step {b.step} started where the curvature allowed steps up to "
                           f"{limit:.3g}; η = {etas[i]:.3g} threw the point from (μ = {a.mu:.4g}, σ = {a.sigma:.4g}) "
                           f"to (μ = {b.mu:.4g}, σ = {b.sigma:.4g}).")
            return done("stalled", sentence, lesson)

    # 4. oscillating -----------------------------------------------------------------------
    # The trailing stretch of steps whose η is above the top's limit: from there the path cannot settle.
    first = len(etas)
    while first > 0 and etas[first - 1] is not None and etas[first - 1] > top_limits.unstable:
        first -= 1
    bouncing = points[first:]
    moves = [(q.mu - p.mu, q.sigma - p.sigma) for p, q in zip(bouncing, bouncing[1:])]
    flips = [sum(1 for u, v in zip(moves, moves[1:]) if u[c] * v[c] < 0) for c in (0, 1)]
    falls = sum(1 for p, q in zip(bouncing, bouncing[1:]) if q.log_likelihood < p.log_likelihood - _noise(p))
    c = 0 if flips[0] > flips[1] else 1
    if falls >= 2 and flips[c] >= 2:
        used = etas[-1]
        name, hat = ("μ", s.mean) if c == 0 else ("σ", s.sigma_hat)
        values = [p.mu if c == 0 else p.sigma for p in bouncing[-(SHOWN + 1):]]
        lo, hi = min(values), max(values)
        if len(values) >= 4 and max(abs(values[-1] - values[-3]), abs(values[-2] - values[-4])) <= 1e-6 * (hi - lo):
            swing = f"{name} now bounces between two values, {values[-2]:.4g} and {values[-1]:.4g}, for ever"
        else:
            swing = f"over the last {_steps(len(values) - 1)} {name} swung between {lo:.4g} and {hi:.4g}"
        sentence = (f"Oscillating: with η = {used:.3g}, {name} has turned back {flips[c]} times since step "
                    f"{bouncing[0].step} and log L fell on {falls} of those {_steps(len(moves))}; {swing}, "
                    f"around {name}̂ = {hat:.4f}. {where}; the gradient, {gradient:.2g}, does not shrink away.")
        lesson = (f"The step is too large for the curvature here: near the top any step above "
                  f"{top_limits.unstable:.4g} overshoots so far that it lands lower than it started, so the "
                  f"climb never settles; η = {used:.3g}. {CURVATURE_LESSON}")
        return done("oscillating", sentence, lesson, used)

    # 5. climbing --------------------------------------------------------------------------
    sentence = f"Still climbing. {where}, so not at the top yet: run more steps."
    if eta is not None and eta > top_limits.unstable:
        sentence += (f" But η = {eta:.3g} is above {top_limits.unstable:.4g}, the largest step that can "
                     f"settle at the top, so expect it to bounce there.")
    return done("climbing", sentence)


def _worst_step(s: _Stats, points, etas) -> tuple[int, float] | None:
    """The step whose η most exceeded the safe step where it started, as (index, that safe step)."""
    worst = None
    for i, eta in enumerate(etas):
        if eta is None:
            continue
        limit = _limits(s, points[i].mu, points[i].sigma).safe
        if eta > limit and (worst is None or eta / limit > worst[2]):
            worst = (i, limit, eta / limit)
    return None if worst is None else worst[:2]
