#!/usr/bin/env bash
# Signed AWS JSON requests per second and p99 latency of `gantry dev` (SigV4 verified on every
# request), side by side with the named baseline: a plain ASP.NET Core minimal endpoint
# (bench/Gantry.Bench.Baseline) on the same machine, in one run. Uses wrk at 32 connections.
# DescribeClusters also runs signed by an IAM user whose 20-statement policy is evaluated on every
# request (the allow is its last statement, on the cluster's ARN), against the root key's run.
# usage: bench/api-throughput.sh [seconds per run, default 10]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-10}"
connections=32
command -v wrk >/dev/null || { [[ $(id -u) -eq 0 ]] && apt-get install -y -qq wrk >/dev/null; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

source "$root/bench/gantry-dev.sh"
out=$(dotnet build "$root/bench/Gantry.Bench.Baseline" -c Release -nologo -v q 2>&1) || { echo "$out" >&2; exit 1; }
port_base=$(free_port)
dotnet "$root/bench/Gantry.Bench.Baseline/bin/Release/net10.0/Gantry.Bench.Baseline.dll" "$port_base" >"$work/base.log" 2>&1 &
pids+=($!)
wait_for 120 "the baseline to listen" grep -q listening "$work/base.log"
start_gantry_dev "$work"

aws() { HOME="$work" /usr/bin/aws --profile gantry --endpoint-url "$endpoint" "$@"; }
aws ecs create-cluster --cluster-name bench >/dev/null
aws ecs register-task-definition --family bench --container-definitions '[{"name":"app","image":"busybox","memory":64}]' >/dev/null
key=$(awk -F' *= *' '/^\[gantry\]/{g=1;next} /^\[/{g=0} g&&$1=="aws_access_key_id"{print $2}' "$work/.aws/credentials")
secret=$(awk -F' *= *' '/^\[gantry\]/{g=1;next} /^\[/{g=0} g&&$1=="aws_secret_access_key"{print $2}' "$work/.aws/credentials")

run() { # name url lua -> prints "rps"; a 3 s warm-up (JIT tiering) first, not counted
  local out rps p99
  wrk -t2 -c"$connections" -d3s -s "$3" "$2" >/dev/null
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$3" "$2")
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $4}' <<<"$out")
  [[ -z "$non2xx" ]] || { echo "$1: $non2xx non-2xx responses" >&2; exit 1; }
  printf '%-34s %12s req/s   p99 %s\n' "$1" "$rps" "$p99" >&2
  echo "$rps"
}
python3 "$root/bench/sigv4.py" "$endpoint" "$key" "$secret" us-east-1 AmazonEC2ContainerServiceV20141113.DescribeClusters '{"clusters":["bench"]}' >"$work/clusters.lua"
python3 "$root/bench/sigv4.py" "$endpoint" "$key" "$secret" us-east-1 AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition '{"taskDefinition":"bench:1"}' >"$work/td.lua"
# An IAM user whose 20 statements are all evaluated: 19 about other clusters and services, the allow last.
policy=$(python3 -c '
import json
s=[{"Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":f"arn:aws:ecs:*:*:cluster/other-{i}"} for i in range(10)]
s+=[{"Effect":"Allow","Action":[f"logs:Get{i}*","ecr:Batch*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}} for i in range(9)]
s+=[{"Effect":"Allow","Action":"ecs:DescribeClusters","Resource":"arn:aws:ecs:*:*:cluster/bench"}]
print(json.dumps({"Version":"2012-10-17","Statement":s}))')
aws iam create-user --user-name bench >/dev/null
aws iam put-user-policy --user-name bench --policy-name twenty --policy-document "$policy" >/dev/null
read -r ukey usecret < <(aws iam create-access-key --user-name bench --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
python3 "$root/bench/sigv4.py" "$endpoint" "$ukey" "$usecret" us-east-1 AmazonEC2ContainerServiceV20141113.DescribeClusters '{"clusters":["bench"]}' >"$work/user.lua"
printf 'wrk.method = "POST"\nwrk.body = "{}"\nwrk.headers["Content-Type"] = "application/x-amz-json-1.1"\n' >"$work/base.lua"

echo "wrk, $connections connections, ${duration}s each, $(nproc) cores" >&2
base=$(run "baseline (ASP.NET Core minimal)" "http://127.0.0.1:$port_base/" "$work/base.lua")
clusters=$(run "gantry DescribeClusters (SigV4)" "$endpoint/" "$work/clusters.lua")
td=$(run "gantry DescribeTaskDefinition (SigV4)" "$endpoint/" "$work/td.lua")
user=$(run "gantry DescribeClusters (IAM user, 20)" "$endpoint/" "$work/user.lua")
awk -v b="$base" -v c="$clusters" -v t="$td" -v u="$user" 'BEGIN {
  printf "ratio to baseline: DescribeClusters %.2fx, DescribeTaskDefinition %.2fx (target: >= 20000 signed req/s)\n", c / b, t / b
  printf "IAM user with a 20-statement policy vs the root key, DescribeClusters: %.2fx (target: >= 0.90x)\n", u / c }'
echo "gantry RSS after the run: $(ps -o rss= -p "$gantry_pid" | awk '{printf "%.0f MB", $1/1024}')"
