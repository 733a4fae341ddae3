"""A class at once, through Streamlit's agent API against `streamlit run app.py` started as the README does.

The headline, `python benchmarks/load.py`: the class scenario. 50 sessions open the bigram page and
press Train (default settings) while 20 more move controls on other pages, all arriving over
10 s (uniform, seeded), 1 s between a session's actions. It runs on a fresh server of
benchmarks/floor_app, a nearly empty app with the same page names, widget keys and config (a link
to the project's): what Streamlit and its agent API cost any app on this machine at that moment;
then on a fresh dashboard server. Both servers are started by benchmarks/serve.py as the README starts
the app, from the app's folder with its own .streamlit/config.toml; the only flags
added are the port, the loopback address and the agent API with room for every session.

Goals, on the class scenario: 0 errors (HTTP error, timeout or exception element), the training
computed once (the server's counters at /training-cache, app.py), p95 response <= 0.5 s for a class
arriving over time and <= 1.5x the floor's p95 for one arriving all at once, server CPU per
interaction <= 1.5x the floor's in the same run (the ratios are printed), server peak RSS (children
included, sampled every 0.1 s) <= 600 MB (issue 19's goals).
Phase 2 (on the last dashboard server): 200 different trainings (steps 1..200) through two
sessions; the caches are bounded, so memory afterwards stays < 800 MB.

    python benchmarks/load.py [--spreads 10] [--sessions 50] [--others 20] [--think 1]
                              [--settings 200] [--no-floor] [--cold] [--flag=--server.X=Y ...]

--spreads 0 10 30 60: the scenario once per value, each on fresh servers; 0 means every session
acts at the same instant and the bigram ones press Train together (the harshest case: its p95 is
judged against the floor's in the same run, since one Python process answers every session). --cold skips opening every
page of the scenario once before it (server start-up then counts in the figures). --flag passes a
`streamlit run` flag to both servers, to see what a setting costs against the project's config,
e.g. --flag=--server.fileWatcherType=auto (a developer's file watcher). The machine's
load moves these figures: the ratio to the floor, taken in the same run, moves least.
Exits 1 if any goal is missed.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from agent_client import (BIGRAM, OTHER_MOVES, Recorder, RssSampler, Session, agent_server,
                          load_scenario, read_training_counts, tree_cpu_seconds, tree_rss_mb)

P95_GOAL = 0.5          # s, for every spread > 0
BURST_RATIO_GOAL = 1.5  # p95 of an instant burst (spread 0), dashboard / floor
CPU_RATIO_GOAL = 1.5    # server CPU per interaction, dashboard / floor
RSS_GOAL = 600.0        # MB, server peak during the scenario
PHASE2_RSS_GOAL = 800.0  # MB, after 200 different trainings
FLOOR_APP = Path(__file__).resolve().parent / "floor_app" / "app.py"
failed: list[str] = []


def report(name: str, value, goal: str, ok: bool) -> None:
    print(f"  {name}: {value}   (goal {goal}: {'PASS' if ok else 'FAIL'})")
    if not ok:
        failed.append(name)


def print_errors(rec: Recorder) -> None:
    """Errors grouped by cause and request kind, with one full message of each."""
    groups = Counter((e.error.split(":")[0], e.kind) for e in rec.errors)
    for (cause, kind), n in groups.most_common():
        first = next(e.error for e in rec.errors if (e.error.split(":")[0], e.kind) == (cause, kind))
        print(f"    {n} x {cause} on {kind}: {first[:160]}")


@dataclass
class Run:
    """One scenario on one server."""
    rec: Recorder
    counts: tuple[int, int] | None   # trainings (computed, from the cache), read afterwards
    wall: float                      # s
    cpu: float                       # server CPU s (user + system, children included)
    peak: float                      # MB

    @property
    def requests(self) -> int:
        """Interactions timed (the cache counters are read afterwards from a JSON route, not a page)."""
        return len(self.rec.timings)

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / self.requests


def run_scenario(base: str, pid: int, args, spread: float) -> Run:
    rec = Recorder()
    started, cpu = time.perf_counter(), tree_cpu_seconds(pid)
    with RssSampler(pid) as rss:
        counts = load_scenario(base, args.sessions, args.others, rec, spread=spread, think=args.think)
    wall, cpu = time.perf_counter() - started, tree_cpu_seconds(pid) - cpu
    return Run(rec, counts, wall, cpu, rss.peak)


def warm(base: str) -> None:
    """Open every page the scenario visits once: imports done, default charts built."""
    for page in [BIGRAM] + [page for page, _ in OTHER_MOVES]:
        Session(base, Recorder()).open(page)


def how(args, spread: float) -> str:
    return ("all at the same instant, Train pressed together" if spread == 0 else
            f"arriving over {spread:g} s, {args.think:g} s between a session's actions")


def describe(name: str, run: Run) -> None:
    print(f"  {name}: {run.requests} interactions in {run.wall:.1f} s; server CPU {run.cpu:.1f} s "
          f"({run.cpu / run.wall:.2f} cores busy on average), {run.cpu_per_request * 1e3:.0f} ms per interaction; "
          f"peak RSS {run.peak:.0f} MB")


def dashboard(args, spread: float, server_args: list[str], ref: Run | None, last: bool) -> None:
    """The scenario on the dashboard, its verdict beside the floor's figures, then phase 2."""
    with agent_server(*server_args) as (base, pid, log):
        print(f"\ndashboard: `streamlit run app.py` up, {tree_rss_mb(pid):.0f} MB resident")
        if not args.cold:
            warm(base)
            print(f"  warmed (every page of the scenario opened once): {tree_rss_mb(pid):.0f} MB resident")
        run = run_scenario(base, pid, args, spread)
        describe("dashboard", run)
        verdict(args, spread, run, ref)
        if args.settings and last:
            phase2(base, pid, args.settings, run.counts[0] if run.counts else None)


