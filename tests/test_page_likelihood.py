import math
import re
import statistics
from decimal import Decimal, localcontext

from scipy import stats

from core import formatting
from pagetest import formulas, metrics, open_page, shown
from ui.text import literal, read_back

PAGE = "pages/2_Likelihood.py"
DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def sci(x: float) -> str:
    """x as the page writes a likelihood: 7.0030 × 10⁻⁷ (never 7.0030e-07)."""
    mantissa, exponent = f"{x:.4e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(str.maketrans('0123456789-', '⁰¹²³⁴⁵⁶⁷⁸⁹⁻'))}"


def question(at):
    (radio,) = [r for r in at.radio if str(r.key).startswith("question:likelihood")]
    return radio


def answer(at):
    """Pick an answer to the chapter's question: the likelihoods it asks about are drawn after that."""
    question(at).set_value(read_back(question(at).options[0])).run()   # the options are shown as literal text
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_answered(**query):
    return answer(open_page(PAGE, **query))


def test_defaults_show_the_articles_figures():
    at = open_answered()
    m = metrics(at)
    assert m["L(A | x)"] == "7.0030 × 10⁻⁷"
    assert m["L(B | x)"] == "2.6068 × 10⁻⁸"
    table = at.dataframe[0].value.data if hasattr(at.dataframe[0].value, "data") else at.dataframe[0].value
    assert list(table["density under A"]) == [f"{stats.norm.pdf(x, 50, 5):.4f}" for x in DATA] == [
        "0.0776", "0.0790", "0.0705", "0.0647", "0.0250"]
    assert list(table["density under B"]) == [f"{stats.norm.pdf(x, 45, 8):.4f}" for x in DATA] == [
        "0.0445", "0.0431", "0.0322", "0.0293", "0.0144"]
    assert list(table["x"]) == ["48.8292", "49.3087", "52.4836", "53.2384", "57.6151"]


def words(at) -> str:
    return " ".join(e.value for e in at.markdown) + " " + " ".join(read_back(e.value) for e in at.caption)


def test_the_rounding_note_speaks_of_products_with_their_gaps():
    at = open_answered()
    text = words(at)
    exact = {k: math.prod(stats.norm.pdf(x, *p) for x in DATA) for k, p in (("A", (50, 5)), ("B", (45, 8)))}
    rounded = {"A": Decimal("0.0776") * Decimal("0.0790") * Decimal("0.0705") * Decimal("0.0647") * Decimal("0.0250"),
               "B": Decimal("0.0445") * Decimal("0.0431") * Decimal("0.0322") * Decimal("0.0293") * Decimal("0.0144")}
    assert (rounded["A"], rounded["B"]) == (Decimal("6.99072501E-7"), Decimal("2.60569311408E-8"))
    for k, written in (("A", "6.99072501 × 10⁻⁷"), ("B", "2.60569311408 × 10⁻⁸")):
        gap = exact[k] / float(rounded[k]) - 1
        mantissa, exponent = f"{exact[k]:.4e}".split("e")
        power = str(int(exponent)).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))
        assert f"= {written}. The product of the unrounded densities, {mantissa} × 10{power}, is " \
               f"{100 * gap:.2f} % larger than that." in text
    assert "0.18 % larger" in text and "0.04 % larger" in text  # the figures
    assert "These are the article's two figures." in text and "products" in text and "sums" not in text
    assert not re.search(r"\d{12,}|e-0\d", text)  # no float artefacts such as 2.6056931140799998e-08


def test_the_heights_are_said_to_be_densities():
    at = open_page(PAGE)
    (caveat,) = [m.value for m in at.markdown if "densities, not probabilities" in m.value]
    # the page's info alerts are about the data, or say what waits for the question
    assert all("once you have picked an answer" in i.value for i in at.info)
    assert "P(X = 48.8292) = 0" in caveat and "densities, not probabilities" in caveat
    # in a unit 100 times larger, A = N(50, 5²) becomes N(0.5, 0.05²) and each density is 100 times larger
    assert "A is N(0.5, 0.05²)" in caveat
    assert f"the first point's density {stats.norm.pdf(DATA[0], 50, 5):.4g} becomes {stats.norm.pdf(DATA[0] / 100, 0.5, 0.05):.4g}" in caveat
    assert float(f"{stats.norm.pdf(0.5, 0.5, 0.05):.4g}") > 1 and f"becomes {stats.norm.pdf(0.5, 0.5, 0.05):.4g}" in caveat
    assert "grows by the same factor, 10¹⁰" in caveat  # 100 per density, five densities


