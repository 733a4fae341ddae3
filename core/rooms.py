"""Rooms: phones that follow a presenter's view, and the room's votes on its question.

Pure Python (no streamlit). One interface, `Rooms`, and two stores behind it:
- `MemoryRooms`: one server process, nothing to set up; thread-safe (Streamlit runs each session
  in its own thread) under one lock, as every operation takes microseconds.
- `RedisRooms`: every replica reads and writes the same Redis, so a room is the same whichever
  replica a phone lands on. Each operation that checks and then writes is one Lua script, so it
  is atomic however many replicas and threads call it at once.
`from_environment()` picks Redis when `REDIS_URL` is set, memory otherwise.

Who may do what:
- The presenter opens a room and gets its code (for the QR code) and a secret (kept in the
  presenter's session). Only calls with the secret change the view: publish, reveal, touch, close.
- A follower knows only the code: it reads the view (`version` first: the cheap poll), votes, and
  reads the count. Nothing it sends changes the view.

The rules a follower meets:
- A vote names the question by its token and counts only for the question on the presenter's
  screen, only for one of its options, and only until the answer is revealed.
- One vote per voter per question: voting again before the reveal replaces the voter's pick (the
  count always holds one pick per voter; a phone that tapped the wrong answer can fix it).
- Everything a follower sends is bounded (code, token, voter id, option); a room holds at most
  MAX_VOTERS voters per question and the votes of its MAX_QUESTIONS latest questions, and a store
  at most MAX_ROOMS rooms, so no one can grow the store without bound. With every bound reached,
  one room takes about 0.8 MB of a process's memory (measured with tracemalloc), a full store 80 MB.

Rooms expire ROOM_TTL seconds after the presenter's last publish, reveal or touch; reads and votes
do not keep a room alive. A forged or expired code raises RoomNotFound; every refusal is a
RoomError whose message can be shown as it is.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from core.formatting import count

ROOM_TTL = 30 * 60          # s without the presenter before a room ends
# Room codes: no 0/O, 1/I/L or U (read aloud or typed from a projector), 30 characters; 10 of
# them are 49 bits: at a thousand guesses a second, finding one of 100 live rooms takes ~190 years.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
MAX_ROOMS = 100             # live rooms in one store
MAX_QUESTIONS = 10          # questions whose votes a room keeps (the latest ones)
MAX_VOTERS = 500            # voters per question
MAX_OPTIONS = 8             # options of one question
MAX_OPTION = 200            # characters of one option's text
MAX_NAME = 64               # characters of a question token or a voter id
MAX_PATH = 100              # characters of a chapter's url path
MAX_PARAMS = 32             # controls in a view
MAX_KEY = 32                # characters of a control's name
MAX_VIEW = 65_536           # characters of a whole view (a typed data set may take 30,000)
MAX_UNLINKED = 4            # parts of a view that no link carries (an upload, a path of steps)
MAX_UNLINKED_TEXT = 80      # characters of the words for one of them

_CODE_SHAPE = f"A room code has {CODE_LENGTH} letters and digits."
_NAME = re.compile(r"[A-Za-z0-9_-]+")       # tokens and voter ids
_KEY = re.compile(r"[A-Za-z0-9_.-]+")       # controls' names
_PATH = re.compile(r"[A-Za-z0-9_/-]*")      # chapters' url paths ("" is the home page)


class RoomError(Exception):
    """Anything a room refuses; the message says why in words a visitor can read."""


class RoomNotFound(RoomError):
    """No live room has this code: a mistyped or forged link, or a room that has ended."""

    def __init__(self) -> None:
        super().__init__("This room does not exist or has ended: ask the presenter for the current code.")


class NotPresenter(RoomError):
    """A call that needs the presenter's secret came without it."""

    def __init__(self) -> None:
        super().__init__("Only the presenter can change this room.")


class Refused(RoomError, ValueError):
    """An input outside its bounds (too long, bad characters, too many controls)."""


