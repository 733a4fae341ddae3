"""Many visitors at once, through Streamlit's agent API against a real `streamlit run app.py`.

Phase 1: 50 sessions open the bigram page and press Train (default settings) while 20 more
move controls on other pages. Goals: 0 errors (HTTP error, timeout or exception element), the
training computed once, p95 response < 2 s, server peak RSS (children included, sampled every
0.1 s) < 800 MB. It runs once per --spreads value, each on a fresh server: 0 means every session
acts at the same instant (the harshest case); s > 0 means the sessions arrive over s seconds,
like a class following a link, with --think seconds between a session's actions.
It also prints the server's CPU time: near one core busy for the whole phase means the
server's one Python process (one GIL) is the bottleneck, and a queue is what the visitors wait in.
Phase 2 (on the last server): 200 different trainings (steps 1..200) through a few sessions:
the caches are bounded, so the server's memory afterwards stays < 800 MB too.

    python benchmarks/load.py [--sessions 50] [--others 20] [--spreads 0 10 30 60] [--think 1]
                              [--settings 200] [--warm] [--floor]

--warm opens every page the scenario visits once before phase 1, to tell a cold server's first
loads (imports, first charts) apart from steady load. --floor runs each phase 1 scenario once
more against benchmarks/floor_app, a nearly empty app with the same pages and widget keys: what
Streamlit and its agent API alone cost, which no change to the dashboard can go below (not a
goal, a reference). Exits 1 if any goal is missed.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from agent_client import (BIGRAM, OTHER_MOVES, Recorder, RssSampler, Session, agent_server,  # noqa: E402
                          load_scenario, read_training_counts, tree_cpu_seconds, tree_rss_mb)

RSS_GOAL, P95_GOAL = 800.0, 2.0
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


def sweep(base: str, settings: int, recorder: Recorder, workers: int = 2) -> None:
    """Train with steps = 1..settings, each a new cache entry, spread over `workers` sessions."""
    def worker(w: int):
        s = Session(base, recorder)
        if s.open(BIGRAM):
            for steps in range(1 + w, settings + 1, workers):
                s.press("train", steps=steps)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))


def how(args, spread: float) -> str:
    return ("all at the same instant, Train pressed together" if spread == 0 else
            f"arriving over {spread:g} s, {args.think:g} s between actions")


def run_scenario(base: str, pid: int, args, spread: float) -> tuple[Recorder, tuple | None, float]:
    """Phase 1's scenario once; prints its size, time and server CPU. (recorder, counts, peak MB)"""
    rec = Recorder()
    started, cpu = time.perf_counter(), tree_cpu_seconds(pid)
    with RssSampler(pid) as rss:
        counts = load_scenario(base, args.sessions, args.others, rec, spread=spread, think=args.think)
    wall, cpu = time.perf_counter() - started, tree_cpu_seconds(pid) - cpu
    print(f"  {len(rec.timings)} interactions in {wall:.1f} s; server CPU {cpu:.1f} s "
          f"({cpu / wall:.2f} cores busy on average)")
    return rec, counts, rss.peak


def phase1(base: str, pid: int, args, spread: float) -> int | None:
    """One scenario of phase 1 on its own server; returns the trainings computed so far."""
    print(f"\nPhase 1, {how(args, spread)}: {args.sessions} sessions open {BIGRAM} and press Train, "
          f"{args.others} move controls on other pages")
    rec, counts, peak = run_scenario(base, pid, args, spread)
    report("errors", len(rec.errors), "0", not rec.errors)
    print_errors(rec)
    computed = counts[0] if counts else None
    report("trainings computed", f"{computed} (answered from the cache: {counts[1] if counts else None})",
           "1", computed == 1)
    print(f"  p50 response: {rec.percentile(50):.2f} s")
    p95 = rec.percentile(95)
    report(f"p95 response (spread {spread:g} s)", f"{p95:.2f} s", f"< {P95_GOAL:g} s", p95 < P95_GOAL)
    for kind in ("open", "train", "move"):
        n = sum(1 for t in rec.timings if t.kind == kind)
        if n:
            print(f"    {kind:8} {n:4} interactions  p50 {rec.percentile(50, kind):6.2f} s  "
                  f"p95 {rec.percentile(95, kind):6.2f} s")
    report("server peak RSS", f"{peak:.0f} MB", f"< {RSS_GOAL:g} MB", peak < RSS_GOAL)
    return computed


