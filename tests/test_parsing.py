"""core.parsing: reading URL parameters and typed observations without ever failing loudly."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import normal
from core import parsing as P
from core.parsing import DataError, Parsed
from core.text import MAX_SHOWN


# ---------------------------------------------------------------- parse_number
@pytest.mark.parametrize("raw", ["", None])
def test_missing_number_gives_default_silently(raw):
    assert P.parse_number(raw, 5.0, 0, 10) == Parsed(5.0, None)


@pytest.mark.parametrize("raw, value", [("3", 3.0), (" 3 ", 3.0), ("\t2.5\n", 2.5), ("1e1", 10.0),
                                        ("0", 0.0), ("10", 10.0), ("-0", 0.0), ("+7.25", 7.25)])
def test_good_numbers(raw, value):
    got = P.parse_number(raw, 5.0, 0, 10)
    assert got.notice is None
    assert got.value == value and type(got.value) is float


@pytest.mark.parametrize("raw, words", [
    ("abc", "is not a number"),
    ("1,5", "is not a number (use a point for decimals)"),
    ("0x10", "is not a number"),
    ("1_000", "is not a number"),          # float() would read 1000
    ("\uff14\uff18", "is not a number"),   # full-width digits: float() would read 48
    ("\u0664\u0668", "is not a number"),   # Arabic-Indic digits: float() would read 48
    ("5\u202e", "is not a number"),
    ("nan", "is not a finite number"),
    ("NaN", "is not a finite number"),
    ("inf", "is not a finite number"),
    ("-Infinity", "is not a finite number"),
    ("1e309", "is not a finite number"),
    ("11", "is outside 0 to 10"),
    ("-0.001", "is outside 0 to 10"),
    ("1e308", "is outside 0 to 10"),
    ("1" * 65, "was too long to be a number"),
])
def test_bad_numbers_give_default_and_notice(raw, words):
    got = P.parse_number(raw, 5.0, 0, 10, name="sigma")
    assert got.value == 5.0
    assert got.notice is not None
    assert words in got.notice
    assert "'sigma" in got.notice and got.notice.endswith("using 5.")


def test_a_range_and_the_value_used_are_written_exactly():
    """Every digit of a limit, no exponent where a visitor would type none (not '2.14748e+09')."""
    got = P.parse_number("-1", 0, 0, 2**31 - 1, integer=True, name="seed")
    assert got.notice == "'seed=-1' is outside 0 to 2147483647; using 0."
    assert P.parse_number("7", 0.5, 0.001, 1e6, name="eta").notice is None
    assert P.parse_number("2e6", 0.5, 0.001, 1e6, name="eta").notice == "'eta=2e6' is outside 0.001 to 1000000; using 0.5."


def test_the_minus_sign_the_pages_print_is_read():
    assert P.parse_number("\u22123", 5.0, -10, 10) == Parsed(-3.0, None)
    assert P.read_number("\u22121e-3") == -0.001


@pytest.mark.parametrize("raw", [
    "[Session expired: log in](https://evil.example/login)",
    "![x](http://127.0.0.1:9/pixel.png)",
    ":red-background[**ACCOUNT LOCKED**]",
    "$\\frac{1}{2}$",
    "<b>bold</b>",
])
def test_a_notice_quotes_the_link_as_plain_text(raw):
    """The parser's words are plain text with the value as given: escaping it is the page's job
    (ui.text.say), and a notice with Markdown of its own would be escaped along with it."""
    got = P.parse_number(raw, 5.0, 0, 10, name="sigmaA")
    assert got.value == 5.0
    assert got.notice.startswith(f"'sigmaA={raw}' ")


def test_a_notice_shows_reordering_characters_as_code_points():
    got = P.parse_number("\u202e1.5", 5.0, 0, 10, name="mu")
    assert "\u202e" not in got.notice and "⟨U+202E⟩1.5" in got.notice


def test_a_long_value_is_quoted_cut_short():
    got = P.parse_number("9" * 5000, 5.0, 0, 10, name="mu")
    assert "was too long to be a number" in got.notice
    assert "9" * MAX_SHOWN + "…" in got.notice and "9" * (MAX_SHOWN + 1) not in got.notice


def test_length_limit_boundary():
    ok = "0" * 63 + "1"
    assert len(ok) == P.MAX_RAW_LENGTH
    assert P.parse_number(ok, 5.0, 0, 10) == Parsed(1.0, None)
    assert P.parse_number(ok + "0", 5.0, 0, 100).notice is not None
    # surrounding spaces do not count toward the limit
    assert P.parse_number("   " + ok + "   ", 5.0, 0, 10) == Parsed(1.0, None)


@pytest.mark.parametrize("raw, value", [("3", 3), ("3.0", 3), ("1e2", 100), (" 42 ", 42)])
def test_integers(raw, value):
    got = P.parse_number(raw, 7, 0, 1000, integer=True)
    assert got == Parsed(value, None) and type(got.value) is int


@pytest.mark.parametrize("raw, words", [("2.5", "must be a whole number"), ("1e-3", "must be a whole number"),
                                        ("1e9", "is outside"), ("-1", "is outside"), ("x", "is not a number")])
def test_bad_integers(raw, words):
    got = P.parse_number(raw, 7, 0, 1000, integer=True, name="n")
    assert got.value == 7 and words in got.notice


@given(st.text(max_size=80))
def test_parse_number_never_raises_and_stays_in_bounds(raw):
    got = P.parse_number(raw, 5.0, -10, 10)
    if got.notice is None:
        assert got.value == 5.0 or (math.isfinite(got.value) and -10 <= got.value <= 10)
    else:
        assert got.value == 5.0


@given(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_back_repr(x):
    assert P.parse_number(repr(x), 0.0, -1e6, 1e6) == Parsed(x, None)


# ---------------------------------------------------------------- parse_flag
@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "True", " yes ", "on", "On"])
def test_flag_true(raw):
    assert P.parse_flag(raw) is True


@pytest.mark.parametrize("raw", [None, "", "0", "false", "no", "off", "abc", "2", "yes please"])
def test_flag_false(raw):
    assert P.parse_flag(raw) is False


# ---------------------------------------------------------------- parse_observations
@pytest.mark.parametrize("text", [
    "1, 2, 3, 4.5, -6",
    "1 2 3 4.5 -6",
    "1\n2\n3\n4.5\n-6\n",
    "1;2;3;4.5;-6",
    "  1,, 2 ;\t3\r\n4.5 , ; -6  ",
    "1e0, 2.0, 3, 45e-1, -6",
])
def test_observation_separators(text):
    assert P.parse_observations(text) == (1.0, 2.0, 3.0, 4.5, -6.0)


@pytest.mark.parametrize("text", ["", "   ", "\n\n", ",;, ;"])
def test_no_observations(text):
    with pytest.raises(DataError, match="at least one"):
        P.parse_observations(text)


def test_non_number_is_named():
    with pytest.raises(DataError) as e:
        P.parse_observations("1, 2, abc, 4")
    assert "Item 3" in str(e.value) and "'abc'" in str(e.value)
    n = P.MAX_ITEM_SHOWN
    with pytest.raises(DataError) as e:
        P.parse_observations("1 " + "y" * (n + 10))
    assert "Item 2" in str(e.value) and "'" + "y" * n + "…'" in str(e.value) and "y" * (n + 1) not in str(e.value)


# A comma between two digits could be a decimal comma, a thousands separator or two numbers:
# refused with the way to write it, never read as some other numbers.
@pytest.mark.parametrize("text, quoted", [
    ("48,8; 49,3; 52,5", "'48,8'"),
    ("1,000 2,500", "'1,000'"),
    ("48.8, 49,3", "'49,3'"),
    ("1,2,3", "'1,2,3'"),
    ("1.000,5", "'1.000,5'"),
])
def test_a_comma_between_digits_is_refused(text, quoted):
    with pytest.raises(DataError) as e:
        P.parse_observations(text)
    said = str(e.value)
    assert quoted in said and "comma between two digits" in said
    assert "point (48.8)" in said and "without a separator (1000)" in said


@pytest.mark.parametrize("text", ["1\u202f000 2\u202f500", "1\u00a0000", "48\u20098"])
def test_a_thin_or_no_break_space_between_digits_is_refused(text):
    with pytest.raises(DataError, match="thin or no-break space between two digits"):
        P.parse_observations(text)


@pytest.mark.parametrize("text, values", [
    ("1, 2, 3", (1.0, 2.0, 3.0)),             # a comma and a space: a list
    ("1,,2", (1.0, 2.0)),
    ("1 ,2", (1.0, 2.0)),
    ("\u221248.8; 49", (-48.8, 49.0)),        # the minus sign the pages print
    ("48.8\u00a0 49", (48.8, 49.0)),         # a no-break space not between two digits separates
])
def test_unambiguous_separators(text, values):
    assert P.parse_observations(text) == values


@pytest.mark.parametrize("token", ["1_000", "\uff14\uff18", "\u0664\u0668", "0x10", "1e", "--1"])
def test_only_ascii_numbers_are_read(token):
    with pytest.raises(DataError, match="Item 2.*is not a number"):
        P.parse_observations(f"1 {token} 3")


def test_a_bad_item_shows_reordering_characters_as_code_points():
    with pytest.raises(DataError) as e:
        P.parse_observations("48.8 \u202e1.5")
    assert "\u202e" not in str(e.value) and "'⟨U+202E⟩1.5'" in str(e.value)


@pytest.mark.parametrize("token", ["1e10", "-1.5e9", "1e400", "nan", "inf", "-inf"])
def test_unusable_numbers(token):
    with pytest.raises(DataError, match="Item 2.*not a usable number"):
        P.parse_observations(f"1, {token}, 3")


def test_size_limit_is_inclusive():
    assert P.parse_observations("1e9 -1e9") == (1e9, -1e9)


def test_too_many_observations():
    assert len(P.parse_observations(" ".join(["1"] * P.MAX_OBSERVATIONS))) == P.MAX_OBSERVATIONS
    with pytest.raises(DataError, match="1,001 numbers"):
        P.parse_observations(" ".join(["1"] * (P.MAX_OBSERVATIONS + 1)))


def test_too_long_text():
    with pytest.raises(DataError, match=f"{P.MAX_DATA_TEXT:,} characters"):
        P.parse_observations("1" + " " * P.MAX_DATA_TEXT)


# ---------------------------------------------------------------- format_observations round trip
in_range = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(in_range, min_size=1, max_size=50))
def test_round_trip_is_exact_for_any_float(xs):
    assert P.parse_observations(P.format_observations(xs)) == tuple(xs)


@pytest.mark.parametrize("values", [
    (48.8, 48.80000000001),          # differ past the 10th significant digit
    (0.0, 1e-300),
    (1e9, 999999999.9999999),
    (0.1 + 0.2, 0.3),
])
def test_values_that_differ_stay_different(values):
    back = P.parse_observations(P.format_observations(values))
    assert back == values and len(set(back)) == len(values)


def test_format_writes_what_was_typed():
    typed = "48.8292, 3, -0.5, 1e-300, 48.80000000001, 1000000000"
    assert P.format_observations(P.parse_observations(typed)) == typed


def test_longest_formatted_values_still_fit():
    worst = [-2.2250738585072014e-308] * P.MAX_OBSERVATIONS  # the longest repr a float can have
    text = P.format_observations(worst)
    assert len(P.shortest(worst[0])) == 24
    assert len(text) <= P.MAX_DATA_TEXT
    assert P.parse_observations(text) == tuple(worst)


def test_format_article_data():
    assert P.format_observations((48.8292, 49.3087, 52.4836)) == "48.8292, 49.3087, 52.4836"


# ---------------------------------------------------------------- "all equal" means equal
@pytest.mark.parametrize("values", [(0.0, 1e-300), (48.8, 48.80000000001), (1e-300, 2e-300), (5e-324, 0.0)])
def test_values_that_differ_have_a_positive_best_sigma(values):
    assert normal.mle(values).sigma > 0


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_best_sigma_is_zero_exactly_when_all_are_equal(xs):
    assert (normal.mle(xs).sigma == 0) == (len(set(xs)) == 1)


def test_best_sigma_is_still_the_root_mean_squared_deviation():
    assert normal.mle((1.0, 3.0)).sigma == 1.0
    assert normal.mle(normal.ARTICLE_DATA).sigma == pytest.approx(float(np.std(normal.ARTICLE_DATA)), rel=1e-15)
