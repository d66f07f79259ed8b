#!/usr/bin/env python3
"""The import graph between the top-level modules of src/, and its cycles.

    python3 .ci/layers.py           # prints each module's imports, then any cycle
    python3 .ci/layers.py --check   # exits 1 if the modules form a cycle

A module imports another when its files name `crate::<other>` (or, in
src/main.rs and src/cmd/, `attache::<other>`), outside comments and
`#[cfg(test)]` modules. Modules are the files and folders directly under
src/ (lib.rs and main.rs aside).
"""
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def modules():
    names = set()
    for entry in os.listdir(SRC):
        if entry in ("lib.rs", "main.rs"):
            continue
        if entry.endswith(".rs"):
            names.add(entry[:-3])
        elif os.path.isdir(os.path.join(SRC, entry)):
            names.add(entry)
    return names


def code_of(text):
    """The text without comments and without `#[cfg(test)] mod ... { }` blocks."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def files_of(module):
    path = os.path.join(SRC, module)
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for f in files:
                if f.endswith(".rs"):
                    yield os.path.join(root, f)
    else:
        yield path + ".rs"


def graph(names):
    edges = {m: set() for m in names}
    for m in names:
        for f in files_of(m):
            with open(f, encoding="utf-8") as fh:
                code = code_of(fh.read())
            prefix = r"(?:crate|attache)" if m == "cmd" else r"crate"
            for other in re.findall(prefix + r"::(\w+)", code):
                if other in names and other != m:
                    edges[m].add(other)
            # `use crate::{a, b::c}` groups.
            for group in re.findall(prefix + r"::\{([^}]*)\}", code):
                for other in re.findall(r"(?:^|,)\s*(\w+)", group):
                    if other in names and other != m:
                        edges[m].add(other)
    return edges


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    edges = graph(modules())
    for m in sorted(edges):
        print(f"{m:12} -> {', '.join(sorted(edges[m])) or '(nothing)'}")
    found = cycles(edges)
    for comp in found:
        inner = [(a, b) for a in comp for b in sorted(edges[a]) if b in comp]
        print(f"\ncycle of {len(comp)} modules: {', '.join(comp)}")
        for a, b in inner:
            print(f"  {a} -> {b}")
    if not found:
        print("\nno cycle: the modules are layers")
    if "--check" in sys.argv and found:
        sys.exit(1)


if __name__ == "__main__":
    main()
