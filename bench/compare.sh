#!/usr/bin/env bash
# Two attache programs side by side on the same generated site, runs
# interleaved (A, B, A, B, ...) so that a machine whose speed drifts
# treats both alike: a build after one brief's body was edited, after one
# agency's title was edited, with nothing changed, and with --clean.
# Each program has its own copy of the site (and so its own kept state)
# and its own output folder. Prints each run's wall time and peak memory,
# then the medians.
#
#   bench/compare.sh OLD_PROGRAM NEW_PROGRAM [BRIEFS] [RUNS]   (10000, 5)
#
# For example, against the commit before a change:
#   git worktree add /tmp/before HEAD~3
#   (cd /tmp/before && CARGO_TARGET_DIR=/tmp/before-target cargo build --release)
#   bench/compare.sh /tmp/before-target/release/attache target/release/attache
set -euo pipefail
cd "$(dirname "$0")/.."
a=$(realpath "$1")
b=$(realpath "$2")
briefs=${3:-10000}
runs=${4:-5}
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench)}
dir=$base/compare-$briefs
cargo build --release --quiet --example gen_corpus
rm -rf "$dir"
mkdir -p "$dir"
target/release/examples/gen_corpus "$dir/site" "$briefs" >/dev/null
cp -r "$dir/site" "$dir/site-a"
mv "$dir/site" "$dir/site-b"
cd "$dir"
"$a" build --root site-a --output out-a >/dev/null 2>&1
"$b" build --root site-b --output out-b >/dev/null 2>&1

# One build by program $1 (a or b), with extra options; prints "wall peak-MiB".
run() {
  local program=$a
  [ "$1" = b ] && program=$b
  /usr/bin/time -f "%e %M" "$program" build --root "site-$1" --output "out-$1" "${@:2}" 2>&1 >/dev/null |
    tail -1 | awk '{ printf "%s %d", $1, $2 / 1024 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Runs scenario $1: `change` (a shell function of the site folder) before
# each build, then the build with options $2.
scenario() {
  local name=$1 options=${2:-} ta=() tb=()
  for i in $(seq "$runs"); do
    for side in a b; do
      change "site-$side" "$i"
      local out
      # shellcheck disable=SC2086
      out=$(run "$side" $options)
      [ "$side" = a ] && ta+=("${out% *}") || tb+=("${out% *}")
      printf '%-12s run %d  %s  %s s, %s MiB\n' "$name" "$i" "$side" "${out% *}" "${out#* }"
    done
  done
  printf '%-12s median  A %s s   B %s s\n' "$name" \
    "$(printf '%s\n' "${ta[@]}" | median)" "$(printf '%s\n' "${tb[@]}" | median)"
}

nth() { ls "$1" | sed -n "$2p"; }
change() { echo "Edited $2." >>"$1/content/briefs/$(nth "$1/content/briefs" $(($2 + 10)))"; }
scenario "brief body"
change() {
  local f
  f="$1/content/agencies/$(nth "$1/content/agencies" $(($2 + 10)))"
  sed -i "s/^title = \"\(.*\)\"/title = \"\1 $2\"/" "$f"
}
scenario "agency title"
change() { :; }
scenario "no change"
scenario "clean" --clean
