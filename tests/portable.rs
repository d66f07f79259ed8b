//! A site built on Linux builds, checks out and serves on Windows and
//! macOS too: no page at a name Windows reserves (`con`, `aux`, `lpt1`,
//! ...), and no two output files whose names differ only in case (one
//! file where case does not tell files apart). Each is an error where it
//! is written, on every system, so that a desk with a Windows writer
//! finds it before publishing. A static or bundle file with such a name
//! is the writer's own, and published with a warning.

mod common;

use common::{Run, TestSite, failed_build_keeps_public};

/// The error block of `run` whose first line holds `message`, with its
/// ` --> ` position.
fn error_at(run: &Run, message: &str, position: &str) -> String {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let blocks: Vec<&str> = run.stderr.split("\n\n").collect();
    let block = blocks
        .iter()
        .find(|b| {
            b.lines()
                .next()
                .is_some_and(|l| l.starts_with("error: ") && l.contains(message))
        })
        .unwrap_or_else(|| panic!("no error with {message:?}:\n{}", run.stderr));
    assert!(
        block.contains(&format!("--> {position}\n")),
        "not at {position}:\n{block}"
    );
    block.to_string()
}

#[test]
fn a_file_named_for_a_windows_device_is_refused_with_a_slug_to_use() {
    let site = TestSite::small();
    let run = failed_build_keeps_public(&site, |s| {
        s.write(
            "content/agencies/con.md",
            "+++\ntitle = \"Consulate\"\n+++\n",
        )
    });
    let block = error_at(
        &run,
        "`con` cannot be part of a page's URL",
        "content/agencies/con.md:1:1",
    );
    assert!(block.contains("Windows reserves the name"), "{block}");
    assert!(block.contains("set slug = \"con-page\" here"), "{block}");

    // With the slug it suggests, the page is built there.
    site.write(
        "content/agencies/con.md",
        "+++\ntitle = \"Consulate\"\nslug = \"con-page\"\n+++\n",
    );
    site.build().ok();
    assert!(site.exists("agencies/con-page/index.html"));
}

#[test]
fn a_slug_a_path_or_an_alias_windows_reserves_is_an_error_at_its_value() {
    let site = TestSite::small();
    site.write(
        "content/agencies/a.md",
        "+++\ntitle = \"A\"\nslug = \"aux\"\n+++\n",
    );
    site.write(
        "content/agencies/b.md",
        "+++\ntitle = \"B\"\npath = \"/offices/nul/\"\n+++\n",
    );
    site.write(
        "content/agencies/c.md",
        "+++\ntitle = \"C\"\naliases = [\"/old/LPT1.html\"]\n+++\n",
    );
    // Windows drops a name's last dot: `tokyo.` would be `tokyo`.
    site.write(
        "content/agencies/d.md",
        "+++\ntitle = \"D\"\nslug = \"tokyo.\"\n+++\n",
    );
    let run = site.run(&["check"]);
    let slug = error_at(&run, "`aux` cannot be", "content/agencies/a.md:3:8");
    assert!(slug.contains("write slug = \"aux-page\""), "{slug}");
    let path = error_at(&run, "`nul` cannot be", "content/agencies/b.md:3:8");
    assert!(
        path.contains("write path = \"/offices/nul-page/\""),
        "{path}"
    );
    let alias = error_at(&run, "`LPT1.html` cannot be", "content/agencies/c.md:3:12");
    assert!(alias.contains("redirect it on the host"), "{alias}");
    let dot = error_at(&run, "`tokyo.` cannot be", "content/agencies/d.md:3:8");
    assert!(dot.contains("write slug = \"tokyo-page\""), "{dot}");
    // All four at once, and names that only begin like a device are fine.
    assert_eq!(
        run.stderr.matches("\nerror: ").count() + usize::from(run.stderr.starts_with("error: ")),
        4,
        "{}",
        run.stderr
    );
    site.write(
        "content/agencies/a.md",
        "+++\ntitle = \"A\"\nslug = \"auxiliary\"\n+++\n",
    );
    site.write(
        "content/agencies/b.md",
        "+++\ntitle = \"B\"\npath = \"/offices/console/\"\n+++\n",
    );
    site.write(
        "content/agencies/c.md",
        "+++\ntitle = \"C\"\naliases = [\"/old/lpt10.html\"]\n+++\n",
    );
    site.write(
        "content/agencies/d.md",
        "+++\ntitle = \"D\"\nslug = \"tokyo.2\"\n+++\n",
    );
    site.build().ok();
    assert!(site.exists("offices/console/index.html"));
}

