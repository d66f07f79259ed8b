//! The in-memory incremental rebuild gives exactly what a full build gives.
//!
//! Each scenario edits a real site on disk, applies the change to a
//! `Live` site, and compares every output byte for byte with a fresh full
//! build of the same files.

mod common;

use attache::Engine as Live;
use attache::write::Body;
use common::{TestSite, problems, snapshot};

/// Fails with the first differing file between the live outputs and a
/// full build.
fn assert_same_as_full_build(site: &TestSite, live: &mut Live, step: &str) {
    live.refresh_search();
    let diagnostics = live.diagnostics();
    assert!(
        !diagnostics.has_errors(),
        "{step}: unexpected errors:\n{}",
        diagnostics
            .iter()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let full = attache::generate(&site.options(), &attache::Quiet)
        .unwrap_or_else(|e| panic!("{step}: full build failed: {e:?}"));
    let expected = snapshot(&full.outputs.files);
    let actual = snapshot(&live.outputs().files);
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .collect();
    let extra: Vec<&String> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    for (path, bytes) in &expected {
        if actual[path] != *bytes {
            let a = String::from_utf8_lossy(&actual[path]);
            let e = String::from_utf8_lossy(bytes);
            let at = a.chars().zip(e.chars()).take_while(|(x, y)| x == y).count();
            let from = at.saturating_sub(120);
            panic!(
                "{step}: {path} differs from a full build at char {at}:\n--- live:\n{}\n--- full:\n{}",
                a.chars().skip(from).take(300).collect::<String>(),
                e.chars().skip(from).take(300).collect::<String>()
            );
        }
    }
}

/// The live site reports the same problems as a full build would.
fn assert_same_problems_as_full_build(site: &TestSite, live: &Live, step: &str) {
    let key = |d: &attache::Diagnostic| (d.position().unwrap_or_default(), d.message.clone());
    let mut live_problems: Vec<_> = live.diagnostics().iter().map(key).collect();
    let mut full_problems: Vec<_> = match attache::generate(&site.options(), &attache::Quiet) {
        Ok(g) => g.diagnostics.iter().map(key).collect(),
        Err(d) => d.iter().map(key).collect(),
    };
    live_problems.sort();
    full_problems.sort();
    assert_eq!(live_problems, full_problems, "{step}");
}

fn brief(title: &str, date: &str, agencies: &str, sectors: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\nagencies = [{agencies}]\nsectors = [{sectors}]\n+++\n{body}\n"
    )
}

fn site() -> TestSite {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!(
            "{}paginate_by = 2\n[kinds.people]\nstubs = true\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/briefs/second.md",
        &brief(
            "Second",
            "2025-06-01",
            "\"jetro\"",
            "\"minerals\"",
            "See [copper](@/sectors/copper.md).",
        ),
    );
    site.write(
        "content/briefs/third.md",
        &brief(
            "Third",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Plain.",
        ),
    );
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Agencies\"\n+++\nWho is who.\n",
    );
    site
}

/// Applies `paths` (relative to the site) and checks against a full build.
fn step(site: &TestSite, live: &mut Live, paths: &[&str], name: &str) {
    let update = live.apply(paths.iter().map(|p| site.path(p)).collect());
    assert!(
        !update.is_empty() || name.contains("no change"),
        "{name}: nothing changed"
    );
    assert_same_as_full_build(site, live, name);
}

