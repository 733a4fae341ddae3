"""Nothing sent out: the app asks no host but its own server, at start-up or from any page.

The server is started as the README does (benchmarks/serve.py) with an audit hook in its interpreter
that logs, as OUTBOUND lines, every name lookup, connect or datagram to another machine: at
start-up here; for the pages, the browser tests' shared server (tests/conftest.py) runs with it
and fails if any page any test opened made one. Every browser test's tab refuses and reports a
request to any host but this machine (browsing.Tabs, tested here); the tab icon of every page is
checked in test_browser.py (its own SVG, inline).
"""
from __future__ import annotations

import time

import pytest

from serve import OUTBOUND, running_app, require_chromium

require_chromium()  # skips here, fails under CI=true

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
    address through a public DNS server; the config's browser.serverAddress stops both. The
    warm-up (every page run once) is off here: the shared server of the browser tests runs it
    under the same hook (tests/conftest.py)."""
    with running_app(address=address, watch_network=True, environ={"LIKELIHOOD_WARMUP": "0"}) as (base, proc):
        log = banner_printed(proc)
    assert not outbound(log), "\n".join(log)
    text = "\n".join(log)
    assert "Did not auto detect external IP" not in text and "External URL" not in text, text
    assert "Network URL" not in text, text
    assert "URL: http://localhost:" in text, text


def test_a_tab_refuses_and_reports_a_request_to_another_host(tabs, server):
    """The guard on every browser test's tab (browsing.Tabs) that makes a request to any host but
    this machine fail the test: here a page asks one on purpose. The pages themselves are opened
    by every browser test, through that guard, on a server run with the audit hook (conftest.py)."""
    with pytest.raises(AssertionError, match="requests to other hosts: .*example.com"):
        with tabs.open(viewport={"width": 800, "height": 600}) as page:
            page.goto(f"{server}/_stcore/health")
            assert page.evaluate("() => fetch('https://example.com/beacon').then(() => 'sent', () => 'refused')") \
                == "refused"
