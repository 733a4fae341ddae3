import math

from scipy import stats

from pagetest import metrics, open_page
from ui.text import literal, read_back

PAGE = "pages/2_Likelihood.py"
DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def test_defaults_show_the_articles_figures():
    at = open_page(PAGE)
    m = metrics(at)
    assert m["L(A | x)"] == "7.0030e-07"
    assert m["L(B | x)"] == "2.6068e-08"
    table = at.dataframe[0].value.data if hasattr(at.dataframe[0].value, "data") else at.dataframe[0].value
    assert [round(v, 4) for v in table["density under A"]] == [0.0776, 0.0790, 0.0705, 0.0647, 0.0250]
    assert [round(v, 4) for v in table["density under B"]] == [0.0445, 0.0431, 0.0322, 0.0293, 0.0144]
    shown = " ".join(m.value for m in at.markdown)
    assert "6.99072501e-07" in shown and "2.6056931140799998e-08" in shown


def test_ratio_and_its_log():
    at = open_page(PAGE)
    la = sum(stats.norm.logpdf(x, 50, 5) for x in DATA)
    lb = sum(stats.norm.logpdf(x, 45, 8) for x in DATA)
    assert metrics(at)["L(A) / L(B): how many times better A explains the data"] == f"{math.exp(la - lb):.4g}"
    assert f"ln(L(A)/L(B)) = {la - lb:.4f}" in [c.value for c in at.caption]


def test_the_mle_beats_both_candidates():
    at = open_page(PAGE)
    at.checkbox(key="show_mle").check().run()
    best = metrics(at)["L(MLE | x)"]
    assert best.startswith("2.60") and float(best) > 7.0030e-07


def test_editing_a_candidate_changes_its_likelihood():
    at = open_page(PAGE)
    at.number_input(key="muB").set_value(52.295).run()
    expected = math.prod(stats.norm.pdf(x, 52.295, 8) for x in DATA)
    assert metrics(at)["L(B | x)"] == f"{expected:.4e}"


def test_bad_data_keeps_the_last_good_data():
    at = open_page(PAGE)
    at.text_area(key="x_text").input("1, 2, banana").run()
    assert "banana" in at.error[0].value
    assert metrics(at)["L(A | x)"] == "7.0030e-07"
    at.text_area(key="x_text").input("").run()
    assert "at least one" in at.error[0].value
    assert metrics(at)["L(A | x)"] == "7.0030e-07"


def test_new_data_and_a_random_sample():
    at = open_page(PAGE)
    at.text_area(key="x_text").input("50").run()
    assert metrics(at)["L(A | x)"] == f"{stats.norm.pdf(50, 50, 5):.4e}"
    at.button(key="sample_draw").click().run()
    assert len(at.text_area(key="x_text").value.split(",")) == 20
    assert not at.error


def test_a_decimal_comma_is_refused_with_the_way_to_write_it():
    at = open_page(PAGE)
    at.text_area(key="x_text").input("48,8; 49,3; 52,5").run()
    error = at.error[0].value
    assert error == literal(read_back(error))  # the typed text is quoted literally
    assert read_back(error).startswith("'48,8' has a comma between two digits")
    assert "Write decimals with a point (48.8)" in read_back(error)
    assert metrics(at)["L(A | x)"] == "7.0030e-07"
    assert at.query_params["x"] == ", ".join(map(str, DATA))


def test_typed_data_is_kept_as_written():
    at = open_page(PAGE)
    at.text_area(key="x_text").input("48.8, 48.80000000001, 1e-300, 3").run()
    assert not at.error
    assert at.query_params["x"] == "48.8, 48.80000000001, 1e-300, 3"