#[test]
fn edits_to_briefs_match_a_full_build() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();
    assert_same_as_full_build(&site, &mut live, "start");

    let third = "content/briefs/third.md";
    site.write(
        third,
        &brief(
            "Third",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Plain, edited.",
        ),
    );
    step(&site, &mut live, &[third], "edit the body");

    site.write(
        third,
        &brief(
            "Third, renamed",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Plain.",
        ),
    );
    step(&site, &mut live, &[third], "change the title");

    site.write(
        third,
        &brief(
            "Third, renamed",
            "2025-08-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Plain.",
        ),
    );
    step(
        &site,
        &mut live,
        &[third],
        "change the date: it moves to the top",
    );

    site.write(
        third,
        &brief(
            "Third, renamed",
            "2025-08-01",
            "\"jetro\"",
            "\"copper\", \"minerals\"",
            "Plain.",
        ),
    );
    step(
        &site,
        &mut live,
        &[third],
        "drop a reference and add another",
    );

    site.write(
        third,
        &brief(
            "Third, renamed",
            "2025-08-01",
            "\"jetro\"",
            "\"copper\"",
            "Now with [JICA](@/agencies/jica.md#nope-no).",
        ),
    );
    let update = live.apply(vec![site.path(third)]);
    assert!(
        live.diagnostics().has_errors(),
        "a broken anchor is an error"
    );
    assert!(
        !update
            .changed
            .contains(&"briefs/third/index.html".to_string()),
        "the page keeps its last good version"
    );
    site.write(
        third,
        &brief(
            "Third, renamed",
            "2025-08-01",
            "\"jetro\"",
            "\"copper\"",
            "Now with [JICA](@/agencies/jica.md).",
        ),
    );
    step(&site, &mut live, &[third], "fix the anchor");

    // tokyo-visit links to copper.md#deposits: renaming that heading breaks
    // the link even though tokyo-visit itself did not change.
    let copper = "content/sectors/copper.md";
    site.write(
        copper,
        "+++\ntitle = \"Copper\"\nparent = \"critical-minerals\"\n+++\n\n## Reserves\n",
    );
    live.apply(vec![site.path(copper)]);
    let errors: Vec<String> = live
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false))
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("broken anchor") && e.contains("content/briefs/tokyo-visit.md")),
        "{errors:?}"
    );
    site.write(copper, "+++\ntitle = \"Copper\"\nparent = \"critical-minerals\"\n+++\n\n## Deposits\n\nIn the north.\n");
    step(&site, &mut live, &[copper], "restore the heading");
}

#[test]
fn adding_deleting_and_renaming_pages_match_a_full_build() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();

    site.write(
        "content/briefs/fourth.md",
        &brief(
            "Fourth",
            "2025-09-01",
            "\"jica\"",
            "",
            "New [copper](@/sectors/copper.md).",
        ),
    );
    step(
        &site,
        &mut live,
        &["content/briefs/fourth.md"],
        "add a brief",
    );

    site.remove("content/briefs/second.md");
    step(
        &site,
        &mut live,
        &["content/briefs/second.md"],
        "delete a brief",
    );

    std::fs::rename(
        site.path("content/briefs/fourth.md"),
        site.path("content/briefs/fourth-renamed.md"),
    )
    .unwrap();
    step(
        &site,
        &mut live,
        &[
            "content/briefs/fourth.md",
            "content/briefs/fourth-renamed.md",
        ],
        "rename a brief",
    );

    site.write("content/agencies/kotra.md", "+++\ntitle = \"KOTRA\"\n+++\n");
    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"kotra\"", "\"copper\"", "Plain."),
    );
    step(
        &site,
        &mut live,
        &["content/agencies/kotra.md", "content/briefs/third.md"],
        "two files at once",
    );

    site.remove("content/agencies/jetro.md");
    let _ = live.apply(vec![site.path("content/agencies/jetro.md")]);
    assert!(
        live.diagnostics().has_errors(),
        "a brief still references jetro"
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO\"\nshort = \"JETRO\"\n+++\n",
    );
    step(
        &site,
        &mut live,
        &["content/agencies/jetro.md"],
        "restore the agency",
    );
}

#[test]
fn sectors_drafts_stubs_intros_and_duplicates_match_a_full_build() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();

    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\nparent = \"minerals\"\n+++\n\n## Deposits\n",
    );
    step(
        &site,
        &mut live,
        &["content/sectors/copper.md"],
        "move a sector in the tree",
    );

    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"jica\"", "", "Plain.")
            .replace("+++\ntitle", "+++\ndraft = true\ntitle"),
    );
    step(
        &site,
        &mut live,
        &["content/briefs/third.md"],
        "make a brief a draft",
    );
    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"jica\"", "", "Plain."),
    );
    step(
        &site,
        &mut live,
        &["content/briefs/third.md"],
        "publish it again",
    );

    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"jica\"", "", "Plain.")
            .replace("sectors = []", "sectors = []\npeople = [\"jam-kamal\"]"),
    );
    step(
        &site,
        &mut live,
        &["content/briefs/third.md"],
        "mention a person: a stub",
    );
    site.write(
        "content/people/jam-kamal.md",
        "+++\ntitle = \"Jam Kamal\"\n+++\nCommerce minister.\n",
    );
    step(
        &site,
        &mut live,
        &["content/people/jam-kamal.md"],
        "a real page replaces the stub",
    );
    site.remove("content/people/jam-kamal.md");
    step(
        &site,
        &mut live,
        &["content/people/jam-kamal.md"],
        "the stub comes back",
    );
    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"jica\"", "", "Plain."),
    );
    step(
        &site,
        &mut live,
        &["content/briefs/third.md"],
        "no mention: the stub goes",
    );

    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Who's who\"\n+++\nEdited.\n",
    );
    step(
        &site,
        &mut live,
        &["content/agencies/_index.md"],
        "edit a list intro",
    );

    site.write(
        "content/agencies/jica-copy.md",
        "+++\ntitle = \"Copy\"\nslug = \"jica\"\n+++\n",
    );
    let _ = live.apply(vec![site.path("content/agencies/jica-copy.md")]);
    assert!(
        live.diagnostics()
            .iter()
            .any(|d| d.message.contains("duplicate slug"))
    );
    site.remove("content/agencies/jica-copy.md");
    step(
        &site,
        &mut live,
        &["content/agencies/jica-copy.md"],
        "remove the duplicate (no change)",
    );
}

