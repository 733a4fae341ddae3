"""One notation on every page: p for a density, P for a probability, N(μ, σ²) with a variance.

Two readings of each page, checked against the same rules:
- its source: every string the page script writes (f-strings with their {placeholders} kept), so
  branches that the default state never shows are read too;
- what a visitor sees: the page run in AppTest, every text it draws (formulas, words, labels,
  metrics, table headers and the titles and legends of its charts), with the numbers filled in.
Code listings (st.code) are Python, not notation, and are not read; neither are docstrings and
comments, which no visitor sees.

The rules (each is tested on examples first, so a rule that can never fire would fail):
1. N(a, b) and N(x; a, b): the last argument is a variance, written squared (σ², 5², (0.05)², σ^2)
   or 1 (the standard normal N(0, 1)). "N(50, 5)" means variance 5.
2. P( applied to an observation x, x_i or xᵢ is a density written as a probability: p(x | θ).
3. p( applied to an event (a ≤ X ≤ b, X = 3, X > 1) is a probability written as a density; so is
   the phrase "probability p".
4. p( applied to symbols of a corpus (a, b, c, a pair a, b, or the row ·) is a probability written
   as a density: the bigram page's P(a, b), P(a), P(b | a).
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.story import STORY
from pagetest import nodes, open_page
from ui.text import read_back

ROOT = Path(__file__).resolve().parents[1]
PAGES = [c.path for c in STORY]


# ---------------------------------------------------------------- the rules
@dataclass(frozen=True)
class Violation:
    rule: str
    where: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: …{self.excerpt}…"


_NORMAL = re.compile(r"(?<![A-Za-z_\\])(?:\\mathcal\{N\}|N)\(")
_VARIANCE = re.compile(r"(?:²|\^2|\^\{2\})\s*\)?$")
# P(x …) but not the event P(x ≤ X ≤ x + Δ): an x that starts an inequality is an end of an interval.
_P_OF_X = re.compile(r"(?<![A-Za-z_\\])P\s*\(\s*x(?![A-Za-z])(?!\s*(?:≤|<|\\le\b|\\leq\b))")
_P_LOWER = re.compile(r"(?<![A-Za-z_\\])p\s*\(")
_EVENT = re.compile(r"≤|≥|<|>|=|\\le\b|\\ge\b|\\leq\b|\\geq\b|\\lt\b|\\gt\b")
_BAR = re.compile(r"\\mid|\||;")
_PROBABILITY_P = re.compile(r"\bprobability p\b")
_SYMBOLS = {"a", "b", "c", "a,b", "·", r"\cdot"}   # a corpus's symbols: p( of these is rule 4


def _arguments(text: str, start: int) -> tuple[list[str], int] | None:
    """The top-level comma-separated arguments of the parenthesis opened at text[start - 1]."""
    depth, args, current = 1, [], []
    for i in range(start, len(text)):
        c = text[i]
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
            if depth == 0:
                args.append("".join(current))
                return args, i
        elif c == "," and depth == 1:
            args.append("".join(current))
            current = []
            continue
        current.append(c)
    return None


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - 25):end + 25].replace("\n", " ")


def violations(text: str, where: str) -> list[Violation]:
    found = []
    for m in _NORMAL.finditer(text):
        parsed = _arguments(text, m.end())
        if parsed is None:
            continue
        args, end = parsed
        last = args[-1].strip()
        if len(args) in (2, 3) and not (_VARIANCE.search(last) or last == "1"):
            found.append(Violation("N(μ, σ²) takes a variance, written squared", where,
                                   _excerpt(text, m.start(), end)))
    for m in _P_OF_X.finditer(text):
        found.append(Violation("a density is p(x | θ), not P(x | θ)", where, _excerpt(text, m.start(), m.end())))
    for m in _P_LOWER.finditer(text):
        parsed = _arguments(text, m.end())
        if parsed is None:
            continue
        args, end = parsed
        event = _BAR.split(",".join(args))[0]
        if _EVENT.search(event):
            found.append(Violation("a probability is P(…), not p(…)", where, _excerpt(text, m.start(), end)))
        elif event.replace(" ", "") in _SYMBOLS:
            found.append(Violation("a symbol's probability is P(…), not p(…)", where,
                                   _excerpt(text, m.start(), end)))
    for m in _PROBABILITY_P.finditer(text):
        found.append(Violation("a probability is P, not p", where, _excerpt(text, m.start(), m.end())))
    return found


@pytest.mark.parametrize("text", [
    "A = N(50, 5)", r"\mathcal{N}(\mu, \sigma)", "N(x; 50, 5)", "N({s.mu:.5g}, {s.sigma:.5g})",
    r"\log L(\theta \mid x) = \sum_{i=1}^{n} \log P(x_i \mid \theta)", "P(x | θ)", "P(xᵢ | μ, σ)",
    "p(a ≤ X ≤ b)", r"p(X = 3 \mid \theta)", "probability p of the observed outcome",
    r"-\sum_{a,b} p(a, b) \log p(b \mid a)", "Σ_a p(a) KL", "p(· | a)", r"p(\cdot \mid a)",
])
def test_the_rules_catch_each_kind_of_slip(text):
    assert violations(text, "example")


@pytest.mark.parametrize("text", [
    "A = N(50, 5²)", r"\mathcal{N}(\mu, \sigma^2)", "N(μ, σ²)", "Z ~ N(0, 1)", "N(0, (1e+06)²)",
    "N({mu}, {sigma}²)", r"p(x_i \mid \mu=50, \sigma=5)", r"p(0 \mid \mu = 0, \sigma = 0.1)",
    r"P(50 \le X \le 52.5 \mid \mu=50, \sigma=2.5)", "P(X = 48.8292) = 0", r"P(b \mid a)",
    "the probability P the model gives", "NLL(x)", "softmax(x_i W)", "density p(x | μ, σ)", "∏ p(xᵢ)",
])
def test_the_rules_pass_the_notation(text):
    assert violations(text, "example") == []


# ---------------------------------------------------------------- reading the pages' source
def _strings(tree: ast.AST):
    """(line, text) of every string a page writes: f-strings with their placeholders, no docstrings,
    nothing passed to st.code."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "code":
            skip.update(id(n) for arg in node.args for n in ast.walk(arg))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
                     for v in node.values]
            yield node.lineno, "".join(parts)


