"""A local run (deploy/local.sh) from Python, and what HAProxy says about its replicas.

    python deploy/balancer.py status [SOCKET]     each replica slot: state, address, cookie

Used by tests/test_balancer.py and benchmarks/replicas.py: `LocalRun` starts
`deploy/local.sh N PORT [flags]`, waits until it says ready, knows each replica's port and
process id, maps an affinity cookie to its replica through HAProxy's runtime API, and stops
the run with the signal a person would send (SIGTERM, or SIGINT for Ctrl-C). local.sh runs in a
process group of its own, which `stop` empties whatever happened before: a test that failed, a
local.sh that hung or was killed before its trap could stop the replicas and HAProxy.
"""
from __future__ import annotations

import collections
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL_SH = ROOT / "deploy" / "local.sh"
HAPROXY = "/usr/sbin/haproxy"


def haproxy_path() -> str | None:
    """Debian's haproxy, or one on PATH; None when the machine has none."""
    for candidate in (os.environ.get("HAPROXY"), HAPROXY):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    from shutil import which
    return which("haproxy")


def show_stat(sock_path: str | Path) -> list[dict[str, str]]:
    """HAProxy's `show stat` as one dict per row (frontend, each server slot, backend)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(sock_path))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    lines = [line for line in data.decode().splitlines() if line]
    header = lines[0].lstrip("# ").split(",")
    return [dict(zip(header, line.split(","))) for line in lines[1:]]


def replica_rows(sock_path: str | Path) -> list[dict[str, str]]:
    """The backend's server slots that DNS filled (the others stay in maintenance without an address)."""
    return [r for r in show_stat(sock_path)
            if r["pxname"] == "replicas" and r["svname"] not in ("BACKEND", "FRONTEND") and r.get("addr")]


def free_port_run(n: int, attempts: int = 50) -> int:
    """A port P with P..P+n all free on loopback (TCP), for local.sh n P."""
    for _ in range(attempts):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n >= 65536:
            continue
        ok = True
        for port in range(base, base + n + 1):
            with socket.socket() as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no run of free ports found")


@dataclass
class LocalRun:
    """`deploy/local.sh n PORT *flags` in the background; a context manager."""
    n: int
    flags: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 240.0
    port: int = 0
    proc: subprocess.Popen | None = None
    pids: dict[int, int] = field(default_factory=dict)   # replica port -> streamlit's pid
    haproxy_pid: int | None = None
    log: collections.deque = field(default_factory=lambda: collections.deque(maxlen=5000))
    socket_path: Path | None = None
    _tmp: tempfile.TemporaryDirectory | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalRun:
        self._tmp = tempfile.TemporaryDirectory(prefix="balancer-test-")
        self.socket_path = Path(self._tmp.name) / "haproxy.sock"
        self.port = free_port_run(self.n)
        # As benchmarks/serve.py does: the replicas read the project's config, not the caller's STREAMLIT_*.
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        env = {**env, "PYTHON": sys.executable, "HAPROXY_SOCKET": str(self.socket_path),
               "PYTHONUNBUFFERED": "1", **self.env}
        haproxy = haproxy_path()
        if haproxy:
            env["HAPROXY"] = haproxy
        # A process group of its own: everything local.sh starts (replicas, HAProxy, the DNS
        # server, their children) can be found and ended together, even without local.sh.
        self.proc = subprocess.Popen(["bash", str(LOCAL_SH), str(self.n), str(self.port), *self.flags],
                                     cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=_default_signals)
        ready = threading.Event()

        def drain():
            for raw in self.proc.stdout:
                line = raw.decode(errors="replace").rstrip()
                self.log.append(line)
                m = re.search(r"\[local\.sh\] replica \d+: pid (\d+) on 127\.0\.0\.1:(\d+)", line)
                if m:
                    self.pids[int(m[2])] = int(m[1])
                m = re.search(r"\[local\.sh\] haproxy: pid (\d+)", line)
                if m:
                    self.haproxy_pid = int(m[1])
                if "[local.sh] ready:" in line:
                    ready.set()
            ready.set()  # the script ended: stop waiting

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(self.timeout) or self.proc.poll() is not None:
            tail = "\n".join(list(self.log)[-40:])
            self.stop()
            raise RuntimeError(f"local.sh did not get ready:\n{tail}")
        self.wait_all_up()
        return self

    def wait_all_up(self, timeout: float = 30.0) -> list[dict[str, str]]:
        """Until HAProxy reports every replica UP (DNS resolved, checks passed)."""
        deadline = time.monotonic() + timeout
        while True:
            rows = replica_rows(self.socket_path)
            if len(rows) == self.n and all(r["status"] == "UP" for r in rows):
                return rows
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas not all UP: {[(r['svname'], r['status']) for r in rows]}")
            time.sleep(0.2)

    def replica_for_cookie(self, cookie: str) -> tuple[str, int, int]:
        """(slot name, port, pid) of the replica an affinity cookie value names."""
        for row in replica_rows(self.socket_path):
            if row.get("cookie") == cookie:
                port = int(row["addr"].rsplit(":", 1)[1])
                return row["svname"], port, self.pids[port]
        raise KeyError(f"no replica has cookie {cookie!r}")

    def alive(self) -> list[int]:
        """The pids of this run's processes still alive: local.sh and the replicas."""
        pids = [self.proc.pid] if self.proc else []
        pids += list(self.pids.values())
        return [pid for pid in pids if _alive(pid)]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> tuple[float, list[int]]:
        """Send `sig` to local.sh and wait for it to end. Returns the seconds it took and the
        processes of the run still alive after it (then killed here with the whole process
        group, so that no test leaves a replica or HAProxy behind, whatever it did)."""
        started = time.monotonic()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        took = time.monotonic() - started
        left = kill_group(self.proc.pid) if self.proc else []
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None
        return took, left

    def __enter__(self) -> LocalRun:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _default_signals() -> None:
    """In the child, before bash starts: Ctrl-C and SIGTERM as the defaults. bash cannot trap a
    signal that was ignored when it started, and a caller (a test runner's worker) may ignore SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def group_members(pgid: int) -> list[int]:
    """The live processes (not zombies) of process group `pgid`."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    state, _ppid, pgrp = f.read().rsplit(")", 1)[1].split()[:3]
            except (OSError, ValueError):
                continue
            if state != "Z" and int(pgrp) == pgid:
                members.append(int(entry))
    return members


def kill_group(pgid: int, grace: float = 3.0, timeout: float = 10.0) -> list[int]:
    """Give process group `pgid` `grace` seconds to end by itself (a log pipe flushing its last
    lines), then SIGKILL whatever is left and wait until it is gone. Returns the pids left."""
    deadline = time.monotonic() + grace
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
    return left


def _alive(pid: int) -> bool:
    """A live process (not a zombie) with this id."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "status":
        sock = argv[1] if len(argv) > 1 else os.environ.get("HAPROXY_SOCKET", "/tmp/haproxy.sock")
        for row in replica_rows(sock):
            print(f"{row['svname']:10} {row['status']:8} {row['addr']:22} cookie {row['cookie']}  "
                  f"sessions now {row['scur']}, total {row['stot']}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
