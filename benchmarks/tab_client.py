"""A browser tab without the browser: Streamlit's websocket protocol spoken as the page speaks it.

Used by benchmarks/room_load.py for the phones of a room: the agent API never runs a
`run_every` fragment, and 70 Chromium pages are too heavy for a 2-core machine. A `Tab` opens
the page with one BackMsg rerun_script (the page's name and query string), then keeps the
browser's timers of `st.fragment(run_every=...)`: for each `auto_rerun` ForwardMsg one timer per
fragment that sends a fragment rerun with is_auto_rerun every interval (a second message with the
same interval keeps the timer, as the browser does), `stop_auto_rerun` ends timers, and a full
run of the app (a new_session whose run names no fragment) clears them all before the run
registers its fragments again. It also does what ui/room_watch.js does in a following phone's
page: while the page holds the room_watch component, it asks GET /room-version/CODE every
every_ms (with the tab's cookie) and, when the version is not the one the page shows, sends one
rerun of the app carrying the component's "moved" trigger, as the browser's component does;
a full run without the component ends the watch. So the server does what it does for a phone's
browser.

What it leaves out: the widget states a browser sends with each rerun (the server keeps its
own), the forward-message cache (the server sends every element in full), and heartbeats.

What it records: the first moment each value of one slider (`watch`, its key) reached the tab
in an element of the page, and the first moment the page's URL (page_info_changed) carried
`watch=value`; how many full and fragment runs the server finished for it, and how many times it
asked for the room's version.
"""
from __future__ import annotations

import asyncio
import http.client
import json
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM = "/_stcore/stream"
_FINISHED = ForwardMsg.ScriptFinishedStatus
_FULL_RUN, _FRAGMENT_RUN = _FINISHED.Value("FINISHED_SUCCESSFULLY"), _FINISHED.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
WATCH = "room_watch"                  # ui/room.py's component, and ui/room_watch.js's rules:
_ASKED_AGAIN_AFTER = 5.0              # s before a rerun asked for is asked again
_TRIGGER = "$$STREAMLIT_INTERNAL_KEY_{id}__events"   # the widget a component's triggers come back in
_HTTP = ThreadPoolExecutor(256, thread_name_prefix="tab-http")   # a tab's request never waits for another's


def affinity_cookie(page_url: str) -> str | None:
    """What a browser gets with the page before it opens the websocket: the balancer's
    affinity cookie (name=value), or None from a server that sets none."""
    with urllib.request.urlopen(page_url, timeout=30) as response:
        cookie = response.headers.get("Set-Cookie")
    return cookie.split(";", 1)[0] if cookie else None


