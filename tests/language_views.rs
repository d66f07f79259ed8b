//! What each language other than the default one has of its own: a home
//! page, the kinds' lists, the site feeds, the calendar and the search
//! index under `/<lang>/`, showing the pages translated into it in their
//! translations' words; and the theme's words and dates from its string
//! table.

mod common;

use common::{CONFIG, TestSite, main_of};

const LANGUAGES: &str = "
[languages.ja]
title = \"日本デスク\"
description = \"日本語版\"

[languages.ja.kinds]
briefs = { title = \"ブリーフィング\", singular = \"ブリーフィング\", mentions = \"{name}に言及したブリーフィング\" }
meetings = { title = \"会合\" }
";

/// Two briefs and a meeting, in English; one brief and the meeting
/// translated into Japanese.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write("attache.toml", &format!("{CONFIG}{LANGUAGES}"));
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\n+++\nJapan's aid agency.\n",
    );
    site.write(
        "content/briefs/visit.md",
        "+++\ntitle = \"A visit to Tokyo\"\ndate = 2025-07-17\nagencies = [\"jica\"]\nmeetings = [\"talks\"]\n+++\nThe minister met JICA about minerals.\n",
    );
    site.write(
        "content/briefs/visit.ja.md",
        "+++\ntitle = \"東京訪問\"\nsummary = \"大臣が国際協力機構と鉱物について協議した。\"\n+++\n大臣は東京で国際協力機構と会談し、鉱物資源について協議した。\n",
    );
    site.write(
        "content/briefs/textiles.md",
        "+++\ntitle = \"Textile exports rise\"\ndate = 2025-08-01\n+++\nExports of textiles rose.\n",
    );
    site.write(
        "content/meetings/talks.md",
        "+++\ntitle = \"Talks with JICA\"\ndate = 2025-07-16\nlocation = \"Tokyo\"\nagencies = [\"jica\"]\n+++\nTalks.\n",
    );
    site.write(
        "content/meetings/talks.ja.md",
        "+++\ntitle = \"国際協力機構との協議\"\nlocation = \"東京\"\n+++\n協議。\n",
    );
    site
}

