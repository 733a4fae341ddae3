"""Load, small: 8 sessions press Train on the bigram page at once while 4 move controls elsewhere.

A real `streamlit run app.py` driven through the agent API (tests/agent_client.py). Asserts no
errors, one training computed for all eight, and the server's peak memory; response times are
only printed (a shared CI machine's timings prove nothing). The full scenario with timing goals
is benchmarks/load.py.
"""
from __future__ import annotations

from agent_client import BIGRAM, Recorder, RssSampler, agent_server, load_scenario

SESSIONS, OTHERS = 8, 4
RSS_GOAL_MB = 800


def test_many_sessions_share_one_training():
    with agent_server() as (base, pid, log):
        rec = Recorder()
        with RssSampler(pid) as rss:
            counts = load_scenario(base, SESSIONS, OTHERS, rec)
        print(f"\n{len(rec.timings)} interactions: p50 {rec.percentile(50):.2f} s, p95 {rec.percentile(95):.2f} s; "
              f"peak RSS {rss.peak:.0f} MB; trainings (computed, from cache) {counts}")
        server_log = "\n".join(list(log)[-30:])

    errors = [f"{e.kind}: {e.error[:100]}" for e in rec.errors]
    assert not errors, f"server log:\n{server_log}"
    assert counts is not None, f"no training-cache caption on the {BIGRAM} page"
    assert counts[0] == 1, f"{SESSIONS} sessions pressing Train with the same settings computed {counts[0]} trainings"
    assert rss.peak < RSS_GOAL_MB, f"server peak RSS {rss.peak:.0f} MB"


def test_the_floor_app_has_the_scenarios_pages_and_keys():
    """benchmarks/floor_app stands in for the dashboard in `load.py --floor`: the scenario must
    find every page and widget it uses there, or the reference figure measures errors."""
    from streamlit.testing.v1 import AppTest

    from agent_client import OTHER_MOVES
    from serve import ROOT

    floor = ROOT / "benchmarks" / "floor_app" / "pages"
    wanted = {BIGRAM: {"train"}} | {page: {k for move in moves for k in move} for page, moves in OTHER_MOVES}
    for page, keys in wanted.items():
        [script] = floor.glob(f"*_{page}.py")
        at = AppTest.from_file(str(script)).run()
        assert not at.exception
        assert keys <= set(at.session_state._state.filtered_state) | {b.key for b in at.button}, page
