"""core.story: the chapters in order, their files, neighbours and URL paths."""
from __future__ import annotations

import base64
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from core import story as S

ROOT = Path(__file__).resolve().parents[1]

NAMES = ("Probability", "Likelihood", "Likelihood function", "Log likelihood",
         "Maximum likelihood", "Negative log likelihood", "Bigram model", "NLL ranks language models")


def test_eight_chapters_in_order():
    assert len(S.CHAPTERS) == 8
    assert tuple(c.title for c in S.CHAPTERS) == tuple(f"{i} · {name}" for i, name in enumerate(NAMES, 1))
    assert S.STORY == (S.HOME, *S.CHAPTERS)
    assert S.HOME.path == "pages/0_Start_here.py" and S.HOME.url_path == ""


def test_paths_are_numbered_like_titles():
    for i, (c, name) in enumerate(zip(S.CHAPTERS, NAMES), 1):
        assert c.path == f"pages/{i}_{name.replace(' ', '_')}.py"


def test_every_path_exists_and_no_page_is_left_out():
    for c in S.STORY:
        assert (ROOT / c.path).is_file(), c.path
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert on_disk == {c.path for c in S.STORY}


def test_unique_paths_titles_and_icons_look_like_material():
    assert len({c.path for c in S.STORY}) == len(S.STORY)
    assert len({c.title for c in S.STORY}) == len(S.STORY)
    assert all(re.fullmatch(r":material/[a-z_]+:", c.icon) for c in S.STORY)


def test_neighbours_at_both_ends_and_in_the_middle():
    assert S.neighbours(S.HOME) == (None, S.CHAPTERS[0])
    assert S.neighbours(S.CHAPTERS[-1]) == (S.CHAPTERS[-2], None)
    assert S.neighbours(S.CHAPTERS[0]) == (S.HOME, S.CHAPTERS[1])
    assert S.neighbours(S.CHAPTERS[3]) == (S.CHAPTERS[2], S.CHAPTERS[4])
    # walking forward visits every page once, in order
    walk, here = [S.HOME], S.HOME
    while (nxt := S.neighbours(here)[1]) is not None:
        walk.append(nxt)
        here = nxt
    assert tuple(walk) == S.STORY


def test_neighbours_of_an_unknown_page():
    with pytest.raises(ValueError):
        S.neighbours(S.Chapter("pages/9_Nothing.py", "9 · Nothing", ":material/block:", "Nothing"))


def test_url_path_is_the_title_in_the_address_and_finds_its_chapter():
    """Addresses stay what they were when Streamlit named pages by their file: links in the wild keep working."""
    assert [c.url_path for c in S.CHAPTERS] == [n.replace(" ", "_") for n in NAMES]
    assert all(S.by_url_path(c.url_path) is c for c in S.STORY)
    with pytest.raises(StopIteration):
        S.by_url_path("Nothing")


def test_every_tab_icon_ships_with_the_app_as_an_svg_of_its_symbol():
    icons = ROOT / "ui" / "icons"
    for c in S.STORY:
        path = Path(c.favicon)
        assert path.is_absolute() and path.parent == icons, c.favicon  # found from any working folder
        assert path.stem == c.icon.removeprefix(":material/").removesuffix(":")
        root = ElementTree.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox"), path.name
        assert root.find("{http://www.w3.org/2000/svg}path").get("d"), path.name
    assert {p.name for p in icons.glob("*.svg")} == {Path(c.favicon).name for c in S.STORY}


def test_streamlit_sends_the_tab_icon_inline_not_as_a_link_to_a_font_server():
    """set_page_config(page_icon=...) turns a local SVG into a data URI of the file itself; a
    ':material/...:' icon goes to the browser as it is, which fetches it from a public server."""
    from streamlit.commands.page_config import _get_favicon_string

    for c in S.STORY:
        sent = _get_favicon_string(c.favicon)
        assert sent.startswith("data:image/svg+xml;base64,"), sent[:60]
        assert base64.b64decode(sent.split(",", 1)[1]) == Path(c.favicon).read_bytes()
    assert not _get_favicon_string(S.HOME.icon).startswith("data:")  # why the icon field is not used


# --- The checklist for adding a chapter (docs/architecture.md, "Adding a chapter") -------------------
# Each test below is one item of that list, checked for every chapter, so a new page that skips one
# fails here with the item's name.

PAGE_LINES = 150                               # "each page at most about 150 lines"
PAGE_IMPORTS = {"__future__", "streamlit", "pandas", "core", "ui"}   # no maths in a page


def _page_source(chapter: S.Chapter) -> str:
    return (ROOT / chapter.path).read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", S.CHAPTERS, ids=lambda c: c.path)
def test_checklist_the_page_is_thin(chapter):
    """Widgets, layout and words only: short, and importing nothing that computes."""
    import ast

    source = _page_source(chapter)
    lines = source.count("\n")
    assert lines <= PAGE_LINES, f"{chapter.path} has {lines} lines: move sections into ui/ components"
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= PAGE_IMPORTS, f"{chapter.path} imports {sorted(imported - PAGE_IMPORTS)}: maths belongs in core/"


@pytest.mark.parametrize("chapter", S.CHAPTERS, ids=lambda c: c.path)
def test_checklist_the_page_opens_in_the_frame_and_ends_with_its_question(chapter):
    import ast

    source = _page_source(chapter)
    assert re.search(r"^page = frame\.page\(\)$", source, re.M), chapter.path
    last = ast.parse(source).body[-1]
    assert (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
            and getattr(last.value.func, "id", None) == "ask"), \
        f"{chapter.path}: the page ends with its question (core/questions.py, ui/question.py)"


@pytest.mark.parametrize("chapter", S.CHAPTERS, ids=lambda c: c.path)
def test_checklist_the_page_has_its_own_apptest(chapter):
    owners = [p.name for p in (ROOT / "tests").glob("test_page_*.py")
              if f'PAGE = "{chapter.path}"' in p.read_text(encoding="utf-8")]
    assert owners, f"no tests/test_page_*.py sets PAGE = \"{chapter.path}\""


@pytest.mark.parametrize("chapter", S.STORY, ids=lambda c: c.path)
def test_checklist_the_readme_shows_the_page_on_a_desktop_and_a_phone(chapter):
    stem = "0_Home" if chapter is S.HOME else Path(chapter.path).stem
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for shot in (f"docs/screenshots/{stem}", f"docs/screenshots/phone-{stem}"):
        found = [name for name in re.findall(r"\((docs/screenshots/[^)]+\.png)\)", readme) if name.startswith(shot)]
        assert found, f"README.md shows no {shot}*.png"
        assert all((ROOT / name).is_file() for name in found), found
