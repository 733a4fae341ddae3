import math

from scipy import stats

from pagetest import metrics, open_page

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
