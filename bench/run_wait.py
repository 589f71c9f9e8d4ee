"""Times Fargate RunTask to RUNNING with signed calls (no AWS CLI start-up in the measurement): runs the task,
polls DescribeTasks every 20 ms until it is RUNNING, prints the seconds, then stops it and waits until it is
STOPPED before the next run (a warm node, nothing else running).
usage: run_wait.py ENDPOINT KEY SECRET REGION FAMILY SUBNET RUNS"""
import sys, time
from awsjson import call

endpoint, key, secret, region, family, subnet, runs = sys.argv[1:8]


def ecs(operation, request):
    return call(endpoint, key, secret, region, "ecs", f"AmazonEC2ContainerServiceV20141113.{operation}", request)


def status(arn):
    return ecs("DescribeTasks", {"tasks": [arn]})["tasks"][0]["lastStatus"]


for _ in range(int(runs)):
    start = time.monotonic()
    run = ecs("RunTask", {"taskDefinition": family, "launchType": "FARGATE",
                          "networkConfiguration": {"awsvpcConfiguration": {"subnets": [subnet]}}})
    if run.get("failures"):
        sys.exit(f"RunTask failed: {run['failures']}")
    arn = run["tasks"][0]["taskArn"]
    while (last := status(arn)) != "RUNNING":
        if last == "STOPPED":
            sys.exit(f"{arn} stopped before it ran")
        time.sleep(0.02)
    print(f"{time.monotonic() - start:.3f}", flush=True)
    ecs("StopTask", {"task": arn})
    while status(arn) != "STOPPED":
        time.sleep(0.05)
