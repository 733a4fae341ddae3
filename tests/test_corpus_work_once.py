"""Corpus-sized work once per corpus and setting, never per rerun (ui/cached_builders.py).

An AppTest of the bigram page, with every section drawn (trained, the λ comparison on, the charts'
tables open), then reruns that change nothing about the corpus: the name box, the number of
sampled names, a table's expander. Calls are counted, not timed, by code object (a profile hook
on the script's thread): the cached builders keep their own reference to each core function, so
patching a module's attribute would not see a cache miss, while the code object is the same.
"""
from __future__ import annotations

import contextlib
import inspect
import sys
import threading
from collections import Counter

import torch

from core import baby_names, bigram, corpus, entropy, heldout, names_file, split
from core.charts import bigram as bigram_charts
from pagetest import BIGRAM_ASIDES, open_page, open_tables, table_keys
from ui import cached_builders as cached

PAGE = "pages/7_Bigram_model.py"

# What scans a corpus (its names, its split) or a V x V table.
CORPUS_SIZED = [
    corpus.CorpusBuilder.build, corpus._split, split.assignment,
    baby_names.load_default_corpus, names_file.parse_names,
    heldout.evaluate, heldout._scored, heldout.smoothing_curve, heldout.counting_nll, heldout.choose_k,
    heldout.penalty_table, heldout.choose_penalty, heldout.network_nll, heldout.unseen_pairs,
    bigram.probabilities, bigram.average_nll, bigram.counting_model, bigram.largest_departure,
    bigram.bigram_counts, entropy._joint, entropy.excess, entropy.baselines,
    *(f for f in vars(bigram_charts).values() if inspect.isfunction(f) and f.__module__ == bigram_charts.__name__),
]
# Sized by the names sampled: drawing them, and finding them among the corpus's names (a binary search
# for each of their hashes; a corpus's own names are hashed by CorpusBuilder.build).
SAMPLING = [bigram.sample_names, bigram.sample_each, bigram.mark_new, corpus._hash_names]


@contextlib.contextmanager
def counted_calls():
    """Counter of calls, by function name, of CORPUS_SIZED and SAMPLING in threads started inside."""
    names = {f.__code__: f.__qualname__ for f in CORPUS_SIZED + SAMPLING}
    calls: Counter[str] = Counter()

    def hook(frame, event, arg):
        if event == "call" and frame.f_code in names:
            calls[names[frame.f_code]] += 1

    threading.setprofile(hook)
    try:
        yield calls
    finally:
        threading.setprofile(None)
        sys.setprofile(None)


def _drawn_in_full():
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, trained="1")
    at.toggle(key="compare_reg").set_value(True).run()
    open_tables(at)
    assert not at.exception and "network, λ = 0.01: NLL on the validation names" in {m.label for m in at.metric}
    return at


def test_reruns_that_leave_the_corpus_alone_compute_nothing_corpus_sized():
    at = _drawn_in_full()
    with counted_calls() as calls:
        at.text_input(key="score_name").input("olivia").run()
    assert not calls, f"the name box recomputed {dict(calls)}"

    with counted_calls() as calls:
        at.number_input(key="count_draw_count").set_value(12).run()
    assert calls == Counter({"sample_names": 1, "mark_new": 1, "_hash_names": 1}), f"12 samples: {dict(calls)}"
    with counted_calls() as calls:
        at.number_input(key="count_draw_count").set_value(10).run()
    assert not calls, f"back to 10 samples: {dict(calls)}"

    for shelf in (table_keys(at)[0], *BIGRAM_ASIDES):   # a chart's table, then each aside
        with counted_calls() as calls:
            at.session_state[shelf] = False
            at.run()
            at.session_state[shelf] = True
            at.run()
        assert not calls, f"the expander {shelf!r} closed and opened again: {dict(calls)}"
    assert not at.exception


def test_a_page_drawn_in_full_leaves_the_shared_counted_table_as_built():
    """counting_model hands every session the very table it built (ui/cached_builders.py): no part
    of the bigram page, trained and with every section drawn, may change it."""
    _drawn_in_full()
    names = cached.default_corpus()
    for k in (0.0, 1.0):
        shared, nll = cached.counting_model(names, k)
        fresh, fresh_nll = bigram.counting_model(names, k)
        assert torch.equal(shared, fresh) and nll == fresh_nll


def test_the_counter_sees_a_rerun_that_does_change_the_model():
    """The control: a new k is a new table, counted on the script's thread."""
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    with counted_calls() as calls:
        at.slider(key="k").set_value(0.7).run()
    assert calls["counting_model"] >= 1 and calls["probabilities"] >= 1 and calls["counting_nll"] >= 1
