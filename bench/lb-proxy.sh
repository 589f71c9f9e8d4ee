#!/usr/bin/env bash
# An application load balancer's data plane side by side with nginx as the same reverse proxy, in one run:
#   targets: 3 nginx servers on 127.0.0.1 answering 200 "ok" (keep-alive), the same for both proxies;
#   Gantry:  `gantry dev`, an ALB with an HTTP listener forwarding to an ip target group of the 3 targets
#            (round robin, health checks on), created with the AWS CLI;
#   nginx:   (Debian package) an upstream of the 3 targets with keep-alive connections, proxy_http_version 1.1.
# wrk -t2 -c64 for each (same duration, alternating), then the latency a proxy adds at one connection (wrk -c1
# through the proxy minus straight to a target), then the RSS each proxy process adds holding 10,000 idle
# keep-alive connections (idle_connections.py). Targets: Gantry >= 1.0x nginx's requests/s, p99 <= 1.5x.
# usage: bench/lb-proxy.sh [seconds per wrk run, default 15]
set -euo pipefail
seconds="${1:-15}"
command -v nginx >/dev/null || { echo "lb-proxy.sh: needs nginx (apt-get install nginx-light)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "lb-proxy.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
source "$(dirname "$0")/dev-node.sh"
ulimit -n "$(ulimit -Hn)"  # 10,000 idle connections need as many descriptors in the client and in each proxy
start_dev

nginx_pids=()
stop_nginx() { for p in "${nginx_pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
bench_cleanup=stop_nginx
t1=$(free_port); t2=$(free_port); t3=$(free_port); np=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/targets.conf" <<CONF
worker_processes 1; pid $work/nginx/targets.pid; error_log $work/nginx/targets.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$t1; listen 127.0.0.1:$t2; listen 127.0.0.1:$t3; location / { return 200 "ok\n"; } } }
CONF
cat >"$work/nginx/proxy.conf" <<CONF
worker_processes 2; pid $work/nginx/proxy.pid; error_log $work/nginx/proxy.err; worker_rlimit_nofile 65536;
events { worker_connections 20000; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 600s;
  upstream targets { server 127.0.0.1:$t1; server 127.0.0.1:$t2; server 127.0.0.1:$t3; keepalive 64; }
  server { listen 127.0.0.1:$np; location / { proxy_pass http://targets; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } } }
CONF
for c in targets proxy; do nginx -p "$work/nginx" -c "$work/nginx/$c.conf" -g 'daemon off;' & nginx_pids+=($!); done

lb_port=$(free_port)
lb=$(aws elbv2 create-load-balancer --name bench --subnets subnet-bench --query 'LoadBalancers[0].[LoadBalancerArn,DNSName]' --output text)
lb_arn=${lb%%$'\t'*}; dns=${lb##*$'\t'}
tg=$(aws elbv2 create-target-group --name bench --protocol HTTP --port "$t1" --target-type ip --vpc-id "$(aws elbv2 describe-load-balancers \
  --load-balancer-arns "$lb_arn" --query 'LoadBalancers[0].VpcId' --output text)" --health-check-interval-seconds 5 --health-check-timeout-seconds 2 --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 register-targets --target-group-arn "$tg" --targets "Id=127.0.0.1,Port=$t1" "Id=127.0.0.1,Port=$t2" "Id=127.0.0.1,Port=$t3" >/dev/null
aws elbv2 create-listener --load-balancer-arn "$lb_arn" --protocol HTTP --port "$lb_port" --default-actions "Type=forward,TargetGroupArn=$tg" >/dev/null
healthy() { [[ $(aws elbv2 describe-target-health --target-group-arn "$tg" --query 'length(TargetHealthDescriptions[?TargetHealth.State==`healthy`])' --output text) == 3 ]]; }
wait_for 120 "3 healthy targets" healthy
address=$(getent hosts "$dns" | awk '{print $1}')
[[ -n "$address" ]] || { echo "lb-proxy.sh: $dns does not resolve on this node" >&2; exit 1; }
gantry_url="http://$address:$lb_port/"; nginx_url="http://127.0.0.1:$np/"
curl -sf "$gantry_url" >/dev/null && curl -sf "$nginx_url" >/dev/null

# wrk's summary: requests/s and p99 in ms.
measure() {
  wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${seconds}s" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
    /Latency/ && !lat {l=$2; if (l ~ /us$/) {sub(/us/,"",l); l/=1000} else if (l ~ /ms$/) {sub(/ms/,"",l)} else {sub(/s/,"",l); l*=1000}; lat=l}
    /Non-2xx/ {bad=$NF}
    END {printf "%.0f %.3f %.3f %d\n", rps, p99, lat, bad}'
}
wrk -t2 -c64 -d3s "$gantry_url" >/dev/null; wrk -t2 -c64 -d3s "$nginx_url" >/dev/null   # warm both
read -r g_rps g_p99 _ g_bad < <(measure "$gantry_url" 64)
read -r n_rps n_p99 _ n_bad < <(measure "$nginx_url" 64)
read -r g2_rps g2_p99 _ g2_bad < <(measure "$gantry_url" 64)
read -r n2_rps n2_p99 _ n2_bad < <(measure "$nginx_url" 64)
read -r _ _ d_lat _ < <(measure "http://127.0.0.1:$t1/" 1)
read -r _ _ g_lat _ < <(measure "$gantry_url" 1)
read -r _ _ n_lat _ < <(measure "$nginx_url" 1)

read -r g_before g_after < <(python3 "$root/bench/idle_connections.py" "$address" "$lb_port" 10000 "$gantry_pid")
read -r n_before n_after < <(python3 "$root/bench/idle_connections.py" 127.0.0.1 "$np" 10000 "${nginx_pids[1]}")

printf '\nALB data plane vs nginx reverse proxy, 3 local targets, 2 cores, wrk -t2 -c64 %ss per run:\n' "$seconds"
printf '%-34s %12s %12s %8s\n' "" "gantry" "nginx" "ratio"
printf '%-34s %12s %12s %7sx\n' "requests/s, run 1" "$g_rps" "$n_rps" "$(echo "scale=2; $g_rps / $n_rps" | bc)"
printf '%-34s %12s %12s %7sx\n' "requests/s, run 2" "$g2_rps" "$n2_rps" "$(echo "scale=2; $g2_rps / $n2_rps" | bc)"
printf '%-34s %12s %12s %7sx\n' "p99 ms, run 1" "$g_p99" "$n_p99" "$(echo "scale=2; $g_p99 / $n_p99" | bc)"
printf '%-34s %12s %12s %7sx\n' "p99 ms, run 2" "$g2_p99" "$n2_p99" "$(echo "scale=2; $g2_p99 / $n2_p99" | bc)"
printf '%-34s %12s %12s\n' "non-2xx answers (runs 1+2)" "$((g_bad + g2_bad))" "$((n_bad + n2_bad))"
printf '%-34s %12.3f %12.3f   (direct %.3f ms)\n' "added latency per request, ms (c1)" "$(echo "$g_lat - $d_lat" | bc)" "$(echo "$n_lat - $d_lat" | bc)" "$d_lat"
printf '%-34s %12s %12s\n' "RSS added by 10,000 idle conns, MB" "$(( (g_after - g_before) / 1024 ))" "$(( (n_after - n_before) / 1024 ))"
