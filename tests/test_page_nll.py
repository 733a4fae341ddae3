"""Chapter 6 in AppTest: -ln p, the training loop, densities above 1, NLL = cross-entropy."""
import math

import numpy as np

import torch
import torch.nn.functional as F
from scipy import stats

from pagetest import charts, metrics, open_page, formulas
from ui.text import literal, read_back

PAGE = "pages/6_Negative_log_likelihood.py"


def test_defaults():
    at = open_page(PAGE)
    m = metrics(at)
    assert m["−ln P"] == f"{-math.log(0.1):.4f}"
    assert m["density at the mean"] == f"{stats.norm.pdf(0, 0, 0.1):.4f}" == "3.9894"
    assert m["log-likelihood of x = 0"] == "1.3836" and m["NLL of x = 0"] == "-1.3836"
    assert r"-\sum_{i=1}^{n} \log p(x_i \mid \theta)" in formulas(at)[0]
    assert len(charts(at)) == 1
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


def test_nll_of_a_softmax_is_the_cross_entropy():
    at = open_page(PAGE)
    g = torch.Generator().manual_seed(2147483647)
    logits = torch.randn((5, 27), generator=g)
    targets = torch.randint(0, 27, (5,), generator=g)
    expected = F.cross_entropy(logits, targets).item()
    m = metrics(at)
    assert m["F.cross_entropy"] == f"{expected:.7f}"
    assert abs(float(m["NLL written by hand"]) - expected) < 1e-6
    assert float(m["difference"]) < 1e-6


def test_moving_p_and_sigma():
    at = open_page(PAGE)
    at.slider(key="p").set_value(0.25).run()
    assert metrics(at)["−ln P"] == f"{math.log(4):.4f}"
    at.slider(key="peak_sigma").set_value(1.0).run()
    m = metrics(at)
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
    x = np.array((48.8292, 49.3087, 52.4836, 53.2384, 57.6151))
    nll, nll_100 = (-stats.norm.logpdf(d, d.mean(), d.std(ddof=0)).sum() for d in (x, x / 100))
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
    at = open_page(PAGE, peak_sigma="0.39894")
    nll = -stats.norm.logpdf(0, 0, 0.39894)
    assert -5e-5 < nll < 0  # negative, but 0.0000 at four decimals
    assert metrics(at)["NLL of x = 0"] == "0.0000"
    assert f"negative: {nll:.2g}" in at.info[-1].value
