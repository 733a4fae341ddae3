"""An uploaded file of names: the size limit, decoding (with a message for each way it fails),
the clean-ups, and the corpus it makes. Nothing is cached here: ui/cached_builders.py parses
each distinct file once per server and shares the corpus between the tabs that upload it.
"""
from __future__ import annotations

import codecs
import dataclasses
import re
from dataclasses import dataclass

import numpy as np

from core.corpus import END, MAX_NAME_LENGTH, Corpus, CorpusBuilder, CorpusError, as_name
from core.formatting import hex_code, integer, mebibytes
from core.memory import give_back_memory

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

MAX_CONTROL_SHARE = 0.3                # more control characters than this: a binary file
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc, minus \t \n \r
_SPACE = re.compile(r"\s")             # str.isspace's characters
_SAVE_AS_UTF8 = "Save it as UTF-8 (in most editors: Save As, then UTF-8 as the encoding) and upload it again."


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
        text = f"Read {_lines(self.lines)}, kept {integer(self.kept)} name{'' if self.kept == 1 else 's'}."
        drops = [(self.blank, "blank"), (self.inner_whitespace, "with spaces inside the name"),
                 (self.too_long, f"longer than {MAX_NAME_LENGTH} characters"),
                 (self.control_characters, "with control characters")]
        if self.dropped:
            text += f" Dropped {_lines(self.dropped)} (" + ", ".join(f"{integer(n)} {why}" for n, why in drops if n) + ")."
        fixes = [(self.crlf, "Windows line endings"), (self.stripped, "stray spaces stripped"),
                 (self.lowercased, "upper case lowered")]
        if any(n for n, _ in fixes):
            text += " Cleaned up: " + ", ".join(f"{what} on {_lines(n)}" for n, what in fixes if n) + "."
        return text


def _lines(n: int) -> str:
    return f"{integer(n)} line" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class ParsedNames:
    corpus: Corpus
    report: CleanupReport


def size_problem(size: int) -> str | None:
    """The refusal for a file of `size` bytes over the limit, or None if it is within it."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    return (f"The file is {mebibytes(size)} ({integer(size)} bytes); the limit is {MAX_UPLOAD_TEXT} "
            f"({integer(MAX_UPLOAD_BYTES)} bytes). Upload fewer names, or split the file.")


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
    return ParsedNames(dataclasses.replace(parsed.corpus, source=f"{source}: {integer(n)} name{'' if n == 1 else 's'}"),
                       parsed.report)


def _parse(data: bytes) -> ParsedNames:
    text = decode(data)
    crlf = text.count("\r\n")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    builder = CorpusBuilder()
    report = _read_clean(text, builder) or _read_line_by_line(text, builder)
    del text
    return ParsedNames(builder.build("an uploaded file"), dataclasses.replace(report, crlf=crlf))


# The ASCII characters a line may hold and still need no more than lower-casing: no whitespace
# other than the line break (stray or inner spaces, tabs), no control character, no '.'.
_CLEAN_ASCII = bytes(c for c in range(0x21, 0x7f) if chr(c) != END) + b"\n"
_UPPER_TO_LINE_END = re.compile(r"[A-Z][^\n]*")     # one match per line that has upper case


def _read_clean(text: str, builder: CorpusBuilder) -> CleanupReport | None:
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


def _read_line_by_line(text: str, builder: CorpusBuilder) -> CleanupReport:
    counts = dict.fromkeys(("blank", "inner_whitespace", "too_long", "control_characters", "stripped", "lowercased"), 0)
    number = start = 0
    while start < len(text):   # line by line, without a list of every line
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line, start = text[start:end], end + 1
        number += 1
        name = line.strip()
        if END in name:
            raise CorpusError(f"Line {integer(number)} contains '{END}', which marks the start and end of names; "
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
        return f"Line {integer(line)} is not UTF-8 text (byte 0x{hex_code(byte)} cannot start a character there). {_SAVE_AS_UTF8}"
    return (f"Line {integer(line)} is not UTF-8 text: its byte 0x{hex_code(byte)} is “{bytes([byte]).decode('cp1252')}” "
            f"in Windows-1252 (Latin-1), the encoding this file seems to be saved in. {_SAVE_AS_UTF8}")
