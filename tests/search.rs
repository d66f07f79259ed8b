//! The offline search: the index files a build writes, and the theme's
//! search.js run in Node against them.

mod common;

use std::process::Command;

use common::TestSite;

/// Runs the theme's search.js in Node against the built site.
fn node_search(site: &TestSite, base: &str, query: &str, kind: &str) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/search_cli.js");
    let out = Command::new("node")
        .arg(script)
        .arg(site.path("public"))
        .arg(base)
        .arg(query)
        .arg(kind)
        .output()
        .expect("node must be installed to test search.js (the CI installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn titles(found: &serde_json::Value) -> Vec<String> {
    found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_search_page_and_index_are_written() {
    let site = TestSite::small();
    site.build().ok();
    let page = site.read("search/index.html");
    assert!(
        page.contains(r#"data-index="/search/index.json""#),
        "{page}"
    );
    assert!(page.contains(r#"<script src="/search.js" defer></script>"#));
    assert!(page.contains(r#"value="meetings""#), "a filter by kind");
    let entry: serde_json::Value = serde_json::from_str(&site.read("search/index.json")).unwrap();
    // Seven pages, a person (HARA Shohei) and a country (Japan).
    assert_eq!(entry["documents"], 9);
    // Each chunk of words is a file named in index.json: the briefs are
    // all recent (fewer than a block), the agencies and the rest named.
    for layer in ["chunks", "recent", "named"] {
        for chunk in entry[layer].as_array().unwrap() {
            let name = chunk[2].as_str().unwrap();
            assert!(site.exists(&format!("search/words/{name}.json")));
        }
    }
    assert_eq!(entry["chunks"].as_array().unwrap().len(), 0, "{entry}");
    assert!(!entry["recent"].as_array().unwrap().is_empty(), "{entry}");
    assert!(!entry["named"].as_array().unwrap().is_empty(), "{entry}");
    // The briefs' documents, in files named by their places.
    let packs = std::fs::read_dir(site.path("public/search/docs/briefs")).unwrap();
    assert!(packs.count() >= 1);
    assert!(
        site.read("index.html").contains(r#"<a href="/search/""#),
        "nav links to search"
    );
}

#[test]
fn search_finds_pages_by_text_title_and_entity_names() {
    let site = TestSite::small();
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\nagencies = [\"jica\"]\n+++\nThe minister discussed rare earth deposits.\n",
    );
    site.build().ok();
    // Body text.
    let found = node_search(&site, "/", "rare earth", "");
    assert_eq!(titles(&found), ["Tokyo visit"]);
    let snippet = found["results"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>rare</mark> <mark>earth</mark>"),
        "{snippet}"
    );
    // Entity name: the brief references JICA without the word in its text.
    let found = node_search(&site, "/", "Japan International Cooperation", "briefs");
    assert_eq!(titles(&found), ["Tokyo visit"]);
    // Title, and the kind filter.
    let all = node_search(&site, "/", "jica", "");
    let kinds: Vec<&str> = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"agencies") && kinds.contains(&"meetings") && kinds.contains(&"briefs"),
        "{all}"
    );
    assert_eq!(
        titles(&all)[0],
        "Japan International Cooperation Agency",
        "the title match ranks first"
    );
    let meetings = node_search(&site, "/", "jica", "meetings");
    assert_eq!(titles(&meetings), ["JICA talks"]);
    // Prefix of the word being typed; no match.
    assert_eq!(
        titles(&node_search(&site, "/", "discus", "")),
        ["Tokyo visit"]
    );
    assert_eq!(
        titles(&node_search(&site, "/", "depos", "")).len(),
        2,
        "copper has a Deposits heading"
    );
    assert_eq!(node_search(&site, "/", "zzzz", "")["total"], 0);
    // Results carry what the page shows: kind, date (as written, which
    // search.js writes out in the page's words), URL.
    let r = &found["results"][0];
    assert_eq!(r["url"], "/briefs/tokyo-visit/");
    assert_eq!(r["date"], "2025-07-17");
    assert_eq!(r["meta"], "17 July 2025");
}

#[test]
fn search_loads_the_index_in_pieces() {
    let site = TestSite::new();
    // Enough distinct words for several chunks.
    for i in 0..60 {
        let body: String = (0..400).map(|j| format!("w{i}x{j} ")).collect();
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!("+++\ntitle = \"Brief {i}\"\ndate = 2025-01-01\n+++\n{body}\n"),
        );
    }
    site.build().ok();
    let entry: serde_json::Value = serde_json::from_str(&site.read("search/index.json")).unwrap();
    // Sixty briefs: all of them the newest block, in the recent layer.
    let chunks =
        entry["chunks"].as_array().unwrap().len() + entry["recent"].as_array().unwrap().len();
    assert!(chunks >= 4, "{chunks} chunks");
    let found = node_search(&site, "/", "w7x3", "");
    assert_eq!(titles(&found), ["Brief 7"]);
    let fetched: Vec<&str> = found["fetched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let word_chunks = fetched
        .iter()
        .filter(|f| f.starts_with("search/words/"))
        .count();
    assert!(
        word_chunks <= 2,
        "loaded {word_chunks} of {chunks} chunks: {fetched:?}"
    );
    assert_eq!(
        fetched
            .iter()
            .filter(|f| f.starts_with("search/docs/"))
            .count(),
        1
    );
}

/// The files under `public/search/` and their bytes.
fn search_files(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    common::visible(&site.path("public/search"))
        .into_iter()
        .collect()
}

#[test]
fn a_new_brief_changes_a_few_files_of_the_search_index() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{}[search]\nrecent_block = 16\n", common::CONFIG),
    );
    let brief = |i: usize, word: &str| {
        let body: String = (0..300).map(|j| format!("w{i}x{j} ")).collect();
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!(
                "+++\ntitle = \"Brief {i}\"\ndate = 2025-{:02}-{:02}\n+++\n{word} {body}\n",
                1 + i / 28,
                1 + i % 28
            ),
        );
    };
    for i in 0..61 {
        brief(i, "older");
    }
    site.build().ok();
    let before = search_files(&site);
    let entry: serde_json::Value = serde_json::from_str(&site.read("search/index.json")).unwrap();
    assert!(entry["chunks"].as_array().unwrap().len() >= 4, "{entry}");
    // The day's brief: its document takes the next place; the base's
    // word files and the other files of documents stay as they were.
    brief(61, "newest");
    site.build().ok();
    let after = search_files(&site);
    let changed = changed_files(&before, &after);
    assert!(changed.len() <= 4, "{changed:?}");
    assert!(changed.contains(&"index.json".to_string()), "{changed:?}");
    assert_eq!(titles(&node_search(&site, "/", "newest", "")), ["Brief 61"]);
    assert_eq!(titles(&node_search(&site, "/", "w3x7", "")), ["Brief 3"]);
    assert_eq!(titles(&node_search(&site, "/", "w61x7", "")), ["Brief 61"]);
    // A brief weeks later starts a new period of days: the base takes
    // the recent layer in, and a build from nothing writes the same index.
    let recent = layer_files(&site, "recent");
    let base = layer_files(&site, "chunks");
    site.write(
        "content/briefs/later.md",
        "+++\ntitle = \"Later\"\ndate = 2025-06-20\n+++\nnewest\n",
    );
    site.build().ok();
    assert_ne!(layer_files(&site, "chunks"), base);
    let now = layer_files(&site, "recent");
    assert!(now.iter().all(|f| !recent.contains(f)), "{now:?}");
    assert_eq!(titles(&node_search(&site, "/", "w61x7", "")), ["Brief 61"]);
    a_fresh_build_writes_the_same_index(&site);
}

#[test]
fn an_old_brief_deleted_or_back_dated_leaves_the_other_days_in_place() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{}[search]\nrecent_block = 16\n", common::CONFIG),
    );
    let brief = |i: usize, date: &str| {
        let body: String = (0..300).map(|j| format!("w{i}x{j} ")).collect();
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!("+++\ntitle = \"Brief {i}\"\ndate = {date}\n+++\n{body}\n"),
        );
    };
    // Two briefs a day.
    for i in 0..80 {
        brief(
            i,
            &format!("2025-{:02}-{:02}", 1 + i / 56, 1 + (i / 2) % 28),
        );
    }
    site.build().ok();
    let before = search_files(&site);
    // Deleting an old brief and moving another to its day: the word
    // files of their words change, and the files of documents holding
    // their places; the other days' documents stay where the index a
    // reader already holds says they are.
    std::fs::remove_file(site.path("content/briefs/b3.md")).unwrap();
    brief(20, "2025-01-02");
    site.build().ok();
    let after = search_files(&site);
    let changed = changed_files(&before, &after);
    let documents: Vec<&String> = changed.iter().filter(|p| p.starts_with("docs/")).collect();
    assert!(documents.len() <= 3, "{changed:?}");
    assert!(changed.len() <= 12, "{changed:?}");
    let base = layer_files(&site, "chunks");
    assert!(base.len() >= 4, "{base:?}");
    assert!(
        base.iter().filter(|f| changed.contains(f)).count() * 2 <= base.len(),
        "{changed:?} of {base:?}"
    );
    assert_eq!(
        titles(&node_search(&site, "/", "w3x7", "")),
        Vec::<String>::new()
    );
    assert_eq!(titles(&node_search(&site, "/", "w20x7", "")), ["Brief 20"]);
    assert_eq!(titles(&node_search(&site, "/", "w4x7", "")), ["Brief 4"]);
    assert_eq!(titles(&node_search(&site, "/", "w79x7", "")), ["Brief 79"]);
    a_fresh_build_writes_the_same_index(&site);
}

