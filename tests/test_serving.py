"""The process set-up every page gets through ui.frame (ui/serving.py)."""
import gc
import sys

import pyarrow as pa

import ui.frame  # noqa: F401  (imports ui.serving, as every page does)


def test_heavy_modules_are_imported_and_frozen_with_the_first_page():
    assert {"scipy.stats", "torch", "altair", "pandas"} <= set(sys.modules)
    assert gc.get_freeze_count() > 100_000  # torch, pandas, scipy and altair's long-lived objects


def test_pyarrow_converts_on_the_calling_thread():
    assert pa.cpu_count() == 1
