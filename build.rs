//! What `attache --version` says beside the release: the commit it was
//! built from and the day it was built, as `ATTACHE_COMMIT` and
//! `ATTACHE_BUILD_DATE` for `env!`.
//!
//! The commit is `ATTACHE_COMMIT` from the environment (a release
//! workflow sets it), else `git rev-parse` in a clone, else "unknown"
//! (a crate from crates.io has no history). The day is that of
//! `SOURCE_DATE_EPOCH` when set (reproducible builds), else today (UTC).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ATTACHE_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // A new commit moves the branch HEAD names: run again then. Only
    // files that are there are named (cargo runs the script at every
    // build for one that is not), else only this script.
    println!("cargo:rerun-if-changed=build.rs");
    if let Ok(head) = std::fs::read_to_string(".git/HEAD") {
        println!("cargo:rerun-if-changed=.git/HEAD");
        if let Some(branch) = head.trim().strip_prefix("ref: ")
            && std::path::Path::new(".git").join(branch).is_file()
        {
            println!("cargo:rerun-if-changed=.git/{branch}");
        }
    }
    println!("cargo:rustc-env=ATTACHE_COMMIT={}", commit());
    println!("cargo:rustc-env=ATTACHE_BUILD_DATE={}", build_date());
}

fn commit() -> String {
    if let Ok(commit) = std::env::var("ATTACHE_COMMIT")
        && !commit.trim().is_empty()
    {
        return short(commit.trim());
    }
    Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| short(text.trim()))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The first twelve characters of a commit id (all of a shorter name).
fn short(commit: &str) -> String {
    commit.chars().take(12).collect()
}

fn build_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian day `days` after 1970-01-01 (Howard
/// Hinnant's `civil_from_days`): no date crate for one line of output.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
