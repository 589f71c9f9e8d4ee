#!/usr/bin/env bash
# A service scaled 0 -> DESIRED on a simulated cluster (`gantry server` + `gantry simulate`): time until every task is
# RUNNING (progress every 5 s), then the control plane's RSS at N nodes and DESIRED tasks. SQLite unless STORE=postgres
# (PG_URL, or a throwaway PostgreSQL).
# usage: [NODES=5000] [DESIRED=10000] [TIMEOUT=600] [RUN_DELAY=1s] [STORE=sqlite|postgres] bench/simulated-service.sh
set -euo pipefail
nodes="${NODES:-5000}" desired="${DESIRED:-10000}" timeout="${TIMEOUT:-600}" run_delay="${RUN_DELAY:-1s}" backend="${STORE:-sqlite}"
source "$(dirname "$0")/sim-fleet.sh"
store=""
if [[ $backend == postgres ]]; then
  if [[ -n "${PG_URL:-}" ]]; then store="$PG_URL"; else start_postgres; store="$pg_url"; fi
fi
echo "== $backend: service 0 -> $desired on $nodes simulated nodes ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
start_server "$backend" "$store"
start_fleet "$nodes" --run-delay "$run_delay"
echo "  control plane RSS at $nodes nodes, 0 tasks: $(rss_mb "$gantry_pid") MB"
ecs RegisterTaskDefinition '{"family":"web","containerDefinitions":[{"name":"app","image":"busybox","cpu":16,"memory":64,"essential":true}]}' >/dev/null
ecs CreateService '{"cluster":"bench","serviceName":"web","taskDefinition":"web","desiredCount":0,
  "placementStrategy":[{"type":"spread","field":"attribute:ecs.availability-zone"},{"type":"binpack","field":"memory"}]}' >/dev/null
cpu_before=$(ps -o times= -p "$gantry_pid" | tr -d ' ')
result=0
python3 "$root/bench/service_scale_progress.py" "$endpoint" "$key" "$secret" bench web "$desired" "$timeout" || result=$?
echo "  control plane RSS at $nodes nodes, $desired desired tasks: $(rss_mb "$gantry_pid") MB; CPU during the scale-up $(( $(ps -o times= -p "$gantry_pid" | tr -d ' ') - cpu_before )) s"
server_findings
echo "  simulator: $(tail -1 "$server_dir/simulate.log")"
exit "$result"
