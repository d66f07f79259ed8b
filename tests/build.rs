//! Builds real sites into temporary folders and checks the HTML and files.

mod common;

use common::{TestSite, main_of, section};

#[test]
fn pages_are_written_at_pretty_urls() {
    let site = TestSite::small();
    site.build().ok();
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "style.css",
        "briefs/index.html",
        "briefs/tokyo-visit/index.html",
        "meetings/jica-talks/index.html",
        "agencies/jica/index.html",
        "agencies/index.html",
        "sectors/copper/index.html",
        "sectors/index.html",
    ] {
        assert!(site.exists(file), "missing {file}");
    }
}

#[test]
fn a_brief_links_to_its_references_and_they_link_back() {
    let site = TestSite::small();
    site.build().ok();
    let brief = site.read("briefs/tokyo-visit/index.html");
    let refs = section(&brief, "references-heading");
    assert!(refs.contains("<dt>Agencies</dt>"), "{refs}");
    assert!(
        refs.contains(r#"<a href="/agencies/jica/">JICA</a>"#),
        "{refs}"
    );
    assert!(
        refs.contains(r#"<a href="/agencies/jetro/">JETRO</a>"#),
        "{refs}"
    );
    assert!(
        refs.contains(r#"<a href="/sectors/copper/">Copper</a>"#),
        "{refs}"
    );
    assert!(
        refs.contains(r#"<a href="/meetings/jica-talks/">JICA talks</a>"#),
        "{refs}"
    );

    let jica = site.read("agencies/jica/index.html");
    let briefs = section(&jica, "backlinks-briefs");
    assert!(briefs.contains("Briefings mentioning JICA"), "{briefs}");
    assert!(
        briefs.contains(r#"href="/briefs/tokyo-visit/""#),
        "{briefs}"
    );
    let meetings = section(&jica, "backlinks-meetings");
    assert!(meetings.contains("Meetings JICA attended"), "{meetings}");
    assert!(
        meetings.contains(r#"href="/meetings/jica-talks/""#),
        "{meetings}"
    );

    // JETRO is only mentioned by the brief: no meetings section.
    let jetro = site.read("agencies/jetro/index.html");
    assert!(jetro.contains("Briefings mentioning JETRO"));
    assert!(!jetro.contains("backlinks-meetings"));

    // The meeting is referenced by the brief, and shows it.
    let meeting = site.read("meetings/jica-talks/index.html");
    assert!(section(&meeting, "backlinks-briefs").contains(r#"href="/briefs/tokyo-visit/""#));
}

#[test]
fn inline_links_are_rewritten_with_anchors() {
    let site = TestSite::small();
    site.build().ok();
    let brief = site.read("briefs/tokyo-visit/index.html");
    assert!(
        brief.contains(r#"<a href="/agencies/jica/">JICA</a>"#),
        "{brief}"
    );
    assert!(
        brief.contains(r#"<a href="/sectors/copper/#deposits">copper</a>"#),
        "{brief}"
    );
    assert!(
        !brief.contains("@/"),
        "an internal link was left unrewritten"
    );
    let copper = site.read("sectors/copper/index.html");
    assert!(
        copper.contains(r#"<h2 id="deposits">Deposits</h2>"#),
        "{copper}"
    );
}

#[test]
fn an_inline_link_alone_makes_a_backlink() {
    let site = TestSite::new();
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nSee [JICA](@/agencies/jica.md).\n",
    );
    site.write("content/agencies/jica.md", "+++\ntitle = \"JICA\"\n+++\n");
    site.build().ok();
    let jica = site.read("agencies/jica/index.html");
    assert!(
        section(&jica, "backlinks-briefs").contains(r#"href="/briefs/a/""#),
        "{jica}"
    );
}

#[test]
fn meetings_show_time_zone_location_and_people() {
    let site = TestSite::small();
    site.build().ok();
    let meeting = main_of(&site.read("meetings/jica-talks/index.html")).to_string();
    assert!(
        meeting.contains(r#"<time datetime="2025-07-15T10:00:00+09:00">15 July 2025, 10:00"#),
        "{meeting}"
    );
    assert!(meeting.contains("UTC+09:00"), "{meeting}");
    assert!(meeting.contains("Tokyo"));
    assert!(meeting.contains("HARA Shohei"));
}

#[test]
fn agencies_show_acronym_country_and_website() {
    let site = TestSite::small();
    site.build().ok();
    let jica = main_of(&site.read("agencies/jica/index.html")).to_string();
    assert!(
        jica.contains(r#"<abbr title="Japan International Cooperation Agency">JICA</abbr>"#),
        "{jica}"
    );
    assert!(
        jica.contains(r#"<dd><a href="/countries/japan/">Japan</a></dd>"#),
        "{jica}"
    );
    assert!(jica.contains(r#"href="https://www.jica.go.jp/""#), "{jica}");
}

#[test]
fn sectors_show_parent_subsectors_and_descendants_briefings() {
    let site = TestSite::small();
    site.build().ok();
    let minerals = site.read("sectors/minerals/index.html");
    assert!(minerals.contains(r#"<a href="/sectors/critical-minerals/">Critical minerals</a>"#));
    // The brief mentions copper, a grandchild of minerals.
    assert!(
        section(&minerals, "backlinks-briefs").contains(r#"href="/briefs/tokyo-visit/""#),
        "{minerals}"
    );
    let critical = site.read("sectors/critical-minerals/index.html");
    assert!(critical.contains("Part of"));
    assert!(critical.contains(r#"<a href="/sectors/minerals/">Minerals</a>"#));
    assert!(critical.contains(r#"<a href="/sectors/copper/">Copper</a>"#));
    let copper = site.read("sectors/copper/index.html");
    assert!(copper.contains("breadcrumbs"), "{copper}");
}

#[test]
fn related_briefs_share_references_weighted_by_kind() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[related]\nlimit = 2\nweights = {{ sectors = 3.0 }}\n",
            common::CONFIG
        ),
    );
    let brief = |slug: &str, date: &str, agencies: &str, sectors: &str| {
        site.write(
            &format!("content/briefs/{slug}.md"),
            &format!(
                "+++\ntitle = \"{slug}\"\ndate = {date}\nagencies = [{agencies}]\nsectors = [{sectors}]\n+++\n"
            ),
        );
    };
    brief("main", "2025-01-05", r#""a", "b""#, r#""s""#);
    brief("shares-sector", "2025-01-01", "", r#""s""#); // score 3
    brief("shares-two-agencies", "2025-01-02", r#""a", "b""#, ""); // score 2
    brief("shares-one-agency", "2025-01-03", r#""a""#, ""); // score 1
    brief("shares-nothing", "2025-01-04", "", "");
    site.write("content/agencies/a.md", "+++\ntitle = \"A\"\n+++\n");
    site.write("content/agencies/b.md", "+++\ntitle = \"B\"\n+++\n");
    site.write("content/sectors/s.md", "+++\ntitle = \"S\"\n+++\n");
    site.build().ok();
    let html = site.read("briefs/main/index.html");
    let related = section(&html, "related-heading");
    let first = related
        .find("/briefs/shares-sector/")
        .expect("sector match listed");
    let second = related
        .find("/briefs/shares-two-agencies/")
        .expect("agency match listed");
    assert!(first < second, "higher score first: {related}");
    assert!(
        !related.contains("shares-one-agency"),
        "limit is 2: {related}"
    );
    assert!(!related.contains("shares-nothing"));
}

#[test]
fn a_brief_relates_older_briefs_unless_newer_ones_are_let_in() {
    for include_newer in [false, true] {
        let site = TestSite::new();
        site.write(
            "attache.toml",
            &format!(
                "{}[related]\ninclude_newer = {include_newer}\n",
                common::CONFIG
            ),
        );
        for (slug, date) in [
            ("old", "2025-01-01"),
            ("mid", "2025-02-01"),
            ("new", "2025-03-01"),
        ] {
            site.write(
                &format!("content/briefs/{slug}.md"),
                &format!("+++\ntitle = \"{slug}\"\ndate = {date}\nagencies = [\"a\"]\n+++\n"),
            );
        }
        site.write("content/agencies/a.md", "+++\ntitle = \"A\"\n+++\n");
        site.build().ok();
        let related = |slug: &str| {
            let html = site.read(&format!("briefs/{slug}/index.html"));
            if html.contains("related-heading") {
                section(&html, "related-heading").to_string()
            } else {
                String::new()
            }
        };
        assert!(
            related("new").contains("/briefs/old/"),
            "{}",
            related("new")
        );
        assert!(related("mid").contains("/briefs/old/"));
        assert_eq!(related("mid").contains("/briefs/new/"), include_newer);
        assert_eq!(related("old").contains("/briefs/mid/"), include_newer);
    }
}

#[test]
fn front_matter_text_is_escaped() {
    let site = TestSite::new();
    site.write(
        "content/briefs/x.md",
        "+++\ntitle = \"<script>alert('t')</script> & co\"\ndate = 2025-01-01\nsummary = \"<img src=x onerror=alert(1)>\"\nlocation = \"\\\"><b>loc</b>\"\nagencies = [\"a\"]\n+++\nBody.\n",
    );
    site.write(
        "content/agencies/a.md",
        "+++\ntitle = \"<i>Agency</i>\"\nshort = \"<A>\"\n+++\n",
    );
    site.build().ok();
    let brief = site.read("briefs/x/index.html");
    assert!(!brief.contains("<script>alert"), "title not escaped");
    assert!(brief.contains("&lt;script&gt;alert("), "{brief}");
    assert!(!brief.contains("<img src=x"), "summary not escaped");
    assert!(!brief.contains("<b>loc</b>"), "location not escaped");
    assert!(
        brief.contains("&lt;A&gt;"),
        "short name not escaped in references"
    );
    let agency = site.read("agencies/a/index.html");
    assert!(!agency.contains("<i>Agency</i>"));
    let list = site.read("briefs/index.html");
    assert!(!list.contains("<script>alert"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::new();
    site.write(
        "content/briefs/done.md",
        "+++\ntitle = \"Done\"\ndate = 2025-01-01\n+++\n",
    );
    site.write(
        "content/briefs/wip.md",
        "+++\ntitle = \"Work in progress\"\ndate = 2025-01-02\ndraft = true\n+++\n",
    );
    site.build().ok();
    assert!(site.exists("briefs/done/index.html"));
    assert!(!site.exists("briefs/wip/index.html"));
    assert!(!site.read("briefs/index.html").contains("Work in progress"));
    assert!(!site.read("sitemap.xml").contains("/briefs/wip/"));

    site.run(&["build", "--drafts"]).ok();
    assert!(site.exists("briefs/wip/index.html"));
    assert!(site.read("briefs/index.html").contains("Work in progress"));
}

#[test]
fn a_reference_to_a_draft_is_an_error_naming_the_draft() {
    let site = TestSite::new();
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nagencies = [\"secret\"]\n+++\n",
    );
    site.write(
        "content/agencies/secret.md",
        "+++\ntitle = \"Secret\"\ndraft = true\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("agency `secret` is a draft"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--drafts"), "{}", run.stderr);
    site.run(&["build", "--drafts"]).ok();
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = TestSite::small();
    site.build().ok();
    let first = site.snapshot("public");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.build().ok();
    assert_eq!(first, site.snapshot("public"));
}

#[test]
fn a_base_url_with_a_sub_path_is_honoured_everywhere() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        "title = \"T\"\nbase_url = \"https://host.example/sub/\"\n",
    );
    // Links and pictures written root-relative are to the site's pages.
    site.write(
        "content/briefs/rooted.md",
        "+++\ntitle = \"Rooted\"\ndate = 2025-07-18\n+++\nSee [copper](/sectors/copper/), ![a map](/map.png), [the host](//cdn.example/x) and [already](/sub/agencies/).\n",
    );
    site.build().ok();
    let rooted = site.read("briefs/rooted/index.html");
    assert!(
        rooted.contains(r#"<a href="/sub/sectors/copper/">copper</a>"#),
        "{rooted}"
    );
    assert!(rooted.contains(r#"<img src="/sub/map.png""#), "{rooted}");
    assert!(rooted.contains(r#"<a href="//cdn.example/x">"#), "{rooted}");
    assert!(rooted.contains(r#"<a href="/sub/agencies/">"#), "{rooted}");
    let brief = site.read("briefs/tokyo-visit/index.html");
    assert!(brief.contains(r#"href="/sub/agencies/jica/""#), "refs");
    assert!(
        brief.contains(r#"<a href="/sub/sectors/copper/#deposits">"#),
        "inline links"
    );
    assert!(brief.contains(r#"href="/sub/style.css""#), "static files");
    assert!(
        brief.contains(
            r#"<link rel="canonical" href="https://host.example/sub/briefs/tokyo-visit/">"#
        )
    );
    assert!(brief.contains(r#"<a class="site-title" href="/sub/">"#));
    assert!(
        !brief.contains(r#"href="/agencies/"#),
        "a link without the sub-path"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://host.example/sub/briefs/tokyo-visit/</loc>"));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://host.example/sub/sitemap.xml")
    );
    assert!(site.read("404.html").contains(r#"href="/sub/""#));
}

#[test]
fn base_url_can_be_overridden_on_the_command_line() {
    let site = TestSite::small();
    site.run(&["build", "--base-url", "https://preview.example/pr-7"])
        .ok();
    let brief = site.read("briefs/tokyo-visit/index.html");
    assert!(brief.contains(r#"href="/pr-7/agencies/jica/""#), "{brief}");
    assert!(
        site.read("sitemap.xml")
            .contains("https://preview.example/pr-7/")
    );
    let bad = site.run(&["build", "--base-url", "not a url"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("invalid --base-url"), "{}", bad.stderr);
}

#[test]
fn a_failed_build_leaves_the_output_exactly_as_it_was() {
    let site = TestSite::small();
    site.build().ok();
    std::fs::write(site.path("public/.keep-me"), "deploy").unwrap();
    let before = site.snapshot("public");
    site.write(
        "content/briefs/broken.md",
        "+++\ntitle = \"Broken\"\ndate = 2025-01-01\nagencies = [\"nope\"]\n+++\n",
    );
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Changed\"\ndate = 2025-01-01\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not changed"), "{}", run.stderr);
    assert_eq!(before, site.snapshot("public"));
}

#[test]
fn a_successful_build_removes_its_stale_files_and_keeps_everyone_elses() {
    let site = TestSite::small();
    site.build().ok();
    std::fs::create_dir_all(site.path("public/.git")).unwrap();
    std::fs::write(site.path("public/.git/HEAD"), "ref").unwrap();
    std::fs::write(site.path("public/notes.html"), "mine").unwrap();
    std::fs::write(site.path("public/agencies/jetro/notes.txt"), "mine").unwrap();
    site.remove("content/agencies/jetro.md");
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"T\"\ndate = 2025-01-01\n+++\n",
    );
    site.build().ok();
    assert!(!site.exists("agencies/jetro/index.html"));
    assert!(!site.exists("agencies/jetro/atom.xml"));
    assert!(site.exists("agencies/jetro/notes.txt"), "not attache's");
    assert!(site.exists("notes.html"), "not attache's");
    assert!(site.exists(".git/HEAD"));
    assert!(!site.exists("agencies/jetro/index.html"));
}

/// A site of five briefs, two to a list page, paged as `pagination` says.
fn five_briefs(pagination: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}paginate_by = 2
{pagination}",
            common::CONFIG
        ),
    );
    for day in 1..=5 {
        site.write(
            &format!("content/briefs/b{day}.md"),
            &format!("+++\ntitle = \"Brief {day}\"\ndate = 2025-01-0{day}\n+++\n"),
        );
    }
    site.build().ok();
    site
}

#[test]
fn lists_paginate_newest_first_when_asked() {
    let site = five_briefs("pagination = \"newest_first\"\n");
    let page1 = site.read("briefs/index.html");
    let b5 = page1.find("Brief 5").unwrap();
    let b4 = page1.find("Brief 4").unwrap();
    assert!(b5 < b4);
    assert!(!page1.contains("Brief 3"));
    assert!(page1.contains(r#"href="/briefs/page/2/""#));
    let page3 = site.read("briefs/page/3/index.html");
    assert!(page3.contains("Brief 1"));
    assert!(
        page3.contains(r#"rel="prev" href="/briefs/page/2/""#),
        "{page3}"
    );
    assert!(!site.exists("briefs/page/4/index.html"));
    assert!(!site.exists("briefs/archive/1/index.html"));
}

#[test]
fn lists_by_date_are_archives_whose_full_pages_keep_their_entries() {
    let site = five_briefs("");
    // The list's own page: the newest, down to the newest full page.
    let own = site.read("briefs/index.html");
    let shown: Vec<bool> = (1..=5)
        .map(|d| own.contains(&format!("Brief {d}<")))
        .collect();
    assert_eq!(shown, [false, false, true, true, true], "{own}");
    assert!(
        own.contains(r#"rel="next" href="/briefs/archive/1/""#),
        "{own}"
    );
    assert!(own.contains("5 briefings"), "{own}");
    // Archive pages counted from the oldest; the newest full one leads
    // back to the list.
    let first = site.read("briefs/archive/1/index.html");
    assert!(first.contains("Brief 1") && first.contains("Brief 2"));
    assert!(!first.contains("Brief 3<"));
    assert!(first.contains("Archive, page 1"), "{first}");
    let second = site.read("briefs/archive/2/index.html");
    assert!(second.contains(r#"rel="prev" href="/briefs/""#), "{second}");
    let before = site.read("briefs/archive/1/index.html");
    // The numbering from the newest redirects to the list.
    let moved = site.read("briefs/page/3/index.html");
    assert!(moved.contains(r#"url=/briefs/""#), "{moved}");
    // A new brief: the full pages stay byte for byte; a sixth fills page 3.
    site.write(
        "content/briefs/b6.md",
        "+++\ntitle = \"Brief 6\"\ndate = 2025-01-06\n+++\n",
    );
    site.build().ok();
    assert_eq!(site.read("briefs/archive/1/index.html"), before);
    let second = site.read("briefs/archive/2/index.html");
    assert!(
        second.contains(r#"rel="prev" href="/briefs/archive/3/""#),
        "the page after it is full now: {second}"
    );
    assert!(site.read("briefs/archive/3/index.html").contains("Brief 6"));
}

#[test]
fn undated_kinds_sort_by_title() {
    let site = TestSite::new();
    site.write("content/agencies/z.md", "+++\ntitle = \"Alpha\"\n+++\n");
    site.write("content/agencies/a.md", "+++\ntitle = \"Zulu\"\n+++\n");
    site.build().ok();
    let list = site.read("agencies/index.html");
    assert!(list.find("Alpha").unwrap() < list.find("Zulu").unwrap());
}

#[test]
fn the_home_page_shows_latest_briefs_and_upcoming_meetings() {
    let site = TestSite::small();
    site.write(
        "content/meetings/future.md",
        "+++\ntitle = \"Future dialogue\"\ndate = 2999-01-01\n+++\n",
    );
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Welcome desk\"\n+++\nThe *intro*.\n",
    );
    site.build().ok();
    let home = site.read("index.html");
    assert!(home.contains("Welcome desk"));
    assert!(home.contains("<em>intro</em>"));
    assert!(section(&home, "latest-heading").contains("Tokyo visit"));
    let upcoming = section(&home, "upcoming-heading");
    assert!(upcoming.contains("Future dialogue"), "{upcoming}");
    assert!(
        !upcoming[..upcoming.find("Recent meetings").unwrap_or(upcoming.len())]
            .contains("JICA talks")
    );
    // The meetings list counts the upcoming ones with the past ones.
    let list = site.read("meetings/index.html");
    let past = std::fs::read_dir(site.path("content/meetings"))
        .unwrap()
        .count()
        - 1;
    let count = format!("<p class=\"count\">{} meetings</p>", past + 1);
    assert!(list.contains(&count), "{count}: {list}");
}

#[test]
fn list_intros_come_from_index_files() {
    let site = TestSite::small();
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Who's who\"\n+++\nThe **agencies** we follow.\n",
    );
    site.build().ok();
    let list = site.read("agencies/index.html");
    // Typographic apostrophe, as in the body.
    assert!(list.contains("<h1>Who’s who</h1>"), "{list}");
    assert!(list.contains("<strong>agencies</strong>"));
}

#[test]
fn site_templates_override_the_theme() {
    let site = TestSite::small();
    site.write(
        "templates/briefs/page.html",
        "{% extends \"base.html\" %}{% block main %}{% set jica = get_page(kind=\"agencies\", slug=\"jica\") %}CUSTOM {{ page.title }} {{ jica.short }} {{ get_pages(kind=\"sectors\") | length }} {{ url(path=\"@/agencies/jica.md\") }}{% endblock main %}",
    );
    site.build().ok();
    let brief = site.read("briefs/tokyo-visit/index.html");
    assert!(
        brief.contains("CUSTOM Tokyo visit JICA 3 /agencies/jica/"),
        "{brief}"
    );
    // Other kinds keep the theme's template.
    assert!(!site.read("agencies/jica/index.html").contains("CUSTOM"));
}

#[test]
fn static_files_of_the_site_win_over_the_themes() {
    let site = TestSite::small();
    site.write("static/style.css", "body { color: red }");
    site.write("static/CNAME", "briefs.example.org");
    site.write("static/.well-known/security.txt", "Contact: x");
    site.build().ok();
    assert_eq!(site.read("style.css"), "body { color: red }");
    assert_eq!(site.read("CNAME"), "briefs.example.org");
    assert_eq!(site.read(".well-known/security.txt"), "Contact: x");
}

#[test]
fn sitemap_and_robots_list_the_site() {
    let site = TestSite::small();
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"JICA\"\nupdated = 2025-08-01\n+++\n",
    );
    site.build().ok();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(sitemap.contains(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#));
    assert!(sitemap.contains("<loc>https://example.org/</loc>"));
    assert!(sitemap.contains(
        "<loc>https://example.org/briefs/tokyo-visit/</loc>\n    <lastmod>2025-07-17</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://example.org/agencies/jica/</loc>\n    <lastmod>2025-08-01</lastmod>"
    ));
    // The home page, seven lists (asks and offers among them, with none
    // yet), seven pages and a person named in a meeting.
    assert_eq!(sitemap.matches("<url>").count(), 1 + 7 + 7 + 1);
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
    assert!(site.read("404.html").contains("Page not found"));
}

#[test]
fn stubs_are_created_for_unknown_slugs_of_kinds_that_allow_them() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{}[kinds.people]\nstub_warnings = true\n", common::CONFIG),
    );
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\npeople = [\"jam-kamal\"]\n+++\nWith [HARA](@/people/hara-shohei.md).\n",
    );
    let run = site.build().ok();
    assert!(run.stderr.contains("created a stub page"), "{}", run.stderr);
    let stub = site.read("people/jam-kamal/index.html");
    assert!(stub.contains("<h1>Jam kamal</h1>"), "{stub}");
    assert!(section(&stub, "backlinks-briefs").contains(r#"href="/briefs/a/""#));
    assert!(site.exists("people/hara-shohei/index.html"));
    assert!(
        site.read("briefs/a/index.html")
            .contains(r#"<a href="/people/hara-shohei/">HARA</a>"#)
    );
}

#[test]
fn declared_kinds_behave_like_the_builtin_ones() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[kinds.countries]\ntitle = \"Countries\"\nsingular = \"Country\"\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/countries/japan.md",
        "+++\ntitle = \"Japan\"\n+++\n",
    );
    site.write("content/briefs/a.md", "+++\ntitle = \"A\"\ndate = 2025-01-01\ncountries = [\"japan\"]\n+++\nIn [Japan](@/countries/japan.md).\n");
    site.build().ok();
    let japan = site.read("countries/japan/index.html");
    assert!(
        section(&japan, "backlinks-briefs").contains(r#"href="/briefs/a/""#),
        "{japan}"
    );
    assert!(site.read("countries/index.html").contains("Japan"));
    assert!(site.read("index.html").contains(r#"href="/countries/""#));
}

#[cfg(unix)]
#[test]
fn symlinks_that_leave_the_site_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\ndate = 2025-01-01\n+++\nTOP SECRET\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("leak.txt"), "LEAK").unwrap();
    let site = TestSite::small();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path("content/briefs/secret.md"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("static/outside")).unwrap();
    // A symlink that stays inside the site is followed.
    std::os::unix::fs::symlink(
        site.path("content/agencies/jica.md"),
        site.path("content/agencies/jica-alias.md"),
    )
    .unwrap();
    let run = site.build().ok();
    assert!(
        run.stderr.contains("a symlink to a place outside the site"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("briefs/secret/index.html"));
    assert!(!site.exists("outside/leak.txt"));
    assert!(site.exists("agencies/jica-alias/index.html"));
}

#[test]
fn a_link_names_a_file_first_and_a_reference_names_a_slug() {
    // b.md has the slug `x`; c.md has the slug `b`.
    let site = TestSite::small();
    site.write(
        "content/agencies/b.md",
        "+++\ntitle = \"File named b\"\nslug = \"x\"\n+++\n",
    );
    site.write(
        "content/agencies/c.md",
        "+++\ntitle = \"Slug b\"\nslug = \"b\"\n+++\n",
    );
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\nagencies = [\"b\"]\n+++\n\nSee [the file](@/agencies/b.md).\n",
    );
    site.write(
        "templates/briefs/page.html",
        "{% extends \"page.html\" %}{% block main %}{{ page.content | safe }}\
         {% set by_name = get_page(kind=\"agencies\", slug=\"b\") %}\
         <p id=\"fn\">{{ url(path=\"@/agencies/b.md\") }} {{ by_name.title }}</p>\
         {% for r in page.refs.agencies %}<p class=\"ref\">{{ r.title }}</p>{% endfor %}{% endblock main %}",
    );
    site.build().ok();
    let page = site.read("briefs/tokyo-visit/index.html");
    // Markdown and the template functions agree: the file b.md.
    assert!(
        page.contains(r#"<a href="/agencies/x/">the file</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<p id="fn">/agencies/x/ File named b</p>"#),
        "{page}"
    );
    // A front-matter reference is a slug: c.md.
    assert!(page.contains(r#"<p class="ref">Slug b</p>"#), "{page}");
}

#[test]
fn a_second_build_starts_from_the_kept_state() {
    let site = TestSite::small();
    let first = site.build().ok();
    assert!(
        !first.stderr.contains("from the last build's state"),
        "{}",
        first.stderr
    );
    assert!(site.path(".attache/build-state").is_file());
    let before = site.snapshot("public");

    // Nothing changed: nothing is rendered or written.
    let second = site.build().ok();
    assert!(
        second.stderr.contains("from the last build's state"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains(": 0 written"), "{}", second.stderr);
    assert_eq!(before, site.snapshot("public"));

    // A file changed by hand in the output is written again.
    std::fs::write(site.path("public/agencies/jica/index.html"), "vandalised").unwrap();
    let third = site.build().ok();
    assert!(third.stderr.contains(": 1 written"), "{}", third.stderr);
    assert_eq!(before, site.snapshot("public"));

    // An edit renders what it affects, and the result is a full build's.
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"JICA, renamed\"\nshort = \"JICA\"\n+++\nDevelopment agency.\n",
    );
    site.build().ok();
    let incremental = site.snapshot("public");
    site.run(&["build", "--clean"]).ok();
    assert_eq!(incremental, site.snapshot("public"));
    assert!(
        site.read("agencies/jica/index.html")
            .contains("JICA, renamed")
    );

    // A damaged or foreign state is not trusted.
    std::fs::write(site.path(".attache/build-state"), "garbage").unwrap();
    let run = site.build().ok();
    assert!(
        !run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    assert_eq!(incremental, site.snapshot("public"));
}

#[test]
fn a_search_file_lost_from_the_output_is_written_again() {
    let site = TestSite::small();
    site.build().ok();
    let complete = site.snapshot("public");
    // The search index keeps its unchanged files as they are; removed by
    // hand, they are not unchanged, and the index is made again whole.
    let words: Vec<std::path::PathBuf> = std::fs::read_dir(site.path("public/search/words"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!words.is_empty());
    std::fs::remove_file(&words[0]).unwrap();
    let first = &common::search_packs(&site, "briefs")[0];
    std::fs::remove_file(site.path(&format!("public/{first}"))).unwrap();
    let run = site.build().ok();
    assert!(
        run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    assert_eq!(complete, site.snapshot("public"));

    // The same with an edit in between.
    let brief = std::fs::read_to_string(site.path("content/briefs/tokyo-visit.md")).unwrap();
    site.write(
        "content/briefs/tokyo-visit.md",
        &format!("{brief}\nOne more line about copper.\n"),
    );
    std::fs::remove_file(&words[0]).unwrap_or_default();
    std::fs::remove_file(site.path("public/search/index.json")).unwrap();
    site.build().ok();
    let resumed = site.snapshot("public");
    site.run(&["build", "--clean"]).ok();
    assert_eq!(resumed, site.snapshot("public"));
}

/// Sets a file's modification time.
fn set_time(path: &std::path::Path, time: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn a_resumed_build_reads_again_only_files_whose_size_or_time_changed() {
    use std::time::{Duration, UNIX_EPOCH};
    let site = TestSite::small();
    let past = UNIX_EPOCH + Duration::from_secs(946_684_800);
    for entry in walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        set_time(entry.path(), past);
    }
    site.build().ok();
    let jetro = site.path("content/agencies/jetro.md");
    let text = std::fs::read_to_string(&jetro).unwrap();
    assert!(text.contains("Japan External Trade Organization"));

    // The same size and time: the kept page is trusted, as make or rsync
    // would trust it.
    std::fs::write(
        &jetro,
        text.replace(
            "Japan External Trade Organization",
            "Japan External Trade Organizatioz",
        ),
    )
    .unwrap();
    set_time(&jetro, past);
    let run = site.build().ok();
    assert!(
        run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("agencies/jetro/index.html")
            .contains("Organization")
    );

    // Another time: read again.
    set_time(&jetro, past + Duration::from_secs(1));
    site.build().ok();
    assert!(
        site.read("agencies/jetro/index.html")
            .contains("Organizatioz")
    );
}

#[test]
fn a_file_changed_just_before_a_build_is_read_again_by_the_next_one() {
    let site = TestSite::small();
    let jetro = site.path("content/agencies/jetro.md");
    let text = std::fs::read_to_string(&jetro).unwrap();
    std::fs::write(&jetro, text.replace("Organization", "Organizatiox")).unwrap();
    let time = std::fs::metadata(&jetro).unwrap().modified().unwrap();
    site.build().ok();
    assert!(
        site.read("agencies/jetro/index.html")
            .contains("Organizatiox")
    );
    // A second change within the same tick of the clock: same size, same
    // time.
    std::fs::write(&jetro, text.replace("Organization", "Organizatioy")).unwrap();
    set_time(&jetro, time);
    let run = site.build().ok();
    assert!(
        run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("agencies/jetro/index.html")
            .contains("Organizatioy")
    );
}

#[test]
fn a_state_without_its_body_gives_a_full_build_and_old_bodies_go() {
    let site = TestSite::small();
    site.build().ok();
    // A body is several files, one per section: `body-<id>.<n>`.
    let body_files = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(site.path(".attache"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("body-")
            })
            .collect()
    };
    let bodies = || -> std::collections::BTreeSet<String> {
        body_files()
            .iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.split('.').next().unwrap().to_string()
            })
            .collect()
    };
    assert_eq!(bodies().len(), 1);
    let before = site.snapshot("public");
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO, renamed\"\n+++\n",
    );
    site.build().ok();
    // The new body replaced the old one.
    assert_eq!(bodies().len(), 1);
    assert_ne!(before, site.snapshot("public"));

    // A killed build may leave a body no header names; a header whose body
    // is gone is not trusted.
    // (Only names attache gives its bodies are removed: `body-notes.txt`
    // is someone else's.)
    std::fs::write(site.path(".attache/body-18f3a0-4d2.0"), "half written").unwrap();
    std::fs::write(site.path(".attache/body-notes.txt"), "mine").unwrap();
    for file in body_files() {
        if !file.ends_with("body-18f3a0-4d2.0") && !file.ends_with("body-notes.txt") {
            std::fs::remove_file(file).unwrap();
        }
    }
    site.write("content/agencies/jetro.md", "+++\ntitle = \"JETRO\"\n+++\n");
    let run = site.build().ok();
    assert!(
        !run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    assert!(site.read("agencies/jetro/index.html").contains("JETRO"));
    assert!(!site.read("agencies/jetro/index.html").contains("renamed"));
    assert!(!site.path(".attache/body-18f3a0-4d2.0").exists());
    assert!(site.path(".attache/body-notes.txt").exists());
    std::fs::remove_file(site.path(".attache/body-notes.txt")).unwrap();
    assert_eq!(bodies().len(), 1, "{:?}", bodies());
}

#[test]
fn a_search_shard_gone_from_the_state_gives_a_full_build() {
    let site = TestSite::small();
    site.build().ok();
    // The search entries' shards are read when an entry is first used,
    // long after the build began: one that is gone by then (another
    // build of the site removed it) must not leave its entries empty.
    // They are told from the pages' shards by what they hold (once
    // uncompressed): pages keep their file's path, entries their
    // document's URL.
    let mut removed = 0;
    for entry in std::fs::read_dir(site.path(".attache")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let file = std::fs::read(entry.path()).unwrap();
        let bytes = zstd::decode_all(&file[..]).unwrap_or_default();
        let holds = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
        if name.starts_with("shard-") && !holds("content/") && holds("\"url\"") {
            std::fs::remove_file(entry.path()).unwrap();
            removed += 1;
        }
    }
    assert!(removed > 0);
    let brief = std::fs::read_to_string(site.path("content/briefs/tokyo-visit.md")).unwrap();
    site.write(
        "content/briefs/tokyo-visit.md",
        &format!("{brief}\nOne more line about molybdenum.\n"),
    );
    let run = site.build().ok();
    assert!(
        !run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    let built = site.snapshot("public");
    assert!(site.read("search/index.json").contains("\"chunks\""));
    site.run(&["build", "--clean"]).ok();
    assert_eq!(built, site.snapshot("public"));
    // And the state it kept is whole again.
    site.write(
        "content/briefs/tokyo-visit.md",
        &format!("{brief}\nOne more line about tungsten.\n"),
    );
    let run = site.build().ok();
    assert!(
        run.stderr.contains("from the last build's state"),
        "{}",
        run.stderr
    );
    let built = site.snapshot("public");
    site.run(&["build", "--clean"]).ok();
    assert_eq!(built, site.snapshot("public"));
}

#[test]
fn an_edit_rewrites_only_the_shards_of_its_page() {
    let site = TestSite::new();
    for n in 0..700 {
        site.write(
            &format!("content/briefs/b{n:03}.md"),
            &format!(
                "+++\ntitle = \"Brief {n}\"\ndate = 2025-01-01\n+++\nCopper and cotton, word{n}.\n"
            ),
        );
    }
    site.build().ok();
    let shards = || -> std::collections::BTreeSet<String> {
        std::fs::read_dir(site.path(".attache"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("shard-"))
            .collect()
    };
    let first = shards();
    // 700 pages and more (the briefs list's pages): three shards of
    // pages and three of search entries at least.
    assert!(first.len() >= 6, "{first:?}");
    site.build().ok();
    assert_eq!(shards(), first, "nothing changed, nothing written");

    site.write(
        "content/briefs/b350.md",
        "+++\ntitle = \"Brief 350\"\ndate = 2025-01-01\n+++\nCopper, cotton and rice.\n",
    );
    site.build().ok();
    let second = shards();
    assert_eq!(second.len(), first.len(), "the replaced shards go");
    let new = second.difference(&first).count();
    // The page's shard of pages and its shard of search entries.
    assert_eq!(new, 2, "{new} shards written again");
    assert!(site.read("briefs/b350/index.html").contains("rice"));
}