#[test]
fn an_alias_differing_from_a_page_only_in_case_is_an_error_at_the_alias() {
    let site = TestSite::small();
    let run = failed_build_keeps_public(&site, |s| {
        s.write(
            "content/briefs/copper-talks.md",
            "+++\ntitle = \"Copper talks\"\ndate = 2025-02-01\naliases = [\"/Agencies/JICA/\"]\n+++\nText.\n",
        )
    });
    let block = error_at(
        &run,
        "alias `/Agencies/JICA/` collides with",
        "content/briefs/copper-talks.md:4:12",
    );
    assert!(
        block.contains("agencies/jica/index.html: the same file on Windows and macOS"),
        "{block}"
    );

    // An alias in capitals that no page's URL matches is an old URL kept.
    site.write(
        "content/briefs/copper-talks.md",
        "+++\ntitle = \"Copper talks\"\ndate = 2025-02-01\naliases = [\"/News/Copper/\"]\n+++\nText.\n",
    );
    site.build().ok();
    assert!(
        site.read("News/Copper/index.html")
            .contains("/briefs/copper-talks/")
    );
}

#[test]
fn a_person_or_country_named_for_a_windows_device_is_an_error_at_the_name() {
    let site = TestSite::small();
    site.write(
        "content/briefs/talks.md",
        "+++\ntitle = \"Talks\"\ndate = 2025-02-01\npeople = [\"Aux\"]\ncountries = [\"Con\"]\n+++\nText.\n",
    );
    let run = site.run(&["check"]);
    let person = error_at(&run, "`aux` cannot be", "content/briefs/talks.md:4:11");
    assert!(
        person.contains("write content/people/aux-page.md with `title = \"Aux\"`"),
        "{person}"
    );
    error_at(&run, "`con` cannot be", "content/briefs/talks.md:5:14");
    // Given a page of its own under another slug, the person is named by it.
    site.write("content/people/aux-page.md", "+++\ntitle = \"Aux\"\n+++\n");
    site.write(
        "content/briefs/talks.md",
        "+++\ntitle = \"Talks\"\ndate = 2025-02-01\npeople = [\"aux-page\"]\n+++\nText.\n",
    );
    site.build().ok();
    assert!(site.exists("people/aux-page/index.html"));
}

#[test]
fn a_static_or_bundle_file_named_for_a_windows_device_is_published_with_a_warning() {
    let site = TestSite::small();
    site.write("static/docs/aux.txt", "notes");
    site.write("static/LPT1/readme.txt", "readme");
    site.write("static/ok.txt", "fine");
    site.write(
        "content/briefs/trip/index.md",
        "+++\ntitle = \"Trip\"\ndate = 2025-02-01\n+++\n![map](nul.png)\n",
    );
    site.write("content/briefs/trip/nul.png", "png");
    let run = site.build();
    // The writer's own files: published (hosts other than Windows serve
    // them), each said once, at the file.
    assert!(run.success(), "{}", run.stderr);
    for (name, file) in [
        ("aux.txt", "static/docs/aux.txt"),
        ("LPT1", "static/LPT1/readme.txt"),
        ("nul.png", "content/briefs/trip/nul.png"),
    ] {
        let message =
            format!("warning: `{name}` is a name Windows reserves: {file} cannot be built");
        assert_eq!(
            run.stderr.matches(&message).count(),
            1,
            "{message}\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("ok.txt"), "{}", run.stderr);
    assert_eq!(site.read("docs/aux.txt"), "notes");
    assert_eq!(site.read("briefs/trip/nul.png"), "png");
}