def floor(args, spread: float, server_args: list[str]) -> None:
    """The same scenario against the nearly empty floor app; printed for reference only."""
    # The floor app has no .streamlit/config.toml of its own: give it the dashboard's GC setting.
    with agent_server(*server_args, "--runner.postScriptGC=false", app=FLOOR_APP) as (base, pid, log):
        if args.warm:
            warm(base)
        print(f"\nFloor (benchmarks/floor_app, not the dashboard), {how(args, spread)}:")
        rec, _, peak = run_scenario(base, pid, args, spread)
        print(f"  errors {len(rec.errors)}, p50 {rec.percentile(50):.2f} s, p95 {rec.percentile(95):.2f} s, "
              f"peak RSS {peak:.0f} MB")


def warm(base: str) -> None:
    """Open every page the scenario visits once: imports done, default charts built."""
    for page in [BIGRAM] + [page for page, _ in OTHER_MOVES]:
        Session(base, Recorder()).open(page)


def phase2(base: str, pid: int, settings: int, computed: int | None) -> None:
    print(f"\nPhase 2: {settings} different trainings (steps 1..{settings}) on the same server")
    before = tree_rss_mb(pid)
    print(f"  server RSS before: {before:.0f} MB (phase 1's sessions stay open for agentSessionTTL)")
    rec = Recorder()
    started = time.perf_counter()
    with RssSampler(pid) as rss:
        sweep(base, settings, rec)
    print(f"  {len(rec.timings)} interactions in {time.perf_counter() - started:.1f} s, "
          f"p50 {rec.percentile(50):.2f} s, p95 {rec.percentile(95):.2f} s")
    report("errors", len(rec.errors), "0", not rec.errors)
    print_errors(rec)
    after = read_training_counts(base)
    new = after[0] - computed if after and computed is not None else None
    report("new trainings computed", new, str(settings), new == settings)
    now = tree_rss_mb(pid)
    print(f"  server peak RSS during phase 2: {rss.peak:.0f} MB; growth over phase 2: {now - before:+.0f} MB")
    report("server RSS after phase 2", f"{now:.0f} MB", f"< {RSS_GOAL:g} MB", now < RSS_GOAL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=50, help="bigram sessions pressing Train")
    ap.add_argument("--others", type=int, default=20, help="sessions moving controls on other pages")
    ap.add_argument("--spreads", type=float, nargs="+", default=[0, 10, 30, 60],
                    help="phase 1 once per value, each on a fresh server: the sessions arrive over "
                         "this many seconds (0: all at the same instant)")
    ap.add_argument("--think", type=float, default=1.0, help="seconds between a session's actions (spread > 0)")
    ap.add_argument("--settings", type=int, default=200, help="different trainings in phase 2 (0: skip)")
    ap.add_argument("--warm", action="store_true", help="open every page of the scenario once before phase 1")
    ap.add_argument("--floor", action="store_true",
                    help="also run phase 1 against benchmarks/floor_app, a nearly empty app (reference)")
    args = ap.parse_args()

    # Room for every session of the run; the server's default cap is 100.
    server_args = [f"--server.agentMaxSessions={max(args.sessions + args.others + 20, 100)}"]
    for i, spread in enumerate(args.spreads):
        with agent_server(*server_args) as (base, pid, log):
            print(f"\nserver up, {tree_rss_mb(pid):.0f} MB resident")
            if args.warm:
                warm(base)
                print(f"warmed: every page of the scenario opened once, {tree_rss_mb(pid):.0f} MB resident")
            computed = phase1(base, pid, args, spread)
            if args.settings and i == len(args.spreads) - 1:
                phase2(base, pid, args.settings, computed)
        if args.floor:
            floor(args, spread, server_args)

    print("\nall goals met" if not failed else f"\ngoals missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
