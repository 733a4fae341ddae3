"""What a training run of the bigram network did, in one classification, and every sentence the
bigram page says about a run, each derived from that classification (so the verdict, the lead,
the paragraph on the gap and the chapter's question cannot disagree).

The loss is data NLL + λ·mean(W²). Its lowest value (`lowest_loss`) is found in closed form, row
by row, so a run can be judged against where it can actually get: with λ > 0 that is above the
counting NLL, and the difference is what the penalty costs; no number of steps closes it.

The kinds, in the order they are checked (the shape is core.run_shape's, on the loss minus its
lowest value):
  diverged     a loss became infinite or not a number; training stopped there;
  too_few      fewer than run_shape.MIN_STEPS changes of the loss: no shape can be told yet;
  oscillating  the loss went up on a sizeable share of the late steps: the step is too large;
  settled      the last steps are within NEAR of the lowest loss, and at that lowest loss the
               penalty costs at most NEAR of data NLL: training reached the counting floor;
  held         the same, but the penalty costs more: settled where the penalty holds it;
  rose         the last loss is above the first;
  descending   still coming down, at a pace that gets within NEAR in STALL_STEPS more steps;
  crawling     above the lowest loss and barely moving.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from scipy.special import wrightomega

from core import run_shape
from core.formatting import about_count, count, figure, integer, setting, shown_gap, sig
from core.training import TrainingResult, TrainingSettings

KINDS = ("diverged", "too_few", "oscillating", "settled", "held", "rose", "descending", "crawling")
FAILED = ("diverged", "oscillating", "rose")   # the step is too large for this corpus
NEAR = 1e-4       # nats: a loss this close to its lowest value is there (the page shows 4 decimals)
ROUNDING = 5e-7   # a change of the loss smaller than this share of it is float32 rounding


# --- the lowest loss the penalty allows -------------------------------------------------------

@dataclass(frozen=True)
class Lowest:
    """The minimum of data NLL + λ·mean(W²) over all W, and the data NLL at that minimum."""
    loss: float
    data_nll: float
    W: np.ndarray | None   # the minimising weights (None for λ = 0: the infimum needs W = −∞)


def lowest_loss(N: torch.Tensor, reg: float) -> Lowest:
    """The lowest loss training with penalty `reg` can reach on counts N (see _lowest); one solve per
    corpus and λ per process, since every part of the bigram page asks for it on every rerun."""
    counts = N.double().numpy()
    return _lowest(counts.tobytes(), counts.shape[0], float(reg))


@lru_cache(maxsize=32)
def _lowest(counts: bytes, V: int, reg: float) -> Lowest:
    """The lowest loss training with penalty `reg` can reach on counts N, in closed form.

    Row a of the gradient is zero where r_a·softmax(w) − n_a + κ·w = 0 (n_a: the row's share of the
    bigrams, r_a its total, κ = 2λ/V²). With c = κ/r_a, p = n_a/r_a and s = softmax(w): w = (p − s)/c,
    and s_b = exp(w_b)/Z gives (s_b/c)·exp(s_b/c) = exp(p_b/c − log(cZ)), so s_b = c·ω(p_b/c + t) with
    ω the Wright omega function and t the one number that makes the row sum to 1 (found by Newton's
    method: the sum is convex and increasing in t). The loss is convex, so this is the minimum.
    With λ = 0 the lowest loss is the counting NLL itself, approached as W → −∞ on unseen pairs."""
    counts = np.frombuffer(counts, dtype=np.float64).reshape(V, V)
    shares = counts / counts.sum()
    rows = shares.sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(rows[:, None] > 0, shares / rows[:, None], 0.0)
        log_p = np.where(p > 0, np.log(p), 0.0)
    floor = float(-(shares * log_p).sum())
    if reg == 0:
        return Lowest(floor, floor, None)
    seen = rows > 0
    c = 2 * reg / V**2 / rows[seen][:, None]
    x = p[seen] / c
    t = 1 / c - np.log(c)               # here the largest term alone is ≥ 1: the sum is too big
    for _ in range(200):
        w = wrightomega(x + t).real
        total = (c * w).sum(1, keepdims=True)
        step = (total - 1) / (c * (w / (1 + w))).sum(1, keepdims=True)
        t = t - step
        if np.all(np.abs(step) <= 1e-14 * (1 + np.abs(t))):
            break
    s = c * wrightomega(x + t).real
    s = s / s.sum(1, keepdims=True)
    W = np.zeros_like(p)
    W[seen] = (p[seen] - s) / c
    log_s = np.zeros_like(p)
    log_s[seen] = np.log(np.maximum(s, 1e-300))
    data_nll = float(-(shares * np.where(shares > 0, log_s, 0.0)).sum())
    W.flags.writeable = False   # one cached answer for every caller
    return Lowest(data_nll + reg * float((W**2).mean()), data_nll, W)


# --- the verdict ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What a run did, from its whole loss curve, the counting NLL (the floor) and the lowest loss."""
    kind: str                     # one of KINDS
    settings: TrainingSettings
    first: float                  # the loss before the first step
    last: float                   # the loss of the last finite weights
    gap: float                    # the last data NLL minus the counting NLL
    counting_nll: float
    lowest: Lowest
    shape: run_shape.Shape        # the shape of the finite part of the run
    steps: int                    # steps run with a finite loss
    diverged_at: int | None

    @property
    def penalty_cost(self) -> float:
        """How far above the counting NLL the data NLL is at the lowest loss: what λ costs."""
        return self.lowest.data_nll - self.counting_nll

    @property
    def shown_gap(self) -> str:
        """The gap as the difference of the two NLLs the page shows, so that the figures add up."""
        return shown_gap(self.counting_nll + self.gap, self.counting_nll)

    @property
    def late_low(self) -> float:
        return self.shape.low + self.lowest.loss

    @property
    def late_high(self) -> float:
        return self.shape.high + self.lowest.loss


