#!/usr/bin/env bash
# Container logs end to end on one node, in one run on this machine:
#   a task runs `seq 1 N` (N = 1,000,000 by default) with the awslogs driver in blocking mode; the agent tails
#   conmon's log file and ships to the control plane's log store. Printed: the container's own printing rate
#   (the baseline: how fast lines reach conmon's file), the rate at which they are stored (target >= 100,000
#   events/s), a check that every line is stored exactly once, then FilterLogEvents/GetLogEvents latency on the group.
# With `postgres` as the second argument the log store (and the state store) is a throwaway PostgreSQL
# (`gantry dev --store postgres://...`, bench/postgres.sh) instead of the SQLite files.
# usage: bench/logs-ingest.sh [lines, default 1000000] [sqlite|postgres, default sqlite]
set -euo pipefail
count="${1:-1000000}" backend="${2:-sqlite}"
source "$(dirname "$0")/dev-node.sh"
if [[ "$backend" == postgres ]]; then
  source "$root/bench/postgres.sh"
  bench_cleanup=stop_postgres
  start_postgres
  start_dev --store "$pg_url"
else
  start_dev
fi
aws ecs register-task-definition --family flood --network-mode none --container-definitions "[{\"name\":\"app\",\"image\":\"busybox\",\"memory\":64,
  \"essential\":true,\"command\":[\"seq\",\"1\",\"$count\"],\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{
  \"awslogs-group\":\"/bench/ingest\",\"awslogs-region\":\"us-east-1\",\"awslogs-stream-prefix\":\"bench\",\"awslogs-create-group\":\"true\",\"mode\":\"blocking\"}}}]" >/dev/null
task=$(aws ecs run-task --task-definition flood --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-stopped --tasks "$task"
python3 "$root/bench/logs_query.py" "http://127.0.0.1:$port" "$key" "$secret" us-east-1 /bench/ingest "$count"
printf '\nGantry RSS after the run: %s MB\n' "$(( $(ps -o rss= -p "${pids[0]}" | tail -1) / 1024 ))"
