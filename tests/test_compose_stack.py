"""The compose stack (compose.yaml: replicas, HAProxy, Redis), built and run, in Chromium through
its balancer: a visit that goes on when its replica stops.

`python deploy/container_check.py` builds the image, brings the stack up with podman-compose and
runs this file with LIKELIHOOD_STACK set (the balancer's address, HAProxy's runtime API, each
replica's container by address). Without it this module skips: a plain test run builds no images.
"""
from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from browsing import WAIT, open_url, wait_idle
from core import story
from deploy import balancer
from serve import require_chromium
from through_balancer import no_error, server_cookie, train, upload_names, wait_connected

STACK = json.loads(os.environ.get("LIKELIHOOD_STACK") or "null")
if STACK is None:
    pytest.skip("the compose stack runs under `python deploy/container_check.py`, which brings it up "
                "and runs this file through it", allow_module_level=True)
require_chromium()

BIGRAM = next(c for c in story.STORY if "Bigram" in c.title)


def replicas() -> dict[str, dict[str, str]]:
    """Each replica's HAProxy row, by container name (the stack's container at the row's address)."""
    rows = balancer.replica_rows(STACK["socket"])
    return {STACK["replicas"][row["addr"].rsplit(":", 1)[0]]: row for row in rows}


def container_of(cookie: str) -> str:
    return next(name for name, row in replicas().items() if row["cookie"] == cookie)


def podman(*args: str) -> str:
    return subprocess.run(["podman", *args], check=True, capture_output=True, text=True, timeout=60).stdout.strip()


def test_a_visit_goes_on_on_the_other_replica_when_its_replica_stops(browser):
    from playwright.sync_api import expect
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_url(page, f"{STACK['base']}/")                       # a page
    no_error(page)
    page.goto(f"{STACK['base']}/{BIGRAM.url_path}")    # the bigram page, in the same visit
    expect(page.locator("h1").first).to_have_text(BIGRAM.title.split("· ")[-1], timeout=WAIT)
    wait_idle(page)
    upload_names(page)
    before = train(page)
    no_error(page)
    first = container_of(server_cookie(context))
    survivor = next(name for name in replicas() if name != first)

    podman("stop", "--time", "15", first)                     # SIGTERM, mid-visit

    assert podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", first) == "exited 0"
    # The tab reconnects by itself; the balancer sends it to the survivor, with a new cookie.
    deadline = time.monotonic() + 60
    while server_cookie(context) != replicas()[survivor]["cookie"]:
        assert time.monotonic() < deadline, f"the tab did not move to {survivor}: {replicas()}"
        page.wait_for_timeout(250)
    wait_connected(page)
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text(BIGRAM.title.split("· ")[-1])
    no_error(page)
    # The visit goes on there: another file (the first was lost with the stopped replica's
    # memory), and a training of it, whose NLL is not the one the page showed before. The new
    # session drops the first widget change it gets before it has drawn the page (docs/hosting.md,
    # "When a replica dies"): the visitor may have to choose the file a second time.
    for tries in (1, 2):
        try:
            upload_names(page, b"anna\nbob\ncarl\n", kept=3, timeout=WAIT // 4 if tries == 1 else WAIT)
            break
        except AssertionError:
            if tries == 2:
                raise
    print(f"after the move, the upload was used on try {tries}")
    train(page, before)
    no_error(page)
    assert container_of(server_cookie(context)) == survivor
    assert [name for name, row in replicas().items() if row["status"] == "UP"] == [survivor]
    context.close()
