"""Nothing sent out: the app asks no host but its own server, at start-up or from any page.

The server is started as the README does (benchmarks/serve.py) with an audit hook in its interpreter
that logs, as OUTBOUND lines, every name lookup, connect or datagram to another machine. The
pages are opened in Chromium, every request and websocket recorded; one to any host but the
server fails the test (and is refused, so nothing leaves even then). The tab icon must come
from the server: each page's own SVG from ui/icons, inline, not a link to a font server.
"""
from __future__ import annotations

import base64
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core import story
from serve import OUTBOUND, running_app, require_chromium

require_chromium()  # skips here, fails under CI=true

from playwright.sync_api import expect  # noqa: E402

WAIT = 60_000  # ms; the first run of a page imports torch
BANNER = "You can now view your Streamlit app in your browser."


def outbound(log) -> list[str]:
    return [line for line in log if line.startswith(OUTBOUND)]


def banner_printed(proc, timeout: float = 30.0) -> list[str]:
    """The server's output once its start-up banner and URL lines are out (the external-IP
    lookup, when it happens, comes before them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = list(proc.log)
        if BANNER in "\n".join(lines) and any("URL:" in line for line in lines):
            time.sleep(0.5)  # anything printed right after
            return list(proc.log)
        time.sleep(0.1)
    raise AssertionError("no start-up banner:\n" + "\n".join(proc.log))


@pytest.mark.parametrize("address", [None, "0.0.0.0"], ids=["readme-command", "hosting-command"])
def test_start_up_asks_the_network_nothing(address):
    """`streamlit run app.py` (every interface) and the hosting line's `--server.address 0.0.0.0`:
    headless, Streamlit would look up the machine's external IP at a public service and its LAN
    address through a public DNS server; the config's browser.serverAddress stops both."""
    with running_app(address=address, watch_network=True) as (base, proc):
        log = banner_printed(proc)
    assert not outbound(log), "\n".join(log)
    text = "\n".join(log)
    assert "Did not auto detect external IP" not in text and "External URL" not in text, text
    assert "Network URL" not in text, text
    assert "URL: http://localhost:" in text, text


@pytest.fixture(scope="module")
def server():
    with running_app(watch_network=True) as (base, proc):
        yield base, proc


def inline_svg(path: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(Path(path).read_bytes()).decode()


def test_no_page_asks_any_host_but_the_server(server, browser):
    base, proc = server
    here = urlsplit(base).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    foreign: list[str] = []

    def is_foreign(url: str) -> bool:
        return urlsplit(url).netloc not in ("", here)  # data:, blob: and about: have no host

    def gate(route):
        if is_foreign(route.request.url):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", gate)
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    icons = {}
    try:
        for chapter in story.STORY:
            page.goto(f"{base}/{chapter.url_path}")
            expect(page.locator("h1").first).to_be_visible(timeout=WAIT)
            expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
                "data-test-script-state", "notRunning", timeout=WAIT)
            # The tab icon: this chapter's SVG from ui/icons, sent inline by the server.
            icon = page.locator("link[rel='shortcut icon']")
            expect(icon, f"{chapter.path}: the tab icon is not {chapter.favicon} sent inline "
                   "(set_page_config(page_icon=chapter.favicon))").to_have_attribute(
                "href", inline_svg(chapter.favicon), timeout=5_000)
            icons[chapter.path] = icon.get_attribute("href")
            page.wait_for_load_state("networkidle")
    finally:
        context.close()

    foreign += [url for url in requests if is_foreign(url)]
    assert not foreign, f"requests to hosts other than {here}: {sorted(set(foreign))}"
    assert any(url.startswith(("ws://", "wss://")) for url in requests), "the app's own websocket was not seen"
    assert any("/static/" in url for url in requests), "the app's own scripts were not seen"
    assert len(set(icons.values())) == len(story.STORY), "pages share a tab icon"
    assert not outbound(proc.log), "\n".join(proc.log)