class VoteRefused(RoomError):
    """A well-formed vote that does not fit the room now: `reason` is one of the REASONS keys."""

    REASONS = {
        "no question": "There is no question to vote on right now.",
        "not current": "This question is no longer on the presenter's screen.",
        "revealed": "The answer is already revealed: votes are closed.",
        "option": "That is not one of this question's options.",
        "full": f"This question already has {count(MAX_VOTERS, 'voter')}.",
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.REASONS[reason])


class RoomsFull(RoomError):
    def __init__(self) -> None:
        super().__init__(f"This server already holds {count(MAX_ROOMS, 'room')}: try again later.")


class StoreUnavailable(RoomError):
    """The shared store (Redis) did not answer."""

    def __init__(self) -> None:
        super().__init__("The rooms are unavailable for a moment: try again.")


@dataclass(frozen=True)
class Poll:
    """The question on the presenter's screen: a token that names its content, and its options."""
    token: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class View:
    """What a follower shows. version 0: the presenter has published nothing yet."""
    version: int
    path: str = ""
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    poll: Poll | None = None
    revealed: bool = False      # the poll's answer is revealed
    unlinked: tuple[str, ...] = ()   # what the presenter's screen shows that no link carries, in words


@dataclass(frozen=True)
class Opened:
    code: str      # goes into the QR code
    secret: str    # stays in the presenter's session


# --- the checks every store shares ---------------------------------------------------------------

def normal_code(code: object) -> str:
    """The code as stored (upper case, no spaces or dashes), or Refused if it cannot be one."""
    if not isinstance(code, str) or len(code) > 2 * CODE_LENGTH:
        raise Refused(_CODE_SHAPE)
    code = code.upper().replace("-", "").replace(" ", "")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise Refused(_CODE_SHAPE)
    return code


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_NAME or not _NAME.fullmatch(value):
        raise Refused(f"A {what} has 1 to {MAX_NAME} letters, digits, '-' or '_'.")
    return value


def _option(option: object) -> int:
    if type(option) is not int:   # bool is not an option either
        raise Refused("An option is given by its number.")
    if not 0 <= option < MAX_OPTIONS:
        raise VoteRefused("option")
    return option


def _view_json(path: object, params: object, poll: Poll | None, unlinked: object = ()) -> str:
    """The view as one JSON text (the form both stores keep), after checking its bounds."""
    if not isinstance(path, str) or len(path) > MAX_PATH or not _PATH.fullmatch(path):
        raise Refused(f"A chapter's path has at most {MAX_PATH} letters, digits, '/', '-' or '_'.")
    if not isinstance(params, Mapping) or len(params) > MAX_PARAMS:
        raise Refused(f"A view has at most {count(MAX_PARAMS, 'control')}.")
    for key, value in params.items():
        if not isinstance(key, str) or len(key) > MAX_KEY or not _KEY.fullmatch(key):
            raise Refused(f"A control's name has 1 to {MAX_KEY} letters, digits, '.', '-' or '_'.")
        if not isinstance(value, str):
            raise Refused("A control's value is text.")
    question = None
    if poll is not None:
        options = tuple(poll.options)
        if not 2 <= len(options) <= MAX_OPTIONS or not all(isinstance(o, str) and len(o) <= MAX_OPTION
                                                             for o in options):
            raise Refused(f"A question has 2 to {MAX_OPTIONS} options of at most {count(MAX_OPTION, 'character')}.")
        question = [_name(poll.token, "question token"), list(options)]
    if not isinstance(unlinked, tuple) or len(unlinked) > MAX_UNLINKED or not all(
            isinstance(u, str) and 0 < len(u) <= MAX_UNLINKED_TEXT for u in unlinked):
        raise Refused(f"A view names at most {count(MAX_UNLINKED, 'part')} that no link carries, "
                      f"each in at most {count(MAX_UNLINKED_TEXT, 'character')}.")
    text = json.dumps({"path": path, "params": dict(params), "poll": question, "unlinked": list(unlinked)},
                      ensure_ascii=False)
    if len(text) > MAX_VIEW:
        raise Refused(f"A view has at most {count(MAX_VIEW, 'character')}.")
    return text


def _view(version: int, text: str | None, revealed: bool) -> View:
    if not text:
        return View(version)
    data = json.loads(text)
    poll = Poll(data["poll"][0], tuple(data["poll"][1])) if data["poll"] else None
    # .get: a view a store kept from before views named what no link carries
    return View(version, data["path"], MappingProxyType(data["params"]), poll, revealed,
                tuple(data.get("unlinked", ())))


