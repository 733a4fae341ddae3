"""A corpus's names split once, at random, into training, validation and test parts.

makemore's proportions (80 / 10 / 10, the part sizes rounded down as makemore does), with a
seeded permutation of the names. Every model is fitted to the training part; a setting (add-k's
k, the penalty λ, a context length) is chosen on the validation part; the model chosen is scored
once on the test part, which played no part in any choice. The bigram page uses it, and so can
any chapter that ranks models on the same names.

A part keeps its names as text, one byte per symbol (".emma.ava." as vocabulary indices, '.' = 0,
in corpus order) and their V x V bigram counts. The three texts are consecutive slices of one
array (core.corpus.Corpus.codes): the '.' between two parts ends the last name of one and starts
the first of the next, so the split costs no copy of the names.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

PARTS = ("training", "validation", "test")
SPLIT_SEED = 42
MIN_SCORED_NAMES = 10   # a validation or test part with fewer names makes a choice or a score by chance


def part_sizes(n_names: int) -> tuple[int, int, int]:
    """(training, validation, test) names out of n_names: makemore's int(0.8 n) and int(0.9 n)
    boundaries, except that a corpus of at least one name keeps one for training."""
    n1 = max(min(1, n_names), 8 * n_names // 10)
    n2 = max(n1, 9 * n_names // 10)
    return n1, n2 - n1, n_names - n2


def assignment(n_names: int, seed: int = SPLIT_SEED) -> np.ndarray:
    """The part of each name (0 training, 1 validation, 2 test): the first part_sizes(n)[0] names
    of a seeded random permutation train, the next validate, the rest test."""
    n1, n2, _ = np.cumsum(part_sizes(n_names))
    part = np.empty(n_names, dtype=np.uint8)
    order = np.random.default_rng(seed).permutation(n_names)
    part[order[:n1]], part[order[n1:n2]], part[order[n2:]] = 0, 1, 2
    return part


def split_names(names: Sequence[str], seed: int = SPLIT_SEED) -> tuple[tuple[str, ...], ...]:
    """(training, validation, test) names, each in corpus order: what a Corpus's split holds, for
    a list of names (the tests' reference, and a reader's)."""
    part = assignment(len(names), seed)
    return tuple(tuple(name for name, p in zip(names, part) if p == i) for i in range(len(PARTS)))


@dataclass(frozen=True, eq=False)
class Part:
    name: str                                 # "training", "validation" or "test"
    n_names: int
    text: np.ndarray = field(repr=False)      # ".name.name." as uint8 vocabulary indices ('.' = 0)
    counts: np.ndarray = field(repr=False)    # V x V int64: how often symbol j follows symbol i here

    @property
    def n_bigrams(self) -> int:
        return len(self.text) - 1

    def names(self, itos: Sequence[str]) -> tuple[str, ...]:
        """The part's names, in corpus order (decoded: for tests and small parts)."""
        if not self.n_names:
            return ()
        text = bytes(self.text).decode("latin-1").translate(dict(enumerate(itos)))
        return tuple(text[1:-1].split(itos[0]))


@dataclass(frozen=True, eq=False)
class Split:
    seed: int
    training: Part
    validation: Part
    test: Part

    @property
    def parts(self) -> tuple[Part, Part, Part]:
        return self.training, self.validation, self.test

    @property
    def sizes(self) -> tuple[int, int, int]:
        return tuple(p.n_names for p in self.parts)

    @property
    def scorable(self) -> bool:
        """Whether the validation and test parts are large enough (MIN_SCORED_NAMES names each)
        for a choice made on one and a score read on the other to say something about the model."""
        return min(self.validation.n_names, self.test.n_names) >= MIN_SCORED_NAMES


def min_scorable_names() -> int:
    """The smallest corpus whose split is scorable."""
    n = MIN_SCORED_NAMES
    while min(part_sizes(n)[1:]) < MIN_SCORED_NAMES:
        n += 1
    return n
