//! Pages in more than one language: `<name>.<lang>.md` beside a page,
//! for a language declared under `[languages]` in attache.toml.

mod common;

use common::{CONFIG, TestSite};

const LANGUAGES: &str = "\n[languages.ja]\ntitle = \"日本デスク\"\ndescription = \"日本語版\"\n";

/// A site with one brief on JICA, in English, and JICA translated.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write("attache.toml", &format!("{CONFIG}{LANGUAGES}"));
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\nsectors = [\"energy\"]\n+++\nJapan's aid agency.\n",
    );
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\nshort = \"JICA\"\n+++\n日本の援助機関。[エネルギー](@/sectors/energy.md)を支援。\n",
    );
    site.write(
        "content/sectors/energy.md",
        "+++\ntitle = \"Energy\"\n+++\nPower.\n",
    );
    site.write(
        "content/briefs/visit.md",
        "+++\ntitle = \"A visit to Tokyo\"\ndate = 2025-07-17\nagencies = [\"jica\"]\n+++\nThe minister met JICA.\n",
    );
    site
}

#[test]
fn a_translation_has_its_own_url_and_each_version_links_to_the_other() {
    let site = site();
    site.build().ok();
    let ja = site.read("ja/agencies/jica/index.html");
    assert!(ja.contains(r#"<html lang="ja">"#), "{ja}");
    assert!(ja.contains("<h1>国際協力機構</h1>"), "{ja}");
    assert!(ja.contains("日本の援助機関。"), "{ja}");
    // Its site title is the language's; its links go to the pages.
    assert!(ja.contains("日本デスク"), "{ja}");
    assert!(ja.contains(r#"href="/sectors/energy/""#), "{ja}");
    // The page's identity is the original's: what mentions it still does.
    assert!(ja.contains("A visit to Tokyo"), "{ja}");
    // Both versions carry the alternates and the switcher.
    let en = site.read("agencies/jica/index.html");
    for page in [&en, &ja] {
        assert!(
            page.contains(r#"<link rel="alternate" hreflang="ja" href="https://example.org/ja/agencies/jica/">"#),
            "{page}"
        );
        assert!(
            page.contains(
                r#"<link rel="alternate" hreflang="en" href="https://example.org/agencies/jica/">"#
            ),
            "{page}"
        );
        assert!(page.contains(r#"<nav class="languages""#), "{page}");
    }
    assert!(
        en.contains(r#"<a href="/ja/agencies/jica/" hreflang="ja" lang="ja">日本語</a>"#),
        "{en}"
    );
    assert!(
        ja.contains(r#"<a href="/agencies/jica/" hreflang="en" lang="en">English</a>"#),
        "{ja}"
    );
    // A page with no translation has neither.
    let brief = site.read("briefs/visit/index.html");
    assert!(!brief.contains("hreflang"), "{brief}");
    assert!(!brief.contains(r#"class="languages""#), "{brief}");
    assert!(!site.exists("ja/briefs/visit/index.html"));

    // The sitemap lists both, each naming the other.
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/ja/agencies/jica/</loc>"),
        "{sitemap}"
    );
    assert_eq!(
        sitemap
            .matches(r#"<xhtml:link rel="alternate" hreflang="ja" href="https://example.org/ja/agencies/jica/"/>"#)
            .count(),
        2,
        "{sitemap}"
    );
}

#[test]
fn a_translation_that_changes_what_the_page_is_is_an_error_at_the_field() {
    let site = site();
    // The same references are fine: they are the page's.
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\nsectors = [\"energy\"]\n+++\n",
    );
    site.build().ok();
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\nsectors = [\"transport\"]\n+++\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("a translation cannot change `sectors`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/agencies/jica.ja.md:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/agencies/jica.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_translation_of_no_page_is_a_warning_and_a_broken_link_an_error() {
    let site = site();
    site.write(
        "content/agencies/jetro.ja.md",
        "+++\ntitle = \"日本貿易振興機構\"\n+++\n",
    );
    let run = site.build().ok();
    assert!(
        run.stderr.contains(
            "content/agencies/jetro.ja.md translates `jetro`, which is not a page of agencies"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.exists("ja/agencies/jetro/index.html"));

    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n[不明](@/sectors/nowhere.md)\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("broken link: unknown sector `nowhere`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/agencies/jica.ja.md:4:"),
        "{}",
        run.stderr
    );

    // A typo is said as in the page itself: with the nearest name.
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n[エネルギー](@/sectors/enrgy.md)\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("unknown sector `enrgy`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `energy`?"),
        "{}",
        run.stderr
    );

    // A page whose file is broken is said once, at its own file: not
    // again at each translation that links to it, as its original does
    // not.
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n[エネルギー](@/sectors/energy.md)\n",
    );
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"JICA\"\n+++\n[Energy](@/sectors/energy.md)\n",
    );
    site.write(
        "content/sectors/energy.md",
        "+++\ntitle = \"Energy\"\nparent = 3\n+++\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("content/sectors/energy.md:3:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("jica.ja.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("jica.md:"), "{}", run.stderr);
}

#[test]
fn without_the_language_declared_a_dotted_name_is_a_page() {
    let site = site();
    site.write("attache.toml", CONFIG);
    site.build().ok();
    // `jica.ja.md` is then a page of its own, as before languages.
    assert!(site.exists("agencies/jica-ja/index.html"));
    assert!(!site.exists("ja/agencies/jica/index.html"));
}

#[test]
fn languages_are_checked() {
    let site = site();
    site.write(
        "attache.toml",
        &format!("{CONFIG}\n[languages.en]\ntitle = \"x\"\n\n[languages.Japanese]\n"),
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("`en` is the default language"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`Japanese` is not a language code"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_lists_the_pages_missing_a_translation() {
    let site = site();
    let run = site.run(&["check", "--translations"]).ok();
    assert!(
        run.stdout.contains("ja: 1 of 3 pages translated"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  missing briefs/visit\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  missing sectors/energy\n"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("missing agencies/jica"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_build_from_the_kept_state_follows_translations() {
    let site = site();
    site.build().ok();
    // Edited, added and removed, each time as a fresh build would have it.
    let steps: [(&str, Option<&str>); 4] = [
        (
            "content/agencies/jica.ja.md",
            Some("+++\ntitle = \"JICA(改)\"\n+++\n改訂。\n"),
        ),
        (
            "content/briefs/visit.ja.md",
            Some("+++\ntitle = \"東京訪問\"\n+++\n大臣がJICAと会談。\n"),
        ),
        ("content/agencies/jica.ja.md", None),
        ("content/briefs/visit.md", None),
    ];
    for (path, text) in steps {
        match text {
            Some(text) => site.write(path, text),
            None => site.remove(path),
        }
        let run = site.build().ok();
        assert!(
            run.stderr.contains("from the last build's state"),
            "{}",
            run.stderr
        );
        let resumed = site.snapshot("public");
        site.run(&["build", "--clean"]).ok();
        assert_eq!(resumed, site.snapshot("public"), "after {path}");
    }
    assert!(!site.exists("ja/agencies/jica/index.html"));
    assert!(!site.exists("ja/briefs/visit/index.html"));
}

/// The words of a page a reader sees: its text, and the words of its
/// attributes that are read out or shown (labels, titles, alt texts).
fn visible_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    // Scripts and styles are not read.
    while let Some(start) = rest.find(['<']) {
        text.push_str(&rest[..start]);
        text.push(' ');
        let tag = &rest[start..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|t| tag.starts_with(*t))
            .and_then(|t| tag.find(&format!("</{}", &t[1..])));
        let end = match skip_to {
            Some(close) => close + tag[close..].find('>').unwrap_or(0),
            None => tag.find('>').unwrap_or(tag.len()),
        };
        for attribute in ["aria-label=\"", "title=\"", "alt=\"", "placeholder=\""] {
            let mut inside = &tag[..end];
            while let Some(at) = inside.find(attribute) {
                let value = &inside[at + attribute.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                text.push_str(value);
                text.push(' ');
                inside = &inside[at + attribute.len()..];
            }
        }
        rest = &tag[(end + 1).min(tag.len())..];
    }
    text.push_str(rest);
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_japanese_edition_from_languages_ja_alone_has_no_english_word() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{CONFIG}\n[languages.ja]\ntitle = \"日本デスク\"\ndescription = \"日本語版\"\n"),
    );
    let page = |path: &str, front: &str, body: &str| {
        site.write(path, &format!("+++\n{front}\n+++\n{body}\n"));
    };
    page(
        "content/agencies/jica.md",
        "title = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\nsectors = [\"energy\"]\ncountries = [\"Japan\"]",
        "Aid.",
    );
    page(
        "content/agencies/jica.ja.md",
        "title = \"国際協力機構\"\nshort = \"ジャイカ\"",
        "援助機関。",
    );
    page("content/sectors/energy.md", "title = \"Energy\"", "Power.");
    page(
        "content/sectors/energy.ja.md",
        "title = \"エネルギー\"",
        "電力。",
    );
    page(
        "content/sectors/solar.md",
        "title = \"Solar\"\nparent = \"energy\"",
        "Sun.",
    );
    page(
        "content/sectors/solar.ja.md",
        "title = \"太陽光\"",
        "太陽。",
    );
    page(
        "content/meetings/dialogue.md",
        "title = \"Business dialogue\"\ndate = 2025-07-16T10:00:00+09:00\nagencies = [\"jica\"]\npeople = [\"Sato\"]",
        "Notes.",
    );
    page(
        "content/meetings/dialogue.ja.md",
        "title = \"ビジネス対話\"",
        "メモ。",
    );
    page(
        "content/briefs/visit.md",
        "title = \"A visit to Tokyo\"\ndate = 2025-07-17\nauthors = [\"Desk\", \"Editor\"]\nagencies = [\"jica\"]\nsectors = [\"solar\"]\nmeetings = [\"dialogue\"]\npeople = [\"Sato\"]\ncountries = [\"Japan\"]",
        "The minister met [JICA](@/agencies/jica.md).\n\n## Proposals\n\nMore.",
    );
    page(
        "content/briefs/visit.ja.md",
        "title = \"東京訪問\"\nauthors = [\"デスク\", \"編集者\"]",
        "大臣は[国際協力機構](@/agencies/jica.md)と会談した。\n\n## 提案の内容\n\n詳細。",
    );
    site.build().ok();
    // Names of pages that have no translation (the stubs of people and
    // countries) and the technical names a reader knows stay as written.
    let allowed = [
        "Sato",
        "Japan",
        "JICA",
        "English",
        "UTC",
        "Google",
        "JavaScript",
        "Atom",
        "ics",
        "JSON",
        "CSV",
        "RSS",
    ];
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(site.path("public/ja"))
        .into_iter()
        .flatten()
    {
        if entry.file_name() == "index.html" {
            pages.push(entry.path().to_path_buf());
        }
    }
    assert!(pages.len() > 10, "{pages:?}");
    for path in pages {
        let html = std::fs::read_to_string(&path).unwrap();
        let english: Vec<String> = visible_words(&html)
            .into_iter()
            .filter(|w| !allowed.contains(&w.as_str()))
            .collect();
        assert!(english.is_empty(), "{}: {english:?}", path.display());
        // What search engines read is in the page's language too.
        if html.contains("application/ld+json") {
            assert!(
                !html.contains("\"inLanguage\":\"en\""),
                "{}",
                path.display()
            );
        }
    }
    let brief = site.read("ja/briefs/visit/index.html");
    assert!(brief.contains("デスク、編集者"), "{brief}");
    assert!(brief.contains("id=\"提案の内容\""), "{brief}");
    assert!(brief.contains("\"headline\":\"東京訪問\""), "{brief}");
    let agency = site.read("ja/agencies/jica/index.html");
    assert!(agency.contains("ジャイカをフォロー："), "{agency}");
    assert!(!agency.contains("：:"), "{agency}");

    // `check --translations` says the theme has every word in Japanese,
    // and which it lacks in a language it has no table for.
    site.write(
        "attache.toml",
        &format!(
            "{CONFIG}\n[languages.ja]\ntitle = \"日本デスク\"\n\n[languages.ur]\ntitle = \"ڈیسک\"\n"
        ),
    );
    let run = site.run(&["check", "--translations"]).ok();
    assert!(
        run.stdout.contains("ja: the theme has all its words"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ur: the theme lacks"), "{}", run.stdout);
    assert!(
        run.stdout.contains("  missing word follow_name\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_intros_translation_is_the_languages_home_and_list_intro() {
    let site = site();
    site.write(
        "content/_index.md",
        "+++\n+++\nThe home of the desk, in English.\n",
    );
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Agencies we follow\"\n+++\nWho is who, in English.\n",
    );
    site.write(
        "content/sectors/_index.md",
        "+++\ntitle = \"Sectors we follow\"\n+++\nWhat is what, in English.\n",
    );
    site.write("content/_index.ja.md", "+++\n+++\nデスクのホーム。\n");
    site.write(
        "content/agencies/_index.ja.md",
        "+++\ntitle = \"機関\"\n+++\n機関の一覧。[エネルギー](@/sectors/energy.md)\n",
    );
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    assert!(!run.stderr.contains("_index.ja.md"), "{}", run.stderr);
    let home = site.read("ja/index.html");
    assert!(home.contains("デスクのホーム。"), "{home}");
    assert!(!home.contains("in English"), "{home}");
    let agencies = site.read("ja/agencies/index.html");
    assert!(agencies.contains("<h1>機関</h1>"), "{agencies}");
    assert!(agencies.contains("機関の一覧。"), "{agencies}");
    // Its links lead to the pages, as a translation's do.
    assert!(
        agencies.contains(r#"href="/sectors/energy/""#),
        "{agencies}"
    );
    assert!(!agencies.contains("in English"), "{agencies}");
    assert!(!agencies.contains("Agencies we follow"), "{agencies}");
    // A list with no intro in the language has none: not the English one.
    let sectors = site.read("ja/sectors/index.html");
    assert!(!sectors.contains("in English"), "{sectors}");
    assert!(!sectors.contains("Sectors we follow"), "{sectors}");
    // The default language's pages keep their own.
    let en = site.read("agencies/index.html");
    assert!(en.contains("Who is who, in English."), "{en}");
    assert!(!en.contains("機関の一覧"), "{en}");
    assert!(
        site.read("index.html")
            .contains("The home of the desk, in English.")
    );
    // Edited, then removed, from the kept state: the language's list
    // follows, and never falls back to the English words.
    site.write(
        "content/agencies/_index.ja.md",
        "+++\ntitle = \"政府機関\"\n+++\n改訂。\n",
    );
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    let agencies = site.read("ja/agencies/index.html");
    assert!(agencies.contains("<h1>政府機関</h1>"), "{agencies}");
    assert!(agencies.contains("改訂。"), "{agencies}");
    site.remove("content/agencies/_index.ja.md");
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    let agencies = site.read("ja/agencies/index.html");
    assert!(!agencies.contains("改訂。"), "{agencies}");
    assert!(!agencies.contains("in English"), "{agencies}");
    // A broken link in one is an error at its place, as in any intro.
    site.write(
        "content/_index.ja.md",
        "+++\n+++\n[なし](@/sectors/none.md)\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("content/_index.ja.md:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_intro_in_a_language_the_site_does_not_declare_is_a_warning_not_a_page() {
    let site = site();
    site.write("content/_index.fr.md", "+++\n+++\nAccueil.\n");
    site.write(
        "content/briefs/_index.fr.md",
        "+++\ntitle = \"Actualités\"\n+++\nBonjour.\n",
    );
    let run = site.build();
    // Not a briefing named `_index.fr` (which would need a date), nor a
    // file to move into a kind's folder.
    assert!(run.success(), "{}", run.stderr);
    for path in ["content/_index.fr.md", "content/briefs/_index.fr.md"] {
        assert!(
            run.stderr.contains(&format!(
                "warning: {path} is not read: `fr` is not a language of the site"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("add [languages.fr] to attache.toml"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("kind folder"), "{}", run.stderr);
    assert!(!site.exists("briefs/index-fr"));
    assert!(!site.exists("fr"));
}

#[test]
fn an_intro_named_with_no_language_says_what_an_intro_is_named() {
    let site = site();
    site.write(
        "content/briefs/_index..md",
        "+++
+++
Typo.
",
    );
    site.write(
        "content/_index.Old.md",
        "+++
+++
An old home.
",
    );
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    for path in ["content/briefs/_index..md", "content/_index.Old.md"] {
        assert!(
            run.stderr.contains(&format!(
                "warning: {path} is not read: an intro is named _index.md, or _index.<language>.md"
            )),
            "{}",
            run.stderr
        );
    }
    // No language named by an empty or capitalised code.
    assert!(!run.stderr.contains("``"), "{}", run.stderr);
    assert!(!run.stderr.contains("[languages.]"), "{}", run.stderr);
    assert!(!run.stderr.contains("[languages.Old]"), "{}", run.stderr);
    assert!(run.stderr.contains("rename it _index.md"), "{}", run.stderr);
}

#[test]
fn a_card_in_a_translation_of_a_broken_page_is_quiet_as_in_the_page() {
    let site = site();
    site.write(
        "content/meetings/dialogue.md",
        "+++\ntitle = \"Business dialogue\"\ndate = 2027-02\n+++\n",
    );
    let card = "\n{{ meeting(name=\"dialogue\") }}\n";
    site.write(
        "content/agencies/jica.md",
        &format!("+++\ntitle = \"Japan International Cooperation Agency\"\n+++\nAid.\n{card}"),
    );
    site.write(
        "content/agencies/jica.ja.md",
        &format!("+++\ntitle = \"国際協力機構\"\n+++\n援助。\n{card}"),
    );
    let run = site.build();
    assert!(!run.success());
    // One error, at the broken file: neither the page nor its
    // translation blames the card.
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/meetings/dialogue.md:3:8"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("jica.ja.md"), "{}", run.stderr);
}

#[test]
fn a_translated_bundles_files_are_beside_each_version_of_its_page() {
    let site = site();
    site.write(
        "content/briefs/trip/index.md",
        "+++\ntitle = \"The trip\"\ndate = 2025-07-20\n+++\n![The route](map.png)\n",
    );
    site.write(
        "content/briefs/trip/index.ja.md",
        "+++\ntitle = \"旅程\"\n+++\n![経路](map.png)\n",
    );
    site.write("content/briefs/trip/map.png", "a map");
    site.write("content/briefs/trip/img/route.svg", "<svg/>");
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    // The relative picture works in both versions: the file is beside each.
    let ja = site.read("ja/briefs/trip/index.html");
    assert!(ja.contains(r#"src="map.png""#), "{ja}");
    assert_eq!(site.read("briefs/trip/map.png"), "a map");
    assert_eq!(site.read("ja/briefs/trip/map.png"), "a map");
    assert_eq!(site.read("ja/briefs/trip/img/route.svg"), "<svg/>");
    // A page with no translation has its files once; a translation gone
    // takes its copies with it.
    assert!(!site.exists("ja/briefs/visit"));
    site.remove("content/briefs/trip/index.ja.md");
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    assert!(!site.exists("ja/briefs/trip/map.png"));
    assert_eq!(site.read("briefs/trip/map.png"), "a map");
}
