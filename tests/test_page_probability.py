from scipy import stats

from pagetest import charts, metrics, open_page
from ui.text import literal, read_back

PAGE = "pages/1_Probability.py"
AREA = "P(a ≤ X ≤ b), the shaded area"


def test_defaults_show_the_articles_area():
    at = open_page(PAGE)
    assert metrics(at)[AREA] == "0.3413"
    assert "0.3413" in at.latex[0].value
    rule = at.dataframe[0].value
    assert list(rule["probability"]) == ["68.27 %", "95.45 %", "99.73 %"]
    assert charts(at)  # the chart is drawn


def test_sigma_buttons_set_the_interval():
    at = open_page(PAGE)
    # the full labels stay (tests/test_browser.py clicks "μ ± 2σ"); the row wraps instead of cutting them
    assert [at.button(key=f"rule{k}").label for k in (1, 2, 3)] == ["μ ± 1σ", "μ ± 2σ", "μ ± 3σ"]
    for k, expected in ((1, "0.6827"), (2, "0.9545"), (3, "0.9973")):
        at.button(key=f"rule{k}").click().run()
        assert metrics(at)[AREA] == expected
        assert at.number_input(key="a").value == 50 - k * 2.5


def test_moving_sigma_changes_the_area():
    at = open_page(PAGE)
    at.slider(key="sigma").set_value(5.0).run()
    assert metrics(at)[AREA] == f"{stats.norm.cdf(0.5) - 0.5:.4f}"


def test_sampling_sits_beside_the_exact_value():
    at = open_page(PAGE)
    at.checkbox(key="draw").check().run()
    m = metrics(at)
    share = float(m["share of 1,000 draws inside [a, b]"])
    assert abs(share - 0.3413) < 4 * (0.3413 * 0.6587 / 1000) ** 0.5
    at.number_input(key="seed").set_value(1).run()
    assert metrics(at)["share of 1,000 draws inside [a, b]"] != m["share of 1,000 draws inside [a, b]"]


def test_deep_link_opens_the_linked_view():
    at = open_page(PAGE, mu="0", sigma="1", a="-1.96", b="1.96")
    assert metrics(at)[AREA] == "0.9500"
    assert at.query_params["a"] == "-1.96"


def test_bad_link_values_fall_back_with_a_notice():
    at = open_page(PAGE, sigma="-3", mu="abc", n="10000000000")
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "'sigma=-3' is outside" in notices and "'mu=abc' is not a number" in notices
    assert "'n=10000000000' is outside" in notices
    assert all(w.value == literal(read_back(w.value)) for w in at.warning)  # drawn literally
    assert metrics(at)[AREA] == "0.3413"
