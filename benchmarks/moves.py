"""What a move to a new value costs the server, page by page, beside the empty app.

A student dragging a slider asks for values nobody asked before, so every move misses the caches
of ui/cached_builders.py and builds its charts afresh. `python benchmarks/moves.py` starts the app
as the README does (benchmarks/agent_client.py), opens each chapter, and moves its first control
with a range (a slider or number box, as the yardstick's visitors find them) to --moves values
drawn at random in that range (seeded), one after another; then the same on a fresh server of
benchmarks/floor_app (one number box on its Probability page). Prints the server's CPU per move
for each page and its ratio to the empty app's.

    python benchmarks/moves.py [--moves 100] [--seed 0]

The CPU is read in the kernel's 10 ms ticks: 100 moves keep that within a few per cent of the
empty app's total.
"""
from __future__ import annotations

import argparse
import random

from agent_client import agent_server, post, tree_cpu_seconds, walk
from load import FLOOR_APP
from serve import ROOT

CHAPTERS = ["Probability", "Likelihood", "Likelihood_function", "Log_likelihood", "Maximum_likelihood",
            "Negative_log_likelihood", "Bigram_model"]


def first_ranged_control(snap: dict) -> tuple[str, float, float, bool] | None:
    """(key, low, high, integer?) of the page's first slider or number box with a range, or None."""
    nodes = {n.get("key"): n for n in walk(snap["tree"]) if n.get("key")}
    for action in snap.get("actions", []):
        node = nodes.get(action["key"], {})
        props = node.get("props", {})
        if action.get("type") in ("slider", "number_input") and isinstance(node.get("value"), (int, float)) \
                and props.get("min_value") is not None and props.get("max_value") is not None:
            return action["key"], props["min_value"], props["max_value"], isinstance(node["value"], int)
    return None


def ms_per_move(app, pages: list[str], moves: int, seed: int) -> dict[str, tuple[str, float]]:
    """{page: (control key, server CPU ms per move)} for the pages that have a control with a range."""
    rng = random.Random(seed)
    found = {}
    with agent_server(app=app) as (base, pid, _log):
        for page in pages:
            _, snap = post(base, {"page": page})
            control = first_ranged_control(snap)
            if control is None:
                continue
            key, lo, hi, integer = control
            before = tree_cpu_seconds(pid)
            for _ in range(moves):
                value = rng.uniform(lo, hi)
                post(base, {"session_id": snap["session_id"], "widget_state": {key: int(value) if integer else value}})
            found[page] = key, 1000 * (tree_cpu_seconds(pid) - before) / moves
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    dashboard = ms_per_move(ROOT / "app.py", CHAPTERS, args.moves, args.seed)
    (_, floor), = ms_per_move(FLOOR_APP, ["Probability"], args.moves, args.seed).values()
    print(f"empty app: {floor:.1f} ms of server CPU per move ({args.moves} moves)")
    for page in CHAPTERS:
        if page in dashboard:
            key, ms = dashboard[page]
            print(f"{page:24} {key:12} {ms:6.1f} ms per move   {ms / floor:4.1f}x the empty app")
        else:
            print(f"{page:24} (no control with a range of Streamlit's own)")


if __name__ == "__main__":
    main()
