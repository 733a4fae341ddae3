"""Predict, then see: one question per chapter, asked about the page's current controls.

Each function takes what the page already has (its data, parameters and core results) and returns a
Question whose answer and explanation are computed from those inputs, so they are true in every
state of every control, ties included. The ui draws it (ui/question.py); nothing here is Streamlit.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


from core import ascent, formatting, nll, normal, run_shape, sample_size, training, training_verdict, underflow
from core.formatting import figure, num



@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    answer: int              # index into options
    explanation: str         # why, with the figures of the current state

    def __post_init__(self):
        if len(self.options) < 2 or len(set(self.options)) != len(self.options):
            raise ValueError("a question needs at least two different options")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.options)} options")

    @property
    def correct(self) -> str:
        return self.options[self.answer]


@dataclass(frozen=True)
class Pending:
    """A question whose answer needs a computation nobody has asked for yet (a training): its
    prompt and options now, the whole Question from `resolve()` once a reader picks or the presenter
    reveals. `depends_on` names everything the answer is computed from."""
    prompt: str
    options: tuple[str, ...]
    depends_on: str
    resolve: Callable[[], Question]


def _four(x: float) -> str:
    return num(x, ".4f")


# --- chapter 1 ------------------------------------------------------------------------------
# N(μ, (2σ)²) is taller than N(μ, σ²) exactly where |x − μ| > CROSSING·σ: solve ½·exp(3z²/8) = 1.
CROSSING = math.sqrt(8 * math.log(2) / 3)


def probability(a: float, b: float, mu: float, sigma: float) -> Question:
    """Double σ, keep μ and the interval: does P(a ≤ X ≤ b) rise, fall or stay (to four decimals)?"""
    lo, hi = sorted((a, b))
    now, wider = normal.interval_probability(lo, hi, mu, sigma), normal.interval_probability(lo, hi, mu, 2 * sigma)
    shown_now, shown_wider = _four(now), _four(wider)
    answer = 2 if shown_now == shown_wider else 0 if wider > now else 1
    event = f"P({num(lo)} ≤ X ≤ {num(hi)})"
    change = ("the same to four decimals" if answer == 2 else
              f"{'higher' if answer == 0 else 'lower'} by {_four(abs(wider - now))}")
    near_lo, near_hi = mu - CROSSING * sigma, mu + CROSSING * sigma
    inside = max(0.0, min(hi, near_hi) - max(lo, near_lo))
    where = ("has no width, so it holds no area under either curve" if lo == hi else
             "lies where the wider curve is lower" if inside == hi - lo else
             "lies where the wider curve is taller" if inside == 0 else
             "has parts on both sides, so the two effects compete")
    return Question(
        prompt=f"Keep μ = {num(mu)} and the interval [{num(lo)}, {num(hi)}], and double σ from {num(sigma)} to "
               f"{num(2 * sigma)}. What happens to {event}?",
        options=("It rises", "It falls", "It stays the same (to four decimals)"),
        answer=answer,
        explanation=f"With σ = {num(sigma)}, {event} = {shown_now}; with σ = {num(2 * sigma)} it is {shown_wider}, "
                    f"{change}. The wider curve spreads the same total area, 1, further out: it is lower than "
                    f"the narrow one within {num(CROSSING, '.2f')}σ of μ, from {num(near_lo, '.4g')} to "
                    f"{num(near_hi, '.4g')}, and taller beyond. The interval {where}.",
    )


# --- chapter 2 ------------------------------------------------------------------------------
def likelihood(a: normal.Score, b: normal.Score) -> Question:
    """Which candidate explains the data better: A, B, or both equally (to four decimals of the log
    ratio, written as the difference of the two logs shown)?"""
    answer = {"A": 0, "B": 1, None: 2}[normal.which_better(a.log_likelihood, b.log_likelihood)]
    label_a, label_b = formatting.normal_label(a.mu, a.sigma), formatting.normal_label(b.mu, b.sigma)
    logs = f"log L(A) = {_four(a.log_likelihood)} and log L(B) = {_four(b.log_likelihood)}"
    if answer == 2:
        why = (f"{logs}: their difference, ln(L(A) / L(B)), is 0 to four decimals, so neither explains these "
               "data better to the digits shown.")
    else:
        better, worse = ("A", "B") if answer == 0 else ("B", "A")
        high, low = (a, b) if answer == 0 else (b, a)
        gap = high.log_likelihood - low.log_likelihood
        times = formatting.sci_words(gap)
        times = num(math.exp(gap), ".6f") if times == "1" else times   # not a bare "= 1"
        power = formatting.shown_gap(high.log_likelihood, low.log_likelihood)   # the two logs shown, subtracted
        power = f"({power})" if power.startswith("about") else power
        why = (f"{logs}, so L({better}) / L({worse}) = e^{power} "
               f"= {times}: {better}'s curve stands taller over these data taken together (the product of its "
               "heights is larger).")
    return Question(
        prompt=f"Candidate A is {label_a}, candidate B is {label_b}. Which explains these data better?",
        options=(f"A, {label_a}", f"B, {label_b}", "Both equally"),
        answer=answer,
        explanation=why,
    )


# --- chapter 3 ------------------------------------------------------------------------------
INSIDE, OUTSIDE, EDGE = 0, 1, 2


def interval_ends(p: sample_size.Precision) -> tuple[str, str]:
    """The ends of the likelihood interval, each rounded to four decimals. Rounding keeps order, so a μ
    shown beyond a shown end is beyond the end itself, and one shown equal to an end is on the edge."""
    return tuple(_four(end) for end in p.interval)


def likelihood_function(data, mu: float, sigma: float) -> Question:
    """σ held: is the current μ inside the 95 % likelihood interval of L(μ | x), where log L is within
    sample_size.CUT of its maximum; outside it; or on its edge (the same to four decimals)?"""
    p = sample_size.precision(data, sigma)
    lo, hi = interval_ends(p)
    here = _four(mu)
    answer = EDGE if here in (lo, hi) else INSIDE if p.contains(mu) else OUTSIDE
    drop = _four(p.drop(mu))
    cut = _four(sample_size.CUT)
    fallen = (f"{drop}, the cut itself to four decimals" if drop == cut else
              f"{drop}, {'less' if float(drop) < float(cut) else 'more'} than {cut}")
    verdict = ("inside it" if answer == INSIDE else "outside it" if answer == OUTSIDE else
               "on its edge, to four decimals")
    return Question(
        prompt=f"Hold σ at {formatting.plain(sigma, 4)}. The 95 % likelihood interval for μ keeps every μ whose log L is "
               f"within {cut} of its maximum (where L is at least {formatting.num(100 * sample_size.KEEP, '.2f')} % "
               f"of its peak). Is the current μ = {here} inside it?",
        options=("Inside it", "Outside it", "On its edge, to four decimals"),
        answer=answer,
        explanation=f"With σ held at {formatting.plain(sigma, 4)}, log L(μ) is highest at the mean of the data, "
                    f"μ̂ = {_four(p.mu_hat)}, and falls by n(μ − μ̂)²/(2σ²) as μ moves away. It stays within {cut} "
                    f"of the top from {lo} to {hi}, that is μ̂ ± {num(sample_size.Z, '.2f')} σ/√n with "
                    f"{formatting.count(p.n, 'observation')}. At the current μ = {here} it has fallen by {fallen}: "
                    f"{verdict}.",
    )


# --- chapter 4 ------------------------------------------------------------------------------
def _ranges(n_max: int) -> list[tuple[int, int]]:
    """1-10, 11-100, 101-1,000, ... up to n_max (the last range ends at n_max)."""
    out, lo = [], 1
    while lo <= n_max:
        hi = min(10 * max(lo - 1, 1), n_max)
        out.append((lo, hi))
        lo = hi + 1
    return out


def _range_text(lo: int, hi: int) -> str:
    return f"At n = {lo:,}" if lo == hi else f"Between n = {lo:,} and n = {hi:,}"


def log_likelihood(products) -> Question:
    """At which n does the float32 running product of densities first become exactly 0.0
    (core.underflow.RunningProducts), or not within the page's n?"""
    n_max = len(products.n)
    ranges = _ranges(n_max)
    options = tuple(_range_text(lo, hi) for lo, hi in ranges) + (f"Not within n = {n_max:,}",)
    at = products.zero_at32
    answer = len(ranges) if at is None else next(i for i, (lo, hi) in enumerate(ranges) if lo <= at <= hi)
    smallest = f"the smallest positive float32 is about {underflow.FLOAT32_TINY:.1e}"
    if at is None:
        ll = float(products.log_likelihood[-1])
        why = (f"Up to n = {n_max:,} the float32 product stays above 0.0: it is {float(products.product32[-1]):.3g} "
               f"there, with sum of log densities {formatting.num(ll, ',.2f')} ({smallest}). More observations "
               "push it further down.")
    else:
        ll = float(products.log_likelihood[at - 1])
        e = ll / math.log(10)
        why = (f"The float32 product is 0.0 from n = {at:,} on. There the exact product is e^{formatting.num(ll, '.2f')} "
               f"≈ 10^{formatting.num(e, '.1f')}; {smallest}, and a product that falls below half of it is "
               "rounded to 0.0. The sum of the logs, "
               f"{formatting.num(ll, ',.2f')}, has no such floor.")
    return Question(
        prompt=f"Multiply the densities of the page's {n_max:,} observations one after another in 32-bit floats. "
               "At which n does the running product first become exactly 0.0?",
        options=options,
        answer=answer,
        explanation=why,
    )


