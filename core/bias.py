"""σ̂'s bias, shown rather than asserted: many samples of size n drawn from N(μ, σ²), each summed up
by σ̂ (divides by n) and by s (divides by n − 1), and their averages set against the closed forms

    E[σ̂²] = (n − 1)/n · σ²      E[s²] = σ²      E[s] = c4(n) · σ      E[σ̂] = c4(n) · √((n − 1)/n) · σ

with c4(n) = √(2/(n − 1)) · Γ(n/2) / Γ((n − 1)/2) < 1: s² is unbiased, but its square root s is still
a little low, because the square root of an average is above the average of square roots (Jensen).

Each average is judged against its theory and against the truth with the noise of the simulation,
three standard errors of a mean over the samples drawn (a band a correct simulation leaves about 3
times in 1,000).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.formatting import count, num, sig, small

NOISE = 3.0                       # standard errors: a simulated mean this close to a value "agrees" with it
MAX_DRAWS = 2_000_000             # samples × n: 16 MB of draws at most, about 0.1 s
KINDS = ("shown", "unbiased", "hidden", "off")


def c4(n: int) -> float:
    """E[s]/σ for samples of size n from a normal: √(2/(n − 1)) · Γ(n/2) / Γ((n − 1)/2)."""
    if n < 2:
        raise ValueError("s needs at least two observations")
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


@dataclass(frozen=True)
class Estimator:
    """One estimator's average over the samples, beside what theory says it should be."""
    name: str          # "σ̂²", "s²", "σ̂", "s"
    target: str        # what it estimates: "σ²" or "σ"
    simulated: float   # its mean over the samples
    theory: float      # its expected value
    truth: float       # σ² or σ
    error: float       # the standard error of `simulated` (theory's standard deviation / √samples)

    @property
    def agrees(self) -> bool:
        """The simulated mean is within NOISE standard errors of theory."""
        return abs(self.simulated - self.theory) <= NOISE * self.error

    @property
    def kind(self) -> str:
        """'unbiased' (theory is the truth and the simulation agrees), 'shown' (biased, and the
        simulation agrees with theory and stands clear of the truth), 'hidden' (biased, but by less
        than the noise of this many samples), 'off' (the simulation strays from theory: chance, about
        3 runs in 1,000)."""
        if not self.agrees:
            return "off"
        if self.theory == self.truth:
            return "unbiased"
        return "shown" if abs(self.simulated - self.truth) > NOISE * self.error else "hidden"

    @property
    def ratio(self) -> float:
        """theory / truth: (n − 1)/n, 1, c4 · √((n − 1)/n) or c4."""
        return self.theory / self.truth


@dataclass(frozen=True)
class Simulation:
    n: int
    samples: int
    sigma: float
    seed: int
    sigma_hat: np.ndarray   # σ̂ of each sample
    s: np.ndarray           # s of each sample
    mu: float = 50.0        # the true mean the samples were drawn around

    @property
    def estimators(self) -> tuple[Estimator, ...]:
        n, m, sigma = self.n, self.samples, self.sigma
        shrink, k = (n - 1) / n, c4(n)
        sd_s2 = sigma**2 * math.sqrt(2 / (n - 1))            # Var(s²) = 2σ⁴/(n − 1)
        sd_s = sigma * math.sqrt(max(0.0, 1 - k * k))         # Var(s) = σ²(1 − c4²)
        root = math.sqrt(m)
        return (
            Estimator("σ̂²", "σ²", float(np.mean(self.sigma_hat**2)), shrink * sigma**2, sigma**2, shrink * sd_s2 / root),
            Estimator("s²", "σ²", float(np.mean(self.s**2)), sigma**2, sigma**2, sd_s2 / root),
            Estimator("σ̂", "σ", float(np.mean(self.sigma_hat)), k * math.sqrt(shrink) * sigma, sigma,
                      math.sqrt(shrink) * sd_s / root),
            Estimator("s", "σ", float(np.mean(self.s)), k * sigma, sigma, sd_s / root),
        )

    def estimator(self, name: str) -> Estimator:
        return next(e for e in self.estimators if e.name == name)


def simulate(n: int, samples: int, sigma: float, seed: int, mu: float = 50.0) -> Simulation:
    """`samples` samples of size n from N(mu, sigma²), seeded, each with its σ̂ and its s."""
    n, samples = int(n), int(samples)
    if n < 2:
        raise ValueError("s needs at least two observations: n must be 2 or more")
    if samples < 2:
        raise ValueError("the simulation needs at least two samples")
    if n * samples > MAX_DRAWS:
        raise ValueError(f"at most {num(MAX_DRAWS, ',')} draws: n × samples is {num(n * samples, ',')}")
    if not (math.isfinite(sigma) and sigma > 0):
        raise ValueError(f"σ must be a positive number, got {sigma}")
    x = np.random.default_rng(seed).normal(mu, sigma, size=(samples, n))
    squares = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    return Simulation(n, samples, float(sigma), int(seed), np.sqrt(squares / n), np.sqrt(squares / (n - 1)), float(mu))


def _value(x: float) -> str:
    """A simulated or expected value to four significant digits, zeros kept (4.700 beside 4.701)."""
    return small(x, 4)


def sentence(e: Estimator, sim: Simulation) -> str:
    """What the simulation shows about one estimator, from its kind."""
    mean = f"The mean of {e.name} over the {count(sim.samples, 'sample')} is {_value(e.simulated)}"
    truth = sig(e.truth, 6)
    theory = f"theory says {_value(e.theory)}"
    if e.kind == "unbiased":
        return f"{mean}; {theory}, {e.target} itself: {e.name} is unbiased."
    side = "below" if e.theory < e.truth else "above"
    factor = ("(n − 1)/n" if e.name == "σ̂²" else "c4(n)" if e.name == "s" else "c4(n) · √((n − 1)/n)")
    if e.kind == "shown":
        return (f"{mean}, {side} {e.target} = {truth}, as theory says: {factor} · {e.target} = "
                f"{_value(e.theory)}. {e.name} is biased {'low' if side == 'below' else 'high'}, by "
                f"{num(100 * abs(1 - e.ratio), '.2g')} %.")
    noise = f"±{_value(NOISE * e.error)}"
    if e.kind == "hidden":
        return (f"{mean}; {theory} ({factor} · {e.target}), {side} {e.target} = {truth}, but this mean is "
                f"within the noise of this many samples, {noise}, of both, so the run cannot tell them apart: more "
                "samples, or a smaller n, would show the bias.")
    return (f"{mean}; {theory}, and this run is further from it than its noise, {noise}. A correct simulation "
            "strays that far in about 3 runs of 1,000: try another seed.")


@dataclass(frozen=True)
class Histograms:
    """σ̂ and s of every sample, counted in the same bins from 0 to the largest s."""
    edges: np.ndarray
    sigma_hat: np.ndarray
    s: np.ndarray


def histograms(sim: Simulation, bins: int = 60) -> Histograms:
    top = float(np.max(sim.s))          # s ≥ σ̂ sample by sample, so every value fits
    edges = np.linspace(0.0, top, bins + 1)
    return Histograms(edges, np.histogram(sim.sigma_hat, edges)[0], np.histogram(sim.s, edges)[0])