def test_candidates_are_written_with_their_variance():
    at = open_page(PAGE)
    assert "A = N(50, 5²)" in words(at) and "B = N(45, 8²)" in words(at)
    assert "N(50, 5)" not in words(at)
    at.checkbox(key="show_mle").check().run()
    sigma = statistics.pstdev(DATA)
    assert f"MLE = N({statistics.fmean(DATA):.5g}, {sigma:.5g}²)" in words(at)


def test_the_count_follows_the_data():
    at = open_page(PAGE)
    assert "five measurements sit on the axis" in words(at) and "Five observations" in words(at)
    at.text_area(key="x_text").input("48, 51, 55").run()
    assert "three measurements sit on the axis" in words(at) and "Three observations" in words(at)
    at.text_area(key="x_text").input("48").run()
    assert "one measurement sits on the axis" in words(at) and "One observation," in words(at)
    assert "five" not in words(at) and "Five" not in words(at)


def test_likelihoods_too_small_for_a_float_are_not_shown_as_zero():
    big = tuple(50 + (i % 13) / 2 for i in range(1000))
    at = open_answered(x=", ".join(map(str, big)))
    log_a = sum(stats.norm.logpdf(x, 50, 5) for x in big)
    with localcontext() as ctx:
        ctx.prec = 30
        expected = f"{Decimal(log_a).exp():.4e}".replace("E", "e")
    assert math.prod(stats.norm.pdf(x, 50, 5) for x in big) == 0.0  # the float product underflows
    mantissa, exponent = expected.split("e")
    power = str(int(exponent)).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))
    assert metrics(at)["L(A | x)"] == f"{mantissa} × 10{power}"
    assert rf"{mantissa} \times 10^{{{int(exponent)}}}" in formulas(at)[0]


def test_the_formula_multiplies_out_to_its_result():
    """The factors written in the formula, multiplied, give the likelihood it states (the article's
    four-decimal densities give 6.9907e-07, not 7.0030e-07)."""
    at = open_page(PAGE)
    formula = formulas(at)[0]
    factors = re.search(r"= ([0-9.]+(?: \\times [0-9.]+)+)\$", formula).group(1).split(r" \times ")
    product = math.prod(Decimal(f) for f in factors)
    exact = math.prod(stats.norm.pdf(x, 50, 5) for x in DATA)
    assert f"{float(product):.4e}" == f"{exact:.4e}" == "7.0030e-07"
    assert r"= 7.0030 \times 10^{-7}" in formula


def test_tiny_densities_are_not_written_as_zero():
    at = open_page(PAGE, x="0, 1, -1000")
    table = at.dataframe[0].value
    superscript = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
    for row, x in ((0, 0.0), (2, -1000.0)):  # p(0) ≈ 1.6e-23; p(−1000) ≈ 10^-9577, 0.0 as a float
        log_p = stats.norm.logpdf(x, 50, 5)
        mantissa, power = 10 ** (log_p / math.log(10) % 1), math.floor(log_p / math.log(10))
        assert table["density under A"][row] == f"{mantissa:.4f} × 10{str(power).translate(superscript)}"
    assert stats.norm.pdf(-1000, 50, 5) == 0.0
    assert r"\times 10^{-95" in formulas(at)[0] and " 0 \\times" not in formulas(at)[0]


def test_ratio_and_its_log():
    at = open_answered()
    la = sum(stats.norm.logpdf(x, 50, 5) for x in DATA)
    lb = sum(stats.norm.logpdf(x, 45, 8) for x in DATA)
    assert metrics(at)["L(A) / L(B)"] == f"{math.exp(la - lb):.4g}"
    assert f"ln(L(A)/L(B)) = {la - lb:.4f}. A explains these data {math.exp(la - lb):.4g} times better than B." in [
        read_back(c.value) for c in at.caption]
    at.number_input(key="muA").set_value(40.0).run()  # now B explains them better: a new question
    assert "L(A) / L(B)" not in metrics(at)
    answer(at)
    la = sum(stats.norm.logpdf(x, 40, 5) for x in DATA)
    assert f"B explains these data {math.exp(lb - la):.4g} times better than A." in " ".join(read_back(c.value) for c in at.caption)


