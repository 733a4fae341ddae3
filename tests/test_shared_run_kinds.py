"""The one training cache (core/shared_run.py) holds two kinds of run: those visitors ask for and
those a page shows unasked. They share the cache and its budget, never answer for each other, and
are counted apart (the server's /training-cache reports the visitors' kind)."""
from __future__ import annotations

import torch

from core.bigram import bigram_counts
from core.corpus import Corpus
from core.shared_run import ASKED, CACHE, SHOWN, TrainingCache
from core.training import TrainingSettings

SMALL = Corpus.from_names(("emma", "olivia", "ava", "isabella", "sophia", "mia"), "test")


def test_the_kinds_share_one_cache_and_are_counted_apart():
    cache = TrainingCache()
    N, s = bigram_counts(SMALL), TrainingSettings(steps=20)
    shown = cache.get(SMALL.fingerprint, N, s, kind=SHOWN)
    assert cache.counters(SHOWN)["computed"] == 1 and cache.counters()["computed"] == 0
    asked = cache.get(SMALL.fingerprint, N, s)            # a visitor's Train: its own run, streamed live
    assert asked is not shown and torch.equal(asked.W, shown.W)
    assert cache.get(SMALL.fingerprint, N, s, kind=SHOWN) is shown
    assert cache.get(SMALL.fingerprint, N, s, kind=ASKED) is asked
    assert cache.counters(ASKED) == {"computed": 1, "answered_from_cache": 1, "kept": 2,
                                     "bytes": asked.nbytes + shown.nbytes, "max_bytes": cache.max_bytes,
                                     "maxsize": cache.maxsize}
    assert cache.counters(SHOWN)["computed"] == cache.counters(SHOWN)["answered_from_cache"] == 1
    assert (cache.computations, cache.hits) == (2, 2)     # every kind


def test_the_server_has_one_training_cache():
    import core.shared_run as shared_run
    caches = [name for name, value in vars(shared_run).items() if isinstance(value, TrainingCache)]
    assert caches == ["CACHE"] and CACHE.counters() == CACHE.counters(ASKED)