def _adjacent(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Strings on consecutive lines joined as well, since a formula is often split over them."""
    joined = [(a_line, a + b) for (a_line, a), (b_line, b) in zip(lines, lines[1:]) if 0 < b_line - a_line <= 1]
    return lines + joined


# Pages, the ui/ components they draw with, and core/, which says results in words too.
WORDED = (*PAGES, *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py")),
          *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")))


@pytest.mark.parametrize("path", WORDED)
def test_the_source_of_each_page_uses_the_notation(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    strings = sorted(_strings(tree))
    found = {str(v) for line, text in _adjacent(strings) for v in violations(text, f"{path}:{line}")}
    assert not found, "\n".join(sorted(found))


# ---------------------------------------------------------------- reading what a visitor sees
def _chart_texts(spec) -> list[str]:
    """The words in a vega-lite spec: titles, legend entries (scale domains), fixed texts."""
    out = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("title", "text", "alt") and isinstance(value, str):
                out.append(value)
            elif key == "domain" and isinstance(value, list):
                out += [v for v in value if isinstance(v, str)]
            else:
                out += _chart_texts(value)
    elif isinstance(spec, list):
        for value in spec:
            out += _chart_texts(value)
    return out


def seen(at) -> list[tuple[str, str]]:
    """(kind, text) of everything a visitor reads on the page, code listings aside."""
    out = []
    for node in nodes(at._tree):
        kind = getattr(node, "type", type(node).__name__)
        if kind == "code":
            continue
        for attr in ("value", "label", "help", "body"):
            try:
                value = getattr(node, attr, None)
            except Exception:  # noqa: BLE001  (some elements compute .value and may refuse)
                continue
            if isinstance(value, str):
                out.append((f"{kind}.{attr}", value))
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "spec") and proto.spec:
            out += [(f"{kind} chart", t) for t in _chart_texts(json.loads(proto.spec))]
            if getattr(proto, "alt", ""):
                out.append((f"{kind} chart.alt", proto.alt))
        if kind == "arrow_data_frame":
            try:
                frame = node.value
                out += [(f"{kind} column", str(c)) for c in getattr(frame, "columns", [])]
            except Exception:  # noqa: BLE001
                pass
    return out


def _states(path: str):
    """The page at its defaults, and in a state that draws what the defaults hide."""
    at = open_page(path)
    yield "defaults", at
    if path == "pages/2_Likelihood.py":
        at.checkbox(key="show_mle").check().run()
        yield "with the MLE", at
    if path == "pages/1_Probability.py":
        at.checkbox(key="draw").check().run()
        yield "with the sample drawn", at
    if _answer(at):
        yield "with the answer out", at    # what waits for the chapter's question (ui.question.answered)


def _answer(at) -> bool:
    """Pick the first option of the page's question, if it has one."""
    radios = [r for r in at.radio if str(r.key).startswith("question:")]
    if radios:
        radios[0].set_value(read_back(radios[0].options[0])).run()
    return bool(radios)


@pytest.mark.parametrize("path", PAGES)
def test_what_each_page_shows_uses_the_notation(path):
    found = set()
    for state, at in _states(path):
        for kind, text in seen(at):
            found.update(str(v) for v in violations(text, f"{path} ({state}), {kind}"))
    assert not found, "\n".join(sorted(found))


def test_the_reader_sees_the_formulas():
    """The rendered reading really reaches formulas, chart legends and metric labels."""
    at = open_page("pages/2_Likelihood.py")
    _answer(at)   # the likelihoods wait for the question's answer
    texts = " ".join(t for _, t in seen(at))
    assert r"\prod_{i=1}^{5} p(x_i" in texts  # a formula
    assert "A = N(50, 5²)" in texts  # a chart legend and its caption
    assert "L(A | x)" in texts  # a metric label
