#!/usr/bin/env bash
# One build from the kept state, the same one again and again, by each
# of several programs in turn:
#
#   bench/replay.sh EDIT ROUNDS PROGRAM... [-- BRIEFS]
#
# EDIT is a shell command run in the site's folder after its full build,
# for example 'rm content/briefs/brief-61.md' (an old brief deleted) or
# 'cp content/briefs/brief-5.md content/briefs/today.md'. Each program
# gets its own copy of one generated corpus (a kept state is only read by
# the program that wrote it), builds it, and has the edit made; its
# .attache/ and output folder are then copied aside. Each round puts them
# back (the content is not touched, so no input is newer than the
# window in which a build reads files again) and times the build, so
# every round of a program does the same work: unlike bench/ab.sh, whose
# rounds pile edits on one another. Prints each program's times, wall and
# CPU (user + system), sorted, with their medians.
set -euo pipefail
cd "$(dirname "$0")/.."
edit=$1
rounds=$2
shift 2
programs=()
briefs=10000
while [ $# -gt 0 ]; do
  case $1 in
    --) briefs=$2; break ;;
    *) programs+=("$(realpath "$1")"); shift ;;
  esac
done
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench)}
corpus=$base/ab-corpus-$briefs
if [ ! -d "$corpus" ]; then
  cargo build --release --quiet --example gen_corpus
  target/release/examples/gen_corpus "$corpus" "$briefs" >/dev/null
fi
work=$base/replay
rm -rf "$work"
mkdir -p "$work"
for i in "${!programs[@]}"; do cp -a "$corpus" "$work/$i-site"; done
# Older than the window in which a build reads files again.
sleep 2
for i in "${!programs[@]}"; do
  "${programs[$i]}" build --root "$work/$i-site" --output "$work/$i-out" >/dev/null 2>&1
  (cd "$work/$i-site" && eval "$edit")
done
sleep 2
for i in "${!programs[@]}"; do
  cp -a "$work/$i-site/.attache" "$work/$i-state"
  cp -a "$work/$i-out" "$work/$i-kept-out"
done
declare -A wall cpu
for _ in $(seq 1 "$rounds"); do
  for i in "${!programs[@]}"; do
    rm -rf "$work/$i-site/.attache" "$work/$i-out"
    cp -a "$work/$i-state" "$work/$i-site/.attache"
    cp -a "$work/$i-kept-out" "$work/$i-out"
    started=$(date +%s%N)
    said=$(/usr/bin/time -f "cpu %U %S" "${programs[$i]}" build --root "$work/$i-site" --output "$work/$i-out" 2>&1 | tail -2)
    ended=$(date +%s%N)
    wall[$i]="${wall[$i]:-} $(((ended - started) / 1000000))"
    cpu[$i]="${cpu[$i]:-} $(echo "$said" | awk '/^cpu/ {printf "%d", ($2 + $3) * 1000}')"
    case $said in *"last build's state"*) ;; *) echo "${programs[$i]}: NOT from the kept state: $said" >&2 ;; esac
  done
done
sorted() { printf '%s\n' $1 | sort -n | tr '\n' ' '; }
median() { printf '%s\n' $1 | sort -n | sed -n "$(((rounds + 1) / 2))p"; }
for i in "${!programs[@]}"; do
  echo "${programs[$i]}"
  echo "  wall ms: $(sorted "${wall[$i]}") median $(median "${wall[$i]}")"
  echo "  cpu ms:  $(sorted "${cpu[$i]}") median $(median "${cpu[$i]}")"
done
echo "the last build: $(echo "$said" | head -1)"
