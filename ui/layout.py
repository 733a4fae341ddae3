"""Layout that costs few elements: each element a rerun sends costs every visitor it is sent to
(benchmarks/elements.py), and a row of columns is one element more per column."""
from __future__ import annotations

import streamlit as st


def row():
    """Elements side by side in one container, sharing its width; on a narrow screen they wrap
    onto more lines. Only for elements that stand alone (a metric, a button): a column is still
    the way to keep several elements together."""
    return st.container(horizontal=True, gap="medium")
