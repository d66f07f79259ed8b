//! Replays every input kept under `tests/fuzz-corpus/<target>/` (seeds,
//! and each input that once crashed or hung a fuzz target: see
//! `fuzz/run.sh`) through the same entry points the fuzzers call. Each must
//! finish without a panic, in well under the fuzzers' 10 s hang limit.

use std::path::Path;
use std::time::{Duration, Instant};

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        let started = Instant::now();
        run(&data);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{} took {:?}",
            input.display(),
            started.elapsed()
        );
    }
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", attache::fuzzing::front_matter);
}

#[test]
fn markdown_inputs() {
    replay("markdown", attache::fuzzing::markdown);
}

#[test]
fn site_inputs() {
    replay("site", attache::fuzzing::site);
}
