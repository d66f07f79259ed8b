#!/usr/bin/env bash
# Live-rebuild benchmark: time from a file write to the new page being
# served by `attache serve`, on a generated site.
#
#   bench/live.sh [BRIEFS] [RUNS]     (defaults: 10000 briefs, 7 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
briefs=${1:-10000}
runs=${2:-7}
dir=${BENCH_DIR:-/tmp/attache-bench}/live-$briefs

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus --example bench_live
rm -rf "$dir"
target/release/examples/gen_corpus "$dir" "$briefs"
target/release/examples/bench_live target/release/attache "$dir" "$runs"
