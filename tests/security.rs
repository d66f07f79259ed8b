//! Nothing outside the site is read, however it is reached, unless the
//! configuration names it; odd files are reported, not skipped silently.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;

use common::TestSite;

/// A theme folder outside the site, with a template set and a static file.
fn outside_theme() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    let theme = outside.path().join("theme");
    for name in [
        "index.html",
        "page.html",
        "list.html",
        "404.html",
        "search.html",
    ] {
        let path = theme.join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "<html><body>{{ site.title }}</body></html>").unwrap();
    }
    std::fs::create_dir_all(theme.join("static")).unwrap();
    std::fs::write(theme.join("static/leak.txt"), "outside secret").unwrap();
    outside
}

#[test]
fn a_symlinked_theme_outside_the_site_is_refused_by_build_and_check() {
    let outside = outside_theme();
    let site = TestSite::small();
    std::fs::create_dir_all(site.path("themes")).unwrap();
    symlink(outside.path().join("theme"), site.path("themes/evil")).unwrap();
    site.write(
        "attache.toml",
        &format!("{}theme = \"evil\"\n", common::CONFIG),
    );
    for command in ["check", "build"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("theme `evil` is outside the site: themes/evil is a symlink"),
            "{command}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("trusted_folders"), "{}", run.stderr);
    }
    assert!(!site.exists("leak.txt"));

    // Named in the configuration, the same folder is read.
    site.write(
        "attache.toml",
        &format!(
            "{}theme = \"evil\"\ntrusted_folders = [\"{}\"]\n",
            common::CONFIG,
            outside.path().display()
        ),
    );
    site.build().ok();
    assert_eq!(site.read("leak.txt"), "outside secret");
}

#[test]
fn a_symlinked_content_folder_or_config_outside_the_site_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("briefs")).unwrap();
    std::fs::write(
        outside.path().join("briefs/secret.md"),
        "+++\ntitle = \"Secret\"\ndate = 2025-01-01\n+++\nSecret text.\n",
    )
    .unwrap();
    let site = TestSite::new();
    symlink(outside.path(), site.path("content")).unwrap();
    let run = site.build();
    assert!(run.stderr.contains("skipped content"), "{}", run.stderr);
    assert!(!site.exists("briefs/secret/index.html"));

    let other = TestSite::new();
    std::fs::write(outside.path().join("attache.toml"), common::CONFIG).unwrap();
    other.remove("attache.toml");
    symlink(
        outside.path().join("attache.toml"),
        other.path("attache.toml"),
    )
    .unwrap();
    let run = other.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the site folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn fifos_are_reported_not_skipped_silently() {
    let site = TestSite::small();
    let fifo = site.path("content/briefs/pipe.md");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let run = site.build().ok();
    assert!(
        run.stderr
            .contains("skipped content/briefs/pipe.md: not a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_that_are_not_utf8_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::small();
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    let folder = std::ffi::OsStr::from_bytes(b"brief\xe9s");
    std::fs::write(
        site.path("content/briefs").join(bad),
        "+++\ntitle = \"x\"\n+++\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.path("content").join(folder)).unwrap();
    std::fs::write(site.path("content").join(folder).join("a.md"), "x").unwrap();
    let run = site.build().ok();
    assert!(
        run.stderr
            .contains("content/briefs/caf\u{fffd}.md: its name is not valid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/brief\u{fffd}s/a.md: its name is not valid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("did you mean `briefs`"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_in_markdown_can_be_escaped_or_stripped() {
    let site = TestSite::small();
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\n+++\n<script>alert(1)</script>\n\nText with <b>bold</b>.\n",
    );
    site.build().ok();
    assert!(
        site.read("briefs/tokyo-visit/index.html")
            .contains("<script>alert(1)</script>")
    );
    for (mode, expected, absent) in [
        (
            "escape",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<script>alert",
        ),
        ("strip", "Text with bold.", "alert(1)"),
    ] {
        site.write(
            "attache.toml",
            &format!("{}[markdown]\nraw_html = \"{mode}\"\n", common::CONFIG),
        );
        site.build().ok();
        let page = site.read("briefs/tokyo-visit/index.html");
        assert!(page.contains(expected), "{mode}: {page}");
        assert!(!page.contains(absent), "{mode}: {page}");
    }
}

#[test]
fn a_template_linked_outside_the_site_is_refused_with_a_warning() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("page.html"), "outside template").unwrap();
    let site = TestSite::small();
    std::fs::create_dir_all(site.path("templates/briefs")).unwrap();
    symlink(
        outside.path().join("page.html"),
        site.path("templates/briefs/page.html"),
    )
    .unwrap();
    for command in ["check", "build"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("warning"), "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("templates/briefs/page.html"),
            "{command}: {}",
            run.stderr
        );
    }
    let brief = site.read("briefs/tokyo-visit/index.html");
    assert!(!brief.contains("outside template"));
}
