"""A names corpus, held as counts: the names a bigram model learns from.

Every corpus shares one vocabulary rule: '.' (the start / end token) first, then the sorted
characters that occur in the names, so lower-case a-z gives 27 symbols.

A Corpus holds what the pages need and no more: its V x V bigram counts, its vocabulary, the
first few names, how many names and bigrams it has, a fingerprint, and, to tell whether a sampled
name is one of its names, a sorted array of the names' hashes (8 bytes a name). Only a corpus
small enough for the article's literal loop also keeps its whole text, as one byte per symbol.
No corpus keeps its names as Python strings: 4.9 MiB of short names are 685,000 of them, 60 MB
with their set (measured with tracemalloc), in every session that uploads them.

Where the names come from is elsewhere: US baby names by default (core/baby_names.py), or an
uploaded file (core/names_file.py). Both build their corpus with a CorpusBuilder. Nothing is
cached here: the pages reach corpora through ui/cached_builders.py.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from core.text import normalised

END = "."                              # marks both the start and the end of a name
MAX_NAME_LENGTH = 50                   # longer lines are prose or junk, not names
MAX_VOCABULARY = 100                   # including '.': keeps the V x V model and its heatmap small
# A corpus keeps its text (one byte per symbol) only if the article's literal loop may run on it:
# that loop one-hot encodes every bigram, (bigrams x V) float32 cells (core.training.literal_fits).
PAIRS_MAX_CELLS = 10_000_000


class CorpusError(ValueError):
    """A corpus could not be built; the message is meant for the person who supplied it."""


def as_name(text: str) -> str:
    """A visitor's name as every corpus holds names: stripped, lower case, Unicode NFC.
    Uploaded names and the name typed into the score box both go through this one function."""
    return normalised(str(text).strip().lower())


@dataclass(frozen=True, eq=False)
class Corpus:
    itos: tuple[str, ...]       # index -> symbol; itos[0] == END
    source: str                 # a sentence saying where the names come from
    n_names: int
    n_bigrams: int              # '.' before and after each name included
    examples: tuple[str, ...]   # the first ten names
    fingerprint: str            # same names in the same order and same vocabulary <=> same hash
    counts: np.ndarray = field(repr=False)        # V x V int64: counts[i, j] = how often itos[j] follows itos[i]
    name_hashes: np.ndarray = field(repr=False)   # sorted, distinct 64-bit hashes of the names
    codes: np.ndarray | None = field(repr=False)  # ".name.name." as uint8 indices, or None when too large
    # The seeded training / held-out split (held_out_mask), counted once when the corpus is made:
    # train_counts + held_counts == counts. A corpus of one name has no held-out side (all zeros).
    train_counts: np.ndarray = field(repr=False, default=None)
    held_counts: np.ndarray = field(repr=False, default=None)
    n_held_out: int = 0                           # names held out

    @classmethod
    def from_names(cls, names: Iterable[str], source: str) -> Corpus:
        builder = CorpusBuilder()
        for name in names:
            if "\n" in name:
                raise CorpusError("A name may not contain a line break.")
            builder.add(name)
        return builder.build(source)

    @cached_property
    def stoi(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.itos)}

    @property
    def vocab_size(self) -> int:
        return len(self.itos)

    @property
    def nbytes(self) -> int:
        """The memory the corpus holds, roughly: its arrays and a little for the rest."""
        arrays = (self.counts.nbytes + self.train_counts.nbytes + self.held_counts.nbytes + self.name_hashes.nbytes
                  + (0 if self.codes is None else self.codes.nbytes))
        return arrays + 2_000 + sum(len(s) for s in (*self.itos, *self.examples, self.source))

    def contains(self, name: str) -> bool:
        """Whether `name` is one of the corpus's names (exact up to a 64-bit hash collision: with a
        million names, odds of about one in thirty million that any two names share a hash)."""
        return bool(self.contains_each([name])[0])

    def contains_each(self, names: Iterable[str]) -> np.ndarray:
        """For each of `names`, whether it is one of the corpus's names."""
        names = list(names)
        spelled = [bool(n) and set(n) <= self.stoi.keys() - {END} for n in names]
        found = np.zeros(len(names), dtype=bool)
        if any(spelled):   # hashed exactly as the corpus's own names were
            codes = np.frombuffer(b"\x00" + _encode("\n".join(n for n, ok in zip(names, spelled) if ok), self.itos)
                                  + b"\x00", dtype=np.uint8)
            wanted = _hash_names(codes)
            at = np.searchsorted(self.name_hashes, wanted).clip(max=len(self.name_hashes) - 1)
            found[np.flatnonzero(spelled)] = self.name_hashes[at] == wanted
        return found

    def names_in_order(self) -> tuple[str, ...]:
        """Every name, in corpus order, decoded from the kept text (for tests and small corpora)."""
        if self.codes is None:
            raise ValueError("This corpus is too large to keep its names; only their counts are kept.")
        text = bytes(self.codes).decode("latin-1").translate(dict(enumerate(self.itos)))
        return tuple(text[1:-1].split(END))


