"""A replica that is warm before it says it is healthy.

`streamlit run app.py` serves app.py's `st.App` (Streamlit 1.67); its `lifespan` runs here once
per server process, after Streamlit's runtime has started and before the server answers any
request, `/_stcore/health` included. So a load balancer (deploy/haproxy.cfg) or Docker's
HEALTHCHECK sees a new replica go green only when its heavy imports are done and the default
corpus is loaded, and the first visitor routed to it does not pay for them (the measurement
is in benchmarks/replicas.py --first-page).

What is warmed, in order:
1. every module of core/ and ui/ (which brings torch, pandas, altair, scipy and pyarrow);
2. the default corpus: the names (read in a child process started before step 1, so that the
   two share the machine's cores) and their 27 x 27 counts, into the cache the bigram page reads
   (ui/cached_builders.py);
3. every page of the story, rendered once with its default controls in a session of the
   server's own runtime (Streamlit's agent-session machinery, driven in-process: the agent
   HTTP API stays off), so each page's script is compiled and its default charts are in the
   Streamlit caches of ui/cached_builders.py before the first visitor asks. The sessions are closed
   at once. Train is never pressed, so "each replica trains once per setting" still holds and
   the training cache's counters of visitors' runs (/training-cache) start at 0; the bigram page's
   lead does compute the article's training once, as a run the page shows (shared_run.SHOWN).
Steps 1-2 use only this repository's code. Step 3 uses streamlit.runtime.agent.interaction,
an internal module of the pinned Streamlit 1.67.0. A step that fails (a module that does not
import, another Streamlit version) is logged and skipped, and the replica goes green all the
same, as cold as that step left it: the warm-up adds speed, never a way to fail.

LIKELIHOOD_WARMUP=0 in the environment turns the warm-up off (the "before" of the measurement).
"""
from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import pkgutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
_LOG = logging.getLogger("likelihood.warmup")


def enabled() -> bool:
    return os.environ.get("LIKELIHOOD_WARMUP", "1").strip().lower() not in {"0", "false", "no", "off"}


def _import_all(package: str) -> list[str]:
    """Import every module of a top-level package of the repository; the names imported.
    A module that fails to import is logged and skipped: the page that needs it shows the
    error to its visitor as it would without a warm-up, and the other pages stay served."""
    names = []
    for name in [package] + [info.name for info in pkgutil.walk_packages([str(_ROOT / package)],
                                                                            prefix=f"{package}.")]:
        if name == __name__:
            continue
        try:
            importlib.import_module(name)
            names.append(name)
        except Exception:
            _LOG.exception("warm-up: importing %s failed", name)
    return names


def warm() -> dict[str, float]:
    """Do the work a cold server would do for its first visitors; seconds spent on each part."""
    spent: dict[str, float] = {}
    started = time.perf_counter()
    from core import baby_names  # noqa: PLC0415

    baby_names.prefetch()   # the names are read in a child process, on another core, during the imports
    modules = _import_all("core") + _import_all("ui")
    spent["imports"] = time.perf_counter() - started

    started = time.perf_counter()
    from core import bigram  # noqa: PLC0415  (imported above; named here for clarity)
    from ui import cached_builders  # noqa: PLC0415

    default = cached_builders.default_corpus()
    bigram.counts_for(default)
    spent["default corpus"] = time.perf_counter() - started
    _LOG.info("warm-up: %d modules in %.2f s, default corpus (%d names) in %.2f s",
              len(modules), spent["imports"], default.n_names, spent["default corpus"])
    return spent


async def _warm_safely() -> dict[str, float]:
    """Every step of the warm-up; one that fails is logged and the replica is served all the
    same, as cold as that step left it: the warm-up adds speed, never a way to fail."""
    spent: dict[str, float] = {}
    try:
        spent.update(await asyncio.to_thread(warm))
    except Exception:
        _LOG.exception("warm-up: imports or the default corpus failed")
    started = time.perf_counter()
    try:
        from streamlit.runtime import Runtime  # noqa: PLC0415

        problems = await render_every_page(Runtime.instance())
        spent["every page once"] = time.perf_counter() - started
        for problem in problems:
            _LOG.warning("warm-up render: %s", problem)
    except Exception:  # e.g. an internal API of another Streamlit version: keep the rest
        _LOG.exception("warm-up: rendering the pages failed")
    return spent


async def render_every_page(runtime) -> list[str]:
    """Open every page of the story once, default controls, in sessions closed afterwards.
    Returns the problems seen (a page that did not settle or drew an exception)."""
    import json  # noqa: PLC0415

    from streamlit.runtime.agent import interaction, json_encoding  # noqa: PLC0415

    from core import story  # noqa: PLC0415

    registry = interaction.AgentSessionRegistry(runtime)
    problems = []
    for chapter in story.STORY:
        page = chapter.url_path
        try:
            body = await interaction.interact(registry, {"page": page}, transport="http", user_info={},
                                              headers=(), encode=json_encoding.response_body)
        except Exception as err:  # a refusal (AgentRequestError) or a failure: the next page
            problems.append(f"{page or 'home'}: {type(err).__name__}: {err}")
            continue
        doc = json.loads(body)
        registry.close(doc.get("session_id", ""))
        if doc.get("status") != "ready":
            problems.append(f"{page or 'home'}: status {doc.get('status')}")
        elif any(node.get("type") == "exception" for node in _walk(doc.get("tree", {}))):
            problems.append(f"{page or 'home'}: exception on the page")
    return problems


def _walk(node: dict):
    yield node
    for child in node.get("children", ()):
        yield from _walk(child)


@contextlib.asynccontextmanager
async def lifespan(app) -> AsyncIterator[dict | None]:
    """st.App's lifespan hook: warm the process, freeze what it loaded out of the garbage
    collector's scans, then let the server answer requests, collecting the garbage ended sessions
    leave every half minute (core/memory.py) for as long as it runs."""
    if enabled():
        from core.formatting import seconds  # noqa: PLC0415  (imported with the rest of core, above)

        spent = await _warm_safely()
        # Printed as well as logged: the line tells an operator when the replica is ready.
        print(f"Warm: {', '.join(f'{k} {seconds(v)}' for k, v in spent.items())}; now answering requests.",
              flush=True)
    from core.memory import collect_garbage_every, freeze_what_is_loaded  # noqa: PLC0415

    freeze_what_is_loaded()
    collector = asyncio.create_task(collect_garbage_every())   # what ended sessions leave, freed
    try:
        yield None
    finally:
        collector.cancel()
