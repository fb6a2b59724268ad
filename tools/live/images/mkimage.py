#!/usr/bin/env python3
"""Writes a single-layer image archive (the docker-archive layout `ctr images import` reads) from a
root filesystem directory, reproducibly: sorted entries, fixed mtimes, ownership from --chown rules
(everything else root:root). No registry, no daemon.

mkimage.py --rootfs DIR --tag REF --out FILE [--entrypoint JSON] [--cmd JSON] [--user U]
           [--workdir D] [--env K=V ...] [--chown PATH=UID:GID ...] [--expose PORT ...]
"""
import argparse, hashlib, io, json, os, tarfile

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--tag", required=True, action="append")
    ap.add_argument("--out", required=True)
    ap.add_argument("--entrypoint")
    ap.add_argument("--cmd")
    ap.add_argument("--user", default="")
    ap.add_argument("--workdir", default="/")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--chown", action="append", default=[], help="PATH=UID:GID, applies below PATH too")
    a = ap.parse_args()

    owners = []
    for rule in a.chown:
        path, ids = rule.split("=", 1)
        uid, gid = ids.split(":")
        owners.append((path.strip("/"), int(uid), int(gid)))
    owners.sort(key=lambda o: len(o[0]))

    def owner(rel):
        uid = gid = 0
        for path, u, g in owners:
            if rel == path or rel.startswith(path + "/"):
                uid, gid = u, g
        return uid, gid

    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for root, dirs, files in os.walk(a.rootfs):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                full = os.path.join(root, name)
                rel = os.path.relpath(full, a.rootfs)
                info = tar.gettarinfo(full, arcname=rel)
                info.mtime = 0
                info.uid, info.gid = owner(rel)
                info.uname = info.gname = ""
                if info.isreg():
                    with open(full, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    layer_bytes = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()

    config = {
        "architecture": "amd64", "os": "linux",
        "config": {
            "User": a.user, "WorkingDir": a.workdir,
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + a.env,
            "Entrypoint": json.loads(a.entrypoint) if a.entrypoint else None,
            "Cmd": json.loads(a.cmd) if a.cmd else None,
            "Labels": {"io.voicehelper.live": "built offline by tools/live/images"},
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "tools/live/images/mkimage.py"}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": a.tag, "Layers": ["layer.tar"]}]

    with tarfile.open(a.out, mode="w") as out:
        for name, data in (("layer.tar", layer_bytes), (config_name, config_bytes),
                           ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))

if __name__ == "__main__":
    main()
