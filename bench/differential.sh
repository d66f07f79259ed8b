#!/usr/bin/env bash
# Runs the differential test (tests/differential.rs) for longer than
# `cargo test` does: SEEDS seeds of STEPS random steps each.
#
#   bench/differential.sh [SEEDS] [STEPS] [FIRST_SEED]     (default 200 30 1)
set -euo pipefail
cd "$(dirname "$0")/.."
DIFF_SEEDS="${1:-200}" DIFF_STEPS="${2:-30}" DIFF_FIRST_SEED="${3:-1}" \
  cargo test --release --test differential -- --nocapture 2>&1 |
  grep -E "steps matched|panicked|differs|missing|test result"
