#!/usr/bin/env python3
"""Prints wrk Lua that replays one SigV4-signed AWS JSON 1.1 request (signatures stay valid for 15 minutes).
usage: sigv4.py ENDPOINT ACCESS_KEY SECRET REGION TARGET BODY"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import signed_headers  # noqa: E402

endpoint, key, secret, region, target, body = sys.argv[1:7]
headers = signed_headers(endpoint, key, secret, region, "ecs", target, body)
lua_body = body.replace("\\", "\\\\").replace('"', '\\"')
print(f'wrk.method = "POST"\nwrk.body = "{lua_body}"')
for name in ["content-type", "x-amz-date", "x-amz-target", "authorization"]:
    print(f'wrk.headers["{name.title()}"] = "{headers[name]}"')
