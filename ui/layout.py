"""Layout that costs few elements: each element a rerun sends costs every visitor it is sent to
(benchmarks/elements.py), and a row of columns is one element more per column."""
from __future__ import annotations

import streamlit as st

# Our own fixed CSS for every page. Streamlit stacks columns below 641 px: there the column holding
# a "first-…" container (the figure the page is about) moves above its neighbours (the controls
# that move it), and code wraps.
PHONE_WIDTH = 640
PHONE_CSS = f"""
<style>
@media (max-width: {PHONE_WIDTH}px) {{
  [data-testid="stColumn"]:has([class*="st-key-first-"]) {{ order: -1; }}
  [data-testid="stCode"] pre, [data-testid="stCode"] code {{ white-space: pre-wrap !important; overflow-wrap: anywhere; }}
}}
</style>
"""


def row(gap: str = "medium", **layout):
    """Elements side by side in one container, sharing its width; on a narrow screen they wrap
    onto more lines. Only for elements that stand alone (a metric, a button, a box): a column is
    still the way to keep several elements together."""
    return st.container(horizontal=True, gap=gap, **layout)
