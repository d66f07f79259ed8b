//! The output folder is attache's own: it never deletes a file it did not
//! write, refuses folders that hold someone else's files, and finds every
//! clash between outputs before it writes anything.

mod common;

use common::{TestSite, attache};

#[test]
fn a_folder_above_home_with_other_peoples_files_is_refused() {
    let site = TestSite::small();
    let x = tempfile::tempdir().unwrap();
    let home = x.path().join("home");
    std::fs::create_dir_all(home.join("alice/Documents")).unwrap();
    std::fs::create_dir_all(home.join("bob")).unwrap();
    std::fs::write(home.join("alice/Documents/thesis.txt"), "t").unwrap();
    std::fs::write(home.join("bob/data.txt"), "b").unwrap();
    let run: common::Run = attache()
        .env("HOME", home.join("alice"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&home)
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(home.join("alice/Documents/thesis.txt")).unwrap(),
        "t"
    );
    assert_eq!(
        std::fs::read_to_string(home.join("bob/data.txt")).unwrap(),
        "b"
    );
    assert!(!home.join("index.html").exists(), "nothing written");
}

#[test]
fn force_writes_beside_other_files_and_never_deletes_them() {
    let site = TestSite::small();
    let d = site.path("d");
    std::fs::create_dir_all(d.join("Documents")).unwrap();
    std::fs::write(d.join("Documents/report.docx"), "x").unwrap();
    let out = d.to_str().unwrap();
    let refused = site.run(&["build", "--output", out]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("Documents is in it"),
        "{}",
        refused.stderr
    );
    site.run(&["build", "--output", out, "--force"]).ok();
    assert!(d.join("index.html").exists());
    // From now on the folder has a manifest: no --force needed, and a
    // page that goes takes its file with it, but report.docx stays.
    site.remove("content/agencies/jetro.md");
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"T\"\ndate = 2025-01-01\n+++\n",
    );
    site.run(&["build", "--output", out]).ok();
    assert!(!d.join("agencies/jetro/index.html").exists());
    assert_eq!(
        std::fs::read_to_string(d.join("Documents/report.docx")).unwrap(),
        "x"
    );
}

#[test]
fn a_folder_with_only_dotfiles_counts_as_empty() {
    let site = TestSite::small();
    std::fs::create_dir_all(site.path("public/.git")).unwrap();
    std::fs::write(site.path("public/.git/HEAD"), "ref").unwrap();
    site.build().ok();
    assert!(site.exists("index.html"));
    assert!(site.exists(".git/HEAD"));
    assert!(site.exists(".attache-manifest.json"));
}

#[test]
fn a_file_attache_did_not_write_is_never_replaced_without_force() {
    let site = TestSite::small();
    site.build().ok();
    std::fs::write(site.path("public/notes.txt"), "my notes").unwrap();
    site.write("static/notes.txt", "the site's notes");
    let before = site.snapshot_all("public");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("attache did not write it"),
        "{}",
        run.stderr
    );
    assert_eq!(before, site.snapshot_all("public"), "nothing changed");
    site.run(&["build", "--force"]).ok();
    assert_eq!(site.read("notes.txt"), "the site's notes");
}

/// Builds, breaks the site with `break_it`, and checks that both `check`
/// and `build` report `expected` at `position`, and that the build did
/// not change a single byte of the output folder.
fn clash_is_found_before_writing(break_it: impl FnOnce(&TestSite), expected: &str, position: &str) {
    let site = TestSite::small();
    site.build().ok();
    let before = site.snapshot_all("public");
    break_it(&site);
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "check: {}", check.stderr);
    assert!(check.stderr.contains(expected), "check: {}", check.stderr);
    assert!(check.stderr.contains(position), "check: {}", check.stderr);
    let build = site.build();
    assert_eq!(build.code, 1, "build: {}", build.stderr);
    assert!(build.stderr.contains(expected), "build: {}", build.stderr);
    assert_eq!(before, site.snapshot_all("public"), "public/ changed");
}

#[test]
fn an_alias_onto_a_static_file_is_found_before_writing() {
    clash_is_found_before_writing(
        |s| {
            s.write(
                "content/agencies/jetro.md",
                "+++\ntitle = \"JETRO\"\naliases = [\"/style.css\"]\n+++\n",
            )
        },
        "style.css cannot be both a file and a folder",
        "content/agencies/jetro.md:3:12",
    );
}

#[test]
fn a_slug_that_is_a_file_name_is_found_before_writing() {
    clash_is_found_before_writing(
        |s| {
            s.write(
                "content/briefs/odd.md",
                "+++\ntitle = \"Odd\"\ndate = 2025-01-01\nslug = \"index.html\"\n+++\n",
            )
        },
        "briefs/index.html cannot be both a file and a folder",
        "content/briefs/odd.md:4:8",
    );
}

#[test]
fn a_static_file_where_a_folder_goes_is_found_before_writing() {
    clash_is_found_before_writing(
        |s| {
            s.write("static/briefs", "a file named like a folder");
            // A brief whose page sorts before the list's index.html: the
            // static file is still the one blamed, not this page.
            s.write(
                "content/briefs/a-first.md",
                "+++\ntitle = \"A first\"\ndate = 2025-01-01\n+++\n",
            );
        },
        "briefs cannot be both a file and a folder: the static file briefs",
        "static/briefs",
    );
}

#[test]
fn a_reference_to_a_file_whose_page_has_another_slug_says_so() {
    let site = TestSite::small();
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"JICA\"\nslug = \"jica-japan\"\n+++\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/agencies/jica.md has slug = \"jica-japan\": refer to the page by its slug"
        ),
        "{}",
        run.stderr
    );
}
