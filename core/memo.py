"""Remember what a pure function returned, keyed by the *content* of its arguments.

Every rerun of a page rebuilds its charts and tables from the same few inputs, and a class
of fifty opening one page asks for the very same ones. Building a 729-cell heatmap is the
costliest part of such a rerun, so builders are wrapped in `memoize`: equal inputs (arrays
and tensors compared by their bytes) return the object built the first time.

That object is shared by every session: callers must treat it as read-only. Each memo is
bounded both in entries and in bytes (an estimate, `approx_bytes`): a chart of a 100-symbol
uploaded corpus is a thousand times larger than one of the default 27 symbols.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


def fingerprint(value: Any) -> Any:
    """A hashable key equal for equal content. Raises TypeError for a type it cannot compare
    by content, rather than falling back to identity and silently never (or wrongly) matching."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return (type(value).__name__, value)
    torch = sys.modules.get("torch")  # not imported here: the home page starts faster without it
    if torch is not None and isinstance(value, torch.Tensor):
        value = value.detach().cpu().contiguous().numpy()
    if isinstance(value, np.ndarray):
        digest = hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=16).digest()
        return ("array", str(value.dtype), value.shape, digest)
    if isinstance(value, np.generic):
        return fingerprint(value.item())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((fingerprint(k), fingerprint(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__,
                tuple(fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value)))
    raise TypeError(f"cannot memoize on a {type(value).__name__} argument")


MAX_BYTES = 8 * 2**20   # per memoized function


def approx_bytes(value: Any, _depth: int = 0) -> int:
    """The memory a result holds, roughly: exact for arrays, tensors, frames and bytes; the sum of
    the parts for containers, dataclasses and altair charts (their data and sub-charts)."""
    if _depth > 8:
        return 0
    if isinstance(value, (bytes, bytearray, str)):
        return len(value)
    if isinstance(value, np.ndarray):
        return value.nbytes
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return value.numel() * value.element_size()
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    parts: list = []
    if isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = list(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif hasattr(value, "to_dict") and hasattr(value, "_kwds"):  # an altair chart: its data and layers
        parts = [value._kwds.get(k) for k in ("data", "layer", "hconcat", "vconcat", "concat")]
    return sys.getsizeof(value) + sum(approx_bytes(p, _depth + 1) for p in parts)


class Memo:
    """A thread-safe LRU of results by key, bounded in entries and in bytes; counts hits and misses."""

    def __init__(self, maxsize: int, max_bytes: int = MAX_BYTES):
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self._sizes: dict[Any, int] = {}
        self._pending: dict[Any, Future] = {}   # key -> the build in progress
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def _evict(self) -> None:
        """Drop the least recently used entries until both bounds hold; the newest always stays."""
        while len(self._entries) > 1 and (len(self._entries) > self.maxsize or self.bytes > self.max_bytes):
            key, _ = self._entries.popitem(last=False)
            self.bytes -= self._sizes.pop(key)

    def get_or_build(self, key: Any, build: Callable[[], Any]) -> Any:
        """The entry for `key`, built by `build()` if missing. Callers asking for a key that is
        being built wait for that build: fifty sessions watching one training all want the
        same new chart at the same moment, and building it fifty times starved the training."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            pending = self._pending.get(key)
            mine = pending is None
            if mine:
                pending = self._pending[key] = Future()
                self.misses += 1
            else:
                self.hits += 1
        if not mine:
            return pending.result()
        try:
            result = build()
        except BaseException as err:
            with self._lock:
                del self._pending[key]
            pending.set_exception(err)
            raise
        size = approx_bytes(result)
        with self._lock:
            del self._pending[key]
            self._entries[key] = result
            self._sizes[key] = size
            self.bytes += size
            self._evict()
        pending.set_result(result)
        return result


def memoize(maxsize: int = 32, max_bytes: int = MAX_BYTES) -> Callable[[F], F]:
    """Decorator: remember up to `maxsize` results, `max_bytes` in all, of a pure function
    (see the module docstring)."""
    def wrap(fn: F) -> F:
        memo = Memo(maxsize, max_bytes)

        @functools.wraps(fn)
        def memoized(*args, **kwargs):
            key = (fingerprint(args), fingerprint(kwargs))
            return memo.get_or_build(key, lambda: fn(*args, **kwargs))

        memoized.memo = memo  # for tests and reports
        return memoized  # type: ignore[return-value]
    return wrap
