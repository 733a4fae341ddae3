"""core.params: reading URL parameters and typed observations without ever failing loudly."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import params as P
from core.params import DataError, Parsed


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
    ("1,5", "is not a number"),
    ("0x10", "is not a number"),
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
    assert "'sigma" in got.notice and "using 5.0" in got.notice


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


# ---------------------------------------------------------------- parse_choice / parse_flag
def test_parse_choice():
    choices = ("mu", "sigma")
    assert P.parse_choice(None, "mu", choices) == Parsed("mu", None)
    assert P.parse_choice("", "mu", choices) == Parsed("mu", None)
    assert P.parse_choice("sigma", "mu", choices) == Parsed("sigma", None)
    bad = P.parse_choice("Sigma", "mu", choices, name="vary")
    assert bad.value == "mu"
    assert "'vary=Sigma'" in bad.notice and "mu, sigma" in bad.notice and "using mu" in bad.notice


def test_parse_choice_truncates_long_raw():
    raw = "x" * 500
    got = P.parse_choice(raw, "a", ("a", "b"))
    assert got.value == "a"
    assert "x" * 64 + "…" in got.notice and "x" * 65 not in got.notice
    assert len(got.notice) < 150


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
    with pytest.raises(DataError) as e:
        P.parse_observations("1 " + "y" * 30)
    assert "Item 2" in str(e.value) and "'" + "y" * 20 + "…'" in str(e.value) and "y" * 21 not in str(e.value)


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
    with pytest.raises(DataError, match="20,000 characters"):
        P.parse_observations("1" + " " * P.MAX_DATA_TEXT)


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


# ---------------------------------------------------------------- format_observations round trip
in_range = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(in_range, min_size=1, max_size=50))
def test_round_trip_is_exact_for_ten_significant_digits(xs):
    typed = [float(f"{x:.10g}") for x in xs]  # what a person could type: up to 10 significant digits
    assert P.parse_observations(P.format_observations(typed)) == tuple(typed)


@given(st.lists(in_range, min_size=1, max_size=50))
def test_round_trip_of_any_float_is_close(xs):
    back = P.parse_observations(P.format_observations(xs))
    assert len(back) == len(xs)
    for x, y in zip(xs, back):
        assert y == pytest.approx(x, rel=5e-10, abs=0.0)


def test_longest_formatted_values_still_fit():
    worst = [-1.234567891e-100] * P.MAX_OBSERVATIONS
    text = P.format_observations(worst)
    assert len(text) <= P.MAX_DATA_TEXT
    assert P.parse_observations(text) == tuple(worst)


def test_format_article_data():
    assert P.format_observations((48.8292, 49.3087, 52.4836)) == "48.8292, 49.3087, 52.4836"
