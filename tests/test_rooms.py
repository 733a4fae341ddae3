"""The room store (core/rooms.py): every test runs against both back ends, in memory and in a real
Redis (Debian's redis-server, started here on a free port in a temporary folder)."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import rooms
from serve import free_port
from core.rooms import (MemoryRooms, NotPresenter, Poll, RedisRooms, Refused, RoomError, RoomNotFound,
                        RoomsFull, StoreUnavailable, VoteRefused)

REDIS_SERVER = shutil.which("redis-server")
PARAMS = {"mu": "45.0", "sigma": "3.0"}
QUESTION = Poll("a1b2c3d4e5f60718", ("It rises", "It falls", "It stays the same"))
OTHER_QUESTION = Poll("ffff0000ffff0000", ("Negative", "Zero", "Positive"))


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """One redis-server for the module, on the loopback, persisting nothing; stopped afterwards."""
    if REDIS_SERVER is None:
        message = "redis-server not found: install it with `apt-get install -y redis-server`."
        if os.environ.get("CI") == "true":
            raise RuntimeError(message)
        pytest.skip(message)
    import redis

    port, folder = free_port(), tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                               "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client, deadline = redis.Redis.from_url(url), time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


class Backend:
    """Makes stores of one kind, and lets time pass for them."""

    def __init__(self, kind: str, url: str | None = None):
        self.kind, self.url, self.now = kind, url, 1000.0

    def store(self, ttl: float = rooms.ROOM_TTL) -> rooms.Rooms:
        if self.kind == "memory":
            return MemoryRooms(ttl, clock=lambda: self.now)
        return RedisRooms(self.url, ttl)

    def client(self, store: rooms.Rooms) -> rooms.Rooms:
        """Another way into `store`'s rooms: the same object in memory, a second client of Redis."""
        return store if self.kind == "memory" else self.store(store.ttl)

    def later(self, seconds: float) -> None:
        """Memory: the injected clock moves on; Redis keeps its own time, so we wait."""
        if self.kind == "memory":
            self.now += seconds
        else:
            time.sleep(seconds)


@pytest.fixture
def redis_backend(redis_url):
    """Redis, emptied for each test."""
    import redis

    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()
    return Backend("redis", redis_url)


@pytest.fixture(params=["memory", "redis"])
def backend(request):
    return Backend("memory") if request.param == "memory" else request.getfixturevalue("redis_backend")


@pytest.fixture
def store(backend):
    return backend.store()


def opened_with_question(store):
    room = store.open()
    store.publish(room.code, room.secret, "Probability", PARAMS, QUESTION)
    return room


# --- open, publish, read ---------------------------------------------------------------------------

def test_a_new_room_has_a_short_unambiguous_code_and_nothing_published(store):
    room = store.open()
    assert len(room.code) == rooms.CODE_LENGTH and set(room.code) <= set(rooms.CODE_ALPHABET)
    assert not set(room.code) & set("01OILU")
    assert room.secret not in room.code and len(room.secret) >= 32
    assert store.version(room.code) == 0
    assert store.view(room.code) == rooms.View(0)
    assert store.open().code != room.code


def test_publish_bumps_the_version_only_when_the_view_changes(store):
    room = store.open()
    assert store.publish(room.code, room.secret, "Probability", PARAMS, QUESTION) == 1
    view = store.view(room.code)
    assert (view.version, view.path, dict(view.params), view.poll, view.revealed) == (
        1, "Probability", PARAMS, QUESTION, False)
    assert store.publish(room.code, room.secret, "Probability", dict(PARAMS), QUESTION) == 1  # the same view
    assert store.publish(room.code, room.secret, "Probability", {**PARAMS, "mu": "46.0"}, QUESTION) == 2
    assert store.view(room.code).params["mu"] == "46.0"
    assert store.publish(room.code, room.secret, "Likelihood", {}, None) == 3
    view = store.view(room.code)
    assert (view.version, view.path, dict(view.params), view.poll) == (3, "Likelihood", {}, None)
    assert store.version(room.code) == 3


def test_codes_are_read_as_people_type_them(store):
    room = opened_with_question(store)
    typed = f"{room.code[:5].lower()}-{room.code[5:]} "
    assert store.version(typed) == 1
    store.vote(typed, QUESTION.token, "phone1", 0)
    assert store.counts(room.code, QUESTION.token) == (1, 0, 0)