#[test]
fn templates_static_files_and_config_match_a_full_build() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();

    site.write(
        "templates/briefs/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% endblock main %}",
    );
    step(
        &site,
        &mut live,
        &["templates/briefs/page.html"],
        "add a template for briefs",
    );
    site.write(
        "templates/briefs/page.html",
        "{% extends \"base.html\" %}{% block main %}<h2>{{ page.title }}</h2>{% endblock main %}",
    );
    step(&site, &mut live, &["templates/briefs/page.html"], "edit it");
    site.write(
        "templates/base.html",
        "<!doctype html><title>{% block title %}{% endblock title %}</title>{% block description %}{% endblock description %}{% block head %}{% endblock head %}{% block main %}{% endblock main %}",
    );
    step(
        &site,
        &mut live,
        &["templates/base.html"],
        "override base.html",
    );
    site.remove("templates/briefs/page.html");
    step(
        &site,
        &mut live,
        &["templates/briefs/page.html"],
        "remove the brief template",
    );

    site.write(
        "templates/base.html",
        "{% block main %}{{ page.nope.deeper }}{% endblock main %}",
    );
    let _ = live.apply(vec![site.path("templates/base.html")]);
    assert!(live.diagnostics().has_errors(), "a template error");
    site.remove("templates/base.html");
    step(
        &site,
        &mut live,
        &["templates/base.html"],
        "back to the theme's base.html",
    );

    site.write("static/extra.css", "body { color: red }");
    step(&site, &mut live, &["static/extra.css"], "add a static file");
    site.write("static/style.css", "body { color: blue }");
    step(
        &site,
        &mut live,
        &["static/style.css"],
        "override the theme's stylesheet",
    );
    site.remove("static/style.css");
    step(
        &site,
        &mut live,
        &["static/style.css"],
        "remove the override",
    );

    site.write(
        "attache.toml",
        &format!(
            "{}paginate_by = 1\n",
            common::CONFIG.replace("Test Desk", "Renamed Desk")
        ),
    );
    step(
        &site,
        &mut live,
        &["attache.toml"],
        "change the configuration",
    );
}

