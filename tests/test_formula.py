"""ui.formula: a display formula cut into the lines a phone shows."""
from ui import formula


def test_a_display_formula_becomes_one_line_per_row_and_clause():
    aligned = r"""\begin{aligned}
    L(A \mid x) &= \prod_{i=1}^{5} p(x_i) \\
    &= 0.1 \times 0.2 \qquad (k = 1)
    \end{aligned}"""
    assert formula.lines(aligned) == (r"L(A \mid x) = \prod_{i=1}^{5} p(x_i)", r"= 0.1 \times 0.2", "(k = 1)")


def test_breaks_inside_braces_stay_where_they_are():
    assert formula.lines(r"x = \frac{a \\ b}{c} \\ y = \text{a \qquad b}") == (
        r"x = \frac{a \\ b}{c}", r"y = \text{a \qquad b}")
    assert formula.lines(r"a = \{ 1 \} \\ b") == (r"a = \{ 1 \}", "b")
