#!/usr/bin/env bash
# A Fargate task from RunTask to RUNNING on a warm node, side by side with the named baseline, in one run:
#   Gantry: `gantry dev` (its local agent serves the FARGATE pool), the Fargate busybox definition (awsvpc,
#           256 CPU / 512 MiB, 20 GiB ephemeral storage), RunTask --launch-type FARGATE until DescribeTasks says
#           RUNNING (signed calls from python, polling every 20 ms); each task is stopped before the next;
#   podman: `podman run -d` of the same image with its default network (a bridge), timed per run, same machine.
# AWS Fargate itself: "It is normal for new AWS Fargate tasks to take 30-45 seconds or longer to start" (AWS re:Post,
# https://repost.aws/questions/QUjZAzJd27SZWxXM7MgyxOZw), quoted, not measured.
# Runs alternate in blocks of 5; medians of all runs are printed. Target: Gantry at most 0.5x podman's median.
# usage: bench/fargate-run-task.sh [runs, default 20]
set -euo pipefail
runs="${1:-20}"
source "$(dirname "$0")/dev-node.sh"
start_dev
aws ecs register-task-definition --family fargate-bench --network-mode awsvpc --requires-compatibilities FARGATE --cpu 256 --memory 512 \
  --container-definitions '[{"name":"app","image":"busybox","essential":true,"stopTimeout":1,"command":["sleep","3600"]}]' >/dev/null
subnet=subnet-bench
# Warm the node: the image pulled and unpacked once, as "a warm node" asks.
python3 "$root/bench/run_wait.py" "http://127.0.0.1:$port" "$key" "$secret" us-east-1 fargate-bench "$subnet" 1 >/dev/null

start_podman
pod run -d --rm "127.0.0.1:$port/busybox:latest" true >/dev/null   # podman's network set up once, as the warm node's is
now() { date +%s.%N; }
gantry=(); podman=()
block=5
for ((done_runs = 0; done_runs < runs; done_runs += block)); do
  n=$((runs - done_runs < block ? runs - done_runs : block))
  mapfile -t times < <(python3 "$root/bench/run_wait.py" "http://127.0.0.1:$port" "$key" "$secret" us-east-1 fargate-bench "$subnet" "$n")
  gantry+=("${times[@]}")
  for _ in $(seq "$n"); do
    start=$(now)
    id=$(pod run -d "127.0.0.1:$port/busybox:latest" sleep 3600)
    podman+=("$(echo "$(now) - $start" | bc)")
    pod rm -f -t 0 "$id" >/dev/null
  done
  printf 'runs %2d-%2d: gantry %s; podman %s\n' "$((done_runs + 1))" "$((done_runs + n))" "${times[*]}" "$(printf '%.3f ' "${podman[@]: -n}")"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
g=$(median "${gantry[@]}"); p=$(median "${podman[@]}")
printf '\nFargate RunTask -> RUNNING on a warm node (2 cores), median of %s runs, seconds:\n' "$runs"
printf '%-40s %8s %8s %8s\n' "" "gantry" "podman" "ratio"
printf '%-40s %8.3f %8.3f %7sx\n' "run-task FARGATE vs podman run -d" "$g" "$p" "$(echo "scale=2; $g / $p" | bc)"
printf '%-40s %8s\n' "AWS Fargate (re:Post, quoted)" "30-45"