#[test]
fn problems_and_tricky_changes_match_a_full_build() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();

    // A parent cycle stays an error whatever else is edited.
    site.write(
        "content/sectors/minerals.md",
        "+++\ntitle = \"Minerals\"\nparent = \"copper\"\n+++\n",
    );
    live.apply(vec![site.path("content/sectors/minerals.md")]);
    assert_same_problems_as_full_build(&site, &live, "a cycle");
    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"jica\"", "", "Edited."),
    );
    live.apply(vec![site.path("content/briefs/third.md")]);
    assert_same_problems_as_full_build(&site, &live, "the cycle after another edit");
    site.write(
        "content/sectors/minerals.md",
        "+++\ntitle = \"Minerals\"\n+++\n",
    );
    step(
        &site,
        &mut live,
        &["content/sectors/minerals.md"],
        "break the cycle",
    );

    // A reference to a page whose file then fails to load.
    site.write(
        "content/briefs/third.md",
        &brief("Third", "2025-05-01", "\"newco\"", "", "Plain."),
    );
    live.apply(vec![site.path("content/briefs/third.md")]);
    assert_same_problems_as_full_build(&site, &live, "unknown agency");
    site.write("content/agencies/newco.md", "+++\ntitle = \"NewCo\n+++\n");
    live.apply(vec![site.path("content/agencies/newco.md")]);
    assert_same_problems_as_full_build(&site, &live, "the agency exists but does not load");
    site.write("content/agencies/newco.md", "+++\ntitle = \"NewCo\"\n+++\n");
    step(
        &site,
        &mut live,
        &["content/agencies/newco.md"],
        "the agency loads",
    );

    // A page moves to another kind: its id must not be taken for the other.
    std::fs::create_dir_all(site.path("content/meetings")).unwrap();
    std::fs::rename(
        site.path("content/briefs/second.md"),
        site.path("content/meetings/second.md"),
    )
    .unwrap();
    step(
        &site,
        &mut live,
        &["content/briefs/second.md", "content/meetings/second.md"],
        "a brief becomes a meeting",
    );

    // A sector moves in the tree: feeds of old and new ancestors follow.
    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\n+++\n\n## Deposits\n\nIn the north.\n",
    );
    step(
        &site,
        &mut live,
        &["content/sectors/copper.md"],
        "a sector leaves its parent",
    );

    // A template that looks pages up shows changes to any of them.
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}{% set j = get_page(kind=\"agencies\", slug=\"jetro\") %}<p>{{ j.title }}</p>{% endblock main %}",
    );
    step(
        &site,
        &mut live,
        &["templates/index.html"],
        "a home page that looks up JETRO",
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO, renamed\"\nshort = \"JETRO\"\n+++\n",
    );
    step(
        &site,
        &mut live,
        &["content/agencies/jetro.md"],
        "rename JETRO",
    );

    // A static file at a generated page's path loses to the page.
    site.write("static/agencies/index.html", "static");
    step(
        &site,
        &mut live,
        &["static/agencies/index.html"],
        "a static file where a list is (no change)",
    );
    site.write("static/agencies/index.html", "static, edited");
    step(
        &site,
        &mut live,
        &["static/agencies/index.html"],
        "edit it (no change)",
    );

    // Broken links in list intros are reported.
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Agencies\"\n+++\nSee [x](@/agencies/nope.md).\n",
    );
    live.apply(vec![site.path("content/agencies/_index.md")]);
    assert_same_problems_as_full_build(&site, &live, "a broken link in an intro");
    assert!(live.diagnostics().iter().any(|d| {
        d.message.contains("broken link")
            && d.position()
                .unwrap_or_default()
                .starts_with("content/agencies/_index.md")
    }));
}

#[test]
fn a_page_that_moves_among_the_others_in_place_reorders_related_lists() {
    // `r` is related to `a` and `b` equally; list order breaks the tie.
    let site = TestSite::small();
    for (name, date) in [
        ("r", "2025-08-01"),
        ("a", "2025-07-01"),
        ("b", "2025-06-01"),
    ] {
        site.write(
            &format!("content/briefs/{name}.md"),
            &brief(name, date, "\"jica\", \"jetro\"", "\"copper\"", "Text."),
        );
    }
    // Newest of all, and sharing nothing with them.
    site.write(
        "content/briefs/top.md",
        &brief("top", "2025-09-01", "", "\"minerals\"", "Text."),
    );
    let mut live = Live::new(site.options()).unwrap();
    assert_same_as_full_build(&site, &mut live, "start");
    // `top` goes and `a` moves below `b`: `a` keeps its position (third),
    // but it is now after `b`, so `r` lists `b` first.
    std::fs::remove_file(site.path("content/briefs/top.md")).unwrap();
    site.write(
        "content/briefs/a.md",
        &brief(
            "a",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Text.",
        ),
    );
    step(
        &site,
        &mut live,
        &["content/briefs/top.md", "content/briefs/a.md"],
        "a moves below b as top goes",
    );
}

#[test]
fn related_pages_follow_a_shared_reference_longer_than_the_scan_window() {
    // Past `[related] window` pages of a kind, a shared reference counts
    // only the pages nearest in list order. A page added before all the
    // others shifts that window for every page sharing the reference,
    // even those it cannot enter the related list of.
    // Both where only older pages relate and where newer ones do too.
    for include_newer in [false, true] {
        shared_reference_longer_than_the_window(include_newer);
    }
}

