import math

from scipy import stats

from pagetest import charts, metrics, open_page, formulas
from ui.text import literal, read_back

PAGE = "pages/1_Probability.py"
AREA = "P(a ≤ X ≤ b), the shaded area"


def test_defaults_show_the_articles_area():
    at = open_page(PAGE)
    assert metrics(at)[AREA] == "0.3413"
    assert "0.3413" in formulas(at)[0]
    assert [probability for _, probability in rule_table(at)] == ["68.27 %", "95.45 %", "99.73 %"]
    assert charts(at)  # the chart is drawn


def rule_table(at) -> list[tuple[str, str]]:
    """The 68-95-99.7 table's rows as a reader sees them (ui.text.table: a Markdown table)."""
    shown = next(m.value for m in at.markdown if m.value.startswith("| interval | probability |"))
    return [tuple(read_back(cell).strip() for cell in row.strip("| ").split(" | "))
            for row in shown.splitlines()[2:]]


def phi(z: float) -> float:
    """The standard normal CDF from math.erf (independent of scipy)."""
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def text(at) -> str:
    return " ".join(e.value for e in at.markdown) + " " + " ".join(read_back(e.value) for e in at.caption)


def test_phi_is_defined_and_the_articles_area_is_half_the_band():
    at = open_page(PAGE)
    formula = formulas(at)[0]
    assert rf"\Phi(1) - \Phi(0) = {phi(1):.4f} - {phi(0):.4f}" in formula and formula.endswith(
        f"= {phi(1) - phi(0):.4f}$")
    words = text(at)
    assert "Φ is the standard normal CDF: Φ(z) = P(Z ≤ z) for Z ~ N(0, 1)" in words
    band = math.erf(1 / math.sqrt(2))
    assert (f"[μ, μ + σ] holds exactly half of the {100 * band:.2f} % within μ ± σ: "
            f"Φ(1) − Φ(0) = {phi(1):.4f} − 0.5 = {band / 2:.4f} ≈ {band:.4f} / 2.") in words
    assert "The interval set above, [50, 52.5], is this [μ, μ + σ]: its area above is that half of the band." in words


def test_the_sentence_follows_the_interval():
    at = open_page(PAGE)
    at.button(key="rule2").click().run()
    assert "The interval set above, [45, 55], is μ ± 2σ itself: 0.9545, the rule's 95.45 %." in text(at) and r"\Phi(2) - \Phi(-2)" in formulas(at)[0]
    at.number_input(key="a").set_value(50.0).run()  # [μ, μ + 2σ]
    assert ("The interval set above, [50, 55], is [μ, μ + 2σ], one half of μ ± 2σ: by symmetry it holds exactly "
            f"half of the rule's 95.45 %, {math.erf(2 / math.sqrt(2)) / 2:.4f}") in text(at)
    at.number_input(key="a").set_value(47.5).run()
    at.number_input(key="b").set_value(50.0).run()  # [μ − σ, μ]
    assert "is [μ − σ, μ], one half of μ ± σ" in text(at)
    at.button(key="rule2").click().run()
    at.number_input(key="a").set_value(51.0).run()
    z_a, z_b = (51 - 50) / 2.5, (55 - 50) / 2.5
    words = text(at)
    assert "none of the rule's intervals" in words and f"z = {z_a:g} and z = {z_b:g}" in words
    formula = formulas(at)[0]
    assert rf"\Phi({z_b:g}) - \Phi({z_a:g}) = {phi(z_b):.4f} - {phi(z_a):.4f}" in formula
    assert metrics(at)[AREA] == f"{phi(z_b) - phi(z_a):.4f}"


def test_no_minus_zero_and_no_float_artefacts_in_the_rule_table():
    at = open_page(PAGE, mu="0.3", sigma="0.1")
    assert rule_table(at)[2][0] == "μ ± 3σ = [0, 0.6]"  # 0.3 − 3 × 0.1 is −5.6e-17 in floats
    at.button(key="rule3").click().run()
    assert at.number_input(key="a").value == 0 and math.copysign(1, at.number_input(key="a").value) == 1
    assert "-0 " not in formulas(at)[0] and "-0 \\le" not in formulas(at)[0]


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


def test_one_draw_is_singular():
    at = open_page(PAGE, n="1")
    at.checkbox(key="draw").check().run()
    assert "share of 1 draw inside [a, b]" in metrics(at)


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


def test_bad_link_values_fall_back_with_a_notice():
    at = open_page(PAGE, sigma="-3", mu="abc", n="10000000000")
    notices = " ".join(read_back(w.value) for w in at.warning)
    assert "'sigma=-3' is outside" in notices and "'mu=abc' is not a number" in notices
    assert "'n=10000000000' is outside" in notices
    assert all(w.value == literal(read_back(w.value)) for w in at.warning)  # drawn literally
    assert metrics(at)[AREA] == "0.3413"


def test_a_link_value_declared_after_a_refused_box_is_still_checked_and_said():
    """The box a refuses its link value and reruns the page before n is declared: that rerun
    reads the link too, so n's refusal is said, and each notice once."""
    at = open_page(PAGE, a="1e9", n="0", seed="7")
    said = [read_back(w.value) for w in at.warning]
    assert any("'a=1e9' is outside" in s for s in said) and any("'n=0' is outside 1 to" in s for s in said), said
    assert len(said) == len(set(said)) == 2, said
    assert at.number_input(key="n").value == 1000 and at.number_input(key="seed").value == 7
    assert dict(at.query_params) == {"seed": "7"}, dict(at.query_params)


