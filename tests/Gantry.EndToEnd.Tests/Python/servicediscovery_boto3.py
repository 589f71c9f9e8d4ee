"""Cloud Map through boto3, as a user's script drives it: a private DNS namespace created and its operation polled to
the end, services and instances, DiscoverInstances (with the host prefix off, as the README says: boto3 would send it
to data-<host>), custom health, the list_* paginators one item a page, tags, and the error codes of what is missing or
in use. Prints one JSON document of what it saw for the test to check.

usage: servicediscovery_boto3.py ENDPOINT
"""
import json
import sys
import time

import boto3
import botocore.exceptions
from botocore.config import Config

from client_errors import error_of

endpoint = sys.argv[1]
session = boto3.Session(profile_name="gantry")
sd = session.client("servicediscovery", endpoint_url=endpoint, config=Config(inject_host_prefix=False))
ec2 = session.client("ec2", endpoint_url=endpoint)
seen = {}


def finished(operation_id):
    """get_operation until the operation is no longer SUBMITTED/PENDING (at most 30 s), as a waiter would."""
    deadline = time.monotonic() + 30
    while True:
        operation = sd.get_operation(OperationId=operation_id)["Operation"]
        if operation["Status"] not in ("SUBMITTED", "PENDING"):
            return operation
        if time.monotonic() > deadline:
            raise TimeoutError(f"operation {operation_id} still {operation['Status']}")
        time.sleep(0.1)


vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
created = sd.create_private_dns_namespace(Name="boto3.local", Vpc=vpc, CreatorRequestId="boto3-ns",
                                          Tags=[{"Key": "team", "Value": "wire"}])
operation = finished(created["OperationId"])
seen["namespace_operation"] = {"status": operation["Status"], "type": operation["Type"], "targets": sorted(operation["Targets"])}
namespace_id = operation["Targets"]["NAMESPACE"]
namespace = sd.get_namespace(Id=namespace_id)["Namespace"]
seen["namespace"] = {"name": namespace["Name"], "type": namespace["Type"], "arn_prefix": namespace["Arn"].split("/")[0],
                     "hosted_zone": "HostedZoneId" in namespace["Properties"]["DnsProperties"]}
http = finished(sd.create_http_namespace(Name="boto3-http")["OperationId"])["Targets"]["NAMESPACE"]

services = {}
for name in ("web", "api"):
    services[name] = sd.create_service(Name=name, NamespaceId=namespace_id, Tags=[{"Key": "tier", "Value": name}],
                                       DnsConfig={"RoutingPolicy": "MULTIVALUE", "DnsRecords": [{"Type": "A", "TTL": 10}]},
                                       HealthCheckCustomConfig={"FailureThreshold": 1})["Service"]
web = services["web"]
seen["service"] = {"name": web["Name"], "namespace": web["NamespaceId"] == namespace_id,
                   "records": web["DnsConfig"]["DnsRecords"], "policy": web["DnsConfig"]["RoutingPolicy"]}

for instance, address, color in (("i-blue", "10.0.0.1", "blue"), ("i-green", "10.0.0.2", "green")):
    registered = finished(sd.register_instance(ServiceId=web["Id"], InstanceId=instance,
                                               Attributes={"AWS_INSTANCE_IPV4": address, "color": color})["OperationId"])
    seen.setdefault("register_operations", []).append([registered["Status"], registered["Type"], registered["Targets"]["INSTANCE"]])


def discovered(**kwargs):
    answer = sd.discover_instances(NamespaceName="boto3.local", ServiceName="web", **kwargs)
    return sorted([i["InstanceId"], i["NamespaceName"], i["ServiceName"], i["HealthStatus"], i["Attributes"]] for i in answer["Instances"])


seen["discovered"] = discovered()
seen["discovered_blue"] = discovered(QueryParameters={"color": "blue"})
sd.update_instance_custom_health_status(ServiceId=web["Id"], InstanceId="i-green", Status="UNHEALTHY")
seen["discovered_healthy"] = [i[0] for i in discovered(HealthStatus="HEALTHY")]
seen["discovered_all"] = [[i[0], i[3]] for i in discovered(HealthStatus="ALL")]

paged = {}
for operation_name, key, kwargs in (("list_namespaces", "Namespaces", {}),
                                    ("list_services", "Services", {"Filters": [{"Name": "NAMESPACE_ID", "Values": [namespace_id]}]}),
                                    ("list_instances", "Instances", {"ServiceId": web["Id"]}),
                                    ("list_operations", "Operations", {})):
    pages = list(sd.get_paginator(operation_name).paginate(PaginationConfig={"PageSize": 1}, **kwargs))
    items = [item.get("Name") or item["Id"] for page in pages for item in page[key]]
    paged[operation_name] = {"pages": len(pages), "items": len(items), "distinct": len(set(items))}
seen["paged"] = paged
seen["service_names"] = sorted(s["Name"] for page in sd.get_paginator("list_services").paginate(
    Filters=[{"Name": "NAMESPACE_ID", "Values": [namespace_id]}]) for s in page["Services"])

sd.tag_resource(ResourceARN=namespace["Arn"], Tags=[{"Key": "env", "Value": "test"}])
sd.untag_resource(ResourceARN=namespace["Arn"], TagKeys=["team"])
seen["namespace_tags"] = sd.list_tags_for_resource(ResourceARN=namespace["Arn"])["Tags"]
seen["service_tags"] = sd.list_tags_for_resource(ResourceARN=web["Arn"])["Tags"]

seen["errors"] = {
    "namespace": error_of(sd.get_namespace, Id="ns-0000000000000000"),
    "service": error_of(sd.get_service, Id="srv-0000000000000000"),
    "instance": error_of(sd.get_instance, ServiceId=web["Id"], InstanceId="i-none"),
    "operation": error_of(sd.get_operation, OperationId="nope"),
    "namespace_in_use": error_of(sd.delete_namespace, Id=namespace_id),
    "service_in_use": error_of(sd.delete_service, Id=web["Id"]),
    "discover_unknown": error_of(sd.discover_instances, NamespaceName="boto3.local", ServiceName="nope"),
    "tags_unknown": error_of(sd.list_tags_for_resource, ResourceARN=namespace["Arn"].replace(namespace_id, "ns-0000000000000000")),
}

for instance in ("i-blue", "i-green"):
    finished(sd.deregister_instance(ServiceId=web["Id"], InstanceId=instance)["OperationId"])
for service in services.values():
    sd.delete_service(Id=service["Id"])
deleted = [finished(sd.delete_namespace(Id=n)["OperationId"])["Status"] for n in (namespace_id, http)]
seen["deleted"] = deleted
seen["namespaces_left"] = [n["Name"] for n in sd.list_namespaces()["Namespaces"]]
print(json.dumps(seen, separators=(",", ":")))
