#!/usr/bin/env bash
# Asks and offers at scale: one brief raising N items and another giving
# one of them N updates, built from nothing, for N doubling. The time and
# memory should double with N (linear), not grow faster.
#
#   bench/items.sh PROGRAM [N...]      (1000 2000 4000 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
program=$(realpath "$1")
shift
sizes=("${@:-1000 2000 4000 8000}")
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench)}
root=$(pwd)
for n in ${sizes[*]}; do
  dir=$base/items-$n
  rm -rf "$dir"
  mkdir -p "$dir/content/briefs" "$dir/content/agencies"
  cp "$root/attache.toml" "$dir/"
  printf '+++\ntitle = "A"\n+++\n' >"$dir/content/agencies/a.md"
  {
    printf '+++\ntitle = "Many"\ndate = 2025-01-01\nagencies = ["a"]\n'
    for i in $(seq 0 $((n - 1))); do
      printf '\n[[asks]]\nid = "x%d"\nby = "a"\nto = "a"\nwhat = "Item %d"\ndue = "2025-06"\n' "$i" "$i"
    done
    printf '+++\nBody.\n'
  } >"$dir/content/briefs/many.md"
  {
    printf '+++\ntitle = "Updates"\ndate = 2025-02-01\n'
    for i in $(seq 0 $((n - 1))); do
      printf '\n[[updates]]\nid = "x0"\nstatus = "in-progress"\nnote = "Step %d"\n' "$i"
    done
    printf '+++\nBody.\n'
  } >"$dir/content/briefs/updates.md"
  /usr/bin/time -f "$n items, $n updates of one: %e s, %M KB" \
    "$program" build --root "$dir" --output "$dir/out" 2>&1 >/dev/null | tail -1
done
