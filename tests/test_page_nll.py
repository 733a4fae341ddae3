"""Chapter 6 in AppTest: -ln p, the training loop, densities above 1, NLL = cross-entropy."""
import math
import re

import numpy as np
import pytest

import torch
import torch.nn.functional as F
from scipy import special, stats

from core.formatting import sig
from pagetest import charts, metrics, open_page, formulas, shown
from ui.text import literal, read_back

PAGE = "pages/6_Negative_log_likelihood.py"
X = np.array((48.8292, 49.3087, 52.4836, 53.2384, 57.6151))
AT_MEAN = ("density at the mean", "log-likelihood of x = 0", "NLL of x = 0")


def answer(at):
    """Pick an answer to the chapter's question (the first option): the point at the mean is then shown."""
    radio = next(r for r in at.radio if str(r.key).startswith("question:"))
    radio.set_value(read_back(radio.options[0])).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_defaults():
    at = answer(open_page(PAGE))
    m = metrics(at)
    assert m["−ln P"] == f"{-math.log(0.1):.4f}"
    assert m["density at the mean"] == f"{stats.norm.pdf(0, 0, 0.1):.4f}" == "3.9894"
    assert m["log-likelihood of x = 0"] == "1.3836" and m["NLL of x = 0"] == "-1.3836"
    assert r"-\sum_{i=1}^{n} \log p(x_i \mid \theta)" in formulas(at)[0]
    assert len(charts(at)) == 3           # −ln P, and MSE beside the NLL
    words = " ".join(m.value for m in at.markdown)
    assert "sign-flipped" in words and "signed" not in words.replace("sign-flipped", "")
    assert "(P = 1) costs nothing" in words and "separate possibilities" in words


def test_the_training_loop_and_its_link():
    at = open_page(PAGE)
    loop = at.code[0].value
    for mark in ("# 1. Negative Log Likelihood", "# 2. Derivation", "loss.backward()", "# 3. Gradient Descent"):
        assert mark in loop
    assert any(link.proto.page.endswith("Bigram_model") and "chapter 7" in link.proto.label
               for link in at.get("page_link"))


def _logits(scale):
    g = torch.Generator().manual_seed(2147483647)
    logits = torch.randn((5, 27), generator=g) * scale
    return logits, torch.randint(0, 27, (5,), generator=g)


def test_nll_of_a_softmax_is_the_cross_entropy():
    at = open_page(PAGE)
    logits, targets = _logits(1.0)
    expected = F.cross_entropy(logits, targets).item()
    m = metrics(at)
    assert m["F.cross_entropy"] == sig(expected, 7) == f"{expected:.6f}"
    assert abs(float(m["NLL written by hand"]) - expected) < 1e-6
    assert abs(float(m["by hand, largest logit subtracted"]) - expected) < 1e-6
    assert "agrees with F.cross_entropy to rounding" in shown(at.success)


@pytest.mark.parametrize("scale, naive, says", [
    ("100", math.inf, "rounds to 0.0, and −ln 0 = ∞"),
    ("1000", math.nan, "inf / inf = nan"),
])
def test_large_logits_break_the_softmax_written_by_hand_not_cross_entropy(scale, naive, says):
    at = open_page(PAGE, lse_scale=scale)
    logits, targets = _logits(float(scale))
    assert logits.max().item() > math.log(np.finfo(np.float32).max)        # e^z overflows a float32
    by_hand = -(logits.exp() / logits.exp().sum(1, keepdims=True))[torch.arange(5), targets].log().mean().item()
    assert (math.isnan(by_hand) if math.isnan(naive) else by_hand == naive)
    expected = F.cross_entropy(logits, targets).item()
    via_scipy = -special.log_softmax(logits.double().numpy(), axis=1)[np.arange(5), targets.numpy()].mean()
    assert abs(expected - via_scipy) < 1e-4 * abs(via_scipy)
    m = metrics(at)
    assert m["NLL written by hand"] == ("not a number" if math.isnan(naive) else "∞")
    assert m["F.cross_entropy"] == sig(expected, 7)
    assert abs(float(m["by hand, largest logit subtracted"].replace(",", "")) - expected) < 1e-4 * expected
    assert says in shown(at.warning)
    assert "the same" in " ".join(read_back(x.value) for x in at.markdown if "F.cross_entropy gives" in x.value)


def test_moving_p_and_sigma():
    at = open_page(PAGE)
    at.slider(key="p").set_value(0.25).run()
    assert metrics(at)["−ln P"] == f"{math.log(4):.4f}"
    at.slider(key="peak_sigma").set_value(1.0).run()
    m = metrics(answer(at))
    assert m["NLL of x = 0"] == f"{-stats.norm.logpdf(0, 0, 1):.4f}" == "0.9189"
    assert "not negative" in at.info[-1].value


def test_deep_link_to_p():
    at = open_page(PAGE, p="0.5")
    assert metrics(at)["−ln P"] == f"{math.log(2):.4f}" == "0.6931"
    assert r"-\ln(0.5) = 0.6931" in " ".join(formulas(at))


def test_malformed_p_falls_back_with_a_warning():
    at = open_page(PAGE, p="abc")
    assert "'p=abc' is not a number; using 0.1." in read_back(at.warning[0].value)
    assert at.warning[0].value == literal(read_back(at.warning[0].value))  # drawn literally
    assert metrics(at)["−ln P"] == f"{-math.log(0.1):.4f}"


