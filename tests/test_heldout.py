"""Names the models never saw (core/heldout.py): the split ready to score, against a name-by-name
recount; k and λ chosen on validation and scored on test; each classification against the numbers
it came from, over random settings."""
import math

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import assume, given, settings, strategies as st

from core import heldout
from core.bigram import probabilities
from core.corpus import Corpus
from core.split import split_names
from core.training import TrainingResult, TrainingSettings

NAMES = ("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail",
         "emily", "ella", "elizabeth", "camila", "luna", "sofia", "avery", "mila", "aria", "scarlett")


def counts(names, alphabet):
    """Bigram counts of `names` over `alphabet`, one pair at a time."""
    stoi = {c: i for i, c in enumerate(alphabet)}
    N = torch.zeros(len(alphabet), len(alphabet), dtype=torch.int64)
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


def nll_by_hand(names, P, alphabet):
    """Average -log P over every bigram of every name, one bigram at a time."""
    stoi = {c: i for i, c in enumerate(alphabet)}
    total, n = 0.0, 0
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            p = P[stoi[a], stoi[b]].item()
            total += -math.log(p) if p > 0 else math.inf
            n += 1
    return total / n


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(alphabet="abcdéz", min_size=1, max_size=6), min_size=1, max_size=150))
def test_the_evaluation_is_the_split_recounted_over_the_training_alphabet(names):
    ev = heldout.evaluate(Corpus.from_names(names, "test"))
    train, val, test = split_names(names)
    alphabet = (".", *sorted(set("".join(train))))
    assert ev.alphabet == alphabet and ev.sizes == (len(train), len(val), len(test))
    assert ev.unspelled == tuple(sorted(set("".join(val + test)) - set(alphabet)))
    for scored, part in ((ev.training, train), (ev.validation, val), (ev.test, test)):
        spelled = [n for n in part if set(n) <= set(alphabet)]
        assert torch.equal(scored.counts, counts(spelled, alphabet))
        assert (scored.n_names, scored.left_out) == (len(spelled), len(part) - len(spelled))
    assert ev.training.left_out == 0


@pytest.mark.parametrize("k", [0.0, 0.01, 1.0])
def test_each_nll_matches_a_name_by_name_computation(k):
    names = NAMES * 6   # 120 names: a scorable split, and some validation names seen in training
    ev = heldout.evaluate(Corpus.from_names(names, "test"))
    assert ev.scorable
    train, val, test = split_names(names)
    P = probabilities(counts(train, ev.alphabet), k)
    for part, listed in (("training", train), ("validation", val), ("test", test)):
        assert heldout.counting_nll(ev, k, part) == pytest.approx(nll_by_hand(listed, P, ev.alphabet), rel=1e-12)
    at = heldout.KS.index(k) if k in heldout.KS else None
    if at is not None:
        assert ev.curve.validation[at] == pytest.approx(nll_by_hand(val, P, ev.alphabet), rel=1e-12)
        assert ev.curve.train[at] == pytest.approx(nll_by_hand(train, P, ev.alphabet), rel=1e-12)


def test_a_validation_name_with_a_character_training_never_saw_is_left_out():
    names = [f"{'ab' * (1 + i % 4)}{'c' * (i % 3)}" for i in range(120)]
    train, val, test = split_names(names)
    names[names.index(val[0])] = "abø"           # only in a validation name
    ev = heldout.evaluate(Corpus.from_names(names, "test"))
    assert "ø" not in ev.alphabet and ev.unspelled == ("ø",)
    assert (ev.validation.left_out, ev.test.left_out) == (1, 0)
    assert ev.validation.n_names == len(val) - 1
    assert math.isfinite(heldout.counting_nll(ev, 0.1, "validation"))


