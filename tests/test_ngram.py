"""core.ngram: counted models of any order, against name-by-name computations written here."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from core import bigram, heldout, ngram
from core.corpus import Corpus
from core.split import split_names

NAME = st.text(alphabet="abcdez", min_size=1, max_size=7)


def markov_names(n: int, seed: int = 0) -> list[str]:
    """Names with some structure (so smoothing has something to choose), from a seeded generator."""
    rng = np.random.default_rng(seed)
    letters = "abdeilmnorsy"
    follow = {c: rng.dirichlet(np.full(len(letters) + 1, 0.3)) for c in "." + letters}
    names = []
    while len(names) < n:
        name, c = "", "."
        while len(name) < 12:
            c = ("." + letters)[rng.choice(len(letters) + 1, p=follow[c])]
            if c == ".":
                break
            name += c
        if name:
            names.append(name)
    return names


def rows_by_hand(names, block, alphabet):
    """(context, next symbol) of every symbol of every name, built one name at a time."""
    stoi = {c: i for i, c in enumerate(alphabet)}
    rows = []
    for name in names:
        context = [0] * block
        for c in [*name, "."]:
            rows.append((tuple(context), stoi[c]))
            context = (context + [stoi[c]])[1:] if block else []
    return rows


def nll_by_hand(train_names, other_names, order, k, alphabet):
    """The add-k order-n model counted from train_names, scored on other_names, one row at a time."""
    A = len(alphabet)
    seen = Counter(rows_by_hand(train_names, order - 1, alphabet))
    totals = Counter()
    for (context, _), n in seen.items():
        totals[context] += n
    total, n = 0.0, 0
    for context, c in rows_by_hand(other_names, order - 1, alphabet):
        if totals[context] == 0:
            p = 1 / A
        else:
            p = (seen[(context, c)] + k) / (totals[context] + k * A)
        total += -math.log(p) if p > 0 else math.inf
        n += 1
    return total / n


def encode(names, alphabet):
    stoi = {c: i for i, c in enumerate(alphabet)}
    return np.array([0] + [s for name in names for s in [*(stoi[c] for c in name), 0]], dtype=np.uint8)


@settings(max_examples=60)
@given(names=st.lists(NAME, min_size=1, max_size=30), block=st.integers(0, 5))
def test_windows_are_each_symbols_context_within_its_name(names, block):
    alphabet = (".", *sorted(set("".join(names))))
    contexts, targets = ngram.windows(encode(names, alphabet), block)
    assert list(zip(map(tuple, contexts.tolist()), targets.tolist())) == rows_by_hand(names, block, alphabet)


@settings(max_examples=40)
@given(names=st.lists(st.text(alphabet="abcdéz", min_size=1, max_size=6), min_size=1, max_size=120))
def test_texts_are_the_split_over_the_training_alphabet_without_unspellable_names(names):
    corpus = Corpus.from_names(names, "test")
    texts = ngram.texts(corpus)
    assert texts.alphabet == heldout.evaluate(corpus).alphabet
    for text, part in zip(texts.parts.values(), split_names(names)):
        spelled = [n for n in part if set(n) <= set(texts.alphabet)]
        assert np.array_equal(text, encode(spelled, texts.alphabet))


@settings(max_examples=40)
@given(names=st.lists(NAME, min_size=2, max_size=40), order=st.integers(1, 4),
       k=st.sampled_from([0.0, 0.01, 0.5, 3.0]), cut=st.integers(1, 39))
def test_the_nll_of_a_counted_model_is_the_one_counted_name_by_name(names, order, k, cut):
    train, other = names[:min(cut, len(names) - 1)], names[min(cut, len(names) - 1):]
    alphabet = (".", *sorted(set("".join(names))))
    model = ngram.fit(encode(train, alphabet), order, len(alphabet))
    got = ngram.nll(model, ngram.scored(model, encode(other, alphabet)), k)
    expected = nll_by_hand(train, other, order, k, alphabet)
    assert got == pytest.approx(expected, rel=1e-12) if math.isfinite(expected) else math.isinf(got)


def test_counting_a_chunk_at_a_time_counts_the_same(monkeypatch):
    names = markov_names(300)
    alphabet = (".", *sorted(set("".join(names))))
    text = encode(names, alphabet)
    whole = ngram._distinct(text, 2, len(alphabet))
    monkeypatch.setattr(ngram, "CHUNK", 17)
    chunked = ngram._distinct(text, 2, len(alphabet))
    assert all(np.array_equal(a, b) for a, b in zip(whole, chunked))
    assert chunked[1].sum() == len(text) - 1


def test_the_bigram_is_chapter_7s_k_and_nlls():
    corpus = Corpus.from_names(markov_names(200), "test")
    evaluation = heldout.evaluate(corpus)
    mine, chapter7 = ngram.choose(ngram.texts(corpus), 2), heldout.choose_k(evaluation)
    assert (mine.kind, mine.k) == (chapter7.kind, chapter7.k) and mine.kind == "inside"
    assert mine.validation_nll == pytest.approx(chapter7.validation_nll, rel=1e-12)
    assert mine.test_nll == pytest.approx(chapter7.test_nll, rel=1e-12)
    assert mine.training_nll == pytest.approx(heldout.counting_nll(evaluation, mine.k, "training"), rel=1e-12)


def test_k_is_the_lowest_validation_nll_of_the_grid_and_scored_on_test():
    names = markov_names(800, seed=3)
    corpus = Corpus.from_names(names, "test")
    train, val, test = split_names(names)
    alphabet = ngram.texts(corpus).alphabet
    choice = ngram.choose(ngram.texts(corpus), 3)
    i = heldout.KS.index(choice.k)
    around = [nll_by_hand(train, val, 3, heldout.KS[j], alphabet) for j in (i - 1, i, i + 1)]
    assert around[1] < around[0] and around[1] < around[2]
    assert choice.validation_nll == pytest.approx(around[1], rel=1e-12)
    assert choice.test_nll == pytest.approx(nll_by_hand(train, test, 3, choice.k, alphabet), rel=1e-12)
    assert choice.training_nll < choice.validation_nll


@settings(max_examples=30)
@given(names=st.lists(NAME, min_size=1, max_size=30), order=st.integers(1, 4), k=st.sampled_from([0.0, 0.2, 2.0]),
       context=st.lists(st.integers(0, 6), min_size=3, max_size=3))
def test_a_rows_probabilities_are_the_counted_formula(names, order, k, context):
    alphabet = (".", *sorted(set("".join(names))))
    A = len(alphabet)
    context = tuple(min(c, A - 1) for c in context[:order - 1])
    model = ngram.fit(encode(names, alphabet), order, A)
    row = ngram.probabilities(model, context, k)
    seen = Counter(rows_by_hand(names, order - 1, alphabet))
    counts = np.array([seen[(context, c)] for c in range(A)], dtype=float)
    expected = (counts + k) / (counts.sum() + k * A) if counts.sum() + k > 0 else np.full(A, 1 / A)
    assert np.allclose(row, expected) and row.sum() == pytest.approx(1.0)


def test_drawing_from_a_table_is_the_lectures_draw():
    corpus = Corpus.from_names(markov_names(300), "test")
    P = bigram.probabilities(bigram.counts_for(corpus), 1.0)
    rows = P.float()
    drawn = ngram.draw_names(lambda ctx: rows[ctx[0]], 1, corpus.itos, 25, 2147483647)
    assert drawn == bigram.sample_names(P, corpus.itos, 25, 2147483647)


def test_names_drawn_from_a_trigram_follow_its_table():
    """With k = 0 every pair of symbols in a drawn name (with its '.'s) occurs in the training names."""
    names = markov_names(500, seed=5)
    corpus = Corpus.from_names(names, "test")
    texts = ngram.texts(corpus)
    model = ngram.fit(texts.training, 3, len(texts.alphabet))
    drawn = ngram.sample(model, texts.alphabet, 0.0, 40, 7)
    train = split_names(names)[0]
    def triples(padded):
        return set(zip(padded, padded[1:], padded[2:]))

    seen = set().union(*(triples(".." + n + ".") for n in train))
    for name in drawn:
        cut = name.endswith("…")
        assert triples(".." + name.removesuffix("…") + ("" if cut else ".")) <= seen, name
    assert drawn == ngram.sample(model, texts.alphabet, 0.0, 40, 7) != ngram.sample(model, texts.alphabet, 0.0, 40, 8)


def test_order_out_of_range_is_refused():
    with pytest.raises(ValueError):
        ngram.fit(np.zeros(3, dtype=np.uint8), ngram.MAX_ORDER + 1, 2)
    model = ngram.fit(encode(["ab"], (".", "a", "b")), 2, 3)
    with pytest.raises(ValueError):
        ngram.nll(model, ngram.scored(model, encode(["ab"], (".", "a", "b"))), -1.0)
    assert torch.is_tensor(torch.from_numpy(ngram.probabilities(model, (1,), 0.0)))
