"""One DescribeClusters through boto3 with botocore's standard retry mode while the control plane's store is down:
botocore retries the answers it gets (ServerException, ThrottlingException) until the store is back. Started before
the outage (Python and boto3 take seconds to start), it creates READY_FILE once it can call, then waits for the
outage: calls without retries until one fails (for at most 60 s). Prints one JSON document: the error codes of the attempts that failed, how many retries
botocore made, the clusters it got and how long the call took.

usage: outage_boto3.py ENDPOINT CLUSTER READY_FILE
"""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, cluster, ready = sys.argv[1:4]
session = boto3.Session(profile_name="gantry")
ecs = session.client("ecs", endpoint_url=endpoint, config=Config(retries={"mode": "standard", "max_attempts": 12}))
probe = session.client("ecs", endpoint_url=endpoint, config=Config(retries={"mode": "standard", "max_attempts": 1}))
failed = []

probe.describe_clusters(clusters=[cluster])
open(ready, "w").close()
waiting = time.monotonic()
while True:
    try:
        probe.describe_clusters(clusters=[cluster])
    except ClientError:
        break
    if time.monotonic() - waiting > 60:
        sys.exit("the outage did not come within 60 s")
    time.sleep(0.05)


def seen(response_dict, parsed_response, exception, **_):
    """Every attempt's answer (botocore emits it before deciding whether to retry); a connection error has none."""
    if exception is not None:
        failed.append({"status": None, "code": type(exception).__name__})
    elif response_dict["status_code"] != 200:
        failed.append({"status": response_dict["status_code"], "code": parsed_response.get("Error", {}).get("Code")})


ecs.meta.events.register("response-received.ecs.DescribeClusters", seen)
started = time.monotonic()
response = ecs.describe_clusters(clusters=[cluster])
print(json.dumps({
    "failed": failed,
    "retries": response["ResponseMetadata"]["RetryAttempts"],
    "clusters": [c["clusterName"] for c in response["clusters"]],
    "seconds": round(time.monotonic() - started, 2),
}))
