"""Replicas behind the balancer against one process, and the first page of a cold replica.

Burst (issue 13): the class burst of benchmarks/load.py (50 sessions open the bigram page and
press Train together, 20 move controls on other pages, all at the same instant, through the
agent API, each session keeping its cookies) against one `streamlit run app.py` and against
N replicas behind HAProxy (deploy/local.sh N PORT), in the same run, on warm servers. Goals:
0 errors in both; p95 with N replicas at most 0.7 x p95 of one process. Printed too: the ratio,
each replica's memory and CPU, the interactions per second each setup answered during the
burst (what it holds when saturated), how the sessions spread, and the trainings each replica
computed (each trains once per setting).

First page: a replica started with its warm-up off (LIKELIHOOD_WARMUP=0, the "before") and on
(the "after"): seconds from launch until /_stcore/health is green, then each page's first visit
(a fresh session each), then each page's second visit (as the hundredth visitor would get it).

    python benchmarks/replicas.py [--replicas 2] [--sessions 50] [--others 20] [--rounds 1]
                                  [--skip-first-page] [--skip-burst]

--rounds R repeats the burst pair R times, alternating which setup goes first, and judges the
median ratio. Exits 1 if a goal is missed. On a shared 2-core machine the figures move from run
to run: take them with that caveat, or rerun on a quiet machine.
"""
from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import statistics
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as `python benchmarks/replicas.py`, Python puts only benchmarks/ (agent_client.py) on the path;
# core/ and deploy/ are at the root.
sys.path.insert(0, str(ROOT))

from agent_client import (BIGRAM, OTHER_MOVES, Recorder, RssSampler, Session, agent_server,  # noqa: E402
                          load_scenario, read_training_counts, tree_cpu_seconds, tree_rss_mb)

from core import story  # noqa: E402
from deploy import balancer  # noqa: E402

RATIO_GOAL = 0.7
failed: list[str] = []


def goal(name: str, value: str, wanted: str, ok: bool) -> None:
    print(f"  {name}: {value}   (goal {wanted}: {'PASS' if ok else 'FAIL'})")
    if not ok:
        failed.append(name)


# --- every session keeps its cookies, as a browser does ---------------------------------------

class PerThreadCookies:
    """A cookie jar per thread, for urllib's global opener.

    agent_client's `post` calls urllib.request.urlopen, which goes through the installed opener.
    In load_scenario every session lives its whole life in a thread of its own (the pool has one
    thread per session, and they all meet at a barrier before the first request), so a jar per
    thread is a jar per session: the balancer's affinity cookie comes back with each of that
    session's requests, and with no other session's.
    """

    def __init__(self):
        self._local = threading.local()
        self._lock = threading.Lock()
        self.jars: list[http.cookiejar.CookieJar] = []

    def jar(self) -> http.cookiejar.CookieJar:
        if not hasattr(self._local, "jar"):
            self._local.jar = http.cookiejar.CookieJar()
            if threading.current_thread() is not threading.main_thread():  # a visitor, not the
                with self._lock:                                             # counters' reader
                    self.jars.append(self._local.jar)
        return self._local.jar

    def add_cookie_header(self, request) -> None:
        self.jar().add_cookie_header(request)

    def extract_cookies(self, response, request) -> None:
        self.jar().extract_cookies(response, request)

    def server_cookies(self) -> Counter:
        """How many sessions hold each affinity cookie value."""
        return Counter(next((c.value for c in jar if c.name == "SERVERID"), None) for jar in self.jars)


@contextlib.contextmanager
def cookies_kept():
    jars = PerThreadCookies()
    urllib.request.install_opener(urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jars)))
    try:
        yield jars
    finally:
        urllib.request.install_opener(None)


# --- the burst --------------------------------------------------------------------------------

