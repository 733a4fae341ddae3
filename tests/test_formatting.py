"""core.formatting: numbers as the pages write them, in words, as text and in TeX."""
import math
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings, strategies as st

from core import formatting, normal as N

DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)   # the article's five observations
finite = dict(allow_nan=False, allow_infinity=False)


def pdf(x: float, mu: float, sigma: float) -> float:
    """The normal density written out by hand."""
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2.0 * math.pi))


def test_scientific_numbers_become_powers_of_ten():
    assert formatting.value_tex(7.002974767473654e-07) == r"7.0030 \times 10^{-7}"
    assert formatting.value_tex(2.6068034674307683e-08) == r"2.6068 \times 10^{-8}"
    assert formatting.value_tex(0.3413) == "0.3413"
    assert formatting.value_tex(0.0) == "0" and formatting.value_tex(math.inf) == r"\infty"


@given(st.floats(min_value=1e-300, max_value=1e300))
def test_the_written_number_is_the_number(value):
    text = formatting.value_tex(value, digits=6)
    if r"\times" in text:
        mantissa, power = text.split(r" \times 10^")
        written = float(mantissa) * 10 ** int(power.strip("{}"))
    else:
        written = float(text)
    assert math.isclose(written, value, rel_tol=1e-5)


def test_long_products_are_cut_short():
    assert formatting.product_tex([0.1, 0.2], shown=5) == r"0.1000 \times 0.2000"
    assert formatting.product_tex(range(10), shown=2, fmt="{}").endswith(r"\times \cdots")


# --- numbers in words --------------------------------------------------------------------------

@pytest.mark.parametrize("value, spec, text", [
    (-0.0, ".4f", "0.0000"), (-0.00001, ".4f", "0.0000"), (-0.00005, ".4f", "-0.0001"),
    (-0.004, ",.2f", "0.00"), (-1234.5, ",.2f", "-1,234.50"), (-0.0, ".3e", "0.000e+00"),
    (-1e-300, ".2e", "-1.00e-300"), (3.0, ".1f", "3.0"), (-math.inf, ".2f", "-inf")])
def test_shown_drops_only_the_sign_of_a_zero(value, spec, text):
    assert formatting.num(value, spec) == text
    assert float(formatting.num(value, spec).replace(",", "")) == float(format(value, spec).replace(",", ""))


def test_counts_agree_with_their_noun():
    assert [formatting.count(k, "step") for k in (0, 1, 2, 1000)] == ["0 steps", "1 step", "2 steps", "1,000 steps"]
    assert formatting.count(1, "row") == "1 row" and formatting.count(3, "mouse", "mice") == "3 mice"
    assert [formatting.number_word(k) for k in (1, 5, 10, 11, 2000)] == ["one", "five", "ten", "11", "2,000"]


@pytest.mark.parametrize("value", [7.5e-6, 0.5, 0.05, 0.001, 0.000999, 1.0, 12.5, 3e-12])
def test_zeros_after_the_decimal_point(value):
    decimals = f"{value:.40f}".split(".")[1]
    expected = len(decimals) - len(decimals.lstrip("0")) if value < 1 else 0
    assert formatting.zeros_after_point(value) == expected
    with pytest.raises(ValueError):
        formatting.zeros_after_point(0.0)


# ---------------------------------------------------------------- numbers too small for a float
@settings(max_examples=200)
@given(st.floats(1e-300, 1e300, **finite))
def test_power_of_ten_matches_python_formatting(x):
    got, ref = formatting.sci_text(math.log(x)), f"{x:.4e}"
    if got != ref:  # only a tie of the rounding may fall the other way, after exp(log x) ≠ x by 1e-13
        tie = (float(got) + float(ref)) / 2
        assert abs(float(got) - float(ref)) <= 1.0001e-4 * x and abs(x - tie) <= 1e-11 * x, (got, ref)
    m, e = formatting.power_of_ten(math.log(x))
    assert 1 <= m < 10 and got == f"{m:.4f}e{e:+03d}"


@pytest.mark.parametrize("log_value", [-3000.0, -745.5, 1000.0, -2787.9164])
def test_power_of_ten_beyond_floats(log_value):
    with localcontext() as ctx:
        ctx.prec = 40
        exact = Decimal(log_value).exp()  # an independent exp, with no float range limit
    m, e = formatting.power_of_ten(log_value)
    assert f"{m:.4f}e{e}" == f"{exact:.4e}".replace("E", "e").replace("e+", "e")
    assert formatting.power_of_ten(-math.inf) == (0.0, 0)


# ---------------------------------------------------------------- numbers as pages 1-3 write them
def test_num_never_shows_minus_zero():
    assert formatting.num(-0.0) == "0" and formatting.num(-1e-9, ".4f") == "0.0000" and formatting.num(-0.00004, ".4f") == "0.0000"
    assert formatting.num(-0.5, ".4f") == "-0.5000" and formatting.num(52.5) == "52.5"
    assert formatting.z_text(1.0) == "1" and formatting.z_text(-0.99996) == "-1" and formatting.z_text(-0.99949) == "-0.9995"
    assert formatting.z_text(-1e-12) == "0"


