#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (not part of CI).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Starts from the seeds in tests/fuzz-corpus/<target>/, keeps the corpus it
# grows in fuzz/corpus/<target>/, and copies every input that crashed or
# hung into tests/fuzz-corpus/<target>/, where tests/fuzz_regressions.rs
# replays it in the normal test suite. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets the stable toolchain
# use the instrumentation flags cargo-fuzz asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(front_matter markdown site)
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O >/dev/null
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  echo "== $target: ${seconds}s"
  # -timeout: an input that takes longer than 10 s counts as a hang.
  cargo fuzz run -O "$target" "fuzz/corpus/$target" "tests/fuzz-corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)" || true
  for found in fuzz/artifacts/"$target"/*; do
    [ -e "$found" ] || continue
    cp "$found" "tests/fuzz-corpus/$target/$(basename "$found")"
    echo "kept $found as a regression input"
  done
done