def test_the_mle_beats_both_candidates():
    at = open_answered()
    at.checkbox(key="show_mle").check().run()
    best = metrics(at)["L(MLE | x)"]
    assert best == sci(math.prod(stats.norm.pdf(x, statistics.fmean(DATA), statistics.pstdev(DATA)) for x in DATA))
    assert best.startswith("2.60") and best.endswith("× 10⁻⁶")   # above A's 7.0030 × 10⁻⁷


def test_editing_a_candidate_changes_its_likelihood():
    at = open_page(PAGE)
    at.number_input(key="muB").set_value(52.295).run()
    answer(at)
    expected = math.prod(stats.norm.pdf(x, 52.295, 8) for x in DATA)
    assert metrics(at)["L(B | x)"] == sci(expected)


def test_bad_data_keeps_the_last_good_data():
    at = open_answered()
    at.text_area(key="x_text").input("1, 2, banana").run()
    assert "banana" in at.error[0].value
    assert metrics(at)["L(A | x)"] == "7.0030 × 10⁻⁷"
    at.text_area(key="x_text").input("").run()
    assert "at least one" in at.error[0].value
    assert metrics(at)["L(A | x)"] == "7.0030 × 10⁻⁷"


def test_a_refused_box_quotes_the_data_kept_shortened():
    """Issue 18 §6: a refused box once quoted all 1,000 values kept (6,834 characters)."""
    big = ", ".join(f"{50 + (i % 97) / 7:.4f}" for i in range(1000))
    at = open_page(PAGE, x=big)
    at.text_area(key="x_text").input(big + ", banana").run()
    error = read_back(at.error[0].value)
    assert "1,001 numbers is more than the 1000 this box takes." in error
    assert "Still using the last good data: 50, 50.1429, " in error
    assert error.endswith("… (1,000 observations in all)") and len(error) < 400
    at.text_area(key="x_text").input("48, banana").run()
    assert "(1,000 observations in all)" in read_back(at.error[0].value)


def test_new_data_and_a_random_sample():
    at = open_page(PAGE)
    at.text_area(key="x_text").input("50").run()
    answer(at)
    assert metrics(at)["L(A | x)"] == f"{stats.norm.pdf(50, 50, 5):.4g}"
    at.button(key="sample_draw").click().run()
    assert len(at.text_area(key="x_text").value.split(",")) == 20
    assert not at.error


def test_a_decimal_comma_is_refused_with_the_way_to_write_it():
    at = open_answered()
    at.text_area(key="x_text").input("48,8; 49,3; 52,5").run()
    error = at.error[0].value
    assert error == literal(read_back(error))  # the typed text is quoted literally
    assert read_back(error).startswith("'48,8' has a comma between two digits")
    assert "Write decimals with a point (48.8)" in read_back(error)
    assert metrics(at)["L(A | x)"] == "7.0030 × 10⁻⁷"
    assert "x" not in at.query_params   # the article's data: the link leaves them out


def test_typed_data_is_kept_as_written():
    at = open_page(PAGE)
    at.text_area(key="x_text").input("48.8, 48.80000000001, 1e-300, 3").run()
    assert not at.error
    assert at.query_params["x"] == "48.8, 48.80000000001, 1e-300, 3"


# --- §6: number boxes checked on the server, and controls kept across pages ----------------------
def notices(at) -> str:
    return " ".join(read_back(w.value) for w in at.warning)


def test_a_sigma_below_its_minimum_is_moved_to_it_and_said():
    at = open_answered()
    at.number_input(key="sigmaA").set_value(0.0).run()
    assert not at.exception
    assert at.number_input(key="sigmaA").value == 0.01
    assert "“A: σ” takes values from 0.01 to 1000000. 0 is below that, so the page uses 0.01." in notices(at)
    answer(at)   # a new candidate A, a new question
    assert metrics(at)["L(B | x)"] == "2.6068 × 10⁻⁸"  # the other candidate untouched


def test_a_mean_above_its_maximum_is_moved_to_it_and_said():
    at = open_answered()
    at.number_input(key="muB").set_value(5e6).run()
    assert at.number_input(key="muB").value == 1e6
    assert "“B: mean μ” takes values from -1000000 to 1000000. 5000000 is above that, so the page uses 1000000." \
        in notices(at)
    answer(at)
    assert metrics(at)["L(A | x)"] == "7.0030 × 10⁻⁷"


