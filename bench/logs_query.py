#!/usr/bin/env python3
"""Waits for a log stream to hold every line of `seq 1 N`, prints the ingestion figures, then times FilterLogEvents.
usage: logs_query.py ENDPOINT ACCESS_KEY SECRET REGION GROUP N"""
import os, statistics, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import call  # noqa: E402

endpoint, key, secret, region, group, count = sys.argv[1:7]
count = int(count)
logs = lambda action, request: call(endpoint, key, secret, region, "logs", f"Logs_20140328.{action}", request)  # noqa: E731
expected = sum(len(str(i)) for i in range(1, count + 1))

deadline = time.time() + 600
while True:
    streams = logs("DescribeLogStreams", {"logGroupName": group}).get("logStreams", [])
    stored = sum(s.get("storedBytes", 0) for s in streams)
    if stored >= expected or time.time() > deadline:
        break
    time.sleep(0.2)
if stored != expected:
    sys.exit(f"stored {stored} bytes of messages, expected {expected}: lines were lost or doubled")
stream = streams[0]
first, last, ingested = stream["firstEventTimestamp"], stream["lastEventTimestamp"], stream["lastIngestionTime"]
printed = count / max(0.001, (last - first) / 1000)
shipped = count / max(0.001, (ingested - first) / 1000)
print(f"\nIngestion of {count:,} lines (`seq`, awslogs blocking mode, 2 cores):")
print(f"  container printing into conmon's log (baseline): {printed:>12,.0f} lines/s")
print(f"  stored in the log store, first line to last:     {shipped:>12,.0f} events/s   ratio {shipped / printed:.2f}x   (target >= 100,000/s)")
print(f"  every line stored exactly once: {stored:,} message bytes as expected")


def timed(action, request, follow=False):
    """Milliseconds for the request (with follow: every page until nextToken runs out) and the events returned."""
    start, events, token = time.perf_counter(), 0, None
    while True:
        page = logs(action, dict(request, **({"nextToken": token} if token else {})))
        events += len(page.get("events", []))
        token = page.get("nextToken")
        if not follow or not token:
            return (time.perf_counter() - start) * 1000, events


print(f"\nQueries on a group of {count:,} events (median of 5, ms):")
for label, action, request, follow in [
    ("FilterLogEvents, first page (10,000 events)", "FilterLogEvents", {"logGroupName": group}, False),
    ("FilterLogEvents, rare term, all pages", "FilterLogEvents", {"logGroupName": group, "filterPattern": "999999"}, True),
    ("FilterLogEvents, last second of events", "FilterLogEvents", {"logGroupName": group, "startTime": last - 1000}, False),
    ("GetLogEvents, newest 10,000", "GetLogEvents", {"logGroupName": group, "logStreamName": stream["logStreamName"]}, False),
]:
    runs = [timed(action, request, follow) for _ in range(5)]
    print(f"  {label:<46} {statistics.median(r[0] for r in runs):>8.1f}   ({runs[0][1]:,} events)")
