"""A lecture in Chromium (issue 12, sections 1, 2, 3 and 6): the teacher presents, the class follows.

1. A page comes back as it was left after a visit to another page through the sidebar: its
   controls, its URL, page 5's climb, page 7's training (from the cache, not trained again).
2. A clicker's keys walk the story in presenter mode: PageDown / PageUp and → / ←; typing in a
   box and the arrows on a slider are left alone, and a slider dragged with the mouse does not
   swallow the clicker's next press.
3. The QR code under the title, read back with zxing-cpp from a screenshot, opens this page with
   its parameters, and follows the controls.
6. A number typed out of range: the box shows the value in use, and a notice says what happened.

Every test fails on a request to any host but the app's own server (the code is drawn locally).
Screenshots go to $SCREENSHOT_DIR when it is set (browsing.SHOTS).
"""
from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest

from core import story
from ui.text import JOINER
from agent_client import read_training_counts
from serve import require_chromium

require_chromium()  # skips here, fails under CI=true

import zxingcpp  # noqa: E402  (requirements-test.txt)
from PIL import Image  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402
from browsing import SHOTS, WAIT, open_url, wait_idle  # noqa: E402
from pagetest import figure_value  # noqa: E402



@pytest.fixture
def page(tabs):
    """A fresh tab (a new Streamlit session) that refuses, and reports, any request to another host."""
    with tabs.open(viewport={"width": 1280, "height": 900}) as pg:
        yield pg


def title(page: Page):
    return page.locator("h1").first


def expect_title(page: Page, text: str) -> None:
    expect(title(page)).to_have_text(text, timeout=WAIT)
    wait_idle(page)


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def sidebar_link(page: Page, chapter: story.Chapter):
    return page.locator('[data-testid="stSidebar"] [data-testid="stSidebarNavLink"]').filter(
        has_text=chapter.title).first


def go_by_sidebar(page: Page, chapter: story.Chapter) -> None:
    sidebar_link(page, chapter).click()
    expect_title(page, chapter.title.split("· ")[-1])


def slider_value(page: Page, name: str) -> float:
    return float(page.get_by_role("slider", name=name).input_value())


def press_on_slider(page: Page, name: str, key: str, times: int = 1) -> None:
    handle = page.get_by_role("slider", name=name)
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)
    wait_idle(page)


def drag_right(page: Page, handle) -> None:
    """Drag a slider's thumb 40 px to the right with the mouse, until its value is above 51. A
    drag again when one missed the thumb (the page may still move under the pointer as charts
    settle): what is tested is where the focus is after a drag, not the aim."""
    for attempt in range(3):
        wait_idle(page)
        handle.scroll_into_view_if_needed()
        spot = handle.bounding_box()
        x, y = spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 40, y, steps=4)
        page.mouse.up()
        try:
            page.wait_for_function("el => Number(el.value) > 51", arg=handle.element_handle(), timeout=10_000)
            return
        except Exception:   # playwright's TimeoutError
            if attempt == 2:
                raise


def press(page: Page, key: str) -> None:
    """Press a clicker's key once the page's key buttons are drawn (they come a moment after the
    rest of the page; a key pressed before that does nothing) and no run has been going for a moment
    (a key pressed in the instant a run ends can go unheard; a clicker's next press comes later)."""
    expect(page.locator(".st-key-frame_keys button").first).to_be_attached(timeout=WAIT)
    wait_idle(page)
    page.keyboard.press(key)


def metric(page: Page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


P1, P2, P3, P4, P5, P6, P7 = story.CHAPTERS[:7]


# --- 1. settings stay when you move between pages ----------------------------------------------
def test_page_one_comes_back_as_it_was_left_through_the_sidebar(server, page):
    open_url(page, f"{server}/Probability")
    press_on_slider(page, "mean μ", "ArrowRight", 4)            # μ 50 → 52 in steps of 0.5
    box = page.get_by_label("interval end b")
    box.fill("60")
    box.press("Enter")
    wait_idle(page)
    assert (slider_value(page, "mean μ"), query(page)["b"]) == (52.0, "60")
    go_by_sidebar(page, P2)
    assert "mu" not in query(page)                            # chapter 2's own address
    assert not urlsplit(sidebar_link(page, P1).get_attribute("href")).query   # Streamlit's link: the page alone
    go_by_sidebar(page, P1)                                   # what it shows, the session kept
    assert slider_value(page, "mean μ") == 52.0
    expect(page.get_by_label("interval end b")).to_have_value("60.0000")
    assert (float(query(page)["mu"]), float(query(page)["b"])) == (52, 60)   # and the address says so again
    assert metric(page, "P(a ≤ X ≤ b)") != "0.3413"          # the figure is computed from them


def test_the_climb_and_the_training_survive_a_visit_elsewhere(server, page):
    open_url(page, f"{server}/Maximum_likelihood")
    before = metric(page, "|μ − μ̂|")
    page.locator(".st-key-mle_run").get_by_role("button").click()
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="|μ − μ̂|").first
           .locator('[data-testid="stMetricValue"]')).not_to_have_text(before, timeout=WAIT)   # Run's run came
    wait_idle(page)
    climbed = metric(page, "|μ − μ̂|")
    assert figure_value(climbed) < 1e-4
    go_by_sidebar(page, P6)
    go_by_sidebar(page, P5)
    assert metric(page, "|μ − μ̂|") == climbed

    open_url(page, f"{server}/Bigram_model?steps=120&lr=30")
    page.locator(".st-key-train").get_by_role("button").click()
    expect(page.get_by_text("After 120 steps the loss went from")).to_be_visible(timeout=2 * WAIT)
    wait_idle(page)
    trained = metric(page, "data NLL alone")
    computed = read_training_counts(server)[0]
    go_by_sidebar(page, P4)
    go_by_sidebar(page, P7)
    expect(page.get_by_text("After 120 steps the loss went from")).to_be_visible(timeout=WAIT)
    assert metric(page, "data NLL alone") == trained
    assert read_training_counts(server)[0] == computed   # nothing trained again
    assert (float(query(page)["steps"]), float(query(page)["lr"]), query(page)["trained"]) == (120, 30, "1")
    expect(page.get_by_role("progressbar")).to_have_count(0)


