"""Fargate through boto3, as a new user's script would drive it: register the Fargate definition, run it with
launchType FARGATE and with a capacity provider strategy (waiting with boto3's own waiter), then send hostile
input (nulls, wrong types) signed as boto3 signs. Prints one JSON document of what it saw for the test to check.

usage: fargate_boto3.py ENDPOINT CLUSTER SUBNET
"""
import json
import sys

import boto3
import botocore.exceptions

endpoint, cluster, subnet = sys.argv[1:4]
session = boto3.Session(profile_name="gantry")
ecs = session.client("ecs", endpoint_url=endpoint)
network = {"awsvpcConfiguration": {"subnets": [subnet], "assignPublicIp": "DISABLED"}}
seen = {}

ecs.register_task_definition(
    family="fgt-boto3",
    networkMode="awsvpc",
    requiresCompatibilities=["FARGATE"],
    cpu="1 vCPU",
    memory="2GB",
    executionRoleArn="arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
    containerDefinitions=[{"name": "app", "image": "busybox", "essential": True, "stopTimeout": 2,
                           "command": ["sleep", "600"]}],
)


def run(**capacity):
    response = ecs.run_task(cluster=cluster, taskDefinition="fgt-boto3", networkConfiguration=network, **capacity)
    arn = response["tasks"][0]["taskArn"]
    ecs.get_waiter("tasks_running").wait(cluster=cluster, tasks=[arn], WaiterConfig={"Delay": 1, "MaxAttempts": 90})
    task = ecs.describe_tasks(cluster=cluster, tasks=[arn])["tasks"][0]
    ecs.stop_task(cluster=cluster, task=arn)
    return {key: task.get(key) for key in ("launchType", "capacityProviderName", "platformVersion", "platformFamily",
                                           "cpu", "memory", "lastStatus", "containerInstanceArn")} | {
        "attachment": {d["name"]: d["value"] for d in task["attachments"][0]["details"]},
    }


seen["launchType"] = run(launchType="FARGATE")
seen["strategy"] = run(capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}])

# Hostile input: the bodies a broken client would send (nulls, wrong types), put in place of boto3's own body just
# before signing, so they arrive properly signed.
network_json = json.dumps(network)
hostile = {
    "count_as_string": f'{{"cluster":"{cluster}","taskDefinition":"fgt-boto3","launchType":"FARGATE","networkConfiguration":{network_json},"count":"two"}}',
    "null_subnets": f'{{"cluster":"{cluster}","taskDefinition":"fgt-boto3","launchType":"FARGATE","networkConfiguration":{{"awsvpcConfiguration":{{"subnets":null}}}}}}',
    "null_subnet_entry": f'{{"cluster":"{cluster}","taskDefinition":"fgt-boto3","launchType":"FARGATE","networkConfiguration":{{"awsvpcConfiguration":{{"subnets":[null]}}}}}}',
    "no_network": f'{{"cluster":"{cluster}","taskDefinition":"fgt-boto3","launchType":"FARGATE"}}',
    "strategy_weight_as_list": f'{{"cluster":"{cluster}","taskDefinition":"fgt-boto3","networkConfiguration":{network_json},"capacityProviderStrategy":[{{"capacityProvider":"FARGATE","weight":[1]}}]}}',
    "strategy_as_object": f'{{"cluster":"{cluster}","taskDefinition":"fgt-boto3","networkConfiguration":{network_json},"capacityProviderStrategy":{{"capacityProvider":"FARGATE"}}}}',
    "not_an_object": '[1,2,3]',
}
raw = session.client("ecs", endpoint_url=endpoint)
body = {}
raw.meta.events.register("before-sign.ecs.RunTask", lambda request, **_: setattr(request, "data", body["next"].encode()))
seen["hostile"] = {}
for name, text in hostile.items():
    body["next"] = text
    try:
        raw.run_task(cluster=cluster, taskDefinition="fgt-boto3")
        seen["hostile"][name] = {"status": 200}
    except botocore.exceptions.ClientError as error:
        seen["hostile"][name] = {"status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                                 "code": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}
seen["tasks_after_hostile"] = len(ecs.list_tasks(cluster=cluster, family="fgt-boto3", desiredStatus="RUNNING")["taskArns"])
print(json.dumps(seen))
