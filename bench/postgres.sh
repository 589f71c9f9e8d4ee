# Sourced by the benchmarks that compare the SQLite and PostgreSQL backends: a throwaway PostgreSQL of Debian's
# package (initdb in a temporary directory owned by postgres, trust authentication, 127.0.0.1 on a free port).
# usage: source bench/postgres.sh (after gantry-dev.sh); start_postgres  -> sets pg_url (postgres://gantry@127.0.0.1:PORT/gantry)
#        stop_postgres (idempotent; call it from the script's cleanup)
pg_dir="$(mktemp -d)"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

start_postgres() {
  local port
  chown postgres:postgres "$pg_dir"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U gantry -E UTF8 --no-instructions >/dev/null
  port=$(free_port)
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir" >/dev/null
  runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U gantry gantry
  pg_url="postgres://gantry@127.0.0.1:$port/gantry"
}

stop_postgres() {
  [[ -f "$pg_dir/data/postmaster.pid" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$pg_dir"
}
