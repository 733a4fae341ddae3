"""A room in Chromium (issue 21): a presenter and two phones in separate browser contexts.

The presenter opens a room; the phones join by the link beside the QR code; they follow a slider
and a change of chapter; one steps out (and keeps its own view) and steps back in (and takes the
presenter's at once); both vote; the presenter reveals and both phones show the answer. A phone
cannot drive the room, and a forged room code is refused with a message. A phone that went
elsewhere and follows again shows no sidebar; one opened again with an old link of its own
follows the projector, not the link; and a phone is told when the projector has uploaded names.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from serve import require_chromium

require_chromium()  # skips here, fails under CI=true

from playwright.sync_api import Error as PlaywrightError, Page, expect  # noqa: E402
from browsing import WAIT, metric, open_room, open_url, wait_idle  # noqa: E402

# What ui/question.py says once the answer is out (a notice that waits for it says "the answer" too).
ANSWER = re.compile(r"The answer: |Right: ")
FOLLOW = 10_000   # ms a phone may take to show the presenter's change (its watch asks about every second)


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def title_is(page: Page, text: str, timeout: int = FOLLOW) -> None:
    expect(page.locator("h1").first).to_have_text(text, timeout=timeout)


def mu_is(page: Page, value: str, timeout: int = FOLLOW) -> None:
    """Until the page's μ slider shows `value`, and it alone: what the phone's reader sees. (Not
    its URL: after the frame has set a bound widget's value, Streamlit's query-params binding
    sometimes leaves the old value in the address.) While a run changes the page's shape (a phone
    that follows again hides the explanations), the old slider stays on screen, faded, beside the
    new one until the run ends: a strict look at "the" slider then fails at once, not after the wait."""
    shown = f"{float(value):.2f}"
    expect(shown_mu(page).and_(page.locator(f'[aria-valuetext="{shown}"]'))).to_have_count(1, timeout=timeout)
    expect(shown_mu(page)).to_have_count(1, timeout=timeout)
    expect(shown_mu(page)).to_have_attribute("aria-valuetext", shown, timeout=timeout)


def shown_mu(page: Page):
    return page.get_by_role("slider", name="mean μ")


def nudge(page: Page, name: str, key: str = "ArrowRight", times: int = 1) -> None:
    handle = page.get_by_role("slider", name=name)
    handle.focus()
    for _ in range(times):
        handle.press(key)
    wait_idle(page)


def pick(page: Page, option: int) -> None:
    """Pick an option once the page's run is over. A phone just sent to a chapter may still be
    drawing it, and a radio clicked while its run replaces it does not take (seen in CI at b81b03f):
    then wait for the run again and click once more. The vote's notice below checks that it took."""
    for attempt in range(3):
        wait_idle(page)
        radio = page.get_by_role("radiogroup").last.get_by_role("radio").nth(option)
        try:
            radio.check(force=True)
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    wait_idle(page)


