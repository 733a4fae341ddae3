"""How many elements each page sends: what a class pays for, element by element.

Under the class load, the server's CPU per interaction follows the number of elements a rerun
sends more than anything the pages compute: each one is a message through Streamlit's event loop
and the agent API's tree, whatever it shows. `python benchmarks/elements.py` starts the app as
the README does (serve.py, the agent API on), opens every page of the story with its defaults,
presses Train on the bigram page, and prints the elements (blocks included) of each page's tree.

`--pad N` prints instead what elements cost an app with nothing else in it: benchmarks/load.py's
class (arriving over 10 s; --spread 0: at once) on the floor app twice, each on a fresh server, as
it is and with N markdown lines added to its bigram page (FLOOR_PAD; Train reruns the page, which
then draws them and N more): both servers' CPU per interaction and p95, and the CPU of one element.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import load
from agent_client import agent_server, post, walk

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from core import story  # noqa: E402


def elements(snap: dict) -> Counter:
    """The tree's nodes by type, without the four roots (main, sidebar, event, bottom)."""
    return Counter(n.get("type") for n in walk(snap["tree"])
                   if n.get("type") not in {"root", "main", "sidebar", "event", "bottom"})


def count_pages() -> None:
    with agent_server() as (base, _pid, _log):
        for chapter in story.STORY:
            _, snap = post(base, {"page": chapter.url_path})
            kinds = elements(snap)
            print(f"{chapter.url_path or 'home':26} {sum(kinds.values()):4d}   "
                  + ", ".join(f"{k} {n}" for k, n in kinds.most_common(5)))
            if chapter.url_path == "Bigram_model":
                train = next(a["key"] for a in snap["actions"] if a.get("label") == "Train")
                _, after = post(base, {"session_id": snap["session_id"], "trigger": {"key": train}})
                print(f"{'  after Train':26} {sum(elements(after).values()):4d}")


def price(pad: int, spread: float) -> None:
    """The class on the floor app as it is and padded (FLOOR_PAD), each on a fresh server."""
    args = argparse.Namespace(sessions=50, others=20, think=1.0)
    runs = {}
    for extra in (0, pad):
        os.environ["FLOOR_PAD"] = str(extra)   # the server inherits it
        with agent_server(app=load.FLOOR_APP) as (base, pid, _log):
            load.warm(base)
            runs[extra] = run = load.run_scenario(base, pid, args, spread)
        print(f"floor app, {extra:4d} extra elements on the bigram page: {run.cpu_per_request * 1e3:.1f} ms of CPU "
              f"per interaction, p95 {run.rec.percentile(95):.2f} s")
    # Each bigram visitor is sent the N lines on opening, and on Train (a rerun of the whole page) the
    # same N again and N more.
    sent = 3 * pad * args.sessions
    print(f"one element: {(runs[pad].cpu - runs[0].cpu) / sent * 1e6:.0f} µs of server CPU each time it is sent "
          f"({runs[pad].cpu_per_request / runs[0].cpu_per_request:.2f}x the floor's CPU per interaction)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pad", type=int, help="measure the floor app with this many extra elements")
    ap.add_argument("--spread", type=float, default=10.0, help="the class arrives over this many s (0: at once)")
    a = ap.parse_args()
    if a.pad:
        price(a.pad, a.spread)
    else:
        count_pages()