/// The files of `after` that are not in `before` with the same bytes.
fn changed_files(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path.clone())
        .collect()
}

/// Builds `site` again from nothing (no kept state, no output) and
/// checks that the search index comes out the same, byte for byte.
fn a_fresh_build_writes_the_same_index(site: &TestSite) {
    let kept = search_files(site);
    std::fs::remove_dir_all(site.path(".attache")).unwrap();
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.build().ok();
    assert_eq!(search_files(site), kept);
}

/// The names of the word files of one layer of `search/index.json`.
fn layer_files(site: &TestSite, layer: &str) -> Vec<String> {
    let entry: serde_json::Value = serde_json::from_str(&site.read("search/index.json")).unwrap();
    entry[layer]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("words/{}.json", c[2].as_str().unwrap()))
        .collect()
}

#[test]
fn a_new_agency_changes_the_named_layer_not_the_base() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{}[search]\nrecent_block = 16\n", common::CONFIG),
    );
    for i in 0..40 {
        let body: String = (0..300).map(|j| format!("w{i}x{j} ")).collect();
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!(
                "+++\ntitle = \"Brief {i}\"\ndate = 2025-01-{:02}\nagencies = [\"m{i}\"]\n+++\n{body}\n",
                1 + i % 28
            ),
        );
        let words: String = (0..200).map(|j| format!("a{i}y{j} ")).collect();
        site.write(
            &format!("content/agencies/m{i}.md"),
            &format!("+++\ntitle = \"Ministry {i}\"\n+++\n{words}\n"),
        );
    }
    site.build().ok();
    let before = search_files(&site);
    let base = layer_files(&site, "chunks");
    assert!(base.len() >= 2, "{base:?}");
    // "Aardvark" sorts first: every other agency's place moves by one,
    // which the named layer's files say; the briefs' word files (the
    // base) stay as they were.
    site.write(
        "content/agencies/aardvark.md",
        "+++\ntitle = \"Aardvark Office\"\n+++\nnewcomer\n",
    );
    site.build().ok();
    let after = search_files(&site);
    let changed = changed_files(&before, &after);
    assert!(!changed.is_empty());
    for path in &changed {
        assert!(
            !base.contains(path),
            "{path} of the base changed: {changed:?}"
        );
        assert!(!path.starts_with("docs/briefs/"), "{changed:?}");
    }
    assert_eq!(layer_files(&site, "chunks"), base);
    assert_eq!(
        titles(&node_search(&site, "/", "newcomer", "")),
        ["Aardvark Office"]
    );
    assert_eq!(titles(&node_search(&site, "/", "a7y9", "")), ["Ministry 7"]);
    assert_eq!(titles(&node_search(&site, "/", "w7x9", "")), ["Brief 7"]);
    a_fresh_build_writes_the_same_index(&site);
}