# --- chapter 5 ------------------------------------------------------------------------------
CLIMB_OPTIONS = {   # one option per kind of climb (core.ascent.KINDS)
    "top": "It reaches the top and stays there",
    "climbing": "Not yet: still climbing when the steps run out",
    "oscillating": "It bounces and never settles",
    "stalled": "It barely moves: at its pace the top is thousands of steps away",
    "fell": "It ends lower than it started",
    "stopped": "It stops: a step would push σ to 0 or below",
    "too_few": "Too few steps to tell",
}


def _climb(data: tuple, mu0: float, sigma0: float, lr: float, steps: int) -> ascent.Verdict:
    """The verdict on one Run from the start: what the page shows after Reset and Run."""
    climb = ascent.ascend(data, (mu0, sigma0), lr, steps)
    return ascent.verdict(data, climb, lr=lr)


def maximum_likelihood(data, start: tuple[float, float], lr: float, steps: int) -> Question:
    """Where is the gradient ascent after one Run of `steps` steps of size `lr` from `start`?
    The answer is the kind of the page's own verdict; "too few" is offered only when it can be."""
    judged = _climb(tuple(float(x) for x in data), float(start[0]), float(start[1]), float(lr), int(steps))
    kinds = tuple(k for k in CLIMB_OPTIONS if k != "too_few" or steps < run_shape.MIN_STEPS)
    return Question(
        prompt=f"Start the climb at μ₀ = {start[0]:g}, σ₀ = {start[1]:g} and press Run once: "
               f"{formatting.count(steps, 'step')} of size η = {lr:g}. Where is the point when they are done?",
        options=tuple(CLIMB_OPTIONS[k] for k in kinds),
        answer=kinds.index(judged.kind),
        explanation=judged.text,
    )


