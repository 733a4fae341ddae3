"""What a move to a new value costs the server, page by page, beside the empty app.

A student dragging a slider asks for values nobody asked before, so every move misses the caches
of ui/cached_builders.py and builds its charts afresh. `python benchmarks/moves.py` starts the app
as the README does (benchmarks/agent_client.py), opens each chapter, and moves its first control
with a range (a slider or number box, as the yardstick's visitors find them) to --moves values
drawn at random in that range (seeded), one after another; then the same on a fresh server of
benchmarks/floor_app (one number box on its Probability page). Prints the server's CPU per move
for each page and its ratio to the empty app's. Then, on the same server, the controls that move
one section only (SECTION_CONTROLS), whose section reruns alone (page.fragment), the same way.

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
# Controls that move one section, which reruns alone: (page, key, low, high, integer?), the ranges
# the pages declare (a number box has no range of Streamlit's own to read from the page).
SECTION_CONTROLS = [("Probability", "n", 1, 1_000_000, True), ("Likelihood_function", "lf_n", 2, 1000, True),
                    ("Log_likelihood", "ll_sigma", 0.5, 10.0, False), ("Maximum_likelihood", "bias_n", 2, 100, True),
                    ("Negative_log_likelihood", "p", 0.001, 1.0, False),
                    ("Negative_log_likelihood", "mse_mu", 40.0, 65.0, False),
                    ("Negative_log_likelihood", "lse_scale", 1.0, 1000.0, False),
                    ("Bigram_model", "k", 0.0, 10.0, False), ("Bigram_model", "count_draw_count", 1, 50, True),
                    ("NLL_ranks_language_models", "ladder_count", 1, 20, True)]


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


def _ms_per_move(base: str, pid: int, session: str, control: tuple, moves: int, rng: random.Random) -> float:
    """Server CPU ms per move of `control` (key, low, high, integer?) to random values in its range."""
    key, lo, hi, integer = control
    before = tree_cpu_seconds(pid)
    for _ in range(moves):
        value = rng.uniform(lo, hi)
        post(base, {"session_id": session, "widget_state": {key: int(value) if integer else value}})
    return 1000 * (tree_cpu_seconds(pid) - before) / moves


def ms_per_move(app, pages: list[str], moves: int, seed: int, sections: list[tuple] = ()
                ) -> tuple[dict[str, tuple[str, float]], list[float]]:
    """({page: (control key, server CPU ms per move)} for the pages that have a control with a range,
    [ms per move of each of `sections`' controls])."""
    rng = random.Random(seed)
    found = {}
    with agent_server(app=app) as (base, pid, _log):
        for page in pages:
            _, snap = post(base, {"page": page})
            control = first_ranged_control(snap)
            if control is not None:
                found[page] = control[0], _ms_per_move(base, pid, snap["session_id"], control, moves, rng)
        alone = [_ms_per_move(base, pid, post(base, {"page": page})[1]["session_id"], control, moves, rng)
                 for page, *control in sections]
    return found, alone


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    dashboard, alone = ms_per_move(ROOT / "app.py", CHAPTERS, args.moves, args.seed, SECTION_CONTROLS)
    empty, _ = ms_per_move(FLOOR_APP, ["Probability"], args.moves, args.seed)
    (_, floor), = empty.values()
    print(f"empty app: {floor:.1f} ms of server CPU per move ({args.moves} moves)")
    for page in CHAPTERS:
        if page in dashboard:
            key, ms = dashboard[page]
            print(f"{page:24} {key:16} {ms:6.1f} ms per move   {ms / floor:4.1f}x the empty app")
        else:
            print(f"{page:24} (no control with a range of Streamlit's own)")
    print("controls of a section that reruns alone:")
    for (page, key, *_), ms in zip(SECTION_CONTROLS, alone):
        print(f"{page:24} {key:16} {ms:6.1f} ms per move   {ms / floor:4.1f}x the empty app")

if __name__ == "__main__":
    main()
