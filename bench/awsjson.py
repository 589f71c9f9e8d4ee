"""SigV4-signed AWS JSON 1.1 requests for the benchmark scripts (no botocore on Debian's python3)."""
import datetime, hashlib, hmac, json, urllib.request
from urllib.parse import urlparse


def signed_headers(endpoint, key, secret, region, service, target, body):
    """The headers of one signed POST / (valid for 15 minutes)."""
    host = urlparse(endpoint).netloc
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload_hash = hashlib.sha256(body.encode()).hexdigest()
    headers = {"content-type": "application/x-amz-json-1.1", "host": host, "x-amz-date": amz_date, "x-amz-target": target}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["POST", "/", "", "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload_hash])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={signed}, Signature={signature}"
    return headers


def call(endpoint, key, secret, region, service, target, request):
    """Sends one request and returns the parsed JSON answer."""
    body = json.dumps(request)
    headers = signed_headers(endpoint, key, secret, region, service, target, body)
    headers.pop("host")
    req = urllib.request.Request(endpoint, data=body.encode(), headers=headers, method="POST")
    with urllib.request.urlopen(req) as response:
        text = response.read()
    return json.loads(text) if text else {}
