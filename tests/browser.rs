//! The default theme in a real browser: `tests/browser/run.js` drives
//! headless Chromium (playwright-core) through the example site served by
//! `attache serve`: following links both ways, search, dark mode, print,
//! a phone's layout, the Japanese edition (its words, its pictures on a
//! phone), axe-core on every kind of page, and a live edit with
//! the error overlay. Screenshots go to `target/tmp/browser/`.
//!
//! It needs Node, Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and the
//! packages of `tests/browser/package.json` (`npm ci` there). Without them
//! the test says what is missing and passes, unless
//! `ATTACHE_BROWSER_TESTS=1` (as `.ci/run` sets), when it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What is missing to run the browser tests, if anything.
fn missing(dir: &Path) -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node".into());
    }
    if !Path::new(&chromium).exists() {
        return Some(format!("Chromium at {chromium}"));
    }
    for package in ["playwright-core", "axe-core"] {
        if !dir.join("node_modules").join(package).is_dir() {
            return Some(format!("{package} (run `npm ci` in tests/browser)"));
        }
    }
    None
}

#[test]
fn the_default_theme_works_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/browser");
    let required = std::env::var("ATTACHE_BROWSER_TESTS").is_ok_and(|v| v == "1");
    if let Some(what) = missing(&dir) {
        assert!(!required, "the browser tests need {what}");
        eprintln!(
            "skipped: the browser tests need {what} (ATTACHE_BROWSER_TESTS=1 makes this an error)"
        );
        return;
    }
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("attache.toml"), site.path().join("attache.toml")).unwrap();
    common::copy_dir(&root.join("content"), &site.path().join("content"));
    let artifacts = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let out = Command::new("node")
        .arg(dir.join("run.js"))
        .arg(env!("CARGO_BIN_EXE_attache"))
        .arg(site.path())
        .arg(&artifacts)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser tests failed:\n{stdout}");
    assert!(stdout.contains("11 passed, 0 failed"), "{stdout}");
    for shot in [
        "home",
        "brief",
        "brief-phone",
        "agency-dark",
        "brief-print",
        "error-overlay",
        "search-ja",
        "home-ja",
        "agency-ja-phone",
        "asks",
        "agency-items",
        "item",
    ] {
        assert!(
            artifacts.join(format!("{shot}.png")).is_file(),
            "no {shot}.png"
        );
    }
}

/// The example site's HTML, checked by the Nu HTML Checker (the W3C's
/// validator, `vnu-jar` among the packages of tests/browser): no error on
/// any page, in English and in Japanese. Needs Java; without it (or the
/// package) the test says so and passes, unless `ATTACHE_BROWSER_TESTS=1`.
#[test]
fn the_example_site_is_valid_html() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let jar = root.join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let required = std::env::var("ATTACHE_BROWSER_TESTS").is_ok_and(|v| v == "1");
    let java = Command::new("java").arg("-version").output().is_ok();
    if !java || !jar.is_file() {
        let what = if java {
            "vnu-jar (run `npm ci` in tests/browser)"
        } else {
            "java"
        };
        assert!(!required, "the HTML check needs {what}");
        eprintln!(
            "skipped: the HTML check needs {what} (ATTACHE_BROWSER_TESTS=1 makes this an error)"
        );
        return;
    }
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("attache.toml"), site.path().join("attache.toml")).unwrap();
    common::copy_dir(&root.join("content"), &site.path().join("content"));
    let out = site.path().join("public");
    let built = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let pages = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 20, "{pages} pages");
    let checked = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--skip-non-html", "--errors-only"])
        .arg(&out)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(checked.status.success() && said.trim().is_empty(), "{said}");
}