def floor(args, spread: float, server_args: list[str]) -> Run:
    with agent_server(*server_args, app=FLOOR_APP) as (base, pid, log):
        print(f"\nfloor: `streamlit run app.py` in benchmarks/floor_app up, {tree_rss_mb(pid):.0f} MB resident")
        if not args.cold:
            warm(base)
        run = run_scenario(base, pid, args, spread)
        describe("floor", run)
    return run


def verdict(args, spread: float, run: Run, ref: Run | None) -> None:
    """The scenario's figures against its goals, the floor's beside them."""
    rec = run.rec
    print(f"\nThe scenario, {how(args, spread)}: {args.sessions} sessions open {BIGRAM} and press Train, "
          f"{args.others} move controls on other pages")
    print(f"  {'':24}{'dashboard':>14}{'floor':>14}")
    rows = [
        ("interactions", lambda r: f"{r.requests}"),
        ("errors", lambda r: f"{len(r.rec.errors)}"),
        ("p50 response", lambda r: f"{r.rec.percentile(50):.2f} s"),
        ("p95 response", lambda r: f"{r.rec.percentile(95):.2f} s"),
        ("server CPU", lambda r: f"{r.cpu:.1f} s"),
        ("CPU per interaction", lambda r: f"{r.cpu_per_request * 1e3:.0f} ms"),
        ("peak RSS", lambda r: f"{r.peak:.0f} MB"),
    ]
    for name, cell in rows:
        print(f"  {name:24}{cell(run):>14}{cell(ref) if ref else '-':>14}")
    for kind in ("open", "train", "move"):
        n = sum(1 for t in rec.timings if t.kind == kind)
        if n:
            print(f"    dashboard {kind:6} {n:4} interactions  p50 {rec.percentile(50, kind):6.2f} s  "
                  f"p95 {rec.percentile(95, kind):6.2f} s")
    report("errors", len(rec.errors), "0", not rec.errors)
    print_errors(rec)
    if ref is not None and ref.rec.errors:
        print(f"  the floor had {len(ref.rec.errors)} errors: its figures measure errors, not the platform")
        print_errors(ref.rec)
    computed = run.counts[0] if run.counts else None
    report("trainings computed", f"{computed} (answered from the cache: {run.counts[1] if run.counts else None})",
           "1", computed == 1)
    p95 = rec.percentile(95)
    if spread > 0:
        report(f"p95 response (spread {spread:g} s)", f"{p95:.2f} s", f"<= {P95_GOAL:g} s", p95 <= P95_GOAL)
    elif ref is not None:
        burst = p95 / ref.rec.percentile(95)
        report("p95 response (spread 0), dashboard / floor",
               f"{p95:.2f} / {ref.rec.percentile(95):.2f} s = {burst:.2f}x", f"<= {BURST_RATIO_GOAL:g}x",
               burst <= BURST_RATIO_GOAL)
    else:
        print(f"  p95 response (spread 0): {p95:.2f} s   (no floor run to compare with)")
    if ref is not None:
        ratio = run.cpu_per_request / ref.cpu_per_request
        report("server CPU per interaction, dashboard / floor",
               f"{run.cpu_per_request * 1e3:.0f} / {ref.cpu_per_request * 1e3:.0f} ms = {ratio:.2f}x",
               f"<= {CPU_RATIO_GOAL:g}x", ratio <= CPU_RATIO_GOAL)
    else:
        print("  server CPU per interaction, dashboard / floor: not measured (--no-floor)")
    report("server peak RSS", f"{run.peak:.0f} MB", f"<= {RSS_GOAL:g} MB", run.peak <= RSS_GOAL)