def verdict(result: TrainingResult, counting_nll: float, N: torch.Tensor) -> Verdict | None:
    """The verdict on `result`, a run on counts N; None before its first step."""
    if not len(result.losses):
        return None
    lowest = lowest_loss(N, result.settings.reg)
    losses = np.asarray(result.losses, dtype=float)
    noise = ROUNDING * max(1.0, abs(lowest.loss))
    shape = run_shape.classify(losses - lowest.loss, noise, NEAR)
    if result.diverged_at is not None:
        kind = "diverged"
    elif shape.kind == "settled":
        kind = "settled" if lowest.data_nll - counting_nll <= NEAR else "held"
    else:
        kind = {"worse": "rose", "improving": "descending"}.get(shape.kind, shape.kind)
    return Verdict(kind, result.settings, float(losses[0]), float(losses[-1]),
                   float(result.data_nll[-1]) - counting_nll, counting_nll, lowest, shape,
                   result.steps_done, result.diverged_at)


# --- what the page says about it --------------------------------------------------------------

def too_few_steps() -> int:
    """The fewest steps whose run has a shape: the loss is recorded before each step."""
    return run_shape.MIN_STEPS + 1


def _went(first: float, last: float) -> str:
    """'came down from 3.7963 to 2.4476', 'rose from …', or 'stayed at …' when the two read the same."""
    a, b = figure(first), figure(last)
    return f"stayed at {a}" if a == b else f"came down from {a} to {b}" if last < first else f"rose from {a} to {b}"


def _late(v: Verdict) -> str:
    return f"the last {count(v.shape.late, 'step')}"


def sentence(v: Verdict) -> str:
    """The verdict under the loss curve: what the run did, with its figures."""
    lr, reg = setting(v.settings.lr, 6), setting(v.settings.reg, 6)
    if v.kind == "diverged":
        return (f"Training stopped at step {integer(v.diverged_at)}: the loss became infinite or not a number. "
                f"A learning rate of {lr} throws W so far that its numbers overflow. The curve and the figures below "
                f"are for the {count(v.steps, 'step')} before (last loss {figure(v.last)}); try a smaller learning "
                "rate.")
    if v.kind == "too_few":
        measured = (f"the loss is measured once, at the starting weights: {figure(v.first)}" if v.steps == 1 else
                    f"the loss {_went(v.first, v.last)}")
        return (f"With {count(v.steps, 'step')}, {measured}. That is too few steps to tell whether training "
                f"settles, keeps coming down or swings: run at least {too_few_steps()}.")
    if v.kind == "oscillating":
        return (f"The loss swings: it went up on {v.shape.rises} of {_late(v)}, between {figure(v.late_low)} and "
                f"{figure(v.late_high)}. A learning rate of {lr} is too large a step for this corpus: each step "
                "overshoots the minimum, so the loss does not settle. Try a smaller one.")
    if v.kind == "rose":
        return (f"The loss rose, from {figure(v.first)} to {figure(v.last)}: a learning rate of {lr} is too large "
                "a step for this corpus, so steps overshoot the minimum. Try a smaller one.")
    went = f"The loss {_went(v.first, v.last)}"
    if v.kind == "settled":
        cost = f" The penalty λ = {reg} costs only {sig(v.penalty_cost, 2)} of data NLL." if v.settings.reg > 0 else ""
        return (f"{went} and settled: the data NLL ends {v.shown_gap} above the counting model's NLL, the floor "
                f"it approaches and never passes.{cost}")
    if v.kind == "held":
        return (f"{went} and settled at the lowest loss the penalty λ = {reg} allows, {figure(v.lowest.loss)}: "
                f"more steps would not bring it closer. The data NLL ends {v.shown_gap} above the counting "
                f"model's NLL, and that gap is what the penalty costs: at the lowest loss itself it is "
                f"{figure(v.penalty_cost)}.")
    lowest = ("the counting NLL, the lowest loss there is at λ = 0" if v.settings.reg == 0 else
              f"the lowest loss λ = {reg} allows")
    above = f"{sig(v.shape.last, 2)} above {lowest} ({figure(v.lowest.loss)})"
    fell = f"over {_late(v)} it fell by {sig(v.shape.pace * v.shape.late, 2)}"
    if v.kind == "descending":
        return (f"{went} and is still coming down: {fell}, and it is still {above}; at that pace about "
                f"{about_count(v.shape.to_go)} more steps would get it there.")
    return (f"The loss barely moves: {fell.replace('fell by', 'changed by only')}, and it is still {above}; "
            f"at that pace it would take {about_count(v.shape.to_go)} more steps.")