# --- chapter 6 ------------------------------------------------------------------------------
def negative_log_likelihood(sigma: float) -> Question:
    """Is the NLL of x = 0 under N(0, σ²) negative, zero or positive?"""
    narrow = nll.point_at_mean(sigma)
    answer = 0 if narrow.nll < 0 else 1 if narrow.nll == 0 else 2
    exact = formatting.nonzero(narrow.nll)
    density = f"p(0) = 1/(σ√(2π)) = {narrow.peak_density:.4f}"
    side = ("above 1, so ln p(0) > 0 and the NLL is negative" if answer == 0 else
            "exactly 1, so the NLL is 0" if answer == 1 else
            "at most 1, so ln p(0) ≤ 0 and the NLL is positive")
    return Question(
        prompt=f"One observation, x = 0, sits at the mean of N(0, σ²) with σ = {sigma:g}. "
               "Is its NLL, −ln p(0), negative, zero or positive?",
        options=("Negative", "Zero", "Positive"),
        answer=answer,
        explanation=f"{density}, {side}: {exact}. A density can exceed 1 (a probability cannot), which happens "
                    f"here for σ below {nll.SIGMA_PEAK_ONE:.4f}.",
    )


# --- chapter 7 ------------------------------------------------------------------------------
# Each option is the answer for some kinds of run (core.training_verdict.KINDS); the first one is
# never the answer: the counted table is the best any table can score, and softmax(W) is a table.
_BIGRAM_OPTIONS = (
    ((), "Below it: the network beats counting"),
    (("settled",), "At it: training settles on the floor"),
    (("held",), "Above it, settled where the penalty λ holds it: more steps would not help"),
    (("descending",), "Above it and still coming down when the steps run out"),
    (("crawling",), "Above it and barely moving"),
    (training_verdict.FAILED, "Nowhere near: the step is too large, so the loss swings, rises or blows up"),
    (("too_few",), "Too few steps to tell"),
)


