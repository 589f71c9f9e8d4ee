#!/usr/bin/env python3
"""RunTask (count 10 each) from CLIENTS parallel signed clients until SECONDS pass or CALLS calls were made; prints the
tasks placed per second, API latency p50/p99, failures (by reason) and errors, then waits until the cluster's
runningTasksCount reaches the tasks placed (at most WAIT seconds, progress every 5 s).
usage: runtask_burst.py ENDPOINT ACCESS_KEY SECRET CLUSTER FAMILY CLIENTS SECONDS CALLS WAIT"""
import collections, http.client, json, os, sys, threading, time
from urllib.parse import urlparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import call, signed_headers  # noqa: E402

endpoint, key, secret, cluster, family = sys.argv[1:6]
clients, seconds, calls, wait = (int(a) for a in sys.argv[6:10])
target = "AmazonEC2ContainerServiceV20141113.RunTask"
body = json.dumps({"cluster": cluster, "taskDefinition": family, "count": 10})
lock = threading.Lock()
issued = 0
latencies, placed, failures, errors = [], [0], collections.Counter(), collections.Counter()


def client():
    global issued
    url = urlparse(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    while True:
        with lock:
            if issued >= calls or time.perf_counter() > deadline:
                return
            issued += 1
        headers = signed_headers(endpoint, key, secret, "us-east-1", "ecs", target, body)
        headers.pop("host")
        start = time.perf_counter()
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException) as e:
            with lock:
                errors[type(e).__name__] += 1
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
            continue
        elapsed = time.perf_counter() - start
        answer = json.loads(text) if text else {}
        with lock:
            latencies.append(elapsed)
            if response.status != 200:
                errors[answer.get("__type", str(response.status)).split("#")[-1]] += 1
                continue
            placed[0] += len(answer.get("tasks", []))
            for failure in answer.get("failures", []):
                failures[failure.get("reason", "?")] += 1


began = time.perf_counter()
deadline = began + seconds
threads = [threading.Thread(target=client) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - began
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")  # noqa: E731
rate = placed[0] / wall
print(f"RunTask count 10 x {len(latencies)} calls from {clients} clients in {wall:.1f} s: {placed[0]} tasks placed, {rate:.0f} tasks/s "
      f"({rate / 2000:.3f}x the 2,000 tasks/s target); API p50 {pct(0.50):.0f} ms, p99 {pct(0.99):.0f} ms, max {pct(1.0):.0f} ms")
print(f"  placement failures: {sum(failures.values())} {dict(failures) if failures else ''}; API errors: {sum(errors.values())} {dict(errors) if errors else ''}")
print(f"placed={placed[0]}", file=sys.stderr)

ecs = lambda action, request: call(endpoint, key, secret, "us-east-1", "ecs", f"AmazonEC2ContainerServiceV20141113.{action}", request)  # noqa: E731
start, shown = time.perf_counter(), 0.0
while True:
    c = ecs("DescribeClusters", {"clusters": [cluster]})["clusters"][0]
    now = time.perf_counter() - start
    if c["runningTasksCount"] >= placed[0]:
        print(f"  all {placed[0]} placed tasks RUNNING {now:.1f} s after the burst ended ({wall + now:.1f} s after it began)")
        break
    if now >= wait:
        print(f"  after {wait} s only {c['runningTasksCount']} of {placed[0]} placed tasks RUNNING ({c['pendingTasksCount']} pending)")
        break
    if now - shown >= 5:
        print(f"    [{now:.0f} s] running {c['runningTasksCount']} pending {c['pendingTasksCount']}", flush=True)
        shown = now
    time.sleep(0.5)
