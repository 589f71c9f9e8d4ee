#!/usr/bin/env python3
"""Sets a service's desired count and waits until runningCount reaches it (at most TIMEOUT seconds), printing progress
every 5 s; prints the seconds it took (or where it got to).
usage: service_scale_progress.py ENDPOINT ACCESS_KEY SECRET CLUSTER SERVICE DESIRED TIMEOUT"""
import os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import call  # noqa: E402

endpoint, key, secret, cluster, service = sys.argv[1:6]
desired, timeout = int(sys.argv[6]), int(sys.argv[7])
ecs = lambda action, request: call(endpoint, key, secret, "us-east-1", "ecs", f"AmazonEC2ContainerServiceV20141113.{action}", request)  # noqa: E731

start = time.perf_counter()
ecs("UpdateService", {"cluster": cluster, "service": service, "desiredCount": desired})
shown, first = 0.0, None
while True:
    now = time.perf_counter() - start
    try:
        s = ecs("DescribeServices", {"cluster": cluster, "services": [service]})["services"][0]
    except OSError as e:  # a control plane too busy to answer in time is part of the picture
        print(f"    [{now:.0f} s] DescribeServices failed: {e}", flush=True)
        time.sleep(2)
        continue
    running, pending = s["runningCount"], s["pendingCount"]
    if first is None and running > 0:
        first = now
    if running >= desired:
        print(f"service 0 -> {desired}: all RUNNING in {now:.1f} s (first RUNNING at {first:.1f} s; {desired / now:.0f} tasks/s overall)")
        sys.exit(0)
    if now >= timeout:
        print(f"service 0 -> {desired}: after {timeout} s only {running} RUNNING, {pending} pending ({running / now:.0f} tasks/s)")
        sys.exit(1)
    if now - shown >= 5:
        print(f"    [{now:.0f} s] running {running} pending {pending}", flush=True)
        shown = now
    time.sleep(1)
