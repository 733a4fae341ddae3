"""core.mlp: the network's NLL against a computation by hand (numpy, name by name), its training
against its own definition, and the runs of several networks."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from core import mlp, ngram
from core.corpus import Corpus
from test_ngram import markov_names, rows_by_hand

TINY = mlp.MLPSettings(block=3, embedding=4, hidden=16, steps=300, batch=16)


@pytest.fixture(scope="module")
def texts():
    return ngram.texts(Corpus.from_names(markov_names(400, seed=2), "test"))


def nll_by_hand(w: mlp.Weights, names, alphabet, block) -> float:
    """The average NLL of every symbol of every name: embeddings, tanh layer and a log-softmax
    written in numpy float64, one (context, symbol) row at a time."""
    C, W1, b1, W2, b2 = (t.detach().double().numpy() for t in w.tensors)
    total, rows = 0.0, rows_by_hand(names, block, alphabet)
    for context, c in rows:
        x = np.concatenate([C[i] for i in context])
        logits = np.tanh(x @ W1 + b1) @ W2 + b2
        top = logits.max()
        total += top + math.log(np.exp(logits - top).sum()) - logits[c]
    return total / len(rows)


def decode(text, alphabet):
    return "".join(alphabet[i] for i in text)[1:-1].split(".")


def test_the_networks_nll_is_the_one_computed_by_hand(texts):
    w = mlp.initial_weights(len(texts.alphabet), TINY)
    w = mlp.Weights(*(t + 0.3 * torch.randn(t.shape, generator=torch.Generator().manual_seed(1)) for t in w.tensors))
    data = mlp.dataset(texts.validation, TINY.block)
    names = decode(texts.validation, texts.alphabet)
    assert mlp.average_nll(w, data.contexts, data.targets) == pytest.approx(
        nll_by_hand(w, names, texts.alphabet, TINY.block), rel=1e-5)


def test_scoring_a_part_in_pieces_changes_nothing(texts, monkeypatch):
    w = mlp.initial_weights(len(texts.alphabet), TINY)
    data = mlp.dataset(texts.training, TINY.block)
    whole = mlp.average_nll(w, data.contexts, data.targets)
    monkeypatch.setattr(mlp, "EVAL_ROWS", 7)
    assert mlp.average_nll(w, data.contexts, data.targets) == pytest.approx(whole, rel=1e-6)


def test_it_starts_near_a_uniform_guess(texts):
    w = mlp.initial_weights(len(texts.alphabet), mlp.NETWORKS[0])
    data = mlp.dataset(texts.validation, mlp.NETWORKS[0].block)
    assert mlp.average_nll(w, data.contexts, data.targets) == pytest.approx(math.log(len(texts.alphabet)), abs=0.02)
    assert mlp.NETWORKS[0].parameters(27) == sum(t.numel() for t in mlp.initial_weights(27, mlp.NETWORKS[0]).tensors)


def test_each_step_is_a_gradient_step_on_a_seeded_minibatch(texts):
    """Two steps of the run, redone here: the minibatches drawn from the run's generator, the loss
    by F.cross_entropy, the gradient by autograd, each weight moved by lr times it."""
    s = mlp.MLPSettings(block=3, embedding=4, hidden=16, steps=2, batch=8, lr=0.5)
    run = list(mlp.train(texts, s, snapshots=1))[-1]
    data = mlp.dataset(texts.training, s.block)
    w = [t.clone().requires_grad_() for t in mlp.initial_weights(len(texts.alphabet), s).tensors]
    g = torch.Generator().manual_seed(s.seed + 1)
    for step in range(2):
        ix = torch.randint(0, len(data), (s.batch,), generator=g)
        x = torch.from_numpy(data.contexts)[ix].long()
        h = torch.tanh(w[0][x].reshape(s.batch, -1) @ w[1] + w[2])
        loss = torch.nn.functional.cross_entropy(h @ w[3] + w[4], torch.from_numpy(data.targets)[ix].long())
        assert run.losses[step] == pytest.approx(loss.item(), rel=1e-6)
        grads = torch.autograd.grad(loss, w)
        w = [(t - s.lr * d).detach().requires_grad_() for t, d in zip(w, grads)]
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(run.weights.tensors, w))


def test_a_run_learns_and_reports_every_part(texts):
    snapshots = list(mlp.train(texts, TINY, snapshots=5))
    assert [s.steps_done for s in snapshots] == [60, 120, 180, 240, 300]
    assert [s.finished for s in snapshots] == [False] * 4 + [True]
    run = snapshots[-1]
    assert run.losses[-50:].mean() < run.losses[:50].mean() - 0.2
    assert list(run.checked_at) == [60, 120, 180, 240, 300] and run.validation[-1] < run.validation[0]
    for part, text in texts.parts.items():
        assert run.final[part] == pytest.approx(nll_by_hand(run.weights, decode(text, texts.alphabet),
                                                            texts.alphabet, TINY.block), rel=1e-5)
    assert run.final["validation"] == pytest.approx(run.validation[-1])
    assert run.cpu > 0 and not run.losses.flags.writeable
    again = list(mlp.train(texts, TINY, snapshots=5))[-1]
    assert np.array_equal(run.losses, again.losses)          # seeded: the same run twice


def test_networks_train_one_after_another(texts):
    two = (TINY, mlp.MLPSettings(block=5, embedding=4, hidden=8, steps=100, batch=8))
    snapshots = list(mlp.train_networks(texts, two, snapshots=2))
    assert [len(s.runs) for s in snapshots] == [1, 1, 2, 2]
    assert [s.finished for s in snapshots] == [False, False, False, True]
    assert [len(s.done) for s in snapshots] == [0, 1, 1, 2]
    last = snapshots[-1]
    assert last.steps_done == last.steps == 400 and last.cpu == sum(r.cpu for r in last.runs)
    assert last.nbytes > sum(r.weights.nbytes for r in last.runs)


def test_names_drawn_from_the_network_are_seeded_and_spelled_with_its_alphabet(texts):
    w = list(mlp.train(texts, TINY, snapshots=1))[-1].weights
    names = mlp.sample(w, texts.alphabet, 12, 3)
    assert len(names) == 12 and names == mlp.sample(w, texts.alphabet, 12, 3)
    assert set("".join(names)) <= set(texts.alphabet[1:]) | {"…"}


def test_bad_settings_are_refused():
    for bad in ({"block": 0}, {"steps": 1.5}, {"lr": math.nan}, {"late_lr": 0.0}, {"decay_at": 1.5}):
        with pytest.raises(ValueError):
            mlp.MLPSettings(**bad)
    assert mlp.MLPSettings(steps=100, decay_at=0.75).lr_at(74) == 0.1
    assert mlp.MLPSettings(steps=100, decay_at=0.75).lr_at(75) == 0.01
