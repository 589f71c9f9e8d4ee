#!/usr/bin/env bash
# PutLogEvents throughput of the log store behind `gantry server`, SQLite (the embedded default) and PostgreSQL
# (`--store postgres://`, a throwaway Debian PostgreSQL on a loopback port) in one run: wrk sends signed
# PutLogEvents of EVENTS (100) ~80-byte events round robin to 8 log groups (one stream each) from 16 connections for
# SECONDS; printed per backend: requests/s, events/s, p99, and the events the store holds afterwards (must equal
# the events of the 200 answers: nothing lost, nothing doubled).
# usage: bench/logs-put.sh [seconds, default 20] [connections, default 16] [events per request, default 100]   (root: PostgreSQL runs as postgres)
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "$(basename "$0"): needs root (runs PostgreSQL as postgres)" >&2; exit 1; }
seconds="${1:-20}" connections="${2:-16}" events="${3:-100}" groups=8
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_postgres || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$root/bench/gantry-dev.sh"
source "$root/bench/postgres.sh"
out=$(dotnet build "$root/src/Gantry.Cli" -c Release -nologo -v q 2>&1) || { echo "$out" >&2; exit 1; }
dll="$root/src/Gantry.Cli/bin/Release/net10.0/gantry.dll"

# run BACKEND [--store URL]: starts gantry server, loads it with wrk, prints one line.
run() {
  local backend="$1" data="$work/$1"
  shift
  HOME="$work" dotnet "$dll" server --listen 127.0.0.1:0 --agent-listen 127.0.0.1:0 --data-dir "$data" --write-root-credentials "$@" \
    >"$work/$backend.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  listening() { kill -0 "$pid" 2>/dev/null || { cat "$work/$backend.log" >&2; exit 1; }; grep -q "listening on" "$work/$backend.log" && [[ -s "$data/root-credentials" ]]; }
  wait_for 300 "gantry server ($backend) to listen" listening || { cat "$work/$backend.log" >&2; exit 1; }
  local endpoint key secret
  endpoint=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$work/$backend.log" | head -1)
  value() { awk -F' *= *' -v k="$1" '$1==k{print $2; exit}' "$data/root-credentials"; }
  key=$(value aws_access_key_id) secret=$(value aws_secret_access_key)
  python3 "$root/bench/logs_put.py" "$endpoint" "$key" "$secret" us-east-1 "$groups" "$events" >"$work/put.lua"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/put.lua" "$endpoint" >"$work/$backend.wrk"
  local rps p99 ok stored non2xx
  rps=$(awk '/^Requests\/sec/{print $2}' "$work/$backend.wrk")
  p99=$(awk '$1=="99%"{print $2}' "$work/$backend.wrk")
  ok=$(awk '/requests in/{print $1}' "$work/$backend.wrk")
  non2xx=$(awk '/Non-2xx/{print $NF}' "$work/$backend.wrk")
  stored=$(python3 "$root/bench/logs_put.py" --stored "$endpoint" "$key" "$secret" us-east-1 "$groups")
  printf '%-10s %9.0f req/s %11.0f events/s   p99 %-8s stored %s events of %s sent (%s non-2xx answers)\n' \
    "$backend" "$rps" "$(echo "$rps * $events" | bc)" "$p99" "$stored" "$((ok * events))" "${non2xx:-0}"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "PutLogEvents, $events events x $groups groups round robin, $connections connections, ${seconds}s each ($(nproc) cores)"
run sqlite
start_postgres
run postgres --store "$pg_url"
