"""Chapter 4 in AppTest: the article's three-number example, underflow live, one maximiser for L and log L."""
import numpy as np
from scipy import stats

from core import questions
from core.underflow import running_products
from pagetest import charts, metrics, open_page, formulas, shown
from ui.text import literal, read_back

PAGE = "pages/4_Log_likelihood.py"
DATA = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)
Z32, Z64 = "float32 product first 0.0 at n =", "float64 product first 0.0 at n ="
PRODUCTS = r"\text{(float32)}"   # the products at n, in the formula under the metrics


def answer(at):
    """Pick an answer to the chapter's question (the first option): the products are then shown."""
    radio = next(r for r in at.radio if str(r.key).startswith("question:"))
    radio.set_value(read_back(radio.options[0])).run()      # the options are drawn as literal text
    assert not at.exception, [e.message for e in at.exception]
    return at


def underflow_points(n, mu, sigma, seed=0):
    """First n at which the running product is 0.0, computed with numpy alone (float32, float64)."""
    x = np.random.default_rng(seed).normal(mu, sigma, size=n)
    logp = stats.norm.logpdf(x, mu, sigma)
    p = np.exp(logp)
    first = []
    for dtype in (np.float32, np.float64):  # one factor after another, as a plain loop would
        running = np.cumprod(p.astype(dtype), dtype=dtype)
        zeros = np.flatnonzero(running == 0)
        first.append(f"{zeros[0] + 1:,}" if zeros.size else "not yet at this n")
    return first[0], first[1], float(logp.sum())


def test_the_articles_three_numbers():
    import torch

    at = open_page(PAGE)
    m = metrics(at)
    assert repr(0.015 * 0.05 * 0.01) == "7.5e-06"
    assert m["product a × b × c"] == "7.5 × 10⁻⁶"           # written as the formula beside it writes it
    total = sum(torch.log(torch.tensor(f)) for f in (0.015, 0.05, 0.01))
    direct = torch.log(torch.tensor(0.015 * 0.05 * 0.01))
    assert total.dtype == direct.dtype == torch.float32
    # at float32 precision (numpy's shortest text for the float32), not float64's -11.800607681274414
    assert m["log a + log b + log c"] == str(np.float32(total.item())) == "-11.800608"
    assert m["log(a × b × c)"] == str(np.float32(direct.item()))
    assert m["equal in float32?"] == str(bool(total == direct)) == "True"
    written = " ".join(formulas(at))
    assert "-11.800608" in written and "-11.800607681274414" not in written
    assert r"7.5 \times 10^{-6}" in written
    assert r"\log p(x_i \mid \theta)" in formulas(at)[0] and "P(x_i" not in formulas(at)[0]
    assert "torch.log" in at.code[0].value and "torch.isclose" in at.code[0].value
    assert "a number with 5 zeros after the decimal point" in " ".join(m.value for m in at.markdown)


def test_equality_was_luck_and_how_often_it_holds():
    import torch

    at = open_page(PAGE)
    note = next(i.value for i in at.info if "random triples" in i.value)
    rng = np.random.default_rng(0)  # the page's 2,000 triples, counted again here
    equal = 0
    for a, b, c in rng.uniform(np.finfo(np.float32).tiny, 1.0, size=(2000, 3)):
        total = torch.log(torch.tensor(float(a))) + torch.log(torch.tensor(float(b))) + torch.log(torch.tensor(float(c)))
        equal += bool(total == torch.log(torch.tensor(float(a) * float(b) * float(c))))
    assert 0 < equal < 2000
    assert f"`==` holds for {equal:,} of them ({equal / 2000:.0%})" in note
    assert "not a rule" in note and "tolerance" in note


def test_default_underflow_points_match_numpy():
    at = answer(open_page(PAGE))
    z32, z64, ll = underflow_points(1000, 50.0, 5.0)
    m = metrics(at)
    assert (m[Z32], m[Z64]) == (z32, z64)
    assert m["log-likelihood at n = 1,000"] == f"{ll:,.2f}"
    assert any(f"{ll:.4f}" in l for l in formulas(at))
    assert len(charts(at)) == 4


def test_small_n_is_not_yet_at_the_underflow_point():
    at = open_page(PAGE)
    at.number_input(key="uf_n").set_value(20).run()
    m = metrics(answer(at))
    assert m[Z32] == m[Z64] == "not yet at this n"
    assert "Neither product has reached 0.0 at n = 20: not yet at this n" in shown(at.info)


def test_changing_sigma_moves_the_underflow_point():
    at = open_page(PAGE)
    at.slider(key="uf_sigma").set_value(1.0).run()
    answer(at)
    z32, z64, _ = underflow_points(1000, 50.0, 1.0)
    m = metrics(at)
    assert (m[Z32], m[Z64]) == (z32, z64)
    assert m[Z64] != underflow_points(1000, 50.0, 5.0)[1]


def test_deep_link_to_a_hundred_thousand_observations():
    at = answer(open_page(PAGE, uf_n="100000", uf_sigma="0.5", uf_mu="0"))
    z32, z64, ll = underflow_points(100_000, 0.0, 0.5)
    m = metrics(at)
    assert (m[Z32], m[Z64]) == (z32, z64)
    assert m["log-likelihood at n = 100,000"] == f"{ll:,.2f}"
    assert np.isfinite(ll)


