"""A names corpus held as counts (core/corpus.py): its vocabulary, fingerprint, membership test
and held-out split, each checked against a slow, obvious recount."""
from __future__ import annotations

import numpy as np

from core import heldout, training
from core.baby_names import load_default_corpus
from core.corpus import PAIRS_MAX_CELLS, Corpus, held_out_mask


def test_fingerprint_is_stable_and_sensitive():
    a = Corpus.from_names(("emma", "ava"), "test")
    assert a.fingerprint == Corpus.from_names(("emma", "ava"), "another source").fingerprint
    assert a.fingerprint != Corpus.from_names(("ava", "emma"), "test").fingerprint
    assert a.fingerprint != Corpus.from_names(("emma", "avaa"), "test").fingerprint
    assert a.fingerprint != Corpus.from_names(("em", "maava"), "test").fingerprint


def test_special_characters_sort_after_the_end_token():
    corpus = Corpus.from_names(("o'neil", "anne-marie"), "test")
    assert corpus.itos[0] == "."
    assert corpus.itos[1:] == tuple(sorted(set("o'neilanne-marie")))


def test_contains_is_exact_for_names_and_their_neighbours():
    corpus = Corpus.from_names(("emma", "ava", "zoë", "a"), "test")
    asked = ["emma", "ava", "zoë", "a", "av", "emmaa", "", "zoe", "🙂", "ava.", "aa"]
    assert corpus.contains_each(asked).tolist() == [True] * 4 + [False] * 7
    assert corpus.contains("zoë") and not corpus.contains("zoe")


def test_the_literal_loop_bound_is_the_corpus_bound():
    assert training.LITERAL_MAX_CELLS == PAIRS_MAX_CELLS


def _pair_counts(names, stoi) -> np.ndarray:
    """Bigram counts of `names` the slow, obvious way: an independent check of the corpus's own."""
    out = np.zeros((len(stoi), len(stoi)), dtype=np.int64)
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            out[stoi[a], stoi[b]] += 1
    return out


def test_the_held_out_counts_are_the_held_out_names_counted():
    default = load_default_corpus()   # 32,033 names: a realistic split
    names = default.names_in_order()
    training_names, held_names = heldout.split(names)
    assert default.n_held_out == len(held_names) == round(0.1 * len(names))
    assert set(training_names).isdisjoint(held_names) or len(set(names)) < len(names)
    assert np.array_equal(default.held_counts, _pair_counts(held_names, default.stoi))
    assert np.array_equal(default.train_counts, _pair_counts(training_names, default.stoi))


def test_the_split_is_reproducible_by_seed():
    names = [f"n{'a' * (i % 7)}{'b' * (i % 5)}" for i in range(200)]
    assert heldout.split(names, seed=3) == heldout.split(names, seed=3)
    assert heldout.split(names, seed=3) != heldout.split(names, seed=4)
    one = Corpus.from_names(names, "test")
    again = Corpus.from_names(names, "test")
    assert np.array_equal(one.held_counts, again.held_counts) and one.n_held_out == 20


def test_a_large_upload_splits_in_chunks_like_a_small_one():
    names = [chr(97 + i % 26) * (1 + i % 9) + chr(97 + (i * 7) % 26) for i in range(300_000)]
    corpus = Corpus.from_names(names, "test")
    held = held_out_mask(len(names))
    assert np.array_equal(corpus.held_counts, _pair_counts([n for n, h in zip(names, held) if h], corpus.stoi))
