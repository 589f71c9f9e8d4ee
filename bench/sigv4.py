#!/usr/bin/env python3
"""Prints wrk Lua that replays one SigV4-signed AWS JSON 1.1 request (signatures stay valid for 15 minutes).
usage: sigv4.py ENDPOINT ACCESS_KEY SECRET REGION TARGET BODY"""
import datetime, hashlib, hmac, sys
from urllib.parse import urlparse

endpoint, key, secret, region, target, body = sys.argv[1:7]
host = urlparse(endpoint).netloc
now = datetime.datetime.now(datetime.timezone.utc)
amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
payload_hash = hashlib.sha256(body.encode()).hexdigest()
headers = {"content-type": "application/x-amz-json-1.1", "host": host, "x-amz-date": amz_date, "x-amz-target": target}
signed = ";".join(sorted(headers))
canonical = "\n".join(["POST", "/", "", "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload_hash])
scope = f"{day}/{region}/ecs/aws4_request"
to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
k = ("AWS4" + secret).encode()
for part in (day, region, "ecs", "aws4_request"):
    k = hmac.new(k, part.encode(), hashlib.sha256).digest()
signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
auth = f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={signed}, Signature={signature}"
lua_body = body.replace("\\", "\\\\").replace('"', '\\"')
print(f'wrk.method = "POST"\nwrk.body = "{lua_body}"')
for name, value in [("Content-Type", headers["content-type"]), ("X-Amz-Date", amz_date), ("X-Amz-Target", target), ("Authorization", auth)]:
    print(f'wrk.headers["{name}"] = "{value}"')
