"""IAM, STS, Secrets Manager and Parameter Store through boto3, as a user's script drives them: a user with a policy
that allows one cluster, its key refused elsewhere (AccessDeniedException as botocore parses it), AssumeRole into a
role and the session's identity, the IAM and SSM paginators, a secret rotated by PutSecretValue, a SecureString read
with and without decryption. Prints one JSON document of what it saw for the test to check.

usage: identity_boto3.py ENDPOINT
"""
import json
import sys

import boto3

from client_errors import error_of

endpoint = sys.argv[1]
root = boto3.Session(profile_name="gantry")
iam = root.client("iam", endpoint_url=endpoint)
ecs = root.client("ecs", endpoint_url=endpoint)
seen = {}
account = root.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]

ecs.create_cluster(clusterName="boto-a")
ecs.create_cluster(clusterName="boto-b")
iam.create_user(UserName="boto")
iam.put_user_policy(UserName="boto", PolicyName="a", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "ecs:DescribeClusters", "Resource": f"arn:aws:ecs:us-east-1:{account}:cluster/boto-a"},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
key = iam.create_access_key(UserName="boto")["AccessKey"]
user = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
user_ecs = user.client("ecs", endpoint_url=endpoint)
seen["allowed"] = [c["clusterName"] for c in user_ecs.describe_clusters(clusters=["boto-a"])["clusters"]]
seen["denied"] = error_of(user_ecs.describe_clusters, clusters=["boto-b"])
for n in range(3):
    iam.create_user(UserName=f"paged-{n}", Path="/paged/")
pages = list(iam.get_paginator("list_users").paginate(PathPrefix="/paged/", PaginationConfig={"PageSize": 1}))
seen["users_paged"] = [[u["UserName"] for u in page["Users"]] for page in pages]

role = iam.create_role(RoleName="boto-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/boto"}, "Action": "sts:AssumeRole"}]}))["Role"]
assumed = user.client("sts", endpoint_url=endpoint).assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=900)
creds = assumed["Credentials"]
session = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"], region_name="us-east-1")
seen["assumed"] = {"arn": session.client("sts", endpoint_url=endpoint).get_caller_identity()["Arn"],
                   "user": assumed["AssumedRoleUser"]["Arn"], "key": creds["AccessKeyId"][:4]}
seen["role_denied"] = error_of(session.client("ecs", endpoint_url=endpoint).list_clusters)

secrets = root.client("secretsmanager", endpoint_url=endpoint)
secrets.create_secret(Name="boto/db", SecretString='{"password":"one"}')
secrets.put_secret_value(SecretId="boto/db", SecretString='{"password":"two"}')
seen["secret"] = {"current": secrets.get_secret_value(SecretId="boto/db")["SecretString"],
                  "previous": secrets.get_secret_value(SecretId="boto/db", VersionStage="AWSPREVIOUS")["SecretString"]}

ssm = root.client("ssm", endpoint_url=endpoint)
ssm.put_parameter(Name="/boto/app/password", Value="s3cret", Type="SecureString")
for n in range(3):
    ssm.put_parameter(Name=f"/boto/app/p{n}", Value=str(n), Type="String")
clear = ssm.get_parameter(Name="/boto/app/password", WithDecryption=True)["Parameter"]["Value"]
sealed = ssm.get_parameter(Name="/boto/app/password")["Parameter"]["Value"]
seen["secure"] = {"decrypted": clear, "sealed_differs": sealed != clear}
pages = list(ssm.get_paginator("get_parameters_by_path").paginate(Path="/boto", Recursive=True, PaginationConfig={"PageSize": 2}))
seen["params_paged"] = {"pages": len(pages), "names": sorted(p["Name"] for page in pages for p in page["Parameters"])}
print(json.dumps(seen, separators=(",", ":")))
