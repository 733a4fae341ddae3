"""Bad input across the app: each case names what the user sees and proves the last good state stays.

Each row: (page, the hostile thing done, text the user must see, a check that the good state is kept).
Visitor text on screen: ui.text.literal at unit depth here, the AppTest's Markdown bodies here,
and what Chromium draws in tests/test_browser_planted.py.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from decimal import Decimal

import pytest

from core import story, text as text_module
from core.parsing import MAX_DATA_TEXT
from pagetest import metrics, nodes, open_page
from ui.text import JOINER, literal, read_back, visible


def seen(elements) -> str:
    """What a reader sees of alerts drawn with ui.text.say: escapes and joiners taken out."""
    return " ".join(read_back(e.value) for e in elements)

P1, P2, P3 = "pages/1_Probability.py", "pages/2_Likelihood.py", "pages/3_Likelihood_function.py"
GOOD_A = "7.0030 × 10⁻⁷"  # L(A | x) on the article's data


def _type_data(text):
    return lambda at: at.text_area(key="x_text").input(text).run()


def _answered(at):
    """Page 2 shows the likelihoods once its question is answered (they would give the answer away)."""
    (radio,) = [r for r in at.radio if str(r.key).startswith("question:likelihood")]
    if radio.value is None:
        radio.set_value(read_back(radio.options[0])).run()
    return at


def _lik_a_kept(at):
    return metrics(_answered(at))["L(A | x)"] == GOOD_A


def _area_kept(at):
    return metrics(at)["P(a ≤ X ≤ b), the shaded area"] == "0.3413"


DATA_CASES = [
    ("empty data", _type_data(""), "at least one observation"),
    ("only separators", _type_data(" , ;; \n"), "at least one observation"),
    ("a word", _type_data("48.8, banana"), "'banana', is not a number"),
    ("emoji", _type_data("48.8, 🙂"), "is not a number"),
    ("right-to-left text", _type_data("48.8, مرحبا"), "is not a number"),
    ("HTML", _type_data("<script>alert(1)</script>"), "is not a number"),
    ("thousands of characters", _type_data("9" * (MAX_DATA_TEXT + 1)), f"more than {MAX_DATA_TEXT:,} characters"),
    ("too many numbers", _type_data(", ".join(["1"] * 1500)), "more than the 1000"),
    ("infinity", _type_data("1, inf"), "not a usable number"),
    ("not a number", _type_data("1, nan"), "not a usable number"),
    ("a huge number", _type_data("1e308"), "not a usable number"),
    # Section 6: a comma between digits is a decimal comma, a thousands separator or a list.
    ("decimal commas", _type_data("48,8; 49,3; 52,5"), "'48,8' has a comma between two digits"),
    ("thousands separators", _type_data("1,000 2,500"), "'1,000' has a comma between two digits"),
    ("thin-space thousands", _type_data("1\u202f000 2\u202f500"), "thin or no-break space between two digits"),
    ("underscore thousands", _type_data("1_000"), "'1_000', is not a number"),
    ("full-width digits", _type_data("\uff14\uff18.8"), "is not a number"),
    ("a bidi override", _type_data("48.8 \u202e8.84"), "'⟨U+202E⟩8.84', is not a number"),
]


@pytest.mark.parametrize("name,act,message", DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_observations_keep_the_last_good_data(name, act, message):
    at = open_page(P2)
    act(at)
    assert not at.exception
    said = seen(at.error)
    assert message in said
    assert "Still using the last good data: 48.8292, 49.3087" in said
    assert _lik_a_kept(at)


def test_html_in_the_data_is_shown_as_text_not_markup():
    at = open_page(P2)
    _type_data("<script>alert(1)</script>")(at)
    # The message quotes the input as it was typed, every Markdown character escaped; the browser
    # test checks it stays text on screen.
    assert "'<script>alert(1)</script>'" in seen(at.error)
    assert r"\<script\>alert\(1\)\<\/script\>" in at.error[0].value


def test_ambiguous_data_in_a_link_falls_back_with_a_notice():
    at = open_page(P2, x="48,8; 49,3; 52,5")
    assert "'x=48,8; 49,3; 52,5' could not be used: '48,8' has a comma between two digits" in seen(at.warning)
    assert _lik_a_kept(at)


# --- "all equal" only when they are -----------------------------------------------------------
@pytest.mark.parametrize("data", ["0, 1e-300", "1e-300, 2e-300"])
def test_values_too_close_to_compute_with_are_not_called_equal(data):
    at = open_page(P3, x=data)
    assert not at.exception
    said = seen(at.error)
    assert "differ by only" in said and "equal" not in said
    at = open_page(P2, x=data)
    at.checkbox(key="show_mle").check().run()
    assert "differ by only" in seen(at.info) and "equal" not in seen(at.info)
    assert "L(MLE | x)" not in metrics(_answered(at)) and "L(A | x)" in metrics(at)


def test_values_that_differ_past_the_tenth_digit_are_kept_apart():
    at = open_page(P3, x="48.8, 48.80000000001")
    assert not at.exception and not at.error
    assert at.text_area(key="x_text").value == "48.8, 48.80000000001"
    at = open_page(P2)
    _type_data("48.8, 48.80000000001")(at)
    at.checkbox(key="show_mle").check().run()
    _answered(at)
    assert not at.info and "L(MLE | x)" in metrics(at)
    assert at.query_params["x"] == "48.8, 48.80000000001"


def test_equal_values_are_still_called_equal():
    at = open_page(P3, x="0.1, 0.1, 0.1")   # their sum rounds: their mean must not
    assert "All observations are equal" in seen(at.error)


URL_CASES = [
    (P1, {"sigma": "0"}, "sigma=0"),                 # σ ≤ 0
    (P1, {"sigma": "1,5"}, "'sigma=1,5' is not a number (use a point for decimals)"),
    (P1, {"n": "1_000"}, "'n=1_000' is not a number"),
    (P1, {"mu": "\u202e50"}, "'mu=⟨U+202E⟩50' is not a number"),
    (P3, {"lf_mu": "1000"}, "'lf_mu=1000' is outside"),      # in the page's bounds, outside the data's range
    (P3, {"lf_sigma": "0.02"}, "'lf_sigma=0.02' is outside"),
    (P1, {"sigma": "1e-300"}, "sigma=1e-300"),       # σ near 0
    (P1, {"mu": "abc"}, "mu=abc"),
    (P1, {"mu": "nan"}, "not a finite number"),
    (P1, {"n": "10000000"}, "n=10000000"),           # a huge n
    (P1, {"n": "2.5"}, "whole number"),
    (P1, {"a": "__import__('os')"}, "is not a number"),
    (P2, {"x": "1,2,<b>"}, "could not be used"),
    (P2, {"sigmaA": "-5"}, "sigmaA=-5"),
    (P3, {"lf_sigma": "x" * 5000}, "too long"),
]


@pytest.mark.parametrize("path,query,message", URL_CASES, ids=[f"{p.split('_', 1)[1]}-{list(q)[0]}" for p, q, _ in URL_CASES])
def test_malformed_links_fall_back_with_a_notice(path, query, message):
    at = open_page(path, **query)
    assert not at.exception
    assert message in seen(at.warning)


def test_page_3_says_what_it_used_for_a_link_value_outside_the_datas_range():
    at = open_page(P3, lf_mu="1000", lf_sigma="0.02")
    slider_mu, slider_sigma = at.slider(key="lf_mu"), at.slider(key="lf_sigma")
    said = seen(at.warning)
    # The notice gives the range of these data, its ends short and inside it, and the value used;
    # the slider holds that value.
    for key, slider, used in (("lf_mu=1000", slider_mu, "50"), ("lf_sigma=0.02", slider_sigma, "5")):
        ends = re.search(rf"'{key}' is outside (\S+) to (\S+); using {used}\.", said)
        assert ends, said
        assert slider.min <= float(ends[1]) < float(ends[2]) <= slider.max
        assert all(len(Decimal(end).normalize().as_tuple().digits) <= 4 for end in ends.groups()), ends.groups()
    assert slider_mu.value == 50 and slider_sigma.value == 5
    # The two sliders share a row (page.controls_row); the notices come under it, not into it.
    assert _row_keys(at, "lf_mu") == ["lf_mu", "lf_sigma"]
    # A value inside the range is taken silently, as on every page.
    assert not open_page(P3, lf_mu="52", lf_sigma="3").warning


def test_page_3_shows_a_notice_about_its_data_outside_the_closed_box():
    at = open_page(P3, x="1, banana")
    notice = next(w for w in at.warning if "banana" in read_back(w.value))
    # Not inside the expander (closed by default): drawn in the page's main column.
    assert not any(notice in list(e) for e in at.expander)


def test_bad_link_values_leave_the_defaults_in_place():
    at = open_page(P1, sigma="-1", mu="abc")
    assert _area_kept(at)


@pytest.mark.parametrize("chapter", story.CHAPTERS, ids=lambda c: c.url_path)
def test_every_page_survives_garbage_in_every_parameter(chapter):
    """Whatever keys a page keeps in its URL, garbage in all of them gives notices, not errors."""
    keys = list(open_page(chapter.path).session_state["frame_linked"][chapter.path])
    at = open_page(chapter.path, **{k: "-1e999<script>" for k in keys})
    assert not at.exception
    assert len(at.warning) >= len(keys) > 0


# --- content planted through a link: shown as its characters, never as Markdown ---------------
PLANTED = {
    "link": "[Session expired: log in](https://evil.example/login)",
    "image": "![x](http://127.0.0.1:9/pixel.png)",
    "styled": ":red-background[**ACCOUNT LOCKED**]",
    "latex": "$\\frac{1}{2}$",
    "bidi": "50\u202eevil",
    "bare links": "https://evil.example www.evil.example a@evil.example",
    "icons": ":material/lock: :material_lock: :streamlit: :smile:",
    "html": "<b>bold</b><img src=x onerror=alert(1)>",
    "arrows": "a -> b <= c -- d",
}


@pytest.mark.parametrize("text", list(PLANTED.values()), ids=list(PLANTED))
def test_literal_leaves_no_markdown_construct_open(text):
    body = literal(text)
    # Every ASCII punctuation character is escaped, so none can start a construct ...
    assert not re.search(r"(?<!\\)[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", body))
    # ... the plugins that search the text after escapes (links, icons, arrows) find no pattern ...
    plain_text = body.replace("\\", "")
    for pattern in (r"https?://", r"www\.", r"\w@", r":[\w/+-]+:", r"(^|\s)(->|<-|--|<=|>=)(\s|$)"):
        assert not re.search(pattern, plain_text), pattern
    # ... and a reader sees exactly the characters given, reordering ones as code points.
    assert read_back(body) == visible(text)
    assert "\u202e" not in body


def test_a_table_shows_every_cell_literally_and_no_cell_breaks_out_of_its_column():
    from streamlit.testing.v1 import AppTest

    def script():
        from ui.text import table
        table(("a | b", "$x$"), [("| planted |", "**bold** -> [link](https://example.com)")])

    shown = AppTest.from_function(script, default_timeout=60).run().markdown[0].value
    head, rule, row = shown.splitlines()
    assert rule == "| --- | --- |"
    assert [read_back(cell).strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] == [
        "| planted |", "**bold** -> [link](https://example.com)"]
    assert [read_back(cell).strip() for cell in re.split(r"(?<!\\)\|", head)[1:-1]] == ["a | b", "$x$"]


def test_visible_shows_invisible_and_reordering_characters():
    assert visible("a\u202eb\u2066c\u200bd\ufeff") == "a⟨U+202E⟩b⟨U+2066⟩c⟨U+200B⟩d⟨U+FEFF⟩"
    assert visible("line\nbreak\r\ttab") == "line break  tab"
    assert visible("e\u0301") == "\u00e9"   # one normal form, NFC
    assert visible(JOINER) == "⟨U+2060⟩"     # a visitor's joiner is shown, never taken for ours


def test_visible_turns_exactly_the_control_and_separator_characters_into_spaces():
    breaks = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cc", "Zl", "Zp")}
    assert set(text_module._BREAKS_TO_SPACES) == breaks


@pytest.mark.parametrize("name,text", list(PLANTED.items()), ids=list(PLANTED))
def test_a_planted_link_value_is_escaped_in_its_notice(name, text):
    at = open_page(P2, sigmaA=text)
    notice = next(w for w in at.warning if "sigmaA" in read_back(w.value))
    assert notice.value == literal(read_back(notice.value))   # the whole notice goes through the rule
    assert f"'sigmaA={visible(text)}'" in read_back(notice.value)


# --- the bigram page: uploads, names to score, extreme training settings ----------------------
P7 = "pages/7_Bigram_model.py"
GOOD_UPLOAD = b"emma\nolivia\nava\n"

UPLOAD_CASES = [
    ("empty file", b"", "The file is empty"),
    ("not UTF-8", "émilie\nzoë\n".encode("latin-1"), "not UTF-8 text"),
    ("binary file", bytes(range(256)) * 40, "binary file"),
    ("control characters", b"\x01\x02\x03\x04\x05\x06a\n" * 10, "binary file"),
    ("over 5 MB", b"anna\n" * (1_100_000), "the limit is 5 MiB"),
    ("no usable name", b"\n   \n\t\n", "No usable name"),
    ("a name with '.'", b"emma\nj.r.r\n", "contains '.'"),
    # The file's name is quoted with markdown's specials escaped: shown as text, never as markup.
    ("HTML file name", b"", "“<img src=x onerror=alert(1)>.txt” cannot be used"),
]


def _upload(at, content: bytes, name: str = "names.txt"):
    at.get("file_uploader")[0].set_value((name, content, "text/plain"))
    return at.run()


@pytest.mark.parametrize("name,content,message", UPLOAD_CASES, ids=[c[0] for c in UPLOAD_CASES])
@pytest.mark.parametrize("before", ["built-in", "uploaded"])
def test_bad_uploads_keep_the_corpus_in_use(name, content, message, before):
    at = open_page(P7)
    if before == "uploaded":
        _upload(at, GOOD_UPLOAD, "good.txt")
    kept = metrics(at)["names"]
    _upload(at, content, "<img src=x onerror=alert(1)>.txt" if name == "HTML file name" else "bad.txt")
    assert not at.exception
    text = seen(at.error)
    assert message in text and "Still using" in text
    assert metrics(at)["names"] == kept == ("3" if before == "uploaded" else "32,033")


NAME_CASES = [
    ("emoji", "🙂", "Not in this corpus's alphabet"),
    ("right-to-left text", "مرحبا", "Not in this corpus's alphabet"),
    ("thousands of characters", "a" * 5000, "at most 50 characters"),
    ("HTML", "<script>alert(1)</script>", "Not in this corpus's alphabet"),
    ("blank", "   ", "Type a name"),
    ("the end marker", "ann.a", "Not in this corpus's alphabet"),
]


@pytest.mark.parametrize("name,typed,message", NAME_CASES, ids=[c[0] for c in NAME_CASES])
def test_names_that_cannot_be_scored_keep_the_last_good_one(name, typed, message):
    at = open_page(P7)
    good = metrics(at)["average NLL of “andrej”"]
    at.text_input(key="score_name").input(typed).run()
    assert not at.exception
    assert message in seen(at.error) and "Showing “andrej” instead" in seen(at.error)
    assert metrics(at)["average NLL of “andrej”"] == good


EXTREME_LINKS = [
    ({"lr": "1e9"}, "lr=1e9"),                       # beyond the learning-rate bound
    ({"steps": "10000000"}, "steps=10000000"),       # ten million steps
    ({"reg": "-1"}, "reg=-1"),
    ({"names": "0"}, "names=0"),
    ({"years_from": "1700"}, "years_from=1700"),
    ({"k": "inf"}, "not a finite number"),
]


@pytest.mark.parametrize("query,message", EXTREME_LINKS, ids=[list(q)[0] for q, _ in EXTREME_LINKS])
def test_extreme_bigram_links_fall_back_with_a_notice(query, message):
    at = open_page(P7, **query)
    assert not at.exception
    assert message in seen(at.warning)
    assert metrics(at)["names"] == "32,033"


def test_an_impossible_year_range_keeps_the_last_good_corpus():
    at = open_page(P7)
    at.number_input(key="years_from").set_value(2010).run()
    narrowed = metrics(at)["names"]
    at.number_input(key="years_to").set_value(2000).run()   # from 2010 to 2000: impossible
    assert "Still using the names born 2010–2017" in at.error[0].value
    assert metrics(at)["names"] == narrowed


# --- §6: a number typed out of a box's range is moved to the nearest end, and said -----------------
BOX_CASES = [
    (P1, "n", 10**12, 1_000_000, "“sample size n”"),
    (P1, "b", -1e300, -100.0, "“interval end b”"),
    (P2, "sigmaB", -5.0, 0.01, "“B: σ”"),
    ("pages/4_Log_likelihood.py", "uf_n", 0, 1, "“observations n”"),
    ("pages/5_Maximum_likelihood.py", "ga_sigma0", -1.0, 0.1, "“start σ₀”"),
]


@pytest.mark.parametrize("page,key,typed,used,label", BOX_CASES, ids=[f"{c[1]}={c[2]}" for c in BOX_CASES])
def test_a_number_out_of_range_is_moved_to_the_nearest_end_and_said(page, key, typed, used, label):
    at = open_page(page)
    at.number_input(key=key).set_value(typed).run()
    assert not at.exception and not at.error
    assert at.number_input(key=key).value == used
    said = seen(at.warning)
    assert f"{label} takes values from" in said and f"so the page uses {used:.10g}." in said


def _row_keys(at, key: str) -> list:
    """The widget keys (None for other elements) of the container that holds the widget `key`, in order."""
    row = next(n for n in nodes(at.main) if any(getattr(c, "key", None) == key for c in getattr(n, "children", {}).values()))
    return [getattr(c, "key", None) for c in row.children.values()]


def test_a_row_inside_a_row_says_its_notices_under_the_outer_row():
    from streamlit.testing.v1 import AppTest

    def script():
        from core import story
        from ui.frame import Page

        page = Page(story.STORY[1], presenter=False)
        with page.controls_row():
            page._say(":material/link:", "outer first")
            with page.controls_row():
                page._say(":material/link:", "inner")
            page._say(":material/link:", "outer last")

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert [read_back(w.value) for w in at.warning] == ["outer first", "inner", "outer last"]
    assert not any(getattr(child, "type", "") == "warning"    # every notice under the rows, none inside one
                   for block in nodes(at.main) if block is not at.main
                   for child in getattr(block, "children", {}).values())


def test_the_notice_of_a_box_in_a_row_comes_under_the_row():
    """Page.controls_row: the bigram page's training settings side by side in one container; a
    number typed out of range there is said under the row, not as one more item beside the boxes."""
    at = open_page(P7)
    at.number_input(key="steps").set_value(10**9).run()
    assert not at.exception and at.number_input(key="steps").value == 10_000
    assert "“steps” takes values from 1 to 10000. 1000000000 is above that, so the page uses 10000." in seen(at.warning)
    assert _row_keys(at, "steps") == ["lr", "steps", "reg", "wseed"]
