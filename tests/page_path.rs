//! A page's `path`: published where it says (Zola's `path`, Hugo's
//! `url`), with every link, feed and sitemap entry following it.

mod common;

use common::TestSite;

fn site_with_moved_page() -> TestSite {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}\n[languages.ja]\ntitle = \"デスク\"\n", common::CONFIG),
    );
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\npath = \"/partners/jica\"\n+++\nDevelopment agency.\n",
    );
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n開発機関。\n",
    );
    site
}

#[test]
fn a_page_with_a_path_is_published_there_and_linked_there() {
    let site = site_with_moved_page();
    site.build().ok();
    assert!(site.exists("partners/jica/index.html"));
    assert!(!site.exists("agencies/jica/index.html"));
    // Its feed and calendar live beside it.
    assert!(site.exists("partners/jica/atom.xml"));
    // The translation is under the language's folder, at the same path.
    assert!(site.exists("ja/partners/jica/index.html"));
    // Links to it, written in Markdown and made by the theme, follow.
    let brief = site.read("briefs/tokyo-visit/index.html");
    assert!(brief.contains("href=\"/partners/jica/\""), "{brief}");
    assert!(!brief.contains("href=\"/agencies/jica/\""), "{brief}");
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("https://example.org/partners/jica/"));
    assert!(!sitemap.contains("https://example.org/agencies/jica/"));
}

#[test]
fn a_path_in_the_way_of_another_page_is_an_error_at_the_path() {
    let site = TestSite::small();
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"Japan External Trade Organization\"\npath = \"/briefs/tokyo-visit/\"\n+++\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("content/agencies/jetro.md:3:8"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("briefs/tokyo-visit/index.html"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("index.html"));
}

#[test]
fn a_path_that_is_no_path_says_what_to_write() {
    let site = TestSite::small();
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"Japan External Trade Organization\"\npath = \"Partners/JETRO Tokyo\"\n+++\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr
            .contains("`Partners/JETRO Tokyo` is not a path for a page"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("jetro.md:3:8"), "{}", run.stderr);
    assert!(
        run.stderr.contains("path = \"/partners/jetro-tokyo/\""),
        "{}",
        run.stderr
    );
}

#[test]
fn a_translation_takes_its_pages_path() {
    let site = site_with_moved_page();
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\npath = \"/ja/jica/\"\n+++\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("a translation cannot set `path`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("jica.ja.md:3:8"), "{}", run.stderr);
}

#[test]
fn hugo_url_is_explained_as_path() {
    let site = TestSite::small();
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"Japan External Trade Organization\"\nurl = \"/jetro/\"\n+++\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("`url` is `path` in attache"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_page_bundles_files_are_published_beside_it_wherever_it_is() {
    let site = TestSite::small();
    site.write(
        "content/briefs/trip/index.md",
        "+++\ntitle = \"Trip\"\ndate = 2025-07-01\n+++\n![map](map.png) and [the route](maps/route.js)\n",
    );
    site.write("content/briefs/trip/map.png", "PNG");
    site.write("content/briefs/trip/maps/route.js", "// route\n");
    // A bundle inside it is a page of its own, with its own files.
    site.write(
        "content/briefs/trip/day-two/index.md",
        "+++\ntitle = \"Day two\"\ndate = 2025-07-02\n+++\n![x](x.png)\n",
    );
    site.write("content/briefs/trip/day-two/x.png", "X");
    // Not in a bundle: said, not published.
    site.write("content/briefs/loose.png", "L");
    let run = site.build().ok();
    assert_eq!(site.read("briefs/trip/map.png"), "PNG");
    assert_eq!(site.read("briefs/trip/maps/route.js"), "// route\n");
    assert_eq!(site.read("briefs/day-two/x.png"), "X");
    assert!(!site.exists("briefs/trip/day-two/x.png"));
    assert!(
        run.stderr
            .contains("content/briefs/loose.png is not published"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("map.png"), "{}", run.stderr);
    // Moved by `path`, the page takes its files along.
    site.write(
        "content/briefs/trip/index.md",
        "+++\ntitle = \"Trip\"\ndate = 2025-07-01\npath = \"/travel/2025/\"\n+++\n![map](map.png)\n",
    );
    site.build().ok();
    assert_eq!(site.read("travel/2025/map.png"), "PNG");
    assert!(!site.exists("briefs/trip/map.png"));
    // A file where the page is: said, and the page stays.
    site.write("content/briefs/trip/index.html", "<p>old</p>");
    let run = site.build().ok();
    assert!(
        run.stderr
            .contains("content/briefs/trip/index.html is not published: the page is there"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("travel/2025/index.html")
            .contains("<h1>Trip</h1>")
    );
    // Without its index.md, the folder is no bundle: its files are said.
    site.remove("content/briefs/trip/index.md");
    let run = site.build().ok();
    assert!(
        run.stderr
            .contains("content/briefs/trip/map.png is not published"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("travel/2025/map.png"));
}
