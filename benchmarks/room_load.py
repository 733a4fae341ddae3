"""A room of phones under load (issue 21 §4): how long until every phone shows the presenter's move.

One server (`python benchmarks/room_load.py`): `streamlit run app.py` started as the README
does (serve.py, the project's config), plus the agent API, the presenter's way in. The presenter,
an agent API session on Probability?present=1, presses "Open a room for the class" (room_open)
and reads the room's code from the heading "Room CODE". FOLLOWERS phones (tab_client.Tab: the
websocket protocol as a browser tab speaks it, with the room's watch: ui/room_watch.js's requests) open
Probability?room=CODE and follow. Then:
  - idle: the server's CPU over a window while nobody moves, per phone and second, beside the
    same number of idle tabs on the empty app (benchmarks/floor_app: the same page names, the
    project's config, started the same way), measured before it in the same run;
  - moves: the presenter sets μ to a new value MOVES times; for each move, the time from the
    presenter's move (its agent API request sent: the room sees the presenter's own run too, and
    phones that catch up while it ends compete with it) until each phone received the slider with the
    new value. p50 / p95 / max over phones and moves; goal p95 <= 2 s. The URL's mu=value
    (page_info_changed, the bound slider's link) is timed too.

Two replicas (`--scenarios replicas`): deploy/local.sh 2 PORT with the agent API (redis-server
holds the rooms); the presenter on replica 1's own port; the phones through HAProxy, each with the
affinity cookie it gets with the page, as a browser does (leastconn splits them; the split is printed).

    python benchmarks/room_load.py [--followers 70] [--moves 10] [--idle 30]
                                   [--scenarios one,replicas] [--rounds 1] [--profile out.svg]

One JSON line per scenario and round, with the command and the machine's load average. --profile
records the single server with py-spy during the moves (.svg: a flame graph; .txt: collapsed
stacks). Exits 1 if a p95 misses the goal or a phone never showed a move.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # deploy/ (run as a script, Python puts only benchmarks/ on the path)

from agent_client import Recorder, Session, agent_server, post, problem, tree_cpu_seconds, walk  # noqa: E402
from replicas import machine_busy_seconds  # noqa: E402
from serve import running_app  # noqa: E402
from tab_client import Tab, affinity_cookie  # noqa: E402

from deploy import balancer  # noqa: E402

PAGE, KEY = "Probability", "mu"
MOVES_FROM, MOVE_STEP = 55.5, 1.0     # μ's new value at each move (the slider's step is 0.5; default 50)
P95_GOAL = 2.0                          # s, until every phone shows the move
FLOOR_APP = ROOT / "benchmarks" / "floor_app" / "app.py"
JOIN_TIMEOUT = 300.0                    # s for every phone's first page
SEEN_TIMEOUT = 60.0                     # s for every phone to show one move
SETTLE = 5.0                            # s after the phones joined, before the idle window
PAUSE = 2.0                             # s between one move shown everywhere and the next move


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {"n": len(values), "p50": round(q[49], 3), "p95": round(q[94], 3), "max": round(max(values), 3)}


def room_code(snap: dict) -> str:
    """The code in the presenter's heading "Room CODE" (ui/room.py room_controls)."""
    for node in walk(snap["tree"]):
        found = re.fullmatch(r"#+ Room (\S+)", str(node.get("props", {}).get("body", "")).strip())
        if node.get("type") == "markdown" and found:
            return found[1]
    raise RuntimeError("no room heading on the presenter's page")


def open_room(base: str) -> tuple[Session, str, Recorder]:
    """The presenter: an agent API session on PAGE?present=1 that opens a room."""
    rec = Recorder()
    status, snap = post(base, {"page": PAGE, "query_params": {"present": ["1"]}})
    if why := problem(status, snap):
        raise RuntimeError(f"the presenter's page: {why}")
    presenter = Session(base, rec)
    presenter.id = snap["session_id"]
    snap = presenter.press("room_open", kind="open room")
    if snap is None:
        raise RuntimeError(f"open room: {rec.errors}")
    return presenter, room_code(snap), rec


