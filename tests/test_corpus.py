"""A names corpus held compactly (core/corpus.py): its vocabulary, fingerprint, membership test
and split, each checked against a slow, obvious recount."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from core import training
from core.corpus import PAIRS_MAX_CELLS, Corpus
from core.split import part_sizes, split_names


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


def _assert_split_as_listed(corpus: Corpus, names) -> None:
    """Each part of the corpus's split holds the names split_names gives, as text and as counts,
    and the parts are consecutive slices of the corpus's one text."""
    expected = split_names(names)
    assert corpus.split.sizes == tuple(len(part) for part in expected) == part_sizes(len(names))
    at = 0
    for part, listed in zip(corpus.split.parts, expected):
        assert part.names(corpus.itos) == listed
        assert np.array_equal(part.counts, _pair_counts(listed, corpus.stoi))
        assert part.n_bigrams == sum(len(n) + 1 for n in listed)
        assert np.shares_memory(part.text, corpus.codes) and part.text[0] == part.text[-1] == 0
        assert np.array_equal(part.text, corpus.codes[at:at + part.n_bigrams + 1])
        at += part.n_bigrams
    assert at == corpus.n_bigrams
    assert np.array_equal(corpus.counts, _pair_counts(names, corpus.stoi))


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(alphabet="abcé-", min_size=1, max_size=8), min_size=1, max_size=60))
def test_every_corpus_keeps_its_split_as_text_and_counts(names):
    _assert_split_as_listed(Corpus.from_names(names, "test"), names)


def test_a_large_upload_splits_in_chunks_like_a_small_one():
    names = [chr(97 + i % 26) * (1 + i % 9) + chr(97 + (i * 7) % 26) for i in range(300_000)]
    _assert_split_as_listed(Corpus.from_names(names, "test"), names)


def test_the_split_depends_on_the_names_not_on_their_source():
    names = [f"n{'a' * (i % 7)}{'b' * (i % 5)}" for i in range(200)]
    one, again = Corpus.from_names(names, "one"), Corpus.from_names(names, "another")
    assert np.array_equal(one.codes, again.codes) and one.split.sizes == (160, 20, 20)
