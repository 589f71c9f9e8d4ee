#!/usr/bin/env bash
# Registry throughput of `gantry dev` side by side with the named baseline, CNCF distribution 2.8.2
# (Debian's docker-registry, filesystem storage, no auth), in one run on the same machine:
#   - skopeo push and pull of one 224 MB image (4 random layers) — seconds and MB/s (median of N runs);
#   - manifest GET req/s at 32 connections (wrk), Gantry with its Basic token on every request;
#   - Gantry's peak RSS across the pushes and pulls (memory must stay flat whatever the blob size).
# Each run pushes a new random image into a new repository, so every run uploads every byte.
# usage: bench/registry-push-pull.sh [runs, default 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
for tool in wrk skopeo docker-registry; do
  command -v "$tool" >/dev/null || { [[ $(id -u) -eq 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool/docker-registry/docker-registry}" >/dev/null; }
done
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

source "$root/bench/gantry-dev.sh"
port_base=$(free_port)
cat >"$work/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/distribution
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port_base
log:
  level: error
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
pids+=($!)
wait_for 60 "distribution to listen" curl -sfo /dev/null "http://127.0.0.1:$port_base/v2/"
start_gantry_dev "$work"
port_gantry=$port
sample_pushed() { grep -q "sample:" "$work/gantry.log"; }
wait_for 300 "gantry dev to push its sample image" sample_pushed

aws() { HOME="$work" /usr/bin/aws --profile gantry --endpoint-url "http://127.0.0.1:$port_gantry" "$@"; }
for i in $(seq "$runs"); do aws ecr create-repository --repository-name "bench/image-$i" >/dev/null; done
password=$(aws ecr get-login-password)
skopeo login --tls-verify=false --authfile "$work/auth.json" -u AWS -p "$password" "127.0.0.1:$port_gantry" >/dev/null
echo '{}' >"$work/none.json"

# A fresh random image per run and registry: no layer can be skipped or mounted from an earlier run.
make_image() { rm -rf "$work/image"; python3 "$root/bench/make-oci-image.py" "$work/image" v1 64 64 64 32 >/dev/null; }
make_image
size_mb=$(du -sm "$work/image/blobs" | cut -f1)

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
timed() { # runs a command, prints its wall time in seconds; a failing command stops the benchmark
  local s e; s=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  e=$(date +%s.%N); echo "$e - $s" | bc; }
measure() { # name port authfile -> "push pull"
  local pushes=() pulls=() i
  for i in $(seq "$runs"); do
    make_image
    pushes+=($(timed skopeo copy --authfile "$3" --dest-tls-verify=false "oci:$work/image:v1" "docker://127.0.0.1:$2/bench/image-$i:v1"))
    rm -rf "$work/pulled"
    pulls+=($(timed skopeo copy --authfile "$3" --src-tls-verify=false "docker://127.0.0.1:$2/bench/image-$i:v1" "oci:$work/pulled:v1"))
  done
  echo "$(printf '%s\n' "${pushes[@]}" | median) $(printf '%s\n' "${pulls[@]}" | median)"
}
read -r g_push g_pull < <(measure gantry "$port_gantry" "$work/auth.json")
read -r b_push b_pull < <(measure distribution "$port_base" "$work/none.json")
rss_mb=$(awk '/VmHWM/{printf "%d", $2/1024}' "/proc/$gantry_pid/status")

digest_lua() { # name [basic-credentials]
  printf 'wrk.method = "GET"\nwrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json"\n' >"$work/$1.lua"
  [[ -z "${2:-}" ]] || printf 'wrk.headers["Authorization"] = "Basic %s"\n' "$2" >>"$work/$1.lua"
}
digest_lua gantry "$(printf 'AWS:%s' "$password" | base64 -w0)"
digest_lua base ""
rps() { wrk -t2 -c32 -d3s -s "$work/$1.lua" "$2" >/dev/null; wrk -t2 -c32 -d10s -s "$work/$1.lua" "$2" | awk '/^Requests\/sec/{printf "%d", $2}'; }
g_rps=$(rps gantry "http://127.0.0.1:$port_gantry/v2/bench/image-1/manifests/v1")
b_rps=$(rps base "http://127.0.0.1:$port_base/v2/bench/image-1/manifests/v1")

ratio() { echo "scale=2; $1 / $2" | bc; }
mbps() { echo "scale=0; $size_mb / $1" | bc; }
printf '\nRegistry, %s MB image, median of %s runs (lower time is better):\n' "$size_mb" "$runs"
printf '%-28s %12s %12s %10s\n' "" "gantry" "distribution" "ratio"
printf '%-28s %9.2f s %9.2f s %9sx\n' "skopeo push" "$g_push" "$b_push" "$(ratio "$g_push" "$b_push")"
printf '%-28s %7s MB/s %7s MB/s\n' "  throughput" "$(mbps "$g_push")" "$(mbps "$b_push")"
printf '%-28s %9.2f s %9.2f s %9sx\n' "skopeo pull" "$g_pull" "$b_pull" "$(ratio "$g_pull" "$b_pull")"
printf '%-28s %7s MB/s %7s MB/s\n' "  throughput" "$(mbps "$g_pull")" "$(mbps "$b_pull")"
printf '%-28s %10s %12s %9sx\n' "manifest GET req/s (32 c)" "$g_rps" "$b_rps" "$(ratio "$g_rps" "$b_rps")"
printf '%-28s %8s MB\n' "gantry peak RSS" "$rss_mb"
