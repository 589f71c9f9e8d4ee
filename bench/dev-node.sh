# Sourced by the whole-system benchmarks: `gantry dev` (control plane, registry, local agent) in a temporary
# directory, an `aws` function bound to it, signing credentials, and a cleanup on exit that removes everything
# the run left (processes, runc containers, mounts, files). Set bench_cleanup to a function name for more.
# usage: source bench/dev-node.sh; start_dev [gantry dev options...]   (gantry dev on ports the kernel picks; see gantry-dev.sh)
[[ $(id -u) -eq 0 ]] || { echo "$(basename "$0"): needs root (runc)" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/gantry-dev.sh"
work="$(mktemp -d)"
pids=()
bench_cleanup=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for id in $(runc --root "$work/data/agent/runc" list -q 2>/dev/null); do runc --root "$work/data/agent/runc" delete -f "$id" >/dev/null 2>&1 || true; done
  [[ -n "$bench_cleanup" ]] && "$bench_cleanup"
  # Mounts may be stacked (podman's storage): unmount until none is left.
  for _ in 1 2 3 4 5; do
    awk -v w="$work" '$2 ~ "^"w {print $2}' /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  done
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

aws() { HOME="$work" /usr/bin/aws --profile gantry --endpoint-url "http://127.0.0.1:$port" "$@"; }

# Builds and starts `gantry dev`, waits for its agent, sets key and secret for signed calls.
start_dev() {
  start_gantry_dev "$work" "$@"
  agent_registered() { aws ecs list-container-instances --query 'length(containerInstanceArns)' --output text 2>/dev/null | grep -q 1; }
  wait_for 300 "the local agent to register" agent_registered || { cat "$work/gantry.log" >&2; exit 1; }
  key=$(HOME="$work" aws configure get aws_access_key_id --profile gantry)
  secret=$(HOME="$work" aws configure get aws_secret_access_key --profile gantry)
}

# The podman baseline beside `gantry dev`: its own storage under $work (removed on exit), runc, raised ulimits,
# logged in to Gantry's registry with the busybox image pulled. Defines conf (its containers.conf) and pod.
start_podman() {
  conf="$work/containers.conf"
  printf '[engine]\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000","nproc=32768:32768"]\n' >"$conf"
  pod() { CONTAINERS_CONF="$conf" podman --root "$work/podman" --runroot "$work/podman-run" "$@"; }
  remove_podman() { pod rm -af -t 0 >/dev/null 2>&1 || true; }
  bench_cleanup=remove_podman
  pod login --tls-verify=false -u AWS -p "$(aws ecr get-login-password)" "127.0.0.1:$port" >/dev/null
  pod pull -q --tls-verify=false "127.0.0.1:$port/busybox:latest" >/dev/null
}
