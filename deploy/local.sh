#!/usr/bin/env bash
# Several replicas of the dashboard behind HAProxy, without containers.
#
#   deploy/local.sh N PORT [streamlit flags...]
#
# Starts N replicas, each the README's `streamlit run app.py` on 127.0.0.1:PORT+i (i = 1..N)
# with the extra flags, and Debian's HAProxy on 127.0.0.1:PORT with deploy/haproxy.cfg, the
# same file compose.yaml uses. With N > 1 and no REDIS_URL given, Debian's redis-server on
# 127.0.0.1:PORT+N+1 holds the rooms (ui/room.py) that every replica must see alike. HAProxy finds the replicas by DNS as it does under compose; here
# deploy/replica_dns.py answers, on UDP 127.0.0.1:PORT (the same number, another protocol).
# Runs in the foreground; Ctrl-C or SIGTERM stops everything it started. A replica that dies is
# not restarted (compose restarts them; here, supervise this script with systemd or similar):
# the balancer takes it out, and its visitors reload onto the others.
#
# Environment: PYTHON (default python3), HAPROXY (default: haproxy on PATH, else /usr/sbin/haproxy),
# REDIS_URL (the replicas' shared room store; default: a redis-server this script starts when N > 1),
# HAPROXY_SOCKET (HAProxy's runtime API; default: a socket in this run's temporary folder),
# READY_TIMEOUT (s to wait for every replica to be warm; default 180).
set -uo pipefail

usage() { echo "usage: $0 N PORT [streamlit flags...]   (1 <= N <= 16, 1024 < PORT, PORT+N < 65536)" >&2; exit 2; }
[[ $# -ge 2 && $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] || usage
N=$1 PORT=$2
shift 2
(( N >= 1 && N <= 16 && PORT > 1024 && PORT + N < 65536 )) || usage

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
[[ -x $HAPROXY ]] || { echo "HAProxy not found: apt-get install -y haproxy" >&2; exit 1; }
RUN=$(mktemp -d "${TMPDIR:-/tmp}/likelihood-local.XXXXXX")
export HAPROXY_SOCKET=${HAPROXY_SOCKET:-$RUN/haproxy.sock}

say() { echo "[local.sh] $*"; }

port_free() {  # a TCP port nobody listens on, on loopback (closed connections may linger)
  "$PYTHON" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

healthy() {  # 0 when http://127.0.0.1:$1/_stcore/health answers 200 within 2 s
  "$PYTHON" - "$1" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

PIDS=()
REPLICA_PIDS=()
stopping=0
stop() {  # TERM everything started, wait up to 15 s, then KILL what is left
  (( stopping )) && return
  stopping=1
  (( ${#PIDS[@]} )) || { rm -rf "$RUN"; return; }
  say "stopping ${#PIDS[@]} processes"
  kill -TERM "${PIDS[@]}" 2>/dev/null
  for _ in $(seq 150); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.1
  done
  kill -KILL "${PIDS[@]}" 2>/dev/null
  wait "${PIDS[@]}" 2>/dev/null   # only these: a bare wait also waits for the log pipes' sed
  rm -rf "$RUN"
  say "stopped"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop' EXIT

for port in "$PORT" $(seq $((PORT + 1)) $((PORT + N))); do
  port_free "$port" || { echo "port $port is in use" >&2; exit 1; }
done

# 0. The rooms every replica shares, in Redis (one replica keeps them in its own memory).
if (( N > 1 )) && [[ -z ${REDIS_URL:-} ]]; then
  REDIS=$(command -v redis-server || echo /usr/bin/redis-server)
  [[ -x $REDIS ]] || { echo "redis-server not found: apt-get install -y redis-server" >&2; exit 1; }
  REDIS_PORT=$((PORT + N + 1))
  port_free "$REDIS_PORT" || { echo "port $REDIS_PORT is in use" >&2; exit 1; }
  "$REDIS" --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$RUN" \
    > >(sed -u "s/^/[redis :$REDIS_PORT] /") 2>&1 &
  PIDS+=($!)
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  say "redis: pid $! on 127.0.0.1:$REDIS_PORT (the rooms)"
fi

# 1. The replicas' names: SRV records, one port per replica.
REPLICA_PORTS=$(seq -s ' ' $((PORT + 1)) $((PORT + N)))
SERVICE=_streamlit._tcp.replicas.local
# shellcheck disable=SC2086  # one argument per port
"$PYTHON" "$ROOT/deploy/replica_dns.py" --listen "127.0.0.1:$PORT" --service "$SERVICE" --ports $REPLICA_PORTS &
PIDS+=($!)

# 2. The replicas: the README's command, one port each, the extra flags passed on.
cd "$ROOT" || exit 1
for i in $(seq 1 "$N"); do
  port=$((PORT + i))
  "$PYTHON" -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 "$@" \
    > >(sed -u "s/^/[replica $i :$port] /") 2>&1 &
  PIDS+=($!)
  REPLICA_PIDS[$i]=$!
  say "replica $i: pid $! on 127.0.0.1:$port"
done

# 3. Wait until every replica is warm (its health route answers only then), so the balancer
#    opens with all of them; a replica that exits meanwhile stops the run.
deadline=$((SECONDS + ${READY_TIMEOUT:-180}))
for i in $(seq 1 "$N"); do
  port=$((PORT + i))
  until healthy "$port"; do
    kill -0 "${REPLICA_PIDS[$i]}" 2>/dev/null || { say "replica $i exited before it was ready"; exit 1; }
    (( SECONDS < deadline )) || { say "replica $i not ready after ${READY_TIMEOUT:-180} s"; exit 1; }
    sleep 0.5
  done
done
say "all $N replicas warm"

# 4. The balancer, in the foreground of this script.
LISTEN="127.0.0.1:$PORT" DNS_SERVER="127.0.0.1:$PORT" REPLICAS="$SERVICE" \
  "$HAPROXY" -db -f "$ROOT/deploy/haproxy.cfg" &
HAPROXY_PID=$!
PIDS+=("$HAPROXY_PID")
say "haproxy: pid $HAPROXY_PID on 127.0.0.1:$PORT, runtime API $HAPROXY_SOCKET"

until healthy "$PORT"; do
  kill -0 "$HAPROXY_PID" 2>/dev/null || { say "haproxy exited"; exit 1; }
  (( SECONDS < deadline )) || { say "the balancer did not answer"; exit 1; }
  sleep 0.2
done
say "ready: http://127.0.0.1:$PORT ($N replicas)"

# Foreground until HAProxy ends or a signal arrives (the traps stop everything).
wait "$HAPROXY_PID"
say "haproxy exited with status $?"
exit 1
