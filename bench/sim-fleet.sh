# Sourced by the simulated-fleet benchmarks (simulated-runtask.sh, simulated-service.sh): a Release `gantry server` in a
# temporary directory on ports the kernel picks (SQLite, or PostgreSQL with --store), a cluster, a join token, and
# `gantry simulate` registering a fleet of simulated nodes into it; everything is stopped and removed on exit.
# usage: source bench/sim-fleet.sh
#   start_postgres                 -> pg_url: a throwaway PostgreSQL (initdb in a temp dir as the postgres user, 127.0.0.1, trust)
#   start_server LABEL [STORE_URL] -> gantry_pid, endpoint, agent_endpoint, key, secret; cluster "bench" created
#   start_fleet NODES [simulate options...] -> sim_pid; returns once NODES are registered (prints how long it took)
#   stop_server                    -> stops the fleet and the server of the last start_server
#   rss_mb PID                     -> VmRSS of PID in MB
#   ecs ACTION JSON                -> a signed ECS call, answer on stdout
#   server_findings                -> what the server logged: errors, concurrency conflicts by document kind, reports not stored
# KEEP=1 keeps the logs; CONNECT_PARALLELISM (default 4) is how many nodes join/register at once.
[[ $(id -u) -eq 0 ]] || { echo "$(basename "$0"): needs root (runuser for PostgreSQL)" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/gantry-dev.sh"
work="$(mktemp -d)"
chmod 755 "$work"
pids=()
pg_bin="" pg_dir=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -n "$pg_dir" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
  if [[ -n "${KEEP:-}" ]]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
gantry_dll="$root/src/Gantry.Cli/bin/Release/net10.0/gantry.dll"
out=$(dotnet build "$root/src/Gantry.Cli" -c Release -nologo -v q 2>&1) || { echo "$out" >&2; exit 1; }

rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

ecs() { python3 -c 'import json, sys; sys.path.insert(0, sys.argv[1]); from awsjson import call
print(json.dumps(call(sys.argv[2], sys.argv[3], sys.argv[4], "us-east-1", "ecs", "AmazonEC2ContainerServiceV20141113." + sys.argv[5], json.loads(sys.argv[6]))))' \
  "$root/bench" "$endpoint" "$key" "$secret" "$1" "$2"; }

start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_dir="$work/pg"
  mkdir -p "$pg_dir" && chown postgres:postgres "$pg_dir"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U gantry -E UTF8 --no-instructions >/dev/null
  local pg_port; pg_port=$(free_port)
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=200" >/dev/null
  runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U gantry bench
  pg_url="postgres://gantry@127.0.0.1:$pg_port/bench"
}

start_server() {
  local label="$1" store="${2:-}" dir="$work/$1"
  mkdir -p "$dir"
  HOME="$dir" dotnet "$gantry_dll" server --listen 127.0.0.1:0 --agent-listen 127.0.0.1:0 --data-dir "$dir/data" --write-root-credentials \
    --hosts-file none ${store:+--store "$store"} >"$dir/server.log" 2>&1 &
  gantry_pid=$!
  pids+=("$gantry_pid")
  server_listening() { kill -0 "$gantry_pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }; grep -q "listening on" "$dir/server.log"; }
  wait_for 300 "gantry server to listen" server_listening
  endpoint=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$dir/server.log" | head -1)
  agent_endpoint=$(sed -n 's|.*(agents: \(http://[0-9.]*:[0-9]*\).*|\1|p' "$dir/server.log" | head -1)
  key=$(awk -F' *= *' '$1=="aws_access_key_id"{print $2}' "$dir/data/root-credentials")
  secret=$(awk -F' *= *' '$1=="aws_secret_access_key"{print $2}' "$dir/data/root-credentials")
  server_dir="$dir"
  ecs CreateCluster '{"clusterName":"bench"}' >/dev/null
}

start_fleet() {
  local nodes="$1" token started
  shift
  token=$(HOME="$server_dir" dotnet "$gantry_dll" node token create --cluster bench --endpoint "$endpoint" --data-dir "$server_dir/data")
  started=$SECONDS
  dotnet "$gantry_dll" simulate --nodes "$nodes" --cluster bench --server "$endpoint" --agent-server "$agent_endpoint" --join-token "$token" \
    --connect-parallelism "${CONNECT_PARALLELISM:-4}" "$@" \
    >"$server_dir/simulate.log" 2>&1 &
  sim_pid=$!
  pids+=("$sim_pid")
  fleet_registered() { kill -0 "$sim_pid" 2>/dev/null || { cat "$server_dir/simulate.log" >&2; exit 1; }; tail -1 "$server_dir/simulate.log" 2>/dev/null | grep -q "registered $nodes/$nodes"; }
  fleet_progress() { fleet_registered && return 0; ((SECONDS % 10 == 0)) && echo "  [$((SECONDS - started)) s] $(tail -1 "$server_dir/simulate.log" 2>/dev/null)" >&2 && sleep 1; return 1; }
  wait_for "${REGISTER_TIMEOUT:-900}" "$nodes simulated nodes to register" fleet_progress
  fleet_seconds=$((SECONDS - started))
  echo "  $nodes nodes registered in ${fleet_seconds} s: $(tail -1 "$server_dir/simulate.log")" >&2
}

stop_server() {
  kill "$sim_pid" "$gantry_pid" 2>/dev/null || true
  wait "$sim_pid" "$gantry_pid" 2>/dev/null || true
}

server_findings() {
  local log="$server_dir/server.log"
  echo "  server log: $(grep -c '^fail' "$log" || true) errors, $(grep -c 'could not be stored' "$log" || true) agent reports not stored$(grep -o 'ConcurrencyConflictException: [a-z-]*/' "$log" | sort | uniq -c | awk '{printf ", %s concurrency conflicts on %s", $1, $3}')"
}
