//! The repository's own example site builds cleanly and is cross-linked.

mod common;

use std::path::Path;

use common::{attache, section};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example site into a temporary folder.
fn build_example() -> (tempfile::TempDir, common::Run) {
    let out = tempfile::tempdir().unwrap();
    let run: common::Run = attache()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap()
        .into();
    (out, run)
}

#[test]
fn the_example_site_builds_with_no_error_or_warning() {
    let (out, run) = build_example();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);

    let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).unwrap();
    let brief = read("briefs/pakistan-courts-japanese-investment-in-minerals/index.html");
    let refs = section(&brief, "references-heading");
    for link in [
        "/agencies/jica/",
        "/agencies/jetro/",
        "/agencies/jpbcc/",
        "/agencies/ministry-of-commerce-pakistan/",
        "/meetings/jica-tokyo-2025/",
        "/meetings/jetro-tokyo-2025/",
        "/meetings/jpbcc-luncheon-2025/",
        "/meetings/pakistan-japan-business-dialogue/",
        "/sectors/minerals/",
        "/sectors/energy/",
        "/sectors/special-economic-zones/",
    ] {
        assert!(
            refs.contains(&format!("href=\"{link}\"")),
            "brief does not reference {link}"
        );
    }
    let brief_url = "href=\"/briefs/pakistan-courts-japanese-investment-in-minerals/\"";
    for page in [
        "agencies/jica/index.html",
        "agencies/jetro/index.html",
        "agencies/jpbcc/index.html",
        "meetings/jica-tokyo-2025/index.html",
        "sectors/minerals/index.html",
        "sectors/critical-minerals/index.html",
    ] {
        let html = read(page);
        assert!(
            section(&html, "backlinks-briefs").contains(brief_url),
            "{page} does not link back"
        );
    }
    // The sector tree: minerals > critical minerals > copper.
    let copper = read("sectors/copper/index.html");
    assert!(copper.contains("href=\"/sectors/critical-minerals/\""));
    let jica = read("agencies/jica/index.html");
    assert!(section(&jica, "backlinks-meetings").contains("href=\"/meetings/jica-tokyo-2025/\""));
    // The Japanese home page has its own intro, not the English one.
    let ja = read("ja/index.html");
    assert!(ja.contains("経済外交"), "{ja}");
    assert!(!ja.contains("economic diplomacy"), "{ja}");
}

#[test]
fn the_example_sites_search_index_holds_the_seed_briefings_words() {
    let (out, run) = build_example();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let search = |query: &str| -> serde_json::Value {
        let output = std::process::Command::new("node")
            .arg(repo().join("tests/js/search_cli.js"))
            .arg(out.path())
            .arg("/")
            .arg(query)
            .output()
            .expect("node must be installed to test search.js");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let found = search("joint ventures rare earth");
    assert_eq!(
        found["results"][0]["url"],
        "/briefs/pakistan-courts-japanese-investment-in-minerals/"
    );
    let found = search("Kataoka");
    let urls: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"/meetings/jetro-tokyo-2025/"), "{urls:?}");
}

#[test]
fn the_example_brief_uses_shortcodes_and_the_dialogue_is_tentative() {
    let (out, run) = build_example();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).unwrap();
    let brief = read("briefs/pakistan-courts-japanese-investment-in-minerals/index.html");
    for expected in [
        r#"<table class="key-figures">"#,
        "<caption>The visit at a glance</caption>",
        r#"<aside class="card card-agencies">"#,
        r#"<aside class="card card-meetings">"#,
        r#"<aside class="note note-caution" role="note">"#,
        r#"<figure class="pull-quote">"#,
        "<cite>Jam Kamal</cite>",
    ] {
        assert!(brief.contains(expected), "{expected}");
    }
    // The Business Dialogue has no date yet: a month, and tentative.
    let dialogue = read("meetings/pakistan-japan-business-dialogue/index.html");
    assert!(dialogue.contains("to be confirmed"));
    let calendar = read("meetings/calendar.ics");
    let event = calendar
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("pakistan-japan-business-dialogue"))
        .unwrap();
    assert!(event.contains("STATUS:TENTATIVE"), "{event}");
    assert!(event.contains("DTSTART;VALUE=DATE:"), "{event}");
}
