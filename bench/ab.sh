#!/usr/bin/env bash
# Two programs compared on one everyday edit, their builds alternating:
# on a shared or drifting machine, one program's run after the other's
# can differ by more than the programs do (BENCHMARKS.md, issue 24,
# fourth part); alternating rounds see the same machine.
#
#   bench/ab.sh PROGRAM_A PROGRAM_B [EDIT] [ROUNDS] [BRIEFS]
#
# EDIT is one of: new (the day's brief, the default), body (one brief's
# body), delete (an old brief), agency (a new agency). Each program gets
# its own copy of one generated corpus and a full build; then, each
# round, the edit is made in both copies, two seconds pass (older than
# the window in which a build reads files again), and each program builds
# its copy from its kept state, A then B. Prints each build (seconds, the
# files written and removed) and the medians.
#
# BENCH_MEASURE=instructions counts each build's instructions instead
# (valgrind's callgrind, about 50 times slower): a program counts the
# same on the same edit within a few in a thousand (idle threads spin
# for as long as they are let), on a machine whose seconds drift by a
# third; a round or two is then enough. It counts no time in the
# kernel, nor waits.
set -euo pipefail
cd "$(dirname "$0")/.."
a=$(realpath "$1")
b=$(realpath "$2")
edit=${3:-new}
rounds=${4:-7}
briefs=${5:-10000}
measure=${BENCH_MEASURE:-seconds}
if [ "$measure" = instructions ] && ! command -v valgrind >/dev/null; then
  echo "BENCH_MEASURE=instructions needs valgrind (Debian: apt-get install valgrind)" >&2
  exit 2
fi
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm/attache-bench || echo /tmp/attache-bench)}
corpus=$base/ab-corpus-$briefs
if [ ! -d "$corpus" ]; then
  cargo build --release --quiet --example gen_corpus
  target/release/examples/gen_corpus "$corpus" "$briefs" >/dev/null
fi
for x in a b; do
  rm -rf "$base/ab-$x"
  mkdir -p "$base/ab-$x"
  cp -a "$corpus" "$base/ab-$x/site"
done
sleep 2
"$a" build --root "$base/ab-a/site" --output "$base/ab-a/out" >/dev/null 2>&1
"$b" build --root "$base/ab-b/site" --output "$base/ab-b/out" >/dev/null 2>&1

# The day's brief is dated the day after the newest, as on a desk.
newest=$(grep -h '^date = ' "$corpus"/content/briefs/*.md | sort | tail -1 | cut -d' ' -f3)

make_edit() {
  local site=$1 round=$2
  case $edit in
    new)
      sed "s/^title = .*/title = \"Today's brief $round\"/; s/^date = .*/date = $(date -d "$newest + $round day" +%F)/" \
        "$site/content/briefs/brief-5.md" >"$site/content/briefs/today-$round.md" ;;
    body) printf '\nOne more line, round %s.\n' "$round" >>"$site/content/briefs/brief-17.md" ;;
    delete) rm "$site/content/briefs/brief-$((60 + round)).md" ;;
    agency)
      printf '+++\ntitle = "A new agency %s"\nshort = "NEW%s"\n+++\nJust set up.\n' "$round" "$round" \
        >"$site/content/agencies/new-agency-$round.md" ;;
    *) echo "unknown edit: $edit (new, body, delete, agency)" >&2; exit 2 ;;
  esac
}

# Seconds to the millisecond; instructions as they are.
show() { if [ "$measure" = instructions ]; then printf '%s' "$1"; else printf '%5.3f' "$1"; fi; }
unit=s
[ "$measure" = instructions ] && unit=instructions
times_a=()
times_b=()
for round in $(seq 1 "$rounds"); do
  make_edit "$base/ab-a/site" "$round"
  make_edit "$base/ab-b/site" "$round"
  sleep 2
  for x in a b; do
    program=$a
    [ "$x" = b ] && program=$b
    build=("$program" build --root "$base/ab-$x/site" --output "$base/ab-$x/out")
    if [ "$measure" = instructions ]; then
      out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "${build[@]}" 2>&1)
      took=$(grep -o 'Collected : [0-9]*' <<<"$out" | grep -o '[0-9]*$')
      said=$(grep -v '^==' <<<"$out" | tail -1)
    else
      started=$(date +%s.%N)
      said=$("${build[@]}" 2>&1 | tail -1)
      ended=$(date +%s.%N)
      took=$(echo "$ended - $started" | bc)
    fi
    case $said in *"last build's state"*) ;; *) said="$said (NOT from the kept state)" ;; esac
    printf '%s round %s: %s %s  %s\n' "$x" "$round" "$(show "$took")" "$unit" "${said##*: }"
    if [ "$x" = a ]; then times_a+=("$took"); else times_b+=("$took"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
printf 'median of %s, %s: A %s %s, B %s %s\n' "$rounds" "$edit" \
  "$(show "$(median "${times_a[@]}")")" "$unit" "$(show "$(median "${times_b[@]}")")" "$unit"
