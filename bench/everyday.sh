#!/usr/bin/env bash
# The everyday edits of a desk, each timed as `attache build` from the
# kept state, with the files it wrote and removed: one brief's body
# edited, the day's brief, a new brief with many links, an old brief
# deleted, a new one deleted, a new agency. Each edit is made two seconds
# before its build (older than the window in which a build reads files
# again whatever their times say).
#
#   bench/everyday.sh PROGRAM [BRIEFS] [ROUNDS]     (10000, 3)
#
# Each edit is made ROUNDS times (a new brief each round, another brief
# deleted, ...). Prints a row per edit: the median seconds, the files
# written (median and most) and removed (median) by its rounds, and
# whether every round's build started from the kept state.
set -euo pipefail
cd "$(dirname "$0")/.."
program=$(realpath "$1")
briefs=${2:-10000}
rounds=${3:-3}
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

# Builds after each of ROUNDS edits made by "$@" (given the round);
# prints the edit's row: the median time, and the files written (median
# and most) and removed (median) of its rounds.
edit() {
  local name=$1
  shift
  local times=() written=() removed=() said kept=yes
  for round in $(seq 1 "$rounds"); do
    "$@" "$round"
    sleep 2
    local started ended
    started=$(date +%s.%N)
    said=$("$program" build --root site --output out 2>&1 | tail -1)
    ended=$(date +%s.%N)
    times+=("$(echo "$ended - $started" | bc)")
    written+=("$(echo "$said" | sed -n 's/.*: \([0-9]*\) written.*/\1/p')")
    removed+=("$(echo "$said" | sed -n 's/.* \([0-9]*\) removed.*/\1/p')")
    case $said in *"last build's state"*) ;; *) kept=no ;; esac
  done
  printf '%-24s %6.2f s  %6s written (most %s)  %5s removed  kept state: %s\n' \
    "$name" "$(median "${times[@]}")" "$(median "${written[@]}")" \
    "$(printf '%s\n' "${written[@]}" | sort -n | tail -1)" "$(median "${removed[@]}")" "$kept"
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

body() { printf '\nOne more line, round %s.\n' "$1" >>site/content/briefs/brief-17.md; }
# A new brief with brief-5's links (four agencies, two sectors and their
# parents, a meeting), dated years ahead.
new_brief() {
  sed "s/^title = .*/title = \"Today's brief $1\"/; s/^date = .*/date = 2030-01-0$1/" \
    site/content/briefs/brief-5.md >"site/content/briefs/today-$1.md"
}
# The day's brief on each of ROUNDS days after the newest: a different
# brief's links each time (one to four agencies, one to three sectors).
newest=$(grep -h '^date = ' site/content/briefs/*.md | sort | tail -1 | cut -d' ' -f3)
days_brief() {
  sed "s/^title = .*/title = \"The brief of day $1\"/; s/^date = .*/date = $(date -d "$newest + $1 day" +%F)/" \
    "site/content/briefs/brief-$((37 * $1 % briefs)).md" >"site/content/briefs/day-$1.md"
}
# An old brief deleted: every archive page and search place after it
# moves. And one of the day's briefs, the usual retraction.
delete_brief() { rm "site/content/briefs/brief-$((40 + $1)).md"; }
delete_new_brief() { rm "site/content/briefs/today-$1.md"; }
new_agency() {
  printf '+++\ntitle = "A new agency %s"\nshort = "NEW%s"\n+++\nJust set up.\n' "$1" "$1" \
    >"site/content/agencies/new-agency-$1.md"
}
sleep 2
edit "one brief's body" body
edit "the day's brief" days_brief
edit "a new brief" new_brief
edit "an old brief deleted" delete_brief
edit "a new brief deleted" delete_new_brief
edit "a new agency" new_agency
