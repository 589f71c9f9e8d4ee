# Sourced by the benchmarks that run `gantry dev`: builds it, starts it on ports the kernel picks (API and agent
# port both :0, so no baseline started next to it can collide with either), and waits for readiness, not a fixed
# time (a first start after a build can take a minute on a slow machine).
# usage: source bench/gantry-dev.sh; start_gantry_dev WORKDIR [gantry dev options...]   -> sets gantry_pid, port, endpoint
#        wait_for SECONDS WHAT COMMAND...                         -> polls COMMAND until it succeeds, or fails the run
#        free_port                                                -> prints a port free on 127.0.0.1 (for a baseline)

wait_for() {
  local limit="$1" deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null; do
    if ((SECONDS >= deadline)); then echo "$(basename "$0"): gave up after ${limit}s waiting for $what" >&2; return 1; fi
    sleep 0.2
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_gantry_dev() {
  local work="$1" out
  shift
  out=$(dotnet build "$root/src/Gantry.Cli" -c Release -nologo -v q 2>&1) || { echo "$out" >&2; exit 1; }
  HOME="$work" dotnet "$root/src/Gantry.Cli/bin/Release/net10.0/gantry.dll" dev --listen 127.0.0.1:0 --agent-listen 127.0.0.1:0 \
    --data-dir "$work/data" "$@" >"$work/gantry.log" 2>&1 &
  gantry_pid=$!
  pids+=("$gantry_pid")
  gantry_listening() { kill -0 "$gantry_pid" 2>/dev/null || { cat "$work/gantry.log" >&2; exit 1; }; grep -q "listening on" "$work/gantry.log"; }
  wait_for 300 "gantry dev to listen" gantry_listening || { cat "$work/gantry.log" >&2; exit 1; }
  endpoint=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$work/gantry.log" | head -1)
  port="${endpoint##*:}"
}
