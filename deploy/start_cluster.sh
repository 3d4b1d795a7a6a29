#!/usr/bin/env bash
# Start LIF Lab as N Streamlit processes behind nginx, all on loopback.
#
#   deploy/start_cluster.sh [start] [-n|--backends N] [-p|--port PORT] [--base-port B]
#                           [--app PATH] [--detach]
#   deploy/start_cluster.sh stop | status
#
# start   N Streamlit processes on 127.0.0.1:B, B+1, ... (default N=2, B=PORT+1) and nginx on
#         127.0.0.1:PORT (default 8500) with deploy/nginx.conf, from a temporary prefix; prints
#         the URL. Without --detach it stays in the foreground until Ctrl-C, then stops all.
# stop    stops a detached cluster.
# status  lists its processes.
# State (generated config, logs, pids) lives in $LIFLAB_CLUSTER_DIR (default
# /tmp/liflab-cluster); one cluster per state directory.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${LIFLAB_CLUSTER_DIR:-/tmp/liflab-cluster}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PYTHON="${PYTHON:-$(command -v python || command -v python3)}"

cmd="start"
case "${1:-}" in start|stop|status) cmd="$1"; shift ;; esac
backends=2
port=8500
base_port=""
app="$ROOT/app.py"
detach=0
while [ $# -gt 0 ]; do
    case "$1" in
        -n|--backends) backends="$2"; shift 2 ;;
        -p|--port) port="$2"; shift 2 ;;
        --base-port) base_port="$2"; shift 2 ;;
        --app) app="$2"; shift 2 ;;
        --detach|-d) detach=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
base_port="${base_port:-$((port + 1))}"

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

stop_cluster() {
    local pid
    if [ -f "$STATE/nginx.pid" ]; then
        pid="$(cat "$STATE/nginx.pid")"
        if alive "$pid"; then kill -QUIT "$pid" 2>/dev/null || true; fi
    fi
    if [ -f "$STATE/streamlit.pids" ]; then
        for pid in $(cat "$STATE/streamlit.pids"); do
            if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
        done
        for _ in $(seq 50); do
            local any=0
            for pid in $(cat "$STATE/streamlit.pids"); do alive "$pid" && any=1; done
            [ "$any" = 0 ] && break
            sleep 0.2
        done
        for pid in $(cat "$STATE/streamlit.pids"); do
            if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
        done
        rm -f "$STATE/streamlit.pids"
    fi
    rm -f "$STATE/nginx.pid"
}

case "$cmd" in
    stop)
        stop_cluster
        echo "stopped (state in $STATE)"
        exit 0
        ;;
    status)
        if [ -f "$STATE/streamlit.pids" ]; then
            for pid in $(cat "$STATE/streamlit.pids") $(cat "$STATE/nginx.pid" 2>/dev/null); do
                if alive "$pid"; then echo "running: $pid $(ps -o args= -p "$pid" | cut -c1-80)"
                else echo "dead: $pid"; fi
            done
        else
            echo "no cluster in $STATE"
        fi
        exit 0
        ;;
esac

if [ -f "$STATE/streamlit.pids" ]; then
    for pid in $(cat "$STATE/streamlit.pids"); do
        if alive "$pid"; then
            echo "a cluster is already running from $STATE (stop it first: $0 stop)" >&2
            exit 1
        fi
    done
fi
[ -x "$NGINX" ] || { echo "nginx not found (apt-get install -y nginx)" >&2; exit 1; }
mkdir -p "$STATE/tmp" "$STATE/logs"
: > "$STATE/streamlit.pids"

# nginx config: the repo's file with this cluster's port, backends and static folder
sed -e "s/listen 127\.0\.0\.1:8500;/listen 127.0.0.1:$port;/" \
    -e "s#alias /srv/lif-lab/static/#alias $ROOT/static/#" \
    "$ROOT/deploy/nginx.conf" > "$STATE/nginx.conf"
: > "$STATE/backends.conf"
for i in $(seq 0 $((backends - 1))); do
    echo "server 127.0.0.1:$((base_port + i)) max_fails=0;" >> "$STATE/backends.conf"
done

# Every process gets the same cookie secret, so XSRF tokens are valid on all of them.
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"

# glibc gives every thread that allocates its own malloc arena and keeps freed memory in it;
# Streamlit runs each session's script in a thread, so a class makes a process grow by
# ~100 MB. Two arenas keep the growth at a third of that (benchmarks/load.py).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

trap 'stop_cluster; exit 130' INT TERM
for i in $(seq 0 $((backends - 1))); do
    p=$((base_port + i))
    # cd to the repo so .streamlit/config.toml applies; one process per core.
    (cd "$ROOT" && exec "$PYTHON" -m streamlit run "$app" \
        --server.headless true --server.address 127.0.0.1 --server.port "$p" \
        > "$STATE/logs/streamlit-$p.log" 2>&1) &
    echo $! >> "$STATE/streamlit.pids"
done

# wait for every backend's health endpoint
for i in $(seq 0 $((backends - 1))); do
    p=$((base_port + i))
    ok=0
    for _ in $(seq 300); do
        if "$PYTHON" - "$p" <<'PY' 2>/dev/null; then ok=1; break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=1).read()
PY
        sleep 0.2
    done
    if [ "$ok" != 1 ]; then
        echo "backend on port $p did not start; its log:" >&2
        tail -20 "$STATE/logs/streamlit-$p.log" >&2
        stop_cluster
        exit 1
    fi
done

"$NGINX" -p "$STATE/" -c "$STATE/nginx.conf" -e "$STATE/error.log"
for _ in $(seq 50); do [ -s "$STATE/nginx.pid" ] && break; sleep 0.1; done

echo "LIF Lab: http://127.0.0.1:$port  ($backends Streamlit process(es) on ports" \
     "$base_port-$((base_port + backends - 1)), nginx pid $(cat "$STATE/nginx.pid"), state $STATE)"

if [ "$detach" = 1 ]; then
    trap - INT TERM
    exit 0
fi
echo "Ctrl-C stops everything."
while true; do
    for pid in $(cat "$STATE/streamlit.pids"); do
        alive "$pid" || { echo "process $pid exited; stopping" >&2; stop_cluster; exit 1; }
    done
    sleep 2
done
