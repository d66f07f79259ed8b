//! The second round of hostile tests: symlinks inside the output folder
//! and `.attache/`, two writers at once, edits that keep a file's size and
//! time, a move into place that fails half-way, and files of the state
//! that are not files.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, attache, visible};

/// A site of `briefs` briefs over two agencies that nothing links to.
fn desk(briefs: usize) -> TestSite {
    let site = TestSite::new();
    for a in ["alpha", "beta"] {
        site.write(
            &format!("content/agencies/{a}.md"),
            &format!("+++\ntitle = \"Agency {a}\"\n+++\nAbout {a}.\n"),
        );
    }
    for i in 0..briefs {
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!(
                "+++\ntitle = \"Brief {i}\"\ndate = 2025-03-{:02}\n+++\nText of brief {i}.\n",
                i % 28 + 1
            ),
        );
    }
    site
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_build_never_removes_a_file_behind_a_symlinked_folder() {
    let site = desk(3);
    site.build().ok();
    let outside = tempfile::tempdir().unwrap();
    let shared = outside.path().join("shared");
    common::copy_dir(&site.path("public/agencies/beta"), &shared);
    std::fs::write(shared.join("notes.txt"), "mine").unwrap();
    let before = listing(&shared);
    assert!(before.contains(&"index.html".to_string()), "{before:?}");
    std::fs::remove_dir_all(site.path("public/agencies/beta")).unwrap();
    std::os::unix::fs::symlink(&shared, site.path("public/agencies/beta")).unwrap();

    // The agency goes: its files are removed from the output, but not
    // through the link.
    site.remove("content/agencies/beta.md");
    let run = site.build().ok();
    assert!(run.stderr.contains("removed"), "{}", run.stderr);
    assert_eq!(
        listing(&shared),
        before,
        "nothing behind the link was touched"
    );

    // A manifest edited by hand to name a file behind a link.
    let elsewhere = outside.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("x.html"), "not attache's").unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.path("public/evil")).unwrap();
    let manifest = site.path("public/.attache-manifest.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let entry = json["files"]["index.html"].clone();
    json["files"]["evil/x.html"] = entry;
    std::fs::write(&manifest, serde_json::to_vec(&json).unwrap()).unwrap();
    site.build().ok();
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("x.html")).unwrap(),
        "not attache's"
    );

    // A file of the site that must go where a link to a folder is: the
    // link is in the way (refused as a file attache did not write), and
    // nothing is written through it.
    site.write(
        "content/agencies/beta.md",
        "+++\ntitle = \"Agency beta\"\n+++\nBack.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("in the way"), "{}", run.stderr);
    assert!(run.stderr.contains("was not changed"), "{}", run.stderr);
    assert_eq!(listing(&shared), before);
}

#[test]
fn a_symlinked_state_folder_is_replaced_not_followed() {
    let site = desk(3);
    let outside = tempfile::tempdir().unwrap();
    for name in ["body-scan.pdf", "shard-notes.txt", "build-state"] {
        std::fs::write(outside.path().join(name), "mine").unwrap();
    }
    std::os::unix::fs::symlink(outside.path(), site.path(".attache")).unwrap();
    site.build().ok();
    assert_eq!(
        listing(outside.path()),
        ["body-scan.pdf", "build-state", "shard-notes.txt"]
    );
    for name in ["body-scan.pdf", "shard-notes.txt", "build-state"] {
        assert_eq!(
            std::fs::read_to_string(outside.path().join(name)).unwrap(),
            "mine"
        );
    }
    let meta = std::fs::symlink_metadata(site.path(".attache")).unwrap();
    assert!(meta.is_dir(), "a folder of its own now");

    // Files in a real .attache/ that attache did not name are left alone.
    std::fs::write(site.path(".attache/shard-notes.txt"), "mine").unwrap();
    std::fs::write(site.path(".attache/body-scan.pdf"), "mine").unwrap();
    site.write(
        "content/briefs/b0.md",
        "+++\ntitle = \"B0\"\ndate = 2025-03-01\n+++\nNew.\n",
    );
    site.build().ok();
    assert!(site.path(".attache/shard-notes.txt").exists());
    assert!(site.path(".attache/body-scan.pdf").exists());
}

