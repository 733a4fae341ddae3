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
    reveals. `depends_on` names everything the answer is computed from. While `ready()` is False
    (the computation is going on for someone already), `waiting` is said instead of waiting for it."""
    prompt: str
    options: tuple[str, ...]
    depends_on: str
    resolve: Callable[[], Question]
    ready: Callable[[], bool] = lambda: True
    waiting: str = ""


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
    return f"At n = {num(lo, ',')}" if lo == hi else f"Between n = {num(lo, ',')} and n = {num(hi, ',')}"


def _tiny(x: float) -> str:
    return formatting.sig(x, 2)


_SMALLEST = f"the smallest positive float32, {_tiny(underflow.FLOAT32_TINY)}"
_SUBNORMAL = (f"below {_tiny(underflow.FLOAT32_NORMAL)} a float32 is subnormal, a whole multiple of "
              f"{_tiny(underflow.FLOAT32_TINY)}, so the smaller it gets, the fewer significant bits it keeps")


def _last_step(z: underflow.ZeroStep) -> str:
    """The multiplication that gave 0.0, with its figures."""
    half = f"at most half of {_SMALLEST}, so it rounds to 0.0"
    if z.factor == 0:
        return (f"The density of observation {num(z.at, ',')}, {_tiny(z.density)}, is itself {half} as a float32, "
                "and so is anything multiplied by it.")
    if z.at == 1:
        return f"The first density, {_tiny(z.factor)}, is {half}."
    held = ("" if z.multiple is None else " (the smallest positive float32 itself: 1 significant bit)"
            if z.multiple == 1 else f" ({num(z.multiple, ',')} times the smallest positive float32: "
                                    f"{z.bits} significant bits, where a normal float32 has 24)")
    return (f"At n = {num(z.at - 1, ',')} it was {_tiny(z.before)}{held}; times the next density, "
            f"{formatting.sig(z.factor, 3)}, that makes {_tiny(z.last_product)}, {half}.")


def _timing(z: underflow.ZeroStep, n_max: int) -> str:
    """Where the exact product of the same factors crosses that line, and why the float32 one
    crossed it there, earlier or later."""
    exact = f"exp({formatting.num(z.exact_log, '.2f')}) ≈ {_tiny(math.exp(z.exact_log))}"
    if z.factor == 0 or z.timing == "on_time":
        return f"The exact product falls that low at the same n: it is {exact} there."
    if z.subnormal_from is None:
        why = "the last multiplication took a normal float32 straight to 0.0"
    else:
        why = f"from n = {num(z.subnormal_from, ',')} on the float32 product was subnormal: {_SUBNORMAL}"
    then = (f"At n = {num(z.at - 1, ',')} the exact product was {_tiny(math.exp(z.exact_before_log))}, "
            f"the float32 one {_tiny(z.before)}.")
    if z.timing == "early":
        when = (f"at n = {num(z.exact_half_at, ',')}" if z.exact_half_at is not None
                else f"not within n = {num(n_max, ',')}")
        return (f"The exact product is still above that line there, {exact} (it falls that low only {when}): "
                f"the float32 product got there early on its roundings, because {why}, and each multiplication "
                f"rounds off more. {then}")
    return (f"The exact product had fallen that low already at n = {num(z.exact_half_at, ',')} (here it is "
            f"{exact}): the float32 product stayed above 0.0 longer on its roundings, because {why}, and a "
            f"product is rounded to the nearest multiple, up as well as down. {then}")


def log_likelihood(products) -> Question:
    """At which n does the float32 running product of densities first become exactly 0.0
    (core.underflow.RunningProducts), or not within the page's n? The explanation follows the
    multiplication that gave 0.0 (core.underflow.zero_step), and says whether the roundings of
    subnormal numbers brought it earlier or later than the exact product would."""
    n_max = len(products.n)
    ranges = _ranges(n_max)
    options = tuple(_range_text(lo, hi) for lo, hi in ranges) + (f"Not within n = {num(n_max, ',')}",)
    z = underflow.zero_step(products)
    answer = len(ranges) if z is None else next(i for i, (lo, hi) in enumerate(ranges) if lo <= z.at <= hi)
    if z is None:
        ll = float(products.log_likelihood[-1])
        why = (f"Up to n = {num(n_max, ',')} the float32 product stays above 0.0: it is "
               f"{formatting.sig(float(products.product32[-1]), 3)} there, above {_SMALLEST} (the sum of the "
               f"log densities is {formatting.num(ll, ',.2f')}). Each further density below 1 pushes it down.")
    else:
        ll = float(products.log_likelihood[z.at - 1])
        why = (f"The float32 product is 0.0 from n = {num(z.at, ',')} on. {_last_step(z)} {_timing(z, n_max)} "
               f"The sum of the logs, {formatting.num(ll, ',.2f')} there, has no such floor.")
    return Question(
        prompt=f"Multiply the densities of the page's {num(n_max, ',')} observations one after another in "
               "32-bit floats. At which n does the running product first become exactly 0.0?",
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
        prompt=f"Start the climb at μ₀ = {formatting.sig(start[0], 6)}, σ₀ = {formatting.sig(start[1], 6)} and press Run once: "
               f"{formatting.count(steps, 'step')} of size η = {num(lr)}. Where is the point when they are done?",
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
    shown = _four(narrow.peak_density)
    if shown == "1.0000" and narrow.peak_density != 1:   # just above or below 1: enough digits to tell
        shown = formatting.shortest(narrow.peak_density)
    density = f"p(0) = 1/(σ√(2π)) = {shown}"
    side = ("above 1, so ln p(0) > 0 and the NLL is negative" if answer == 0 else
            "exactly 1, so the NLL is 0" if answer == 1 else
            "at most 1, so ln p(0) ≤ 0 and the NLL is positive")
    return Question(
        prompt=f"One observation, x = 0, sits at the mean of N(0, σ²) with σ = {num(sigma)}. "
               "Is its NLL, −ln p(0), negative, zero or positive?",
        options=("Negative", "Zero", "Positive"),
        answer=answer,
        explanation=f"{density}, {side}: {exact}. A density can exceed 1 (a probability cannot), which happens "
                    f"here for σ below {_four(nll.SIGMA_PEAK_ONE)}.",
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
                   train: Callable[[], training.TrainingResult],
                   going: Callable[[], bool] = lambda: False) -> Pending:
    """The bigram question before anyone has trained: `train()` (the very training the page's Train
    button shows, so a server computes it once) runs only when the answer is asked for; while
    `going()` says that training is under way, the answer waits for it without holding up the page."""
    return Pending(_bigram_prompt(settings, counting_nll), tuple(text for _, text in _bigram_options(settings)),
                   f"{corpus_key} {settings}", lambda: bigram(train(), counting_nll, N), lambda: not going(),
                   "The answer needs the training with these settings, which is still running: it shows here "
                   "when the training ends.")


def _bigram_prompt(settings: training.TrainingSettings, counting_nll: float) -> str:
    seed = "" if settings.seed == training.ARTICLE_SEED else f", W drawn with seed {formatting.integer(settings.seed)}"
    return (f"Train with η = {formatting.setting(settings.lr, 6)}, {formatting.count(settings.steps, 'step')}, "
            f"λ = {formatting.setting(settings.reg, 6)}{seed}. "
            f"Where does the network's data NLL end, against the counting model's NLL, {figure(counting_nll)}?")


# --- chapter 8 ------------------------------------------------------------------------------
def ladder(choices) -> Question:
    """Counting with longer and longer contexts (core.ngram.Choice of orders 1, 2, ..., each with its k
    chosen on validation): with how many symbols of context is the validation NLL lowest, as shown?
    The answer is core.ladder.best_counted's (the shortest context of equals)."""
    from core.ladder import best_counted, order_label, overfitting_start  # noqa: PLC0415  (chapter 8 only)

    choices = tuple(choices)
    best = best_counted(choices)
    options = tuple(f"{formatting.count(c.order - 1, 'symbol')}: the {order_label(c.order)}" for c in choices)
    figures = ", ".join(f"{c.order - 1}: {figure(c.validation_nll)}" for c in choices)
    start = overfitting_start([c.training_nll for c in choices], [c.validation_nll for c in choices])
    after = ("" if start is None else
             f" With {formatting.count(choices[start].order - 1, 'symbol')} the training NLL still falls "
             f"({figure(choices[start - 1].training_nll)} to {figure(choices[start].training_nll)}) while the "
             f"validation NLL rises ({figure(choices[start - 1].validation_nll)} to "
             f"{figure(choices[start].validation_nll)}): overfitting starts there. Each symbol of context multiplies "
             "the rows of the table by the size of the alphabet, and the training names never fill a larger share "
             "of them.")
    return Question(
        prompt=f"The trigram looks back 2 symbols. Count with longer contexts, up to "
               f"{formatting.count(choices[-1].order - 1, 'symbol')}, each model's k chosen on the validation "
               "names: with how many symbols of context is the NLL on the validation names lowest?",
        options=options,
        answer=choices.index(best),
        explanation=f"Validation NLL by symbols of context: {figures}. It is lowest with "
                    f"{formatting.count(best.order - 1, 'symbol')}, the {order_label(best.order)}.{after}",
    )
