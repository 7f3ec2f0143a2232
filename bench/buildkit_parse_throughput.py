#!/usr/bin/env python3
"""Parse throughput of BuildKit's Go parser through the `dockerfile` package, in process.

python3 bench/buildkit_parse_throughput.py DIR [SECONDS]
"""
import os
import sys
import time

import dockerfile


def collect(root):
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.startswith("Dockerfile") or name == "Containerfile":
                yield os.path.join(dirpath, name)


def main():
    root = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    texts = []
    for path in sorted(collect(root)):
        with open(path, "rb") as f:
            texts.append(f.read().decode("utf-8", "replace"))
    total = sum(len(t.encode()) for t in texts)
    files = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for t in texts:
            try:
                dockerfile.parse_string(t)
            except dockerfile.GoParseError:
                pass
            files += 1
    elapsed = time.perf_counter() - start
    rounds = files // len(texts)
    print(f"buildkit (dockerfile {dockerfile.__name__} pkg): {len(texts)} files ({total // 1024} KiB) x {rounds} rounds: "
          f"{files / elapsed:.0f} files/s, {total * rounds / elapsed / 1048576:.1f} MiB/s")


if __name__ == "__main__":
    main()
