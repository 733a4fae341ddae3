"""core.story: the chapters in order, their files, neighbours and URL paths."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import story as S

ROOT = Path(__file__).resolve().parents[1]

NAMES = ("Probability", "Likelihood", "Likelihood function", "Log likelihood",
         "Maximum likelihood", "Negative log likelihood", "Bigram model")


def test_seven_chapters_in_order():
    assert len(S.CHAPTERS) == 7
    assert tuple(c.title for c in S.CHAPTERS) == tuple(f"{i} · {name}" for i, name in enumerate(NAMES, 1))
    assert S.STORY == (S.HOME, *S.CHAPTERS)
    assert S.HOME.path == "app.py"


def test_paths_are_numbered_like_titles():
    for i, (c, name) in enumerate(zip(S.CHAPTERS, NAMES), 1):
        assert c.path == f"pages/{i}_{name.replace(' ', '_')}.py"


def test_every_path_exists_and_no_page_is_left_out():
    for c in S.STORY:
        assert (ROOT / c.path).is_file(), c.path
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert on_disk == {c.path for c in S.CHAPTERS}


def test_unique_paths_titles_and_icons_look_like_material():
    assert len({c.path for c in S.STORY}) == len(S.STORY)
    assert len({c.title for c in S.STORY}) == len(S.STORY)
    assert all(re.fullmatch(r":material/[a-z_]+:", c.icon) for c in S.STORY)


def test_neighbours_at_both_ends_and_in_the_middle():
    assert S.neighbours("app.py") == (None, S.CHAPTERS[0])
    assert S.neighbours(S.CHAPTERS[-1].path) == (S.CHAPTERS[-2], None)
    assert S.neighbours(S.CHAPTERS[0].path) == (S.HOME, S.CHAPTERS[1])
    assert S.neighbours("pages/4_Log_likelihood.py") == (S.CHAPTERS[2], S.CHAPTERS[4])
    # walking forward visits every page once, in order
    walk, here = [S.HOME], S.HOME
    while (nxt := S.neighbours(here.path)[1]) is not None:
        walk.append(nxt)
        here = nxt
    assert tuple(walk) == S.STORY


def test_neighbours_of_an_unknown_page():
    with pytest.raises(ValueError):
        S.neighbours("pages/8_Nothing.py")


def test_url_path():
    assert S.url_path(S.HOME) == ""
    assert S.url_path(S.CHAPTERS[0]) == "Probability"
    assert S.url_path(S.CHAPTERS[2]) == "Likelihood_function"
    for c in S.CHAPTERS:
        assert S.url_path(c) == re.sub(r"^\d+_", "", Path(c.path).stem)
    assert [S.url_path(c) for c in S.CHAPTERS] == [n.replace(" ", "_") for n in NAMES]