class CorpusBuilder:
    """Collects names compactly (joined into strings of a few thousand names), then makes the
    Corpus: the vocabulary, the text as one byte per symbol, the counts, the hashes, the fingerprint."""

    _CHUNK = 4096   # names joined into one string at a time

    def __init__(self):
        self._chunks: list[str] = []     # names joined by "\n"
        self._pending: list[str] = []
        self.n_names = 0

    def __len__(self) -> int:
        return self.n_names

    def add(self, name: str) -> None:
        if not name:
            raise CorpusError("A name may not be empty.")
        self._pending.append(name)
        self.n_names += 1
        if len(self._pending) == self._CHUNK:
            self._flush()

    def add_joined(self, names: str) -> None:
        """Many names at once: `names` joined by "\n", none of them empty (a final "\n" is allowed)."""
        self._flush()
        self._chunks.append(names)
        self.n_names += names.count("\n") + (not names.endswith("\n"))

    def _flush(self) -> None:
        if self._pending:
            self._chunks.append("\n".join(self._pending))
            self._pending = []

    def build(self, source: str) -> Corpus:
        self._flush()
        if not self.n_names:
            raise CorpusError("A corpus needs at least one name.")
        chars: set[str] = set()
        for chunk in self._chunks:
            chars |= _characters(chunk)
        chars.discard("\n")
        if END in chars:
            raise CorpusError(f"Names may not contain '{END}': it marks the start and end of a name.")
        if len(chars) + 1 > MAX_VOCABULARY:
            raise CorpusError(
                f"The names use {len(chars)} different characters; at most {MAX_VOCABULARY - 1} are "
                "allowed so that the model and its chart stay readable.")
        itos = (END, *sorted(chars))
        examples = tuple(self._chunks[0].split("\n", 10)[:10])
        examples = examples[:min(10, self.n_names)]    # not the '' after a final "\n"
        # ".name.name.": each chunk's names and a '.' after each, and one '.' at the very start
        codes = np.zeros(1 + sum(len(c) + (not c.endswith("\n")) for c in self._chunks), dtype=np.uint8)
        at = 1
        chunks, self._chunks = self._chunks, []
        while chunks:                 # each chunk freed as soon as it is encoded
            chunk = chunks.pop(0)
            for start in range(0, len(chunk), 1 << 20):   # a MiB at a time: small temporaries
                piece = _encode(chunk[start:start + (1 << 20)], itos)
                codes[at:at + len(piece)] = np.frombuffer(piece, dtype=np.uint8)
                at += len(piece)
            at += not chunk.endswith("\n")               # the '.' after the last name: already 0
        assert at == len(codes)
        n_bigrams = len(codes) - 1
        digest = hashlib.sha256(codes)
        digest.update(b"\x00" + "\x1f".join(itos).encode())
        keep = n_bigrams * len(itos) <= PAIRS_MAX_CELLS
        held = held_out_mask(self.n_names)
        counts, held_counts = _count_pairs(codes, len(itos), held)
        return Corpus(itos, source, self.n_names, n_bigrams, examples, digest.hexdigest(),
                      counts, _sorted_distinct(_hash_names(codes)), codes if keep else None,
                      counts - held_counts, held_counts, int(held.sum()))


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """np.unique(values), faster for large arrays (numpy 2's hash-based unique is slow here)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _characters(text: str) -> set[str]:
    """The distinct characters of `text` (for ASCII text ten times faster than set(text): the
    ASCII characters left after deleting every byte of the text are the absent ones)."""
    if not text.isascii():
        return set(text)
    return set(map(chr, _ASCII)) - set(_ASCII.translate(None, text.encode("ascii")).decode("ascii"))


_ASCII = bytes(range(128))


def _encode(names: str, itos: tuple[str, ...]) -> bytes:
    """`names` (joined by "\n") as one byte per symbol: its index in itos, "\n" as 0 ('.')."""
    table = {ord(c): i for i, c in enumerate(itos)} | {ord("\n"): 0}
    return names.translate(table).encode("latin-1")   # indices < MAX_VOCABULARY: one byte each


_HASH_BASE = np.uint64(0x100000001B3)


def _hash_names(codes: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each name in `codes` (".name.name." as indices, '.' = 0), in order, computed
    in chunks of names without a Python object per name: the polynomial sum of its symbols times
    powers of an odd base, modulo 2**64, then mixed with its length (splitmix64's finaliser)."""
    bounds = np.flatnonzero(codes == 0)           # the '.' before each name, and after the last
    out = np.empty(len(bounds) - 1, dtype=np.uint64)
    step = 1 << 13                                # names at a time: a few MB of temporaries
    with np.errstate(over="ignore"):
        for first in range(0, len(out), step):
            last = min(first + step, len(out))
            at = bounds[first:last + 1] - bounds[first]
            part = codes[bounds[first]:bounds[last]].astype(np.uint64)
            lengths = np.diff(at)                    # each name and the '.' before it
            position = np.arange(len(part)) - np.repeat(at[:-1], lengths)  # 0 at the '.'
            powers = np.ones(int(lengths.max()), dtype=np.uint64)        # base ** position
            powers[1:] = np.cumprod(np.full(len(powers) - 1, _HASH_BASE, dtype=np.uint64))
            h = np.add.reduceat(part * powers[position], at[:-1])
            h ^= (lengths - 1).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(30)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(27)
            h *= np.uint64(0x94D049BB133111EB)
            h ^= h >> np.uint64(31)
            out[first:last] = h
    return out