def lead(v: Verdict) -> tuple[str, str]:
    """(the claim in bold, what follows it) for the page's lead, about the article's run on this corpus."""
    steps = count(v.steps, "step")
    if v.kind in FAILED:
        why = {"diverged": "its loss became infinite",
               "rose": f"its loss rose from {figure(v.first)} to {figure(v.last)}",
               "oscillating": f"its loss still swings between {figure(v.late_low)} and "
                              f"{figure(v.late_high)} at the end"}[v.kind]
        return ("On this corpus the article's step size does not find the counted table:",
                f"{why}. Training, below, lets you choose a smaller learning rate.")
    best = "The counted table is the best possible score on these names; the network, which never sees a count,"
    if v.kind == "settled":
        return ("Counting and gradient descent reach the same score.",
                f"{best} settles {v.shown_gap} above it after {steps}.")
    if v.kind == "held":
        return ("Gradient descent settles above counting, where its penalty holds it.",
                f"{best} settles {v.shown_gap} above it after {steps}: that is what the penalty "
                f"λ = {setting(v.settings.reg, 6)} costs, and more steps would not close it.")
    if v.kind == "descending":
        return ("Gradient descent is still approaching the counted table's score.",
                f"{best} is {v.shown_gap} above it after {steps}, and still coming down.")
    if v.kind == "crawling":
        return ("Gradient descent barely moves on this corpus at the article's step size.",
                f"{best} is {v.shown_gap} above it after {steps}, and its loss hardly changes any more.")
    return ("Too few steps to tell what gradient descent finds.", f"{best} is {v.shown_gap} above it after {steps}.")


def gap_paragraph(v: Verdict) -> str:
    """Where the gap between the network's data NLL and the counting NLL comes from: the penalty
    only for a run that settled where the penalty holds it."""
    reg = f"λ = {setting(v.settings.reg, 6)}"
    if v.kind == "held":
        return (f"The penalty {reg} pulls every row of softmax(W) towards uniform, as add-k smoothing does to the "
                "counts, and hardest on the rows with fewest pairs, whose data pull back least: the whole gap, "
                f"{v.shown_gap}, is its cost.")
    if v.kind == "settled":
        return ("With λ = 0 nothing pulls softmax(W) away from the counted table, and training reached it."
                if v.settings.reg == 0 else
                f"The penalty {reg} pulls softmax(W) only a little here: it costs {sig(v.penalty_cost, 2)} of data NLL.")
    if v.kind in ("descending", "crawling"):
        if v.settings.reg == 0:
            return "With λ = 0 nothing holds softmax(W) away from the counted table: the gap is descent not yet done."
        return (f"Only part of the gap is the penalty's: at the lowest loss {reg} allows, the data NLL would be "
                f"{figure(v.penalty_cost)} above the counting NLL; the rest is descent not yet done.")
    if v.kind in FAILED:
        return (f"The gap comes from the step, not the penalty: with η = {setting(v.settings.lr, 6)} the steps "
                f"overshoot (at the lowest loss {reg} allows, the data NLL would be only {figure(v.penalty_cost)} "
                "above the counting NLL).")
    return ""