/// Runs `cmd` to its end, or kills it and fails after `limit`.
fn finish_within(mut child: Child, limit: Duration) -> std::process::Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn_build(site: &TestSite, extra: &[&str]) -> Child {
    attache()
        .arg("build")
        .args(extra)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_fifo_or_a_device_in_the_state_is_never_read() {
    let site = desk(3);
    site.build().ok();
    let state = site.path(".attache/build-state");
    std::fs::remove_file(&state).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &state,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let out = finish_within(spawn_build(&site, &[]), Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for name in ["build-state", "manifest-link"] {
        let path = site.path(&format!(".attache/{name}"));
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    }
    let out = finish_within(spawn_build(&site, &[]), Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The output folder's manifest likewise.
    let manifest = site.path("public/.attache-manifest.json");
    std::fs::remove_file(&manifest).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &manifest).unwrap();
    let out = finish_within(spawn_build(&site, &[]), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot be used"), "{stderr}");
}

#[test]
fn two_builds_at_once_end_with_one_of_their_sites() {
    let site = desk(400);
    let fresh = |url: &str, name: &str| {
        let out = site.path(name);
        site.run(&[
            "build",
            "--clean",
            "--base-url",
            url,
            "--output",
            out.to_str().unwrap(),
        ])
        .ok();
        visible(&out)
    };
    let a = fresh("https://a.example/", "fresh-a");
    let b = fresh("https://b.example/sub/", "fresh-b");
    assert_ne!(a, b);
    for round in 0..2 {
        let first = spawn_build(&site, &["--base-url", "https://a.example/"]);
        std::thread::sleep(Duration::from_millis(50 * round));
        let second = spawn_build(&site, &["--base-url", "https://b.example/sub/"]);
        let first = finish_within(first, Duration::from_secs(300));
        let second = finish_within(second, Duration::from_secs(300));
        for out in [&first, &second] {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let now = visible(&site.path("public"));
        assert!(now == a || now == b, "round {round}: a mix of two sites");
        assert!(!site.path("public/.attache-staging").exists());
        assert!(!site.path("public/.attache-journal.json").exists());
    }
}

#[test]
fn a_second_writer_waits_or_is_refused_and_a_killed_ones_lock_is_taken_over() {
    let site = desk(3);
    let mut watch: Child = attache()
        .args(["watch", "--poll", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The watch writes the site once it holds the folder.
    let start = Instant::now();
    while !site.path("public/index.html").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "watch did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let refused = site.run(&["build", "--no-wait"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&format!(
            "is in use by `attache watch` (process {})",
            watch.id()
        )),
        "{}",
        refused.stderr
    );
    let waiting = spawn_build(&site, &[]);
    std::thread::sleep(Duration::from_millis(500));
    // Killed: the system lets go of its lock, and the waiting build goes on.
    watch.kill().unwrap();
    watch.wait().unwrap();
    let out = finish_within(waiting, Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("waiting for `attache watch`"), "{stderr}");
    site.run(&["build", "--no-wait"]).ok();
}

/// Sets the modification time of `path` to `time`.
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

#[test]
fn an_edit_that_keeps_size_and_time_is_read_again() {
    let site = desk(5);
    let page = site.path("content/briefs/b1.md");
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for entry in walkdir::WalkDir::new(site.path("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            set_mtime(entry.path(), old);
        }
    }
    // Past the settle window: the next build trusts what it lists.
    std::thread::sleep(Duration::from_millis(1100));
    site.build().ok();
    assert!(site.read("briefs/b1/index.html").contains("Brief 1"));
    // The title changed to one of the same length; the time put back
    // (`touch -r`, `cp -p`, `tar -x` and `rsync -t` do the same).
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Brief 1", "Memo  1")).unwrap();
    set_mtime(&page, old);
    let run = site.build().ok();
    assert!(
        run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    assert!(site.read("briefs/b1/index.html").contains("Memo  1"));

    // A file put in place of another with the same size and time.
    std::thread::sleep(Duration::from_millis(1100));
    site.build().ok();
    let other = site.path("b2-copy.md");
    let text = std::fs::read_to_string(site.path("content/briefs/b2.md")).unwrap();
    std::fs::write(&other, text.replace("Brief 2", "Notes 2")).unwrap();
    set_mtime(&other, old);
    std::fs::rename(&other, site.path("content/briefs/b2.md")).unwrap();
    site.build().ok();
    assert!(site.read("briefs/b2/index.html").contains("Notes 2"));
    let clean = site.path("clean");
    site.run(&["build", "--clean", "--output", clean.to_str().unwrap()])
        .ok();
    assert_eq!(visible(&site.path("public")), visible(&clean));
}

#[test]
fn a_move_into_place_that_fails_half_way_says_so_and_the_next_build_finishes_it() {
    let site = desk(30);
    site.build().ok();
    for i in 0..30 {
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!("+++\ntitle = \"Changed {i}\"\ndate = 2025-04-01\n+++\nNew text {i}.\n"),
        );
    }
    let out = attache()
        .args(["build", "--root"])
        .arg(site.root())
        .env("ATTACHE_TEST_FAIL_AFTER", "5")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("was not changed"), "{stderr}");
    assert!(stderr.contains("holds part of the new site"), "{stderr}");
    assert!(site.path("public/.attache-journal.json").exists());
    let run = site.build().ok();
    assert!(
        run.stderr.contains("finished writing the site"),
        "{}",
        run.stderr
    );
    let clean = site.path("clean");
    site.run(&["build", "--clean", "--output", clean.to_str().unwrap()])
        .ok();
    assert_eq!(visible(&site.path("public")), visible(&clean));
}

#[test]
fn a_template_that_takes_all_memory_is_stopped_with_its_place() {
    let site = desk(2);
    site.write(
        "attache.toml",
        &format!("{}[build]\nrender_memory = 16\n", common::CONFIG),
    );
    // No template function is called inside the loop: only the allocator
    // sees it grow.
    site.write(
        "templates/agencies/page.html",
        "{% set s = \"aaaaaaaaaaaaaaaa\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    let started = Instant::now();
    let out = finish_within(spawn_build(&site, &[]), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("used more than 128 MB of memory and was stopped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> templates/agencies/page.html"),
        "{stderr}"
    );
    assert!(stderr.contains("render_memory"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(!site.exists("index.html"), "nothing was written");

    // With a call inside the loop, the render stops at its budget with
    // the usual located error, and the others are reported with it.
    site.write(
        "templates/agencies/page.html",
        "{% set s = \"aaaaaaaaaaaaaaaa\" %}{% for i in range(end=40) %}{% for j in range(end=1) %}{% endfor %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("with `agencies/page.html` used more than 16 MB of memory and was stopped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/agencies/page.html"),
        "{}",
        run.stderr
    );
}

#[test]
fn symlinks_at_every_level_of_the_output_lead_nowhere() {
    let site = desk(4);
    let outside = tempfile::tempdir().unwrap();
    for (n, level) in ["briefs", "briefs/b0", "agencies/alpha"].iter().enumerate() {
        // A fresh output each round.
        let _ = std::fs::remove_dir_all(site.path("public"));
        for i in 0..4 {
            site.write(
                &format!("content/briefs/b{i}.md"),
                &format!(
                    "+++\ntitle = \"Brief {i}\"\ndate = 2025-03-0{}\n+++\nText {i}.\n",
                    i + 1
                ),
            );
        }
        site.build().ok();
        let copy = outside.path().join(format!("copy-{n}"));
        common::copy_dir(&site.path(&format!("public/{level}")), &copy);
        std::fs::write(copy.join("mine.txt"), "mine").unwrap();
        let before = visible(&copy);
        std::fs::remove_dir_all(site.path(&format!("public/{level}"))).unwrap();
        std::os::unix::fs::symlink(&copy, site.path(&format!("public/{level}"))).unwrap();
        // Files under the link go or change: b0 removed, the others new.
        site.remove("content/briefs/b0.md");
        for i in 1..4 {
            site.write(
                &format!("content/briefs/b{i}.md"),
                &format!(
                    "+++\ntitle = \"Changed {i}\"\ndate = 2025-03-0{}\n+++\nNew.\n",
                    i + 1
                ),
            );
        }
        let run = site.build();
        assert!(
            run.code == 0 || run.stderr.contains("in the way"),
            "{level}: {}",
            run.stderr
        );
        assert_eq!(
            visible(&copy),
            before,
            "{level}: something behind the link changed"
        );
    }

    // A staging folder or a journal that is a link, left in the output.
    let elsewhere = outside.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("new")).unwrap();
    std::fs::write(elsewhere.join("new/index.html"), "mine").unwrap();
    std::fs::write(elsewhere.join("journal"), "{}").unwrap();
    let _ = std::fs::remove_dir_all(site.path("public"));
    site.build().ok();
    std::os::unix::fs::symlink(&elsewhere, site.path("public/.attache-staging")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.join("journal"),
        site.path("public/.attache-journal.json"),
    )
    .unwrap();
    site.write(
        "content/briefs/b1.md",
        "+++\ntitle = \"Again\"\ndate = 2025-03-02\n+++\nx\n",
    );
    site.build().ok();
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("new/index.html")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("journal")).unwrap(),
        "{}"
    );
    assert!(site.read("briefs/b1/index.html").contains("Again"));
}

#[test]
fn new_never_writes_through_a_symlinked_folder() {
    let site = desk(1);
    let outside = tempfile::tempdir().unwrap();
    for (n, link) in ["content/meetings", "content/people"].iter().enumerate() {
        let target = outside.path().join(format!("t{n}"));
        std::fs::create_dir_all(&target).unwrap();
        std::os::unix::fs::symlink(&target, site.path(link)).unwrap();
        let kind = link.rsplit('/').next().unwrap();
        let run = site.run(&["new", kind, "Leak test", "--date", "2025-05-05"]);
        assert_ne!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("leads outside the site"),
            "{}",
            run.stderr
        );
        assert_eq!(
            std::fs::read_dir(&target).unwrap().count(),
            0,
            "nothing written there"
        );
    }
}

#[test]
fn a_shortcode_that_takes_all_memory_is_stopped_with_its_place() {
    let site = desk(1);
    site.write(
        "attache.toml",
        &format!("{}[build]\nrender_memory = 16\n", common::CONFIG),
    );
    site.write(
        "templates/shortcodes/bomb.html",
        "{% set s = \"aaaaaaaaaaaaaaaa\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    site.write(
        "content/briefs/b0.md",
        "+++\ntitle = \"Bomb\"\ndate = 2025-03-01\n+++\n\n{{ bomb() }}\n",
    );
    let out = finish_within(spawn_build(&site, &[]), Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("used more than 128 MB of memory"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> templates/shortcodes/bomb.html"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the shortcode called at content/briefs/b0.md:6:1"),
        "{stderr}"
    );
}