@pytest.fixture
def lecture(browser, server):
    """The presenter's tab with a room open, and two phones that joined it by its link."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900})]
    presenter = contexts[0].new_page()
    link = open_room(presenter, server)
    assert urlsplit(link).path == "/Probability" and list(query_of(link)) == ["room"]
    phones = []
    for _ in range(2):
        contexts.append(browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True))
        phone = contexts[-1].new_page()
        open_url(phone, link)
        expect(phone.get_by_text("Following the presenter's screen")).to_be_visible(timeout=WAIT)
        phones.append(phone)
    yield presenter, phones, link
    for context in contexts:
        context.close()


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_phones_follow_the_projector_step_out_and_back_vote_and_see_the_reveal(lecture):
    presenter, (one, two), link = lecture
    nudge(presenter, "mean μ", times=2)                     # μ 50 -> 51
    for phone in (one, two):
        mu_is(phone, "51")

    one.get_by_role("button", name="Step out").click()      # exploring alone
    expect(one.get_by_role("button", name="Follow again")).to_be_visible(timeout=WAIT)
    wait_idle(one)
    nudge(one, "mean μ", "ArrowLeft", 4)                    # its own μ: 49
    mu_is(one, "49")
    nudge(presenter, "mean μ", times=2)                     # the projector: 52
    mu_is(two, "52")
    one.wait_for_timeout(2500)
    mu_is(one, "49", timeout=500)                           # out of the room: left alone
    one.get_by_role("button", name="Follow again").click()
    mu_is(one, "52")                                        # back in: the projector's view at once

    presenter.locator("h1").first.click()
    presenter.keyboard.press("PageDown")                    # the clicker: next chapter
    title_is(presenter, "Likelihood", WAIT)
    for phone in (one, two):
        title_is(phone, "Likelihood")

    pick(one, 0)
    pick(two, 1)
    for phone in (one, two):                                # a vote, not yet an answer
        expect(phone.get_by_text("counts in the room's vote")).to_be_visible(timeout=FOLLOW)
        expect(phone.locator('[data-testid="stAlert"]').filter(has_text=ANSWER)).to_have_count(0)
    try:
        expect(presenter.get_by_text("2 phones in all")).to_be_visible(timeout=FOLLOW)
    except AssertionError as missed:   # seen once in CI (f8f4087), not since: say what was on screen
        shown = presenter.get_by_text("in all").all_inner_texts()
        alerts = [phone.locator('[data-testid="stAlert"]').all_inner_texts() for phone in (one, two)]
        raise AssertionError(f"the presenter shows {shown}; the phones' notices: {alerts}") from missed
    presenter.get_by_role("button", name="Reveal the answer").click()
    wait_idle(presenter)
    expect(one.locator('[data-testid="stAlert"]').filter(has_text="Right: A")).to_be_visible(timeout=FOLLOW)
    expect(two.locator('[data-testid="stAlert"]').filter(has_text="The answer: A")).to_be_visible(timeout=FOLLOW)


def test_a_phone_cannot_drive_the_room(lecture):
    presenter, (one, two), _ = lecture
    nudge(one, "mean μ", times=4)                           # the phone moves its own slider ...
    one.wait_for_timeout(2500)
    assert "mu" not in query(presenter)                     # ... and no one else's
    mu_is(presenter, "50", timeout=500)
    mu_is(two, "50", timeout=500)
    nudge(presenter, "mean μ", times=2)
    mu_is(one, "51")                                        # the projector still drives it


def test_a_forged_room_code_is_refused_with_a_message(browser, server):
    context = browser.new_context()
    try:
        page = context.new_page()
        open_url(page, f"{server}/Probability?room=ZZZZZZZZZZ")
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="room cannot be joined")).to_be_visible()
        expect(page.get_by_text("Following the presenter's screen")).to_have_count(0)
        open_url(page, f"{server}/Probability?room=%5Bx%5D(http://evil.example)")
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="room cannot be joined")).to_be_visible()
        expect(page.locator("a[href*='evil.example']")).to_have_count(0)
    finally:
        context.close()


def sidebar_shown(page: Page) -> bool:
    """The sidebar or its » button takes room on screen."""
    return page.evaluate("""() => ['stSidebar', 'stExpandSidebarButton'].some(id =>
        [...document.querySelectorAll(`[data-testid="${id}"]`)].some(e => e.getClientRects().length > 0))""")


def test_a_phone_that_went_elsewhere_and_follows_again_shows_no_sidebar(lecture):
    """Stepped out, a phone has the chapters in its sidebar and may go to another one; following
    again brings it back to the projector's chapter with no sidebar at all (not an empty one)."""
    _, (one, _), _ = lecture
    assert not sidebar_shown(one)
    one.get_by_role("button", name="Step out").click()
    expect(one.get_by_role("button", name="Follow again")).to_be_visible(timeout=WAIT)
    one.get_by_test_id("stExpandSidebarButton").click()
    one.locator('[data-testid="stSidebarNavLink"]', has_text="4 · Log likelihood").click()
    title_is(one, "Log likelihood", WAIT)
    wait_idle(one)
    if sidebar_shown(one) and one.get_by_test_id("stSidebarCollapseButton").is_visible():
        one.get_by_test_id("stSidebarCollapseButton").locator("button").click()   # it stays open in some browsers
    one.get_by_role("button", name="Follow again").click()
    title_is(one, "Probability", WAIT)
    wait_idle(one)
    assert not sidebar_shown(one)


def test_a_phone_opened_again_with_an_old_link_of_its_own_shows_the_projectors_view(lecture):
    """A phone's tab opened again with the address it had while out of the room (its own μ): it
    follows the projector, not that address."""
    presenter, (one, _), link = lecture
    nudge(presenter, "mean μ", times=2)                     # μ 50 -> 51
    mu_is(one, "51")
    context = presenter.context.browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                                    has_touch=True)
    try:
        phone = context.new_page()
        open_url(phone, f"{link}&mu=30")
        expect(phone.get_by_text("Following the presenter's screen")).to_be_visible(timeout=WAIT)
        mu_is(phone, "51")
    finally:
        context.close()


def test_a_phone_is_told_the_projector_has_uploaded_names_it_cannot_get(lecture):
    """The presenter uploads names on chapter 7: the phones follow to chapter 7 with the built-in
    names (no link carries a file) and say so, so that nobody compares figures that differ."""
    presenter, (one, _), link = lecture
    # A new tab's session, which takes the room back from the presenter's cookie.
    open_url(presenter, f"{link.split('/Probability')[0]}/Bigram_model?present=1")
    title_is(presenter, "Bigram model", WAIT)
    wait_idle(presenter)
    presenter.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "five.txt", "mimeType": "text/plain", "buffer": b"emma\nolivia\nava\nisabella\nsophia\n"})
    expect(presenter.get_by_text("kept 5 names")).to_be_visible(timeout=WAIT)
    title_is(one, "Bigram model", WAIT)
    expect(one.get_by_text("The presenter's screen also has uploaded names")).to_be_visible(timeout=FOLLOW)
    wait_idle(one)
    assert (metric(presenter, "names"), metric(one, "names")) == ("5", "32,033")   # figures that differ
