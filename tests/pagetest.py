"""Open a page of the app in Streamlit's headless AppTest, the way a first visit to its URL does."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.text import read_back

ROOT = Path(__file__).resolve().parents[1]


# The bigram page's asides, drawn only while open (Page.expander): why the counted table is the
# floor, the counting model's and the trained network's scores on names they never saw.
BIGRAM_ASIDES = ("floor_shelf", "unseen_shelf", "network_unseen_shelf")


def open_page(path: str, *, shelves: tuple[str, ...] = (), **query) -> AppTest:
    """Run `path` (e.g. "pages/1_Probability.py") inside the app, with optional query parameters;
    `shelves`: the keys of Page.expanders that the visitor has opened already."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key in shelves:
        at.session_state[key] = True
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def nodes(node):
    """`node` and everything under it in AppTest's tree, depth first."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def formulas(at: AppTest) -> list[str]:
    """The page's formulas (Page.formula: a markdown of inline math lines), as their LaTeX."""
    return [m.value for m in at.markdown if m.value.startswith("$\\displaystyle")]


_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def figure_value(text: str) -> float:
    """A figure as the pages write it (core.formatting): 7.29, 1,234 or 1.23 × 10⁻⁵."""
    mantissa, _, power = text.replace(",", "").partition(" × 10")
    return float(mantissa) * 10 ** int(power.translate(_DIGITS) or 0)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list:
    """The altair / vega-lite charts on the page (AppTest has no typed accessor for them)."""
    return at.get("vega_lite_chart")


def shown(elements) -> str:
    """The text of alerts, captions etc. as a reader sees it (ui.text.read_back)."""
    return " ".join(read_back(e.value) for e in elements)


def texts(at: AppTest) -> str:
    """Every sentence on the page as a reader sees it: its markdown, captions and alerts."""
    return " ".join(shown(kind) for kind in (at.markdown, at.caption, at.info, at.success, at.warning, at.error))


def table_keys(at: AppTest) -> list[str]:
    """The keys of the page's "The chart's numbers as a table" expanders (ui.frame.Page._table_key)."""
    return sorted(k for k in at.session_state._state.filtered_state if str(k).startswith("table: "))


def open_tables(at: AppTest) -> AppTest:
    """Open every "The chart's numbers as a table" expander (their tables are built only when open)."""
    keys = table_keys(at)
    assert keys, "no table expander on this page"
    for k in keys:
        at.session_state[k] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
