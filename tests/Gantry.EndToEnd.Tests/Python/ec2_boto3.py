"""The EC2 network API through boto3, as a user's script drives it: VPCs, subnets and security groups paged by the
paginators (MaxResults 5, NextToken), the waiters that apply to them, a group rule from another group
(UserIdGroupPairs) and a CIDR with descriptions, DescribeSecurityGroupRules by filters, and EC2's error codes (what is
missing, duplicated or in use, DryRun, MaxResults out of range, a waiter that gives up). Prints one JSON document of
what it saw for the test to check.

usage: ec2_boto3.py ENDPOINT
"""
import json
import sys

import boto3
import botocore.exceptions
from botocore.config import Config

from client_errors import error_of

endpoint = sys.argv[1]
session = boto3.Session(profile_name="gantry")
ec2 = session.client("ec2", endpoint_url=endpoint)
unchecked = session.client("ec2", endpoint_url=endpoint, config=Config(parameter_validation=False))  # what boto3 would refuse itself
seen = {}
quick = {"Delay": 1, "MaxAttempts": 10}


def paged(operation, key, id_key, **kwargs):
    pages = list(ec2.get_paginator(operation).paginate(PaginationConfig={"PageSize": 5}, **kwargs))
    ids = [item[id_key] for page in pages for item in page[key]]
    return {"pages": [len(page[key]) for page in pages], "distinct": len(set(ids)), "ids": ids}


vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "boto3"}]}])["Vpc"]
vpc_id = vpc["VpcId"]
ec2.get_waiter("vpc_exists").wait(VpcIds=[vpc_id], WaiterConfig=quick)
ec2.get_waiter("vpc_available").wait(VpcIds=[vpc_id], WaiterConfig=quick)
seen["vpc"] = {"state": vpc["State"], "cidr": vpc["CidrBlock"], "default": vpc["IsDefault"], "tags": vpc["Tags"]}

subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.30.{n}.0/24")["Subnet"]["SubnetId"] for n in range(6)]
ec2.get_waiter("subnet_available").wait(SubnetIds=subnets, WaiterConfig=quick)
extra_vpcs = [ec2.create_vpc(CidrBlock=f"10.{40 + n}.0.0/16")["Vpc"]["VpcId"] for n in range(5)]
groups = [ec2.create_security_group(GroupName=f"boto3-{n}", Description="paged", VpcId=vpc_id)["GroupId"] for n in range(5)]
ec2.get_waiter("security_group_exists").wait(GroupIds=groups, WaiterConfig=quick)

in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
vpcs = paged("describe_vpcs", "Vpcs", "VpcId")
seen["vpcs_paged"] = {"pages": vpcs["pages"], "distinct": vpcs["distinct"], "has_ours": all(v in vpcs["ids"] for v in [vpc_id, *extra_vpcs])}
subnet_pages = paged("describe_subnets", "Subnets", "SubnetId", Filters=in_vpc)
seen["subnets_paged"] = {"pages": subnet_pages["pages"], "distinct": subnet_pages["distinct"], "same": sorted(subnet_pages["ids"]) == sorted(subnets)}
group_pages = paged("describe_security_groups", "SecurityGroups", "GroupId", Filters=in_vpc)
seen["groups_paged"] = {"pages": group_pages["pages"], "distinct": group_pages["distinct"]}
first = ec2.describe_security_groups(Filters=in_vpc, MaxResults=5)
seen["first_page"] = {"count": len(first["SecurityGroups"]), "token": "NextToken" in first}
rest = ec2.describe_security_groups(Filters=in_vpc, MaxResults=5, NextToken=first["NextToken"])
seen["second_page"] = {"count": len(rest["SecurityGroups"]), "token": "NextToken" in rest}

web, db = groups[0], groups[1]
added = ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web, "Description": "from web"}]},
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh"}]},
])
seen["authorize"] = {"return": added["Return"], "rules": sorted(
    [r["IsEgress"], r["IpProtocol"], r["FromPort"], r["ToPort"], r.get("CidrIpv4"), r.get("ReferencedGroupInfo", {}).get("GroupId") == web,
     r.get("Description"), r["GroupId"] == db, r["SecurityGroupRuleId"].startswith("sgr-")] for r in added["SecurityGroupRules"])}