def test_text_in_a_view_comes_back_as_it_was_sent(store):
    room = store.open()
    params = {"data": "1, 2, 3\n<b>x</b> ‮ é", "k": ""}
    store.publish(room.code, room.secret, "Log_likelihood", params, Poll("t", ("«a»", "b\"c")))
    view = store.view(room.code)
    assert dict(view.params) == params and view.poll.options == ("«a»", "b\"c")
    with pytest.raises(TypeError):
        view.params["data"] = "changed"  # a read view is not a way to change the room


# --- who may do what -------------------------------------------------------------------------------

@pytest.mark.parametrize("call", ["publish", "reveal", "touch", "close"])
def test_changing_a_room_needs_its_secret(store, call):
    room, other = opened_with_question(store), store.open()
    actions = {"publish": lambda s: store.publish(room.code, s, "Likelihood", {}, None),
               "reveal": lambda s: store.reveal(room.code, s),
               "touch": lambda s: store.touch(room.code, s),
               "close": lambda s: store.close(room.code, s)}
    before = store.view(room.code)
    for wrong in (other.secret, room.secret[:-1], room.secret + "x", "", None, 12345, room.code):
        with pytest.raises(NotPresenter):
            actions[call](wrong)
    assert store.view(room.code) == before
    actions[call](room.secret)  # and the right secret works


def test_a_forged_or_closed_code_is_refused(store):
    room = opened_with_question(store)
    forged = next(c for c in ("2" * 10, "3" * 10) if c != room.code)
    for action in (lambda c: store.version(c), lambda c: store.view(c), lambda c: store.counts(c, QUESTION.token),
                   lambda c: store.vote(c, QUESTION.token, "phone", 0),
                   lambda c: store.publish(c, room.secret, "Likelihood", {}, None),
                   lambda c: store.reveal(c, room.secret)):
        with pytest.raises(RoomNotFound, match="does not exist or has ended"):
            action(forged)
    store.close(room.code, room.secret)
    with pytest.raises(RoomNotFound):
        store.version(room.code)
    with pytest.raises(RoomNotFound):
        store.vote(room.code, QUESTION.token, "phone", 0)


@pytest.mark.parametrize("code", ["", "ABC", "2" * 11, "0" * 10, "OOOOOOOOOO", "22222 2222!", "２" * 10,
                                  "2" * 10_000, None, 2222222222, ["2" * 10]])
def test_a_code_that_cannot_be_one_is_refused_before_the_store_is_asked(store, code):
    with pytest.raises(Refused, match="10 letters and digits"):
        store.version(code)


# --- votes -----------------------------------------------------------------------------------------

def test_one_vote_per_voter_and_a_second_pick_replaces_the_first(store):
    room = opened_with_question(store)
    assert store.counts(room.code, QUESTION.token) == (0, 0, 0)
    for voter, option in (("a", 0), ("b", 0), ("c", 2), ("a", 1), ("a", 1), ("b", 2)):
        store.vote(room.code, QUESTION.token, voter, option)
    assert store.counts(room.code, QUESTION.token) == (0, 1, 2)   # a: 1, b: 2, c: 2
    assert store.version(room.code) == 1   # votes do not move the view


def test_votes_count_only_for_the_question_on_screen_and_its_options(store):
    room = store.open()
    with pytest.raises(VoteRefused) as refused:
        store.vote(room.code, QUESTION.token, "a", 0)
    assert refused.value.reason == "no question"
    store.publish(room.code, room.secret, "Probability", PARAMS, QUESTION)
    store.vote(room.code, QUESTION.token, "a", 2)
    for option in (3, rooms.MAX_OPTIONS - 1, rooms.MAX_OPTIONS, -1, 10**30):
        with pytest.raises(VoteRefused) as refused:
            store.vote(room.code, QUESTION.token, "b", option)
        assert refused.value.reason == "option"
    store.publish(room.code, room.secret, "Likelihood", {}, OTHER_QUESTION)   # the presenter moves on
    with pytest.raises(VoteRefused, match="no longer on the presenter's screen") as refused:
        store.vote(room.code, QUESTION.token, "b", 0)
    assert refused.value.reason == "not current"
    store.vote(room.code, OTHER_QUESTION.token, "b", 1)
    assert store.counts(room.code, OTHER_QUESTION.token) == (0, 1, 0)
    store.publish(room.code, room.secret, "Probability", PARAMS, QUESTION)    # and back: the votes stayed
    assert store.counts(room.code, QUESTION.token) == (0, 0, 1)
    store.publish(room.code, room.secret, "Likelihood", {}, None)
    with pytest.raises(VoteRefused):
        store.vote(room.code, QUESTION.token, "c", 0)


