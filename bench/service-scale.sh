#!/usr/bin/env bash
# Scaling a service on one node, side by side with the named baselines, in one run on this machine:
#   Gantry: `gantry dev` (image present, bridge networking), UpdateService desiredCount 0→50 until 50 RUNNING,
#           then 50→0 until every task is STOPPED;
#   podman: 50 detached busybox containers started 4 at a time (xargs -P4), measured here in the same run;
#   Docker Swarm `docker service scale` 0→50: 16.1 s (../shared/NOTES.md; no Docker engine here).
# Rounds alternate Gantry and podman; medians are printed. Target: Gantry 0→50 in at most 0.5x podman's time.
# usage: bench/service-scale.sh [count, default 50] [rounds, default 3]
set -euo pipefail
count="${1:-50}"
rounds="${2:-3}"
source "$(dirname "$0")/dev-node.sh"
start_dev
aws ecs register-task-definition --family scale --network-mode bridge \
  --container-definitions '[{"name":"app","image":"busybox","memory":16,"essential":true,"stopTimeout":1,"command":["sleep","3600"]}]' >/dev/null
# Warm the image cache (a task pulls and unpacks it once), as "image present" asks.
warm=$(aws ecs run-task --task-definition scale --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-running --tasks "$warm"; aws ecs stop-task --task "$warm" >/dev/null; aws ecs wait tasks-stopped --tasks "$warm"
aws ecs create-service --service-name scale --task-definition scale --desired-count 0 >/dev/null

# Timed with signed API calls from python (no AWS CLI start-up in the measurement), polling every 50 ms.
now() { date +%s.%N; }
start_podman
ups=(); downs=(); pods=()
for round in $(seq "$rounds"); do
  ups+=("$(python3 "$root/bench/scale_wait.py" "http://127.0.0.1:$port" "$key" "$secret" us-east-1 scale "$count")")
  downs+=("$(python3 "$root/bench/scale_wait.py" "http://127.0.0.1:$port" "$key" "$secret" us-east-1 scale 0)")
  # podman, same machine, same run: 50 detached containers, 4 at a time; removed before the next round.
  start=$(now)
  seq "$count" | xargs -P4 -I{} sh -c "CONTAINERS_CONF=$conf podman --root $work/podman --runroot $work/podman-run run -d --network none 127.0.0.1:$port/busybox:latest sleep 3600 >/dev/null"
  pods+=("$(echo "$(now) - $start" | bc)")
  pod rm -af -t 0 >/dev/null 2>&1
  printf 'round %s: gantry 0 -> %s %.2f s, %s -> 0 %.2f s; podman %.2f s\n' "$round" "$count" "${ups[-1]}" "$count" "${downs[-1]}" "${pods[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
up=$(median "${ups[@]}"); down=$(median "${downs[@]}"); podman_up=$(median "${pods[@]}")

ratio() { echo "scale=2; $1 / $2" | bc; }
printf '\nScale a service to %s tasks on one node (2 cores), median of %s rounds, seconds:\n' "$count" "$rounds"
printf '%-34s %8s %8s %8s\n' "" "gantry" "podman" "ratio"
printf '%-34s %8.2f %8.2f %7sx\n' "0 -> $count running" "$up" "$podman_up" "$(ratio "$up" "$podman_up")"
printf '%-34s %8.2f\n' "$count -> 0 (all stopped)" "$down"
printf '%-34s %8s\n' "Docker Swarm 0 -> 50 (NOTES.md)" "16.10"
