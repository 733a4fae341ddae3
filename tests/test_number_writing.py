"""Every figure on screen is written through core/formatting.py: product code (app.py, pages/,
ui/, core/ outside formatting.py) holds no raw format spec, so a page cannot write a number its
own way (7.0030e-07 beside 7.0030 × 10⁻⁷, 2.14748e+09 for 2147483647)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATTING = ROOT / "core" / "formatting.py"


def product_files() -> list[Path]:
    files = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("core/**/*.py")]
    return sorted(f for f in files if f != FORMATTING)


def raw_specs(source: str) -> list[tuple[int, str]]:
    """(line, what) for each f-string format spec, str.format call and format() builtin in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            found.append((node.lineno, "f-string spec"))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "format":
                found.append((node.lineno, "format()"))
            elif isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant):
                found.append((node.lineno, "str.format"))
    return sorted(found)


def test_the_finder_finds_each_kind():
    source = 'a = f"{x:.4f}"\nb = "{:g}".format(y)\nc = format(z, ",")\nd = f"{x}"\ne = f"{x!r}"\n'
    assert raw_specs(source) == [(1, "f-string spec"), (2, "str.format"), (3, "format()")]


def test_product_code_writes_numbers_only_through_formatting():
    found = {f"{path.relative_to(ROOT)}:{line}": what for path in product_files()
             for line, what in raw_specs(path.read_text(encoding="utf-8"))}
    assert not found, f"write these through core/formatting.py: {found}"
