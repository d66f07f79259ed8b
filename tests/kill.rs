//! A build killed at any moment leaves the old site or the new one, never
//! a mix: checked by killing real builds (SIGKILL) at many moments, and by
//! aborting builds at many steps of their commit.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::{TestSite, attache, visible};

const BRIEFS: usize = 150;

/// Writes version `v` of a site: every brief's text names the version, and
/// each version has some briefs the other lacks.
fn write_version(site: &TestSite, v: usize) {
    let _ = std::fs::remove_dir_all(site.path("content"));
    for a in 0..5 {
        site.write(
            &format!("content/agencies/a{a}.md"),
            &format!("+++\ntitle = \"Agency {a} v{v}\"\n+++\nAbout agency {a}.\n"),
        );
    }
    for i in 0..BRIEFS {
        // Version 1 has briefs 0..150, version 2 has 10..160.
        let n = i + 10 * (v - 1);
        site.write(
            &format!("content/briefs/b{n}.md"),
            &format!(
                "+++\ntitle = \"Brief {n}\"\ndate = 2025-01-{:02}\nagencies = [\"a{}\"]\n+++\nVersion {v} of brief {n}.\n",
                n % 28 + 1,
                n % 5
            ),
        );
    }
}

fn build_into(site: &TestSite, out: &Path) -> Command {
    let mut c = attache();
    c.args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(out);
    c
}

/// Copies the old site into `out`, keeping modification times (the
/// manifest records them).
fn restore(old: &Path, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let status = Command::new("cp")
        .arg("-a")
        .arg(old)
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

#[derive(Debug, PartialEq)]
enum State {
    Old,
    New,
    Mixed,
}

fn state(out: &Path, old: &[(String, Vec<u8>)], new: &[(String, Vec<u8>)]) -> State {
    let now = visible(out);
    if now == old {
        State::Old
    } else if now == new {
        State::New
    } else {
        State::Mixed
    }
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let site = TestSite::in_memory();
    let old_dir = site.path("old");
    let new_dir = site.path("new");
    let out = site.path("out");
    write_version(&site, 1);
    let built = build_into(&site, &old_dir).output().unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    write_version(&site, 2);
    let started = Instant::now();
    let built = build_into(&site, &new_dir).output().unwrap();
    assert!(built.status.success());
    let full = started.elapsed();
    let (old, new) = (visible(&old_dir), visible(&new_dir));
    assert_ne!(old, new);

    // SIGKILL at moments spread over the whole build.
    let moments = 24;
    let mut seen = Vec::new();
    for i in 0..moments {
        restore(&old_dir, &out);
        let mut child = build_into(&site, &out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(i as f64 / moments as f64 * 2.5));
        let _ = child.kill();
        let _ = child.wait();
        let journal = out.join(".attache-journal.json").exists();
        let found = state(&out, &old, &new);
        assert!(
            journal || found != State::Mixed,
            "killed at {i}/{moments} without a journal: a mixed site"
        );
        // What the next run finds, after it finishes an interrupted commit.
        attache::write::recover(&out).unwrap();
        let after = state(&out, &old, &new);
        assert_ne!(
            after,
            State::Mixed,
            "killed at {i}/{moments}: mixed after recovery"
        );
        assert!(!out.join(".attache-staging").exists());
        seen.push((found, journal, after));
        // The next build over what was left gives the new site.
        build_into(&site, &out).output().unwrap();
        assert_eq!(visible(&out), new, "a build after the kill at {i}");
    }
    eprintln!("kill outcomes (state, journal, after recovery): {seen:?}");
    assert!(seen.iter().any(|(s, _, _)| *s == State::Old));
    assert!(seen.iter().any(|(s, _, _)| *s == State::New));
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "attache aborts at a step of its commit only in a debug build"
)]
fn a_build_aborted_at_any_step_of_its_commit_is_finished_by_the_next_run() {
    let site = TestSite::in_memory();
    let old_dir = site.path("old");
    let out = site.path("out");
    write_version(&site, 1);
    assert!(
        build_into(&site, &old_dir)
            .output()
            .unwrap()
            .status
            .success()
    );
    let old = visible(&old_dir);
    write_version(&site, 2);
    let new_dir = site.path("new");
    assert!(
        build_into(&site, &new_dir)
            .output()
            .unwrap()
            .status
            .success()
    );
    let new = visible(&new_dir);

    let mut mixed_before_recovery = 0;
    let mut steps_tried = 0;
    for step in [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377] {
        restore(&old_dir, &out);
        let run = build_into(&site, &out)
            .env("ATTACHE_TEST_ABORT_AFTER", step.to_string())
            .output()
            .unwrap();
        if run.status.success() {
            // The commit has fewer steps than this: it finished.
            assert_eq!(visible(&out), new);
            break;
        }
        steps_tried += 1;
        assert!(
            out.join(".attache-journal.json").exists(),
            "aborted at {step}"
        );
        if state(&out, &old, &new) == State::Mixed {
            mixed_before_recovery += 1;
        }
        assert!(attache::write::recover(&out).unwrap().is_some());
        assert_eq!(
            state(&out, &old, &new),
            State::New,
            "aborted at step {step}"
        );
        assert!(!out.join(".attache-journal.json").exists());
    }
    eprintln!("aborted at {steps_tried} steps, {mixed_before_recovery} left a journal to finish");
    assert!(steps_tried >= 5, "the commit has steps to interrupt");
}

#[test]
fn a_failed_build_leaves_no_staging_behind() {
    let site = TestSite::in_memory();
    write_version(&site, 1);
    site.build().ok();
    let before = site.snapshot_all("public");
    site.write("content/briefs/broken.md", "+++\ntitle = \"x\"\n");
    assert_eq!(site.build().code, 1);
    assert_eq!(before, site.snapshot_all("public"));
}
