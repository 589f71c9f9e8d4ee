#!/usr/bin/env bash
# DNS queries/s: Gantry's DnsServer (authoritative for app.local, web.app.local with 50 A records, multivalue: 8 per
# answer) against dnsmasq serving the same 50 records from a hosts file (--addn-hosts: all 50 per answer), both on
# 127.0.0.1, the same load generator (bench/Gantry.Bench.Dns load: UDP, EDNS 1232, CLIENTS clients with WINDOW
# queries outstanding each) for SECONDS each. Usage: dns-throughput.sh [seconds] (CLIENTS=8 WINDOW=8 ROUNDS=1 DNSMASQ_RECORDS=50)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CLIENTS=${CLIENTS:-8}
WINDOW=${WINDOW:-8}
ROUNDS=${ROUNDS:-1}
DNSMASQ_RECORDS=${DNSMASQ_RECORDS:-50} # 8: the same answer size as Gantry's multivalue 8
command -v dnsmasq >/dev/null || PATH=$PATH:/usr/sbin
command -v dnsmasq >/dev/null || { echo "dnsmasq is not installed (apt-get install dnsmasq-base)" >&2; exit 1; }

dotnet build -c Release bench/Gantry.Bench.Dns -v q -nologo >/dev/null
BIN=bench/Gantry.Bench.Dns/bin/Release/net10.0/Gantry.Bench.Dns.dll

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for i in $(seq 1 "$DNSMASQ_RECORDS"); do echo "10.0.0.$i web.app.local"; done >"$tmp/hosts"
dport=$(shuf -i 20000-60000 -n 1)
dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts="$tmp/hosts" --port="$dport" --listen-address=127.0.0.1 \
  --bind-interfaces --pid-file= --log-facility=- 2>"$tmp/dnsmasq.log" &
pids+=($!)

mkfifo "$tmp/stdin"
dotnet "$BIN" serve <"$tmp/stdin" >"$tmp/serve.out" &
pids+=($!)
exec 3>"$tmp/stdin" # keeps the server's stdin open
for _ in $(seq 1 100); do grep -q '^port ' "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
gport=$(awk '/^port /{print $2}' "$tmp/serve.out")
[ -n "$gport" ] || { echo "the Gantry server did not start" >&2; cat "$tmp/serve.out" >&2; exit 1; }

echo "gantry on 127.0.0.1:$gport, dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}') on 127.0.0.1:$dport; $CLIENTS clients x $WINDOW outstanding, ${SECS}s each, $(nproc) cores"
dig @127.0.0.1 -p "$gport" +short web.app.local A | wc -l | xargs echo "  gantry answers per query:"
dig @127.0.0.1 -p "$dport" +short web.app.local A | wc -l | xargs echo "  dnsmasq answers per query:"

qps() { dotnet "$BIN" load "$1" web.app.local "$CLIENTS" "$SECS" "$WINDOW"; }
for r in $(seq 1 "$ROUNDS"); do
  g=$(qps "$gport"); echo "  round $r gantry : $g"
  d=$(qps "$dport"); echo "  round $r dnsmasq: $d"
  gq=$(echo "$g" | awk '{print $2}'); dq=$(echo "$d" | awk '{print $2}')
  echo "  round $r ratio gantry/dnsmasq: $(awk -v g="$gq" -v d="$dq" 'BEGIN{printf "%.2fx", g/d}')"
done
