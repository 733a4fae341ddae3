"""The container check: build the image and the compose stack from the repo's files, run them, remove them.

    python deploy/container_check.py            # CI runs it after the test suite (.ci/run)

1. Tools: podman with runc, debootstrap, podman-compose, Chromium. A missing one is said, the
   steps that need it CANNOT RUN, and the check exits 77: never 0, never silently.
2. Base images. The Dockerfile's `FROM` and compose.yaml's haproxy and redis images come from a
   registry these machines cannot reach. An image of that exact name already here is used as it is;
   otherwise a stand-in is built under that name: Debian bookworm (`debootstrap --variant=minbase`,
   its tarball cached in ~/.cache/likelihood-container) with Debian's python3, haproxy or
   redis-server installed by deploy/standins/*.Containerfile.
3. The image: `podman build` of the Dockerfile as shipped. Only the build argument TORCH_INDEX
   differs where this machine has torch's CPU wheel (/opt/wheels, or $TORCH_WHEELS): a loopback
   server here serves it as a one-package index. RUN steps use the host's network.
4. One replica, as `docker run -p` would start it: with PORT set, its HEALTHCHECK turns healthy,
   every page of core/story.py opens over HTTP (the page, and its run through the agent API with
   no exception), it runs as a user without privileges who cannot change the app, and
   `podman stop` (SIGTERM) ends it with status 0 within the grace period.
5. The stack: `podman-compose up -d` of compose.yaml with a small override (the image just built,
   HAProxy's runtime API in a folder here, HOST_PORT on loopback). Both replicas and Redis turn
   healthy, HAProxy has both replicas UP, a replica reaches Redis at its REDIS_URL, and
   tests/test_compose_stack.py runs in Chromium through the balancer (a page, an upload, Train,
   the replica stopped mid-visit). Then every container stops on its stop signal with status 0.
6. Everything it made (containers, network, images, the index server, temporary files) is
   removed, also after a failure or a SIGTERM; the cached tarball stays.

Exit 0: every step ran and passed. 1: a defect (the first one ends the check; its log's tail is
printed, the whole log is kept in the cache folder as last-run.log). 77: a step could not run here.
podman without systemd runs no health checks by itself: the check runs the image's HEALTHCHECK
with `podman healthcheck run` and reads the state podman keeps.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from core import story  # noqa: E402
from deploy import balancer  # noqa: E402

CACHE = Path(os.environ.get("LIKELIHOOD_CONTAINER_CACHE")
             or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "likelihood-container")
MINBASE_TAR = CACHE / "debian-bookworm-minbase.tar"
MINBASE_IMAGE = "localhost/likelihood-standin-minbase:bookworm"   # the FROM of deploy/standins/*
MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
STANDINS = ROOT / "deploy" / "standins"
# What each stand-in is (Debian bookworm's packages), so a FROM or image line asking for another
# version is refused instead of being answered by the wrong one.
STANDIN_VERSIONS = {"python": "3.11", "haproxy": "2.6", "redis": "7"}
LABEL = "likelihood.container-check"
CONTAINER_PORT = 8600      # PORT for the single replica: not the default, so $PORT is what counts
HEALTHY_WITHIN = 180       # s; the image's start period is 90 s
STOP_GRACE = 15            # s; compose.yaml's stop_grace_period
CANNOT_RUN_EXIT = 77


class Defect(Exception):
    """The image, the stack or the files that make them do something wrong: the check fails."""


class CannotRun(Exception):
    """A step this machine cannot run (a tool is missing): said, and never counted as a pass."""


def say(message: str) -> None:
    print(f"[container check] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def qualified(image: str) -> str:
    """The full name Docker gives a short one: haproxy:2.6 -> docker.io/library/haproxy:2.6."""
    first = image.split("/")[0]
    if "/" in image and ("." in first or ":" in first or first == "localhost"):
        return image
    return f"docker.io/{image}" if "/" in image else f"docker.io/library/{image}"


def pulled_images() -> list[str]:
    """The images the Dockerfile and compose.yaml pull: the FROM line, the compose `image:`s
    of services that are not built here."""
    froms = re.findall(r"^FROM\s+(\S+)", (ROOT / "Dockerfile").read_text(), re.M)
    compose = (ROOT / "compose.yaml").read_text()
    built = set(re.findall(r"^\s+build:.*\n\s+image:\s*(\S+)", compose, re.M))
    pulled = [name for name in re.findall(r"^\s+image:\s*(\S+)", compose, re.M) if name not in built]
    return froms + pulled


class Check:
    def __init__(self) -> None:
        self.id = uuid.uuid4().hex[:8]
        self.work = Path(tempfile.mkdtemp(prefix="container-check-"))
        self.log_path = self.work / "log"
        self.log = self.log_path.open("a")
        self.env = dict(os.environ)
        self.env.setdefault("CONTAINERS_CONF", str(ROOT / "deploy" / "containers.conf"))
        self.images: list[str] = []        # made here, removed at the end (newest first)
        self.containers: list[str] = []
        self.projects: list[str] = []
        self.index_server: http.server.ThreadingHTTPServer | None = None
        self.timings: list[tuple[str, float, str]] = []
        self.cannot_run: list[str] = []
        self.tag = f"localhost/likelihood-check:{self.id}"

    # --- running commands -----------------------------------------------------------------

    def run(self, *cmd: str, timeout: float = 120, check: bool = True, env: dict | None = None,
            quiet: bool = False) -> subprocess.CompletedProcess:
        """Run a command, its output into the log; a non-zero status is a Defect unless check=False."""
        self.log.write(f"\n$ {' '.join(cmd)}\n")
        self.log.flush()
        started = time.monotonic()
        try:
            out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=timeout, env={**self.env, **(env or {})}, cwd=ROOT)
        except FileNotFoundError:
            raise CannotRun(f"{cmd[0]} not found")
        except subprocess.TimeoutExpired as e:
            self.log.write(e.stdout or "")
            raise Defect(f"`{' '.join(cmd[:4])} ...` did not finish within {timeout:.0f} s")
        if not quiet:
            self.log.write(out.stdout)
        self.log.write(f"[exit {out.returncode} after {time.monotonic() - started:.1f} s]\n")
        self.log.flush()
        if check and out.returncode != 0:
            raise Defect(f"`{' '.join(cmd)}` exited {out.returncode}:\n{tail(out.stdout)}")
        return out

    def podman(self, *args: str, **kw) -> str:
        return self.run("podman", *args, **kw).stdout.strip()

    def inspect(self, what: str, fmt: str) -> str:
        return self.podman("inspect", "--format", fmt, what, quiet=True)

    @contextlib.contextmanager
    def step(self, name: str):
        say(f"{name} ...")
        started = time.monotonic()
        outcome = "failed"
        try:
            yield
            outcome = "ok"
        except CannotRun as e:
            outcome = "CANNOT RUN"
            self.cannot_run.append(f"{name}: {e}")
            say(f"{name}: CANNOT RUN on this machine: {e}")
        finally:
            took = time.monotonic() - started
            self.timings.append((name, took, outcome))
            if outcome == "ok":
                say(f"{name}: ok ({took:.1f} s)")

    # --- 1. tools ---------------------------------------------------------------------------

    def missing(self, *tools: str) -> list[str]:
        return [t for t in tools if not (shutil.which(t) or Path(f"/usr/sbin/{t}").exists())]

    def require(self, *tools: str) -> None:
        if gone := self.missing(*tools):
            raise CannotRun(f"{', '.join(gone)} not found (apt-get install -y {' '.join(gone)})")

    # --- 2. base images -------------------------------------------------------------------------

    def minbase(self) -> None:
        """Debian bookworm's minbase as an image, from the cached tarball or made now."""
        if not MINBASE_TAR.exists():
            self.require("debootstrap")
            say(f"no cached {MINBASE_TAR.name}: debootstrap --variant=minbase bookworm from {MIRROR}")
            rootfs = self.work / "rootfs"
            self.run("debootstrap", "--variant=minbase", "bookworm", str(rootfs), MIRROR, timeout=900)
            shutil.rmtree(rootfs / "var" / "cache" / "apt" / "archives", ignore_errors=True)
            CACHE.mkdir(parents=True, exist_ok=True)
            partial = MINBASE_TAR.with_suffix(".partial")
            self.run("tar", "-C", str(rootfs), "-cf", str(partial), ".", timeout=300)
            partial.rename(MINBASE_TAR)
            shutil.rmtree(rootfs, ignore_errors=True)
        self.podman("import", "--change", 'CMD ["bash"]', str(MINBASE_TAR), MINBASE_IMAGE, timeout=300)
        self.images.append(MINBASE_IMAGE)

    def standin(self, image: str) -> None:
        """Make `image` (e.g. python:3.11-slim-bookworm) here, unless an image of that name is."""
        full = qualified(image)
        if self.run("podman", "image", "exists", full, check=False).returncode == 0:
            if LABEL not in self.inspect(full, "{{json .Labels}}"):
                say(f"{full} is here already: used as it is")
                return
            self.podman("rmi", "-f", full)   # a stand-in an interrupted run left: made anew
        kind = full.rsplit("/", 1)[1].split(":")[0]
        tag = full.rsplit(":", 1)[1]
        if kind not in STANDIN_VERSIONS:
            raise Defect(f"{image} cannot be pulled here and has no stand-in in deploy/standins/")
        if not tag.startswith(STANDIN_VERSIONS[kind]):
            raise Defect(f"{image} is asked for, but the stand-in is Debian bookworm's {kind} "
                         f"{STANDIN_VERSIONS[kind]} (deploy/standins/{kind}.Containerfile)")
        if MINBASE_IMAGE not in self.images:
            self.minbase()
        context = self.work / f"standin-{kind}"
        (context / "ca-certificates").mkdir(parents=True)
        for crt in Path("/usr/local/share/ca-certificates").glob("*.crt"):
            shutil.copy(crt, context / "ca-certificates")
        self.podman("build", "--layers=false", "--format", "docker", "--network", "host", "--pull=never",
                    "--label", f"{LABEL}=standin", "-f", str(STANDINS / f"{kind}.Containerfile"),
                    "-t", full, str(context), timeout=600)
        self.images.insert(0, full)
        say(f"stand-in {full}, Debian bookworm's: {self.standin_version(full, kind)}")

    def standin_version(self, full: str, kind: str) -> str:
        probe = {"python": ["python", "--version"], "haproxy": ["haproxy", "-v"],
                 "redis": ["redis-server", "--version"]}[kind]
        out = self.podman("run", "--rm", "--network", "none", full, *probe)
        return out.splitlines()[0].split(" - ")[0].split(" sha=")[0] if out else "?"

    # --- 3. the image -----------------------------------------------------------------------------

    def torch_index(self) -> str | None:
        """A loopback index serving this machine's torch CPU wheel, or None (the Dockerfile's default)."""
        pin = re.search(r"^torch==([^\s#]+)", (ROOT / "requirements.txt").read_text(), re.M)[1]
        wheels = Path(os.environ.get("TORCH_WHEELS", "/opt/wheels"))
        found = sorted(wheels.glob(f"torch-{pin}+cpu-cp311-cp311-*linux*_x86_64.whl"))
        if not found:
            say(f"no torch {pin} CPU wheel in {wheels}: the build uses the Dockerfile's TORCH_INDEX")
            return None
        folder = self.work / "torch-index" / "torch"
        folder.mkdir(parents=True)
        (folder / found[-1].name).symlink_to(found[-1])
        (folder / "index.html").write_text(f'<a href="{found[-1].name}">{found[-1].name}</a>\n')

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(folder.parent))
        self.index_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.index_server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{self.index_server.server_address[1]}/"
        say(f"TORCH_INDEX={url} serves {found[-1]}")
        return url

    def build(self) -> None:
        index = self.torch_index()
        args = ["--build-arg", f"TORCH_INDEX={index}"] if index else []
        self.images.insert(0, self.tag)
        self.podman("build", "--layers=false", "--format", "docker", "--network", "host", "--pull=never",
                    "--label", f"{LABEL}=app", *args, "-t", self.tag, ".", timeout=1500)
        size = int(self.inspect(self.tag, "{{.Size}}")) / 1e6
        say(f"{self.tag}: {size:.0f} MB")

    # --- 4. one replica -------------------------------------------------------------------------

    def wait_healthy(self, names: list[str]) -> float:
        """Run each container's HEALTHCHECK (podman's `healthcheck run`) until all are healthy."""
        started = time.monotonic()
        waiting = list(names)
        while waiting:
            for name in list(waiting):
                state = self.inspect(name, "{{.State.Status}}")
                if state != "running":
                    raise Defect(f"{name} is {state} before it was healthy:\n{self.container_log(name)}")
                self.run("podman", "healthcheck", "run", name, check=False, quiet=True)
                health = self.inspect(name, "{{.State.Health.Status}}")
                if health == "healthy":
                    waiting.remove(name)
                elif health == "unhealthy":
                    raise Defect(f"{name}'s HEALTHCHECK says unhealthy:\n{self.container_log(name)}")
            if time.monotonic() - started > HEALTHY_WITHIN:
                raise Defect(f"not healthy after {HEALTHY_WITHIN} s: {waiting}")
            if waiting:
                time.sleep(1)
        return time.monotonic() - started

    def container_log(self, name: str) -> str:
        return tail(self.run("podman", "logs", name, check=False, quiet=True).stdout)

    def open_pages(self, base: str) -> None:
        """Every page of the story over HTTP: its URL answers, and its run (agent API) raises nothing."""
        from agent_client import INTERACT, problem
        for chapter in story.STORY:
            path = chapter.url_path
            with urllib.request.urlopen(f"{base}/{path}", timeout=30) as r:
                if r.status != 200 or b"<html" not in r.read().lower():
                    raise Defect(f"GET /{path}: {r.status}, not the app's page")
            req = urllib.request.Request(base + INTERACT, data=json.dumps({"page": path}).encode(),
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    status, snap = r.status, json.loads(r.read())
            except urllib.error.HTTPError as e:
                status, snap = e.code, json.loads(e.read() or b"{}")
            if why := problem(status, snap):
                raise Defect(f"page /{path} ({chapter.title}): {why}")
            if snap.get("page", {}).get("url_path") != path:
                raise Defect(f"asked for /{path}, the agent API ran {snap.get('page')}")
        say(f"{len(story.STORY)} pages opened at {base}, each ran without an exception")

    def unprivileged(self, name: str) -> None:
        users = self.podman("top", name, "user", "pid", "args").splitlines()[1:]
        if not users or any(line.split()[0] in ("root", "0") for line in users):
            raise Defect(f"{name} runs a process as root:\n" + "\n".join(users))
        probe = ("import os; print(os.getuid(), os.access('/app', os.W_OK), "
                 "os.access('/app/app.py', os.W_OK), os.access('/usr/local/bin', os.W_OK))")
        uid, *writable = self.podman("exec", name, "python", "-c", probe).split()
        if uid == "0" or "True" in writable:
            raise Defect(f"{name}: uid {uid}, may write /app, /app/app.py, /usr/local/bin: {writable}")
        say(f"{name} runs as uid {uid} ({users[0].split()[0]}), and cannot change the app")

    def stop(self, name: str) -> float:
        """`podman stop` sends the image's stop signal (SIGTERM); a clean stop exits 0 within the grace."""
        stop_signal = self.inspect(name, "{{.Config.StopSignal}}")
        signal_name = signal.Signals(int(stop_signal)).name if stop_signal.isdigit() else stop_signal or "SIGTERM"
        started = time.monotonic()
        self.podman("stop", "--time", str(STOP_GRACE), name, timeout=STOP_GRACE + 30)
        took = time.monotonic() - started
        code = self.inspect(name, "{{.State.ExitCode}}")
        if code != "0":
            killed = " (killed after the grace period)" if code == "137" else ""
            raise Defect(f"{name} exited {code} on {signal_name}{killed}:\n{self.container_log(name)}")
        if took > STOP_GRACE:
            raise Defect(f"{name} took {took:.1f} s to stop on {signal_name}")
        say(f"{name} stopped on {signal_name} in {took:.1f} s, status 0")
        return took

    def one_replica(self) -> None:
        name = f"likelihood-check-{self.id}"
        port = free_port()
        self.containers.append(name)
        self.podman("run", "-d", "--name", name, "--label", LABEL, "-e", f"PORT={CONTAINER_PORT}",
                    "-e", "STREAMLIT_SERVER_ENABLE_AGENT_API=true",
                    "-p", f"127.0.0.1:{port}:{CONTAINER_PORT}", self.tag)
        say(f"{name}: healthy after {self.wait_healthy([name]):.1f} s")
        self.open_pages(f"http://127.0.0.1:{port}")
        self.unprivileged(name)
        self.stop(name)
        self.podman("rm", name)
        self.containers.remove(name)

    # --- 5. the stack ---------------------------------------------------------------------------

    def compose(self, project: str, override: Path, *args: str, env: dict | None = None, timeout=300) -> None:
        self.run("podman-compose", "-p", project, "-f", "compose.yaml", "-f", str(override), *args,
                 env=env, timeout=timeout)

    def stack(self) -> None:
        self.require("podman-compose")
        project = f"likelihood-check-{self.id}"
        api = self.work / "lb-api"          # HAProxy's runtime API, reached from here
        api.mkdir()
        api.chmod(0o777)                    # HAProxy runs as its own user in its container
        override = self.work / "compose.check.yaml"
        override.write_text(
            "# What the container check changes: its own image tag, and HAProxy's runtime API in a\n"
            "# folder the check reads (which replica a cookie names).\n"
            f"services:\n  app:\n    image: {self.tag}\n"
            f"  lb:\n    environment:\n      HAPROXY_SOCKET: /run/lb-api/haproxy.sock\n"
            f"    volumes:\n      - {api}:/run/lb-api\n")
        port = free_port()
        self.projects.append(project)
        self.compose(project, override, "up", "-d", env={"HOST_PORT": f"127.0.0.1:{port}", "REPLICAS": "2"})
        names = self.podman("ps", "-a", "--filter", f"label=io.podman.compose.project={project}",
                            "--format", "{{.Names}}").split()
        replicas = sorted(n for n in names if re.search(r"_app_\d+$", n))
        services = sorted(re.sub(r"_\d+$", "", n).rsplit("_", 1)[1] for n in names)
        if len(replicas) != 2 or services != ["app", "app", "lb", "redis"]:
            raise Defect(f"compose started {names}, not 2 replicas, lb and redis")
        redis = next(n for n in names if n.endswith("_redis_1"))
        lb = next(n for n in names if n.endswith("_lb_1"))
        say(f"replicas and redis healthy after {self.wait_healthy([*replicas, redis]):.1f} s")
        self.all_up(api / "haproxy.sock", 2)
        self.redis_reached(replicas[0])
        addresses = {self.inspect(n, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"): n
                     for n in replicas}
        stack = {"base": f"http://127.0.0.1:{port}", "socket": str(api / "haproxy.sock"),
                 "replicas": addresses}
        self.browser_test(stack)
        for name in [lb, *replicas, redis]:
            if self.inspect(name, "{{.State.Status}}") == "running":
                self.stop(name)
        self.compose(project, override, "down")
        self.remove_project(project)

    def all_up(self, sock: Path, n: int) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                rows = balancer.replica_rows(sock)
            except OSError:
                rows = []
            if len(rows) == n and all(r["status"] == "UP" for r in rows):
                say(f"HAProxy: {n} replicas UP ({', '.join(r['addr'] for r in rows)})")
                return
            if time.monotonic() > deadline:
                raise Defect(f"HAProxy does not have {n} replicas UP: {[(r['svname'], r['status']) for r in rows]}")
            time.sleep(0.5)

    def redis_reached(self, replica: str) -> None:
        """The replica's REDIS_URL names a Redis that answers PING from the replica's network."""
        probe = ("import os, socket, urllib.parse; u = urllib.parse.urlparse(os.environ['REDIS_URL']); "
                 "s = socket.create_connection((u.hostname, u.port or 6379), timeout=5); "
                 "s.sendall(b'PING\\r\\n'); print(os.environ['REDIS_URL'], s.recv(64).decode().strip())")
        out = self.podman("exec", replica, "python", "-c", probe)
        if not out.endswith("+PONG"):
            raise Defect(f"{replica} did not reach Redis at its REDIS_URL: {out}")
        say(f"{replica} reaches Redis: {out}")

    def browser_test(self, stack: dict) -> None:
        test = "tests/test_compose_stack.py"
        out = self.run(sys.executable, "-m", "pytest", test, "-p", "no:cacheprovider", "-rs", "-q", "-s",
                       env={"LIKELIHOOD_STACK": json.dumps(stack)}, check=False, timeout=600)
        print(tail(out.stdout, 12), flush=True)
        summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
        if out.returncode != 0:
            raise Defect(f"{test} failed: {summary}")
        if "skipped" in summary or "passed" not in summary:
            raise CannotRun(f"{test} did not run: {summary}")

    def remove_project(self, project: str) -> None:
        names = self.podman("ps", "-a", "--filter", f"label=io.podman.compose.project={project}",
                            "--format", "{{.Names}}").split()
        if names:
            self.podman("rm", "-f", *names)
        networks = self.podman("network", "ls", "--filter", f"label=io.podman.compose.project={project}",
                               "--format", "{{.Name}}").split()
        if networks:
            self.podman("network", "rm", "-f", *networks)
        self.projects.remove(project)

    # --- 6. cleanup -------------------------------------------------------------------------------

    def cleanup(self) -> list[str]:
        """Remove all this run made; return what could not be removed."""
        if self.index_server:
            self.index_server.shutdown()
            self.index_server.server_close()
        if self.missing("podman"):
            return self.close_log()
        for project in list(self.projects):
            with contextlib.suppress(Defect):
                self.remove_project(project)
        for name in self.containers:
            self.run("podman", "rm", "-f", "--time", "2", name, check=False)
        for image in self.images:
            self.run("podman", "rmi", "-f", image, check=False)
        # Only this run's: another check may be running beside it on the same podman storage, or
        # one stopped by force may have left its containers (they then fail no later run).
        labelled = self.podman("ps", "-a", "--filter", f"label={LABEL}", "--format", "{{.Names}}").split()
        left = [name for name in labelled if self.id in name]
        if others := [name for name in labelled if self.id not in name]:
            say(f"left alone, made by another run of this check: {others}")
        left += [p for p in self.projects]
        left += [i for i in self.images if self.run("podman", "image", "exists", i, check=False).returncode == 0]
        return left + self.close_log()

    def close_log(self) -> list[str]:
        """Keep the log as last-run.log in the cache folder; remove the work folder."""
        self.log.close()
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.log_path, CACHE / "last-run.log")
        shutil.rmtree(self.work, ignore_errors=True)
        return []

    def tools(self) -> None:
        self.require("podman", "runc")
        say(f"podman {self.podman('--version').split()[-1]}, CONTAINERS_CONF={self.env['CONTAINERS_CONF']}")

    def base_images(self) -> None:
        for image in pulled_images():
            self.standin(image)

    def main(self) -> int:
        defect = None
        steps = [("tools", self.tools), ("base images", self.base_images), ("build the image", self.build),
                 ("one replica", self.one_replica), ("the compose stack", self.stack)]
        try:
            for name, run in steps:
                with self.step(name):
                    run()
                if self.cannot_run:
                    break       # the later steps need this one
        except Defect as e:
            defect = e
        finally:
            started = time.monotonic()
            left = self.cleanup()
            self.timings.append(("remove what it made", time.monotonic() - started, "ok" if not left else "failed"))
            if left and defect is None:
                defect = Defect(f"could not remove: {left}")
        return self.report(defect)

    def report(self, defect: Defect | None) -> int:
        print("\n[container check] step                      seconds  outcome", flush=True)
        for name, took, outcome in self.timings:
            print(f"[container check] {name:<26}{took:8.1f}  {outcome}", flush=True)
        total = sum(t for _, t, _ in self.timings)
        print(f"[container check] {'total':<26}{total:8.1f}", flush=True)
        if defect:
            say(f"FAILED: {defect}")
            say(f"the whole log: {CACHE / 'last-run.log'}")
            return 1
        if self.cannot_run:
            for line in self.cannot_run:
                say(f"CANNOT RUN: {line}")
            say(f"some steps could not run on this machine: exit {CANNOT_RUN_EXIT}, not a pass")
            return CANNOT_RUN_EXIT
        say("passed: the image and the compose stack were built, run, checked and removed")
        return 0


def tail(text: str, lines: int = 30) -> str:
    return "\n".join((text or "").rstrip().splitlines()[-lines:])


def main() -> int:
    def stop_on_sigterm(signum, frame):
        raise Defect(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    return Check().main()


if __name__ == "__main__":
    sys.exit(main())
