"""Links and the values they carry (issue 12, sections 1, 3 and 6), below the browser.

core.share: the link of the view on screen and its QR code, decoded back with zxing-cpp.
ui.frame in AppTest: a page comes back as it was left, in the session and in its links; a link
that asks for something else wins; the clicker's key buttons switch chapters; a number box
shows the value in use and says what it did with a typed value out of range.
"""
from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

from core import share, shared_run, story
from pagetest import figure_value, metrics, open_page, shown

P1, P2, P3 = (c.path for c in story.CHAPTERS[:3])
P5, P6, P7 = (c.path for c in story.CHAPTERS[4:7])


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


# --- core.share ------------------------------------------------------------------------------
def test_the_link_keeps_host_prefix_and_the_parameters_in_order():
    link = share.view_url("https://class.example:8443/stats/Probability", {"mu": "70", "sigma": "2.5", "a": "-1.96"})
    parts = urlsplit(link.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "class.example:8443", "/stats/Probability")
    assert list(parse_qs(parts.query)) == ["mu", "sigma", "a"]
    assert parse_qs(parts.query) == {"mu": ["70"], "sigma": ["2.5"], "a": ["-1.96"]}
    assert link.left_out == ()


def test_typed_text_is_encoded_so_the_link_reads_back_the_same():
    data = "48.8292, 49.3087\n52.4836 & #x=1"
    link = share.view_url("http://h/Likelihood", {"x": data, "muA": "50"})
    assert parse_qs(urlsplit(link.url).query) == {"x": [data], "muA": ["50"]}
    assert "#" not in link.url and " " not in link.url


def test_a_parameter_too_long_for_a_readable_code_is_left_out():
    many = ", ".join(f"{50 + i / 7:.4f}" for i in range(300))
    link = share.view_url("http://h/Likelihood", {"muA": "50", "x": many, "sigmaA": "5"})
    assert link.left_out == ("x",)
    assert len(link.url) <= share.MAX_LINK
    assert parse_qs(urlsplit(link.url).query) == {"muA": ["50"], "sigmaA": ["5"]}
    assert share.view_url("http://h/Likelihood", {"x": many}, limit=10_000).left_out == ()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8501/Probability?mu=70&sigma=2.5&a=50&b=52.5&n=1000&seed=0",
    "https://class.example/stats/Likelihood?x=48.8292%2C%2049.3087&muA=50",
    "http://localhost:8501/",
])
def test_the_code_decodes_to_the_link(url):
    png = share.qr_png(url)
    assert decode(png) == [url]
    image = Image.open(io.BytesIO(png))
    assert image.size == (share.qr_side(url),) * 2
    modules = share.qr_side(url) // share.SCALE - 2 * share.BORDER
    assert modules == share.qr_code(url).symbol_size(scale=1, border=0)[0]
    assert share.qr_code(url).error in ("M", "Q", "H")


def test_the_longest_link_still_makes_a_code_of_modest_density():
    url = "http://h/" + "a" * (share.MAX_LINK - len("http://h/"))
    assert share.qr_code(url).version <= 17        # at most 85 modules a side
    assert decode(share.qr_png(url)) == [url]


# --- a page comes back as it was left (AppTest) ------------------------------------------------
def link_query(at, page_name: str, label_part: str = "") -> dict[str, str]:
    """The query of the first page link to `page_name` (URL path) whose label holds label_part."""
    for link in at.get("page_link"):
        if link.proto.page == page_name and label_part in link.proto.label:
            return {k: v[0] for k, v in parse_qs(link.proto.query_string).items()}
    raise AssertionError(f"no link to {page_name}")


def follow(at, path: str):
    """Go to `path` the way a click on its chapter in the sidebar (Streamlit's own navigation) does
    in a browser: with no query at all (AppTest's switch_page alone would keep the old page's
    query). What the page shows then, it finds kept in the session."""
    at.query_params.clear()
    return at.switch_page(path).run()


def test_page_one_comes_back_as_it_was_left_in_the_session_and_the_url():
    at = open_page(P1)
    at.slider(key="mu").set_value(70.0).run()
    at.number_input(key="b").set_value(75.0).run()
    follow(at, P2)
    assert "mu" not in at.query_params                           # page 2's own URL
    back = link_query(at, "Probability", "←")                   # the link back carries page 1's values
    assert (back["mu"], back["b"]) == ("70", "75")
    follow(at, P1)
    assert at.slider(key="mu").value == 70.0 and at.number_input(key="b").value == 75.0
    assert float(at.query_params["mu"]) == 70 and float(at.query_params["b"]) == 75   # its URL says so again
    assert not at.warning                                        # nothing said: nothing was moved