def _bigram_options(settings: training.TrainingSettings) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The options that can be right for these settings, known before any training: no penalty
    to hold the loss at λ = 0, and "too few" only for a run too short to have a shape."""
    short = settings.steps < training_verdict.too_few_steps()
    return tuple((kinds, text) for kinds, text in _BIGRAM_OPTIONS
                 if not (kinds == ("held",) and settings.reg == 0) and (kinds != ("too_few",) or short))


def bigram(result: training.TrainingResult, counting_nll: float, N) -> Question:
    """Where does the trained network's data NLL end, against the counting model's NLL (the floor)?
    `result` is the finished run on counts N; the answer is the kind of the page's own verdict."""
    v = training_verdict.verdict(result, counting_nll, N)
    if v is None:
        raise ValueError("the run has no step yet")
    options = _bigram_options(result.settings)
    answer = next(i for i, (kinds, _) in enumerate(options) if v.kind in kinds)
    return Question(
        prompt=_bigram_prompt(result.settings, counting_nll),
        options=tuple(text for _, text in options),
        answer=answer,
        explanation=f"{training_verdict.sentence(v)} The counted table is the best any table of probabilities "
                    "can score on these names, and softmax(W) is such a table, so the network can approach the "
                    "counting NLL but never pass it.",
    )


def bigram_pending(corpus_key: str, settings: training.TrainingSettings, counting_nll: float, N,
                   train: Callable[[], training.TrainingResult]) -> Pending:
    """The bigram question before anyone has trained: `train()` (the very training the page's Train
    button shows, so a server computes it once) runs only when the answer is asked for."""
    return Pending(_bigram_prompt(settings, counting_nll), tuple(text for _, text in _bigram_options(settings)),
                   f"{corpus_key} {settings}", lambda: bigram(train(), counting_nll, N))


def _bigram_prompt(settings: training.TrainingSettings, counting_nll: float) -> str:
    return (f"Train with η = {settings.lr:g}, {formatting.count(settings.steps, 'step')}, λ = {settings.reg:g}. "
            f"Where does the network's data NLL end, against the counting model's NLL, {figure(counting_nll)}?")
