#!/usr/bin/env bash
# How a build scales: on a generated site of BRIEFS briefs, with the output
# on tmpfs (/dev/shm) when there is one, RUNS full builds into an empty
# folder after a warm-up (median wall time, cpu, peak memory from
# /usr/bin/time -v), the `cp -r` of the output they write (a floor for
# writing it), `attache check`, the output's size and file count, and its
# largest HTML page.
#
#   bench/scale.sh [BRIEFS] [RUNS]        (defaults: 10000 briefs, 3 runs)
#   ATTACHE=path/to/attache bench/scale.sh ...   to measure another program
set -euo pipefail
cd "$(dirname "$0")/.."
briefs=${1:-10000}
runs=${2:-3}
base=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench )}
dir=$base/scale-$briefs
cargo build --release --quiet --example gen_corpus
if [ -z "${ATTACHE:-}" ]; then
  cargo build --release --quiet
  ATTACHE=$PWD/target/release/attache
fi
if [ ! -d "$dir/site" ]; then
  target/release/examples/gen_corpus "$dir/site" "$briefs" >/dev/null
fi
cd "$dir"
rm -rf site/.attache

# Prints "wall user system peak_kib" of a command.
timed() {
  /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1
}
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }

rm -rf out && "$ATTACHE" build --root site --output out --clean >/dev/null 2>&1
walls=(); peaks=(); cpus=(); copies=(); checks=()
for _ in $(seq "$runs"); do
  rm -rf out copy
  read -r wall user sys peak < <(timed "$ATTACHE" build --root site --output out --clean)
  walls+=("$wall"); peaks+=("$peak"); cpus+=("$(echo "$user + $sys" | bc)")
  start=$(date +%s.%N); cp -r out copy; copies+=("$(echo "$(date +%s.%N) - $start" | bc)")
  read -r wall _ _ _ < <(timed "$ATTACHE" check --root site)
  checks+=("$wall")
done
printf 'briefs %s: build into an empty folder %s s (runs: %s), cpu %s s, peak %s MiB\n' \
  "$briefs" "$(printf '%s\n' "${walls[@]}" | median)" "${walls[*]}" \
  "$(printf '%s\n' "${cpus[@]}" | median)" "$(( $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) / 1024 ))"
printf 'cp -r of the output: %.2f s; check: %s s (runs: %s)\n' \
  "$(printf '%s\n' "${copies[@]}" | median)" "$(printf '%s\n' "${checks[@]}" | median)" "${checks[*]}"
printf 'output: %s files, %s MB; largest page: %s\n' \
  "$(find out -type f | wc -l)" "$(( $(du -sb --apparent-size out | cut -f1) / 1000000 ))" \
  "$(find out -name '*.html' -printf '%s %P\n' | sort -n | tail -1)"
rm -rf copy