@contextlib.contextmanager
def profiled(pid: int, out: str | None):
    """py-spy record of `pid` while the block runs (nothing without `out`)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    proc = None
    if out:
        fmt = "raw" if out.endswith(".txt") else "flamegraph"
        proc = subprocess.Popen([spy, "record", "--pid", str(pid), "-o", out, "--format", fmt, "--rate", "100", "--nonblocking", "--gil"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)


async def joined(tabs: list[Tab], stop: asyncio.Event) -> list[asyncio.Task]:
    """Every tab opened at once; returns when every one has finished its first page."""
    tasks = [asyncio.create_task(tab.run(stop)) for tab in tabs]
    deadline = time.monotonic() + JOIN_TIMEOUT
    while not all(tab.ready.is_set() for tab in tabs):
        failed = [tab.error for tab in tabs if tab.error]
        if failed or time.monotonic() > deadline:
            raise RuntimeError(f"{sum(t.ready.is_set() for t in tabs)} of {len(tabs)} tabs opened; "
                               f"errors: {failed[:3]}")
        await asyncio.sleep(0.2)
    return tasks


async def idle_cost(tabs: list[Tab], pids: list[int], window: float) -> dict:
    """Server CPU (all `pids`) over `window` s with nobody moving, per tab and second."""
    await asyncio.sleep(SETTLE)
    def counted():
        return (sum(map(tree_cpu_seconds, pids)), sum(t.fragment_runs for t in tabs),
                sum(t.version_requests for t in tabs), time.monotonic())

    before = counted()
    await asyncio.sleep(window)
    cpu, runs, asked, dt = (b - a for a, b in zip(before, counted()))
    return {"window_s": round(dt, 1), "server_cores": round(cpu / dt, 3),
            "server_ms_per_tab_per_s": round(1000 * cpu / dt / len(tabs), 3),
            "fragment_runs_per_s": round(runs / dt, 1), "version_requests_per_s": round(asked / dt, 1)}


async def floor_idle(n: int, window: float, floor_app: Path) -> dict:
    """`n` idle tabs on the empty app: what a connected, quiet session costs any app here."""
    with running_app(app=floor_app) as (base, proc):
        stop = asyncio.Event()
        tabs = [Tab(base, PAGE, watch="x") for _ in range(n)]
        tasks = await joined(tabs, stop)
        cost = await idle_cost(tabs, [proc.pid], window)
        stop.set()
        await asyncio.gather(*tasks)
    return cost


async def room_under_load(presenter_base: str, phone_base: str, pids: list[int], followers: int, moves: int,
                          idle: float, *, cookies: bool = False, profile: str | None = None) -> dict:
    """Open a room on `presenter_base`, `followers` phones join through `phone_base` (with the
    balancer's affinity cookie if `cookies`), the idle window, then the moves. `pids`: the servers."""
    presenter, code, rec = await asyncio.to_thread(open_room, presenter_base)
    query = f"room={code}"
    jar = [await asyncio.to_thread(affinity_cookie, f"{phone_base}/{PAGE}?{query}") if cookies else None
           for _ in range(followers)]
    tabs = [Tab(phone_base, PAGE, query, watch=KEY, cookie=c) for c in jar]
    stop = asyncio.Event()
    tasks = await joined(tabs, stop)
    result = {"idle": await idle_cost(tabs, pids, idle) if idle > 0 else None}
    shown, in_url, url_lag, missed, runs = [], [], [], 0, []
    cpu0, full0 = sum(map(tree_cpu_seconds, pids)), sum(t.full_runs for t in tabs)
    with profiled(pids[0], profile):
        for m in range(moves):
            value = MOVES_FROM + m * MOVE_STEP
            started = time.monotonic()
            await asyncio.to_thread(presenter.move, **{KEY: value})
            done = time.monotonic()
            runs.append(done - started)
            deadline = done + SEEN_TIMEOUT
            while not all(value in tab.shown for tab in tabs) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            for tab in tabs:
                if value not in tab.shown:
                    missed += 1
                    continue
                shown.append(tab.shown[value] - started)
                if value in tab.in_url:
                    in_url.append(tab.in_url[value] - started)
                    url_lag.append(tab.in_url[value] - tab.shown[value])
            await asyncio.sleep(PAUSE)
    move_cpu = sum(map(tree_cpu_seconds, pids)) - cpu0
    full_runs = sum(t.full_runs for t in tabs) - full0
    stop.set()
    await asyncio.gather(*tasks)
    result.update({
        "follow_s": {**percentiles(shown), "missed": missed, "min": round(min(shown), 3) if shown else None},
        "url_follow_s": {**percentiles(in_url),   # the URL's mu=value: in the same run as the slider, or not
                         "minus_slider_ms": [round(1000 * min(url_lag), 1) + 0.0, round(1000 * max(url_lag), 1) + 0.0] if url_lag else None},
        "presenter_move_s": percentiles(runs),
        # all the servers' work for one move: the presenter's run, each phone's rerun, the phones' requests meanwhile
        "server_cpu_per_move_s": round(move_cpu / moves, 2) if moves else None,
        "server_cpu_per_phone_per_move_ms": round(1000 * move_cpu / moves / followers, 1) if moves else None,
        "full_runs_per_phone_per_move": round(full_runs / moves / followers, 2) if moves else None,
        "presenter_errors": [e.error for e in rec.errors][:3],
        "tab_errors": [t.error for t in tabs if t.error][:3],
    })
    result["_cookies"] = jar
    return result


def one_server(args) -> dict:
    floor = asyncio.run(floor_idle(args.followers, args.idle, args.floor)) if args.idle > 0 and args.floor else None
    with agent_server() as (base, pid, log):
        result = asyncio.run(room_under_load(base, base, [pid], args.followers, args.moves, args.idle,
                                             profile=args.profile))
    result.pop("_cookies")
    if floor is not None:
        result["idle_floor"] = floor
    return result


def two_replicas(args) -> dict:
    with balancer.LocalRun(2, ("--server.enableAgentApi=true",)) as run:
        ports = sorted(run.pids)
        redis = next((int(m[1]) for line in run.log if (m := re.search(r"\[local\.sh\] redis: pid (\d+)", line))), None)
        redis_cpu = tree_cpu_seconds(redis) if redis else 0.0
        result = asyncio.run(room_under_load(f"http://127.0.0.1:{ports[0]}", run.base, [run.pids[p] for p in ports],
                                             args.followers, args.moves, args.idle, cookies=True))
        split = Counter(run.replica_for_cookie(c.split("=", 1)[1])[1] if c else None for c in result.pop("_cookies"))
        result["phones_per_replica"] = {("presenter's " if p == ports[0] else "other ") + str(p): k
                                        for p, k in sorted(split.items(), key=lambda kv: str(kv[0]))}
        result["redis_cpu_s"] = round(tree_cpu_seconds(redis) - redis_cpu, 2) if redis else None
    return result


SCENARIOS = {"one": ("a room on one server", one_server),
             "replicas": ("a room through two replicas with Redis (deploy/local.sh 2, phones through HAProxy)",
                          two_replicas)}


def measure(name: str, args) -> dict:
    title, scenario = SCENARIOS[name]
    load0, busy0, client0, t0 = os.getloadavg(), machine_busy_seconds(), time.process_time(), time.monotonic()
    result = scenario(args)
    wall = time.monotonic() - t0
    follow = result["follow_s"]
    return {"scenario": title, "followers": args.followers, "moves": args.moves, **result,
            "goal": f"p95 <= {P95_GOAL:g} s", "met": follow["missed"] == 0 and follow.get("p95", 1e9) <= P95_GOAL,
            "client_cpu_s": round(time.process_time() - client0, 1), "wall_s": round(wall, 1),
            "machine_busy_cores": round((machine_busy_seconds() - busy0) / wall, 2),
            "load_average_before": [round(x, 2) for x in load0],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "command": " ".join(["python", "benchmarks/room_load.py", *sys.argv[1:]])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--followers", type=int, default=70)
    ap.add_argument("--moves", type=int, default=10)
    ap.add_argument("--idle", type=float, default=30.0, help="s of the idle window (0: none)")
    ap.add_argument("--scenarios", default="one,replicas", help="comma-separated: one, replicas")
    ap.add_argument("--rounds", type=int, default=1, help="every scenario this many times, interleaved")
    ap.add_argument("--floor", type=Path, default=FLOOR_APP,
                    help="the empty app whose idle tabs are the reference")
    ap.add_argument("--profile", help="py-spy output for the single server during the moves (.svg or .txt)")
    args = ap.parse_args()
    met = True
    for _ in range(args.rounds):
        for name in args.scenarios.split(","):
            line = measure(name, args)
            met &= line["met"]
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
