//! What each language other than the default one has of its own: a home
//! page, the kinds' lists, the site feeds, the calendar and the search
//! index under `/<lang>/`, showing the pages translated into it in their
//! translations' words; and the theme's words and dates from its string
//! table.

mod common;

use common::{CONFIG, TestSite, main_of};

/// The languages, and the JSON feeds (off by default) whose words are
/// the language's too.
const LANGUAGES: &str = "
[feeds]
json = true

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
        run.stderr.contains(
            "no string `upcomming` in the theme's string tables; did you mean `upcoming`?"
        ),
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
    assert!(run.stderr.contains("attache.toml:14:1"), "{}", run.stderr);
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

/// The words attache writes itself (the pictures' captions and tables,
/// the titles of feed and calendar links, the paginator, month names in
/// dates) come from the page's language's string table.
#[test]
fn words_attache_writes_are_in_the_page_language() {
    let site = site();
    site.write(
        "attache.toml",
        &format!("{CONFIG}paginate_by = 1\n{LANGUAGES}"),
    );
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n日本の援助機関。\n",
    );
    site.write(
        "content/briefs/textiles.ja.md",
        "+++\ntitle = \"繊維輸出が増加\"\n+++\n繊維の輸出が増えた。\n",
    );
    site.build().ok();
    let ja = site.read("ja/agencies/jica/index.html");
    assert!(
        ja.contains("<caption>JICAに言及した月ごとのブリーフィング</caption>"),
        "{ja}"
    );
    assert!(ja.contains(r#"<th scope="col">月</th>"#), "{ja}");
    assert!(ja.contains(r#"<th scope="row">2025年7月</th>"#), "{ja}");
    assert!(ja.contains("に言及したブリーフィング：1件"), "{ja}");
    assert!(
        ja.contains(
            r#"title="JICAのブリーフィング" href="https://example.org/ja/agencies/jica/atom.xml""#
        ),
        "{ja}"
    );
    assert!(
        ja.contains(
            r#"title="JICAとの会合" href="https://example.org/ja/agencies/jica/calendar.ics""#
        ),
        "{ja}"
    );
    assert!(!ja.contains("by month") && !ja.contains(">Month<"), "{ja}");
    let en = site.read("agencies/jica/index.html");
    assert!(
        en.contains("<caption>Briefings mentioning JICA by month</caption>"),
        "{en}"
    );
    assert!(en.contains(r#"<th scope="row">July 2025</th>"#), "{en}");
    assert!(en.contains(r#"title="Briefings on JICA""#), "{en}");

    // The paginator of a list by date.
    let list = site.read("ja/briefs/index.html");
    assert!(list.contains("古い記事 →"), "{list}");
    assert!(site.read("briefs/index.html").contains("Older →"));

    // The search index keeps dates as written; the page says how to show
    // them, and its messages, in its language.
    let docs = walk(&site.path("public/ja/search/docs"));
    assert!(docs.contains(r#""date":"2025-07-17""#), "{docs}");
    let search = site.read("ja/search/index.html");
    assert!(
        search.contains(r#"data-many="「{query}」の検索結果：{count}件""#),
        "{search}"
    );
    assert!(
        search.contains(r#"data-date-day="%Y年%-m月%-d日""#),
        "{search}"
    );

    // Month names: `%B` is the language's.
    site.write(
        "templates/strings/ja.toml",
        "date_day = \"%-d %B %Y\"\nmonths = \"一月,二月,三月,四月,五月,六月,七月,八月,九月,十月,十一月,十二月\"\n",
    );
    site.build().ok();
    let ja = site.read("ja/briefs/visit/index.html");
    assert!(ja.contains("17 七月 2025"), "{ja}");
    assert!(
        site.read("briefs/visit/index.html")
            .contains("17 July 2025")
    );
}

/// A translated page has its own feeds, calendar and the pages of what
/// mentions it in its language, and links to them; a page without a
/// translation has none.
#[test]
fn a_translated_page_has_its_feeds_calendar_and_mentions_in_its_language() {
    let site = site();
    site.write(
        "attache.toml",
        &format!("{CONFIG}{LANGUAGES}\n[mentions]\nshown = 1\n"),
    );
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n日本の援助機関。\n",
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"Japan External Trade Organization\"\nshort = \"JETRO\"\n+++\nTrade.\n",
    );
    site.write(
        "content/briefs/loans.md",
        "+++\ntitle = \"New loans\"\ndate = 2025-06-01\nagencies = [\"jica\", \"jetro\"]\n+++\nLoans.\n",
    );
    site.build().ok();
    let mentions = site.read("ja/agencies/jica/briefs/index.html");
    assert!(mentions.contains(r#"<html lang="ja">"#), "{mentions}");
    assert!(
        mentions.contains("JICAに言及したブリーフィング"),
        "{mentions}"
    );
    // The translated brief at its Japanese URL, the other at its own.
    assert!(
        mentions.contains(r#"href="/ja/briefs/visit/""#),
        "{mentions}"
    );
    assert!(mentions.contains(r#"href="/briefs/loans/""#), "{mentions}");
    let page = site.read("ja/agencies/jica/index.html");
    assert!(
        page.contains(r#"href="/ja/agencies/jica/briefs/""#),
        "{page}"
    );
    assert!(
        site.read("agencies/jica/index.html")
            .contains(r#"href="/agencies/jica/briefs/""#)
    );

    let atom = site.read("ja/agencies/jica/atom.xml");
    assert!(atom.contains(r#"xml:lang="ja""#), "{atom}");
    assert!(
        atom.contains("<title>国際協力機構 · 日本デスク</title>"),
        "{atom}"
    );
    assert!(
        atom.contains(r#"<link rel="self" type="application/atom+xml" href="https://example.org/ja/agencies/jica/atom.xml"/>"#),
        "{atom}"
    );
    assert!(
        atom.contains(r#"<link rel="alternate" type="text/html" href="https://example.org/ja/agencies/jica/"/>"#),
        "{atom}"
    );
    assert!(atom.contains("<title>東京訪問</title>"), "{atom}");
    let json: serde_json::Value =
        serde_json::from_str(&site.read("ja/agencies/jica/feed.json")).unwrap();
    assert_eq!(
        json["home_page_url"],
        "https://example.org/ja/agencies/jica/"
    );
    let ics = site.read("ja/agencies/jica/calendar.ics");
    assert!(
        ics.contains("X-WR-CALNAME:日本デスク: JICAとの会合"),
        "{ics}"
    );
    assert!(ics.contains("SUMMARY:国際協力機構との協議"), "{ics}");
    let event = site.read("ja/meetings/talks/event.ics");
    assert!(event.contains("SUMMARY:国際協力機構との協議"), "{event}");
    assert!(
        site.read("ja/meetings/talks/index.html")
            .contains(r#"href="/ja/meetings/talks/event.ics""#)
    );

    // JETRO has no Japanese page: nothing of its own in Japanese.
    assert!(site.exists("agencies/jetro/atom.xml"));
    assert!(!site.exists("ja/agencies/jetro"));
}
