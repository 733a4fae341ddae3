"""Files of made-up names for the upload tests and benchmarks/memory.py: large, fast to make."""
from __future__ import annotations

import numpy as np


def names_file(size: int, seed: int = 0) -> bytes:
    """Exactly `size` bytes of made-up lower-case names, one per line: 3 to 10 letters each, but
    the last, which fills what is left (11 to 22 letters). Vectorised: a 4.9 MiB file takes
    milliseconds (a name at a time in Python took 1.5 s, at every test worker's collection)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(3, 11, size=size // 4)
    ends = np.cumsum(lengths + 1)
    lengths = lengths[:np.searchsorted(ends, size - 12)]       # room left for one last name
    text = rng.integers(ord("a"), ord("z") + 1, size=int(lengths.sum() + len(lengths)), dtype=np.uint8)
    text[np.cumsum(lengths + 1) - 1] = ord("\n")
    last = size - len(text) - 1
    data = text.tobytes() + bytes(rng.integers(ord("a"), ord("z") + 1, size=last, dtype=np.uint8)) + b"\n"
    assert len(data) == size
    return data