def _digest(secret: object) -> bytes:
    return hashlib.sha256(secret.encode() if isinstance(secret, str) else b"").digest()


def _is_secret(stored: bytes, given: object) -> bool:
    """Constant time in the secret: what the comparison's time could leak is about a hash of it."""
    return isinstance(given, str) and hmac.compare_digest(stored, _digest(given))


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# --- the interface -------------------------------------------------------------------------------

class Rooms(ABC):
    """A room store. Each public method checks its inputs, then asks the back end."""

    def __init__(self, ttl: float = ROOM_TTL):
        self.ttl = ttl

    def open(self) -> Opened:
        """A new room, alive for `ttl` s unless the presenter publishes, reveals or touches it."""
        secret = secrets.token_urlsafe(32)
        for _ in range(8):  # a code already in use (rare: 49 bits) is drawn again
            code = _new_code()
            if self._open(code, _digest(secret)):
                return Opened(code, secret)
        raise RuntimeError("could not draw an unused room code")

    def publish(self, code: str, secret: str, path: str, params: Mapping[str, str],
                poll: Poll | None = None, unlinked: tuple[str, ...] = ()) -> int:
        """Put the presenter's view in the room; its version, bumped if the view changed.
        `unlinked`: what the presenter's screen shows that no link carries, in words.

        A question the room has seen before keeps its votes and its reveal."""
        return self._publish(self._authorised(code, secret), _view_json(path, params, poll, unlinked),
                             poll.token if poll else "", len(poll.options) if poll else 0)

    def reveal(self, code: str, secret: str) -> int:
        """Reveal the answer of the question on screen (votes close); the view's new version."""
        return self._reveal(self._authorised(code, secret))

    def touch(self, code: str, secret: str) -> None:
        """Keep the room alive for another `ttl` s."""
        self._touch(self._authorised(code, secret))

    def close(self, code: str, secret: str) -> None:
        """End the room now: its code is refused from then on."""
        self._close(self._authorised(code, secret))

    def version(self, code: str) -> int:
        """The view's version: the followers' poll, one small read."""
        return self._version(normal_code(code))

    def view(self, code: str) -> View:
        return self._view(normal_code(code))

    def vote(self, code: str, token: str, voter: str, option: int) -> None:
        """`voter` picks `option` of the question named `token`; a second pick replaces the first."""
        self._vote(normal_code(code), _name(token, "question token"), _name(voter, "voter id"), _option(option))

    def counts(self, code: str, token: str) -> tuple[int, ...]:
        """Votes per option of the question `token`; () for a question the room does not keep."""
        return self._counts(normal_code(code), _name(token, "question token"))

    def _authorised(self, code: str, secret: str) -> str:
        code = normal_code(code)
        stored = self._secret(code)
        if stored is None:
            raise RoomNotFound()
        if not _is_secret(stored, secret):
            raise NotPresenter()
        return code

    # The back end's half: codes are normal, inputs checked, the secret verified.
    @abstractmethod
    def _open(self, code: str, digest: bytes) -> bool: """False if `code` is taken."""
    @abstractmethod
    def _secret(self, code: str) -> bytes | None: """The secret's digest, None for no room."""
    @abstractmethod
    def _publish(self, code: str, view: str, token: str, options: int) -> int: ...
    @abstractmethod
    def _reveal(self, code: str) -> int: ...
    @abstractmethod
    def _touch(self, code: str) -> None: ...
    @abstractmethod
    def _close(self, code: str) -> None: ...
    @abstractmethod
    def _version(self, code: str) -> int: ...
    @abstractmethod
    def _view(self, code: str) -> View: ...
    @abstractmethod
    def _vote(self, code: str, token: str, voter: str, option: int) -> None: ...
    @abstractmethod
    def _counts(self, code: str, token: str) -> tuple[int, ...]: ...


# --- in memory -----------------------------------------------------------------------------------

@dataclass
class _Question:
    options: int
    revealed: bool = False
    picks: dict[str, int] = field(default_factory=dict)   # voter -> option


