#!/usr/bin/env python3
"""PutLogEvents load for wrk: creates GROUPS log groups (one stream each) and prints wrk Lua that sends, round robin
per connection, one SigV4-signed PutLogEvents of EVENTS ~80-byte events to each group (signatures stay valid for
15 minutes; the same events are appended again on every call, which CloudWatch allows).
usage: logs_put.py ENDPOINT ACCESS_KEY SECRET REGION GROUPS EVENTS > put.lua
       logs_put.py --stored ENDPOINT ACCESS_KEY SECRET REGION GROUPS   -> prints the events stored (message bytes / 80)"""
import json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import call, signed_headers  # noqa: E402

TARGET = "Logs_20140328."
MESSAGE = 80


def message(i):
    text = f"2026-12-07T02:00:00Z INFO request {i} served in 12 ms path=/api/items status=200 bytes=5120 "
    return (text * 2)[:MESSAGE]


def main(argv):
    if argv[0] == "--stored":
        endpoint, key, secret, region, groups = argv[1:6]
        stored = 0
        for g in range(int(groups)):
            answer = call(endpoint, key, secret, region, "logs", TARGET + "DescribeLogGroups", {"logGroupNamePrefix": f"/bench/put/{g}"})
            stored += sum(group["storedBytes"] for group in answer["logGroups"] if group["logGroupName"] == f"/bench/put/{g}")
        print(stored // MESSAGE)
        return
    endpoint, key, secret, region, groups, events = argv[:6]
    now = int(time.time() * 1000)
    requests = []
    for g in range(int(groups)):
        name = f"/bench/put/{g}"
        call(endpoint, key, secret, region, "logs", TARGET + "CreateLogGroup", {"logGroupName": name})
        call(endpoint, key, secret, region, "logs", TARGET + "CreateLogStream", {"logGroupName": name, "logStreamName": "s"})
        body = json.dumps({"logGroupName": name, "logStreamName": "s",
                           "logEvents": [{"timestamp": now + i, "message": message(i)} for i in range(int(events))]})
        requests.append((signed_headers(endpoint, key, secret, region, "logs", TARGET + "PutLogEvents", body), body))
    print("local requests, n = {}, 0")
    for headers, body in requests:
        lua_headers = ", ".join(f'["{k.title()}"] = {json.dumps(v)}' for k, v in headers.items())
        print(f'table.insert(requests, wrk.format("POST", "/", {{{lua_headers}}}, {json.dumps(body)}))')
    print("function request() n = n % #requests + 1; return requests[n] end")
    print("function init(args) n = math.random(#requests) end")


main(sys.argv[1:])