def test_the_validation_nll_is_infinite_at_k0_when_a_validation_pair_was_never_seen():
    rng = np.random.default_rng(3)
    names = list(NAMES * 3) + ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=5)) for _ in range(100)]
    ev = heldout.evaluate(Corpus.from_names(names, "test"))
    train, val, _ = split_names(names)
    seen = {(a, b) for n in train for a, b in zip("." + n, n + ".")}
    unseen = {(a, b) for n in val for a, b in zip("." + n, n + ".")} - seen
    assert heldout.unseen_pairs(ev.training.counts, ev.validation.counts) == len(unseen) > 0
    assert ev.curve.validation[0] == math.inf and np.isfinite(ev.curve.validation[1:]).all()
    assert heldout.choose_k(ev).k > 0


def test_k_is_chosen_on_validation_and_scored_on_test():
    names = [f"{a}{b}{c}" for a in "aeiou" for b in "lmnrst" for c in ("", "a", "ia", "en")] * 2
    ev = heldout.evaluate(Corpus.from_names(names, "test"))
    chosen = heldout.choose_k(ev)
    train, val, test = split_names(names)
    slow_val = [nll_by_hand(val, probabilities(counts(train, ev.alphabet), k), ev.alphabet) for k in heldout.KS]
    assert chosen.k == heldout.KS[int(np.argmin(slow_val))]
    assert chosen.validation_nll == pytest.approx(min(slow_val))
    P = probabilities(counts(train, ev.alphabet), chosen.k)
    assert chosen.test_nll == pytest.approx(nll_by_hand(test, P, ev.alphabet), rel=1e-12)
    assert np.all(np.diff(ev.curve.train) >= -1e-12)   # smoothing only costs on the training names


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.floats(0.5, 5.0), st.just(math.inf)), min_size=3, max_size=12),
       start_at_zero=st.booleans())
def test_where_the_validation_nll_is_lowest_is_said_from_the_curve(values, start_at_zero):
    assume(any(math.isfinite(v) for v in values))
    validation = np.array(values)
    ks = np.concatenate([[0.0] if start_at_zero else [], np.logspace(-3, 2, len(values) - start_at_zero)])
    best, kind = heldout.lowest(ks, validation)
    assert validation[best] == validation.min() and (validation[:best] > validation[best]).all()
    if kind == "zero":
        assert ks[best] == 0
    elif kind == "top":      # the lowest at the largest k: the curve is still falling there
        assert best == len(ks) - 1 and validation[-1] < validation[-2] and ks[best] > 0
    else:
        assert kind == "inside" and 0 < ks[best] < ks[-1] and validation[best + 1] >= validation[best]


@settings(max_examples=200, deadline=None)
@given(nll=st.one_of(st.floats(0, 20), st.just(math.inf)), vocab=st.integers(2, 100))
def test_against_a_uniform_guess(nll, vocab):
    kind = heldout.against_uniform(nll, vocab)
    if math.isinf(nll):
        assert kind == "infinite"
    elif kind == "worse":
        assert heldout.perplexity(nll) > vocab
    elif kind == "better":
        assert heldout.perplexity(nll) < vocab
    else:
        assert kind == "uniform" and heldout.perplexity(nll) == pytest.approx(vocab, rel=1e-8)
    assert heldout.against_uniform(math.log(vocab), vocab) == "uniform"


def test_perplexity_and_bits():
    assert heldout.perplexity(2.4205) == pytest.approx(11.25, abs=0.01)
    assert heldout.perplexity(0.0) == 1.0
    assert heldout.perplexity(math.inf) == math.inf
    assert heldout.bits_per_symbol(math.log(2)) == pytest.approx(1.0)
    assert heldout.bits_per_symbol(2.4205) == pytest.approx(2.4205 / math.log(2))


# --- the network: λ chosen on validation ------------------------------------------------------------

def _fit(W, diverged_at=None):
    empty = np.zeros(0, dtype=np.float32)
    return TrainingResult(TrainingSettings(), empty, empty, W, 0, diverged_at, 0.0)