@dataclass
class _Room:
    digest: bytes
    expires: float
    version: int = 0
    view: str = ""
    token: str = ""
    questions: OrderedDict[str, _Question] = field(default_factory=OrderedDict)  # oldest first


class MemoryRooms(Rooms):
    """Rooms in this process. `clock` (seconds, monotonic) is injectable for tests of expiry."""

    def __init__(self, ttl: float = ROOM_TTL, clock: Callable[[], float] = time.monotonic):
        super().__init__(ttl)
        self._clock = clock
        self._rooms: dict[str, _Room] = {}
        self._lock = threading.Lock()

    def _live(self, code: str) -> _Room:
        """The room (call under the lock); an expired one is dropped and refused."""
        room = self._rooms.get(code)
        if room is not None and room.expires <= self._clock():
            del self._rooms[code]
            room = None
        if room is None:
            raise RoomNotFound()
        return room

    def _kept_alive(self, code: str) -> _Room:
        room = self._live(code)
        room.expires = self._clock() + self.ttl
        return room

    def _open(self, code, digest):
        with self._lock:
            now = self._clock()
            for old in [c for c, r in self._rooms.items() if r.expires <= now]:
                del self._rooms[old]
            if len(self._rooms) >= MAX_ROOMS:
                raise RoomsFull()
            if code in self._rooms:
                return False
            self._rooms[code] = _Room(digest, now + self.ttl)
            return True

    def _secret(self, code):
        with self._lock:
            try:
                return self._live(code).digest
            except RoomNotFound:
                return None

    def _publish(self, code, view, token, options):
        with self._lock:
            room = self._kept_alive(code)
            if view != room.view:
                room.view, room.token, room.version = view, token, room.version + 1
                if token:
                    question = room.questions.pop(token, None) or _Question(options)
                    room.questions[token] = question  # now the latest
                    while len(room.questions) > MAX_QUESTIONS:
                        room.questions.popitem(last=False)
            return room.version

    def _reveal(self, code):
        with self._lock:
            room = self._kept_alive(code)
            if not room.token:
                raise VoteRefused("no question")
            question = room.questions[room.token]
            if not question.revealed:
                question.revealed, room.version = True, room.version + 1
            return room.version

    def _touch(self, code):
        with self._lock:
            self._kept_alive(code)

    def _close(self, code):
        with self._lock:
            self._rooms.pop(code, None)

    def _version(self, code):
        with self._lock:
            return self._live(code).version

    def _view(self, code):
        with self._lock:
            room = self._live(code)
            return _view(room.version, room.view, bool(room.token) and room.questions[room.token].revealed)

    def _vote(self, code, token, voter, option):
        with self._lock:
            room = self._live(code)
            if not room.token:
                raise VoteRefused("no question")
            if token != room.token:
                raise VoteRefused("not current")
            question = room.questions[token]
            if question.revealed:
                raise VoteRefused("revealed")
            if option >= question.options:
                raise VoteRefused("option")
            if voter not in question.picks and len(question.picks) >= MAX_VOTERS:
                raise VoteRefused("full")
            question.picks[voter] = option

    def _counts(self, code, token):
        with self._lock:
            question = self._live(code).questions.get(token)
            if question is None:
                return ()
            counts = [0] * question.options
            for option in question.picks.values():
                counts[option] += 1
            return tuple(counts)


# --- in Redis ------------------------------------------------------------------------------------
# Keys of room CODE (the braces keep them in one hash slot):
#   room:{CODE}          hash: secret (digest), version, view (JSON), token (of the question on
#                        screen, "" for none), options (its number), revealed ("1" or "0")
#   room:{CODE}:tokens   list: the tokens of the room's latest MAX_QUESTIONS questions, newest first
#   room:{CODE}:q:TOKEN  hash: options, revealed, v:VOTER -> option, c:OPTION -> count, voters
#   rooms:live           sorted set: every room's code, scored by when it expires (to count rooms)
# Every key of a room carries the room's TTL, set again by each of the presenter's calls.