fn shared_reference_longer_than_the_window(include_newer: bool) {
    let n = 20;
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!(
            "{}[related]
window = {n}
include_newer = {include_newer}
",
            common::CONFIG
        ),
    );
    let start = jiff::civil::date(2024, 12, 31);
    for i in 0..=n {
        // `b0` and the five just inside its window share JETRO as well.
        let agencies = if i == 0 || (n - 5..n).contains(&i) {
            "\"jica\", \"jetro\""
        } else {
            "\"jica\""
        };
        let date = start.checked_sub(jiff::Span::new().days(i as i64)).unwrap();
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!("+++\ntitle = \"B{i}\"\ndate = {date}\nagencies = [{agencies}]\n+++\n"),
        );
    }
    let mut live = Live::new(site.options()).unwrap();
    site.write(
        "content/briefs/newest.md",
        "+++\ntitle = \"Newest\"\ndate = 2026-01-01\nagencies = [\"jica\"]\n+++\n",
    );
    step(
        &site,
        &mut live,
        &["content/briefs/newest.md"],
        "a brief before all the others",
    );
}

#[test]
fn an_edit_is_rendered_before_the_search_index_and_feeds_catch_up() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();
    // As `serve` and `watch` do.
    live.defer_search();
    let search_text = |live: &Live| -> String {
        live.outputs()
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("search/docs/"))
            .map(|(_, body)| match body {
                Body::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
                Body::Copy(_) => String::new(),
            })
            .collect()
    };
    site.write(
        "content/briefs/marmalade.md",
        &brief(
            "Marmalade",
            "2025-06-01",
            "\"jetro\"",
            "\"minerals\"",
            "Marmalade.",
        ),
    );
    live.apply(vec![site.path("content/briefs/marmalade.md")]);
    // The page is served at once; the search index waits (serve and watch
    // bring it up to date when no other change is waiting).
    let page = live.outputs().files["briefs/marmalade/index.html"].clone();
    let Body::Bytes(page) = page else {
        panic!("a rendered page")
    };
    assert!(String::from_utf8_lossy(&page).contains("Marmalade."));
    assert!(live.search_stale());
    assert!(!search_text(&live).contains("Marmalade."));
    // So do the other files programs read: the sitemap, the feeds.
    let text = |live: &Live, path: &str| match &live.outputs().files[path] {
        Body::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Body::Copy(_) => String::new(),
    };
    for file in ["sitemap.xml", "atom.xml", "agencies/jetro/atom.xml"] {
        assert!(!text(&live, file).contains("/briefs/marmalade/"), "{file}");
    }
    let update = live.refresh_search();
    assert!(!update.is_empty());
    assert!(!live.search_stale());
    assert!(search_text(&live).contains("Marmalade."));
    for file in ["sitemap.xml", "atom.xml", "agencies/jetro/atom.xml"] {
        assert!(text(&live, file).contains("/briefs/marmalade/"), "{file}");
    }
    assert_same_as_full_build(&site, &mut live, "after the search index caught up");
}

/// An edit that changes no page's links or place keeps the link graph as
/// it was (relinking takes the quick way, and nothing worked out from the
/// graph is computed again); one that does changes it. Either way the
/// result is a full build's.
#[test]
fn the_graph_stays_the_same_when_no_link_changed() {
    let site = site();
    let mut live = Live::new(site.options()).unwrap();
    let third = "content/briefs/third.md";
    let print = |live: &Live| live.site().graph.print();
    let before = print(&live);
    site.write(
        third,
        &brief(
            "Third",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Plain, and longer.\n\n## A heading",
        ),
    );
    step(&site, &mut live, &[third], "body edit");
    assert_eq!(print(&live), before, "a body edit without links");
    site.write(
        third,
        &brief(
            "Third",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Now about [minerals](@/sectors/minerals.md).",
        ),
    );
    step(&site, &mut live, &[third], "a link added in the body");
    let linked = print(&live);
    assert_ne!(linked, before, "a link added");
    site.write(
        third,
        &brief(
            "Third again",
            "2025-05-01",
            "\"jica\", \"jetro\"",
            "\"copper\"",
            "Now about [minerals](@/sectors/minerals.md).",
        ),
    );
    step(&site, &mut live, &[third], "retitled");
    assert_ne!(
        print(&live),
        linked,
        "a new title moves the page in its list"
    );
}