HELD_OUT_SHARE = 0.1   # about 90 / 10
SPLIT_SEED = 42


def held_out_mask(n: int, share: float = HELD_OUT_SHARE, seed: int = SPLIT_SEED) -> np.ndarray:
    """Which of n names are held out: a seeded random `share` of them; with two or more names,
    each side gets at least one, and one name alone stays on the training side."""
    held = np.zeros(n, dtype=bool)
    if n >= 2:
        n_held = min(max(1, round(share * n)), n - 1)
        held[np.random.default_rng(seed).choice(n, size=n_held, replace=False)] = True
    return held


def _count_pairs(codes: np.ndarray, v: int, held: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(counts, held_counts): counts[i, j] = how often symbol j follows symbol i in `codes`, and the
    same over the names marked in `held` alone; in chunks (little memory)."""
    counts = np.zeros(v * v, dtype=np.int64)
    held_counts = np.zeros(v * v, dtype=np.int64)
    step = 1 << 16                                # symbols at a time: well under a MB of temporaries
    names_before = -1                             # the '.' at a pair's first symbol starts name +1
    for start in range(0, len(codes) - 1, step):
        part = codes[start:start + step + 1]
        pair = part[:-1].astype(np.int32) * v + part[1:]
        counts += np.bincount(pair, minlength=v * v)
        starts = np.cumsum(part[:-1] == 0, dtype=np.int32)
        if held is not None and held.any():
            name = names_before + starts          # the name each pair belongs to
            held_counts += np.bincount(pair[held[name]], minlength=v * v)
        names_before += int(starts[-1])
    return counts.reshape(v, v), held_counts.reshape(v, v)
