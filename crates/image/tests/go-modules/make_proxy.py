"""Writes a GOPROXY=file:// tree serving one module version from a directory.

usage: make_proxy.py SRC_DIR MODULE VERSION PROXY_DIR
The layout is the module proxy protocol's: MODULE/@v/list, VERSION.info, VERSION.mod and
VERSION.zip (files under MODULE@VERSION/).
"""
import json
import os
import sys
import zipfile

src, module, version, proxy = sys.argv[1:5]
d = os.path.join(proxy, module, "@v")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "list"), "w") as f:
    f.write(version + "\n")
with open(os.path.join(d, version + ".info"), "w") as f:
    json.dump({"Version": version, "Time": "2023-01-01T00:00:00Z"}, f)
with open(os.path.join(src, "go.mod"), "rb") as f:
    gomod = f.read()
with open(os.path.join(d, version + ".mod"), "wb") as f:
    f.write(gomod)
with zipfile.ZipFile(os.path.join(d, version + ".zip"), "w") as z:
    for name in sorted(os.listdir(src)):
        z.write(os.path.join(src, name), f"{module}@{version}/{name}")
