"""The train / held-out split and the NLL of names the model never saw, against plain-Python recomputations."""
import math

import numpy as np
import pytest
import torch

from core import bigram, heldout
from core.bigram import probabilities

NAMES = ("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail",
         "emily", "ella", "elizabeth", "camila", "luna", "sofia", "avery", "mila", "aria", "scarlett")


def counts(names, itos):
    stoi = {c: i for i, c in enumerate(itos)}
    N = torch.zeros(len(itos), len(itos), dtype=torch.int64)
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


def nll_by_hand(names, P, itos):
    """Average -log P over every bigram of every name, one bigram at a time."""
    stoi = {c: i for i, c in enumerate(itos)}
    total, n = 0.0, 0
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            p = P[stoi[a], stoi[b]].item()
            total += -math.log(p) if p > 0 else math.inf
            n += 1
    return total / n


ITOS = (".", *sorted(set("".join(NAMES))))


def test_split_is_reproducible_disjoint_and_complete():
    train, held = heldout.split(NAMES, seed=3)
    assert heldout.split(NAMES, seed=3) == (train, held)
    assert heldout.split(NAMES, seed=4) != (train, held)
    assert sorted(train + held) == sorted(NAMES)
    assert len(held) == 2  # 10 % of 20
    assert [n for n in NAMES if n in train] == list(train)  # order kept


@pytest.mark.parametrize("n", [2, 3, 5])
def test_small_corpora_keep_a_name_on_each_side(n):
    train, held = heldout.split(NAMES[:n])
    assert len(train) >= 1 and len(held) >= 1


def test_one_name_cannot_be_split():
    assert heldout.split(("emma",)) == (("emma",), ())


@pytest.mark.parametrize("k", [0.0, 0.01, 1.0])
def test_held_out_nll_matches_a_name_by_name_computation(k):
    train, held = heldout.split(NAMES, seed=1)
    N_train, N_held = counts(train, ITOS), counts(held, ITOS)
    P = probabilities(N_train, k)
    assert bigram.average_nll(N_held, P) == pytest.approx(nll_by_hand(held, P, ITOS), rel=1e-12)
    assert bigram.average_nll(N_train, P) == pytest.approx(nll_by_hand(train, P, ITOS), rel=1e-12)


def test_held_out_nll_is_infinite_at_k0_when_a_held_out_pair_was_never_seen():
    train, held = ("emma", "ava"), ("evelyn",)
    N_train, N_held = counts(train, ITOS), counts(held, ITOS)
    assert heldout.unseen_pairs(N_train, N_held) > 0
    curve = heldout.smoothing_curve(N_train, N_held, [0.0, 0.1, 1.0])
    assert curve.held_out[0] == math.inf
    assert all(np.isfinite(curve.held_out[1:]))
    assert curve.best_k > 0


def test_training_nll_is_lowest_at_k0_and_held_out_has_an_interior_optimum():
    train, held = heldout.split(NAMES * 3, seed=0)  # repeats: some held-out names were seen
    N_train, N_held = counts(train, ITOS), counts(held, ITOS)
    curve = heldout.smoothing_curve(N_train, N_held, heldout.default_ks())
    assert np.argmin(curve.train) == 0
    assert np.all(np.diff(curve.train) >= -1e-12)  # smoothing only costs on the training names
    assert curve.best_held_out == pytest.approx(curve.held_out.min())


def test_perplexity_and_bits():
    assert heldout.perplexity(2.4205) == pytest.approx(11.25, abs=0.01)
    assert heldout.perplexity(0.0) == 1.0
    assert heldout.perplexity(math.inf) == math.inf
    assert heldout.bits_per_character(math.log(2)) == pytest.approx(1.0)
    assert heldout.bits_per_character(2.4205) == pytest.approx(2.4205 / math.log(2))


def _fit(W, diverged_at=None):
    from core.training import TrainingResult, TrainingSettings
    empty = np.zeros(0, dtype=np.float32)
    return TrainingResult(TrainingSettings(), empty, empty, W, 0, diverged_at, 0.0)


def test_penalty_table_scores_each_network_on_both_sides_by_hand():
    train, held = heldout.split(NAMES)
    N_train, N_held = counts(train, ITOS), counts(held, ITOS)
    g = torch.Generator().manual_seed(0)
    fits = {0.0: _fit(torch.randn(len(ITOS), len(ITOS), generator=g)),
            0.1: _fit(torch.randn(len(ITOS), len(ITOS), generator=g)),
            1.0: _fit(torch.zeros(len(ITOS), len(ITOS)), diverged_at=3)}
    table = heldout.penalty_table(fits, N_train, N_held)
    assert table["λ"].tolist() == [0.0, 0.1, 1.0] and table["diverged"].tolist() == [False, False, True]
    for row, fit in zip(table.itertuples(index=False), fits.values()):
        P = torch.softmax(fit.W.double(), 1)
        assert row[1] == pytest.approx(nll_by_hand(train, P, ITOS))
        assert row[2] == pytest.approx(nll_by_hand(held, P, ITOS))
    best = heldout.best_penalty(table)            # the diverged λ = 1 is left out, even if it scored best
    finite = table[~table["diverged"]]
    assert best.held_out == finite["λ"][finite["held-out NLL"].argmin()]
    assert best.held_out_nll == finite["held-out NLL"].min()
    assert best.train == finite["λ"][finite["training NLL"].argmin()]
    assert heldout.best_penalty(table[table["diverged"]]) is None
    assert heldout.penalties_to_compare(0.01) == (0.0, 0.01, 0.1, 1.0)
    assert heldout.penalties_to_compare(0.5) == (0.0, 0.01, 0.1, 0.5, 1.0)
