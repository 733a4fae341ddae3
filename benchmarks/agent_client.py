"""Drive the real app without a browser, through Streamlit's agent API, for load tests.

The agent API (Streamlit 1.67, `server.enableAgentApi`) is JSON over HTTP: one POST to
/_stcore/agent/interact is one rerun and answers with the finished page as a tree of elements.
`{"page": url_path}` creates a session; `{"session_id", "widget_state", "trigger"}` acts in it.
Its schema is served at /_stcore/agent/openapi.json. Used by tests/test_load.py and
benchmarks/load.py; both run `load_scenario` against `agent_server()`.
"""
from __future__ import annotations

import collections
import contextlib
import json
import os
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from serve import ROOT, running_app

INTERACT = "/_stcore/agent/interact"
TIMEOUT = 120.0  # s; beyond the server's own 30 s agentWaitTimeout, which answers 202 instead
MAX_COLLECTS = 10  # waits of up to agentWaitTimeout each for a run that outlasted the first
BIGRAM = "Bigram_model"
COUNTERS = "/training-cache"  # the training cache's counters as JSON (app.py), kept off the pages

# Controls the "other" sessions move: (page url_path, [widget_state, ...]); keys from pages/*.py.
# Each session scales the values by a factor of its own in [1, 1.2) (seeded), so no two sessions ask
# for the same charts: each move is new to the caches, like a student's drag of a slider.
OTHER_MOVES = [
    ("Probability", [{"mu": 45.0}, {"sigma": 3.0}, {"a": 40.0}, {"b": 55.0}]),
    ("Likelihood", [{"muA": 27.0}, {"sigmaA": 4.0}, {"muB": 30.0}, {"sigmaB": 2.0}]),
    ("Negative_log_likelihood", [{"p": 0.25}, {"peak_sigma": 1.5}]),
]


@contextlib.contextmanager
def agent_server(*extra_args: str, app: Path = ROOT / "app.py", environ: dict | None = None):
    """A fresh `streamlit run app.py`, started as the README does (serve.py), with the
    agent API on for this server only: the load client's way in, the one flag it adds.
    `environ`: variables to add to the server's environment.

    Yields (base_url, pid, log): the last lines of the server's output, for diagnosis. The
    project's config has no file watcher, so an edit to the repository during a run cannot
    re-import core/ and reset the training cache and its counters mid-measurement.
    """
    with running_app("--server.enableAgentApi=true", *extra_args, app=app, environ=environ) as (base, proc):
        yield base, proc.pid, proc.log


# --- one interaction ------------------------------------------------------------------------------

@dataclass
class Timing:
    kind: str        # what the interaction did: open, train, move
    seconds: float   # until its run settled, collects after a 202 included
    error: str | None = None


@dataclass
class Recorder:
    """Every interaction's time and outcome, and failed checks of a response, from many threads."""
    timings: list[Timing] = field(default_factory=list)
    failed_checks: list[Timing] = field(default_factory=list)  # not requests: kept out of timings
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, timing: Timing) -> None:
        with self._lock:
            (self.timings if timing.kind != "check" else self.failed_checks).append(timing)

    @property
    def errors(self) -> list[Timing]:
        return [t for t in self.timings if t.error] + self.failed_checks

    def percentile(self, q: int, kind: str | None = None) -> float:
        times = sorted(t.seconds for t in self.timings if kind in (None, t.kind))
        if not times:
            return float("nan")
        return statistics.quantiles(times, n=100, method="inclusive")[q - 1] if len(times) > 1 else times[0]