def warm_pages(base: str) -> None:
    """Open every page of the scenario once (as load.py --warm does)."""
    for page in [BIGRAM] + [page for page, _ in OTHER_MOVES]:
        Session(base, Recorder()).open(page)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot, all cores (Linux /proc/stat)."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def burst(base: str, pids: list[int], args, extra: list[int] = ()) -> dict:
    """One burst against `base`; pids: the server processes to measure; extra: other processes
    of the setup (the balancer), counted apart from the rest of the machine."""
    rec = Recorder()
    cpu0 = {pid: tree_cpu_seconds(pid) for pid in [*pids, *extra]}
    client0, machine0 = time.process_time(), machine_busy_seconds()
    with cookies_kept() as jars, contextlib.ExitStack() as stack:
        samplers = {pid: stack.enter_context(RssSampler(pid)) for pid in pids}
        started = time.perf_counter()
        load_scenario(base, args.sessions, args.others, rec, spread=0)
        wall = time.perf_counter() - started
    cpu = {pid: tree_cpu_seconds(pid) - cpu0[pid] for pid in [*pids, *extra]}
    client, machine = time.process_time() - client0, machine_busy_seconds() - machine0
    return {"rec": rec, "wall": wall, "cpu": {pid: cpu[pid] for pid in pids},
            "extra_cpu": sum(cpu[pid] for pid in extra), "client_cpu": client,
            "others_cpu": machine - client - sum(cpu.values()),
            "peak": {pid: samplers[pid].peak for pid in pids}, "after": {pid: tree_rss_mb(pid) for pid in pids},
            "spread": jars.server_cookies()}


def describe(name: str, result: dict, replicas: int) -> None:
    rec, wall = result["rec"], result["wall"]
    n = len(rec.timings)
    print(f"  {name}: {n} interactions in {wall:.1f} s = {n / wall:.1f} interactions/s"
          + (f" ({n / wall / replicas:.1f} per replica)" if replicas > 1 else "")
          + f"; errors {len(rec.errors)}; p50 {rec.percentile(50):.2f} s, p95 {rec.percentile(95):.2f} s")
    servers = sum(result["cpu"].values()) + result["extra_cpu"]
    print(f"      CPU during the burst: servers {servers:.1f} s, load client {result['client_cpu']:.1f} s, "
          f"other processes on the machine {max(result['others_cpu'], 0):.1f} s "
          f"(of {os.cpu_count() * wall:.1f} core-seconds)")
    if result["others_cpu"] > 0.2 * os.cpu_count() * wall:
        print("      ! other work held more than a fifth of the machine: these times measure it too")
    for kind in ("open", "train", "move"):
        print(f"      {kind:6} p50 {rec.percentile(50, kind):6.2f} s  p95 {rec.percentile(95, kind):6.2f} s")
    for e in rec.errors[:5]:
        print(f"      error on {e.kind}: {e.error[:160]}")


def run_single(args) -> dict:
    server_args = [f"--server.agentMaxSessions={args.sessions + args.others + 20}"]
    with agent_server(*server_args) as (base, pid, log):
        warm_pages(base)
        result = burst(base, [pid], args)
        result["trainings"] = [read_training_counts(base)]
    return result


def run_replicas(args) -> dict:
    flags = ("--server.enableAgentApi=true", f"--server.agentMaxSessions={args.sessions + args.others + 20}")
    with balancer.LocalRun(args.replicas, flags) as run:
        ports = sorted(run.pids)
        for port in ports:
            warm_pages(f"http://127.0.0.1:{port}")
        pids = [run.pids[p] for p in ports]
        result = burst(run.base, pids, args, extra=[run.haproxy_pid] if run.haproxy_pid else [])
        result["trainings"] = [read_training_counts(f"http://127.0.0.1:{p}") for p in ports]
        cookie_port = {row["cookie"]: int(row["addr"].rsplit(":", 1)[1])
                       for row in balancer.replica_rows(run.socket_path)}
        result["spread"] = {cookie_port.get(c, c): k for c, k in result["spread"].items()}
        result["ports"] = ports
    return result


