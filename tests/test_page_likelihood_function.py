from scipy import stats

from pagetest import charts, open_page
from ui.text import read_back

PAGE = "pages/3_Likelihood_function.py"
DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def captions(at):
    return " ".join(c.value for c in at.caption)


def test_defaults_mark_the_maximum():
    at = open_page(PAGE)
    text = captions(at)
    assert "μ = 52.2950" in text and "σ = 3.1673" in text
    assert r"7.0030 \times 10^{-7}" in at.latex[0].value
    assert len(charts(at)) == 3


def test_moving_mu_moves_the_product():
    at = open_page(PAGE)
    at.slider(key="mu").set_value(52.0).run()
    expected = 1.0
    for x in DATA:
        expected *= stats.norm.pdf(x, at.slider(key="mu").value, 5)
    mantissa, exponent = f"{expected:.4e}".split("e")
    assert rf"{mantissa} \times 10^{{{int(exponent)}}}" in at.latex[0].value
    assert at.query_params["mu"] == f"{at.slider(key='mu').value:g}"


def test_identical_observations_are_explained_not_crashed():
    at = open_page(PAGE, x="3, 3, 3")
    assert "All observations are equal" in at.error[0].value


def test_a_link_value_inside_the_datas_range_is_taken_as_given():
    at = open_page(PAGE, mu="52.5", sigma="4")
    assert not at.warning
    assert at.slider(key="mu").value == 52.5 and at.slider(key="sigma").value == 4.0


def test_a_link_value_outside_the_datas_range_is_moved_and_said():
    at = open_page(PAGE, mu="-500")
    lo = at.slider(key="mu").min
    assert at.slider(key="mu").value == lo
    assert len(at.warning) == 1 and "'mu=-500' is outside" in read_back(at.warning[0].value)