def test_an_uploaded_corpus_comes_back_without_an_alphabet_error(server, page):
    open_url(page, f"{server}/Bigram_model")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "five.txt", "mimeType": "text/plain", "buffer": b"emma\nolivia\nava\nisabella\nsophia\n"})
    expect(page.get_by_text("kept 5 names")).to_be_visible(timeout=WAIT)
    wait_idle(page)
    go_by_sidebar(page, P6)
    go_by_sidebar(page, P7)
    assert metric(page, "names") == "5"
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="alphabet")).to_have_count(0)


# --- 2. a presentation clicker walks the story ---------------------------------------------------
def test_clicker_keys_walk_the_story_and_keep_each_page(server, page):
    open_url(page, f"{server}/Probability?present=1&mu=70")
    expect(page.locator('[data-testid="stCaptionContainer"]').filter(has_text="PageDown or → next chapter")
           ).to_be_visible()
    title(page).click()                                          # the focus on the page, in no box
    press(page, "PageDown")
    expect_title(page, "Likelihood")
    assert query(page) == {"present": "1"}        # presenter mode kept; defaults stay out of the link
    press(page, "PageDown")
    expect_title(page, "Likelihood function")
    press(page, "PageUp")
    expect_title(page, "Likelihood")
    press(page, "ArrowLeft")
    expect_title(page, "Probability")
    assert slider_value(page, "mean μ") == 70.0 and query(page)["mu"] == "70"
    press(page, "ArrowRight")
    expect_title(page, "Likelihood")


def test_keys_leave_typing_and_sliders_alone(server, page):
    open_url(page, f"{server}/Likelihood?present=1")
    box = page.get_by_label("Observations x", exact=False)
    box.focus()
    for key in ("PageDown", "ArrowRight", "PageUp", "ArrowLeft"):
        press(page, key)
    wait_idle(page)
    expect(title(page)).to_have_text("Likelihood")

    open_url(page, f"{server}/Probability?present=1")
    press_on_slider(page, "mean μ", "ArrowRight", 2)             # arrows move the slider, not the talk
    expect(title(page)).to_have_text("Probability")
    assert slider_value(page, "mean μ") == 51.0
    # A slider dragged with the mouse keeps the focus; the clicker's next press is still the talk's.
    handle = page.get_by_role("slider", name="mean μ")
    drag_right(page, handle)
    wait_idle(page)
    dragged = slider_value(page, "mean μ")
    assert page.evaluate("document.activeElement.type") == "range"
    press(page, "PageDown")
    expect_title(page, "Likelihood")
    press(page, "PageUp")
    expect_title(page, "Probability")
    assert slider_value(page, "mean μ") == dragged                # PageDown did not move it


def test_a_ticked_box_or_a_picked_answer_does_not_hold_the_clickers_keys(server, page):
    """After a click on a checkbox or a radio button the focus stays on it; the clicker still walks
    the story (only a text box keeps the keys)."""
    open_url(page, f"{server}/Probability?present=1")
    page.get_by_text("Draw n samples").click()
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="exact probability")).to_be_visible(timeout=WAIT)
    wait_idle(page)                                              # the tick's run is over
    assert page.evaluate("document.activeElement.type") == "checkbox"
    press(page, "PageDown")
    expect_title(page, "Likelihood")
    page.get_by_role("radiogroup").get_by_role("radio").first.check(force=True)
    wait_idle(page)
    assert page.evaluate("document.activeElement.type") == "radio"
    press(page, "ArrowRight")
    expect_title(page, "Likelihood function")
    press(page, "ArrowLeft")
    expect_title(page, "Likelihood")