def burst_rounds(args) -> None:
    print(f"\nBurst: {args.sessions} sessions open {BIGRAM} and press Train, {args.others} move controls "
          f"elsewhere, all at the same instant; 1 process against {args.replicas} replicas behind HAProxy")
    ratios, all_errors = [], 0
    for r in range(args.rounds):
        order = ("single", "replicas") if r % 2 == 0 else ("replicas", "single")
        results = {}
        print(f"\nround {r + 1} ({order[0]} first)")
        for which in order:
            results[which] = run_single(args) if which == "single" else run_replicas(args)
        one, many = results["single"], results["replicas"]
        describe("1 process ", one, 1)
        (pid,) = one["cpu"]
        print(f"      server CPU {one['cpu'][pid]:.1f} s, peak RSS {one['peak'][pid]:.0f} MB, "
              f"after {one['after'][pid]:.0f} MB; trainings (computed, from cache) {one['trainings'][0]}")
        describe(f"{args.replicas} replicas", many, args.replicas)
        for i, (port, pid) in enumerate(zip(many["ports"], many["cpu"]), 1):
            share = many["spread"].get(port, 0)
            print(f"      replica {i} (:{port}): {share} sessions, CPU {many['cpu'][pid]:.1f} s, "
                  f"peak RSS {many['peak'][pid]:.0f} MB, after {many['after'][pid]:.0f} MB; "
                  f"trainings (computed, from cache) {many['trainings'][i - 1]}")
        print(f"      HAProxy CPU {many['extra_cpu']:.2f} s")
        ratio = many["rec"].percentile(95) / one["rec"].percentile(95)
        ratios.append(ratio)
        all_errors += len(one["rec"].errors) + len(many["rec"].errors)
        print(f"  p95 ratio, {args.replicas} replicas / 1 process: {ratio:.2f}")
    print()
    goal("errors (all rounds, both setups)", str(all_errors), "0", all_errors == 0)
    median = statistics.median(ratios)
    goal(f"p95 ratio {args.replicas} replicas / 1 process" + (f" (median of {len(ratios)})" if len(ratios) > 1 else ""),
         f"{median:.2f}" + (f" (rounds: {', '.join(f'{x:.2f}' for x in ratios)})" if len(ratios) > 1 else ""),
         f"<= {RATIO_GOAL}", median <= RATIO_GOAL)


# --- the first page of a cold replica ---------------------------------------------------------

# The bigram page first: the one a class opens, and the heaviest first visit of a cold server.
PAGES = [BIGRAM] + [c.url_path for c in story.STORY if c.url_path != BIGRAM]


def first_page(warm: bool) -> dict:
    os.environ["LIKELIHOOD_WARMUP"] = "1" if warm else "0"
    try:
        started = time.perf_counter()
        with agent_server() as (base, pid, log):
            green = time.perf_counter() - started
            first, second = {}, {}
            for visits in (first, second):
                for page in PAGES:
                    rec = Recorder()
                    Session(base, rec).open(page)
                    visits[page] = rec.timings[0].seconds if not rec.errors else float("nan")
            warmed = any(line.startswith("Warm:") for line in log)
    finally:
        os.environ.pop("LIKELIHOOD_WARMUP", None)
    return {"green": green, "first": first, "second": second, "warmed": warmed}


def first_page_section() -> None:
    print("\nFirst page on a cold replica: launch to green health, then each page's first and second visit")
    results = {warm: first_page(warm) for warm in (False, True)}
    for warm, res in results.items():
        label = "warm-up on " if warm else "warm-up off"
        note = "" if res["warmed"] == warm else (
            "  [warm-up did not run: app.py declares no st.App (docs/hosting.md)]" if warm else "")
        firsts, seconds = list(res["first"].values()), list(res["second"].values())
        print(f"  {label}: green after {res['green']:.1f} s; the first page ({BIGRAM}) {firsts[0]:.2f} s, "
              f"the first visits of all pages {sum(firsts):.2f} s (max {max(firsts):.2f} s); "
              f"second visits: max {max(seconds):.2f} s{note}")
        print("      first  " + "  ".join(f"{p or 'home'} {t:.2f}" for p, t in res["first"].items()))
        print("      second " + "  ".join(f"{p or 'home'} {t:.2f}" for p, t in res["second"].items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--sessions", type=int, default=50, help="bigram sessions pressing Train")
    ap.add_argument("--others", type=int, default=20, help="sessions moving controls on other pages")
    ap.add_argument("--rounds", type=int, default=1, help="burst pairs, alternating which goes first")
    ap.add_argument("--skip-first-page", action="store_true")
    ap.add_argument("--skip-burst", action="store_true")
    args = ap.parse_args()
    if balancer.haproxy_path() is None and not args.skip_burst:
        print("HAProxy not found: apt-get install -y haproxy (or --skip-burst)")
        return 1
    print(f"{os.cpu_count()} cores on this machine; figures on a shared machine move from run to run")
    if not args.skip_first_page:
        first_page_section()
    if not args.skip_burst:
        burst_rounds(args)
    print("\nall goals met" if not failed else f"\ngoals missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