def test_pages_that_share_a_key_name_keep_their_own_values():
    at = open_page(P1)
    at.slider(key="mu").set_value(70.0).run()
    follow(at, P3)
    own = at.slider(key="lf_mu").value
    assert own != 70.0                                  # page 3's μ is its own, not page 1's
    at.slider(key="lf_sigma").set_value(at.slider(key="lf_sigma").value + 1).run()
    sigma3 = at.slider(key="lf_sigma").value
    follow(at, P1)
    assert at.slider(key="mu").value == 70.0
    follow(at, P3)
    assert at.slider(key="lf_mu").value == own and at.slider(key="lf_sigma").value == sigma3


def test_a_link_that_asks_for_other_values_wins_on_arrival():
    at = open_page(P1)
    at.slider(key="mu").set_value(70.0).run()
    follow(at, P2)
    at.query_params.update({"mu": "20"})           # a link to page 1 with another μ
    at.switch_page(P1).run()
    assert at.slider(key="mu").value == 20.0


def test_the_climb_of_page_five_stays():
    at = open_page(P5)
    at.number_input(key="ga_mu0").set_value(40.0).run()
    at.button(key="mle_run").click().run()
    before = metrics(at)
    assert figure_value(before["|μ − μ̂|"]) < 1e-3
    follow(at, P6)
    follow(at, P5)
    assert at.number_input(key="ga_mu0").value == 40.0
    assert metrics(at) == before                      # same point, same gradient: the path was kept


def test_the_bigram_training_settings_stay_and_nothing_is_trained_again():
    at = open_page(P7, steps="150", lr="20")
    at.button(key="train").click().run()
    trained = metrics(at)["data NLL alone"]
    computed = shared_run.CACHE.computations
    follow(at, P6)
    follow(at, P7)
    assert (at.number_input(key="steps").value, at.number_input(key="lr").value) == (150, 20.0)
    assert at.query_params["trained"] == "1"
    assert metrics(at)["data NLL alone"] == trained
    assert shared_run.CACHE.computations == computed
    assert "After 150 steps" in shown(at.caption)


def test_the_observations_typed_on_page_two_show_on_page_three():
    at = open_page(P2)
    at.text_area(key="x_text").set_value("40 45 50 55 60").run()
    follow(at, P3)
    assert at.text_area(key="x_text").value == "40, 45, 50, 55, 60"
    follow(at, P2)
    assert at.query_params["x"] == "40, 45, 50, 55, 60"


# --- the clicker's keys, in AppTest -------------------------------------------------------------
def test_key_buttons_switch_to_the_next_and_previous_chapter_with_their_values():
    at = open_page(P1, present="1", mu="70")
    shortcuts = {b.key: b.proto.shortcut.lower() for b in at.button if b.key and b.key.startswith("frame_")}
    assert shortcuts == {"frame_next": "pagedown", "frame_next_arrow": "right",
                         "frame_previous": "pageup", "frame_previous_arrow": "left"}
    at.button(key="frame_next").click().run()
    assert at.title[0].value == "Likelihood"
    at.button(key="frame_previous_arrow").click().run()
    assert at.title[0].value == "Probability"
    assert at.slider(key="mu").value == 70.0 and at.query_params["present"] == "1"


def test_reading_mode_has_no_key_buttons():
    at = open_page(P1)
    assert not [b for b in at.button if b.key and b.key.startswith("frame_")]


# --- a typed value out of range (section 6) ----------------------------------------------------
@pytest.mark.parametrize("typed, used, side", [(5000, 1000, "above"), (-3, 1, "below")])
def test_a_number_out_of_range_is_moved_in_and_the_notice_says_so(typed, used, side):
    at = open_page(P2)
    at.number_input(key="sample_n").set_value(typed).run()
    assert at.number_input(key="sample_n").value == used
    notice = shown(at.warning)
    assert f"{typed} is {side} that, so the page uses {used}" in notice and "from 1 to 1000" in notice
    at.button(key="sample_draw").click().run()
    assert len(at.text_area(key="x_text").value.split(",")) == used
    assert not at.warning                               # said once, not on every run after


def test_a_number_in_range_is_used_as_typed_without_a_notice():
    at = open_page(P2)
    at.number_input(key="sample_sigma").set_value(0.5).run()
    assert at.number_input(key="sample_sigma").value == 0.5 and not at.warning


def test_the_sample_settings_stay_on_their_page():
    at = open_page(P2)
    at.number_input(key="sample_seed").set_value(7).run()
    follow(at, P1)
    follow(at, P2)
    assert at.number_input(key="sample_seed").value == 7


def test_presenter_mode_has_the_share_box_and_says_when_the_address_is_unknown():
    # AppTest has no browser, so no st.context.url: the box says so rather than guess an address.
    at = open_page(P1, present="1")
    box = [e for e in at.expander if e.label == "Follow on your phone"]
    assert len(box) == 1
    assert "not known yet" in shown(box[0].caption)
    assert not [e for e in open_page(P1).expander if e.label == "Follow on your phone"]
