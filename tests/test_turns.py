"""core/turns.py: page runs take turns, and a long one does not hold up the rest."""
import threading
import time

import pytest

from core.turns import TURNS, Turns


def _most_inside(turns: Turns, threads: int, seconds: float) -> int:
    """Start `threads` runs at once, each on a turn for `seconds`: the most that were inside together."""
    inside, most = [0], [0]
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def run():
        start.wait()
        with turns.turn():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(seconds)
            with lock:
                inside[0] -= 1

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    assert not any(w.is_alive() for w in workers), "a run never got its turn"
    return most[0]


def test_one_run_at_a_time():
    assert _most_inside(Turns(long_s=5.0), threads=20, seconds=0.005) == 1


def test_without_turns_the_same_runs_overlap():
    """The check above can fail: runs that each hold their turn too long do overlap."""
    assert _most_inside(Turns(long_s=0.02), threads=5, seconds=0.2) > 1


def test_a_thread_that_holds_the_turn_keeps_it_when_it_asks_again():
    turns = Turns(long_s=5.0)
    with turns.turn():
        with turns.turn():          # a section that reruns inside a whole run
            assert turns.holding()
        assert turns.holding()
    assert not turns.holding()


def test_an_error_in_a_run_gives_the_turn_back():
    turns = Turns(long_s=5.0)
    class Stop(BaseException):   # Streamlit's StopException and RerunException are BaseExceptions
        pass

    with pytest.raises(Stop):
        with turns.turn():
            raise Stop()
    assert not turns.holding()
    done = threading.Event()
    threading.Thread(target=lambda: (turns.turn().__enter__(), done.set())).start()
    assert done.wait(1.0), "the turn was not given back"


@pytest.mark.parametrize("idle_first", [False, True], ids=["at once", "after an idle spell"])
def test_a_long_run_lets_the_next_in_and_goes_on(idle_first):
    turns = Turns(long_s=0.1)
    if idle_first:   # the watchdog stops while nobody is on a turn; the next turn must start it again
        with turns.turn():
            pass
        time.sleep(0.3)
    times = {}
    long_started = threading.Event()

    def long_run():
        with turns.turn():
            times["long in"] = turns._since   # when it got the turn (this thread may run later)
            long_started.set()
            time.sleep(1.0)
        times["long ended"] = time.monotonic()

    def short_run():
        long_started.wait()
        with turns.turn():
            times["short in"] = time.monotonic()
        times["short ended"] = time.monotonic()

    runs = [threading.Thread(target=long_run), threading.Thread(target=short_run)]
    for r in runs:
        r.start()
    for r in runs:
        r.join(5)
    assert times["short ended"] < times["long ended"]              # it did not wait for the long run's end
    assert times["short in"] - times["long in"] >= turns.long_s   # nor get in before that run had run long


def test_the_long_run_ending_does_not_end_the_turn_of_the_run_that_took_over():
    turns = Turns(long_s=1.0)
    log = []
    long_in, b_in, long_out = threading.Event(), threading.Event(), threading.Event()

    def long_run():
        with turns.turn():
            long_in.set()
            b_in.wait(10)       # B gets in only by taking over a turn that has run long
        long_out.set()          # this give-back must leave B's turn alone

    def b():
        long_in.wait(10)
        with turns.turn():
            b_in.set()
            long_out.wait(10)
            time.sleep(0.2)     # C asks meanwhile (B stays well under long_s)
            log.append("B out")

    def c():
        long_out.wait(10)
        time.sleep(0.05)
        with turns.turn():
            log.append("C in")

    threads = [threading.Thread(target=f) for f in (long_run, b, c)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert log == ["B out", "C in"]


def test_the_server_has_one_turns_for_every_page():
    from ui import frame

    assert frame.TURNS is TURNS


def test_every_run_of_a_page_takes_a_turn(monkeypatch):
    """A whole run takes one turn, and the sections drawn inside it keep that one. (AppTest reruns the
    whole page on Train; a section rerunning alone in a browser takes its turn in frame._section.)"""
    from pagetest import open_page

    taken = []
    original = Turns._take

    def counted(self):
        taken.append(threading.current_thread().name)
        original(self)

    monkeypatch.setattr(Turns, "_take", counted)
    at = open_page("pages/5_Maximum_likelihood.py")
    assert len(taken) == 1
    at = open_page("pages/7_Bigram_model.py")
    assert len(taken) == 2
    at.button(key="train").click().run()      # a whole run again, with the training section inside it
    assert len(taken) == 3
    assert not at.exception
    assert TURNS._owner is None   # given back (AppTest runs the script in a thread of its own)
