#!/usr/bin/env python3
"""Writes crates/cli/link/hot-functions.ld from callgrind profiles of the release binary.

The linker script gathers the functions that `inspect`, `lint` and start-up run into one
`.text.hot` output section at the front of the code. The kernel maps code in 64-128 KB chunks
around each page fault, so hot code scattered through 10 MB of text makes most of the text
resident; gathered, it costs a few chunks (see BENCHMARKS.md, "inspect memory").

Patterns leave out the parts of a symbol that change from build to build (the legacy mangling
hash, the `.llvm.N` suffix of promoted locals, v0 crate disambiguators), so the list stays
valid across edits and only needs regenerating when the hot path changes shape. A pattern that
would also pull in much code that never ran (a generic shared by many instances) keeps the exact
name instead.

usage: hot-functions.py OUT.ld BINARY CALLGRIND_OUT... [-- BINARY CALLGRIND_OUT...]...
       (each binary with its profiles, hottest workload first)
"""
import re
import subprocess
import sys

HASH = re.compile(r"17h[0-9a-f]{16}E(\.llvm\.\d+)?$")
V0_CRATE = re.compile(r"Cs[0-9A-Za-z]+_(?=\d)")
LLVM_SUFFIX = re.compile(r"\.llvm\.\d+$")
EXTRA_ALLOWED = 4096


def executed(profile):
    """Mangled names of the functions a callgrind profile (run with --demangle=no) saw run."""
    names = []
    for line in open(profile, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if m:
            # callgrind marks recursion levels with a `'N` suffix
            names.append(re.sub(r"'\d+$", "", m.group(1)))
    return names


def pattern(name):
    if HASH.search(name):
        return HASH.sub("17h*", name)
    if name.startswith("_R"):
        return V0_CRATE.sub("Cs*_", LLVM_SUFFIX.sub("*", name))
    return None


def glob_to_regex(p):
    return re.compile("^" + re.escape(p).replace(r"\*", ".*") + "$")


def hot_entries(binary, profiles):
    """Linker-script entries for the functions `profiles` saw run in `binary`, one list per profile."""
    sizes = {}
    nm = subprocess.run(["nm", "-S", binary], capture_output=True, text=True, check=True)
    for line in nm.stdout.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[2] in ("t", "T", "w", "W"):
            sizes[parts[3]] = sizes.get(parts[3], 0) + int(parts[1], 16)
    ran = set()
    ordered = []
    first_of_profile = []
    for prof in profiles:
        first_of_profile.append(len(ordered))
        for n in executed(prof):
            if n not in ran and n in sizes and (n.startswith("_ZN") or n.startswith("_R")):
                ran.add(n)
                ordered.append(n)
    by_pattern = {}
    for n in ordered:
        p = pattern(n)
        if p:
            by_pattern.setdefault(p, []).append(n)
    # Bytes each pattern would pull in, against what actually ran.
    candidates = {p: glob_to_regex(p) for p in by_pattern}
    pulled = dict.fromkeys(candidates, 0)
    prefix_index = {}
    for p in candidates:
        prefix_index.setdefault(p.split("*", 1)[0], []).append(p)
    for sym, size in sizes.items():
        for prefix, ps in prefix_index.items():
            if sym.startswith(prefix):
                for p in ps:
                    if candidates[p].match(sym):
                        pulled[p] += size
    entries = [[] for _ in profiles]
    emitted = set()
    hot_bytes = 0
    per_profile = []
    profile = -1
    for i, n in enumerate(ordered):
        while profile + 1 < len(profiles) and i >= first_of_profile[profile + 1]:
            profile += 1
            per_profile.append(hot_bytes)
        p = pattern(n)
        ran_bytes = sum(sizes[x] for x in by_pattern.get(p, []))
        # A generic's instances are small and many ran: take them all unless that drags in
        # more code than ran.
        if p and pulled[p] - ran_bytes <= max(EXTRA_ALLOWED, ran_bytes):
            entry, bytes_ = p, pulled[p]
        else:
            entry, bytes_ = n, sizes[n]
        if entry not in emitted:
            emitted.add(entry)
            hot_bytes += bytes_
            entries[profile].append(entry)
    per_profile += [hot_bytes] * (len(profiles) - len(per_profile))
    per_profile = [b - a for a, b in zip(per_profile, per_profile[1:] + [hot_bytes])]
    print(f"{binary}: {sum(map(len, entries))} patterns, {len(ordered)} functions ran, about {hot_bytes // 1024} KB", file=sys.stderr)
    for prof, b in zip(profiles, per_profile):
        print(f"  {prof.rsplit('/', 1)[-1]}: +{b // 1024} KB", file=sys.stderr)
    return entries


def main():
    """usage: hot-functions.py OUT.ld BINARY PROFILE... [-- BINARY PROFILE...]..."""
    out, rest = sys.argv[1], sys.argv[2:]
    groups = []
    while rest:
        cut = rest.index("--") if "--" in rest else len(rest)
        groups.append((rest[0], rest[1:cut]))
        rest = rest[cut + 1 :]
    lines = []
    emitted = set()
    # Each build (inlining differs between profiles) adds the names only it has; a name another
    # build lacks matches nothing there and costs nothing. Workload by workload, so that every
    # build finds inspect's functions at the very front.
    per_build = [hot_entries(binary, profiles) for binary, profiles in groups]
    for k in range(max(len(p) for p in per_build)):
        for entry in (e for build in per_build if k < len(build) for e in build[k]):
            if entry not in emitted:
                emitted.add(entry)
                # LLVM puts functions it guesses cold in `.text.unlikely.*`; some run all the same.
                lines.append(f"    *(.text.{entry} .text.unlikely.{entry})")
    with open(out, "w") as f:
        f.write("/* Generated by scripts/hot-functions.sh: the functions inspect, lint and start-up run,\n")
        f.write("   gathered at the front of the code so that few pages of it become resident. */\n")
        f.write("SECTIONS\n{\n  .text.hot : {\n")
        f.write("\n".join(lines))
        f.write("\n  }\n}\nINSERT BEFORE .text;\n")
    print(f"{out}: {len(lines)} patterns", file=sys.stderr)

main()