described = ec2.describe_security_groups(GroupIds=[db])["SecurityGroups"][0]
seen["permissions"] = sorted(
    [p["IpProtocol"], p["FromPort"], p["ToPort"], [[r["CidrIp"], r.get("Description")] for r in p["IpRanges"]],
     [[g["GroupId"] == web, g.get("Description"), "UserId" in g] for g in p["UserIdGroupPairs"]]] for p in described["IpPermissions"])
seen["egress"] = [[p["IpProtocol"], [r["CidrIp"] for r in p["IpRanges"]]] for p in described["IpPermissionsEgress"]]

rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [db]}])["SecurityGroupRules"]
seen["rules_by_group"] = sorted([r["IsEgress"], r["IpProtocol"], r["FromPort"], r["ToPort"]] for r in rules)
ssh = next(r for r in rules if r["FromPort"] == 22)["SecurityGroupRuleId"]
by_id = ec2.describe_security_group_rules(Filters=[{"Name": "security-group-rule-id", "Values": [ssh]}])["SecurityGroupRules"]
seen["rule_by_id"] = [[r["SecurityGroupRuleId"] == ssh, r["CidrIpv4"], r["Description"]] for r in by_id]
seen["rules_by_ids"] = len(ec2.describe_security_group_rules(SecurityGroupRuleIds=[ssh])["SecurityGroupRules"])
seen["zones"] = sorted(z["State"] for z in ec2.describe_availability_zones()["AvailabilityZones"])

try:
    ec2.get_waiter("security_group_exists").wait(GroupIds=["sg-0000000000000dead"], WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    seen["waiter_gave_up"] = None
except botocore.exceptions.WaiterError as error:
    seen["waiter_gave_up"] = error.last_response["Error"]["Code"]

seen["errors"] = {
    "group_not_found": error_of(ec2.describe_security_groups, GroupIds=["sg-0000000000000dead"]),
    "vpc_not_found": error_of(ec2.describe_vpcs, VpcIds=["vpc-0000000000000dead"]),
    "subnet_not_found": error_of(ec2.delete_subnet, SubnetId="subnet-0000000000000dead"),
    "rule_not_found": error_of(ec2.describe_security_group_rules, SecurityGroupRuleIds=["sgr-0000000000000dead"]),
    "dry_run": error_of(ec2.create_security_group, GroupName="dry", Description="dry", VpcId=vpc_id, DryRun=True),
    "dry_run_describe": error_of(ec2.describe_vpcs, DryRun=True),
    "duplicate_group": error_of(ec2.create_security_group, GroupName="boto3-0", Description="again", VpcId=vpc_id),
    "duplicate_rule": error_of(ec2.authorize_security_group_ingress, GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]),
    "revoke_missing": error_of(ec2.revoke_security_group_ingress, GroupId=db, IpPermissions=[
        {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]),
    "group_in_use": error_of(ec2.delete_security_group, GroupId=web),
    "vpc_in_use": error_of(ec2.delete_vpc, VpcId=vpc_id),
    "max_results_too_small": error_of(unchecked.describe_vpcs, MaxResults=4),
    "unknown_filter": error_of(ec2.describe_subnets, Filters=[{"Name": "bogus", "Values": ["x"]}]),
}
seen["groups_after_dry_run"] = len(ec2.describe_security_groups(Filters=[*in_vpc, {"Name": "group-name", "Values": ["dry"]}])["SecurityGroups"])

ec2.revoke_security_group_ingress(GroupId=db, SecurityGroupRuleIds=[ssh])
ec2.revoke_security_group_ingress(GroupId=db, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}])
seen["permissions_after_revoke"] = len(ec2.describe_security_groups(GroupIds=[db])["SecurityGroups"][0]["IpPermissions"])
for group in groups:
    ec2.delete_security_group(GroupId=group)
for subnet in subnets:
    ec2.delete_subnet(SubnetId=subnet)
for doomed in [vpc_id, *extra_vpcs]:
    ec2.delete_vpc(VpcId=doomed)
seen["vpcs_left"] = [v["IsDefault"] for v in ec2.describe_vpcs()["Vpcs"]]
print(json.dumps(seen, separators=(",", ":")))
