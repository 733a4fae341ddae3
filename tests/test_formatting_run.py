"""The figures of a run (core.formatting.sig, about_count, seconds): one way to write a small number."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.formatting import about_count, seconds, sig


@pytest.mark.parametrize("x, digits, shown", [
    (0.0123456, 3, "0.0123"), (45.678, 3, "45.7"), (5.5, 4, "5.5"), (0.99999, 3, "1"), (999.99, 3, "1,000"),
    (7.003e-7, 4, "7.003 × 10⁻⁷"), (6.7e18, 2, "6.7 × 10¹⁸"), (-2.5e-5, 2, "-2.5 × 10⁻⁵"), (-0.0, 3, "0"),
    (math.inf, 3, "∞"), (math.nan, 3, "not a number"),
])
def test_sig(x, digits, shown):
    assert sig(x, digits) == shown


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e30, 1e30, allow_nan=False, allow_infinity=False), st.integers(2, 6))
def test_sig_reads_back_to_the_number_and_never_in_e_notation(x, digits):
    text = sig(x, digits)
    assert "e" not in text and "E" not in text
    if "×" in text:
        mantissa, power = text.split(" × 10")
        value = float(mantissa) * 10 ** int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    else:
        value = float(text.replace(",", ""))
    assert value == pytest.approx(x, rel=10 ** (1 - digits), abs=1e-300)


def test_about_count_and_seconds():
    assert (about_count(123), about_count(12_345), about_count(2.5e6), about_count(math.inf)) == \
        ("120", "12,000", "2.5 × 10⁶", "endlessly many")
    assert (seconds(1.234), seconds(0.0123)) == ("1.23 s", "12.3 ms")
