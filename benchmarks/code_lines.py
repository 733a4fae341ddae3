"""The frame's code, counted: issue 19 asks for half the code the frame had when it was filed.

`python benchmarks/code_lines.py` prints the code lines (no blank lines, comments or docstrings)
of each function of the frame's modules as they are now, and the total of the frame as it was at
FILED (ui/frame.py and ui/kept.py, read from git), so the two figures come from one count.
`--rev REV` counts the modules as they were at another commit.
"""
from __future__ import annotations

import argparse
import ast
import io
import subprocess
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAME = ("ui/frame.py", "ui/url_controls.py", "ui/page_drawing.py")
FILED = "60bbd3f^", ("ui/frame.py", "ui/kept.py")   # the commit before Streamlit's navigation came in


def code_lines(source: str) -> set[int]:
    """The numbers of the lines that hold code."""
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.update(range(first.lineno, first.end_lineno + 1))
                docstrings.discard(getattr(node, "lineno", None))   # `def f(): "doc"` keeps its def
    lines = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines - docstrings


def per_function(source: str) -> list[tuple[str, int]]:
    """(name, code lines) of each function and method, decorators included; the rest as '(module level)'."""
    code, rows, counted = code_lines(source), [], set()

    def span(node) -> set[int]:
        start = min([d.lineno for d in node.decorator_list] or [node.lineno])
        return set(range(start, node.end_lineno + 1)) & code

    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            for method in (m for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))):
                rows.append((f"{node.name}.{method.name}", len(span(method))))
                counted |= span(method)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            rows.append((node.name, len(span(node))))
            counted |= span(node)
    rows.append(("(module level: imports, constants, class bodies)", len(code - counted)))
    return rows


def read(path: str, rev: str | None) -> str:
    if rev is None:
        return (ROOT / path).read_text()
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="count the frame's modules at this commit instead of the working tree")
    rev = parser.parse_args().rev
    total = 0
    for path in FRAME:
        try:
            rows = per_function(read(path, rev))
        except subprocess.CalledProcessError:
            print(f"{path}: not at {rev}")
            continue
        lines = sum(n for _, n in rows)
        total += lines
        print(f"{path}: {lines}")
        for name, n in rows:
            print(f"  {n:4d}  {name}")
    filed_rev, filed_paths = FILED
    filed = sum(len(code_lines(read(p, filed_rev))) for p in filed_paths)
    print(f"the frame at {rev or 'the working tree'}: {total} code lines; when issue 19 was filed ({filed_rev}: {', '.join(filed_paths)}): "
          f"{filed}; ratio {total / filed:.2f} (the goal: 0.50)")


if __name__ == "__main__":
    main()