#[test]
fn search_works_under_a_sub_path() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        "title = \"T\"\nbase_url = \"https://host.example/sub/\"\n",
    );
    site.build().ok();
    assert!(
        site.read("search/index.html")
            .contains(r#"data-index="/sub/search/index.json""#)
    );
    let found = node_search(&site, "/sub/", "copper", "");
    assert!(titles(&found).contains(&"Copper".to_string()));
    assert_eq!(
        found["results"][0]["url"].as_str().unwrap().get(..5),
        Some("/sub/")
    );
}

#[test]
fn search_can_be_switched_off() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}[search]\nenabled = false\n", common::CONFIG),
    );
    site.build().ok();
    assert!(!site.exists("search/index.json"));
    assert!(!site.exists("search/index.html"));
    assert!(!site.read("index.html").contains(r#"href="/search/""#));
}

#[test]
fn search_snippets_keep_headings_apart_from_the_text() {
    let site = TestSite::new();
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2025-07-17\n+++\n\n## Jam Kamal\n\nThe offer: joint ventures in copper.\n",
    );
    site.build().ok();
    let found = node_search(&site, "/", "offer", "");
    let snippet = found["results"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("Jam Kamal · The <mark>offer</mark>"),
        "{snippet}"
    );
}

#[test]
fn search_results_name_the_authors() {
    let site = TestSite::new();
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"Copper deal\"\ndate = 2025-07-17\nauthors = [\"Aiko Tanaka\", \"Bilal Ahmed\", \"Chen Wei\"]\n+++\nText.\n",
    );
    site.build().ok();
    let found = node_search(&site, "/", "copper", "");
    assert_eq!(
        found["results"][0]["meta"],
        "17 July 2025 · by Aiko Tanaka, Bilal Ahmed and Chen Wei"
    );
    // An author's name finds the brief.
    let found = node_search(&site, "/", "tanaka", "");
    assert_eq!(titles(&found), ["Copper deal"]);
}

#[test]
fn search_finds_japanese_words_inside_sentences() {
    let site = TestSite::small();
    site.write(
        "content/briefs/toushi.md",
        "+++\ntitle = \"東京での協議\"\ndate = 2025-07-17\n+++\n大臣は日本の投資を求めた。\n",
    );
    site.build().ok();
    // Two characters in the middle of a sentence find it; so does a word
    // that spans a particle only as written (日本の投資).
    for query in ["投資", "日本", "日本の投資", "協議"] {
        let found = node_search(&site, "/", query, "");
        assert_eq!(titles(&found), ["東京での協議"], "{query}");
    }
    assert!(titles(&node_search(&site, "/", "投資家", "")).is_empty());
    let snippet = node_search(&site, "/", "投資", "")["results"][0]["snippet"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(snippet.contains("<mark>投資"), "{snippet}");
}
