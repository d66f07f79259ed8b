#!/usr/bin/env bash
# `attache build` from the state the last build kept, on a generated site:
# nothing changed, one brief's body edited, one agency's title edited, and
# a clean build for comparison. Output on tmpfs (/dev/shm) when there is one.
#
#   bench/incremental.sh [BRIEFS] [RUNS]     (defaults: 10000 briefs, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
briefs=${1:-10000}
runs=${2:-5}
base=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench )}
dir=$base/incremental-$briefs
cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
bin=$PWD/target/release/attache
rm -rf "$dir"
target/release/examples/gen_corpus "$dir/site" "$briefs" >/dev/null
cd "$dir"
"$bin" build --root site --output out 2>/dev/null

# Runs `attache build` after $1 (a shell command), RUNS times; prints the
# median wall time and the largest peak memory.
measure() {
  local name=$1 change=$2 times=() peak=0
  for i in $(seq "$runs"); do
    eval "$change"
    local out
    out=$(/usr/bin/time -f "%e %M" "$bin" build --root site --output out ${3:-} 2>&1 >/dev/null | tail -1)
    times+=("${out% *}")
    [ "${out#* }" -gt "$peak" ] && peak=${out#* }
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-34s median %6.2f s  (all: %s)  peak %d MiB\n' "$name" "$median" "${times[*]}" $((peak / 1024))
}

n=0
measure "no change" ":"
measure "one brief's body edited" 'n=$((n+1)); echo "Edited $n." >> "site/content/briefs/$(ls site/content/briefs | sed -n "$((n+3))p")"'
measure "one agency's title edited" 'n=$((n+1)); f="site/content/agencies/$(ls site/content/agencies | sed -n "$((n%50+1))p")"; sed -i "s/^title = \"\(.*\)\"/title = \"\1 $n\"/" "$f"'
measure "clean build (--clean)" ":" "--clean"