def test_bad_link_values_fall_back_with_a_notice():
    at = open_page(PAGE, uf_n="abc", uf_sigma="-1")
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "'uf_n=abc' is not a number" in notices and "'uf_sigma=-1' is outside" in notices
    assert all(w.value == literal(read_back(w.value)) for w in at.warning)  # drawn literally
    assert "log-likelihood at n = 1,000" in metrics(at)
    assert at.number_input(key="uf_n").value == 1000


def test_likelihood_and_log_likelihood_share_one_maximiser():
    at = open_page(PAGE)
    mean = f"{np.mean(DATA):.4f}"
    verdict = at.success[-1].value
    assert verdict.count(f"μ = {mean}") == 2 and "the same point" in verdict
    at.slider(key="ll_sigma").set_value(7.5).run()
    verdict = at.success[-1].value
    assert verdict.count(f"μ = {mean}") == 2
    assert "σ = 7.5" in " ".join(m.value for m in at.markdown)


def test_the_running_log_likelihood_caption_follows_the_sample():
    # σ = 5: every density is below 1, so each observation lowers the sum
    at = open_page(PAGE)
    assert "falls with every observation added after the first" in " ".join(read_back(c.value) for c in at.caption)
    # σ = 0.3: some densities are above 1 (the peak is 1.33), and the caption counts them
    at = open_page(PAGE, uf_sigma="0.3", uf_n="500")
    x = np.random.default_rng(0).normal(50.0, 0.3, size=500)
    ups = int(np.sum(stats.norm.logpdf(x[1:], 50.0, 0.3) > 0))
    assert 0 < ups < 499
    assert f"rises with the {ups:,} whose density is above 1" in " ".join(read_back(c.value) for c in at.caption)
    at = open_page(PAGE, uf_n="1")
    assert "With a single observation" in " ".join(read_back(c.value) for c in at.caption)


# --- §6: number boxes checked on the server ----------------------------------------------------
def test_out_of_range_sample_values_are_moved_to_the_nearest_end_and_said():
    at = open_page(PAGE)
    at.number_input(key="uf_mu").set_value(5000.0).run()
    at.number_input(key="uf_seed").set_value(-1).run()
    assert not at.exception
    assert at.number_input(key="uf_mu").value == 1000.0 and at.number_input(key="uf_seed").value == 0
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "“seed” takes values from 0 to 2147483647. -1 is below that, so the page uses 0." in notices
    assert "log-likelihood at n = 1,000" in metrics(at)


# --- issue 18 §2: the question is asked before anything on screen answers it ---------------------
def _products_shown(at) -> bool:
    """Whether anything on the page says where the products become 0.0: the metrics, the products
    at n, the chart of the running products and its caption."""
    m = metrics(at)
    return any((Z32 in m, Z64 in m, any(PRODUCTS in f for f in formulas(at)),
                "Each line stops where its product becomes 0.0" in shown(at.caption)))


def _waiting(at) -> str:
    return " ".join(i for i in (read_back(x.value) for x in at.info) if "foot of the page" in i)


def test_the_products_wait_for_a_pick_in_reading_mode():
    at = open_page(PAGE)
    assert not _products_shown(at)
    assert "Where the float32 and the float64 products first become 0.0" in _waiting(at)
    assert "picked an answer" in _waiting(at)
    assert len(charts(at)) == 3           # the sum of logs and the two curves of section 3, not the products
    assert "log-likelihood at n = 1,000" in metrics(at)     # the sum of logs gives nothing away
    answer(at)
    assert _products_shown(at) and not _waiting(at)
    assert len(charts(at)) == 4
    z32, _, _ = underflow_points(1000, 50.0, 5.0)
    assert metrics(at)[Z32] == z32


def test_a_new_question_hides_the_products_again():
    at = answer(open_page(PAGE))
    at.number_input(key="uf_seed").set_value(3).run()         # a new sample: a new question
    assert not _products_shown(at)
    expected = questions.log_likelihood(running_products(1000, 50.0, 5.0, 3))
    answer(at)
    assert _products_shown(at)
    assert expected.explanation in [read_back(m.value) for m in at.markdown]


def test_presenter_mode_holds_the_products_until_the_reveal():
    at = open_page(PAGE, present="1")
    assert not _products_shown(at) and "is revealed" in _waiting(at)
    answer(at)                            # the presenter marks the room's vote: still hidden
    assert not _products_shown(at)
    at.button(key="question_reveal:underflow").click().run()
    assert not at.exception
    assert _products_shown(at)
    z32, z64, _ = underflow_points(1000, 50.0, 5.0)
    assert (metrics(at)[Z32], metrics(at)[Z64]) == (z32, z64)


def test_log_means_ln_is_said_once():
    at = open_page(PAGE)
    said = [c for c in shown(at.caption).split(". ") if "natural logarithm" in c]
    assert len(said) == 1 and "ln" in said[0] and "log₂" in shown(at.caption)
