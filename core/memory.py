"""Handing the memory a large temporary computation freed back to the system, and freeing what
reference cycles hold (an ended session) without waiting for Python's rare full passes.

Reading the default corpus or parsing an upload makes temporaries several times the size of
what it keeps; freed, they stay in pyarrow's pool and glibc's heaps unless handed back.
"""
from __future__ import annotations

import asyncio
import gc
import sys


def give_back_memory() -> None:
    """Hand the memory a large temporary computation freed back to the system: pyarrow's pool, and
    glibc's heaps (where numpy's freed temporaries stay otherwise: 80 MB after the default corpus)."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None   # glibc only
    except OSError:
        return None


_LIBC = _libc()

# glibc's M_MMAP_THRESHOLD (malloc.h): a block at least this large gets pages of its own, handed
# back to the system when it is freed.
_M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 256 * 1024


def hand_back_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """Give every block of `threshold` bytes or more pages of its own, returned when freed. glibc's
    threshold starts at 128 KiB but rises (up to 32 MiB) each time such a block is freed; larger
    blocks then come from the heaps, which keep their high-water mark. A class arriving at once
    runs some seventy sessions side by side, each building its page's large temporaries (chart
    specs, Arrow tables, messages): the yardstick's burst peaked at 590-620 MB with glibc's own
    threshold (eleven runs) and 569-590 MB with 256 KiB fixed (six). True if glibc took it."""
    return _LIBC is not None and hasattr(_LIBC, "mallopt") and _LIBC.mallopt(_M_MMAP_THRESHOLD, threshold) == 1


def freeze_what_is_loaded() -> None:
    """Take what lives as long as the server (torch, pandas, altair, scipy, the warm caches) out of
    the cyclic collector's scans: a full pass walked about a million such objects, 0.15-0.2 s with
    every thread stopped, in each of the collections below and in Python's own. What visitors' runs
    make afterwards is collected as before. Collected first, so no garbage is frozen with them."""
    gc.collect()
    gc.freeze()


COLLECT_EVERY = 30.0   # seconds


async def collect_garbage_every(seconds: float = COLLECT_EVERY) -> None:
    """A full garbage collection every `seconds`, for as long as the task runs (the server's life,
    ui/warmup.py: lifespan). Streamlit's collection after every rerun is off (.streamlit/config.toml:
    it cost more than the rerun), and an ended session is held in reference cycles, which only a
    full collection frees; Python's own full passes come rarely. So six visitors' uploads stayed
    in memory after their sessions had expired, and six more added 63-78 MB (benchmarks/memory.py);
    with one collection there, 1 MB. A pass walks only what came after freeze_what_is_loaded()."""
    while True:
        await asyncio.sleep(seconds)
        gc.collect()
