"""The story's pages in order: the single list that navigation, links and tests read."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The tab icons, shipped with the app: each the Material symbol of its chapter as an SVG file.
ICONS = Path(__file__).resolve().parents[1] / "ui" / "icons"


@dataclass(frozen=True)
class Chapter:
    path: str      # script path relative to app.py
    title: str
    icon: str      # a Material symbol, ":material/name:", drawn by the app's own bundled font
    url_path: str  # the page's address after the server's (the start page has none)
    lead: str = ""  # the chapter's point, in bold under its title

    @property
    def favicon(self) -> str:
        """The page's tab icon (`page_icon`): the same symbol as a file in ui/icons/, by
        absolute path. Streamlit sends a local SVG inline; a ":material/...:" page_icon would
        make every browser fetch the icon from a public font server."""
        return str(ICONS / f"{self.icon.removeprefix(':material/').removesuffix(':')}.svg")


HOME = Chapter("pages/0_Start_here.py", "Start here", ":material/home:", "",
               "From the area under a bell curve to the loss that trains a language model.")
CHAPTERS = (
    Chapter("pages/1_Probability.py", "1 · Probability", ":material/area_chart:", "Probability",
            "Fix the parameters θ = (μ, σ); ask how probable an outcome is."),
    Chapter("pages/2_Likelihood.py", "2 · Likelihood", ":material/balance:", "Likelihood",
            "Now the data are fixed, and the parameters are on trial."),
    Chapter("pages/3_Likelihood_function.py", "3 · Likelihood function", ":material/show_chart:",
            "Likelihood_function", "Slide the parameters and watch one number, the likelihood, rise and fall."),
    Chapter("pages/4_Log_likelihood.py", "4 · Log likelihood", ":material/functions:", "Log_likelihood",
            "Swap the product for a sum of logs: same answer, and numbers a computer can hold."),
    Chapter("pages/5_Maximum_likelihood.py", "5 · Maximum likelihood", ":material/landscape:", "Maximum_likelihood",
            "Find the parameters that make the data most likely: by algebra, then by climbing."),
    Chapter("pages/6_Negative_log_likelihood.py", "6 · Negative log likelihood", ":material/trending_down:",
            "Negative_log_likelihood", "Flip the sign: climbing the log-likelihood becomes lowering a loss."),
    Chapter("pages/7_Bigram_model.py", "7 · Bigram model", ":material/abc:", "Bigram_model",
            "Every idea of the story at once: a model of names, scored by its NLL, fitted by counting and by "
            "gradient descent."),
    Chapter("pages/8_NLL_ranks_language_models.py", "8 · NLL ranks language models", ":material/leaderboard:",
            "NLL_ranks_language_models", "One number ranks every model of names, from a uniform guess to a neural "
            "network: its NLL on names it never saw."),
)
STORY = (HOME, *CHAPTERS)


def neighbours(chapter: Chapter) -> tuple[Chapter | None, Chapter | None]:
    """The pages before and after `chapter` in the story."""
    i = STORY.index(chapter)
    return (STORY[i - 1] if i > 0 else None, STORY[i + 1] if i + 1 < len(STORY) else None)


def by_url_path(url_path: str) -> Chapter:
    """The chapter at this address (the start page's is empty)."""
    return next(c for c in STORY if c.url_path == url_path)
