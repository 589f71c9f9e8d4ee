#!/usr/bin/env python3
"""Sends COUNT concurrent ~28 MB AWS JSON bodies (ECR UploadLayerPart) to a Gantry endpoint while sampling the
server's RSS every 50 ms; prints "peak_rss_mb ok refused" for the round.
usage: unauthenticated_bodies.py ENDPOINT PID COUNT unsigned|signed [KEY SECRET REGION]"""
import base64, json, os, socket, sys, threading, time
from urllib.parse import urlparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsjson import signed_headers  # noqa: E402

endpoint, pid, count, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
target = "AmazonEC2ContainerRegistry_V20150921.UploadLayerPart"
blob = base64.b64encode(os.urandom(20 * 1024 * 1024)).decode()  # 20 MiB of layer: ~28 MB of JSON, under the 28 MiB limit
body = json.dumps({"repositoryName": "bench", "uploadId": "00000000-0000-0000-0000-000000000000",
                   "partFirstByte": 0, "partLastByte": 20 * 1024 * 1024 - 1, "layerPartBlob": blob})


def rss_mb():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def send(results):
    if mode == "signed":
        key, secret, region = sys.argv[5:8]
        headers = signed_headers(endpoint, key, secret, region, "ecr", target, body)
    else:
        headers = {"host": urlparse(endpoint).netloc, "content-type": "application/x-amz-json-1.1", "x-amz-target": target}
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"content-length: {len(body)}\r\n\r\n"
    url = urlparse(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=120) as s:
        try:
            s.sendall(head.encode() + body.encode())
        except OSError:
            pass  # refused before the body was read: the server closed the connection
        answer = s.recv(65536).decode(errors="replace")
    results.append(answer.split(" ", 2)[1] if answer.startswith("HTTP/1.1") else "closed")


peak, done, results = rss_mb(), threading.Event(), []


def sample():
    global peak
    while not done.is_set():
        peak = max(peak, rss_mb())
        time.sleep(0.05)


sampler = threading.Thread(target=sample)
sampler.start()
senders = [threading.Thread(target=send, args=(results,)) for _ in range(count)]
for t in senders:
    t.start()
for t in senders:
    t.join()
done.set()
sampler.join()
statuses = {s: results.count(s) for s in sorted(set(results))}
print(f"{peak:.0f} {json.dumps(statuses, separators=(',', ':'))}")
