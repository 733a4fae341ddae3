"""ui/warmup.py's first two steps, without a server: the names' child process is started before
the imports, so that the two run side by side."""
from __future__ import annotations

from core import baby_names
from ui import warmup


def test_the_names_are_read_while_the_modules_import(monkeypatch):
    order = []
    monkeypatch.setattr(baby_names, "prefetch", lambda: order.append("prefetch"))
    monkeypatch.setattr(warmup, "_import_all", lambda package: order.append(package) or [package])
    spent = warmup.warm()
    assert order == ["prefetch", "core", "ui"]
    assert set(spent) == {"imports", "default corpus"}
