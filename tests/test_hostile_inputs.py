"""Bad input across the app: each case names what the user sees and proves the last good state stays.

Each row: (page, the hostile thing done, text the user must see, a check that the good state is kept).
"""
from __future__ import annotations

import pytest

from core import story
from pagetest import metrics, open_page, shown

P1, P2, P3 = "pages/1_Probability.py", "pages/2_Likelihood.py", "pages/3_Likelihood_function.py"
GOOD_A = "7.0030e-07"  # L(A | x) on the article's data


def _type_data(text):
    return lambda at: at.text_area(key="x_text").input(text).run()


def _lik_a_kept(at):
    return metrics(at)["L(A | x)"] == GOOD_A


def _area_kept(at):
    return metrics(at)["P(a ≤ X ≤ b), the shaded area"] == "0.3413"


DATA_CASES = [
    ("empty data", _type_data(""), "at least one observation"),
    ("only separators", _type_data(" , ;; \n"), "at least one observation"),
    ("a word", _type_data("48.8, banana"), "'banana', is not a number"),
    ("emoji", _type_data("48.8, 🙂"), "is not a number"),
    ("right-to-left text", _type_data("48.8, مرحبا"), "is not a number"),
    ("HTML", _type_data("<script>alert(1)</script>"), "is not a number"),
    ("thousands of characters", _type_data("9" * 30_000), "more than 20,000 characters"),
    ("too many numbers", _type_data(", ".join(["1"] * 1500)), "more than the 1000"),
    ("infinity", _type_data("1, inf"), "not a usable number"),
    ("not a number", _type_data("1, nan"), "not a usable number"),
    ("a huge number", _type_data("1e308"), "not a usable number"),
]


@pytest.mark.parametrize("name,act,message", DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_observations_keep_the_last_good_data(name, act, message):
    at = open_page(P2)
    act(at)
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert message in shown
    assert "Still using the last good data" in shown
    assert _lik_a_kept(at)


def test_html_in_the_data_is_shown_as_text_not_markup():
    at = open_page(P2)
    _type_data("<script>alert(1)</script>")(at)
    # The message quotes the input as it was typed; the browser test checks it stays text on screen.
    assert "'<script>alert(1)</sc…'" in at.error[0].value


URL_CASES = [
    (P1, {"sigma": "0"}, "sigma=0"),                 # σ ≤ 0
    (P1, {"sigma": "1e-300"}, "sigma=1e-300"),       # σ near 0
    (P1, {"mu": "abc"}, "mu=abc"),
    (P1, {"mu": "nan"}, "not a finite number"),
    (P1, {"n": "10000000"}, "n=10000000"),           # a huge n
    (P1, {"n": "2.5"}, "whole number"),
    (P1, {"a": "__import__('os')"}, "is not a number"),
    (P2, {"x": "1,2,<b>"}, "could not be used"),
    (P2, {"sigmaA": "-5"}, "sigmaA=-5"),
    (P3, {"sigma": "x" * 5000}, "too long"),
]


@pytest.mark.parametrize("path,query,message", URL_CASES, ids=[f"{p.split('_', 1)[1]}-{list(q)[0]}" for p, q, _ in URL_CASES])
def test_malformed_links_fall_back_with_a_notice(path, query, message):
    at = open_page(path, **query)
    assert not at.exception
    assert message in " ".join(w.value for w in at.warning)


def test_bad_link_values_leave_the_defaults_in_place():
    at = open_page(P1, sigma="-1", mu="abc")
    assert _area_kept(at)


@pytest.mark.parametrize("chapter", story.CHAPTERS, ids=lambda c: story.url_path(c))
def test_every_page_survives_garbage_in_every_parameter(chapter):
    """Whatever keys a page keeps in its URL, garbage in all of them gives notices, not errors."""
    keys = [k for k in open_page(chapter.path).query_params if k != "present"]
    at = open_page(chapter.path, **{k: "-1e999<script>" for k in keys})
    assert not at.exception
    assert len(at.warning) >= len(keys) > 0


# --- the bigram page: uploads, names to score, extreme training settings ----------------------
P7 = "pages/7_Bigram_model.py"
GOOD_UPLOAD = b"emma\nolivia\nava\n"

UPLOAD_CASES = [
    ("empty file", b"", "The file is empty"),
    ("not UTF-8", "émilie\nzoë\n".encode("latin-1"), "not UTF-8 text"),
    ("binary file", bytes(range(256)) * 40, "binary file"),
    ("control characters", b"\x01\x02\x03\x04\x05\x06a\n" * 10, "binary file"),
    ("over 5 MB", b"anna\n" * (1_100_000), "the limit is 5 MB"),
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
    text = shown(at.error)
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
    assert message in shown(at.error) and "Showing “andrej” instead" in shown(at.error)
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
    assert message in " ".join(w.value for w in at.warning)
    assert metrics(at)["names"] == "32,033"


def test_an_impossible_year_range_keeps_the_last_good_corpus():
    at = open_page(P7)
    at.number_input(key="years_from").set_value(2010).run()
    narrowed = metrics(at)["names"]
    at.number_input(key="years_to").set_value(2000).run()   # from 2010 to 2000: impossible
    assert "Still using the names born 2010–2017" in at.error[0].value
    assert metrics(at)["names"] == narrowed