_LUA_KEEP_ALIVE = """
local function keep_alive(room, tokens, live, code, ttl_ms)
  redis.call('PEXPIRE', room, ttl_ms)
  redis.call('PEXPIRE', tokens, ttl_ms)
  for _, token in ipairs(redis.call('LRANGE', tokens, 0, -1)) do
    redis.call('PEXPIRE', room .. ':q:' .. token, ttl_ms)
  end
  local now = redis.call('TIME')
  redis.call('ZADD', live, now[1] * 1000 + math.floor(now[2] / 1000) + ttl_ms, code)
end
"""

# KEYS: room, tokens, live; ARGV: code, ttl_ms, digest, max_rooms. 1 opened, 0 code taken, -3 full.
_LUA_OPEN = _LUA_KEEP_ALIVE + """
local now = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now[1] * 1000 + math.floor(now[2] / 1000))
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then return -3 end
redis.call('HSET', KEYS[1], 'secret', ARGV[3], 'version', 0, 'view', '', 'token', '', 'options', 0, 'revealed', '0')
keep_alive(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
return 1
"""

# KEYS: room, tokens, live; ARGV: code, ttl_ms, view, token, options, max_questions. The version, -1 for no room.
_LUA_PUBLISH = _LUA_KEEP_ALIVE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local token = ARGV[4]
if redis.call('HGET', KEYS[1], 'view') ~= ARGV[3] then
  local revealed = '0'
  if token ~= '' then
    local question = KEYS[1] .. ':q:' .. token
    redis.call('HSETNX', question, 'options', ARGV[5])
    revealed = redis.call('HGET', question, 'revealed') or '0'
    redis.call('LREM', KEYS[2], 0, token)
    redis.call('LPUSH', KEYS[2], token)
    while redis.call('LLEN', KEYS[2]) > tonumber(ARGV[6]) do
      redis.call('DEL', KEYS[1] .. ':q:' .. redis.call('RPOP', KEYS[2]))
    end
  end
  redis.call('HSET', KEYS[1], 'view', ARGV[3], 'token', token, 'options', ARGV[5], 'revealed', revealed)
  redis.call('HINCRBY', KEYS[1], 'version', 1)