#[test]
fn a_language_has_its_own_home_page_and_lists_of_what_is_translated() {
    let site = site();
    site.build().ok();
    let home = site.read("ja/index.html");
    assert!(home.contains(r#"<html lang="ja">"#), "{home}");
    assert!(home.contains("<title>日本デスク</title>"), "{home}");
    // The translated brief, in its words and at its URL; not the other.
    let main = main_of(&home);
    assert!(main.contains(r#"href="/ja/briefs/visit/""#), "{main}");
    assert!(main.contains("東京訪問"), "{main}");
    assert!(!main.contains("Textile exports rise"), "{main}");
    // The navigation stays in the language, with its names for kinds.
    assert!(
        home.contains(r#"<a href="/ja/briefs/">ブリーフィング</a>"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<a href="/ja/meetings/">会合</a>"#),
        "{home}"
    );
    // The home pages name each other.
    for page in [&home, &site.read("index.html")] {
        assert!(
            page.contains(r#"<link rel="alternate" hreflang="ja" href="https://example.org/ja/">"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<link rel="alternate" hreflang="en" href="https://example.org/">"#),
            "{page}"
        );
    }

    let list = main_of(&site.read("ja/briefs/index.html")).to_string();
    assert!(list.contains("<h1>ブリーフィング</h1>"), "{list}");
    assert!(list.contains("東京訪問"), "{list}");
    assert!(
        list.contains("大臣が国際協力機構と鉱物について協議した。"),
        "{list}"
    );
    assert!(!list.contains("Textile"), "{list}");
    // A translation with no `summary` is summed up by its first paragraph.
    let meetings = site.read("ja/meetings/index.html");
    assert!(meetings.contains("国際協力機構との協議"), "{meetings}");
    assert!(
        meetings.contains(r#"<p class="summary-text">協議。</p>"#),
        "{meetings}"
    );
    // The default language's list is as it was: both, in English.
    let en = site.read("briefs/index.html");
    assert!(en.contains("A visit to Tokyo") && en.contains("Textile exports rise"));
    assert!(!en.contains("東京訪問"), "{en}");

    // A translated page links to the translations of what it mentions,
    // and to the original of what has none.
    let ja_brief = site.read("ja/briefs/visit/index.html");
    assert!(
        ja_brief.contains(r#"href="/ja/meetings/talks/""#),
        "{ja_brief}"
    );
    assert!(ja_brief.contains(r#"href="/agencies/jica/""#), "{ja_brief}");
    // What mentions a translated page is headed in its language.
    let ja_talks = site.read("ja/meetings/talks/index.html");
    assert!(
        ja_talks.contains("国際協力機構との協議に言及したブリーフィング"),
        "{ja_talks}"
    );
    assert!(
        site.read("meetings/talks/index.html")
            .contains("Briefings mentioning Talks with JICA")
    );

    // The sitemap lists the language's home page and lists.
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/ja/briefs/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_language_has_its_own_feeds_calendar_and_search_index() {
    let site = site();
    site.build().ok();
    let atom = site.read("ja/atom.xml");
    assert!(atom.contains(r#"xml:lang="ja""#), "{atom}");
    assert!(
        atom.contains("<title>日本デスク: ブリーフィング</title>"),
        "{atom}"
    );
    assert!(
        atom.contains(r#"<link rel="self" type="application/atom+xml" href="https://example.org/ja/atom.xml"/>"#),
        "{atom}"
    );
    assert!(atom.contains("<title>東京訪問</title>"), "{atom}");
    assert!(
        atom.contains("<id>https://example.org/ja/briefs/visit/</id>"),
        "{atom}"
    );
    assert!(atom.contains("鉱物資源について協議した。"), "{atom}");
    assert!(!atom.contains("Textile"), "{atom}");
    assert_eq!(atom.matches("<entry>").count(), 1, "{atom}");

    let json: serde_json::Value = serde_json::from_str(&site.read("ja/feed.json")).unwrap();
    assert_eq!(json["language"], "ja");
    assert_eq!(json["feed_url"], "https://example.org/ja/feed.json");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["title"], "東京訪問");
    assert_eq!(items[0]["url"], "https://example.org/ja/briefs/visit/");

    let ics = site.read("ja/meetings/calendar.ics");
    assert!(ics.contains("SUMMARY:国際協力機構との協議"), "{ics}");
    assert!(ics.contains("LOCATION:東京"), "{ics}");
    assert!(
        ics.contains("URL:https://example.org/ja/meetings/talks/"),
        "{ics}"
    );
    // The English ones keep to English.
    assert!(
        site.read("meetings/calendar.ics")
            .contains("SUMMARY:Talks with JICA")
    );
    assert!(!site.read("atom.xml").contains("東京訪問"));

    // The search page reads its language's index, which holds the
    // translations' words in pairs of characters: 鉱物 finds the brief.
    let search = site.read("ja/search/index.html");
    assert!(
        search.contains(r#"data-index="/ja/search/index.json""#),
        "{search}"
    );
    let index: serde_json::Value =
        serde_json::from_str(&site.read("ja/search/index.json")).unwrap();
    assert_eq!(index["language"], "ja");
    assert_eq!(index["documents"], 2, "{index}");
    let words = walk(&site.path("public/ja/search/words"));
    assert!(words.contains("\"鉱物\""), "{words}");
    let docs = walk(&site.path("public/ja/search/docs"));
    assert!(docs.contains("/ja/briefs/visit/"), "{docs}");
    assert!(!docs.contains("Textile"), "{docs}");
    assert!(!walk(&site.path("public/search/words")).contains("\"鉱物\""));
}

/// Every file under `dir`, concatenated.
fn walk(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            all.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    all
}

#[test]
fn theme_words_and_dates_come_from_the_language_string_table() {
    let site = site();
    site.build().ok();
    let ja = site.read("ja/briefs/visit/index.html");
    assert!(ja.contains("<dt>日付</dt>"), "{ja}");
    assert!(ja.contains("2025年7月17日"), "{ja}");
    assert!(ja.contains("本文へ移動"), "{ja}");
    let en = site.read("briefs/visit/index.html");
    assert!(en.contains("<dt>Date</dt>"), "{en}");
    assert!(en.contains("17 July 2025"), "{en}");

    // A site's table replaces the theme's; what it lacks is English.
    site.write(
        "templates/strings/ja.toml",
        "date = \"ひづけ\"\ndate_day = \"%Y/%m/%d\"\n",
    );
    site.build().ok();
    let ja = site.read("ja/briefs/visit/index.html");
    assert!(ja.contains("<dt>ひづけ</dt>"), "{ja}");
    assert!(ja.contains("2025/07/17"), "{ja}");
    assert!(ja.contains("<dt>Reading time</dt>"), "{ja}");
    assert!(
        site.read("briefs/visit/index.html")
            .contains("<dt>Date</dt>")
    );
}

#[test]
fn bad_string_tables_keys_and_kind_names_are_errors_at_their_place() {
    let site = site();
    site.write(
        "templates/strings/ja.toml",
        "date = \"ひづけ\"\nminutes = 3\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("invalid string table"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/strings/ja.toml:2:11"),
        "{}",
        run.stderr
    );

    site.remove("templates/strings/ja.toml");
    site.write(
        "templates/shortcodes/words.html",
        "<p>{{ trans(key=\"upcomming\") }}</p>",
    );
    site.write(
        "content/briefs/textiles.md",
        "+++\ntitle = \"Textile exports rise\"\ndate = 2025-08-01\n+++\n{{ words() }}\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("no string `upcomming`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("upcoming"), "{}", run.stderr);

    site.remove("templates/shortcodes/words.html");
    site.write(
        "attache.toml",
        &format!("{CONFIG}{LANGUAGES}breifs = {{ title = \"x\" }}\n"),
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("`breifs` is not a kind of this site"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("attache.toml:11:1"), "{}", run.stderr);
}

#[test]
fn a_site_in_one_language_has_no_language_pages_or_alternates() {
    let site = TestSite::small();
    site.build().ok();
    assert!(!site.exists("ja"));
    let home = site.read("index.html");
    assert!(!home.contains("hreflang"), "{home}");
    assert!(!home.contains(r#"class="languages""#), "{home}");
}