def test_nlls_compare_only_in_the_same_units():
    at = open_page(PAGE)
    nll, nll_100 = (-stats.norm.logpdf(d, d.mean(), d.std(ddof=0)).sum() for d in (X, X / 100))
    m = metrics(at)
    assert m["NLL at the best normal, the article's units"] == f"{nll:.4f}"
    assert m["the same, every point divided by 100"] == f"{nll_100:.4f}"
    caveat = next(i.value for i in at.info if "same units" in i.value)
    assert (f"{nll:.2f}", f"{nll_100:.2f}") == ("12.86", "-10.17")
    assert f"from {nll:.2f} to {nll_100:.2f}" in caveat
    assert f"= {nll - nll_100:.2f}" in caveat and "density p, not a probability" in caveat
    # beside the curve: the caveat comes before the training loop, not at the foot of the page
    assert at.info.values.index(caveat) == 0
    assert "five points" in caveat


def test_an_nll_that_rounds_to_zero_shows_no_minus_sign():
    at = answer(open_page(PAGE, peak_sigma="0.39894"))
    nll = -stats.norm.logpdf(0, 0, 0.39894)
    assert -5e-5 < nll < 0  # negative, but 0.0000 at four decimals
    assert metrics(at)["NLL of x = 0"] == "0.0000"
    assert f"negative: {nll:.2g}" in at.info[-1].value


# --- issue 18 §2: the sign of the NLL at the mean waits for the answer ------------------------------
def _waiting(at) -> str:
    return " ".join(i for i in (read_back(x.value) for x in at.info) if "foot of the page" in i)


def test_the_point_at_the_mean_waits_for_a_pick():
    at = open_page(PAGE)
    assert not any(k in metrics(at) for k in AT_MEAN)
    assert not any(r"\sigma\sqrt{2\pi}" in f for f in formulas(at))
    assert "NLL of x = 0 appear here once you have picked an answer" in _waiting(at)
    words = " ".join(read_back(m.value) for m in at.markdown)
    assert "0.3989" not in words and "negative NLL" not in words      # no threshold said before the answer
    answer(at)
    assert all(k in metrics(at) for k in AT_MEAN) and not _waiting(at)
    assert "below 0.3989 = 1/√(2π), the density at the mean is above 1" in shown(at.info)


def test_presenter_mode_holds_the_point_at_the_mean_until_the_reveal():
    at = open_page(PAGE, present="1")
    assert "is revealed" in _waiting(at)
    answer(at)
    assert not any(k in metrics(at) for k in AT_MEAN)
    at.button(key="question_reveal:nll").click().run()
    assert not at.exception
    assert metrics(at)["NLL of x = 0"] == f"{-stats.norm.logpdf(0, 0, 0.1):.4f}"
    at.slider(key="peak_sigma").set_value(1.0).run()                   # a new question: hidden again
    assert not any(k in metrics(at) for k in AT_MEAN)


# --- issue 22 §1: squared error is the NLL of a normal with σ held ------------------------------------
@pytest.mark.parametrize("sigma, mu", [("2", "50"), ("0.5", "60.25"), ("10", "52.3")])
def test_mse_and_the_nll_of_a_normal_share_their_minimiser_and_relation(sigma, mu):
    at = open_page(PAGE, mse_sigma=sigma, mse_mu=mu)
    s, m = float(sigma), float(mu)
    sse = float(((X - m) ** 2).sum())
    nll = float(-stats.norm.logpdf(X, m, s).sum())
    constant = len(X) / 2 * math.log(2 * math.pi * s**2)
    assert constant + sse / (2 * s**2) == pytest.approx(nll, rel=1e-12)
    line = next(f for f in formulas(at) if r"\frac{5}{2} \ln(2\pi" in f)
    terms = re.search(r"= (-?[\d.]+) \+ (-?[\d.]+) = (-?[\d.]+)\$", line)
    assert terms, line
    a, b, total = terms.groups()
    assert abs(float(total) - nll) <= 0.5 * 10 ** -len(total.split(".")[1])             # the NLL, rounded
    assert f"{float(a) + float(b):.{len(total.split('.')[1])}f}" == total              # the terms add up as shown
    assert f"{sse:.4f}" in line
    said = shown(at.caption)
    mean = f"{X.mean():.4f}"
    assert f"MSE over μ from 40 to 65 is a parabola, lowest at x̄ = {mean}" in said
    assert f"lowest at x̄ = {mean} too" in said and f"at μ = {m:.4g} it is {sse / 5:.4f}" in said
    grid = np.linspace(40, 65, 401)                       # the same minimiser on the grid, both ways
    mse_grid = ((X[None] - grid[:, None]) ** 2).mean(1)
    nll_grid = -stats.norm.logpdf(X[None], grid[:, None], s).sum(1)
    assert np.argmin(mse_grid) == np.argmin(nll_grid)


def test_the_total_is_n_times_the_mean():
    at = open_page(PAGE)
    total = float(-stats.norm.logpdf(X, X.mean(), X.std()).sum())
    words = " ".join(read_back(m.value) for m in at.markdown)
    assert f"lowest total is {total:.4f} and the lowest mean {total:.4f} / 5 = {total / 5:.4f}" in words
    assert "moves no minimiser" in words and "scale of the gradient" in words
