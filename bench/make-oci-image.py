#!/usr/bin/env python3
"""Writes an OCI image layout with layers of random (incompressible) files, for registry benchmarks.
usage: make-oci-image.py DIR TAG SIZE_MB [SIZE_MB ...]"""
import gzip, hashlib, io, json, os, sys, tarfile

def blob(directory, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(directory, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest

def main(directory, tag, sizes):
    os.makedirs(os.path.join(directory, "blobs", "sha256"), exist_ok=True)
    layers, diff_ids = [], []
    for i, size in enumerate(sizes):
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            content = os.urandom(size * 1024 * 1024)
            info = tarfile.TarInfo(f"data/layer-{i}.bin")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        diff_ids.append("sha256:" + hashlib.sha256(raw.getvalue()).hexdigest())
        compressed = gzip.compress(raw.getvalue(), compresslevel=1, mtime=0)
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": blob(directory, compressed), "size": len(compressed)})
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(directory, config), "size": len(config)},
                           "layers": layers}).encode()
    digest = blob(directory, manifest)
    index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": len(manifest),
                                                "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(directory, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    print(digest)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]])
