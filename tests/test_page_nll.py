"""Chapter 6 in AppTest: -ln p, the training loop, densities above 1, NLL = cross-entropy."""
import math

import torch
import torch.nn.functional as F
from scipy import stats

from pagetest import charts, metrics, open_page
from ui.text import literal, read_back

PAGE = "pages/6_Negative_log_likelihood.py"


def test_defaults():
    at = open_page(PAGE)
    m = metrics(at)
    assert m["−ln p"] == f"{-math.log(0.1):.4f}"
    assert m["density at the mean"] == f"{stats.norm.pdf(0, 0, 0.1):.4f}" == "3.9894"
    assert m["log-likelihood of x = 0"] == "1.3836" and m["NLL of x = 0"] == "-1.3836"
    assert r"-\sum_{i=1}^{n} \log P(x_i \mid \theta)" in at.latex[0].value
    assert len(charts(at)) == 1


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
    assert metrics(at)["−ln p"] == f"{math.log(4):.4f}"
    at.slider(key="peak_sigma").set_value(1.0).run()
    m = metrics(at)
    assert m["NLL of x = 0"] == f"{-stats.norm.logpdf(0, 0, 1):.4f}" == "0.9189"
    assert "not negative" in at.info[-1].value


def test_deep_link_to_p():
    at = open_page(PAGE, p="0.5")
    assert metrics(at)["−ln p"] == f"{math.log(2):.4f}" == "0.6931"
    assert r"-\ln(0.5) = 0.6931" in " ".join(l.value for l in at.latex)


def test_malformed_p_falls_back_with_a_warning():
    at = open_page(PAGE, p="abc")
    assert "'p=abc' is not a number; using 0.1." in read_back(at.warning[0].value)
    assert at.warning[0].value == literal(read_back(at.warning[0].value))  # drawn literally
    assert metrics(at)["−ln p"] == f"{-math.log(0.1):.4f}"
