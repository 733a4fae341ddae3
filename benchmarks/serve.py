"""Start the real app as the README does (`streamlit run app.py`), for browser, load and benchmark runs.

The server runs from the app's folder with that folder's own .streamlit/config.toml, which is the
production config (no file watcher, headless, ...). The only flags added are the ones a test must
set: a free port, and by default the loopback address (the README's command listens on every
interface; a test has no business doing that). A flag that changes what a request costs, such as
`--server.fileWatcherType`, belongs in the config, where the README's command reads it too, never
here. STREAMLIT_* variables of the caller's environment are dropped for the same reason.
"""
from __future__ import annotations

import collections
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
LOOPBACK = "127.0.0.1"

# Run in the server's interpreter before Streamlit (watch_network=True): reports on stderr, as a
# line starting with OUTBOUND, every name lookup, connect or datagram the server makes to a host
# other than this machine, through Python's audit hooks (PEP 578). Nothing is blocked.
OUTBOUND = "OUTBOUND"
_NETWORK_HOOK = """
import ipaddress, sys

def _here(host):
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in (None, "", "localhost"):
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified

def _hook(event, args):
    if not event.startswith("socket."):
        return
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        if not isinstance(address, tuple):
            return  # a Unix socket: local by definition
        host = address[0]
    else:
        return
    if not _here(host):
        print(f"OUTBOUND {event} {host!r}", file=sys.__stderr__, flush=True)

sys.addaudithook(_hook)
from streamlit.web.cli import main
main(prog_name="streamlit")
"""


def require_chromium() -> None:
    """Skip the calling test module when Debian's Chromium is missing; under CI=true, fail instead."""
    import pytest

    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`."
        if os.environ.get("CI") == "true":
            raise RuntimeError(message)
        pytest.skip(message, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def streamlit_command(port: int, *extra_args: str, app_name: str = "app.py",
                      address: str | None = LOOPBACK, watch_network: bool = False) -> list[str]:
    """The README's `streamlit run app.py`, with the port (and address) a test needs."""
    python = [sys.executable, "-c", _NETWORK_HOOK] if watch_network else [sys.executable, "-m", "streamlit"]
    where = ["--server.address", address] if address is not None else []
    return [*python, "run", app_name, "--server.port", str(port), *where, *extra_args]


@contextlib.contextmanager
def running_app(*extra_args: str, app: Path = ROOT / "app.py", timeout: float = 60.0,
                address: str | None = LOOPBACK, watch_network: bool = False, environ: dict | None = None):
    """Yield (base_url, process) of a fresh server for `app` (the dashboard); stop it afterwards.

    `address=None` listens where the README's command does (every interface). The server's
    output (stdout and stderr) is read in a thread into `process.log`, the last 500 lines, so a
    full pipe never blocks the server. `watch_network=True` adds the audit hook above: any line
    of the log starting with OUTBOUND is a request that would have left the machine. `environ`:
    variables to add (LIKELIHOOD_WARMUP=0 for a server whose first visitor is its first run).
    """
    port = free_port()
    cmd = streamlit_command(port, *extra_args, app_name=app.name, address=address, watch_network=watch_network)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    proc = subprocess.Popen(cmd, cwd=app.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**env, "PYTHONUNBUFFERED": "1", **(environ or {})})
    proc.log = collections.deque(maxlen=500)

    def drain():
        for line in proc.stdout:
            proc.log.append(line.decode(errors="replace").rstrip())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    reader.join(2)
                    raise RuntimeError("streamlit did not start: " + "\n".join(list(proc.log)[-40:]))
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(2)


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux), in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
