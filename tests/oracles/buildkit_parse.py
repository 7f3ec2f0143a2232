#!/usr/bin/env python3
"""BuildKit's parser (through the `dockerfile` package) as an oracle for differential tests.

Reads a JSON array of Dockerfile texts on stdin; writes a JSON array with, for each, either
{"instructions": [...]} in the schema of `dockstage parse --format json` or {"error": message}.
"""
import json
import sys

import dockerfile


def record(cmd):
    return {
        "cmd": cmd.cmd,
        "sub_cmd": cmd.sub_cmd,
        "json": cmd.json,
        "original": cmd.original,
        "flags": list(cmd.flags),
        "value": list(cmd.value),
        "start_line": cmd.start_line,
        "end_line": cmd.end_line,
        "heredocs": [
            {"name": h.name, "file_descriptor": h.file_descriptor, "content": h.content}
            for h in cmd.heredocs
        ],
    }


def main():
    out = []
    for text in json.load(sys.stdin):
        try:
            out.append({"instructions": [record(c) for c in dockerfile.parse_string(text)]})
        except dockerfile.GoParseError as e:
            out.append({"error": str(e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