def test_a_room_keeps_the_votes_of_its_latest_questions_only(store):
    room = store.open()
    tokens = [f"q{i}" for i in range(rooms.MAX_QUESTIONS + 1)]
    for token in tokens:
        store.publish(room.code, room.secret, "Probability", {"mu": token}, Poll(token, ("yes", "no")))
        store.vote(room.code, token, "a", 1)
    assert store.counts(room.code, tokens[0]) == ()   # the oldest was dropped
    assert all(store.counts(room.code, t) == (0, 1) for t in tokens[1:])
    store.publish(room.code, room.secret, "Probability", {"mu": "again"}, Poll(tokens[1], ("yes", "no")))
    store.publish(room.code, room.secret, "Probability", {"mu": "new"}, Poll("fresh", ("yes", "no")))
    assert store.counts(room.code, tokens[1]) == (0, 1)   # seen again, so it is among the latest
    assert store.counts(room.code, tokens[2]) == ()


def test_reveal_shows_the_answer_to_everyone_and_closes_the_votes(store):
    room = store.open()
    store.publish(room.code, room.secret, "Likelihood", {}, None)
    with pytest.raises(VoteRefused):
        store.reveal(room.code, room.secret)   # nothing to reveal
    store.publish(room.code, room.secret, "Probability", PARAMS, QUESTION)
    store.vote(room.code, QUESTION.token, "a", 1)
    assert store.reveal(room.code, room.secret) == 3
    assert store.view(room.code).revealed and store.version(room.code) == 3
    assert store.reveal(room.code, room.secret) == 3   # once is enough
    with pytest.raises(VoteRefused, match="revealed"):
        store.vote(room.code, QUESTION.token, "late", 0)
    assert store.counts(room.code, QUESTION.token) == (0, 1, 0)
    store.publish(room.code, room.secret, "Likelihood", {}, OTHER_QUESTION)
    assert not store.view(room.code).revealed
    store.vote(room.code, OTHER_QUESTION.token, "late", 0)   # a new question is open to votes
    store.publish(room.code, room.secret, "Probability", PARAMS, QUESTION)
    assert store.view(room.code).revealed   # a revealed question stays revealed


# --- expiry ----------------------------------------------------------------------------------------

def test_a_room_ends_when_its_presenter_is_away_for_its_ttl(backend):
    store = backend.store(ttl=1.0)
    room, idle = opened_with_question(store), store.open()
    backend.later(0.6)
    store.touch(room.code, room.secret)               # the presenter's activity keeps it alive
    backend.later(0.6)                                # 1.2 s since it opened, 0.6 since the touch
    assert store.version(room.code) == 1
    with pytest.raises(RoomNotFound):
        store.version(idle.code)                      # never touched: gone after its second
    store.vote(room.code, QUESTION.token, "a", 0)     # the followers' calls do not keep it alive
    assert store.view(room.code).version == 1
    backend.later(0.6)                                # 1.2 s since the presenter's last call
    for action in (lambda: store.version(room.code), lambda: store.counts(room.code, QUESTION.token),
                   lambda: store.publish(room.code, room.secret, "Likelihood", {}, None)):
        with pytest.raises(RoomNotFound):
            action()


def test_an_ended_room_leaves_no_keys_in_redis(redis_backend):
    import redis

    backend = redis_backend

    store = backend.store(ttl=0.5)
    room = opened_with_question(store)
    for i in range(3):
        store.publish(room.code, room.secret, "Probability", {"i": str(i)}, Poll(f"t{i}", ("a", "b")))
        store.vote(room.code, f"t{i}", "phone", 1)
    closed = opened_with_question(store)
    store.close(closed.code, closed.secret)
    with redis.Redis.from_url(backend.url) as client:
        assert {k.decode() for k in client.keys("room:*")} == {f"room:{{{room.code}}}", f"room:{{{room.code}}}:tokens",
                                                               *(f"room:{{{room.code}}}:q:{t}" for t in
                                                                 (QUESTION.token, "t0", "t1", "t2"))}
        assert all(0 < client.pttl(k) <= 500 for k in client.keys("room:*"))
        time.sleep(0.7)
        assert client.keys("room:*") == []