def test_counts_agree_with_their_number():
    assert formatting.count(1, "draw") == "1 draw" and formatting.count(1000, "draw") == "1,000 draws"
    assert formatting.count(5, "measurement", words=True) == "five measurements"
    assert formatting.count(1, "measurement", words=True) == "one measurement"
    assert formatting.count(20, "measurement", words=True) == "20 measurements"


def test_normal_label_shows_a_variance():
    assert formatting.normal_label(50, 5) == "N(50, 5²)" and formatting.normal_label(45, 8) == "N(45, 8²)"
    assert formatting.normal_label(52.295, 3.16733) == "N(52.295, 3.1673²)"
    assert formatting.normal_label(-0.0, 1e6) == "N(0, 1000000²)"         # never 1e+06 on a page
    assert formatting.normal_label(1e6, 1e-7) == "N(1000000, (1 × 10⁻⁷)²)"


def test_scientific_words_and_tex():
    assert formatting.sci_words(math.log(7.002974767473654e-07)) == "7.0030 × 10⁻⁷"
    assert formatting.sci_words(math.log(0.07763)) == "0.07763" and formatting.sci_words(-math.inf) == "0"
    assert formatting.sci_tex(math.log(7.002974767473654e-07)) == r"7.0030 \times 10^{-7}"
    assert formatting.sci_words(-3000.0) == "1.3078 × 10⁻¹³⁰³"
    assert formatting.density_words(math.log(0.077631)) == "0.0776" and formatting.density_words(math.log(1.2345e-5)) == "1.2345 × 10⁻⁵"
    assert formatting.density_words(-2000.0) == "2.5765 × 10⁻⁸⁶⁹"  # a density a float holds only as 0.0


def test_factors_beyond_the_shown_ones_are_kept_for_the_ellipsis():
    big = N.random_sample(50, 0, 1, seed=3)
    factors = formatting.factors_tex(N.log_densities(big, 0, 1), N.log_likelihood(big, 0, 1))
    assert len(factors) == 50


def test_nonzero_keeps_a_tiny_number_from_reading_zero():
    assert formatting.nonzero(-1.3836) == "-1.3836" and formatting.nonzero(0.0) == "0.0000"
    assert formatting.nonzero(-3e-6) == "-3e-06" and formatting.nonzero(-0.00005) == "-0.0001"
    assert float(formatting.nonzero(2.4e-7)) != 0


# --- chapters 4-6 -----------------------------------------------------------------------------------
def test_value_tex_carries_a_rounded_mantissa_into_the_power():
    assert formatting.value_tex(9.99999e9) == r"1.0000 \times 10^{10}"      # not 10.0000 × 10⁹
    assert formatting.value_tex(99999.9) == r"1.0000 \times 10^{5}"          # not 1e+05
    assert formatting.value_tex(-9.99999e-9) == r"-1.0000 \times 10^{-8}"


@given(st.floats(min_value=1e-300, max_value=1e300))
def test_shortest_reads_back_as_the_float(x):
    text = formatting.shortest(x)
    assert "e" not in text
    mantissa, _, power = text.partition(" × 10")
    digits = power.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
    assert float(mantissa + (f"e{digits}" if digits else "")) == x


def test_shortest_on_the_articles_product():
    assert formatting.shortest(0.015 * 0.05 * 0.01) == "7.5 × 10⁻⁶" and formatting.shortest(0.125) == "0.125"


@given(st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=5))
def test_terms_add_up_as_shown(terms):
    total = math.fsum(terms)
    shown, shown_total = formatting.adding_up(terms, total)
    decimals = len(shown_total.split(".")[1])
    assert decimals >= 4 and all(len(t.split(".")[1]) == decimals for t in shown)
    assert formatting.num(math.fsum(float(t) for t in shown), f".{decimals}f") == shown_total or decimals == 12
    assert abs(float(shown_total) - total) <= 0.5 * 10**-decimals + 1e-9 * abs(total)


def test_apart_adds_digits_until_two_numbers_differ():
    assert formatting.apart(61.04802, 61.04818) == ("61.0480", "61.0482")
    assert formatting.apart(1.00001, 1.00002) == ("1.00001", "1.00002")
    assert formatting.apart(2.0, 2.0) == ("2.0000", "2.0000")


def test_axis_power():
    assert formatting.axis_power(2.6e-6) == -6 and formatting.axis_power(0.5) == 0
    assert formatting.axis_power(3e7) == 7 and formatting.axis_power(0.0) == 0


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(1e-9, 1e6, allow_nan=False))
def test_range_ends_lie_inside_the_range_and_are_short_when_rounded(lo, width):
    hi = lo + width
    a, b = formatting.range_ends(lo, hi)
    assert lo <= float(a) <= float(b) <= hi
    for end, exact_end in ((a, formatting.exact(lo)), (b, formatting.exact(hi))):
        assert end == exact_end or len(Decimal(end).normalize().as_tuple().digits) <= 4   # rounded: 4 significant digits


def test_range_ends_keep_short_and_whole_ends_exact():
    assert formatting.range_ends(42.79311435829709, 61.7968856417029) == ("42.8", "61.79")
    assert formatting.range_ends(0.01, 1e6) == ("0.01", "1000000")
    assert formatting.range_ends(0, 2**53 - 1) == ("0", "9007199254740991")   # a seed's range, to the unit
    assert formatting.range_ends(1.0000123456789, 1.0000234567891) == ("1.0000123456789", "1.0000234567891")
