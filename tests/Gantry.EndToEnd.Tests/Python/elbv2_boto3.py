"""The ELBv2 API through boto3, as a user's script drives it: a load balancer, a target group with a target, a
listener, target health and the paginator, then hostile awsQuery bodies (wrong types, a truncated pair, bad
percent-encoding, a missing required field) put in place of boto3's own body just before signing, so they arrive
properly signed. Prints one JSON document of what it saw for the test to check.

usage: elbv2_boto3.py ENDPOINT TARGET_PORT LISTENER_PORT
"""
import json
import sys

import boto3
import botocore.exceptions

endpoint, target_port, listener_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
session = boto3.Session(profile_name="gantry")
elb = session.client("elbv2", endpoint_url=endpoint)
seen = {}

lb = elb.create_load_balancer(Name="boto3", Subnets=["subnet-1"], Type="application")["LoadBalancers"][0]
tg = elb.create_target_group(Name="boto3", Protocol="HTTP", Port=target_port, VpcId=lb["VpcId"], TargetType="ip",
                             HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=2)["TargetGroups"][0]
elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": "127.0.0.1", "Port": target_port}])
listener = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=listener_port,
                               DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])["Listeners"][0]
seen["dns"] = lb["DNSName"]
seen["listener_port"] = listener["Port"]
seen["health"] = [d["TargetHealth"]["State"] for d in elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]]
seen["paged"] = [b["LoadBalancerName"] for page in elb.get_paginator("describe_load_balancers").paginate(PaginationConfig={"PageSize": 1})
                 for b in page["LoadBalancers"]]
try:
    elb.describe_target_groups(Names=["nope"])
except botocore.exceptions.ClientError as error:
    seen["not_found"] = {"status": error.response["ResponseMetadata"]["HTTPStatusCode"], "code": error.response["Error"]["Code"]}

arn = tg["TargetGroupArn"]
hostile = {
    "port_as_word": "Action=CreateTargetGroup&Version=2015-12-01&Name=bad&Protocol=HTTP&Port=eighty&VpcId=vpc-1",
    "truncated_pair": f"Action=RegisterTargets&Version=2015-12-01&TargetGroupArn={arn}&Targets.member.1.Id",
    "target_port_as_list": f"Action=RegisterTargets&Version=2015-12-01&TargetGroupArn={arn}&Targets.member.1.Id=127.0.0.1&Targets.member.1.Port.member.1=80",
    "bad_percent": "Action=CreateLoadBalancer&Version=2015-12-01&Name=%zz",
    "missing_name": "Action=CreateLoadBalancer&Version=2015-12-01&Subnets.member.1=subnet-1",
    "null_member": f"Action=RegisterTargets&Version=2015-12-01&TargetGroupArn={arn}&Targets.member.1=",
}
raw = session.client("elbv2", endpoint_url=endpoint)
body = {}
raw.meta.events.register("before-sign.elastic-load-balancing-v2.DescribeAccountLimits",
                         lambda request, **_: setattr(request, "data", body["next"].encode()))
seen["hostile"] = {}
for name, text in hostile.items():
    body["next"] = text
    try:
        raw.describe_account_limits()
        seen["hostile"][name] = {"status": 200}
    except botocore.exceptions.ClientError as error:
        seen["hostile"][name] = {"status": error.response["ResponseMetadata"]["HTTPStatusCode"], "code": error.response["Error"]["Code"]}
seen["targets_after_hostile"] = len(elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"])
seen["groups_after_hostile"] = [g["TargetGroupName"] for g in elb.describe_target_groups()["TargetGroups"]]
elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
elb.delete_target_group(TargetGroupArn=arn)
print(json.dumps(seen))
