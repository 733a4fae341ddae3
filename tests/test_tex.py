import math

from hypothesis import given, strategies as st

from ui import tex


def test_scientific_numbers_become_powers_of_ten():
    assert tex.sci(7.002974767473654e-07) == r"7.0030 \times 10^{-7}"
    assert tex.sci(2.6068034674307683e-08) == r"2.6068 \times 10^{-8}"
    assert tex.sci(0.3413) == "0.3413"
    assert tex.sci(0.0) == "0" and tex.sci(math.inf) == r"\infty"


@given(st.floats(min_value=1e-300, max_value=1e300))
def test_the_written_number_is_the_number(value):
    text = tex.sci(value, digits=6)
    if r"\times" in text:
        mantissa, power = text.split(r" \times 10^")
        written = float(mantissa) * 10 ** int(power.strip("{}"))
    else:
        written = float(text)
    assert math.isclose(written, value, rel_tol=1e-5)


def test_long_products_are_cut_short():
    assert tex.product([0.1, 0.2], shown=5) == r"0.1000 \times 0.2000"
    assert tex.product(range(10), shown=2, fmt="{}").endswith(r"\times \cdots")


def test_a_display_formula_becomes_one_line_per_row_and_clause():
    aligned = r"""\begin{aligned}
    L(A \mid x) &= \prod_{i=1}^{5} p(x_i) \\
    &= 0.1 \times 0.2 \qquad (k = 1)
    \end{aligned}"""
    assert tex.lines(aligned) == [r"L(A \mid x) = \prod_{i=1}^{5} p(x_i)", r"= 0.1 \times 0.2", "(k = 1)"]


def test_breaks_inside_braces_stay_where_they_are():
    assert tex.lines(r"x = \frac{a \\ b}{c} \\ y = \text{a \qquad b}") == [
        r"x = \frac{a \\ b}{c}", r"y = \text{a \qquad b}"]
    assert tex.lines(r"a = \{ 1 \} \\ b") == [r"a = \{ 1 \}", "b"]