def sweep(base: str, settings: int, recorder: Recorder, workers: int = 2) -> None:
    """Train with steps = 1..settings, each a new cache entry, spread over `workers` sessions."""
    def worker(w: int):
        s = Session(base, recorder)
        if s.open(BIGRAM):
            for steps in range(1 + w, settings + 1, workers):
                s.press("train", steps=steps)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))


def phase2(base: str, pid: int, settings: int, computed: int | None) -> None:
    print(f"\nPhase 2: {settings} different trainings (steps 1..{settings}) on the same dashboard server")
    before = tree_rss_mb(pid)
    print(f"  server RSS before: {before:.0f} MB (the scenario's sessions stay open for agentSessionTTL)")
    rec = Recorder()
    started = time.perf_counter()
    with RssSampler(pid) as rss:
        sweep(base, settings, rec)
    print(f"  {len(rec.timings)} interactions in {time.perf_counter() - started:.1f} s, "
          f"p50 {rec.percentile(50):.2f} s, p95 {rec.percentile(95):.2f} s")
    report("phase 2 errors", len(rec.errors), "0", not rec.errors)
    print_errors(rec)
    after = read_training_counts(base)
    new = after[0] - computed if after and computed is not None else None
    report("new trainings computed", new, str(settings), new == settings)
    now = tree_rss_mb(pid)
    print(f"  server peak RSS during phase 2: {rss.peak:.0f} MB; growth over phase 2: {now - before:+.0f} MB")
    report("server RSS after phase 2", f"{now:.0f} MB", f"< {PHASE2_RSS_GOAL:g} MB", now < PHASE2_RSS_GOAL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spreads", type=float, nargs="+", default=[10.0],
                    help="the scenario once per value, each on fresh servers: the sessions arrive over "
                         "this many seconds (0: all at the same instant); default: 10, the class")
    ap.add_argument("--sessions", type=int, default=50, help="bigram sessions pressing Train")
    ap.add_argument("--others", type=int, default=20, help="sessions moving controls on other pages")
    ap.add_argument("--think", type=float, default=1.0, help="seconds between a session's actions (spread > 0)")
    ap.add_argument("--settings", type=int, default=200, help="different trainings in phase 2 (0: skip)")
    ap.add_argument("--no-floor", dest="floor", action="store_false",
                    help="skip the floor app (then the CPU ratio is not measured)")
    ap.add_argument("--cold", action="store_true", help="do not open the scenario's pages before it")
    # The defaults now; still accepted, so older commands (`--warm --floor`) run as they did.
    ap.add_argument("--warm", dest="cold", action="store_false", help=argparse.SUPPRESS)
    ap.add_argument("--floor", dest="floor", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--flag", action="append", default=[], metavar="--SECTION.OPTION=VALUE",
                    help="a `streamlit run` flag for both servers, e.g. --flag=--server.fileWatcherType=auto")
    args = ap.parse_args()

    # Room for every session of the run; the server's default cap is 100.
    server_args = [f"--server.agentMaxSessions={max(args.sessions + args.others + 20, 100)}", *args.flag]
    if args.flag:
        print(f"both servers run with {' '.join(args.flag)}, on top of the project's config")
    for i, spread in enumerate(args.spreads):
        print(f"\n=== {how(args, spread)} ===")
        ref = floor(args, spread, server_args) if args.floor else None
        dashboard(args, spread, server_args, ref, last=i == len(args.spreads) - 1)

    print("\nall goals met" if not failed else f"\ngoals missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
