"""core/memory.py: what the server asks of glibc takes effect (read from glibc's own counters),
and its garbage collector frees what the server's reference cycles hold."""
from __future__ import annotations

import platform
import subprocess
import sys

import pytest

GLIBC = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")

# A 1 MiB block, allocated after an 8 MiB block was freed: does it get pages of its own (an mmap,
# counted in mallinfo2's hblks)? Prints 1 if it does. `before` is code run first.
_PROBE = """
import ctypes
{before}
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                               "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = Info
libc.free(libc.malloc(8 << 20))      # freed: glibc's own threshold rises to 8 MiB
before = libc.mallinfo2().hblks
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblks - before)
libc.free(block)
"""


def probe(before: str = "") -> str:
    return subprocess.run([sys.executable, "-c", _PROBE.format(before=before)], capture_output=True, text=True,
                          check=True).stdout.strip()


@GLIBC
def test_a_large_block_is_handed_back_even_after_a_larger_one_was_freed():
    assert probe("from core.memory import hand_back_large_blocks\nassert hand_back_large_blocks()") == "1"


@GLIBC
def test_without_it_glibc_keeps_such_a_block_in_its_heap():
    """The probe can tell: glibc's own threshold, raised by the freed 8 MiB block, keeps 1 MiB in the heap."""
    assert probe() == "0"


class _Cycle:
    def __init__(self):
        self.me = self      # only a full collection frees it


def _left_after(run_collector: bool) -> bool:
    """Is a reference cycle dropped just before still alive after 0.2 s, with Python's own collector off?"""
    import asyncio
    import concurrent.futures
    import gc
    import weakref

    from core.memory import collect_garbage_every

    async def scenario() -> bool:
        collector = asyncio.create_task(collect_garbage_every(0.05)) if run_collector else None
        alive = weakref.ref(_Cycle())
        await asyncio.sleep(0.2)
        if collector:
            collector.cancel()
        return alive() is not None

    gc.disable()
    try:   # a thread of its own: a browser test before this one may have left a loop running in this one
        with concurrent.futures.ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, scenario()).result()
    finally:
        gc.enable()


def test_the_servers_collector_frees_what_ended_sessions_leave_in_cycles():
    assert not _left_after(run_collector=True)


def test_without_it_such_a_cycle_stays():
    assert _left_after(run_collector=False)


def test_what_is_loaded_is_frozen_out_of_the_scans_and_later_garbage_is_still_collected():
    import gc
    import importlib
    import weakref

    from core.memory import freeze_what_is_loaded

    importlib.import_module("torch")   # what the server has loaded when it freezes
    scanned = len(gc.get_objects())
    freeze_what_is_loaded()
    try:
        assert gc.get_freeze_count() > 0
        assert len(gc.get_objects()) < scanned / 2   # a full pass walks what came after only
        alive = weakref.ref(_Cycle())
        gc.collect()
        assert alive() is None
    finally:
        gc.unfreeze()
