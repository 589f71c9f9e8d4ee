#!/usr/bin/env bash
# Server memory against large request bodies (issue 12 item 6): `gantry server` RSS at rest, at peak while 32
# clients each send a ~28 MB unsigned ECR UploadLayerPart body at once, after a minute idle, then the same with
# 32 signed bodies, then after another minute idle. The named baseline is the server's own RSS at rest.
# usage: bench/unauthenticated-memory.sh [gantry.dll, default: this tree's Release build] [idle seconds, default 60]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dll="${1:-}"
idle="${2:-60}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
if [[ -z "$dll" ]]; then
  out=$(dotnet build "$root/src/Gantry.Cli" -c Release -nologo -v q 2>&1) || { echo "$out" >&2; exit 1; }
  dll="$root/src/Gantry.Cli/bin/Release/net10.0/gantry.dll"
fi

source "$root/bench/gantry-dev.sh"
HOME="$work" dotnet "$dll" server --listen 127.0.0.1:0 --agent-listen 127.0.0.1:0 --data-dir "$work/data" --write-root-credentials >"$work/gantry.log" 2>&1 &
pid=$!
pids+=("$pid")
listening() { kill -0 "$pid" 2>/dev/null || { cat "$work/gantry.log" >&2; exit 1; }; grep -q "listening on" "$work/gantry.log" && [[ -s "$work/data/root-credentials" ]]; }
wait_for 300 "gantry server to listen" listening || { cat "$work/gantry.log" >&2; exit 1; }
port=$(sed -n 's|.*listening on http://[0-9.]*:\([0-9]*\).*|\1|p' "$work/gantry.log" | head -1)
value() { awk -F' *= *' -v k="$1" '$1==k{print $2; exit}' "$work/data/root-credentials"; }
key=$(value aws_access_key_id) secret=$(value aws_secret_access_key)
rss() { awk '/^VmRSS/{printf "%.0f", $2/1024}' "/proc/$pid/status"; }

sleep 2
printf 'at rest                                %5s MB\n' "$(rss)"
for mode in unsigned signed; do
  read -r peak statuses < <(python3 "$root/bench/unauthenticated_bodies.py" "http://127.0.0.1:$port" "$pid" 32 "$mode" "$key" "$secret" us-east-1)
  printf '32 x 28 MB %-8s bodies: peak       %5s MB   answers %s\n' "$mode" "$peak" "$statuses"
  sleep "$idle"
  printf '           then %3s s idle               %5s MB\n' "$idle" "$(rss)"
done