@pytest.fixture(scope="module")
def split_ev():
    return heldout.evaluate(Corpus.from_names(NAMES * 6, "test"))


def test_penalty_table_scores_each_network_by_hand(split_ev):
    ev = split_ev
    train, val, _ = split_names(NAMES * 6)
    A = len(ev.alphabet)
    g = torch.Generator().manual_seed(0)
    fits = {0.0: _fit(torch.randn(A, A, generator=g)), 0.1: _fit(torch.randn(A, A, generator=g)),
            1.0: _fit(torch.zeros(A, A), diverged_at=3)}
    table = heldout.penalty_table(fits, ev)
    assert table["λ"].tolist() == [0.0, 0.1, 1.0]
    assert table["stopped at step"].isna().tolist() == [True, True, False]
    for row, fit in zip(table.itertuples(index=False), fits.values()):
        P = torch.softmax(fit.W.double(), 1)
        assert row[1] == pytest.approx(nll_by_hand(train, P, ev.alphabet))
        assert row[2] == pytest.approx(nll_by_hand(val, P, ev.alphabet))
    assert heldout.penalties_to_compare(0.01) == (0.0, 0.01, 0.1, 1.0)
    assert heldout.penalties_to_compare(0.5) == (0.0, 0.01, 0.1, 0.5, 1.0)


@settings(max_examples=60, deadline=None)
@given(runs=st.lists(st.tuples(st.integers(0, 2**31 - 1), st.sampled_from(["ran", "diverged", "impossible"])),
                     min_size=1, max_size=5))
def test_lambda_is_chosen_among_the_runs_that_can_be(split_ev, runs):
    ev = split_ev
    train, val, test = split_names(NAMES * 6)
    A = len(ev.alphabet)
    fits = {}
    for i, (seed, what) in enumerate(runs):
        W = torch.randn(A, A, generator=torch.Generator().manual_seed(seed))
        if what == "impossible":   # one validation pair gets probability 0 in float32
            a, b = next((i, j) for i, j in zip(*np.nonzero(ev.validation.counts.numpy())))
            W[a, b] = -1e4
        fits[float(i)] = _fit(W, diverged_at=7 if what == "diverged" else None)
    choice = heldout.choose_penalty(fits, ev)
    assert (choice.diverged, choice.impossible) == (sum(w == "diverged" for _, w in runs),
                                                    sum(w == "impossible" for _, w in runs))
    open_to_choice = {reg: nll_by_hand(val, torch.softmax(fits[reg].W.double(), 1), ev.alphabet)
                      for reg, (_, what) in zip(fits, runs) if what == "ran"}
    if not open_to_choice:
        assert (choice.kind, choice.reg, choice.test_nll) == ("none", None, None)
        return
    best = min(open_to_choice.values())
    assert choice.kind == "chosen" and choice.reg == min(r for r, v in open_to_choice.items() if v == best)
    assert choice.validation_nll == pytest.approx(best)
    P = torch.softmax(fits[choice.reg].W.double(), 1)
    assert choice.test_nll == pytest.approx(nll_by_hand(test, P, ev.alphabet))


def test_every_run_diverged_chooses_nothing(split_ev):
    A = len(split_ev.alphabet)
    fits = {reg: _fit(torch.zeros(A, A), diverged_at=2) for reg in heldout.PENALTIES}
    choice = heldout.choose_penalty(fits, split_ev)
    assert choice.kind == "none" and choice.diverged == len(heldout.PENALTIES) and choice.impossible == 0


def test_a_table_of_numbers_only():
    # the λ table holds numbers and None, never text: the page writes them (ui/heldout_view.py)
    table = heldout.penalty_table({0.0: _fit(torch.zeros(3, 3))}, heldout.evaluate(Corpus.from_names(["ab"], "t")))
    assert list(table.columns) == ["λ", "training NLL", "validation NLL", "stopped at step"]
    assert isinstance(table, pd.DataFrame) and pd.isna(table["stopped at step"][0])
