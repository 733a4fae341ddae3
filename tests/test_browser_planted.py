"""Content planted by a visitor, in a real browser: shown as its characters, never as Markdown.

A link to the app can carry anything in its parameters, and a visitor can type or upload
anything. Here every URL parameter of every page (the ones the page declares to the frame, read
from a headless run of it, not from a list kept by hand), every text box, and an uploaded file and its name get a link, an
image pointing at a local trap server, styled text, LaTeX, bare links and icon short codes, and
a right-to-left override (U+202E). The page must show them as text: no anchor, image, request,
formula, colour or icon made from them, and the override shown as ⟨U+202E⟩, never applied.
Chromium is Debian's, driven by Playwright, as in tests/test_browser.py.
"""
from __future__ import annotations

import http.server
import threading
import urllib.parse

import pytest

from core import story
from core.text import MAX_SHOWN, visible
from serve import require_chromium

require_chromium()  # skips here, fails under CI=true

from playwright.sync_api import Page, TimeoutError as PlaywrightTimeout, expect  # noqa: E402
import browsing  # noqa: E402
from browsing import WAIT  # noqa: E402

EVIL = "evil.example"
BIDI = "\u202e"
JOINER = "\u2060"  # ui.text.literal's invisible splitter: not part of what a reader sees


# --- a trap: the address the planted image points at ----------------------------------------
class _Trap(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        _Trap.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def trap():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Trap.hits.clear()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def pieces(trap: str) -> dict[str, str]:
    """One of each kind of planted content, each a single word (a typed value is quoted item by item)."""
    return {
        "link": f"[login](https://{EVIL}/login)",
        "image": f"![x](http://{trap}/pixel.png)",
        "styled": ":red-background[**LOCKED**]",
        "latex": r"$\frac{1}{2}$",
        "bidi": f"{BIDI}evil",
        "bare link": f"www.{EVIL}",
        "e-mail": f"a@{EVIL}",
        "icon": ":material_lock:",
        "emoji": ":smile:",
    }


def everything(trap: str) -> str:
    """All of them in one value, for a URL parameter (quoted whole in its notice)."""
    value = (f"[Session expired: log in](https://{EVIL}/login) ![x](http://{trap}/p.png) "
             f":red-background[**ACCOUNT LOCKED**] $\\frac{{1}}{{2}}$ www.{EVIL} a@{EVIL} :material_lock: {BIDI}evil")
    assert len(visible(value)) <= MAX_SHOWN, "the notice would cut the value short"
    return value


# --- the browser ----------------------------------------------------------------------------
@pytest.fixture
def page(tabs, trap):
    with tabs.open(viewport={"width": 1280, "height": 900}) as pg:
        pg.requested = []
        record = lambda r: pg.requested.append(r.url)  # noqa: E731
        pg.on("request", record)
        yield pg
        pg.remove_listener("request", record)        # the tab goes on to the next test


def wait_idle(page: Page) -> None:
    """The script run is over and every Markdown box is drawn (formulas load their renderer
    lazily and show a placeholder, stSkeleton, meanwhile)."""
    browsing.wait_idle(page)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=WAIT)


_ALERTS = """() => [...document.querySelectorAll('[data-testid="stAlert"]')]
    .map(a => a.innerText).join(' ').replaceAll('\\u2060', '')"""


