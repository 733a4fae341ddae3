"""core.entropy: the floor as a conditional entropy, the excess as a KL divergence, the baselines;
numpy against torch, scipy and plain-python loops over the names, over random counts and weights."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import entropy as scipy_entropy

from core import entropy
from core.baby_names import load_default_corpus
from core.bigram import average_nll, bigram_pairs, counts_for, probabilities
from core.corpus import Corpus
from core.formatting import figure
from core.training import train_fast

SMALL = Corpus.from_names(("emma", "olivia", "ava", "isabella", "sophia", "ann-marie", "zoë"), "test")


@pytest.fixture(scope="module")
def default():
    corpus = load_default_corpus()
    return corpus, counts_for(corpus)


@st.composite
def counts_and_logits(draw):
    """A V x V count matrix with a positive total (some rows and columns may be empty) and logits W."""
    v = draw(st.integers(2, 7))
    N = draw(arrays(np.int64, (v, v), elements=st.integers(0, 40)).filter(lambda a: a.sum() > 0))
    W = draw(arrays(np.float64, (v, v), elements=st.floats(-8, 8, allow_nan=False)))
    return torch.from_numpy(N), torch.from_numpy(W)


def _torch_nll(W: torch.Tensor, N: torch.Tensor) -> float:
    """The NLL of softmax(W) by torch's cross-entropy, weighted by the counts (float64)."""
    rows, cols = torch.nonzero(N, as_tuple=True)
    losses = F.cross_entropy(W.double()[rows], cols, reduction="none")
    weights = N[rows, cols].double()
    return ((losses * weights).sum() / weights.sum()).item()


def _scipy_kl(W: torch.Tensor, N: torch.Tensor) -> float:
    """Σ_a p(a) KL(p(·|a) ‖ softmax(W)_a), row by row with scipy's KL divergence."""
    counts = N.double().numpy()
    Q = torch.softmax(W.double(), 1).numpy()
    return sum(row.sum() / counts.sum() * scipy_entropy(row / row.sum(), Q[a])
               for a, row in enumerate(counts) if row.sum() > 0)


# --- the floor -------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["small", "default"])
def test_the_conditional_entropy_is_the_counted_tables_nll(which, default):
    corpus = SMALL if which == "small" else default[0]
    N = counts_for(corpus)
    torch_nll = average_nll(N, probabilities(N, 0.0))           # torch, from the counted table
    assert entropy.conditional_entropy(N) == pytest.approx(torch_nll, abs=1e-12)
    if which == "default":
        assert figure(entropy.conditional_entropy(N)) == "2.4205"


@given(counts_and_logits())
@settings(max_examples=150)
def test_conditional_entropy_against_torch_on_random_counts(case):
    N, _ = case
    assert entropy.conditional_entropy(N) == pytest.approx(average_nll(N, probabilities(N, 0.0)), abs=1e-12)


# --- the baselines ---------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["small", "default"])
def test_the_unigram_nll_against_the_names_themselves(which, default):
    """Every symbol that follows another ('.' ending each name included), counted in the names."""
    corpus = SMALL if which == "small" else default[0]
    following = Counter()
    for name in corpus.names():
        following.update([*name, "."])
    n = sum(following.values())
    expected = -sum(c / n * math.log(c / n) for c in following.values())
    assert entropy.unigram_nll(counts_for(corpus)) == pytest.approx(expected, abs=1e-12)


def test_the_ladder_of_the_default_corpus(default):
    corpus, N = default
    uniform, unigram, bigram = entropy.baselines(N)
    assert uniform.nll == math.log(27) and figure(uniform.nll) == "3.2958"
    assert "27 symbols" in uniform.predicts
    assert figure(unigram.nll) == "2.8244" and figure(bigram.nll) == "2.4205"
    assert bigram.kl == pytest.approx(0.0, abs=1e-14)


