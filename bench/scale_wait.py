#!/usr/bin/env python3
"""Sets a service's desired count and waits until it is reached, polling every 50 ms; prints the seconds it took.
Up: runningCount reaches COUNT. Down (COUNT 0): no task of the service wants to run and every one is STOPPED.
usage: scale_wait.py ENDPOINT ACCESS_KEY SECRET REGION SERVICE COUNT"""
import os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import call  # noqa: E402

endpoint, key, secret, region, service, count = sys.argv[1:7]
count = int(count)
ecs = lambda action, request: call(endpoint, key, secret, region, "ecs", f"AmazonEC2ContainerServiceV20141113.{action}", request)  # noqa: E731


def all_stopped():
    if ecs("ListTasks", {"serviceName": service})["taskArns"]:
        return False
    arns, token = [], None
    while True:
        page = ecs("ListTasks", dict({"serviceName": service, "desiredStatus": "STOPPED"}, **({"nextToken": token} if token else {})))
        arns += page["taskArns"]
        token = page.get("nextToken")
        if not token:
            break
    return all(t["lastStatus"] == "STOPPED" for i in range(0, len(arns), 100) for t in ecs("DescribeTasks", {"tasks": arns[i:i + 100]})["tasks"])


start = time.perf_counter()
ecs("UpdateService", {"service": service, "desiredCount": count})
deadline = start + 600
while time.perf_counter() < deadline:
    running = ecs("DescribeServices", {"services": [service]})["services"][0]["runningCount"]
    if (count > 0 and running >= count) or (count == 0 and running == 0 and all_stopped()):
        print(f"{time.perf_counter() - start:.2f}")
        sys.exit(0)
    time.sleep(0.05)
sys.exit(f"service {service} did not reach {count} within 600 s")