class Tab:
    """One visitor's tab on `base` (http://host:port), open at `page` with `query`."""

    def __init__(self, base: str, page: str, query: str = "", *, watch: str = "mu", cookie: str | None = None):
        self.url = base.replace("http", "ws", 1) + STREAM
        self.page, self.query, self.watch, self.cookie = page, query, watch, cookie
        self.ready = asyncio.Event()            # the first full run has finished
        self.shown: dict[float, float] = {}     # value of the watched slider -> first time (monotonic) it came
        self.in_url: dict[float, float] = {}    # value -> first time the URL carried watch=value
        self.full_runs = self.fragment_runs = self.version_requests = 0
        self.error: str | None = None
        self._page_hash = ""
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}   # fragment id -> (interval, its timer)
        self._base = base
        self._watch: tuple[str, asyncio.Task] | None = None   # (the component's data, its timer)
        self._watched = False                                  # this run drew the component

    async def run(self, stop: asyncio.Event) -> None:
        """Open the page and answer the server until `stop` is set (a failure is kept in `error`)."""
        headers = {"Cookie": self.cookie} if self.cookie else None
        try:
            async with websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                          additional_headers=headers, open_timeout=60) as ws:
                first = BackMsg()
                first.rerun_script.query_string = self.query
                first.rerun_script.page_name = self.page
                await ws.send(first.SerializeToString())
                receiving = asyncio.create_task(self._receive(ws))
                await asyncio.wait([receiving, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
                receiving.cancel()
        except Exception as err:  # a refused or dropped connection: the benchmark reports it
            self.error = f"{type(err).__name__}: {err}"
        finally:
            self._clear_timers()
            self._end_watch()

    async def _receive(self, ws) -> None:
        async for raw in ws:
            now = time.monotonic()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._delta(msg.delta, now, ws)
            elif kind == "new_session":
                self._page_hash = msg.new_session.page_script_hash
                if not msg.metadata.run.fragment_ids:   # a full run: the browser drops every timer
                    self._clear_timers()
                    self._watched = False
            elif kind == "auto_rerun":
                self._every(ws, msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
            elif kind == "stop_auto_rerun":
                for fragment in msg.stop_auto_rerun.fragment_ids:
                    self._clear_timers(fragment)
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
                for text in urllib.parse.parse_qs(self.query).get(self.watch, []):
                    self.in_url.setdefault(float(text), now)
            elif kind == "script_finished":
                if msg.script_finished == _FULL_RUN:
                    self.full_runs += 1
                    if not self._watched:        # the page no longer holds the component
                        self._end_watch()
                    self.ready.set()
                elif msg.script_finished == _FRAGMENT_RUN:
                    self.fragment_runs += 1

    def _delta(self, delta, now: float, ws) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        if delta.new_element.WhichOneof("type") == "bidi_component":
            component = delta.new_element.bidi_component
            if component.component_name == WATCH:
                self._watched = True
                self._start_watch(ws, component.id, component.json)
            return
        if delta.new_element.WhichOneof("type") != "slider":
            return
        slider = delta.new_element.slider
        if slider.id.endswith(f"-{self.watch}"):   # a widget's id ends with its key
            for value in slider.value:
                self.shown.setdefault(value, now)

    def _every(self, ws, fragment: str, interval: float) -> None:
        kept = self._timers.get(fragment)
        if kept is not None and kept[0] == interval:
            return
        self._clear_timers(fragment)

        async def tick():
            while True:
                await asyncio.sleep(interval)
                again = BackMsg()
                again.rerun_script.query_string = self.query
                again.rerun_script.page_script_hash = self._page_hash
                again.rerun_script.fragment_id = fragment
                again.rerun_script.is_auto_rerun = True
                await ws.send(again.SerializeToString())

        self._timers[fragment] = (interval, asyncio.create_task(tick()))

    def _start_watch(self, ws, component_id: str, data_json: str) -> None:
        """ui/room_watch.js: one watch at a time, started again when its data change; each look
        waits every_ms after the last answer, and a rerun is asked for at most once in 5 s."""
        if self._watch is not None and self._watch[0] == data_json:
            return
        self._end_watch()
        data = json.loads(data_json)
        path = f"/room-version/{urllib.parse.quote(data['room'], safe='')}"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        address = urllib.parse.urlsplit(self._base)
        kept: list[http.client.HTTPConnection] = []   # one connection, kept alive, as a browser does

        def version():
            """The room's version; "gone" on the route's 404; None when there is no answer."""
            try:
                if not kept:
                    kept.append(http.client.HTTPConnection(address.hostname, address.port, timeout=30))
                kept[0].request("GET", path, headers=headers)
                answer = kept[0].getresponse()
                body = answer.read()
                return "gone" if answer.status == 404 else json.loads(body)["version"] if answer.status == 200 else None
            except (OSError, ValueError, http.client.HTTPException):
                if kept:
                    kept.pop().close()
                return None

        async def tick():
            asked = -_ASKED_AGAIN_AFTER
            try:
                while True:
                    await asyncio.sleep(data["every_ms"] / 1000)
                    self.version_requests += 1
                    seen = await asyncio.get_running_loop().run_in_executor(_HTTP, version)
                    if seen is None or seen == data["seen"] or time.monotonic() - asked < _ASKED_AGAIN_AFTER:
                        continue
                    asked = time.monotonic()
                    again = BackMsg()
                    again.rerun_script.query_string = self.query
                    again.rerun_script.page_script_hash = self._page_hash
                    trigger = again.rerun_script.widget_states.widgets.add()
                    trigger.id = _TRIGGER.format(id=component_id)
                    trigger.json_trigger_value = json.dumps([{"event": "moved", "value": seen}])
                    await ws.send(again.SerializeToString())
            finally:
                for connection in list(kept):
                    connection.close()

        self._watch = (data_json, asyncio.create_task(tick()))

    def _end_watch(self) -> None:
        if self._watch is not None:
            self._watch[1].cancel()
            self._watch = None

    def _clear_timers(self, *fragments: str) -> None:
        for fragment in fragments or list(self._timers):
            kept = self._timers.pop(fragment, None)
            if kept is not None:
                kept[1].cancel()
