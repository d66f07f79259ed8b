//! The desk's data for other tools: `data/<kind>.json` and `graph.json`
//! checked against their JSON Schemas (docs/schemas/), `data/<kind>.csv`
//! read back with a CSV parser, JSON Feed 1.1, and `attache export`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::TestSite;
use serde_json::Value as Json;

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schemas")
        .join(name);
    let schema: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid schema")
}

fn assert_valid(validator: &jsonschema::Validator, value: &Json, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// A site with a comma, quotes and a formula in its text.
fn site() -> TestSite {
    let site = TestSite::small();
    site.write(
        "content/briefs/tricky.md",
        "+++\ntitle = \"Copper, \\\"critical\\\" minerals\"\ndate = 2025-05-02\nsummary = \"=HYPERLINK(\\\"http://x\\\")\"\nagencies = [\"jica\"]\nsectors = [\"copper\"]\n[extra]\nsigned = 2025-04-30\nvalue = 1.5\n+++\nLine one.\n",
    );
    site.write(
        "content/meetings/talks.md",
        "+++\ntitle = \"Talks\"\ndate = \"2025-12\"\nagencies = [\"jica\", \"jetro\"]\n+++\n",
    );
    site
}

fn read_json(site: &TestSite, rel: &str) -> Json {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_kind_and_the_graph_follow_their_schemas() {
    let site = site();
    site.build().ok();
    let kinds = schema("kind.schema.json");
    for kind in [
        "briefs",
        "meetings",
        "agencies",
        "sectors",
        "people",
        "countries",
    ] {
        let file = read_json(&site, &format!("data/{kind}.json"));
        assert_valid(&kinds, &file, kind);
        assert_eq!(file["kind"], kind);
    }
    let graph = read_json(&site, "data/graph.json");
    assert_valid(&schema("graph.schema.json"), &graph, "graph");
    let nodes: BTreeSet<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for edge in graph["edges"].as_array().unwrap() {
        for end in ["source", "target"] {
            let id = edge[end].as_str().unwrap();
            assert!(nodes.contains(id), "{end} {id} is not a node");
        }
    }
    assert!(
        graph["edges"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({
                "source": "briefs/tricky", "target": "agencies/jica", "type": "agencies"
            }))
    );
    // The schema is not a formality: a record without its `id` fails.
    let mut broken = read_json(&site, "data/briefs.json");
    broken["pages"][0].as_object_mut().unwrap().remove("id");
    assert!(!kinds.is_valid(&broken));

    let meetings = read_json(&site, "data/meetings.json");
    let talks = meetings["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "talks")
        .expect("talks");
    assert_eq!(talks["status"], "tentative");
    let briefs = read_json(&site, "data/briefs.json");
    let tricky = briefs["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "tricky")
        .unwrap();
    assert_eq!(
        tricky["extra"],
        serde_json::json!({ "signed": "2025-04-30", "value": 1.5 })
    );
    assert_eq!(talks["date"], "2025-12");
    assert_eq!(
        talks["references"]["agencies"],
        serde_json::json!(["jica", "jetro"])
    );
    let agencies = read_json(&site, "data/agencies.json");
    let jica = &agencies["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "jica")
        .unwrap();
    assert!(
        jica["mentioned_by"]["briefs"]
            .as_array()
            .unwrap()
            .contains(&"tricky".into())
    );
    assert!(
        jica["mentioned_by"]["meetings"]
            .as_array()
            .unwrap()
            .contains(&"talks".into())
    );
}

#[test]
fn csv_reads_back_as_written() {
    let site = site();
    site.build().ok();
    let text = site.read("data/briefs.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..8],
        [
            "slug", "url", "title", "date", "end", "status", "location", "summary"
        ]
    );
    assert!(header.contains(&"agencies".to_string()));
    assert!(header.contains(&"mentioned_by_meetings".to_string()));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let json = read_json(&site, "data/briefs.json");
    assert_eq!(rows.len(), json["pages"].as_array().unwrap().len());
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let tricky = rows.iter().find(|r| &r[0] == "tricky").expect("tricky");
    // Typographic quotes, as on the page; the comma is kept by quoting.
    assert_eq!(&tricky[column("title")], "Copper, “critical” minerals");
    assert_eq!(
        &tricky[column("summary")],
        "'=HYPERLINK(“http://x”)",
        "a formula stays text"
    );
    assert_eq!(&tricky[column("agencies")], "jica");
    assert_eq!(&tricky[column("date")], "2025-05-02");
    assert!(text.contains("\r\n"));
}

/// The site's config with `extra` after it.
fn configure(site: &TestSite, extra: &str) {
    let config = std::fs::read_to_string(site.path("attache.toml")).unwrap();
    site.write("attache.toml", &format!("{config}\n{extra}"));
}

#[test]
fn json_feeds_stand_beside_the_atom_feeds_when_asked_for() {
    let site = site();
    configure(&site, "[feeds]\njson = true\n");
    site.build().ok();
    for rel in ["feed.json", "agencies/jica/feed.json"] {
        let feed = read_json(&site, rel);
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1", "{rel}");
        assert!(feed["title"].is_string());
        assert_eq!(feed["feed_url"], format!("https://example.org/{rel}"));
        let items = feed["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{rel}");
        for item in items {
            assert!(
                item["id"].is_string() && item["content_html"].is_string(),
                "{item}"
            );
            assert!(
                item["url"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://example.org/")
            );
        }
    }
    let tricky = read_json(&site, "agencies/jica/feed.json")["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Copper, “critical” minerals")
        .cloned()
        .expect("the brief is in JICA's feed");
    assert_eq!(tricky["date_published"], "2025-05-02T00:00:00Z");
    assert!(site.read("agencies/jica/index.html").contains(
        r#"<link rel="alternate" type="application/feed+json" title="Briefings on JICA" href="https://example.org/agencies/jica/feed.json">"#
    ));
}

/// Without `[feeds] json`, as in Zola and Hugo, one feed a page: Atom.
#[test]
fn json_feeds_are_not_written_unless_asked_for() {
    let site = site();
    site.build().ok();
    assert!(site.exists("atom.xml") && site.exists("agencies/jica/atom.xml"));
    assert!(!site.exists("feed.json") && !site.exists("agencies/jica/feed.json"));
    let page = site.read("agencies/jica/index.html");
    assert!(page.contains(r#"type="application/atom+xml""#));
    assert!(
        !page.contains("application/feed+json"),
        "no link to a feed not written"
    );
}

#[test]
fn export_prints_the_data_files_without_building() {
    let site = site();
    site.build().ok();
    for (args, file) in [
        (
            &["--format", "json", "--kind", "meetings"][..],
            "data/meetings.json",
        ),
        (
            &["--format", "csv", "--kind", "meetings"][..],
            "data/meetings.csv",
        ),
        (&["--format", "csv"][..], "data/briefs.csv"),
        (&[][..], "data/graph.json"),
    ] {
        let mut command = vec!["export"];
        command.extend_from_slice(args);
        let run = site.run(&command).ok();
        assert_eq!(run.stdout, site.read(file), "attache {command:?}");
    }
    // Under a sub-path, as the build under it writes its data files.
    site.run(&["build", "--base-url", "https://example.org/desk/"])
        .ok();
    let run = site
        .run(&[
            "export",
            "--format",
            "csv",
            "--base-url",
            "https://example.org/desk/",
        ])
        .ok();
    assert_eq!(run.stdout, site.read("data/briefs.csv"));
    assert!(
        run.stdout.contains("https://example.org/desk/"),
        "{}",
        run.stdout
    );
    let run = site.run(&["export", "--kind", "meeting"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("there is no kind `meeting`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `meetings`?"),
        "{}",
        run.stderr
    );
    // Content errors stop it, with their place.
    site.write("content/briefs/broken.md", "+++\ntitle = \n+++\n");
    let run = site.run(&["export"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/briefs/broken.md:2"),
        "{}",
        run.stderr
    );
}

#[test]
fn data_can_be_turned_off() {
    let site = site();
    configure(&site, "[data]\nenabled = false\n");
    site.build().ok();
    assert!(!site.exists("data/graph.json"));
    assert!(site.exists("atom.xml"));
}

/// A build from the kept state copies each page's part of a data file from
/// the file the last build wrote (render/export/splice.rs); one changed by
/// hand, its size and time as they were, is made anew instead. Fails if
/// the bytes read back are used without their hash checked.
#[test]
fn a_data_file_changed_by_hand_is_not_copied_from() {
    let site = site();
    // A build reads again the files changed within a second before the
    // last one began, and a page read again has its parts made again: the
    // files must be older than that, as a desk's are.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.build().ok();
    let path = site.path("public/data/briefs.json");
    let written = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Copper"));
    std::fs::write(&path, text.replace("Copper", "Cobalt")).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(written).unwrap();
    drop(file);
    // A new brief: the briefs' data renders again, from the kept state.
    site.write(
        "content/briefs/today.md",
        "+++\ntitle = \"Today\"\ndate = 2026-01-05\n+++\nNew.\n",
    );
    let run = site.build().ok();
    assert!(
        run.stdout.contains("last build's state") || run.stderr.contains("last build's state"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let fresh = site.path("fresh");
    site.run(&["build", "--clean", "--output", fresh.to_str().unwrap()])
        .ok();
    let spliced = site.read("data/briefs.json");
    assert!(!spliced.contains("Cobalt"), "copied from the changed file");
    assert_eq!(
        spliced,
        std::fs::read_to_string(fresh.join("data/briefs.json")).unwrap()
    );
    assert_eq!(
        site.read("data/graph.json"),
        std::fs::read_to_string(fresh.join("data/graph.json")).unwrap()
    );
}