def rerun(page: Page, act) -> None:
    """Do `act` (which makes the script run again) and wait for that run to be over: seen start,
    or seen by what it changed in the alerts (a quick run can be over before it is seen)."""
    before = page.evaluate(_ALERTS)
    page.evaluate("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.plantedRuns = 0;
        if (!window.plantedWatch) {
            window.plantedWatch = new MutationObserver(() => {
                if (app.getAttribute('data-test-script-state') === 'running') window.plantedRuns += 1;
            });
            window.plantedWatch.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        }
    }""")
    act()
    page.wait_for_function(f"(before) => window.plantedRuns > 0 || ({_ALERTS})() !== before", arg=before,
                           timeout=WAIT)
    wait_idle(page)


def open_url(page: Page, url: str) -> None:
    browsing.open_url(page, url)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=WAIT)


def page_url(server: str, chapter: story.Chapter, query: dict[str, str] | None = None) -> str:
    url = f"{server}/{chapter.url_path}"
    return url + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote) if query else "")


def url_keys(page: Page, chapter: story.Chapter) -> list[str]:
    """The parameters the page keeps in its address: those it declares to the frame
    (Page.url_number, url_value, url_data), from a headless run of the page."""
    from pagetest import open_page

    return list(open_page(chapter.path).session_state["frame_linked"].get(chapter.path, {}))


# What a payload could make if it were read as Markdown, counted over everything Streamlit drew
# from Markdown (alerts, captions, labels, text): must not change when the payload arrives.
_MADE = {
    "anchors": "a",
    "images": "img",
    "formulas": ".katex",
    "coloured text": ".stMarkdownColoredText, .stMarkdownColoredBackground, [class*='Badge'], span[style*='color']",
    "icons": "span[role='img']",
    "bold or italic": "strong, em, del",
    "headings, lists, quotes": "h1, h2, h3, h4, h5, h6, ul, ol, blockquote, hr, table",
}


def made(page: Page) -> dict[str, int]:
    """The counts, once two readings 0.15 s apart agree (React may still be drawing)."""
    last = _count(page)
    for _ in range(60):
        page.wait_for_timeout(150)
        now = _count(page)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the page never settled: {last}")


def _count(page: Page) -> dict[str, int]:
    return page.evaluate("""(made) => {
        const boxes = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')];
        const out = {};
        for (const [name, sel] of Object.entries(made)) {
            out[name] = boxes.reduce((n, b) => n + b.querySelectorAll(sel).length, 0);
        }
        return out;
    }""", _MADE)


def text_on_screen(page: Page) -> str:
    """The page's text as a reader sees it, but for the uploader's chips of chosen files: that is
    Streamlit's own widget, which shows a file's name as the browser gives it (see the upload test)."""
    text = page.locator("body").inner_text()
    for chip in page.locator('[data-testid="stFileChip"]').all_inner_texts():
        text = text.replace(chip, "")
    return text.replace(JOINER, "")


def expect_nothing_made(page: Page, trap: str, before: dict[str, int]) -> None:
    """No element, request or reordering came of the planted content."""
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(f'a[href*="{EVIL}"], a[href^="mailto:"]').count() == 0
    assert page.locator(f'img[src*="{trap}"], img[src*="p.png"], img[src*="pixel"]').count() == 0
    assert made(page) == before
    page.wait_for_timeout(200)  # an image request would have left by now
    hosts = {urllib.parse.urlsplit(u).netloc.rpartition("@")[2] for u in page.requested}
    assert not [h for h in hosts if h == trap or h.split(":")[0].endswith(EVIL)]
    assert _Trap.hits == []
    shown = text_on_screen(page)
    assert BIDI not in shown


def alerts_text(page: Page) -> str:
    return page.evaluate(_ALERTS)


def expect_alert_quoting(page: Page, quote: str, what: str) -> None:
    """An alert comes to quote `quote`, waited for up to WAIT. In a CI run with every worker busy
    the alerts were once read before they quoted it: the wait for the typed run can end on another
    (opening an expander reruns the page; _text_boxes now waits for that one too)."""
    try:
        page.wait_for_function(f"(quote) => ({_ALERTS})().includes(quote)", arg=quote, timeout=WAIT)
    except PlaywrightTimeout:
        pass
    assert quote in alerts_text(page), what


# --- every URL parameter and every text box of every page -----------------------------------
def _text_boxes(page: Page):
    """The page's own text boxes (not the sidebar's), in any expander: text areas and text inputs."""
    main = page.locator('[data-testid="stMain"]')
    shelves = main.locator('[data-testid="stExpander"]').filter(has=page.locator("textarea, input[type=text]"))
    for i in range(shelves.count()):
        summary = shelves.nth(i).locator("summary")
        if shelves.nth(i).locator("details").get_attribute("open") is None:
            summary.click()
            expect(shelves.nth(i).locator("details")).to_have_attribute("open", "")
            wait_idle(page)   # opening it reruns the page (its state is kept): over before anything is typed
    return main.locator("textarea, input[type=text]")


_MET: set[str] = set()   # the labels of the boxes already given every kind, on an earlier page


def _planted_in(box, trap: str) -> list[tuple[str, str]]:
    """What to type into a box: each kind of content alone, a rerun each, the first time a box with
    this label is met; all of them at once where the same box (the same helper, ui/data_input.py,
    on chapters 2 and 3) was given each kind on an earlier page. What is new on this page (everything
    else it draws) is still watched by expect_nothing_made."""
    label = box.get_attribute("aria-label") or ""
    if label in _MET:
        return [("everything", everything(trap))]
    _MET.add(label)
    return list(pieces(trap).items())


@pytest.mark.parametrize("chapter", story.STORY, ids=lambda c: c.url_path or "home")
def test_planted_content_is_shown_as_text(server, page, trap, chapter):
    open_url(page, page_url(server, chapter))
    keys = url_keys(page, chapter)
    if chapter is not story.HOME:
        assert keys, "a chapter keeps its controls in its address"
    before = made(page)

    planted = everything(trap)
    if keys:
        open_url(page, page_url(server, chapter, {k: planted for k in keys}))
        expect_nothing_made(page, trap, before)
        said = alerts_text(page)
        for key in keys:  # each parameter's notice quotes the value whole, as characters
            assert f"'{key}={visible(planted)}'" in said, key
        assert text_on_screen(page).count(f"{visible(BIDI)}evil") >= len(keys)

    boxes = _text_boxes(page)
    for i in range(boxes.count()):
        box = boxes.nth(i)
        for name, piece in _planted_in(box, trap):
            box.fill(piece)
            rerun(page, lambda: box.press("Control+Enter" if box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter"))
            expect_nothing_made(page, trap, before)
            assert page.locator('[data-testid="stAlert"]').count() > 0, f"{name}: the box said nothing"
            if box.evaluate("e => e.tagName") == "TEXTAREA":  # the data box quotes the (first) bad item whole
                expect_alert_quoting(page, f"'{visible(piece.split()[0])}'", name)


# --- an uploaded file of names and its file name --------------------------------------------
def _upload(page: Page, name: str, text: str) -> None:
    """Choose a file as a visitor does: unfold the corpus box (so its chips are on screen), then pick it."""
    from ui.corpus_input import CHOOSE

    details = page.locator('[data-testid="stExpander"] details').filter(has_text=CHOOSE).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    rerun(page, lambda: page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": text.encode()}))


def test_planted_content_in_an_upload_is_shown_as_text(server, page, trap):
    chapter = next(c for c in story.CHAPTERS if c.path == "pages/7_Bigram_model.py")
    open_url(page, page_url(server, chapter))
    before = made(page)
    # A new corpus may change how much the page shows, never by any element a payload could make.
    kinds = ("anchors", "images", "formulas", "coloured text", "icons", "headings, lists, quotes")

    # Names that are read: they become the corpus, its vocabulary and its first names on screen.
    names = [f"{BIDI}evil", ":red-background[**locked**]", r"$\frac{1}{2}$", f"[login](https://{EVIL.split('.')[0]}/x)",
             ":material_lock:", f"a@{EVIL.split('.')[0]}", "emma"]
    good = f"[login](https:{EVIL}) :red-background[LOCKED] $x^2$ a@{EVIL} {BIDI}good.txt"
    _upload(page, good, "\n".join(names) + "\n")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="names").first).to_contain_text("7")
    after = made(page)
    assert {k: after[k] for k in kinds} == {k: before[k] for k in kinds}
    expect_nothing_made(page, trap, after)
    shown = text_on_screen(page)
    assert visible(good) in shown
    assert all(visible(n) in shown for n in names[:3])  # the first names, as given

    # A file that is refused: its name and the reason are quoted.
    bad = f"![x](http:{trap}) $\\frac{{1}}{{2}}$ :material_lock: {BIDI}bad.txt"
    _upload(page, bad, "\n".join(["emma", *pieces(trap).values(), everything(trap)]) + "\n")
    assert f"“{visible(bad)}” cannot be used" in alerts_text(page)
    expect_nothing_made(page, trap, after)

    # Streamlit's uploader lists the chosen file under the box with its name as given: the app
    # cannot reach that text, so an override in the name applies there (only in the uploader's
    # own browser: a file name is never shown to anyone else).
    chip = page.locator('[data-testid="stFileChip"]')
    expect(chip).to_have_count(1)
    expect(chip).to_be_visible()  # read as shown: a folded box would hide the chip's text
    if BIDI in chip.inner_text():
        pytest.xfail("Streamlit's uploader shows the file's name with its U+202E applied")