end
keep_alive(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
return tonumber(redis.call('HGET', KEYS[1], 'version'))
"""

# KEYS: room, tokens, live; ARGV: code, ttl_ms. The version, -1 for no room, -2 for no question.
_LUA_REVEAL = _LUA_KEEP_ALIVE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local token = redis.call('HGET', KEYS[1], 'token')
if token == '' then return -2 end
if redis.call('HGET', KEYS[1], 'revealed') ~= '1' then
  redis.call('HSET', KEYS[1] .. ':q:' .. token, 'revealed', '1')
  redis.call('HSET', KEYS[1], 'revealed', '1')
  redis.call('HINCRBY', KEYS[1], 'version', 1)
end
keep_alive(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
return tonumber(redis.call('HGET', KEYS[1], 'version'))
"""

# KEYS: room, tokens, live; ARGV: code, ttl_ms. 1, or -1 for no room.
_LUA_TOUCH = _LUA_KEEP_ALIVE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
keep_alive(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
return 1
"""

# KEYS: room; ARGV: token, voter, option, max_voters. 'ok' or the reason it is refused.
_LUA_VOTE = """
local now = redis.call('HMGET', KEYS[1], 'token', 'options', 'revealed')
if not now[1] then return 'gone' end
if now[1] == '' then return 'no question' end
if now[1] ~= ARGV[1] then return 'not current' end
if now[3] == '1' then return 'revealed' end
if tonumber(ARGV[3]) >= tonumber(now[2]) then return 'option' end
local question = KEYS[1] .. ':q:' .. ARGV[1]
local before = redis.call('HGET', question, 'v:' .. ARGV[2])
if before == ARGV[3] then return 'ok' end
if before then
  redis.call('HINCRBY', question, 'c:' .. before, -1)
elseif tonumber(redis.call('HGET', question, 'voters') or '0') >= tonumber(ARGV[4]) then
  return 'full'
else
  redis.call('HINCRBY', question, 'voters', 1)
end
redis.call('HSET', question, 'v:' .. ARGV[2], ARGV[3])
redis.call('HINCRBY', question, 'c:' .. ARGV[3], 1)
return 'ok'
"""

# KEYS: room; ARGV: token. false for no room, else the count of each option ({} for no question kept).
_LUA_COUNTS = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local question = KEYS[1] .. ':q:' .. ARGV[1]
local counts = {}
for i = 1, tonumber(redis.call('HGET', question, 'options') or '0') do
  counts[i] = tonumber(redis.call('HGET', question, 'c:' .. (i - 1)) or '0')
end
return counts
"""


class RedisRooms(Rooms):
    """Rooms in the Redis at `url` (e.g. REDIS_URL=redis://localhost:6379/0): shared by replicas."""

    def __init__(self, url: str, ttl: float = ROOM_TTL):
        import redis  # only a replicated deployment needs the client

        super().__init__(ttl)
        self._errors = redis.RedisError
        # Short timeouts: a session waits at most a few seconds for a Redis that does not answer.
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._scripts = {name: self._redis.register_script(lua) for name, lua in (
            ("open", _LUA_OPEN), ("publish", _LUA_PUBLISH), ("reveal", _LUA_REVEAL),
            ("touch", _LUA_TOUCH), ("vote", _LUA_VOTE), ("counts", _LUA_COUNTS))}

    def disconnect(self) -> None:
        """Drop this client's connections (the rooms stay in Redis)."""
        self._redis.close()

    def _call(self, command: Callable, *args, **kwargs):
        try:
            return command(*args, **kwargs)
        except self._errors as error:
            raise StoreUnavailable() from error

    def _room_script(self, name: str, code: str, *args) -> int:
        """A presenter's script on room `code`: KEYS room, tokens, live; ARGV code, ttl_ms, *args."""
        keys = (f"room:{{{code}}}", f"room:{{{code}}}:tokens", "rooms:live")
        result = self._call(self._scripts[name], keys=keys, args=(code, int(self.ttl * 1000), *args))
        if result == -1:
            raise RoomNotFound()
        return result

    def _open(self, code, digest):
        opened = self._room_script("open", code, digest, MAX_ROOMS)
        if opened == -3:
            raise RoomsFull()
        return opened == 1

    def _secret(self, code):
        return self._call(self._redis.hget, f"room:{{{code}}}", "secret")

    def _publish(self, code, view, token, options):
        return self._room_script("publish", code, view, token, options, MAX_QUESTIONS)

    def _reveal(self, code):
        version = self._room_script("reveal", code)
        if version == -2:
            raise VoteRefused("no question")
        return version

    def _touch(self, code):
        self._room_script("touch", code)

    def _close(self, code):
        room = f"room:{{{code}}}"
        tokens = self._call(self._redis.lrange, f"{room}:tokens", 0, -1)
        self._call(self._redis.delete, room, f"{room}:tokens", *(f"{room}:q:{t.decode()}" for t in tokens))
        self._call(self._redis.zrem, "rooms:live", code)

    def _version(self, code):
        version = self._call(self._redis.hget, f"room:{{{code}}}", "version")
        if version is None:
            raise RoomNotFound()
        return int(version)

    def _view(self, code):
        version, view, revealed = self._call(self._redis.hmget, f"room:{{{code}}}", "version", "view", "revealed")
        if version is None:
            raise RoomNotFound()
        return _view(int(version), view.decode(), revealed == b"1")

    def _vote(self, code, token, voter, option):
        outcome = self._call(self._scripts["vote"], keys=(f"room:{{{code}}}",),
                             args=(token, voter, option, MAX_VOTERS)).decode()
        if outcome == "gone":
            raise RoomNotFound()
        if outcome != "ok":
            raise VoteRefused(outcome)

    def _counts(self, code, token):
        counts = self._call(self._scripts["counts"], keys=(f"room:{{{code}}}",), args=(token,))
        if counts is None:
            raise RoomNotFound()
        return tuple(counts)


def from_environment(environ: Mapping[str, str] = os.environ) -> Rooms:
    """Redis when REDIS_URL is set (replicas share the rooms), this process's memory otherwise."""
    url = environ.get("REDIS_URL")
    return RedisRooms(url) if url else MemoryRooms()