/// A page whose file has errors keeps its last good files while the dev
/// server runs, but what its render says is what a fresh build's render
/// says: a render error it had before its file broke goes when the
/// cause goes, though the page itself waits for its file to be fixed.
#[test]
fn a_waiting_page_says_what_a_fresh_render_says() {
    let site = TestSite::small();
    let mut live = Live::new(site.options()).unwrap();
    let fresh = |site: &TestSite| problems(&Live::new(site.options()).unwrap());
    // A site's English table without a word the theme's pages use: every
    // page's render fails.
    let table = "templates/strings/en.toml";
    site.write(table, "mentioned_here = \"Here\"\n");
    live.apply(vec![site.path(table)]);
    assert!(
        problems(&live)
            .iter()
            .any(|p| p.contains("no string `skip_to_content`")),
        "{:?}",
        problems(&live)
    );
    // Then the brief's file gets an error of its own: it waits.
    let brief = "content/briefs/tokyo-visit.md";
    let text = std::fs::read_to_string(site.path(brief)).unwrap();
    site.write(
        brief,
        &format!("{text}\nSee [JICA](@/agencies/jica.md#no-such-part).\n"),
    );
    live.apply(vec![site.path(brief)]);
    assert_eq!(problems(&live), fresh(&site));
    // The table goes: the other pages render, and the waiting one's
    // render error goes too, as in a fresh build.
    std::fs::remove_file(site.path(table)).unwrap();
    live.apply(vec![site.path(table)]);
    let now = problems(&live);
    assert!(
        !now.iter().any(|p| p.contains("skip_to_content")),
        "{now:?}"
    );
    assert!(now.iter().any(|p| p.contains("no-such-part")), "{now:?}");
    assert_eq!(now, fresh(&site));
}

/// Issue 21: the content folder replaced under `watch`, two agencies left
/// out, then put back: the related lists of the meetings that share them
/// must come back as a fresh build has them.
#[test]
fn the_content_folder_replaced_and_half_restored_matches_a_full_build() {
    let site = TestSite::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &site.path("content"));
    std::fs::copy(repo.join("attache.toml"), site.path("attache.toml")).unwrap();
    let mut live = Live::new(site.options()).unwrap();
    let backup = site.path("backup");
    common::copy_dir(&site.path("content"), &backup);
    let left_out = ["agencies/jetro.md", "agencies/jpbcc.md"];
    std::fs::remove_dir_all(site.path("content")).unwrap();
    common::copy_dir(&backup, &site.path("content"));
    for rel in left_out {
        site.remove(&format!("content/{rel}"));
    }
    live.apply(vec![site.path("content")]);
    assert!(live.diagnostics().has_errors(), "the agencies are missing");
    for rel in left_out {
        std::fs::copy(backup.join(rel), site.path(&format!("content/{rel}"))).unwrap();
    }
    let restored: Vec<String> = left_out.iter().map(|r| format!("content/{r}")).collect();
    let restored: Vec<&str> = restored.iter().map(String::as_str).collect();
    step(&site, &mut live, &restored, "the agencies put back");
}

/// Issue 22: a heading renamed in a page breaks an anchor to it in the
/// home intro and in a kind's intro; the live site says so as a fresh
/// build does, and stops saying so when the heading comes back.
#[test]
fn an_intro_anchor_broken_by_a_renamed_heading_is_reported() {
    let site = site();
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nSee the [deposits](@/sectors/copper.md#deposits).\n",
    );
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Agencies\"\n+++\nAlso [deposits](@/sectors/copper.md#deposits).\n",
    );
    let mut live = Live::new(site.options()).unwrap();
    assert!(!live.diagnostics().has_errors());
    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\nparent = \"critical-minerals\"\n+++\n\n## Reserves\n\nIn the north.\n",
    );
    live.apply(vec![site.path("content/sectors/copper.md")]);
    assert_same_problems_as_full_build(&site, &live, "the heading renamed");
    assert!(live.diagnostics().has_errors(), "both anchors are broken");
    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\nparent = \"critical-minerals\"\n+++\n\n## Deposits\n\nIn the north.\n",
    );
    live.apply(vec![site.path("content/sectors/copper.md")]);
    assert_same_problems_as_full_build(&site, &live, "the heading back");
    assert_same_as_full_build(&site, &mut live, "the heading back");
}