def test_reading_mode_leaves_the_keys_to_the_page(server, page):
    open_url(page, f"{server}/Probability")
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=WAIT)
    scrolled = "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollTop))"
    assert page.evaluate(scrolled) == 0
    title(page).click()
    page.keyboard.press("PageDown")                               # scrolls the page, as in any page
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(title(page)).to_have_text("Probability")
    page.wait_for_function(f"({scrolled})() > 0")
    expect(page.locator(".st-key-frame_keys")).to_have_count(0)


# --- 3. the audience joins from their phones -----------------------------------------------------
def read_code(page: Page) -> str:
    """Screenshot the QR code under the title and decode it."""
    image = page.locator('[data-testid="stExpander"]').filter(has_text="Follow on your phone").locator("img").first
    expect(image).to_be_visible(timeout=WAIT)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    image.evaluate("img => img.scrollIntoView({block: 'center'})")   # clear of the fixed header
    shot = Image.open(io.BytesIO(image.screenshot()))
    found = zxingcpp.read_barcodes(shot)
    assert len(found) == 1, f"{len(found)} codes read"
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


def test_the_qr_code_follows_a_control_of_a_section_that_reruns_alone(server, page):
    """Chapter 1's sample size is in a section that reruns alone: the code changes with it too."""
    open_url(page, f"{server}/Probability?present=1&mu=70")
    assert parse_qs(urlsplit(read_code(page)).query) == {"mu": ["70"]}
    box = page.locator(".st-key-n input")
    box.fill("500")
    box.press("Enter")
    expect(page.locator(".st-key-frame_share_link code")).to_contain_text("n=500", timeout=WAIT)
    wait_idle(page)
    assert parse_qs(urlsplit(read_code(page)).query) == {"mu": ["70"], "n": ["500"]}


def test_the_qr_code_opens_this_view_and_follows_the_controls(server, page):
    open_url(page, f"{server}/Probability?present=1&mu=70&a=48")
    url = read_code(page)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == server and parts.path == "/Probability"
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert params == {k: v for k, v in query(page).items() if k != "present"}
    assert (params["mu"], params["a"]) == ("70", "48") and "present" not in params
    shown = page.locator(".st-key-frame_share_link code")
    assert shown.inner_text().strip() == url   # the link in text beside it, with nothing invisible in it
    assert JOINER not in shown.inner_text()
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "presenter_share_1_Probability.png"))

    press_on_slider(page, "mean μ", "ArrowRight")
    assert parse_qs(urlsplit(read_code(page)).query)["mu"] == ["70.5"]

    press(page, "PageDown")                                       # the slider has the focus: still the talk's
    expect_title(page, "Likelihood")
    url = read_code(page)
    assert urlsplit(url).path == "/Likelihood"
    assert "x" not in parse_qs(urlsplit(url).query)    # the article's data: the page's default


def test_the_share_box_says_a_link_cannot_carry_the_climb(server, page):
    open_url(page, f"{server}/Maximum_likelihood?present=1")
    box = page.locator('[data-testid="stExpander"]').filter(has_text="Follow on your phone")
    read_code(page)
    expect(box.get_by_text("A link cannot carry")).to_have_count(0)       # nothing climbed yet
    page.locator(".st-key-mle_run").get_by_role("button").click()
    wait_idle(page)
    expect(box.get_by_text("A link cannot carry the steps climbed so far")).to_be_visible(timeout=WAIT)


def test_a_phone_opening_the_code_sees_the_view_in_reading_mode(server, page, browser):
    open_url(page, f"{server}/Probability?present=1&mu=30&sigma=4")
    url = read_code(page)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab = phone.new_page()
        open_url(tab, url)
        assert slider_value(tab, "mean μ") == 30.0 and slider_value(tab, "standard deviation σ") == 4.0
        expect(tab.get_by_text("A continuous quantity", exact=False)).to_be_visible()   # reading mode
        expect(tab.locator('[data-testid="stExpander"]').filter(has_text="Follow on your phone")).to_have_count(0)
    finally:
        phone.close()


# --- 6. a typed value out of range ------------------------------------------------------------------
def test_a_number_typed_out_of_range_shows_the_value_in_use_and_says_so(server, page):
    open_url(page, f"{server}/Likelihood")
    page.get_by_role("button", name="Random sample").click()
    box = page.get_by_label("how many")
    expect(box).to_be_visible()
    box.fill("5000")
    box.press("Enter")
    wait_idle(page)
    expect(box).to_have_value("1000")
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="5000 is above that")
    expect(notice).to_contain_text("so the page uses 1000")
    assert box.get_attribute("aria-invalid") in (None, "false")
    page.get_by_role("button", name="Draw").click()
    wait_idle(page)
    values = page.get_by_label("Observations x", exact=False).input_value()
    assert len(values.split(",")) == 1000
