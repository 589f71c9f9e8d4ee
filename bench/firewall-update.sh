#!/usr/bin/env bash
# Security group update time at N tasks on one node: what an agent does when a rule every task's group has changes
# (one iptables-restore of the task's whole filter table inside each task's network namespace, as TaskNetwork does:
# nsenter and the legacy x_tables backend). Makes N namespaces (gfwbench-*), a table of 20 rules with 8 source addresses
# each, and times applying it to all of them one after another and two at a time (the agent applies each task's update
# on its own, bounded by cores). Baseline: the earlier way, `ip netns exec` and the nftables backend (iptables-restore),
# one after another. Removes its namespaces on exit. Needs root and iptables.
# Usage: bench/firewall-update.sh [N=500]
set -euo pipefail
n=${1:-500}
cleanup() { for i in $(seq 1 "$n"); do ip netns delete "gfwbench-$i" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in $(seq 1 "$n"); do ip netns add "gfwbench-$i"; done
rules=$(mktemp)
{
  printf '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n'
  printf -- '-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -s 10.213.0.1/32 -j ACCEPT\n'
  for r in $(seq 1 20); do for s in $(seq 1 8); do printf -- '-A INPUT -s 10.213.%d.%d/32 -p tcp --dport %d -j ACCEPT\n' "$r" "$s" $((8000 + r)); done; done
  printf -- '-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -j ACCEPT\nCOMMIT\n'
} > "$rules"
ms() { date +%s%3N; }
base_start=$(ms); for i in $(seq 1 "$n"); do ip netns exec "gfwbench-$i" iptables-restore < "$rules"; done; baseline=$(( $(ms) - base_start ))
seq_start=$(ms); for i in $(seq 1 "$n"); do nsenter --net="/run/netns/gfwbench-$i" iptables-legacy-restore < "$rules"; done; sequential=$(( $(ms) - seq_start ))
par_start=$(ms); seq 1 "$n" | xargs -P 2 -I{} sh -c "nsenter --net=/run/netns/gfwbench-{} iptables-legacy-restore < $rules"; parallel=$(( $(ms) - par_start ))
rm -f "$rules"
echo "tasks=$n rules/table=$(( 20 * 8 + 6 ))"
echo "baseline (ip netns exec + nftables iptables-restore, one after another): ${baseline} ms ($(( baseline * 1000 / n )) us/task)"
echo "agent (nsenter + legacy iptables-restore), one after another: ${sequential} ms ($(( sequential * 1000 / n )) us/task), ratio $(awk "BEGIN{printf \"%.2f\", $sequential/$baseline}")x"
echo "agent, two at a time: ${parallel} ms ($(( parallel * 1000 / n )) us/task), ratio $(awk "BEGIN{printf \"%.2f\", $parallel/$baseline}")x"
