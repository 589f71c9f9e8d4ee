#!/usr/bin/env bash
# Security group update time at N tasks on one node: what an agent does when a rule every task's group has changes
# (one iptables-restore of the task's whole filter table inside each task's network namespace, as TaskNetwork does).
# Makes N namespaces (gfwbench-*), a table of 20 rules with 8 source addresses each, and times applying it to all of
# them one after another and two at a time (the agent applies each task's update on its own). Baseline: the same
# table applied to one namespace, times N. Removes its namespaces on exit. Needs root and iptables.
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
one_start=$(ms); ip netns exec gfwbench-1 iptables-restore < "$rules"; one=$(( $(ms) - one_start ))
seq_start=$(ms); for i in $(seq 1 "$n"); do ip netns exec "gfwbench-$i" iptables-restore < "$rules"; done; sequential=$(( $(ms) - seq_start ))
par_start=$(ms); seq 1 "$n" | xargs -P 2 -I{} sh -c "ip netns exec gfwbench-{} iptables-restore < $rules"; parallel=$(( $(ms) - par_start ))
rm -f "$rules"
echo "tasks=$n rules/table=$(( 20 * 8 + 6 ))"
echo "baseline (one task x $n): $(( one * n )) ms"
echo "sequential: ${sequential} ms ($(( sequential * 1000 / n )) us/task), ratio $(awk "BEGIN{printf \"%.2f\", $sequential/($one*$n)}")x"
echo "two at a time: ${parallel} ms ($(( parallel * 1000 / n )) us/task), ratio $(awk "BEGIN{printf \"%.2f\", $parallel/($one*$n)}")x"