def post(base: str, body: dict, timeout: float = TIMEOUT) -> tuple[int, dict]:
    """POST one interaction; (HTTP status, JSON body). Refusals (4xx/5xx) return their Error body."""
    req = urllib.request.Request(base + INTERACT, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def walk(node: dict):
    """Every node of a snapshot's tree, depth first."""
    yield node
    for child in node.get("children", ()):
        yield from walk(child)


def problem(status: int, snap: dict) -> str | None:
    """Why a response counts as an error, or None: a refusal, a 202 (the server's wait timed
    out), an app that raised (`status: error`), or any exception element on the page."""
    if status != 200:
        return f"HTTP {status} {snap.get('error', {}).get('code')}: {snap.get('error', {}).get('message')}"
    if snap.get("status") != "ready":
        return f"status {snap.get('status')}"
    for node in walk(snap["tree"]):
        if node.get("type") == "exception":
            return f"exception: {node.get('props', {}).get('message', '')[:200]}"
    return None


def value_of(snap: dict, key: str):
    return next((n.get("value") for n in walk(snap["tree"]) if n.get("key") == key), None)


class Session:
    """One visitor: opens a page, then moves controls and presses buttons in it."""

    def __init__(self, base: str, recorder: Recorder):
        self.base, self.recorder = base, recorder
        self.id: str | None = None

    def _call(self, kind: str, body: dict) -> dict | None:
        """One interaction, timed until its run settles; the snapshot, or None if it failed.

        A 202 means the server stopped waiting (`server.agentWaitTimeout`) while the run goes on.
        It counts as an error (a timeout), but the run is then collected (by sending only
        session_id) so the session can carry on, and the time recorded is the whole wait until
        the run settled, as a visitor would wait for it.
        """
        started, error, snap = time.perf_counter(), None, None
        try:
            status, snap = post(self.base, body)
            self.id = snap.get("session_id", self.id)
            error = problem(status, snap)
            for _ in range(MAX_COLLECTS):
                if status != 202 or not self.id:
                    break
                status, snap = post(self.base, {"session_id": self.id})
            settled = problem(status, snap) is None
        except Exception as err:  # a client-side timeout, a refused or reset connection
            error, settled = error or f"{type(err).__name__}: {err}", False
        self.recorder.add(Timing(kind, time.perf_counter() - started, error))
        return snap if settled else None

    def open(self, page: str) -> dict | None:
        return self._call("open", {"page": page})

    def move(self, **widgets) -> dict | None:
        snap = self._call("move", {"session_id": self.id, "widget_state": widgets})
        for key, want in widgets.items():  # the schema says to check a value was taken as sent
            got = value_of(snap, key) if snap is not None else want
            if got != want:
                self.recorder.add(Timing("check", 0.0, f"value not taken: {key} is {got!r}, sent {want!r}"))
        return snap

    def press(self, key: str, kind: str = "train", **widgets) -> dict | None:
        body = {"session_id": self.id, "trigger": {"key": key}}
        if widgets:
            body["widget_state"] = widgets
        return self._call(kind, body)


# --- server memory ------------------------------------------------------------------------------

def _stat_fields(pid: int | str) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): state, ppid, ..."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children[int(_stat_fields(entry)[1])].append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children[p])
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux), in MB."""
    total = 0.0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
        except (OSError, StopIteration):
            pass  # gone, or a zombie without memory
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its living descendants (Linux)."""
    total = 0.0
    for p in _tree(pid):
        try:
            fields = _stat_fields(p)
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


class RssSampler:
    """Samples the server's resident memory every `interval` s in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.peak = self.last = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            self.last = tree_rss_mb(self.pid)
            self.peak = max(self.peak, self.last)
            if self._stop.wait(self.interval):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --- the scenario ---------------------------------------------------------------------------------

def load_scenario(base: str, bigram_sessions: int, other_sessions: int, recorder: Recorder,
                  spread: float = 0.0, think: float = 0.0, seed: int = 0) -> tuple[int, int] | None:
    """Bigram sessions open their page and press Train (default settings) while the others move
    controls. Returns the training cache's (computed, hits) afterwards (read_training_counts).

    spread = 0: every session opens at the same instant and the bigram ones press Train together,
    the harshest case. spread > 0: each session arrives at its own moment, uniform in
    [0, spread] s (seeded), like a class following a link, and waits `think` s between actions.
    """
    rng = random.Random(seed)
    arrivals = [rng.uniform(0, spread) for _ in range(bigram_sessions + other_sessions)]
    scales = [1 + 0.2 * rng.random() for _ in range(other_sessions)]
    start = threading.Barrier(bigram_sessions + other_sessions)
    train = threading.Barrier(bigram_sessions) if spread == 0 else None

    def arrive(i: int) -> None:
        start.wait()
        time.sleep(arrivals[i])

    def bigram_visitor(i: int):
        s = Session(base, recorder)
        arrive(i)
        opened = s.open(BIGRAM)
        if train is not None:
            train.wait()  # reached even when the open failed, so nobody waits forever
        time.sleep(think)
        if opened:
            s.press("train")

    def other_visitor(i: int):
        page, moves = OTHER_MOVES[i % len(OTHER_MOVES)]
        s = Session(base, recorder)
        arrive(bigram_sessions + i)
        if not s.open(page):
            return
        for move in moves:
            time.sleep(think)
            s.move(**{k: round(v * scales[i], 4) for k, v in move.items()})

    with ThreadPoolExecutor(bigram_sessions + other_sessions) as pool:
        jobs = [pool.submit(bigram_visitor, i) for i in range(bigram_sessions)]
        jobs += [pool.submit(other_visitor, i) for i in range(other_sessions)]
        for job in jobs:
            job.result()
    return read_training_counts(base)


def read_training_counts(base: str) -> tuple[int, int] | None:
    """The training cache's (computed, answered from the cache), from the server's JSON route;
    None from a server without it (the floor app answers with its page, or an error)."""
    try:
        with urllib.request.urlopen(base + COUNTERS, timeout=TIMEOUT) as response:
            counters = json.load(response)
    except (urllib.error.HTTPError, ValueError):
        return None
    return counters["computed"], counters["answered_from_cache"]