# --- bounds ----------------------------------------------------------------------------------------

HOSTILE_NAMES = ["", "x" * (rooms.MAX_NAME + 1), "a b", "a/b", "é", "<script>", "a\x00", None, 7, b"abc"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_follower_cannot_send_a_long_or_strange_token_or_voter_id(store, name):
    room = opened_with_question(store)
    with pytest.raises(Refused):
        store.vote(room.code, name, "phone", 0)
    with pytest.raises(Refused):
        store.vote(room.code, QUESTION.token, name, 0)
    with pytest.raises(Refused):
        store.counts(room.code, name)


@pytest.mark.parametrize("option", ["0", 0.0, True, None, [0]])
def test_an_option_is_an_integer(store, option):
    room = opened_with_question(store)
    with pytest.raises(Refused):
        store.vote(room.code, QUESTION.token, "phone", option)
    assert store.counts(room.code, QUESTION.token) == (0, 0, 0)


@pytest.mark.parametrize("path, params, poll", [
    ("x" * (rooms.MAX_PATH + 1), {}, None),
    ("../secret", {}, None),
    ("Probability", {f"k{i}": "1" for i in range(rooms.MAX_PARAMS + 1)}, None),
    ("Probability", {"k" * (rooms.MAX_KEY + 1): "1"}, None),
    ("Probability", {"a b": "1"}, None),
    ("Probability", {"mu": 45.0}, None),
    ("Probability", {"data": "1" * rooms.MAX_VIEW}, None),
    ("Probability", [("mu", "1")], None),
    ("Probability", {}, Poll("t", ("only one",))),
    ("Probability", {}, Poll("t", tuple("abcdefghi"))),
    ("Probability", {}, Poll("t", ("a", "b" * (rooms.MAX_OPTION + 1)))),
    ("Probability", {}, Poll("bad token", ("a", "b"))),
])
def test_a_view_out_of_bounds_is_refused_and_the_last_one_stays(store, path, params, poll):
    room = opened_with_question(store)
    with pytest.raises(Refused):
        store.publish(room.code, room.secret, path, params, poll)
    assert store.view(room.code).params == PARAMS


def test_a_view_names_what_no_link_carries_and_a_change_of_it_is_a_new_version(store):
    room = store.open()
    assert store.publish(room.code, room.secret, "Bigram_model", {}, None) == 1
    assert store.view(room.code).unlinked == ()
    assert store.publish(room.code, room.secret, "Bigram_model", {}, None, ("uploaded names",)) == 2
    assert store.view(room.code).unlinked == ("uploaded names",)
    assert store.publish(room.code, room.secret, "Bigram_model", {}, None, ("uploaded names",)) == 2


@pytest.mark.parametrize("unlinked", [
    ("",), ("x" * (rooms.MAX_UNLINKED_TEXT + 1),), tuple("abcde"[: rooms.MAX_UNLINKED + 1]), ["uploaded names"],
    (3,),
])
def test_what_no_link_carries_is_bounded(store, unlinked):
    room = opened_with_question(store)
    with pytest.raises(Refused):
        store.publish(room.code, room.secret, "Probability", {}, None, unlinked)
    assert store.view(room.code).params == PARAMS and store.view(room.code).unlinked == ()


def test_a_question_holds_at_most_max_voters(store):
    room = opened_with_question(store)
    for i in range(rooms.MAX_VOTERS):
        store.vote(room.code, QUESTION.token, f"v{i}", i % 3)
    with pytest.raises(VoteRefused, match="voters") as refused:
        store.vote(room.code, QUESTION.token, "one-more", 0)
    assert refused.value.reason == "full"
    store.vote(room.code, QUESTION.token, "v0", 2)   # a voter already counted may still change
    assert sum(store.counts(room.code, QUESTION.token)) == rooms.MAX_VOTERS


def test_a_store_holds_at_most_max_rooms_and_ended_ones_make_room(backend):
    store = backend.store(ttl=1.0)
    for _ in range(rooms.MAX_ROOMS):
        store.open()
    with pytest.raises(RoomsFull):
        store.open()
    backend.later(1.2)
    store.open()


# Whatever a follower sends, in any order, the view stays as the presenter published it.
follower_call = st.one_of(
    st.tuples(st.just("vote"), st.one_of(st.text(max_size=80), st.sampled_from([QUESTION.token, OTHER_QUESTION.token])),
              st.text(max_size=80), st.one_of(st.integers(-5, 20), st.none(), st.booleans(), st.floats())),
    st.tuples(st.just("counts"), st.text(max_size=80)),
    st.tuples(st.just("read"), st.text(max_size=30)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.lists(follower_call, max_size=20))
def test_nothing_a_follower_sends_changes_the_view(store, calls):
    room = opened_with_question(store)
    before = store.view(room.code)
    for call in calls:
        try:
            if call[0] == "vote":
                store.vote(room.code, *call[1:])
            elif call[0] == "counts":
                store.counts(room.code, call[1])
            else:
                store.view(call[1])
        except RoomError:
            pass  # every refusal is one the UI can word; anything else fails the test
    assert store.view(room.code) == before
    assert sum(store.counts(room.code, QUESTION.token)) <= len(calls)
    store.close(room.code, room.secret)   # one room per example: the store's cap is not the subject


# --- many at once ---------------------------------------------------------------------------------

def at_once(work, threads: int) -> None:
    """work(0) ... work(threads - 1), each in its own thread; an exception in any fails the test."""
    with ThreadPoolExecutor(threads) as pool:
        for job in [pool.submit(work, t) for t in range(threads)]:
            job.result()


def test_votes_from_many_threads_at_once_are_all_counted_once(backend):
    store = backend.store()
    room = opened_with_question(store)
    threads, per_thread = 8, 30
    start = threading.Barrier(threads)
    expected = Counter()
    for t in range(threads):
        for i in range(per_thread):
            expected[f"t{t}v{i}"] = (t + i) % 3   # each voter's last pick

    def phones(t: int) -> None:
        mine = store if t % 2 else backend.client(store)   # half share one client, half have their own
        start.wait()
        for i in range(per_thread):
            mine.vote(room.code, QUESTION.token, f"t{t}v{i}", (t + i + 1) % 3)   # a first pick...
        for i in range(per_thread):
            mine.vote(room.code, QUESTION.token, f"t{t}v{i}", (t + i) % 3)       # ...then changed

    at_once(phones, threads)
    counts = Counter(expected.values())
    assert store.counts(room.code, QUESTION.token) == (counts[0], counts[1], counts[2])


def test_publishes_from_many_threads_each_bump_the_version_once(backend):
    store = backend.store()
    room = store.open()
    threads, per_thread = 4, 25
    start = threading.Barrier(threads)

    def presenter(t: int) -> None:
        start.wait()
        for i in range(per_thread):
            store.publish(room.code, room.secret, "Probability", {"mu": f"{t}.{i}"}, None)

    at_once(presenter, threads)
    assert store.version(room.code) == threads * per_thread


# --- replicas (Redis) ------------------------------------------------------------------------------

def test_replicas_share_a_room_and_one_dropping_its_client_loses_nothing(redis_backend):
    """Redis only: memory rooms live in one process, by design."""
    backend = redis_backend
    first, second = backend.store(), backend.store()
    room = opened_with_question(first)
    assert second.view(room.code) == first.view(room.code)
    second.vote(room.code, QUESTION.token, "phone-on-second", 1)
    first.vote(room.code, QUESTION.token, "phone-on-first", 1)
    first.disconnect()
    del first                                          # the first replica is gone
    assert second.counts(room.code, QUESTION.token) == (0, 2, 0)
    assert second.publish(room.code, room.secret, "Likelihood", {"muA": "27.0"}, None) == 2
    third = backend.store()                            # a replica started afterwards
    assert dict(third.view(room.code).params) == {"muA": "27.0"}
    with pytest.raises(NotPresenter):
        third.publish(room.code, "forged", "Probability", {}, None)


def test_a_redis_that_does_not_answer_is_a_room_error():
    store = RedisRooms(f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.version("2" * 10)
    assert time.monotonic() - started < 10


def test_the_store_is_chosen_by_redis_url(redis_url):
    assert isinstance(rooms.from_environment({}), MemoryRooms)
    chosen = rooms.from_environment({"REDIS_URL": redis_url})
    assert isinstance(chosen, RedisRooms)
    assert chosen.version(chosen.open().code) == 0
