"""What the path of an optimisation did, read from the whole path: one shape for every kind of run.

A run is given as its excess: how far the objective is above its lowest possible value at each
point of the path (chapter 5: log L(θ̂) − log L(θ); chapter 7: the loss minus the lowest loss the
penalty allows). Each kind of run (core.ascent, core.training_verdict) names these shapes in its
own words and adds what only it knows (σ ≤ 0, a loss that overflowed, what the penalty costs).

The checks, in order, on the last quarter of the steps (the late steps, at least MIN_TAIL):
  too_few      fewer than MIN_STEPS steps: no shape can be told yet;
  oscillating  the excess went up on at least two late steps, and on at least RISE_SHARE of them or
               by at least RISE_SHARE of what it went down in all (a slow swing: thrown out, a
               long way back, thrown out again): the step is too large to settle (on a parabola
               the excess falls on every step exactly when the step is small enough to settle),
               unless the swings are dying out: the highest excess of the second half of the late
               steps is below that of the first half by DYING per step or more (a zig-zag that
               still settles, where the surface is steeper on one side than the other);
  settled      every one of the last steps (the final twentieth, at least MIN_TAIL) is within
               `near` of the lowest value;
  worse        the last value is above the first: the run ends worse than it began;
  improving    the late steps went down, at a pace that reaches `near` within STALL_STEPS more steps;
  crawling     anything else: above the lowest value and barely moving (at the late pace, more
               than STALL_STEPS steps to go, or no progress beyond rounding at all).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

KINDS = ("too_few", "oscillating", "settled", "worse", "improving", "crawling")
MIN_STEPS = 10        # fewer steps than this tell nothing about a run's shape
MIN_TAIL = 5          # the late steps are the last quarter, but never fewer than this
RISE_SHARE = 0.2      # rises on this share of the late steps, or by this share of the falls, is an oscillation
STALL_STEPS = 10_000  # more steps to go than this, at the late pace, is crawling
DYING = 0.005         # swings whose peaks shrink by this share per step, or more, are settling


@dataclass(frozen=True)
class Shape:
    kind: str            # one of KINDS
    steps: int           # steps along the path (its values less one)
    first: float         # the excess at the start
    last: float          # the excess at the end
    late: int            # how many of the last steps count as late
    rises: int           # late steps on which the excess went up by more than rounding
    up: float            # what those steps added up to
    down: float          # and what the late steps that went down took off, in all
    low: float           # the lowest and the highest excess over the late steps
    high: float
    pace: float          # the mean fall of the excess per late step (negative when it rose)
    to_go: float         # steps to come within `near` at that pace (inf when it is not falling)


def late_steps(steps: int) -> int:
    return max(MIN_TAIL, steps // 4)


def settle_window(steps: int) -> int:
    return max(MIN_TAIL, steps // 20)


def classify(excess, noise: float, near: float, relative: float = 0.0) -> Shape:
    """The shape of a path from its excess (finite values, first to last). A change of at most
    `noise` + `relative`·(the value it starts from) is rounding, not a step; `near` is how close to
    the lowest value counts as there."""
    values = np.asarray(excess, dtype=float)
    if values.ndim != 1 or len(values) == 0 or not np.isfinite(values).all():
        raise ValueError("a path needs at least one value, all of them finite")
    steps = len(values) - 1
    first, last = float(values[0]), float(values[-1])
    late = min(late_steps(steps), steps)
    tail = values[len(values) - late - 1:]
    changes = np.diff(tail)
    rising = changes > noise + relative * np.abs(tail[:-1])
    rises, up, down = int(rising.sum()), float(changes[rising].sum()), float(-changes[changes < 0].sum())
    pace = (float(tail[0]) - last) / late if late else 0.0
    to_go = max(0.0, last - near) / pace if pace > noise / max(late, 1) else math.inf

    def shape(kind: str) -> Shape:
        return Shape(kind, steps, first, last, late, rises, up, down, float(tail.min()), float(tail.max()), pace, to_go)

    if steps < MIN_STEPS:
        return shape("too_few")
    half = late // 2
    dying = tail[half:].max() < tail[:half + 1].max() * (1 - DYING) ** max(half, 1)
    if rises >= 2 and (rises >= RISE_SHARE * late or up >= RISE_SHARE * down) and not dying:
        return shape("oscillating")
    if values[-settle_window(steps) - 1:].max() <= near:
        return shape("settled")
    if last > first + noise + relative * abs(first):
        return shape("worse")
    if to_go <= STALL_STEPS:
        return shape("improving")
    return shape("crawling")
