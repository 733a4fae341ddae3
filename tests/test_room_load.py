"""The room benchmark, tiny: 3 phones follow one move of the presenter on a real server.

Keeps benchmarks/room_load.py working: the presenter (agent API) opens a room and reads its code,
the phones (benchmarks/tab_client.py, the websocket protocol and the page's watch on its room)
join and watch, and every phone receives the presenter's new μ, in the slider and in its URL. Times
are only printed: a shared machine's timings prove nothing.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from agent_client import agent_server
from room_load import KEY, room_under_load
from tab_client import Tab

PHONES = 3


def run_async(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop
    running in this one for the whole session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def server():
    with agent_server() as (base, pid, log):
        yield base, pid


def test_every_phone_shows_the_presenters_move(server):
    base, pid = server
    result = run_async(room_under_load(base, base, [pid], PHONES, moves=1, idle=2.0))
    print(f"\n{result}")
    assert not result["presenter_errors"] and not result["tab_errors"], result
    assert result["follow_s"]["missed"] == 0 and result["follow_s"]["n"] == PHONES, result["follow_s"]
    assert result["url_follow_s"]["n"] == PHONES, result["url_follow_s"]   # mu=value in each phone's URL
    # While nobody moves the phones ask for the room's version (ui/room_watch.js: an HTTP request,
    # no Streamlit run), at most about once a phone and second. How often a loaded server answers
    # is timing (the benchmark reports it): here only that the requests come and no run does.
    assert 0 < result["idle"]["version_requests_per_s"] <= PHONES * 1.5, result["idle"]
    assert result["idle"]["fragment_runs_per_s"] == 0, result["idle"]


def test_a_tab_outside_a_room_keeps_its_links_value_and_never_polls(server):
    """What a tab records is what the server sent it: a link's μ, and no poll without a room."""
    async def visit():
        stop = asyncio.Event()
        tab = Tab(server[0], "Probability", f"{KEY}=12.5", watch=KEY)
        task = asyncio.create_task(tab.run(stop))
        await asyncio.wait_for(tab.ready.wait(), 120)
        await asyncio.sleep(1.5)
        stop.set()
        await task
        return tab

    tab = run_async(visit())
    assert tab.error is None
    assert set(tab.shown) == {12.5} and set(tab.in_url) <= {12.5}   # the URL only changes when the value does
    assert tab.fragment_runs == 0 and tab.version_requests == 0
