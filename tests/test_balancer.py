"""The dashboard as replicas behind HAProxy: deploy/local.sh with deploy/haproxy.cfg, through
HTTP and a real browser (Chromium).

One local run of 2 replicas serves most tests; the replica-death tests share another, in which a
visitor and a presenter with a room are on the replica that is killed, a phone on the one that
lives on; the run is then stopped with SIGTERM. Without HAProxy the module skips (CI
installs it, and there a missing HAProxy fails); without Chromium the browser tests skip.
"""
from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import struct
import subprocess
import threading
import time
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from agent_client import INTERACT, problem, value_of
from browsing import WAIT, open_room, open_url, wait_idle
from core import story
from deploy import balancer
from deploy import replica_dns as dns
from serve import CHROMIUM, ROOT, free_port, streamlit_command
from through_balancer import metric, no_error, server_cookie, train, upload_names, wait_connected

HAPROXY = balancer.haproxy_path()
if HAPROXY is None:
    message = "HAProxy not found (/usr/sbin/haproxy or on PATH): install it with `apt-get install -y haproxy`."
    if os.environ.get("CI") == "true":
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)

HAS_CHROMIUM = Path(CHROMIUM).exists()
browser_test = pytest.mark.skipif(
    not HAS_CHROMIUM, reason=f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`.")

CFG = ROOT / "deploy" / "haproxy.cfg"
# Every replica gets these: the agent API for the HTTP tests, the load client's way in (and so a
# proof that local.sh passes its extra flags to each replica), with room for the tests' sessions.
FLAGS = ("--server.enableAgentApi=true", "--server.agentMaxSessions=200")
LOCAL_ENV = {"LISTEN": "127.0.0.1:8080", "DNS_SERVER": "127.0.0.1:8080",
             "REPLICAS": "_streamlit._tcp.replicas.local", "HAPROXY_SOCKET": "/tmp/x.sock"}


@pytest.fixture(scope="module")
def lb():
    run = balancer.LocalRun(2, FLAGS).start()
    yield run
    took, left = run.stop(signal.SIGINT)  # Ctrl-C
    assert not left, f"Ctrl-C left replicas running: {left}; local.sh said:\n" + "\n".join(list(run.log)[-15:])
    assert took < 30


# --- HTTP helpers: one visitor = one cookie jar, as a browser keeps ---------------------------

class Visitor:
    """An agent-API client that keeps its cookies (the balancer's affinity cookie among them)."""

    def __init__(self, base: str):
        self.base, self.jar, self.id = base, http.cookiejar.CookieJar(), None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def interact(self, body: dict) -> tuple[int, dict]:
        if self.id:
            body = {"session_id": self.id, **body}
        status, _, raw = self.request("POST", INTERACT, json.dumps(body).encode(),
                                      {"Content-Type": "application/json"})
        snap = json.loads(raw or b"{}")
        self.id = snap.get("session_id", self.id)
        return status, snap

    @property
    def server_cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "SERVERID"), None)


# --- the configuration ----------------------------------------------------------------------

def test_one_config_file_serves_compose_and_the_local_run():
    """haproxy -c accepts deploy/haproxy.cfg with compose's values (the defaults) and local.sh's;
    compose.yaml mounts that file and local.sh runs it."""
    for env in ({}, LOCAL_ENV):
        out = subprocess.run([HAPROXY, "-c", "-f", str(CFG)], capture_output=True, text=True,
                             env={**os.environ, **env})
        assert out.returncode == 0, out.stdout + out.stderr
    assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg" in (ROOT / "compose.yaml").read_text()
    assert '-f "$ROOT/deploy/haproxy.cfg"' in (ROOT / "deploy" / "local.sh").read_text()


def upload_limit_bytes() -> tuple[int, int]:
    """(the app's limit from .streamlit/config.toml in bytes, the balancer's from haproxy.cfg)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    app = int(config["server"]["maxUploadSize"] * 1024 * 1024)  # MiB, as Streamlit counts it
    m = re.search(r"req\.hdr_val\(content-length\) gt (\d+)", CFG.read_text())
    assert m, "no upload limit in deploy/haproxy.cfg"
    return app, int(m[1])


def test_the_balancers_upload_limit_is_the_apps():
    app, lb_limit = upload_limit_bytes()
    assert lb_limit == app, f"haproxy.cfg refuses bodies over {lb_limit} bytes, the app over {app}"


def test_local_sh_refuses_bad_arguments():
    for args in ([], ["2"], ["0", "8080"], ["2", "80"], ["x", "8080"]):
        out = subprocess.run(["bash", str(ROOT / "deploy" / "local.sh"), *args], capture_output=True, text=True)
        assert out.returncode == 2 and "usage:" in out.stderr, (args, out.stderr)


def _query(name: str, qtype: int) -> bytes:
    return struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + dns.encode_name(name) + struct.pack("!HH", qtype, 1)


def test_local_dns_names_one_port_per_replica():
    zone = dns.Zone("_streamlit._tcp.replicas.local", [9001, 9002, 9003])
    reply = zone.answer(_query("_streamlit._tcp.replicas.local", dns.SRV))
    ident, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", reply[:12])
    assert (ident, flags & 0x8000, flags & 0xF, qd, an, ar) == (0x1234, 0x8000, 0, 1, 3, 3)
    assert all(struct.pack("!HHH", 0, 1, p) in reply for p in (9001, 9002, 9003))
    a = zone.answer(_query("replica2.replicas.local", dns.A))
    assert struct.unpack("!H", a[6:8])[0] == 1 and a.endswith(socket.inet_aton("127.0.0.1"))
    nx = zone.answer(_query("example.org", dns.A))
    assert struct.unpack("!H", nx[2:4])[0] & 0xF == 3 and struct.unpack("!H", nx[6:8])[0] == 0


# --- teardown: nothing left behind, whatever the test did -----------------------------------

def pgrep_group(pgid: int) -> list[str]:
    """What pgrep finds in a process group: "pid command" lines (zombies left out)."""
    out = subprocess.run(["pgrep", "-a", "-g", str(pgid), "-r", "D,R,S,T,t"], capture_output=True, text=True)
    return out.stdout.splitlines()


QUICK = {"LIKELIHOOD_WARMUP": "0"}  # these runs are never visited: no need to wait for a warm-up


def test_a_failing_test_body_leaves_no_process_behind():
    """The body fails inside a run (as a test fails inside the `lb` fixture, whose teardown is the
    same `stop`): HAProxy, the DNS server and the replica are gone afterwards."""
    run = balancer.LocalRun(1, env=QUICK)
    with pytest.raises(ZeroDivisionError):
        with run:
            started = pgrep_group(run.proc.pid)
            1 / 0
    assert any("haproxy" in line for line in started) and any("replica_dns" in line for line in started)
    assert any("streamlit run app.py" in line for line in started), started
    assert pgrep_group(run.proc.pid) == []
    assert not [pid for pid in [run.haproxy_pid, *run.pids.values()] if os.path.exists(f"/proc/{pid}")]


def test_a_killed_local_sh_leaves_no_process_behind():
    """local.sh killed outright (its trap never runs, as when a test's timeout kills it): `stop`
    still ends the replica, HAProxy and the DNS server, through local.sh's process group."""
    run = balancer.LocalRun(1, env=QUICK).start()
    try:
        os.kill(run.proc.pid, signal.SIGKILL)
        run.proc.wait(10)
        orphans = pgrep_group(run.proc.pid)
        assert any("haproxy" in line for line in orphans), orphans  # what would have leaked
    finally:
        _, left = run.stop()
    assert len(left) >= 3 and pgrep_group(run.proc.pid) == []


# --- through the balancer, over HTTP ----------------------------------------------------------

def test_both_replicas_are_up_with_their_own_cookie_and_the_extra_flags(lb):
    rows = balancer.replica_rows(lb.socket_path)
    assert [r["status"] for r in rows] == ["UP", "UP"]
    assert len({r["cookie"] for r in rows}) == 2 and all(r["cookie"] for r in rows)
    for port in lb.pids:  # the agent API answers on each replica: the flag reached every one
        status, snap = Visitor(f"http://127.0.0.1:{port}").interact({"page": "Probability"})
        assert problem(status, snap) is None


def test_agent_sessions_stay_on_their_replica_by_their_cookie(lb):
    """Visitors arriving together spread over both replicas, and each one's later requests
    reach the replica that holds its session."""
    def visit(i: int) -> str | None:
        v = Visitor(lb.base)
        status, snap = v.interact({"page": "Probability"})
        assert problem(status, snap) is None
        for mu in (40.0 + i, 45.0 + i, 50.0 + i):
            status, snap = v.interact({"widget_state": {"mu": mu}})
            assert problem(status, snap) is None and value_of(snap, "mu") == mu
        return v.server_cookie

    with ThreadPoolExecutor(8) as pool:
        cookies = list(pool.map(visit, range(8)))
    assert set(cookies) == {r["cookie"] for r in balancer.replica_rows(lb.socket_path)}


def test_the_cookie_decides_the_replica(lb):
    """A session's request sent with the other replica's cookie is refused there (no such
    session), and accepted with its own: affinity is the cookie's work."""
    v = Visitor(lb.base)
    status, snap = v.interact({"page": "Probability"})
    assert problem(status, snap) is None
    own = v.server_cookie
    other = next(r["cookie"] for r in balancer.replica_rows(lb.socket_path) if r["cookie"] != own)
    body = json.dumps({"session_id": v.id, "widget_state": {"mu": 44.0}}).encode()
    for cookie, ok in ((other, False), (own, True)):
        req = urllib.request.Request(lb.base + INTERACT, data=body, headers={
            "Content-Type": "application/json", "Cookie": f"SERVERID={cookie}"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, snap = r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            status, snap = e.code, json.loads(e.read() or b"{}")
        assert (problem(status, snap) is None) == ok, (cookie, status, snap.get("error"))


def test_uploads_over_the_limit_stop_at_the_balancer(lb):
    """Refused on its Content-Length before any of the body is read, as Streamlit does."""
    limit, _ = upload_limit_bytes()
    conn = http.client.HTTPConnection("127.0.0.1", lb.port, timeout=30)
    conn.putrequest("PUT", "/_stcore/upload_file/s/f")
    conn.putheader("Content-Length", str(limit + 1))
    conn.endheaders()  # no body sent: the answer comes from the header alone
    response = conn.getresponse()
    assert response.status == 413 and "uvicorn" not in (response.getheader("server") or "")  # HAProxy's
    conn.close()
    status, headers, _ = Visitor(lb.base).request("PUT", "/_stcore/upload_file/s/f", b"x" * limit)
    assert status != 413 and "uvicorn" in headers.get("server", "")  # passed on to a replica


def test_each_replica_warmed_before_it_went_green(lb):
    """Each replica's log has its warm-up line (ui/warmup.py), which comes before it answers."""
    from streamlit.web.server.app_discovery import discover_asgi_app
    if not discover_asgi_app(ROOT / "app.py").is_asgi_app:
        pytest.skip("app.py declares no st.App yet, so no warm-up runs (docs/hosting.md, 'Warm replicas')")
    log = "\n".join(lb.log)
    for i, port in enumerate(sorted(lb.pids), 1):
        assert re.search(rf"\[replica {i} :{port}\] Warm: imports .*every page once .*now answering", log), log[-3000:]


def test_health_turns_green_only_once_warm():
    """A replica's /_stcore/health answers nothing until its warm-up is done."""
    from streamlit.web.server.app_discovery import discover_asgi_app
    if not discover_asgi_app(ROOT / "app.py").is_asgi_app:
        pytest.skip("app.py declares no st.App yet, so no warm-up runs (docs/hosting.md, 'Warm replicas')")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    proc = subprocess.Popen(streamlit_command(port), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**env, "PYTHONUNBUFFERED": "1", "LIKELIHOOD_WARMUP": "1"}, start_new_session=True)
    warm_at: list[float] = []

    def read():
        for line in proc.stdout:
            if line.startswith(b"Warm:"):
                warm_at.append(time.monotonic())

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=0.5) as r:
                    if r.status == 200:
                        green = time.monotonic()
                        break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        time.sleep(0.5)  # the warm line travels through a pipe
        assert warm_at, "green before the warm-up said it was done"
        assert warm_at[0] <= green + 0.5
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)
        balancer.kill_group(proc.pid)  # the server and any child it started, even if it hung


# --- through the balancer, in Chromium ------------------------------------------------------

@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # a first visit: no cookies
    yield ctx
    ctx.close()


# Through the balancer, the home page and the heaviest chapter: the proxy treats every path alike,
# and every page's first visit is tested against a direct server (tests/test_browser.py).
@browser_test
@pytest.mark.parametrize("chapter", [story.HOME, story.by_url_path("Bigram_model")], ids=lambda c: c.url_path or "home")
def test_a_page_renders_from_a_first_visit(lb, context, chapter):
    from playwright.sync_api import expect
    page = context.new_page()
    open_url(page, f"{lb.base}/{chapter.url_path}")
    expect(page.locator("h1").first).to_have_text(chapter.title.split("· ")[-1])
    if chapter is not story.HOME:
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=WAIT)
    no_error(page)
    assert server_cookie(context) in {r["cookie"] for r in balancer.replica_rows(lb.socket_path)}


@browser_test
def test_an_upload_and_a_training_work_through_the_balancer(lb, context):
    from playwright.sync_api import expect
    page = context.new_page()
    uploads = []
    page.on("response", lambda r: uploads.append(r) if "/_stcore/upload_file/" in r.url else None)
    open_url(page, f"{lb.base}/Bigram_model")
    cookie = server_cookie(context)
    upload_names(page, file_name="five.txt")
    expect(page.get_by_text("Read 6 lines, kept 5 names.")).to_be_visible()
    # The upload went to the replica that holds the session, with its affinity cookie.
    assert uploads and all(r.status < 300 for r in uploads), [(r.url, r.status) for r in uploads]
    assert all(f"SERVERID={cookie}" in (r.request.all_headers().get("cookie") or "") for r in uploads)
    train(page)
    assert server_cookie(context) == cookie  # the whole visit on one replica
    no_error(page)


@browser_test
def test_a_deep_link_opens_in_its_linked_state(lb, context):
    page = context.new_page()
    open_url(page, f"{lb.base}/Probability?mu=0&sigma=1&a=-1.96&b=1.96")
    assert metric(page, "P(a ≤ X ≤ b)") == "0.9500"
    assert re.search(r"a=-1\.96", page.url)
    no_error(page)


def wait_for_link(page, timeout: int = WAIT, **values: float) -> None:
    """Until the page's address holds these values (as numbers: the app may write -2 as -2.0)."""
    page.wait_for_function(
        """values => Object.entries(values).every(([k, v]) =>
               Number(new URLSearchParams(location.search).get(k)) === v)""", arg=values, timeout=timeout)


@dataclass
class Death:
    """A lecture through two replicas, when one of them dies: a visitor and the presenter (with a
    room open) on the doomed replica, a phone following the room on the other."""
    run: balancer.LocalRun
    visitor: object          # playwright Page
    presenter: object
    phone: object
    link: str                # the room's link, as the presenter's QR box shows it
    slot: str                # the dead replica's HAProxy name
    survivor: dict           # the other replica's row (its cookie)
    newcomer_errors: list    # what visitors arriving right after the death got wrong


def _newcomer(base: str) -> list[str]:
    """HTTP pages, health and an agent session, as a visitor arriving right after the death."""
    v, errors = Visitor(base), []
    for path in ("/", "/Probability", "/_stcore/health"):
        status, _, _ = v.request("GET", path)
        if status != 200:
            errors.append(f"GET {path}: {status}")
    status, snap = v.interact({"page": "Probability"})
    if problem(status, snap):
        errors.append(problem(status, snap))
    return errors


@pytest.fixture(scope="module")
def death(browser):
    """One local run of 2 replicas for the tests of a replica's death (one run, not one per
    test: each start warms two replicas). The replica the visitor lands on is killed with
    SIGKILL once everyone is in place; visitors arriving right after are served at once."""
    from playwright.sync_api import expect
    run = balancer.LocalRun(2, FLAGS).start()
    contexts = []
    try:
        contexts.append(browser.new_context(viewport={"width": 1280, "height": 900}))
        visitor = contexts[-1].new_page()
        open_url(visitor, f"{run.base}/Probability?mu=0&sigma=1&a=-1.96&b=1.96")
        visitor.get_by_role("button", name="μ ± 2σ").click()
        expect(visitor.locator('[data-testid="stMetric"]').filter(has_text="0.9545").first).to_be_visible(
            timeout=WAIT)
        wait_for_link(visitor, a=-2, b=2)
        slot, _, pid = run.replica_for_cookie(server_cookie(contexts[0]))
        survivor = next(r for r in balancer.replica_rows(run.socket_path) if r["svname"] != slot)
        doomed = next(r for r in balancer.replica_rows(run.socket_path) if r["svname"] == slot)

        # The presenter on the same replica, the phone on the other: affinity cookies set as the
        # balancer would have set them.
        contexts.append(browser.new_context(viewport={"width": 1280, "height": 900}))
        contexts[-1].add_cookies([{"name": "SERVERID", "value": doomed["cookie"], "url": run.base}])
        presenter = contexts[-1].new_page()
        link = open_room(presenter, run.base)
        assert server_cookie(contexts[-1]) == doomed["cookie"]
        contexts.append(browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True))
        contexts[-1].add_cookies([{"name": "SERVERID", "value": survivor["cookie"], "url": run.base}])
        phone = contexts[-1].new_page()
        open_url(phone, link)
        expect(phone.get_by_text("Following the presenter's screen")).to_be_visible(timeout=WAIT)
        assert server_cookie(contexts[-1]) == survivor["cookie"]

        os.kill(pid, signal.SIGKILL)
        with ThreadPoolExecutor(10) as pool:
            errors = [e for found in pool.map(_newcomer, [run.base] * 10) for e in found]
        yield Death(run, visitor, presenter, phone, link, slot, survivor, errors)
    finally:
        for context in contexts:
            context.close()
        if run.proc.poll() is None:
            run.stop(signal.SIGTERM)


def wait_for_survivor(page, death: Death) -> None:
    """Until the tab's requests go to the surviving replica (it reconnects by itself) and its
    websocket is up again."""
    deadline = time.monotonic() + 60
    while server_cookie(page.context) != death.survivor["cookie"]:
        assert time.monotonic() < deadline, "the tab did not reconnect to the survivor"
        page.wait_for_timeout(250)
    wait_connected(page)
    wait_idle(page)


@browser_test
def test_visitors_arriving_right_after_a_replicas_death_get_no_error(death, browser):
    from playwright.sync_api import expect
    assert death.newcomer_errors == []
    fresh = browser.new_context()
    try:
        page = fresh.new_page()
        open_url(page, f"{death.run.base}/Probability?mu=3")
        expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=WAIT)
        no_error(page)
        assert server_cookie(fresh) == death.survivor["cookie"]
    finally:
        fresh.close()


@browser_test
def test_the_visitor_on_the_dead_replica_goes_on_in_its_urls_state(death):
    """The visitor's tab reconnects to the survivor by itself, shows the state of its URL with no
    error, its controls move from there, and a reload shows that state."""
    from playwright.sync_api import expect
    page = death.visitor
    wait_for_survivor(page, death)
    assert metric(page, "P(a ≤ X ≤ b)") == "0.9545"
    wait_for_link(page, a=-2, b=2, timeout=1000)  # already there
    no_error(page)
    # Its controls move from the URL's state (μ = 0, σ = 1), not the page's defaults. The
    # survivor's new session runs the page on the first click without that click's callback
    # (Streamlit calls a button's on_click only for a widget the session has seen), so the first
    # click after the death may change nothing; the second one works.
    for clicks in (1, 2):
        page.get_by_role("button", name="μ ± 1σ").click()
        wait_idle(page)
        if metric(page, "P(a ≤ X ≤ b)") == "0.6827":
            break
    print(f"after the death, the control moved on click {clicks}")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="0.6827").first).to_be_visible(timeout=WAIT)
    wait_for_link(page, a=-1, b=1)
    no_error(page)
    page.reload()
    expect(page.locator("h1").first).to_be_visible(timeout=WAIT)
    wait_idle(page)
    assert metric(page, "P(a ≤ X ≤ b)") == "0.6827"
    no_error(page)
    states = {r["svname"]: r["status"] for r in balancer.replica_rows(death.run.socket_path)}
    assert states[death.survivor["svname"]] == "UP" and states[death.slot] != "UP", states


@browser_test
def test_a_room_outlives_the_replica_its_presenter_was_on(death):
    """Issue 21 §3: the room lives in Redis (local.sh starts one for N > 1), so the phone on the
    survivor stays in it, the presenter's tab takes it back there (its cookie), and the next move
    reaches the phone."""
    from playwright.sync_api import expect
    presenter, phone = death.presenter, death.phone
    wait_for_survivor(presenter, death)
    expect(presenter.locator(".st-key-frame_share_link code")).to_have_text(death.link, timeout=WAIT)
    handle = presenter.get_by_role("slider", name="mean μ")
    for _ in range(2):   # the survivor's first run of this tab may drop the first key (see above)
        handle.focus()
        handle.press("ArrowRight")
        wait_idle(presenter)
        if "mu=" in presenter.url:
            break
    moved = parse_qs(urlsplit(presenter.url).query)["mu"][0]
    phone.wait_for_function(f"() => new URLSearchParams(location.search).get('mu') === '{moved}'",
                            timeout=15_000)
    expect(phone.get_by_text("Following the presenter's screen")).to_be_visible()
    no_error(phone)


def test_sigterm_then_stops_the_whole_run(death):
    took, left = death.run.stop(signal.SIGTERM)
    assert not left, f"SIGTERM left replicas running: {left}"
    assert death.run.proc.returncode == 143 and took < 30, (death.run.proc.returncode, took)
    with socket.socket() as s:  # the balancer's port is free again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", death.run.port))
