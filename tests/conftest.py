"""Fixtures shared by the test modules: the `browser` and the app `server` of the browser tests.

The imports the tests share (``core``, ``ui``, ``deploy`` from the repo root; ``serve`` and
``agent_client`` from benchmarks/) resolve through pytest.ini's ``pythonpath``, with
``python -m pytest`` and a bare ``pytest`` alike.
"""
from __future__ import annotations

import pytest
import torch
from hypothesis import settings

# Property tests judge values, not speed: on a shared 2-core machine an example can take longer than
# hypothesis's default 200 ms deadline for reasons that have nothing to do with the code.
settings.register_profile("values-not-speed", deadline=None)
settings.load_profile("values-not-speed")

# One thread for torch, as the server runs (app.py sets it where the app starts): the page tests
# that train in this process then compute what a visitor's server computes.
torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def charts_built_without_from_dict(monkeypatch):
    """Every chart a test builds is built without altair's from_dict, which hashes every schema
    class of Vega-Lite at each call (2-3 ms, most of a chart's build): a builder in core/charts/
    passes channel objects (alt.Tooltip("x:Q")), never shorthand strings or alt.value / alt.when
    (core/charts/style.py). A test may still call from_dict itself."""
    import os
    import traceback

    from altair.utils import schemapi

    made, called_from = schemapi._FromDict.__init__, []
    charts = os.path.join("core", "charts", "")

    def watched(self, *args, **kwargs):
        frames = [f for f in traceback.extract_stack() if charts in f.filename]
        if frames:
            called_from.append(f"{frames[-1].filename}:{frames[-1].lineno}")
        made(self, *args, **kwargs)

    monkeypatch.setattr(schemapi._FromDict, "__init__", watched)
    yield
    assert not called_from, f"a chart built through altair's from_dict at {called_from}"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run (the browser tests call serve.require_chromium first); each
    test opens its own context, a new Streamlit session."""
    from playwright.sync_api import sync_playwright

    from serve import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def tabs(browser):
    """Tabs for the browser tests: `with tabs.open(viewport=...) as page:`. See browsing.Tabs."""
    from browsing import Tabs

    shared = Tabs(browser)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def server():
    """`streamlit run app.py` as the README starts it, one for every browser test: its base URL.
    Sessions do not share state (each test has its own tab, a Streamlit session of its own); what
    a server shares between sessions (caches, trainings, rooms) is what the tests exercise.
    It runs with the audit hook that logs any look-up of or connection to another machine: after
    every page every test opened, that log must have none (nothing sent out)."""
    from serve import OUTBOUND, running_app

    with running_app(watch_network=True) as (base, proc):
        yield base
    outbound = [line for line in proc.log if line.startswith(OUTBOUND)]
    assert not outbound, "the server asked another machine:\n" + "\n".join(outbound)
