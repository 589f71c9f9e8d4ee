#!/usr/bin/env bash
# Container logs end to end on one node, in one run on this machine:
#   a task runs `seq 1 N` (N = 1,000,000 by default) with the awslogs driver in blocking mode; the agent tails
#   conmon's log file and ships to the control plane's log store. Printed: the container's own printing rate
#   (the baseline: how fast lines reach conmon's file), the rate at which they are stored (target >= 100,000
#   events/s), a check that every line is stored exactly once, then FilterLogEvents/GetLogEvents latency on the group.
# usage: bench/logs-ingest.sh [lines, default 1000000]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-1000000}"
[[ $(id -u) -eq 0 ]] || { echo "logs-ingest: needs root (runc)" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for id in $(runc --root "$work/data/agent/runc" list -q 2>/dev/null); do runc --root "$work/data/agent/runc" delete -f "$id" >/dev/null 2>&1 || true; done
  awk -v w="$work" '$2 ~ "^"w {print $2}' /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

out=$(dotnet build "$root/src/Gantry.Cli" -c Release -nologo -v q 2>&1) || { echo "$out" >&2; exit 1; }
port=45683
HOME="$work" dotnet "$root/src/Gantry.Cli/bin/Release/net10.0/gantry.dll" dev --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/gantry.log" 2>&1 &
pids+=($!)
aws() { HOME="$work" /usr/bin/aws --profile gantry --endpoint-url "http://127.0.0.1:$port" "$@"; }
for _ in $(seq 300); do aws ecs list-container-instances --query 'length(containerInstanceArns)' --output text 2>/dev/null | grep -q 1 && break; sleep 0.2; done
aws ecs register-task-definition --family flood --network-mode none --container-definitions "[{\"name\":\"app\",\"image\":\"busybox\",\"memory\":64,
  \"essential\":true,\"command\":[\"seq\",\"1\",\"$count\"],\"logConfiguration\":{\"logDriver\":\"awslogs\",\"options\":{
  \"awslogs-group\":\"/bench/ingest\",\"awslogs-region\":\"us-east-1\",\"awslogs-stream-prefix\":\"bench\",\"awslogs-create-group\":\"true\",\"mode\":\"blocking\"}}}]" >/dev/null
task=$(aws ecs run-task --task-definition flood --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-stopped --tasks "$task"
key=$(HOME="$work" aws configure get aws_access_key_id --profile gantry)
secret=$(HOME="$work" aws configure get aws_secret_access_key --profile gantry)
python3 "$root/bench/logs_query.py" "http://127.0.0.1:$port" "$key" "$secret" us-east-1 /bench/ingest "$count"
printf '\nGantry RSS after the run: %s MB\n' "$(( $(ps -o rss= -p "${pids[0]}" | tail -1) / 1024 ))"
