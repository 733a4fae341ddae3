"""An uploaded file of names (core/names_file.py): each refusal and its message, each clean-up
and its count in the summary, and the memory a large file costs to parse."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from core import split
from core.corpus import MAX_NAME_LENGTH, MAX_VOCABULARY, Corpus, CorpusError
from core.names_file import MAX_UPLOAD_BYTES, parse_names
from made_up_names import names_file


def _names(corpus: Corpus) -> tuple[str, ...]:
    """A small corpus's names in file order: its first ten (examples), which must be the names
    its text holds (grouped by part, so in another order)."""
    assert corpus.n_names <= 10 and sorted(corpus.names()) == sorted(corpus.examples)
    return corpus.examples


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


def test_cleanups_are_counted():
    data = b"Emma\r\n  olivia  \r\n\r\n\r\nAVA\r\nmary ann\r\nzoe"
    parsed = parse_names(data)
    r = parsed.report
    assert _names(parsed.corpus) == ("emma", "olivia", "ava", "zoe")
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
    assert _names(parsed.corpus) == ("emma", "ava")


def test_decomposed_accents_become_one_character():
    parsed = parse_names("zoe\u0308\nzo\u00eb\n".encode())
    assert _names(parsed.corpus) == ("zo\u00eb", "zo\u00eb")


def test_very_long_name_is_dropped():
    parsed = parse_names(b"emma\n" + b"a" * 5000 + b"\n" + b"b" * MAX_NAME_LENGTH + b"\n")
    assert _names(parsed.corpus) == ("emma", "b" * MAX_NAME_LENGTH)
    assert parsed.report.too_long == 1


def test_control_characters_drop_the_line():
    parsed = parse_names(b"emma\nav\x07a\n")
    assert _names(parsed.corpus) == ("emma",)
    assert parsed.report.control_characters == 1


def test_emoji_join_the_vocabulary():
    parsed = parse_names("🙂🙂\nemma🙂\n".encode())
    assert _names(parsed.corpus) == ("🙂🙂", "emma🙂")
    assert "🙂" in parsed.corpus.stoi
    assert parsed.corpus.n_bigrams == 3 + 6


def test_right_to_left_names():
    names = ["مريم", "יעל"]
    parsed = parse_names("\n".join(names).encode())
    assert _names(parsed.corpus) == tuple(names)
    assert set(parsed.corpus.itos) == {".", *"".join(names)}


def test_markup_is_just_characters():
    parsed = parse_names(b"<script>alert(1)</script>\nemma\n")
    assert _names(parsed.corpus)[0] == "<script>alert(1)</script>"
    assert {"<", ">", "/", "(", ")", "1"} <= set(parsed.corpus.itos)


def test_a_corpus_of_one_name_keeps_it_for_training():
    corpus = parse_names(b"emma\n").corpus
    assert corpus.split.sizes == (1, 0, 0) and not corpus.split.scorable
    assert np.array_equal(corpus.split.training.counts, corpus.counts)
    assert corpus.source.endswith(": 1 name")


def _parsed_with_peak(data: bytes):
    """parse_names(data), and the most memory Python held while it ran."""
    tracemalloc.start()
    try:
        return parse_names(data), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_upload_keeps_its_counts_hashes_and_text_only():
    data = names_file(5_138_022)
    parsed, peak = _parsed_with_peak(data)
    corpus = parsed.corpus
    assert corpus.n_names == data.count(b"\n")
    # 8 bytes of hash a name, and the names' text (one byte a symbol, as many as the file's bytes)
    assert corpus.nbytes <= 8 * corpus.n_names + len(data) + 100_000
    assert peak < 8 * len(data), f"parsing took {peak / 1e6:.0f} MB at its peak"
    assert corpus.split.sizes == split.part_sizes(corpus.n_names)


def test_a_messy_file_is_read_line_by_line_with_little_memory():
    data = names_file(500_000).replace(b"\n", b" \r\n")    # every line needs cleaning
    parsed, peak = _parsed_with_peak(data)
    assert parsed.report.stripped == parsed.report.kept == data.count(b"\n")
    assert peak < 10 * len(data), f"parsing took {peak / 1e6:.1f} MB at its peak"
