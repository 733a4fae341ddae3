"""Real-browser tests: the app served by `streamlit run app.py`, driven by Playwright in Chromium.

Without Chromium they skip (and say how to install it); with CI=true a missing browser fails.
Screenshots of every page go to $SCREENSHOT_DIR (default test-artifacts/screenshots);
`SCREENSHOT_DIR=docs/screenshots python -m pytest tests/test_browser.py` refreshes the README's.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from core import story
from serve import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app

if not Path(CHROMIUM).exists():
    message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`."
    if os.environ.get("CI") == "true":
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
WAIT = 60_000  # ms; the first run of a page imports torch


@pytest.fixture(scope="module")
def server():
    with running_app() as (base, proc):
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def open_url(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible(timeout=WAIT)
    wait_idle(page)


def wait_idle(page: Page) -> None:
    """Wait until the script run has finished (Streamlit shows a running indicator meanwhile)."""
    page.wait_for_timeout(300)
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=WAIT)


def metric(page: Page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


# The main control of each page and the figure it moves: (action, label of the metric, before → after).
def _probability(page):
    page.get_by_role("button", name="μ ± 2σ").click()


def _likelihood(page):
    box = page.get_by_label("B: mean μ")
    box.fill("52.295")
    box.press("Enter")


def _likelihood_function(page):
    page.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")


INTERACTIONS = {
    "pages/1_Probability.py": (_probability, "P(a ≤ X ≤ b)", "0.3413", "0.9545"),
    "pages/2_Likelihood.py": (_likelihood, "L(B | x)", "2.6068e-08", None),
    "pages/3_Likelihood_function.py": (_likelihood_function, None, None, None),
}


@pytest.mark.parametrize("chapter", story.STORY, ids=lambda c: story.url_path(c) or "home")
def test_first_visit_renders_the_page_in_its_frame(server, page, chapter):
    """A first visit to a page's own URL shows it with the shared frame and its chart, no exception."""
    open_url(page, f"{server}/{story.url_path(chapter)}")
    expect(page.locator("h1").first).to_have_text(chapter.title.split("· ")[-1])
    nav = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    expect(nav).to_have_count(len(story.STORY))
    if chapter is not story.HOME:
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=WAIT)
    no_exception(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = story.url_path(chapter) or "Home"
    page.screenshot(path=str(SHOTS / f"{story.STORY.index(chapter)}_{name}.png"))


@pytest.mark.parametrize("path", list(INTERACTIONS), ids=lambda p: p.split("/")[-1])
def test_main_control_moves_the_main_figure(server, page, path):
    action, label, before, after = INTERACTIONS[path]
    chapter = next(c for c in story.STORY if c.path == path)
    open_url(page, f"{server}/{story.url_path(chapter)}")
    figure = (lambda: metric(page, label)) if label else (lambda: page.locator(".katex").first.inner_text())
    first = figure()
    if before:
        assert first == before
    action(page)
    wait_idle(page)
    changed = figure()
    assert changed != first
    if after:
        assert changed == after
    no_exception(page)


def test_deep_link_opens_in_its_linked_state(server, page):
    open_url(page, f"{server}/Probability?mu=0&sigma=1&a=-1.96&b=1.96")
    assert metric(page, "P(a ≤ X ≤ b)") == "0.9500"
    assert re.search(r"a=-1\.96", page.url)


def test_bad_link_values_show_a_notice_not_a_traceback(server, page):
    open_url(page, f"{server}/Probability?sigma=-1&mu=%3Cscript%3E")
    expect(page.locator('[data-testid="stAlert"]').first).to_be_visible()
    assert metric(page, "P(a ≤ X ≤ b)") == "0.3413"
    no_exception(page)


def test_presenter_mode_enlarges_the_view(server, page):
    open_url(page, f"{server}/Probability")
    size = "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    normal = page.evaluate(size)
    explanation = page.get_by_text("A continuous quantity", exact=False)
    expect(explanation).to_be_visible()
    open_url(page, f"{server}/Probability?present=1")
    # Poll rather than read once: on a slow machine the style can land a moment after the title.
    page.wait_for_function(f"() => ({size[6:]}) > {normal * 1.1}", timeout=WAIT)
    expect(explanation).to_have_count(0)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true")


def test_next_link_walks_the_story(server, page):
    open_url(page, f"{server}/Probability")
    page.get_by_role("link", name=re.compile("2 · Likelihood →")).click()
    expect(page.locator("h1").first).to_have_text("Likelihood", timeout=WAIT)
    assert page.url.split("?")[0].endswith("/Likelihood")


def test_typed_html_is_shown_as_text(server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_url(page, f"{server}/Likelihood")
    box = page.get_by_label("Observations x", exact=False)
    box.fill("<script>alert(1)</script><img src=x onerror=alert(2)>")
    box.press("Control+Enter")
    wait_idle(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="is not a number").first
    expect(alert).to_contain_text("<script>alert(1)</sc")
    assert page.locator('[data-testid="stAlert"] script, [data-testid="stAlert"] img').count() == 0
    assert dialogs == []
    assert metric(page, "L(A | x)") == "7.0030e-07"
