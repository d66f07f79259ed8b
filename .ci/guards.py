#!/usr/bin/env python3
"""Every shortcut of the engine lives only as long as a test fails when its
guard is removed. This script removes each guard in turn (in a git worktree
of HEAD, so the work tree is untouched), runs the bounded differential
test, the live tests (tests/live.rs), tests/rekeyed.rs, tests/data.rs and
tests/prints.rs, and says whether they caught it ("killed") or not
("SURVIVED").

    python3 .ci/guards.py                 # every guard, 40 seeds x 40 steps
    SEEDS=120 STEPS=60 python3 .ci/guards.py in-place related-moved

Not run by CI (about four minutes a guard on two cores). Each guard's
comment in the code names the seed and step that failed without it.
"""
import os
import subprocess
import sys
import tempfile

# (name, file, the guard as written, the guard removed)
GUARDS = [
    ("same-reads", "src/engine/rendering.rs",
     "if old.as_ref().map(|r| &r.reads) != Some(&deps) {", "if old.is_none() {"),
    ("map-rekeyed", "src/engine/maps.rs",
     "if known == inputs && !touched =>", "if known == inputs =>"),
    ("order-keys", "src/link/order.rs",
     "Some((old, placed)) if !placed.contains(&id) => old.order_key(id),",
     "Some((old, _placed)) if old.order_key(id) != 0 => old.order_key(id),"),
    ("collision-filter", "src/engine/rendering.rs",
     ".filter(|t| !collisions.lost.contains(t))", ".filter(|_t| true)"),
    ("page-shards", "src/engine/state/mod.rs",
     "Some(&hash) if !touched.contains(&n) => Ok(hash),", "Some(&hash) => Ok(hash),"),
    ("entry-shards", "src/engine/state/mod.rs",
     ".filter(|&n| touched.contains(&n) || n >= body.kept.entries.len())",
     ".filter(|&n| n >= body.kept.entries.len())"),
    ("unchanged-refs", "src/link/unchanged.rs",
     "old.refs(r.id) == r.refs.as_slice()", "true"),
    ("unchanged-parent", "src/link/unchanged.rs",
     "old.declared_parent.get(r.id.index()).copied().flatten() == r.parent", "true"),
    ("unchanged-order", "src/link/unchanged.rs",
     "old.order_key(id) == order_key(page) && ", ""),
    ("kind-order", "src/link/order.rs",
     "let unchanged = reuse.is_some_and(|(old, changed)| {",
     "let unchanged = reuse.is_some() || reuse.is_some_and(|(old, changed)| {"),
    ("same-graph-print", "src/engine/deps.rs",
     "let same_graph = self.graph == site.graph.print() && !self.pages_moved;",
     "let same_graph = !self.pages_moved;"),
    ("same-graph-moved", "src/engine/deps.rs",
     "let same_graph = self.graph == site.graph.print() && !self.pages_moved;",
     "let same_graph = self.graph == site.graph.print();"),
    ("of-graph", "src/render/reader/dep.rs",
     "            Dep::Refs(_)\n                | Dep::Backlinks(_)",
     "            Dep::Refs(_)\n                | Dep::Body(_)\n                | Dep::Backlinks(_)"),
    ("memo-key", "src/render/data.rs", "            && *k == key\n", "\n"),
    ("stale-links", "src/site/update.rs",
     "rekeyed.contains(&l.kind) && resolver.url(&l.kind, &l.name) != l.url", "false"),
    ("in-place", "src/engine/rendering.rs",
     "        if unchanged().next().is_none() {\n            return true;\n        }",
     "        if true {\n            return true;\n        }"),
    ("related-moved", "src/link/related.rs",
     "        if old_refs == new_refs && !moved {", "        if old_refs == new_refs {"),
    ("related-window", "src/link/related.rs",
     "            if same.len() > inputs.window {\n                shifted.extend(same.iter().copied());\n            }\n            candidates.extend(same);\n        }\n        for &r in new_refs {",
     "            candidates.extend(same);\n        }\n        for &r in new_refs {"),
    ("items-made", "src/link/mod.rs",
     "        || !items.made.is_empty()\n        || !items.removed.is_empty();", ";"),
    ("made-edited", "src/link/mod.rs",
     "    edited.extend(stubs.added.iter().chain(&stubs.removed).copied());\n", ""),
    ("rekeyed-names", "src/link/reresolve.rs",
     "names_a_kind(page, rekeyed)\n", "false\n"),
    ("rekeyed-problems", "src/link/reresolve.rs",
     "|| old.problems.get(id.index()).is_some_and(|p| !p.is_empty())", ""),
    ("rekeyed-made", "src/link/reresolve.rs",
     "    kinds.extend(\n        (stubs.added.iter())", "    kinds.extend(\n        (stubs.added.iter().take(0))"),
    ("part-key", "src/render/export/splice.rs",
     "(made_for == key).then(", "(made_for == made_for).then("),
    ("read-back-hash", "src/render/export/splice.rs",
     "if xxhash_rust::xxh3::xxh3_128(&bytes) != kept.layout.hash {", "if false {"),
    ("part-key-lists", "src/render/export/splice.rs",
     "        for &p in *list {\n            (p, r.version(p)).hash(&mut h);\n        }",
     "        let _ = list;"),
    ("search-packs", "src/render/search/built.rs",
     "                changed.push(after.layout.pack(place));\n", "\n"),
    ("search-layout", "src/render/search/built.rs",
     "                && p.docs.iter().zip(&docs).all(|(a, b)| a.layout == b.layout)", ""),
]


def main():
    repo = subprocess.run(["git", "rev-parse", "--show-toplevel"],
                          capture_output=True, text=True, check=True).stdout.strip()
    only = sys.argv[1:]
    tree = tempfile.mkdtemp(prefix="attache-guards-")
    subprocess.run(["git", "worktree", "add", "-q", "--detach", tree, "HEAD"], cwd=repo, check=True)
    env = dict(os.environ,
               CARGO_TARGET_DIR=os.environ.get("CARGO_TARGET_DIR", os.path.join(repo, "target", "guards")),
               DIFF_SEEDS=os.environ.get("SEEDS", "40"), DIFF_STEPS=os.environ.get("STEPS", "40"))
    survived = 0
    try:
        for name, path, guard, removed in GUARDS:
            if only and name not in only:
                continue
            file = os.path.join(tree, path)
            text = open(file).read()
            if guard not in text:
                print(f"{name}: the guard is not in {path} as written here; update this script", flush=True)
                survived += 1
                continue
            open(file, "w").write(text.replace(guard, removed, 1))
            try:
                run = subprocess.run(["cargo", "test", "--release", "--test", "differential", "--test", "live",
                                      "--test", "rekeyed", "--test", "data", "--test", "prints"],
                                     cwd=tree, env=env, capture_output=True, text=True)
                out = run.stdout + run.stderr
                if run.returncode == 0:
                    print(f"{name}: SURVIVED", flush=True)
                    survived += 1
                elif "test failed" not in out:
                    print(f"{name}: does not build without its guard", flush=True)
                else:
                    where = next((l for l in out.splitlines() if "seed " in l and "step" in l), "")
                    print(f"{name}: killed ({where[:120]})", flush=True)
            finally:
                open(file, "w").write(text)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=repo)
    sys.exit(1 if survived else 0)


if __name__ == "__main__":
    main()
