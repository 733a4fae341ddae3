"""Shared test setup: make the repository root importable (``import core``).

pytest is run as ``/work/venv/bin/pytest`` (not ``python -m pytest``), so the repository
root is not on sys.path by itself; without this, ``from core import ...`` fails to collect.
No fixtures here: every test module keeps its own.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
