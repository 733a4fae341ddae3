"""The story's pages in order: the single list that navigation, links and tests read."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The tab icons, shipped with the app: each the Material symbol of its chapter as an SVG file.
ICONS = Path(__file__).resolve().parents[1] / "ui" / "icons"


@dataclass(frozen=True)
class Chapter:
    path: str    # script path relative to app.py
    title: str
    icon: str    # a Material symbol, ":material/name:", drawn by the app's own bundled font

    @property
    def favicon(self) -> str:
        """The page's tab icon (`page_icon`): the same symbol as a file in ui/icons/, by
        absolute path. Streamlit sends a local SVG inline; a ":material/...:" page_icon would
        make every browser fetch the icon from a public font server."""
        return str(ICONS / f"{self.icon.removeprefix(':material/').removesuffix(':')}.svg")


HOME = Chapter("app.py", "Start here", ":material/home:")
CHAPTERS = (
    Chapter("pages/1_Probability.py", "1 · Probability", ":material/area_chart:"),
    Chapter("pages/2_Likelihood.py", "2 · Likelihood", ":material/balance:"),
    Chapter("pages/3_Likelihood_function.py", "3 · Likelihood function", ":material/show_chart:"),
    Chapter("pages/4_Log_likelihood.py", "4 · Log likelihood", ":material/functions:"),
    Chapter("pages/5_Maximum_likelihood.py", "5 · Maximum likelihood", ":material/landscape:"),
    Chapter("pages/6_Negative_log_likelihood.py", "6 · Negative log likelihood", ":material/trending_down:"),
    Chapter("pages/7_Bigram_model.py", "7 · Bigram model", ":material/abc:"),
)
STORY = (HOME, *CHAPTERS)


def neighbours(path: str) -> tuple[Chapter | None, Chapter | None]:
    """The pages before and after `path` in the story."""
    paths = [c.path for c in STORY]
    i = paths.index(path)
    return (STORY[i - 1] if i > 0 else None, STORY[i + 1] if i + 1 < len(STORY) else None)


def url_path(chapter: Chapter) -> str:
    """The URL path Streamlit gives a page of the pages/ folder: its file name without the number."""
    if chapter is HOME:
        return ""
    stem = chapter.path.split("/")[-1].removesuffix(".py")
    return stem.split("_", 1)[1]
