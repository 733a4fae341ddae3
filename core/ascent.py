"""Maximum likelihood the numerical way: gradient ascent on log L(μ, σ | x) with torch autograd."""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch


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
    stopped: str | None  # why the run ended early, in words, or None


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