def test_a_link_with_two_boxes_out_of_range_says_both_and_uses_the_defaults():
    """Each box out of range puts its default in place with a rerun of its own: the notices of the
    first must survive the second."""
    at = open_page(PAGE, sigmaA="-4", muB="2e7", muA="33")
    assert not at.exception
    assert at.number_input(key="sigmaA").value == 5 and at.number_input(key="muB").value == 45
    said = notices(at)
    assert "'sigmaA=-4' is outside 0.01 to 1000000; using 5." in said
    assert "'muB=2e7' is outside -1000000 to 1000000; using 45." in said
    # The address bar is sent without the refused values (Streamlit's copy had dropped them
    # without telling the browser); the good one stays.
    assert dict(at.query_params) == {"muA": "33"}, dict(at.query_params)


def test_the_mle_checkbox_is_kept_across_a_page_change():
    at = open_answered()
    at.checkbox(key="show_mle").check().run()
    at.switch_page("pages/1_Probability.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.checkbox(key="show_mle").value
    assert question(at).value is not None and "L(MLE | x)" in metrics(at)   # the pick is kept: still answered


# --- issue 18 §2: the question is asked before anything on screen answers it ---------------------
def _give_aways(at) -> list[str]:
    """What on the page says which candidate explains the data better."""
    text = words(at)
    found = [k for k in metrics(at) if k.startswith("L(")]
    found += [w for w in ("times better", "explain these data equally well", "(likelihood ", "Rounded densities")
              if w in text or any(w in e.label for e in at.expander)]
    return found


def _held_back(at) -> bool:
    return any("appear here once" in i.value for i in at.info)


def test_the_likelihoods_wait_for_the_readers_pick():
    at = open_page(PAGE)
    assert _give_aways(at) == [] and _held_back(at)
    assert "A = N(50, 5²), B = N(45, 8²). Each stick rises" in words(at)   # the chart's words, without figures
    answer(at)
    assert set(_give_aways(at)) == {"L(A | x)", "L(B | x)", "L(A) / L(B)", "times better", "(likelihood ",
                                    "Rounded densities"}
    assert not _held_back(at)
    assert "A = N(50, 5²) (likelihood 7.0030 × 10⁻⁷), B = N(45, 8²) (likelihood 2.6068 × 10⁻⁸)" in words(at)


def test_a_changed_candidate_asks_again_and_hides_them_again():
    at = open_answered()
    at.number_input(key="sigmaB").set_value(3.0).run()
    assert _give_aways(at) == [] and _held_back(at)


def test_in_presenter_mode_the_likelihoods_wait_for_the_reveal():
    at = open_page(PAGE, present="1")
    assert _give_aways(at) == [] and any("question at the foot of the page is revealed" in i.value for i in at.info)
    answer(at)                                   # the presenter marks the room's vote: nothing shows yet
    assert _give_aways(at) == []
    at.button(key="question_reveal:likelihood").click().run()
    assert not at.exception
    assert {"L(A | x)", "L(A) / L(B)", "times better"} <= set(_give_aways(at))


def test_the_verdict_follows_the_logs_shown():
    """log L(A) and log L(B) shown as -12.0000 and -12.0001 differ by 0.0001 however close they are:
    the ratio's log is their difference as shown, and A is better."""
    at = open_answered(x="0", muA="0", sigmaA="1", muB="0", sigmaB="1")
    assert "ln(L(A)/L(B)) = 0.0000. A and B explain these data equally well, to the digits shown." in words(at)
    logs = [c.value for c in at.caption if c.value.startswith("log L = ")]
    assert logs == ["log L = -0.9189", "log L = -0.9189"]


def test_a_rounded_product_too_long_to_write_is_about_not_equals_about():
    """Issue 18 §5: never "= ≈". Ten densities of four decimals multiply to 40 digits: written ≈ 10 digits."""
    at = open_answered(x=", ".join(str(45 + i) for i in range(10)))
    (note,) = [m.value for m in at.markdown if m.value.startswith("- A: ")]
    assert " × ⋯ ≈ " in note and "= ≈" not in words(at)


def test_one_observation_holds_its_densities_until_the_answer():
    """With one point, its density under each candidate is that candidate's likelihood: the answer."""
    at = open_page(PAGE, x="50")
    assert not at.dataframe and "the table" in shown(at.info)
    answer(at)
    densities = at.dataframe[0].value
    assert list(densities["density under A"]) == [formatting.density_words(stats.norm.logpdf(50, 50, 5))]