@given(counts_and_logits())
@settings(max_examples=150)
def test_the_ladder_goes_down_and_each_rung_is_a_kl_above_the_floor(case):
    N, _ = case
    uniform, unigram, bigram = entropy.baselines(N)
    V = N.shape[0]
    assert uniform.nll == pytest.approx(math.log(V))
    assert uniform.nll >= unigram.nll - 1e-12 >= bigram.nll - 2e-12        # Gibbs: knowing more never costs
    floor = bigram.nll
    for rung in (uniform, unigram, bigram):
        assert rung.kl == pytest.approx(rung.nll - floor, abs=1e-10)
    # unigram − bigram is the mutual information of neighbouring symbols, in closed form
    joint = N.double().numpy() / N.sum().item()
    pa, pb = joint.sum(1, keepdims=True), joint.sum(0, keepdims=True)
    nz = joint > 0
    mutual = float((joint[nz] * np.log(joint[nz] / (pa @ pb)[nz])).sum())
    assert unigram.nll - bigram.nll == pytest.approx(mutual, abs=1e-10)


# --- the excess: a KL divergence -------------------------------------------------------------

@given(counts_and_logits())
@settings(max_examples=200)
def test_the_excess_is_a_kl_divergence(case):
    N, W = case
    e = entropy.excess(W, N)
    assert e.nll == pytest.approx(_torch_nll(W, N), abs=1e-10)           # numpy against torch
    assert e.kl == pytest.approx(_scipy_kl(W, N), abs=1e-10)             # against scipy's KL
    assert e.kl >= -1e-12 and e.agree and e.apart <= 1e-9
    assert e.difference == pytest.approx(e.kl, abs=1e-10)


@given(counts_and_logits(), st.floats(-50, 50, allow_nan=False))
@settings(max_examples=100)
def test_only_the_counted_rows_have_no_excess(case, shift):
    N, _ = case
    P = probabilities(N, 0.0)
    with np.errstate(divide="ignore"):
        logits = np.log(P.numpy()) + shift          # the same table: softmax ignores a shift of a row
    assert entropy.kl_excess(logits, N) == pytest.approx(0.0, abs=1e-12)
    smoothed = probabilities(N, 1.0)
    seen = N.sum(1) > 0
    same = torch.allclose(smoothed[seen], P[seen], atol=1e-12)   # add-1 leaves a row alone only if it is uniform
    assert (entropy.kl_excess(np.log(smoothed.numpy()), N) > 1e-12) != same


def test_a_table_that_gives_a_seen_pair_probability_zero_is_infinitely_worse():
    N = torch.tensor([[0, 3], [2, 1]])
    W = np.array([[0.0, -np.inf], [0.0, 0.0]])
    e = entropy.excess(W, N)
    assert math.isinf(e.kl) and math.isinf(e.nll) and e.agree
    assert entropy.kl_excess(np.array([[-np.inf, 0.0], [0.0, 0.0]]), N) < math.inf   # the unseen pair may be 0


def test_the_article_runs_gap_is_its_kl_divergence(default):
    corpus, N = default
    run = train_fast(N)
    e = entropy.excess(run.W, N)
    assert e.agree and e.apart < 1e-14
    # The run's own float32 figure, taken before its last step, is the same gap to float32 rounding.
    assert e.kl == pytest.approx(run.final_data_nll - entropy.conditional_entropy(N), abs=1e-6)
    assert 0.006 < e.kl < 0.007


def test_the_literal_pairs_give_the_same_nll_as_the_counts():
    """The NLL from the counts equals the mean cross-entropy over every bigram of the names."""
    xs, ys = bigram_pairs(SMALL)
    N = counts_for(SMALL)
    W = torch.randn(N.shape, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    assert entropy.nll(W, N) == pytest.approx(F.cross_entropy(W[xs], ys).item(), abs=1e-12)


@pytest.mark.parametrize("bad", [np.zeros((3, 3)), np.ones((2, 3)), -np.ones((2, 2))])
def test_counts_must_be_a_square_table_with_a_positive_total(bad):
    with pytest.raises(ValueError):
        entropy.conditional_entropy(bad)
