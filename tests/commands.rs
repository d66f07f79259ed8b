//! The command line: help, usage errors, `init`, `new`, and where `build`
//! may write.

mod common;

use std::path::Path;

use common::{Run, TestSite, attache};

/// Runs `attache <args>` without `--root`.
fn run(args: &[&str]) -> Run {
    attache().args(args).output().expect("run attache").into()
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

#[test]
fn help_lists_the_commands() {
    let run = run(&["--help"]).ok();
    for command in ["build", "check", "init", "new"] {
        assert!(
            run.stdout.contains(&format!("  {command}  ")),
            "{command}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn version_names_the_release_the_commit_and_the_build_day() {
    let run = run(&["--version"]).ok();
    let line = run.stdout.trim();
    let rest = line
        .strip_prefix(&format!("attache {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not `attache <release> (<commit> <day>)`: {line}"));
    let (commit, day) = rest.split_once(' ').expect("a commit, then a day");
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{line}"
    );
    assert!(
        jiff::civil::Date::strptime("%Y-%m-%d", day).is_ok(),
        "{line}"
    );
    // Built in a clone, the commit is the clone's (unless a release
    // workflow named one).
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    if let Ok(head) = head
        && head.status.success()
        && std::env::var_os("ATTACHE_COMMIT").is_none()
    {
        assert!(
            String::from_utf8_lossy(&head.stdout).starts_with(commit),
            "{line}"
        );
    }
}

#[test]
fn each_command_has_help_naming_its_options() {
    for (command, options) in [
        (
            "build",
            &["--output", "--base-url", "--drafts", "--root"][..],
        ),
        ("check", &["--drafts", "--root"][..]),
        ("init", &["<DIR>"][..]),
        ("new", &["<KIND>", "<TITLE>", "--root"][..]),
        (
            "serve",
            &[
                "--bind",
                "--port",
                "--drafts",
                "--open",
                "--poll",
                "--root",
                "127.0.0.1",
                "1111",
            ][..],
        ),
        ("watch", &["--output", "--poll", "--drafts", "--root"][..]),
    ] {
        let run = run(&[command, "--help"]);
        assert_eq!(run.code, 0, "{command} --help:\n{}", run.stderr);
        assert!(
            run.stdout.contains(&format!("Usage: attache {command}")),
            "{}",
            run.stdout
        );
        for option in options {
            assert!(
                run.stdout.contains(option),
                "{command} --help lacks {option}:\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["frobnicate"][..],
        &[][..],
        &["new", "briefs"][..],
        &["init"][..],
        &["build", "--no-such-flag"][..],
        &["build", "--color", "purple"][..],
    ] {
        let run = run(args);
        assert_eq!(run.code, 2, "attache {args:?}:\n{}", run.stderr);
    }
    let unknown = run(&["frobnicate"]);
    assert!(
        unknown.stderr.contains("unrecognized subcommand"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn init_creates_a_site_that_builds_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("desk");
    let created = run(&["init", path_arg(&site)]).ok();
    assert!(created.stdout.contains("created"), "{}", created.stdout);
    // What to do next needs nothing but attache (no Python to serve it).
    assert!(
        created.stdout.contains("attache serve"),
        "{}",
        created.stdout
    );
    assert!(!created.stdout.contains("python"), "{}", created.stdout);
    assert!(site.join("attache.toml").is_file());
    assert!(site.join("content").is_dir());
    assert!(site.join("content/briefs").is_dir());

    let built = run(&["build", "--root", path_arg(&site)]).ok();
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/briefs/first-brief/index.html").is_file());
    // The folder-keeping file is not published.
    assert!(site.join("static/.gitkeep").is_file());
    assert!(!site.join("public/.gitkeep").exists());
    // The home page is titled as the site, renamed or not.
    let config = std::fs::read_to_string(site.join("attache.toml")).unwrap();
    std::fs::write(
        site.join("attache.toml"),
        config.replace("Trade Desk", "Energy Desk"),
    )
    .unwrap();
    run(&["build", "--root", path_arg(&site)]).ok();
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<h1>Energy Desk</h1>"), "{home}");
    assert!(!home.contains("Trade Desk"), "{home}");
}

#[test]
fn init_works_in_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    run(&["init", path_arg(dir.path())]).ok();
    assert!(dir.path().join("attache.toml").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.path().join("attache.toml"), "title = \"Mine\"\n").unwrap();
    let run = run(&["init", path_arg(dir.path())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("attache.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert!(!dir.path().join("content").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn new_creates_a_brief_that_builds() {
    let site = TestSite::small();
    let run = site.run(&["new", "briefs", "Tokyo talks"]).ok();
    assert!(
        run.stdout.contains("content/briefs/tokyo-talks.md"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(site.path("content/briefs/tokyo-talks.md")).unwrap();
    let front: Vec<&str> = text
        .split("+++")
        .nth(1)
        .expect("front matter")
        .lines()
        .collect();
    assert!(front.contains(&"title = \"Tokyo talks\""), "{text}");
    let date = front
        .iter()
        .find_map(|l| l.strip_prefix("date = "))
        .unwrap_or_else(|| panic!("no date line:\n{text}"));
    let bytes = date.as_bytes();
    assert!(
        date.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-',
        "date is a day: {date}"
    );

    let built = site.build().ok();
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    assert!(
        site.read("briefs/tokyo-talks/index.html")
            .contains("Tokyo talks")
    );
}

#[test]
fn new_never_overwrites_a_file() {
    let site = TestSite::small();
    site.run(&["new", "briefs", "Tokyo talks"]).ok();
    let path = site.path("content/briefs/tokyo-talks.md");
    std::fs::write(&path, "+++\ntitle = \"Edited\"\ndate = 2025-01-01\n+++\n").unwrap();
    let again = site.run(&["new", "briefs", "Tokyo talks"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "+++\ntitle = \"Edited\"\ndate = 2025-01-01\n+++\n"
    );
}

#[test]
fn new_refuses_an_unknown_kind() {
    let site = TestSite::small();
    let run = site.run(&["new", "nonsense", "X"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`nonsense` is not a kind"),
        "{}",
        run.stderr
    );
    assert!(!site.path("content/nonsense").exists());
    let typo = site.run(&["new", "breifs", "X"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `briefs`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn new_escapes_quotes_in_the_title() {
    let site = TestSite::small();
    site.run(&["new", "agencies", r#"The "Big" \ Agency"#]).ok();
    site.build().ok();
    let page = site.read("agencies/the-big-agency/index.html");
    // Written back as typed, shown with typographic quotes.
    assert!(
        page.contains("The “Big” \\ Agency"),
        "{}",
        common::main_of(&page)
    );
}

#[test]
fn new_escapes_a_line_break_in_the_title() {
    let site = TestSite::small();
    site.run(&["new", "agencies", "Two\nlines"]).ok();
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn build_refuses_the_site_folder_as_output() {
    let site = TestSite::small();
    let root = path_arg(site.root()).to_string();
    let through_public = format!("{root}/public/..");
    for output in [root.as_str(), through_public.as_str()] {
        let run = site.run(&["build", "--output", output]);
        assert_eq!(run.code, 2, "--output {output}:\n{}", run.stderr);
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
        assert!(site.path("attache.toml").is_file());
        assert!(site.path("content/briefs/tokyo-visit.md").is_file());
        assert!(site.path("content/sectors/copper.md").is_file());
        assert!(!site.path("index.html").exists());
        assert!(!site.path("public").exists());
    }
}

#[test]
fn build_refuses_a_folder_that_contains_the_site() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    std::fs::create_dir_all(root.join("content/agencies")).unwrap();
    std::fs::write(root.join("attache.toml"), common::CONFIG).unwrap();
    std::fs::write(
        root.join("content/agencies/jica.md"),
        "+++\ntitle = \"JICA\"\n+++\n",
    )
    .unwrap();
    std::fs::write(outer.path().join("keep.txt"), "keep").unwrap();

    let run = run(&[
        "build",
        "--root",
        path_arg(&root),
        "--output",
        path_arg(outer.path()),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert!(run.stderr.contains("contains the site"), "{}", run.stderr);
    assert!(root.join("attache.toml").is_file());
    assert!(root.join("content/agencies/jica.md").is_file());
    assert!(outer.path().join("keep.txt").is_file());
    assert!(!outer.path().join("index.html").exists());
}

#[test]
fn build_writes_to_another_output_folder() {
    let site = TestSite::small();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("elsewhere");
    let run = site.run(&["build", "--output", path_arg(&out)]).ok();
    assert!(run.stderr.contains("elsewhere"), "{}", run.stderr);
    assert!(out.join("index.html").is_file());
    assert!(out.join("briefs/tokyo-visit/index.html").is_file());
    assert!(out.join("agencies/jica/index.html").is_file());
    assert!(!site.path("public").exists(), "nothing written to public/");
}

#[test]
fn new_takes_a_slug_a_date_and_references_checked_against_the_site() {
    let site = TestSite::small();
    site.run(&[
        "new",
        "agencies",
        "Board of Investment",
        "--slug",
        "boi",
        "--countries",
        "Pakistan",
    ])
    .ok();
    let agency = std::fs::read_to_string(site.path("content/agencies/boi.md")).unwrap();
    assert!(
        agency.contains("title = \"Board of Investment\"\n"),
        "{agency}"
    );
    assert!(agency.contains("country = \"Pakistan\"\n"), "{agency}");

    let run = site
        .run(&[
            "new",
            "briefs",
            "Copper talks",
            "--agencies",
            "jica,boi",
            "--sectors",
            "copper",
            "--people",
            "Jam Kamal,HARA Shohei",
            "--summary",
            "Talks on copper.",
        ])
        .ok();
    assert!(
        run.stdout.contains("content/briefs/copper-talks.md"),
        "{}",
        run.stdout
    );
    let brief = std::fs::read_to_string(site.path("content/briefs/copper-talks.md")).unwrap();
    assert!(
        brief.contains("agencies = [\"jica\", \"boi\"]\n"),
        "{brief}"
    );
    assert!(brief.contains("sectors = [\"copper\"]\n"), "{brief}");
    assert!(
        brief.contains("people = [\"Jam Kamal\", \"HARA Shohei\"]\n"),
        "{brief}"
    );
    assert!(
        brief.contains("summary = \"Talks on copper.\"\n"),
        "{brief}"
    );
    // Kinds not given stay as commented hints.
    assert!(brief.contains("# meetings = []\n"), "{brief}");

    site.run(&["new", "meetings", "Business Dialogue", "--date", "2025-12"])
        .ok();
    let meeting =
        std::fs::read_to_string(site.path("content/meetings/business-dialogue.md")).unwrap();
    assert!(meeting.contains("date = \"2025-12\"\n"), "{meeting}");
    // A month has no end to suggest; a moment's is an hour later, and
    // uncommented it builds.
    assert!(!meeting.contains("end ="), "{meeting}");
    site.run(&[
        "new",
        "meetings",
        "Kamal's Tokyo visit",
        "--date",
        "2027-02-10T14:00:00+09:00",
    ])
    .ok();
    let path = site.path("content/meetings/kamals-tokyo-visit.md");
    let visit = std::fs::read_to_string(&path).unwrap();
    assert!(
        visit.contains("# end = 2027-02-10T15:00:00+09:00\n"),
        "{visit}"
    );
    std::fs::write(&path, visit.replace("# end", "end")).unwrap();

    let built = site.build().ok();
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    let page = site.read("briefs/copper-talks/index.html");
    assert!(page.contains(r#"href="/agencies/boi/""#), "{page}");
    assert!(page.contains(r#"href="/people/hara-shohei/""#), "{page}");
}

#[test]
fn new_refuses_references_the_site_does_not_have_and_writes_nothing() {
    let site = TestSite::small();
    let run = site.run(&[
        "new",
        "briefs",
        "X",
        "--agencies",
        "jicaa,nobody",
        "--sectors",
        "coper",
        "--slug",
        "Bad Slug",
        "--date",
        "someday",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for expected in [
        "--agencies: no agency `jicaa`",
        "did you mean `jica`?",
        "--agencies: no agency `nobody`",
        "--sectors: no sector `coper`",
        "did you mean `copper`?",
        "`Bad Slug` cannot be a slug",
        "bad --date",
    ] {
        assert!(run.stderr.contains(expected), "{expected}:\n{}", run.stderr);
    }
    assert!(!site.path("content/briefs/x.md").exists());
    assert!(!site.path("content/briefs/bad-slug.md").exists());
    let run = site.run(&["new", "briefs", "X", "--ref", "visitz=a"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`visitz` is not a kind"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_readme_shows_what_new_writes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("desk");
    common::attache().arg("init").arg(&root).output().unwrap();
    let run: common::Run = common::attache()
        .args([
            "new",
            "briefs",
            "Pakistan courts Japanese investment",
            "--agencies",
            "example-agency",
            "--sectors",
            "example-sector",
            "--countries",
            "Pakistan,Japan",
            "--summary",
            "Joint ventures in minerals pitched to Japanese agencies.",
            "--root",
        ])
        .arg(&root)
        .output()
        .unwrap()
        .into();
    let run = run.ok();
    assert!(
        run.stdout
            .contains("pakistan-courts-japanese-investment.md")
    );
    let written =
        std::fs::read_to_string(root.join("content/briefs/pakistan-courts-japanese-investment.md"))
            .unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let step = &readme[readme.find("2. **Create the brief:**").unwrap()..];
    let block = step
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let shown: String = block
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    let undated = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.starts_with("date = "))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    assert_eq!(
        undated(shown.trim_end()),
        undated(written.trim_end()),
        "README:\n{shown}\nwritten:\n{written}"
    );
}

#[test]
fn a_zola_or_hugo_site_is_told_where_to_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "base_url = \"https://example.org\"\n",
    )
    .unwrap();
    let said = run(&["build", "--root", path_arg(dir.path())]);
    assert_eq!(said.code, 1, "{}", said.stderr);
    assert!(
        said.stderr.contains("cannot read attache.toml"),
        "{}",
        said.stderr
    );
    assert!(
        said.stderr.contains("as a Zola site does"),
        "{}",
        said.stderr
    );
    assert!(said.stderr.contains("docs/migrating.md"), "{}", said.stderr);
    std::fs::remove_file(dir.path().join("config.toml")).unwrap();
    std::fs::write(
        dir.path().join("hugo.toml"),
        "baseURL = \"https://example.org\"\n",
    )
    .unwrap();
    let said = run(&["build", "--root", path_arg(dir.path())]);
    assert!(
        said.stderr.contains("as a Hugo site does"),
        "{}",
        said.stderr
    );
}

#[test]
fn a_page_bundle_is_its_folders_page_and_its_pictures_are_published_beside_it() {
    let site = common::TestSite::new();
    site.write(
        "content/briefs/trip/index.md",
        "+++\ntitle = \"Trip\"\ndate = 2025-07-17\n+++\n![Port](port.jpg) and [the other](@/briefs/other.md).\n",
    );
    site.write("content/briefs/trip/port.jpg", "not really a picture");
    site.write(
        "content/briefs/other.md",
        "+++\ntitle = \"Other\"\ndate = 2025-07-18\n+++\nSee [the trip](@/briefs/trip.md).\n",
    );
    let run = site.build().ok();
    // Published at the folder's name, as Zola and Hugo publish a bundle.
    assert!(site.exists("briefs/trip/index.html"));
    assert!(!site.exists("briefs/index/index.html"));
    assert!(
        site.read("briefs/other/index.html")
            .contains(r#"href="/briefs/trip/""#)
    );
    assert_eq!(site.read("briefs/trip/port.jpg"), "not really a picture");
    assert!(
        site.read("briefs/trip/index.html")
            .contains(r#"src="port.jpg""#)
    );
    assert!(!run.stderr.contains("port.jpg"), "{}", run.stderr);
}

#[test]
fn a_link_to_a_kinds_index_file_is_its_list_page() {
    let site = common::TestSite::new();
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-07-17\n+++\nSee [all briefings](@/briefs/_index.md) and [the agencies](@/agencies/_index.md#top).\n",
    );
    let run = site.build().ok();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let page = site.read("briefs/a/index.html");
    assert!(
        page.contains(r#"<a href="/briefs/">all briefings</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="/agencies/#top">the agencies</a>"#),
        "{page}"
    );
    // A kind that does not exist is still a broken link.
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-07-17\n+++\nSee [posts](@/posts/_index.md).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`posts` is not a kind"),
        "{}",
        run.stderr
    );
}

#[test]
fn theme_copy_gives_a_writer_the_template_to_edit() {
    let site = common::TestSite::small();
    let listed = common::attache().args(["theme", "list"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.lines().any(|l| l == "briefs/page.html"), "{listed}");
    let copied = site.run(&["theme", "copy", "briefs/page.html"]).ok();
    assert!(
        copied.stdout.contains("templates/briefs/page.html"),
        "{}",
        copied.stdout
    );
    // The copy is the site's template: edited, it is what builds.
    let path = site.path("templates/briefs/page.html");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("{% block details %}"), "{text}");
    let edited = text.replace(
        "{% block details %}",
        "{% block details %}<!-- edited by the desk -->",
    );
    std::fs::write(&path, edited).unwrap();
    site.build().ok();
    assert!(
        site.read("briefs/tokyo-visit/index.html")
            .contains("<!-- edited by the desk -->")
    );
    // Never over the site's own.
    let again = site.run(&["theme", "copy", "briefs/page.html"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("templates/briefs/page.html exists already"),
        "{}",
        again.stderr
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("edited by the desk")
    );
}
