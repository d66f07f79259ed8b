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
