#!/usr/bin/env python3
"""Latency and memory of a Dockerfile language server over stdio, for BENCHMARKS.md.

usage: bench/lsp_latency.py CORPUS_DIR -- SERVER_COMMAND...
e.g.   bench/lsp_latency.py ../shared/corpus -- target/release/dockstage lsp
       bench/lsp_latency.py ../shared/corpus -- docker-langserver --stdio

Measures: time from spawn to the initialize result; didChange -> publishDiagnostics on a
100-line and a 1,000-line Dockerfile (dockstage with debounceMs 0, so the debounce is
excluded; the node server's own validation delay is part of its figure); hover and completion
round trips; resident memory (VmRSS) with 50 documents open.
"""
import json, os, statistics, subprocess, sys, time

def corpus_files(root):
    out = []
    for d, _, fs in os.walk(root):
        for f in fs:
            n = f.lower()
            if n == "dockerfile" or n.endswith(".dockerfile") or n.startswith("dockerfile.") or n.startswith("containerfile"):
                out.append(os.path.join(d, f))
    return sorted(out)

class Server:
    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.id = 0
    def send(self, msg):
        b = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
        self.p.stdin.flush()
    def read(self):
        length = 0
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))
    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.id and "method" not in m:
                return m
            self.answer(m)
    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})
    def wait_diagnostics(self, uri, version=None):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m
            self.answer(m)
    def answer(self, m):
        if "id" in m and "method" in m:  # a request from the server
            items = m.get("params", {}).get("items", [])
            result = [None] * len(items) if m["method"] == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": result})

def make_file(files, lines):
    out, text = [], ""
    for f in files:
        out.extend(open(f, encoding="utf-8", errors="replace").read().splitlines())
        if len(out) >= lines:
            break
    return "\n".join(out[:lines]) + "\n"

def main():
    sep = sys.argv.index("--")
    root, cmd = sys.argv[1], sys.argv[sep + 1:]
    files = corpus_files(root)
    t0 = time.perf_counter()
    s = Server(cmd)
    s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}, "initializationOptions": {"debounceMs": 0}})
    startup = time.perf_counter() - t0
    s.notify("initialized", {})
    print(f"startup to initialize result: {startup*1000:.1f} ms")
    for lines in (100, 1000):
        text = make_file(files, lines)
        uri = f"file:///bench/{lines}/Dockerfile"
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
        s.wait_diagnostics(uri)
        times = []
        for v in range(2, 52):
            t = time.perf_counter()
            # Type one character on the last line, then delete it, as typing does. Every change
            # really changes the text: the node server publishes nothing for a no-op edit.
            insert = v % 2 == 0
            s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": {"start": {"line": lines - 1, "character": 0}, "end": {"line": lines - 1, "character": 0 if insert else 1}}, "text": "x" if insert else ""}]})
            s.wait_diagnostics(uri)
            times.append(time.perf_counter() - t)
        print(f"didChange -> publishDiagnostics, {lines} lines: median {statistics.median(times)*1000:.2f} ms, p90 {sorted(times)[int(len(times)*0.9)]*1000:.2f} ms")
        for method, pos in (("textDocument/hover", {"line": 2, "character": 1}), ("textDocument/completion", {"line": 3, "character": 2})):
            ts = []
            for _ in range(50):
                t = time.perf_counter()
                s.request(method, {"textDocument": {"uri": uri}, "position": pos})
                ts.append(time.perf_counter() - t)
            print(f"{method.split('/')[1]}, {lines} lines: median {statistics.median(ts)*1000:.2f} ms")
    for n, f in enumerate(files[:50]):
        uri = f"file:///bench/open/{n}/Dockerfile"
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": open(f, encoding="utf-8", errors="replace").read()}})
        s.wait_diagnostics(uri)
    rss = 0
    # The node server's command is a script: sum the process tree.
    pids = [s.p.pid] + [int(x) for x in subprocess.run(["pgrep", "-P", str(s.p.pid)], capture_output=True, text=True).stdout.split()]
    for pid in pids:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1])
    print(f"resident memory with 50 documents open: {rss/1024:.1f} MiB")
    s.request("shutdown", None)
    s.notify("exit", None)
    s.p.wait(timeout=10)

main()
