#!/usr/bin/env bash
# The everyday edits of a desk, each timed as `attache build` from the
# kept state, with the files it wrote and removed: one brief's body
# edited, a new brief, a brief deleted, a new agency. Each edit is made
# two seconds before its build (older than the window in which a build
# reads files again whatever their times say).
#
#   bench/everyday.sh PROGRAM [BRIEFS]      (10000)
#
# Prints a row per edit: seconds, written, removed, and whether the build
# started from the kept state.
set -euo pipefail
cd "$(dirname "$0")/.."
program=$(realpath "$1")
briefs=${2:-10000}
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench)}
dir=$base/everyday-$briefs
cargo build --release --quiet --example gen_corpus
rm -rf "$dir"
mkdir -p "$dir"
target/release/examples/gen_corpus "$dir/site" "$briefs" >/dev/null
cd "$dir"
# The generated files older than the re-read window, as a desk's are.
sleep 2
"$program" build --root site --output out >/dev/null 2>&1

# Builds after the edit made by "$@"; prints the edit's row.
edit() {
  local name=$1
  shift
  "$@"
  sleep 2
  local started ended said
  started=$(date +%s.%N)
  said=$("$program" build --root site --output out 2>&1 | tail -1)
  ended=$(date +%s.%N)
  local written removed kept=no
  written=$(echo "$said" | sed -n 's/.*: \([0-9]*\) written.*/\1/p')
  removed=$(echo "$said" | sed -n 's/.* \([0-9]*\) removed.*/\1/p')
  case $said in *"last build's state"*) kept=yes ;; esac
  printf '%-24s %6.2f s  %6s written  %5s removed  kept state: %s\n' \
    "$name" "$(echo "$ended - $started" | bc)" "$written" "$removed" "$kept"
}

body() { printf '\nOne more line.\n' >>site/content/briefs/brief-17.md; }
new_brief() {
  sed 's/^title = .*/title = "Today'"'"'s brief"/; s/^date = .*/date = 2030-01-02/' \
    site/content/briefs/brief-5.md >site/content/briefs/today.md
}
delete_brief() { rm site/content/briefs/brief-42.md; }
new_agency() {
  printf '+++\ntitle = "A new agency"\nshort = "NEW"\n+++\nJust set up.\n' >site/content/agencies/new-agency.md
}
sleep 2
edit "one brief's body" body
edit "a new brief" new_brief
edit "a brief deleted" delete_brief
edit "a new agency" new_agency
