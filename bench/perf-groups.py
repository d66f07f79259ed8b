#!/usr/bin/env python3
"""Groups the self time of a perf profile by what the symbols do, for the
profiles in BENCHMARKS.md:

    perf record -e cpu-clock -F 1999 -g -o perf.data attache build --clean
    bench/perf-groups.py perf.data
"""

import collections
import re
import subprocess
import sys

MEMORY = re.compile(
    r"page|folio|mm_|clear_page|lru|rmqueue|memcg|pte|zap|tlb|vma|alloc_pages|free_pages|mmap|munmap|irq"
)

# First match wins: (group, pattern on the symbol).
GROUPS = [
    ("allocation", r"mi_|malloc|free|realloc|alloc::raw_vec|alloc::alloc"),
    ("copying bytes (memmove)", r"memmove|memcpy|memset"),
    ("templates (tera)", r"^tera::|<tera::|indexmap"),
    ("markdown", r"pulldown|attache::markdown"),
    ("search index", r"attache::search|Tokenizer"),
    ("sorting", r"sort"),
    ("hashing", r"xxh|Hash|hash"),
    ("comparing", r"memcmp|cmp|PartialEq"),
    ("serializing (state, JSON)", r"serde|postcard|Serialize|json"),
    ("formatting, escaping", r"fmt|format|escape"),
]


def group(kind: str, symbol: str) -> str:
    if kind == "k":
        if MEMORY.search(symbol):
            return "kernel: memory (page faults, zeroing, freeing)"
        return "kernel: files (open, stat, readlink, write, rename)"
    for name, pattern in GROUPS:
        if re.search(pattern, symbol):
            return name
    return "other"


def main() -> None:
    report = subprocess.run(
        ["perf", "report", "-i", sys.argv[1], "--no-children", "--sort", "dso,sym",
         "--stdio", "-g", "none"],
        capture_output=True, text=True, check=True,
    ).stdout
    shares = collections.Counter()
    for line in report.splitlines():
        m = re.match(r"\s+([\d.]+)%\s+(\S+)\s+\[(.)\]\s+(.*)", line)
        if m:
            shares[group(m.group(3), m.group(4))] += float(m.group(1))
    for name, share in shares.most_common():
        print(f"{share:5.1f}%  {name}")


if __name__ == "__main__":
    main()
