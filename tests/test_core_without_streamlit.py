"""core/ never imports streamlit: every module under it, imported in a fresh interpreter, leaves
`streamlit` out of sys.modules (so core runs, and is tested, without a Streamlit session)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Imports every module of one package, found by walking it, then reports what it imported and
# which streamlit modules are loaded.
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "streamlit" or m.startswith("streamlit."))
print(json.dumps({"imported": [package.__name__, *names], "streamlit": loaded}))
"""


def import_every_module(package: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _IMPORT_ALL, package], check=False, cwd=root,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def module_names(package_dir: Path, root: Path) -> set[str]:
    """Every module of a package by its files, independently of pkgutil."""
    names = set()
    for path in package_dir.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_importing_every_core_module_leaves_streamlit_out():
    report = import_every_module("core", ROOT)
    assert set(report["imported"]) == module_names(ROOT / "core", ROOT)
    assert "core.training" in report["imported"] and "core.charts.normal" in report["imported"]
    assert report["streamlit"] == []


def test_the_check_sees_streamlit_imported_deep_in_a_package(tmp_path):
    # The same walk over a package whose nested module imports streamlit must report it.
    nested = tmp_path / "pkg" / "sub"
    nested.mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "plain.py").write_text("import json\n")
    (nested / "__init__.py").write_text("")
    (nested / "drawn.py").write_text("import streamlit as st\n")
    report = import_every_module("pkg", tmp_path)
    assert set(report["imported"]) == module_names(tmp_path / "pkg", tmp_path)
    assert "streamlit" in report["streamlit"]
