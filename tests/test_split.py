"""The seeded training / validation / test split (core/split.py): makemore's proportions, a seeded
permutation, and the size below which the parts are too small to score."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from core import split
from core.corpus import Corpus


@pytest.mark.parametrize("n", [*range(5, 200), 32_033, 97_310, 1_320_000])
def test_part_sizes_are_makemores(n):
    # makemore: n1 = int(0.8 * len(words)), n2 = int(0.9 * len(words)); the rest is the test part
    n1, n2 = int(0.8 * n), int(0.9 * n)
    assert split.part_sizes(n) == (n1, n2 - n1, n - n2)


@pytest.mark.parametrize("n, sizes", [(0, (0, 0, 0)), (1, (1, 0, 0)), (2, (1, 0, 1)), (3, (2, 0, 1)),
                                      (4, (3, 0, 1)), (10, (8, 1, 1)), (30, (24, 3, 3))])
def test_small_corpora_keep_a_name_for_training(n, sizes):
    assert split.part_sizes(n) == sizes


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 3000), seed=st.integers(0, 2**32 - 1))
def test_the_assignment_is_a_seeded_random_split_of_those_sizes(n, seed):
    part = split.assignment(n, seed)
    assert np.bincount(part, minlength=3).tolist() == list(split.part_sizes(n))
    assert np.array_equal(part, split.assignment(n, seed))
    # the parts are a seeded permutation's first, middle and last names (checked without numpy's help
    # only in its sizes; which names, against the permutation itself)
    order = np.random.default_rng(seed).permutation(n)
    n1, n2, _ = np.cumsum(split.part_sizes(n))
    assert set(order[:n1]) == set(np.flatnonzero(part == 0)) and set(order[n2:]) == set(np.flatnonzero(part == 2))


def test_another_seed_splits_otherwise():
    assert not np.array_equal(split.assignment(1000, 1), split.assignment(1000, 2))


def test_split_names_keeps_each_part_in_corpus_order():
    names = [f"name{i}" for i in range(100)]
    parts = split.split_names(names)
    assert sorted(n for part in parts for n in part) == sorted(names)
    for part in parts:
        assert list(part) == sorted(part, key=names.index)


def test_the_smallest_scorable_corpus():
    n = split.min_scorable_names()
    assert min(split.part_sizes(n)[1:]) >= split.MIN_SCORED_NAMES
    assert all(min(split.part_sizes(m)[1:]) < split.MIN_SCORED_NAMES for m in range(n))
    names = [f"n{'a' * (i % 11)}" for i in range(n)]
    assert Corpus.from_names(names, "t").split.scorable and not Corpus.from_names(names[1:], "t").split.scorable


def test_an_empty_part_is_one_end_marker():
    corpus = Corpus.from_names(["emma", "ava", "zoe"], "test")
    assert corpus.split.sizes == (2, 0, 1)
    empty = corpus.split.validation
    assert empty.n_bigrams == 0 and empty.names(corpus.itos) == () and empty.counts.sum() == 0