# --- §6: number boxes checked on the server, and controls kept across pages ----------------------
def notices(at) -> str:
    return " ".join(read_back(w.value) for w in at.warning)


def test_a_sample_size_above_the_maximum_is_moved_to_it_and_said():
    at = open_page(PAGE)
    at.checkbox(key="draw").check().run()
    at.number_input(key="n").set_value(2_000_000).run()
    assert not at.exception
    assert at.number_input(key="n").value == 1_000_000
    assert ("“sample size n” takes values from 1 to 1000000. 2000000 is above that, so the page uses 1000000."
            in notices(at))
    assert "share of 1,000,000 draws inside [a, b]" in metrics(at)  # the page goes on with the value shown
    at.number_input(key="seed").set_value(3).run()
    assert "sample size n" not in notices(at)  # said once, on the change that was moved


def test_an_interval_end_below_the_minimum_is_moved_to_it_and_said():
    at = open_page(PAGE)
    at.number_input(key="a").set_value(-500.0).run()
    assert at.number_input(key="a").value == -100.0
    assert ("“interval start a” takes values from -100 to 200. -500 is below that, so the page uses -100."
            in notices(at))
    assert float(metrics(at)[AREA]) > 0.5  # [−100, 52.5] holds most of N(50, 2.5²)


def test_the_draw_is_kept_across_a_page_change():
    at = open_page(PAGE)
    at.checkbox(key="draw").check().run()
    at.switch_page("pages/2_Likelihood.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.checkbox(key="draw").value
    assert "share of 1,000 draws inside [a, b]" in metrics(at)


def test_the_sampling_error_is_the_difference_of_the_two_figures_shown():
    at = open_page(PAGE, n="37", seed="5")
    at.checkbox(key="draw").check().run()
    share, exact = (m for m in at.metric if m.label.startswith(("share of", "exact probability")))
    error = exact.proto.delta
    assert error == f"{float(share.value) - float(exact.value):+.4f} sampling error".replace("+0.0000", "0.0000")


# --- issue 22 §1: why a density can stand in for a probability ------------------------------------
def test_the_thin_interval_sets_the_area_beside_the_rectangle():
    at = open_page(PAGE)
    m = metrics(at)
    x, delta = 52.5, 2.5                       # z = 1, Δ = σ at the defaults
    area = phi((x + delta - 50) / 2.5) - phi((x - 50) / 2.5)
    height = math.exp(-0.5) / (2.5 * math.sqrt(2 * math.pi))
    assert m["exact area P(x ≤ X ≤ x + Δ)"] == f"{area:.4f}"
    assert m["rectangle p(x) · Δ"] == f"{float(f'{height:.6g}') * delta:.4f}"
    assert m["area / (p(x) · Δ)"] == f"{area / (height * delta):.4f}"
    assert rf"p(52.5) \cdot \Delta = {height:.6g} \times 2.5" in formulas(at)[-1]


def test_shrinking_the_width_takes_the_ratio_to_one_and_writes_tiny_areas_as_powers_of_ten():
    at = open_page(PAGE)
    at.slider(key="thin_k").set_value(0.001).run()
    m = metrics(at)
    delta = 0.0025
    area = phi((52.5 + delta - 50) / 2.5) - phi(1)
    assert m["area / (p(x) · Δ)"] == "0.9995"
    mantissa, power = f"{area:.3e}".split("e")
    assert m["exact area P(x ≤ X ≤ x + Δ)"] == f"{mantissa} × 10⁻⁴" and power == "-04"
    assert "e-0" not in " ".join(formulas(at))


def test_the_thin_interval_follows_mu_and_sigma_without_moving_its_controls():
    at = open_page(PAGE, thin_z="-2", thin_k="0.1")
    at.slider(key="sigma").set_value(10.0).run()
    assert (at.slider(key="thin_z").value, at.slider(key="thin_k").value) == (-2.0, 0.1)
    assert "x = 30, Δ = 1" in " ".join(c.value for c in at.caption)          # μ − 2σ, σ/10
    area = phi(-1.9) - phi(-2)
    assert metrics(at)["exact area P(x ≤ X ≤ x + Δ)"] == f"{area:.4g}"   # four significant digits


def test_the_thin_intervals_link_values_fall_back_with_a_notice():
    at = open_page(PAGE, thin_k="0", thin_z="x")
    said = notices(at)
    assert "'thin_k=0' is outside 0.001 to 2; using 1" in said and "'thin_z=x' is not a number" in said


def test_nothing_on_the_page_answers_its_question_before_the_pick():
    """Issue 18 §2, chapter 1: the question doubles σ; the area under the doubled curve, P(50 ≤ X ≤ 52.5)
    with σ = 5, appears only in the answer."""
    at = open_page(PAGE)
    doubled = f"{phi(0.5) - phi(0):.4f}"
    shown = lambda: " ".join([*(read_back(e.value) for e in (*at.markdown, *at.caption)), *metrics(at).values(),  # noqa: E731
                              *formulas(at)])
    assert doubled == "0.1915" and doubled not in shown()
    (radio,) = [r for r in at.radio if str(r.key).startswith("question:probability")]
    radio.set_value(read_back(radio.options[0])).run()
    assert doubled in shown()
