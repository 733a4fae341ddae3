"""Page runs take turns: one at a time, in about the order they came, unless one runs long.

A Streamlit server runs every session's script in a thread of its own, and Python runs one thread
at a time. When a class arrives at once, a hundred runs share the interpreter in slices of a few
milliseconds: each takes about as long as all of them together, and the switching costs CPU of
its own. Taking turns, each run finishes in its own time after those that came before it (the
waiting runs are woken oldest first; one that arrives just as a turn ends may go first): the
server does the same work in less CPU, and most visitors see their page sooner (README, "The class").

A run that holds its turn longer than `long_s` (a large upload, a corpus met for the first time, a
wait for a long training) no longer holds up the queue: the next run takes the turn, and the long
one goes on beside it. A thread that holds the turn keeps it when it asks again (a section that
reruns inside a whole run).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

LONG_S = 1.0   # a turn held longer than this lets the next run in


class Turns:
    def __init__(self, long_s: float = LONG_S):
        self.long_s = long_s
        self._changed = threading.Condition()
        self._owner: object | None = None   # the run whose turn it is
        self._since = 0.0                    # when it got the turn
        self._watchdog: threading.Thread | None = None
        self._mine = threading.local()       # the calling thread's run, while it holds a turn

    def holding(self) -> bool:
        """Whether the calling thread is inside a turn() it entered (still true once the watchdog
        has ended that turn: the rest of a long run goes on without one)."""
        return getattr(self._mine, "run", None) is not None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Run the body on a turn: once the current one ends, or once it has run long."""
        if self.holding():
            yield
            return
        self._take()
        try:
            yield
        finally:
            self._give_back()

    def _take(self) -> None:
        run = object()
        with self._changed:
            while self._owner is not None:
                self._changed.wait()
            self._owner, self._since = run, time.monotonic()
            if self._watchdog is None:   # it watches while anyone is on a turn
                self._watchdog = threading.Thread(target=self._watch, name="turns-watchdog", daemon=True)
                self._watchdog.start()
        self._mine.run = run

    def _give_back(self) -> None:
        run, self._mine.run = self._mine.run, None
        with self._changed:
            if self._owner is run:   # not ended by the watchdog, when it ran long
                self._owner = None
                self._changed.notify()

    def _watch(self) -> None:
        """End a turn that has run long: the next run goes, the long one goes on without a turn.
        (Waiting runs sleep without a deadline: waits that time out lose their place in line.)"""
        while True:
            time.sleep(max(self.long_s / 2, 0.01))
            with self._changed:
                if self._owner is None:   # nobody on a turn: the next run to take one starts it again
                    self._watchdog = None
                    return
                if time.monotonic() - self._since > self.long_s:
                    self._owner = None
                    self._changed.notify()


# The server's turns: app.py's router takes one for each run of a page (ui/frame.py).
TURNS = Turns()
