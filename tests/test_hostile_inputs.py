"""Bad input across the app: each case names what the user sees and proves the last good state stays.

Each row: (page, the hostile thing done, text the user must see, a check that the good state is kept).
"""
from __future__ import annotations

import pytest

from core import story
from pagetest import metrics, open_page

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
