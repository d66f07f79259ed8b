#!/usr/bin/env bash
# Full-build benchmark and search-index figures on a generated corpus.
#
#   bench/build.sh [BRIEFS]        (default 10000)
#
# Needs hyperfine (Debian: apt-get install hyperfine) and node for the
# query figures. Writes everything under ${BENCH_DIR:-/tmp/attache-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
briefs=${1:-10000}
dir=${BENCH_DIR:-/tmp/attache-bench}/$briefs
site=$dir/site
out=$dir/public

cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
bin=target/release/attache

rm -rf "$dir"
target/release/examples/gen_corpus "$site" "$briefs"
nosearch=$dir/site-nosearch
cp -r "$site" "$nosearch"
printf '[search]\nenabled = false\n' >> "$nosearch/attache.toml"

echo "== build, $briefs briefs (median of runs)"
hyperfine --warmup 1 --runs 5 --export-markdown "$dir/build.md" \
  -n "build (output unchanged)" "$bin build --root $site --output $out" \
  -n "build without search" "$bin build --root $nosearch --output $dir/public-nosearch" \
  -n "check (no writing)" "$bin check --root $site" \
  -n "build into an empty folder" --prepare "rm -rf $dir/fresh" "$bin build --root $site --output $dir/fresh"
cat "$dir/build.md"

echo
echo "== output"
echo "files: $(find "$out" -type f | wc -l), bytes: $(du -sb --apparent-size "$out" | cut -f1)"
echo "peak memory of a build (KB): $(/usr/bin/time -f %M "$bin" build --root "$site" --output "$out" 2>&1 >/dev/null | tail -1)"

echo
echo "== search index"
s=$out/search
echo "entry index.json bytes: $(stat -c %s "$s/index.json")"
echo "word chunks: $(ls "$s/words" | wc -l), bytes: $(cat "$s"/words/*.json | wc -c), largest: $(ls -S "$s/words" | head -1 | xargs -I{} stat -c %s "$s/words/{}")"
echo "documents: $(ls "$s/docs" | wc -l), bytes: $(find "$s/docs" -type f -exec cat {} + | wc -c)"
if command -v node >/dev/null; then
  for q in "copper investment" "agency 3" "lithium refinery joint" "tokyo"; do
    fetched=$(node tests/js/search_cli.js "$out" / "$q" | node -e '
      let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
        const r = JSON.parse(s); console.log(r.total + "\t" + r.fetched.join(" ")); });')
    total=${fetched%%$'\t'*}
    files=${fetched#*$'\t'}
    bytes=0; n=0
    for f in $files; do bytes=$((bytes + $(stat -c %s "$out/$f"))); n=$((n + 1)); done
    echo "query \"$q\": $total results; loaded $n files, $bytes bytes"
  done
fi
