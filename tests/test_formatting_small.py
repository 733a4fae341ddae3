"""core/formatting.py, the additions for chapters 1-3: one way to write a small number, "= ≈" never,
and a TeX mantissa that never reads 10.0000."""
from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, strategies as st

from core import formatting as F
from pagetest import figure_value


def test_equals_never_writes_equals_about():
    assert F.equals("0.25") == "= 0.25" and F.equals("≈ 1.234 × 10⁻⁹") == "≈ 1.234 × 10⁻⁹"


@pytest.mark.parametrize("x, digits, text", [
    (9.679e-5, 4, "9.679 × 10⁻⁵"), (0.0967883, 4, "0.09679"), (0.00099996, 4, "0.001000"), (0.5, 4, "0.5000"),
    (12345.6, 4, "12,346"), (2.5e-7, 6, "2.50000 × 10⁻⁷"), (0.241970724, 6, "0.241971"), (0.0, 4, "0"),
])
def test_small_keeps_its_digits_and_writes_tiny_numbers_with_a_power_of_ten(x, digits, text):
    assert F.small(x, digits) == text


@given(st.floats(1e-300, 1e5), st.integers(2, 8))
def test_small_shows_the_value_round_sig_gives(x, digits):
    text = F.small(x, digits)
    assert "e" not in text
    m = re.fullmatch(r"([\d,.]+)(?: × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", text)
    assert m, text
    value = figure_value(text)
    if F.round_sig(x, digits) >= 10 ** (digits - 1):   # a whole number is written whole: 101 at 2 digits
        assert value == round(x) and "." not in m.group(1)
    else:
        assert value == pytest.approx(F.round_sig(x, digits), rel=1e-12)
        assert len(m.group(1).replace(",", "").replace(".", "").lstrip("0")) == digits   # trailing zeros kept


def test_round_sig():
    assert F.round_sig(0.0967883456, 6) == 0.0967883 and F.round_sig(123456, 2) == 120000
    assert F.round_sig(0.0, 3) == 0.0 and math.isinf(F.round_sig(math.inf, 3))


def test_small_tex():
    assert F.small_tex(9.679e-5) == r"9.679 \times 10^{-5}" and F.small_tex(0.5) == "0.5000"
    assert F.small_tex(12345.6) == "12{,}346"


@pytest.mark.parametrize("value, tex", [
    (9.99999e9, r"1.0000 \times 10^{10}"),        # once 10.0000 \times 10^{9}
    (-3e-9, r"-3.0000 \times 10^{-9}"),
    (9.999996e-7, r"1.0000 \times 10^{-6}"),
])
def test_value_tex_never_writes_a_mantissa_of_ten(value, tex):
    assert F.value_tex(value) == tex