/// A page kept aside for a duplicate slug names the page that holds the
/// slug now, and joins in its place when its file comes first: in one
/// batch, `zeta` takes the slug `port` (held by `alpha`), `alpha` gives
/// it up and `beta` takes it. A fresh build gives `port` to `beta` (the
/// first file in path order) and says `zeta` duplicates `beta`'s slug.
/// Found at differential seed 120, step 57.
#[test]
fn a_slug_changing_hands_in_one_batch_names_its_new_holder() {
    let site = site();
    let with_slug = |title: &str, slug: Option<&str>| {
        let slug = slug
            .map(|s| format!("slug = \"{s}\"\n"))
            .unwrap_or_default();
        format!("+++\ntitle = \"{title}\"\ndate = 2025-06-02\n{slug}+++\nText.\n")
    };
    site.write("content/briefs/alpha.md", &with_slug("Alpha", Some("port")));
    site.write("content/briefs/beta.md", &with_slug("Beta", None));
    site.write("content/briefs/zeta.md", &with_slug("Zeta", None));
    let mut live = Live::new(site.options()).unwrap();
    assert_same_as_full_build(&site, &mut live, "start");
    site.write("content/briefs/zeta.md", &with_slug("Zeta", Some("port")));
    site.write("content/briefs/alpha.md", &with_slug("Alpha", None));
    site.write("content/briefs/beta.md", &with_slug("Beta", Some("port")));
    let order = [
        "content/briefs/zeta.md",
        "content/briefs/alpha.md",
        "content/briefs/beta.md",
    ];
    live.apply(order.iter().map(|p| site.path(p)).collect());
    assert_same_problems_as_full_build(&site, &live, "the slug changed hands");
    let named = live
        .diagnostics()
        .iter()
        .find(|d| d.message.contains("duplicate slug"))
        .map(|d| d.message.clone());
    assert_eq!(
        named.as_deref(),
        Some("duplicate slug `port`: content/briefs/beta.md has it too")
    );
    // And back: when `alpha` takes the slug again, it comes first in
    // path order, so it holds it and both others are kept aside.
    site.write("content/briefs/alpha.md", &with_slug("Alpha", Some("port")));
    live.apply(vec![site.path("content/briefs/alpha.md")]);
    assert_same_problems_as_full_build(&site, &live, "the slug back to the first file");
}

/// A bundle's file changed with the configuration: the rebuild the new
/// configuration asks for says the file changed (what `watch` and `serve`
/// write and reload), as it does when the file changes alone.
#[test]
fn a_bundle_file_changed_with_the_configuration_is_said_changed() {
    let site = site();
    site.write(
        "content/briefs/trip/index.md",
        &brief(
            "Trip",
            "2025-07-01",
            "\"jetro\"",
            "\"copper\"",
            "![map](map.png)",
        ),
    );
    site.write("content/briefs/trip/map.png", "bytes of rail");
    let mut live = Live::new(site.options()).unwrap();
    let map = "briefs/trip/map.png";
    let config = std::fs::read_to_string(site.path("attache.toml")).unwrap();

    site.write("content/briefs/trip/map.png", "bytes of copper");
    site.write("attache.toml", &format!("{config}\n# a comment\n"));
    let update = live.apply(vec![
        site.path("content/briefs/trip/map.png"),
        site.path("attache.toml"),
    ]);
    assert!(update.rebuilt, "a new configuration renders everything");
    assert!(
        update.changed.iter().any(|p| p == map),
        "the bundle's file is said changed: {:?}",
        update.changed
    );
    assert_same_as_full_build(&site, &mut live, "the file and the configuration");

    // The configuration broken, the file changed, the configuration
    // repaired: the file is said changed by one of the updates between
    // (`watch` writes what they said once the site has no errors).
    site.write("attache.toml", "title = [");
    let mut said = live.apply(vec![site.path("attache.toml")]).changed;
    assert!(live.diagnostics().has_errors(), "a broken configuration");
    site.write("content/briefs/trip/map.png", "bytes of lithium");
    said.extend(
        live.apply(vec![site.path("content/briefs/trip/map.png")])
            .changed,
    );
    site.write("attache.toml", &config);
    said.extend(live.apply(vec![site.path("attache.toml")]).changed);
    assert!(
        said.iter().any(|p| p == map),
        "the bundle's file is said changed: {said:?}"
    );
    assert_same_as_full_build(&site, &mut live, "the configuration repaired");
}
