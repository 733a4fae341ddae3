"""Load, small: 8 sessions press Train on the bigram page at once while 4 move controls elsewhere.

A real `streamlit run app.py`, started as the README does, driven through the agent API
(benchmarks/agent_client.py). Asserts the server's command line, no errors, one training computed for
all eight (the server's counters at /training-cache, none before), and the server's peak memory;
response times and CPU are only printed (a shared CI machine's timings prove nothing). The full
scenario with timing goals is benchmarks/load.py.
Also: the project's config is the production one, and the floor app runs with it too.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from agent_client import (BIGRAM, Recorder, RssSampler, agent_server, load_scenario, read_training_counts,
                          tree_cpu_seconds)
from serve import ROOT

SESSIONS, OTHERS = 8, 4
RSS_GOAL_MB = 800
CONFIG = ROOT / ".streamlit" / "config.toml"
FLOOR_CONFIG = ROOT / "benchmarks" / "floor_app" / ".streamlit" / "config.toml"


def test_many_sessions_share_one_training():
    with agent_server() as (base, pid, log):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        before = read_training_counts(base)  # the warm-up opens every page but trains nothing
        rec = Recorder()
        cpu = tree_cpu_seconds(pid)
        with RssSampler(pid) as rss:
            counts = load_scenario(base, SESSIONS, OTHERS, rec)
        cpu = tree_cpu_seconds(pid) - cpu
        print(f"\n{len(rec.timings)} interactions: p50 {rec.percentile(50):.2f} s, p95 {rec.percentile(95):.2f} s; "
              f"server CPU {cpu:.1f} s; peak RSS {rss.peak:.0f} MB; trainings (computed, from cache) {counts}")
        server_log = "\n".join(list(log)[-30:])

    # Started as the README says, with the project's config: `streamlit run app.py` plus the port,
    # the address and the load client's agent API; no flag that changes what a request costs.
    assert command[command.index("run"):command.index("run") + 2] == ["run", "app.py"], command
    flags = {arg.split("=")[0] for arg in command if arg.startswith("--")}
    assert flags == {"--server.port", "--server.address", "--server.enableAgentApi"}, command

    errors = [f"{e.kind}: {e.error[:100]}" for e in rec.errors]
    assert not errors, f"server log:\n{server_log}"
    assert before == (0, 0) and counts is not None, f"training counters from /training-cache: {before}, {counts}"
    assert counts[0] == 1, f"{SESSIONS} sessions pressing Train with the same settings computed {counts[0]} trainings"
    assert counts[1] >= SESSIONS - 1, f"only {counts[1]} of the other {SESSIONS - 1} were answered from the cache"
    assert rss.peak < RSS_GOAL_MB, f"server peak RSS {rss.peak:.0f} MB"


def test_the_floor_app_has_the_scenarios_pages_and_keys():
    """benchmarks/floor_app is benchmarks/load.py's reference: the scenario must
    find every page and widget it uses there, or the reference figure measures errors."""
    from streamlit.testing.v1 import AppTest

    from agent_client import OTHER_MOVES

    floor = ROOT / "benchmarks" / "floor_app" / "pages"
    wanted = {BIGRAM: {"train"}} | {page: {k for move in moves for k in move} for page, moves in OTHER_MOVES}
    for page, keys in wanted.items():
        [script] = floor.glob(f"*_{page}.py")
        at = AppTest.from_file(str(script)).run()
        assert not at.exception
        assert keys <= set(at.session_state._state.filtered_state) | {b.key for b in at.button}, page


def test_the_projects_config_is_the_production_config():
    """What `streamlit run app.py` reads: no file watcher (with one, every new session walks every
    loaded module, torch's included, for files to watch) and no rerun on save; developers turn
    both on with flags (README)."""
    server = tomllib.loads(CONFIG.read_text())["server"]
    assert server["fileWatcherType"] == "none"
    assert server["runOnSave"] is False
    assert server["headless"] is True


def test_the_floor_app_runs_with_the_projects_config():
    """The floor is a reference only if its server is configured like the dashboard's."""
    assert tomllib.loads(FLOOR_CONFIG.read_text()) == tomllib.loads(CONFIG.read_text())
