"""core.formatting's settings and whole numbers in a sentence (setting, integer)."""
from __future__ import annotations

import math

from hypothesis import given, strategies as st

from core.formatting import integer, setting


def test_settings_read_as_written_on_the_page():
    assert [setting(x) for x in (0, 0.001, 0.0316228, 0.4641589, 100, 1.0, 0.01)] == \
        ["0", "0.001", "0.0316", "0.464", "100", "1", "0.01"]
    assert setting(1e6) == "1 × 10⁶" and setting(3.16e-7) == "3.16 × 10⁻⁷" and setting(-0.0) == "0"


@given(st.floats(1e-12, 1e12))
def test_a_setting_is_its_value_to_three_significant_digits(x):
    text = setting(x)
    assert "e" not in text
    mantissa, _, power = text.partition(" × 10")
    exponent = int(power.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))) if power else 0
    assert math.isclose(float(mantissa) * 10.0**exponent, x, rel_tol=5e-3)


def test_integers_group_thousands():
    assert integer(32033) == "32,033" and integer(7) == "7" and integer(1_320_000) == "1,320,000"
