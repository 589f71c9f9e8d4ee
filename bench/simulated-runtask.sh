#!/usr/bin/env bash
# End to end at scale: `gantry server` with a simulated fleet (`gantry simulate`, real agent streams), then RunTask
# count 10 from 16 parallel signed clients for a bounded time and number of calls: tasks placed/s (target >= 2,000),
# API p50/p99, placement failures and API errors, time until every placed task is RUNNING; then the control plane's
# RSS at N nodes and M tasks and signed DescribeClusters req/s (wrk, 32 connections, 10 s). On SQLite, then on
# PostgreSQL: PG_URL when set, else a throwaway server when Debian's postgresql is installed (PG=0 skips it).
# usage: [NODES=5000] [CLIENTS=16] [DURATION=30] [CALLS=1000] [WAIT=300] [RUN_DELAY=1s] bench/simulated-runtask.sh
set -euo pipefail
nodes="${NODES:-5000}" clients="${CLIENTS:-16}" duration="${DURATION:-30}" calls="${CALLS:-1000}" wait="${WAIT:-300}" run_delay="${RUN_DELAY:-1s}"
source "$(dirname "$0")/sim-fleet.sh"
backends=(sqlite)
if [[ -n "${PG_URL:-}" ]] || { [[ "${PG:-1}" != 0 ]] && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }; then backends+=(postgres); fi

for backend in "${backends[@]}"; do
  store=""
  if [[ $backend == postgres ]]; then
    if [[ -n "${PG_URL:-}" ]]; then store="$PG_URL"; else start_postgres; store="$pg_url"; fi
  fi
  echo "== $backend: $nodes simulated nodes, RunTask count 10 from $clients clients for at most ${duration} s / $calls calls ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  start_server "$backend" "$store"
  start_fleet "$nodes" --run-delay "$run_delay"
  echo "  control plane RSS at $nodes nodes, 0 tasks: $(rss_mb "$gantry_pid") MB (simulator: $(rss_mb "$sim_pid") MB)"
  ecs RegisterTaskDefinition '{"family":"sim","containerDefinitions":[{"name":"app","image":"busybox","cpu":16,"memory":64,"essential":true}]}' >/dev/null
  python3 "$root/bench/runtask_burst.py" "$endpoint" "$key" "$secret" bench sim "$clients" "$duration" "$calls" "$wait" 2>"$server_dir/burst.err" \
    || { cat "$server_dir/burst.err" >&2; exit 1; }
  placed=$(sed -n 's/^placed=//p' "$server_dir/burst.err")
  echo "  control plane RSS at $nodes nodes, $placed tasks: $(rss_mb "$gantry_pid") MB; its CPU time so far $(ps -o times= -p "$gantry_pid" | tr -d ' ') s"
  python3 "$root/bench/sigv4.py" "$endpoint" "$key" "$secret" us-east-1 AmazonEC2ContainerServiceV20141113.DescribeClusters '{"clusters":["bench"]}' >"$server_dir/clusters.lua"
  wrk -t2 -c32 -d3s -s "$server_dir/clusters.lua" "$endpoint/" >/dev/null
  out=$(wrk -t2 -c32 -d10s --latency -s "$server_dir/clusters.lua" "$endpoint/")
  echo "  signed DescribeClusters ($backend, $nodes nodes, $placed tasks): $(awk '/^Requests\/sec/{print $2}' <<<"$out") req/s, p99 $(awk '$1=="99%"{print $2}' <<<"$out")$(awk '/Non-2xx/{print ", " $4 " non-2xx"}' <<<"$out")"
  server_findings
  echo "  simulator: $(tail -1 "$server_dir/simulate.log")"
  stop_server
done
