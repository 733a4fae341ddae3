"""A names corpus, held compactly: the names a bigram model learns from.

Every corpus shares one vocabulary rule: '.' (the start / end token) first, then the sorted
characters that occur in the names, so lower-case a-z gives 27 symbols.

A Corpus holds what the pages need and no more: its V x V bigram counts, its vocabulary, the
first few names, how many names and bigrams it has, a fingerprint, to tell whether a sampled name
is one of its names a sorted array of the names' hashes (8 bytes a name), and its names split
into training, validation and test parts (core/split.py), as one byte per symbol.
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

from core.split import PARTS, SPLIT_SEED, Part, Split, assignment
from core.text import normalised

END = "."                              # marks both the start and the end of a name
MAX_NAME_LENGTH = 50                   # longer lines are prose or junk, not names
MAX_VOCABULARY = 100                   # including '.': keeps the V x V model and its heatmap small
# The article's literal loop runs on a corpus only up to this size: it one-hot encodes every
# bigram, (bigrams x V) float32 cells (core.training.literal_fits, core.bigram.bigram_pairs).
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
    # ".name.name." as uint8 indices, the names grouped by part (training, validation, test), each
    # part in corpus order; split's parts are slices of it (core/split.py).
    codes: np.ndarray = field(repr=False)
    split: Split = field(repr=False)

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
        arrays = (self.counts.nbytes + sum(p.counts.nbytes for p in self.split.parts) + self.name_hashes.nbytes
                  + self.codes.nbytes)
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

    def names(self) -> tuple[str, ...]:
        """Every name, decoded (for tests and small corpora): the training names, then the
        validation and test names, each part in corpus order."""
        return tuple(name for part in self.split.parts for name in part.names(self.itos))


class CorpusBuilder:
    """Collects names compactly (joined into strings of a few thousand names), then makes the
    Corpus: the vocabulary, the text as one byte per symbol, the counts, the hashes, the fingerprint,
    the split."""

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
        digest = hashlib.sha256(codes)     # of the names in corpus order
        digest.update(b"\x00" + "\x1f".join(itos).encode())
        hashes = _sorted_distinct(_hash_names(codes))
        codes, split = _split(codes, len(itos), assignment(self.n_names, SPLIT_SEED), SPLIT_SEED)
        return Corpus(itos, source, self.n_names, n_bigrams, examples, digest.hexdigest(),
                      sum(p.counts for p in split.parts), hashes, codes, split)


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


def _split(codes: np.ndarray, v: int, part_of_name: np.ndarray, seed: int) -> tuple[np.ndarray, Split]:
    """`codes` (".name.name." in corpus order) with its names grouped by part (part_of_name: 0, 1
    or 2 for each name), and the Split whose parts are slices of it, each with its counts. Two
    passes over `codes` in chunks (little memory besides the new text): count, then copy."""
    n_parts = len(PARTS)
    counts = np.zeros(n_parts * v * v, dtype=np.int64)
    lengths = np.zeros(n_parts, dtype=np.int64)   # a part's names and the '.' before each
    for part, labels in _labelled(codes, part_of_name):
        pair = part[:-1].astype(np.int32) * v + part[1:]
        counts += np.bincount(labels.astype(np.int32) * (v * v) + pair, minlength=n_parts * v * v)
        lengths += np.bincount(labels, minlength=n_parts)
    grouped = np.zeros(len(codes), dtype=np.uint8)   # its last '.' stays 0
    at = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    for part, labels in _labelled(codes, part_of_name):
        for p in range(n_parts):
            picked = part[:-1][labels == p]
            grouped[at[p]:at[p] + len(picked)] = picked
            at[p] += len(picked)
    start = np.concatenate(([0], np.cumsum(lengths)))
    sizes = np.bincount(part_of_name, minlength=n_parts)
    parts = [Part(PARTS[p], int(sizes[p]), grouped[start[p]:start[p + 1] + 1], counts.reshape(n_parts, v, v)[p])
             for p in range(n_parts)]
    return grouped, Split(seed, *parts)


def _labelled(codes: np.ndarray, part_of_name: np.ndarray):
    """`codes` in overlapping chunks (each one symbol longer than its step, for the last pair),
    with the part of the name each symbol but the chunk's last belongs to (a name's '.' before it
    included)."""
    step = 1 << 16                                # symbols at a time: well under a MB of temporaries
    names_before = -1                             # the '.' at a symbol starts name + 1
    for start in range(0, len(codes) - 1, step):
        part = codes[start:start + step + 1]
        starts = np.cumsum(part[:-1] == 0, dtype=np.int64)
        yield part, part_of_name[names_before + starts]
        names_before += int(starts[-1])
