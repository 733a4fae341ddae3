"""core/memory.py: what the server asks of glibc takes effect, read from glibc's own counters."""
from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")

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


def test_a_large_block_is_handed_back_even_after_a_larger_one_was_freed():
    assert probe("from core.memory import hand_back_large_blocks\nassert hand_back_large_blocks()") == "1"


def test_without_it_glibc_keeps_such_a_block_in_its_heap():
    """The probe can tell: glibc's own threshold, raised by the freed 8 MiB block, keeps 1 MiB in the heap."""
    assert probe() == "0"
