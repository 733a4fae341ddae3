"""Shared test setup: make the repository root importable (``import core``).

pytest is run as ``/work/venv/bin/pytest`` (not ``python -m pytest``), so the repository
root is not on sys.path by itself; without this, ``from core import ...`` fails to collect.
The `browser` fixture is shared by the browser tests.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (the browser tests call serve.require_chromium first)."""
    from playwright.sync_api import sync_playwright

    from serve import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
