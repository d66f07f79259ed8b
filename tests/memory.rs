//! Memory that does not grow with the output: a build streams its files
//! to the output folder in batches instead of holding them all until the
//! end. The site here writes much more than it reads (every brief lists
//! 60 related briefs), so holding the output again would show at once.

mod common;

use common::TestSite;

const BRIEFS: usize = 2500;

fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[related]\nlimit = 60\n[search]\nenabled = false\n",
            common::CONFIG
        ),
    );
    for n in 0..BRIEFS {
        let agencies = format!("\"agency-{}\", \"agency-{}\"", n % 30, (n / 30) % 30);
        site.write(
            &format!("content/briefs/b{n}.md"),
            &format!(
                "+++\ntitle = \"Brief {n} on trade\"\ndate = 2025-{:02}-{:02}\nsummary = \"What happened in brief {n}, in one sentence of a few words.\"\nagencies = [{agencies}]\nsectors = [\"sector-{}\"]\n+++\nBrief {n} in a paragraph.\n",
                n % 12 + 1,
                n % 28 + 1,
                n % 10
            ),
        );
    }
    for n in 0..30 {
        site.write(
            &format!("content/agencies/agency-{n}.md"),
            &format!("+++\ntitle = \"Agency {n}\"\n+++\n"),
        );
    }
    for n in 0..10 {
        site.write(
            &format!("content/sectors/sector-{n}.md"),
            &format!("+++\ntitle = \"Sector {n}\"\n+++\n"),
        );
    }
    site
}

/// Bytes under `dir`.
fn size_of(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// The peak memory a build reports with `ATTACHE_TIMINGS=1`, in MiB.
fn peak_of_build(site: &TestSite, extra: &[&str]) -> u64 {
    let out = common::attache()
        .env("ATTACHE_TIMINGS", "1")
        .arg("build")
        .args(extra)
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("run attache");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("peak memory: ")?
                .strip_suffix(" MiB")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no peak memory in:\n{stderr}"))
}

#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "reads /proc")]
fn a_build_does_not_hold_its_output_in_memory() {
    let site = site();
    let peak = peak_of_build(&site, &["--clean"]);
    let output_mib = size_of(&site.path("public")) >> 20;
    let content_mib = size_of(&site.path("content")) >> 20;
    eprintln!("peak {peak} MiB; output {output_mib} MiB; content {content_mib} MiB");
    // The site is small and the output large: check the test still
    // tests something.
    assert!(output_mib >= 40, "the output is only {output_mib} MiB");
    // What the build needs besides its output (the site, its template
    // data, the state it keeps) is about 60 MiB here (measured on Linux
    // x86-64, debug and release alike); holding the output would add it
    // whole.
    assert!(
        peak < 60 + output_mib / 2,
        "a build of {output_mib} MiB of output peaked at {peak} MiB"
    );
}
