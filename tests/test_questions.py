"""core/questions.py: each chapter's answer against an independent computation (scipy, a direct
float32 loop, a plain gradient ascent, numpy NLLs), with ties and edge cases."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from core import bigram, questions, training
from core.normal import ARTICLE_A, ARTICLE_B, ARTICLE_DATA, score
from core.underflow import running_products

RISE, FALL, SAME = 0, 1, 2


# --- the Question itself ----------------------------------------------------------------------
def test_a_question_refuses_an_answer_that_is_not_an_option():
    with pytest.raises(ValueError):
        questions.Question("?", ("yes", "no"), 2, "")
    with pytest.raises(ValueError):
        questions.Question("?", ("yes", "yes"), 0, "")
    assert questions.Question("?", ("yes", "no"), 1, "").correct == "no"


# --- chapter 1: double σ ------------------------------------------------------------------------
def _p(a, b, mu, sigma):
    return stats.norm.cdf(b, mu, sigma) - stats.norm.cdf(a, mu, sigma)


@pytest.mark.parametrize("a, b, mu, sigma", [
    (50, 52.5, 50, 2.5),      # next to μ: falls
    (60, 70, 50, 2.5),        # out in the tail: rises
    (70, 60, 50, 2.5),        # ends typed the wrong way round
    (-100, 200, 50, 0.1),     # nearly all the area either way: the same to four decimals
    (40, 60, 50, 20),
    (55, 55.5, 50, 0.1),      # σ tiny, far out: 0 before, still 0.0000 after
])
def test_probability_answer_follows_scipy(a, b, mu, sigma):
    q = questions.probability(a, b, mu, sigma)
    lo, hi = sorted((a, b))
    before, after = _p(lo, hi, mu, sigma), _p(lo, hi, mu, 2 * sigma)
    expected = SAME if round(before, 4) == round(after, 4) else RISE if after > before else FALL
    assert q.answer == expected
    assert f"{before:.4f}" in q.explanation and f"{after:.4f}" in q.explanation


def test_probability_zero_width_interval_is_a_tie_and_says_why():
    q = questions.probability(60, 60, 50, 2.5)
    assert q.answer == SAME and "no width" in q.explanation


def test_the_doubled_curve_crosses_the_narrow_one_at_the_stated_distance():
    for sigma in (0.1, 2.5, 20):
        x = 50 + questions.CROSSING * sigma
        assert stats.norm.pdf(x, 50, sigma) == pytest.approx(stats.norm.pdf(x, 50, 2 * sigma), rel=1e-12)


# --- chapter 2: A or B ---------------------------------------------------------------------------
def _loglik(data, mu, sigma):
    return float(np.sum(stats.norm.logpdf(data, mu, sigma)))


@pytest.mark.parametrize("data, a, b", [
    (ARTICLE_DATA, ARTICLE_A, ARTICLE_B),
    (ARTICLE_DATA, ARTICLE_B, ARTICLE_A),
    ((3.0,), (3.0, 1.0), (3.0, 0.5)),            # one observation: the narrower curve is taller over it
    ((0.0, 1.0), (0.5, 1.0), (0.5, 1.0)),         # the same candidate twice: a tie
    ((0.0, 2.0), (0.0, 1.0), (2.0, 1.0)),         # mirror images: a tie
    ((1e6,), (0.0, 0.01), (1.0, 0.01)),           # both products underflow; the logs still decide
    ((0.0,), (0.0, 1.0), (0.0, 1.0003)),          # ln ratio 0.0003: A, though the ratio reads 1.000
])
def test_likelihood_answer_follows_scipy(data, a, b):
    q = questions.likelihood(score(data, *a), score(data, *b))
    la, lb = _loglik(data, *a), _loglik(data, *b)
    # a tie when ln(L(A)/L(B)), written as page 2 writes it (the two logs shown to four decimals,
    # subtracted), is 0
    expected = 2 if f"{la:.4f}" == f"{lb:.4f}" else 0 if la > lb else 1
    assert q.answer == expected, (la - lb, q.explanation)
    assert q.correct.startswith(("A", "B", "Both")[expected])
    if expected != 2 and max(abs(la), abs(lb)) < 1e6:   # e^(the two logs shown, subtracted): they add up
        high, low = (la, lb) if expected == 0 else (lb, la)
        shown = float(f"{high:.4f}") - float(f"{low:.4f}")
        assert f"e^{shown:.4f} = " in q.explanation and not re.search(r"\de[+-]\d", q.explanation)


def test_likelihood_says_the_ratio_the_logs_shown_give():
    """log L shown as -12.0000 and -12.0001 (an exact gap of 0.00002): A wins by e^0.0001, not a tie."""
    q = questions.likelihood(_fake_score(-12.00004), _fake_score(-12.00006))
    assert q.answer == 0 and "log L(A) = -12.0000 and log L(B) = -12.0001" in q.explanation
    assert "e^0.0001 = " in q.explanation


def _fake_score(log_likelihood):
    from core.normal import Score
    return Score(50.0, 5.0, np.array([]), math.exp(log_likelihood), log_likelihood, 0.0, np.array([]))


# --- chapter 3: is the current μ inside the 95 % likelihood interval? --------------------------
def _interval_by_root_finding(data, sigma):
    """Where scipy's log L(μ), σ held, is CUT = χ²₁(0.95)/2 below its top: brentq on each side of the
    top found by scipy's bounded minimiser, independent of core's closed form."""
    x = np.asarray(data, dtype=float)
    logl = lambda m: float(stats.norm.logpdf(x, m, sigma).sum())  # noqa: E731
    span = 50 * sigma + float(np.ptp(x))
    top_at = optimize.minimize_scalar(lambda m: -logl(m), bounds=(x.min() - span, x.max() + span),
                                      method="bounded", options={"xatol": 1e-10}).x
    cut = stats.chi2.ppf(0.95, 1) / 2
    f = lambda m: logl(m) - (logl(top_at) - cut)  # noqa: E731
    return optimize.brentq(f, top_at - span, top_at, xtol=1e-12), optimize.brentq(f, top_at, top_at + span, xtol=1e-12)


INSIDE, OUTSIDE, EDGE = 0, 1, 2


@pytest.mark.parametrize("data, mu, sigma, expected", [
    (ARTICLE_DATA, 50.0, 5.0, INSIDE),            # the default: 50 is 0.53 below the top
    (ARTICLE_DATA, 50.0, 2.0, OUTSIDE),           # a narrower σ narrows the interval past 50
    (ARTICLE_DATA, 60.0, 0.01, OUTSIDE),
    (ARTICLE_DATA, 52.295, 3.0, INSIDE),          # at the top
    ((7.0, 9.0), 8.0, 1.0, INSIDE),
    ((4.2, 4.3), 4.0, 0.5, INSIDE),
    ((4.2, 4.3), 3.0, 0.5, OUTSIDE),
    (tuple(range(1000)), 499.5, 1.0, INSIDE),     # n = 1000: ± 0.062 around the mean
    (tuple(range(1000)), 499.6, 1.0, OUTSIDE),
])
def test_likelihood_function_answer_follows_the_interval_found_by_root_finding(data, mu, sigma, expected):
    q = questions.likelihood_function(data, mu, sigma)
    lo, hi = _interval_by_root_finding(data, sigma)
    assert q.answer == expected == (INSIDE if lo < mu < hi else OUTSIDE)
    assert f"from {lo:.4f} to {hi:.4f}" in q.explanation
    # the interval is the usual 95 % one, scipy's own
    z_lo, z_hi = stats.norm.interval(0.95, loc=np.mean(data), scale=sigma / math.sqrt(len(data)))
    assert (lo, hi) == (pytest.approx(z_lo, abs=1e-8), pytest.approx(z_hi, abs=1e-8))


def test_likelihood_function_on_the_edge_is_its_own_answer():
    lo, hi = _interval_by_root_finding(ARTICLE_DATA, 5.0)
    for end in (lo, hi):
        q = questions.likelihood_function(ARTICLE_DATA, round(end, 4), 5.0)
        assert q.answer == EDGE and q.correct == "On its edge, to four decimals"
        assert "the cut itself to four decimals" in q.explanation or " than 1.9207" in q.explanation


def test_likelihood_function_answer_depends_on_the_state():
    answers = {questions.likelihood_function(ARTICLE_DATA, mu, sigma).answer
               for mu in (45.0, 50.0, 52.3) for sigma in (1.0, 5.0)}
    assert answers == {INSIDE, OUTSIDE}


@settings(max_examples=150, deadline=None)
@given(data=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=30),
       mu=st.floats(-1.2e3, 1.2e3), sigma=st.floats(0.01, 500))
def test_likelihood_function_verdict_and_figures_agree(data, mu, sigma):
    """In every state the answer is where μ, shown to four decimals, sits among the ends shown, and the
    fall in log L said beside it is on the matching side of the cut."""
    q = questions.likelihood_function(data, mu, sigma)
    lo, hi = (float(v) for v in re.search(r"from (-?[\d.]+) to (-?[\d.]+),", q.explanation).groups())
    here = float(f"{mu:.4f}")
    expected = EDGE if here in (lo, hi) else INSIDE if lo < here < hi else OUTSIDE
    assert q.answer == expected, q.explanation
    fall = float(re.search(r"fallen by (-?[\d.]+)", q.explanation).group(1))
    drop = len(data) * (mu - np.mean(data)) ** 2 / (2 * sigma**2)
    assert fall == pytest.approx(drop, abs=5e-5 + 1e-9 * drop)
    if q.answer == INSIDE:
        assert fall <= 1.9207
    if q.answer == OUTSIDE:
        assert fall >= 1.9207


# --- chapter 4: the first 0.0 of a float32 product ------------------------------------------------
def _first_zero32(n, mu, sigma, seed):
    """A plain loop over the same seeded sample, one float32 multiplication at a time."""
    x = np.random.default_rng(seed).normal(mu, sigma, size=n)
    product = np.float32(1)
    for i, p in enumerate(stats.norm.pdf(x, mu, sigma), start=1):
        product = np.float32(product * np.float32(p))
        if product == 0:
            return i
    return None


@pytest.mark.parametrize("n, mu, sigma, seed", [
    (1000, 50.0, 5.0, 0), (200, 0.0, 20.0, 3), (30, 50.0, 5.0, 0), (1, 50.0, 5.0, 0),
    (5000, 50.0, 0.3, 1),   # densities above 1 on average: the product does not vanish
])
def test_log_likelihood_answer_brackets_the_direct_float32_loop(n, mu, sigma, seed):
    q = questions.log_likelihood(running_products(n, mu, sigma, seed))
    at = _first_zero32(n, mu, sigma, seed)
    if at is None:
        assert q.answer == len(q.options) - 1 and q.correct == f"Not within n = {n:,}"
    else:
        bounds = [int(v.replace(",", "")) for v in re.findall(r"\d[\d,]*", q.correct)]
        assert bounds[0] <= at <= bounds[-1]
        assert f"n = {at:,} on" in q.explanation


def test_log_likelihood_ranges_are_decades_ending_at_n():
    q = questions.log_likelihood(running_products(1000, 50, 5, 0))
    assert q.options == ("Between n = 1 and n = 10", "Between n = 11 and n = 100", "Between n = 101 and n = 1,000",
                         "Not within n = 1,000")
    assert questions.log_likelihood(running_products(1, 50, 5, 0)).options == ("At n = 1", "Not within n = 1")
    assert questions.log_likelihood(running_products(11, 50, 5, 0)).options[1] == "At n = 11"


def _float32_story(n, mu, sigma, seed):
    """The float32 loop again, with the exact product of the same float32 factors as a Fraction:
    (first zero, float32 product before it, first subnormal n, first n whose exact product is at
    most half the smallest float32)."""
    from fractions import Fraction

    x = np.random.default_rng(seed).normal(mu, sigma, size=n)
    factors = stats.norm.pdf(x, mu, sigma).astype(np.float32)
    tiny, normal32 = np.finfo(np.float32).smallest_subnormal, np.finfo(np.float32).tiny
    half = Fraction(float(tiny)) / 2
    product, exact = np.float32(1), Fraction(1)
    zero = before = subnormal = exact_at = None
    for i, f in enumerate(factors, start=1):
        if zero is None:
            before, product = product, np.float32(product * f)
            if product == 0:
                zero = i
            elif product < normal32 and subnormal is None:
                subnormal = i
        exact *= Fraction(float(f))
        if exact_at is None and exact <= half:
            exact_at = i
        if zero is not None and exact_at is not None:
            break
    return zero, float(before), subnormal, exact_at


@pytest.mark.parametrize("n, mu, sigma, seed, timing", [
    (1000, 50.0, 5.0, 0, "on_time"), (2000, 50.0, 0.3, 3, "early"), (2000, 50.0, 0.3, 5, "late"),
    (1000, 50.0, 0.5, 0, "late"), (2000, 50.0, 0.3, 16, "early"),
])
def test_log_likelihood_explains_the_zero_the_way_it_happened(n, mu, sigma, seed, timing):
    from core.underflow import FLOAT32_TINY, zero_step

    run = running_products(n, mu, sigma, seed)
    z = zero_step(run)
    zero, before, subnormal, exact_at = _float32_story(n, mu, sigma, seed)
    assert (z.at, z.before, z.subnormal_from, z.exact_half_at) == (zero, before, subnormal, exact_at)
    assert z.timing == timing
    assert z.last_product <= FLOAT32_TINY / 2 < z.before
    q = questions.log_likelihood(run)
    said = {"on_time": "falls that low at the same n", "early": "still above that line there",
            "late": "had fallen that low already"}
    assert said[timing] in q.explanation and all(said[t] not in q.explanation for t in said if t != timing)
    if timing != "on_time":
        assert f"n = {exact_at:,}" in q.explanation and f"from n = {subnormal:,} on" in q.explanation
    bits = round(z.before / FLOAT32_TINY).bit_length()
    assert (f"{bits} significant bits" if bits > 1 else "1 significant bit") in q.explanation


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 700), sigma=st.floats(0.3, 20.0), seed=st.integers(0, 2**31 - 1))
def test_log_likelihood_zero_story_follows_exact_fractions(n, sigma, seed):
    from core.underflow import zero_step

    run = running_products(n, 50.0, sigma, seed)
    z = zero_step(run)
    zero, _, _, exact_at = _float32_story(n, 50.0, sigma, seed)
    assert (z.at if z else None) == zero
    if z is not None:
        expected = "on_time" if exact_at == zero else "late" if exact_at is not None and exact_at < zero else "early"
        assert z.timing == expected


def test_torch_cumprod_is_not_a_float32_loop():
    """Why the page multiplies with numpy: torch.cumprod keeps its running product in float64, so
    its float32 zero falls where the exact product does, not where a float32 loop does."""
    from core.underflow import zero_step

    run = running_products(1000, 50.0, 0.5, 0)
    z = zero_step(run)
    torch_loop = torch.tensor(1.0)
    for i, f in enumerate(torch.from_numpy(run.factor32), start=1):
        torch_loop = torch_loop * f
        if torch_loop.item() == 0:
            break
    assert i == z.at == 156                                  # a float32 loop in torch agrees with numpy
    cumprod = torch.cumprod(torch.from_numpy(run.factor32), 0)
    assert int(torch.nonzero(cumprod == 0)[0]) + 1 == z.exact_half_at == 153


# --- chapter 5: one Run of gradient ascent --------------------------------------------------------
def _plain_ascent(data, mu, sigma, lr, steps):
    """θ ← θ + η ∇log L with the closed-form gradient; None when σ would leave (0, ∞)."""
    x = np.asarray(data, float)
    n, path = len(x), [(mu, sigma)]
    for _ in range(steps):
        g_mu = np.sum(x - mu) / sigma**2
        g_sigma = -n / sigma + np.sum((x - mu) ** 2) / sigma**3
        mu, sigma = mu + lr * g_mu, sigma + lr * g_sigma
        if not sigma > 0:
            return None
        path.append((mu, sigma))
    return path


def test_climb_that_ends_at_the_closed_form_top_is_answered_top():
    path = _plain_ascent(ARTICLE_DATA, 45.0, 8.0, 0.5, 200)
    mean, sd = np.mean(ARTICLE_DATA), np.std(ARTICLE_DATA)
    assert abs(path[-1][0] - mean) < 1e-3 * sd and abs(path[-1][1] - sd) < 1e-3 * sd
    assert questions.maximum_likelihood(ARTICLE_DATA, (45.0, 8.0), 0.5, 200).correct == "It reaches the top and stays there"


@pytest.mark.parametrize("start, lr", [((52.0, 8.0), 20.0), ((52.3, 20.0), 20.0)])
def test_climb_that_pushes_sigma_below_zero_is_answered_stopped(start, lr):
    assert _plain_ascent(ARTICLE_DATA, *start, lr, 5) is None
    assert questions.maximum_likelihood(ARTICLE_DATA, start, lr, 5).correct.startswith("It stops")


def test_climb_with_a_step_above_the_top_limit_bounces():
    sd2_over_n = np.var(ARTICLE_DATA) / len(ARTICLE_DATA)     # 2/curvature at the top
    lr = 1.5 * sd2_over_n
    path = _plain_ascent(ARTICLE_DATA, 52.0, 2.0, lr, 200)
    sigmas = [s for _, s in path[-10:]]
    assert max(sigmas) - min(sigmas) > 0.1                    # it never settles
    assert questions.maximum_likelihood(ARTICLE_DATA, (52.0, 2.0), lr, 200).correct.startswith("It bounces")


def test_climb_with_few_small_steps_does_not_reach_the_top():
    path = _plain_ascent(ARTICLE_DATA, 45.0, 8.0, 0.05, 3)
    assert abs(path[-1][0] - np.mean(ARTICLE_DATA)) > 1
    assert questions.maximum_likelihood(ARTICLE_DATA, (45.0, 8.0), 0.05, 3).correct == "Too few steps to tell"
    q = questions.maximum_likelihood(ARTICLE_DATA, (45.0, 8.0), 0.05, 30)
    assert q.correct == "Not yet: still climbing when the steps run out"


# --- chapter 6: the NLL of a point at the mean ----------------------------------------------------
@pytest.mark.parametrize("sigma", [0.01, 0.1, 0.39, 0.4, 1.0, 5.0])
def test_nll_sign_follows_scipy(sigma):
    nll = -stats.norm.logpdf(0.0, 0.0, sigma)
    q = questions.negative_log_likelihood(sigma)
    assert q.answer == (0 if nll < 0 else 1 if nll == 0 else 2)
    assert q.correct == ("Negative" if sigma < 1 / math.sqrt(2 * math.pi) else "Positive")


# --- chapter 7: the network against the counted table ---------------------------------------------
NAMES = ("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "ella")


@pytest.fixture(scope="module")
def counts():
    itos = (".",) + tuple(sorted(set("".join(NAMES))))
    stoi = {c: i for i, c in enumerate(itos)}
    N = torch.zeros(len(itos), len(itos), dtype=torch.int64)
    for name in NAMES:
        chars = ["."] + list(name) + ["."]
        for a, b in zip(chars, chars[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


def _numpy_nll(N, P):
    N, P = np.asarray(N, float), np.asarray(P, float)
    seen = N > 0
    return float(-(N[seen] * np.log(P[seen])).sum() / N.sum())


@pytest.mark.parametrize("settings, expected", [
    (training.TrainingSettings(lr=10.0, steps=3000, reg=0.01), "Above it, settled where the penalty"),
    (training.TrainingSettings(lr=10.0, steps=300, reg=0.0), "Above it and still coming down"),
    (training.TrainingSettings(lr=1e-4, steps=300, reg=0.0), "Above it and barely moving"),
    (training.TrainingSettings(lr=1.0, steps=5, reg=0.0), "Too few steps to tell"),
    (training.TrainingSettings(lr=1e6, steps=50, reg=0.01), "Nowhere near"),
])
def test_bigram_answer_follows_a_numpy_nll(counts, settings, expected):
    counted = np.asarray(counts, float) / np.asarray(counts, float).sum(1, keepdims=True).clip(min=1)
    floor = _numpy_nll(counts, counted)
    assert floor == pytest.approx(bigram.average_nll(counts, bigram.probabilities(counts, 0.0)), abs=1e-9)
    result = training.train_fast(counts, settings)
    q = questions.bigram(result, floor, counts)
    if result.diverged_at is None:
        net = torch.softmax(result.W.double(), dim=1).numpy()
        assert _numpy_nll(counts, net) - floor > -1e-5           # never below the floor
    assert q.correct.startswith(expected), q.explanation
    assert q.answer != 0
    assert ("penalty λ holds it" in " ".join(q.options)) == (settings.reg > 0)   # no penalty to hold it at λ = 0


def test_the_bigram_question_trains_only_when_its_answer_is_asked_for(counts):
    settings = training.TrainingSettings(lr=10.0, steps=300, reg=0.0)
    floor = bigram.average_nll(counts, bigram.probabilities(counts, 0.0))
    calls = []

    def train():
        calls.append(1)
        return training.train_fast(counts, settings)

    pending = questions.bigram_pending("names", settings, floor, counts, train)
    assert calls == []                                   # asking the question trains nothing
    resolved = pending.resolve()
    assert calls == [1]
    direct = questions.bigram(training.train_fast(counts, settings), floor, counts)
    assert (resolved.prompt, resolved.options) == (pending.prompt, pending.options) == (direct.prompt, direct.options)
    assert (resolved.answer, resolved.explanation) == (direct.answer, direct.explanation)
    other = questions.bigram_pending("names", training.TrainingSettings(lr=20.0, steps=300, reg=0.0), floor, counts,
                                     train)
    assert other.depends_on != pending.depends_on        # a pick is forgotten when the settings change
