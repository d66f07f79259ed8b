//! What a writer trips over on the first day: each bug found by trying
//! attache as a new user, with a test that failed before its fix.

mod common;
use common::TestSite;

#[test]
fn a_brief_without_summary_shows_its_first_paragraph_once() {
    let site = TestSite::new();
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2025-07-17\n+++\n\nThe first paragraph.\n\nThe second.\n",
    );
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    // Once in the body (and in the description tags), not as a lede.
    assert_eq!(
        html.matches("<p>The first paragraph.</p>").count(),
        1,
        "{html}"
    );
    assert!(!html.contains("class=\"lede\""), "{html}");

    // A summary given is the lede, and the body keeps its own text.
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2025-07-17\nsummary = \"In short.\"\n+++\n\nThe first paragraph.\n",
    );
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    assert!(html.contains("<p class=\"lede\">In short.</p>"), "{html}");
}

#[test]
fn people_and_countries_are_pages_titled_as_written() {
    let site = TestSite::new();
    site.write(
        "content/meetings/m.md",
        "+++\ntitle = \"Talks\"\ndate = 2025-07-15\npeople = [\"Jam Kamal\", \"HARA Shohei\", \"Nguyễn Hồng Diên\"]\ncountries = [\"Viet Nam\"]\n+++\n",
    );
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2025-07-17\ncountries = [\"Japan\", \"Viet Nam\"]\npeople = [\"Jam Kamal\"]\n+++\nText.\n",
    );
    let run = site.build().ok();
    // Names are expected to be stubs: no warning for each.
    assert!(!run.stderr.contains("stub"), "{}", run.stderr);

    for (path, title) in [
        ("people/jam-kamal/index.html", "Jam Kamal"),
        ("people/hara-shohei/index.html", "HARA Shohei"),
        ("people/nguyen-hong-dien/index.html", "Nguyễn Hồng Diên"),
        ("countries/viet-nam/index.html", "Viet Nam"),
        ("countries/japan/index.html", "Japan"),
    ] {
        let html = site.read(path);
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{path}: {html}"
        );
    }
    let jam = site.read("people/jam-kamal/index.html");
    assert!(jam.contains("Meetings with Jam Kamal"), "{jam}");
    assert!(jam.contains("Briefings mentioning Jam Kamal"), "{jam}");
    assert!(jam.contains(r#"href="/meetings/m/""#) && jam.contains(r#"href="/briefs/b/""#));
    // Each has a feed of the briefings that name it, linked on its page
    // as an agency's are.
    assert!(
        site.read("countries/viet-nam/atom.xml")
            .contains("/briefs/b/")
    );
    assert!(
        jam.contains(r#"<p class="subscribe">Follow Jam Kamal:"#),
        "{jam}"
    );
    assert!(
        jam.contains(r#"<a href="https://example.org/people/jam-kamal/atom.xml">"#),
        "{jam}"
    );
    let country = site.read("countries/viet-nam/index.html");
    assert!(
        country.contains(r#"<a href="https://example.org/countries/viet-nam/atom.xml">"#),
        "{country}"
    );

    // The meeting's People row links each name to its page.
    let meeting = site.read("meetings/m/index.html");
    assert!(
        meeting.contains(r#"<li><a href="/people/hara-shohei/">HARA Shohei</a></li>"#),
        "{meeting}"
    );
    let brief = site.read("briefs/b/index.html");
    assert!(
        brief.contains(r#"<a href="/countries/japan/">Japan</a>"#),
        "{brief}"
    );

    // A file for a person gives the page; the name still finds it.
    site.write(
        "content/people/jam-kamal.md",
        "+++\ntitle = \"Jam Kamal\"\nsummary = \"Commerce Minister.\"\n+++\nPakistan's Commerce Minister.\n",
    );
    site.build().ok();
    let jam = site.read("people/jam-kamal/index.html");
    assert!(jam.contains("Pakistan’s Commerce Minister."), "{jam}");
    assert!(!jam.contains("There is no page for"), "{jam}");
}

#[test]
fn a_stub_takes_the_name_as_first_written_and_follows_it() {
    let site = TestSite::new();
    site.write(
        "content/meetings/b.md",
        "+++\ntitle = \"B\"\ndate = 2025-07-15\npeople = [\"Jam KAMAL\"]\n+++\n",
    );
    site.write(
        "content/meetings/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-07-15\npeople = [\"Jam Kamal\"]\n+++\n",
    );
    site.build().ok();
    // Files in path order: a.md mentions it first.
    assert!(
        site.read("people/jam-kamal/index.html")
            .contains("<h1>Jam Kamal</h1>")
    );
    site.remove("content/meetings/a.md");
    site.build().ok();
    assert!(
        site.read("people/jam-kamal/index.html")
            .contains("<h1>Jam KAMAL</h1>")
    );
}

#[test]
fn pagination_labels_follow_the_sort() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[kinds.agencies]\npaginate_by = 2\n[kinds.briefs]\npaginate_by = 1\n",
            common::CONFIG
        ),
    );
    for name in ["a", "b", "c"] {
        site.write(
            &format!("content/agencies/{name}.md"),
            &format!("+++\ntitle = \"{name}\"\n+++\n"),
        );
        site.write(
            &format!("content/briefs/{name}.md"),
            &format!(
                "+++\ntitle = \"{name}\"\ndate = 2025-01-0{}\n+++\n",
                name.len()
            ),
        );
    }
    site.build().ok();
    let agencies = site.read("agencies/index.html");
    assert!(agencies.contains(">Next →</a>"), "{agencies}");
    assert!(!agencies.contains("Older"), "{agencies}");
    assert!(
        site.read("agencies/page/2/index.html")
            .contains(">← Previous</a>")
    );
    let briefs = site.read("briefs/index.html");
    assert!(briefs.contains(">Older →</a>"), "{briefs}");
    assert!(
        site.read("briefs/archive/2/index.html")
            .contains(">← Newer</a>")
    );
}

/// Runs `attache build` with the build day fixed by SOURCE_DATE_EPOCH.
fn build_on(site: &TestSite, epoch: u64) -> common::Run {
    common::attache()
        .args(["build", "--root"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .unwrap()
        .into()
}

/// 2025-12-15T00:00:00Z.
const DEC_15: u64 = 1_765_756_800;

#[test]
fn a_meeting_without_an_end_lasts_an_hour_and_is_stamped_with_the_build_day() {
    let site = TestSite::new();
    site.write(
        "content/meetings/m.md",
        "+++\ntitle = \"Talks\"\ndate = 2030-06-10T10:00:00+09:00\n+++\n",
    );
    build_on(&site, DEC_15).ok();
    let ics = site.read("meetings/m/event.ics");
    assert!(ics.contains("DTSTART:20300610T010000Z\r\n"), "{ics}");
    assert!(ics.contains("DTEND:20300610T020000Z\r\n"), "{ics}");
    // When the calendar was made, not when the meeting is.
    assert!(ics.contains("DTSTAMP:20251215T000000Z\r\n"), "{ics}");
    assert!(ics.contains("STATUS:CONFIRMED\r\n"), "{ics}");
    let page = site.read("meetings/m/index.html");
    assert!(
        page.contains("dates=20300610T010000Z%2F20300610T020000Z"),
        "{page}"
    );
}

#[test]
fn tentative_meetings_have_a_status_and_may_have_only_a_month() {
    let site = TestSite::new();
    site.write(
        "content/meetings/dialogue.md",
        "+++\ntitle = \"Business Dialogue\"\ndate = \"2025-12\"\n+++\n",
    );
    site.write(
        "content/meetings/later.md",
        "+++\ntitle = \"Later talks\"\ndate = 2025-12-20\nstatus = \"postponed\"\n+++\n",
    );
    site.write(
        "content/meetings/off.md",
        "+++\ntitle = \"Called off\"\ndate = 2025-12-18T10:00:00Z\nstatus = \"cancelled\"\n+++\n",
    );
    site.write(
        "content/meetings/past.md",
        "+++\ntitle = \"Past talks\"\ndate = 2025-11-20\n+++\n",
    );
    build_on(&site, DEC_15).ok();

    let page = site.read("meetings/dialogue/index.html");
    assert!(page.contains(">December 2025</time>"), "{page}");
    assert!(
        page.contains(r#"<span class="status status-tentative">to be confirmed</span>"#),
        "{page}"
    );
    let ics = site.read("meetings/dialogue/event.ics");
    assert!(ics.contains("DTSTART;VALUE=DATE:20251201\r\n"), "{ics}");
    assert!(ics.contains("DTEND;VALUE=DATE:20260101\r\n"), "{ics}");
    assert!(ics.contains("STATUS:TENTATIVE\r\n"), "{ics}");
    // The page says the month, not "all day", and its Google Calendar
    // link is titled as the .ics event is.
    let page = site.read("meetings/dialogue/index.html");
    assert!(!page.contains("all day"), "{page}");
    let google = page
        .find("calendar.google.com")
        .expect("a Google Calendar link");
    let link = &page[google..page[google..].find('"').map_or(page.len(), |e| google + e)];
    assert!(link.contains("%28tentative%29"), "{link}");
    let all = site.read("meetings/calendar.ics");
    assert!(all.contains("STATUS:CANCELLED\r\n"), "{all}");
    assert!(all.contains("SUMMARY:Later talks (postponed)\r\n"), "{all}");

    // Lists say so too, and the month is upcoming until it ends, first.
    let list = site.read("meetings/index.html");
    assert!(
        list.contains(r#"<span class="status status-cancelled">cancelled</span>"#),
        "{list}"
    );
    let home = site.read("index.html");
    let upcoming = &home[home.find("Upcoming").expect("an upcoming section")..];
    let order: Vec<usize> = ["Business Dialogue", "Called off", "Later talks"]
        .iter()
        .map(|t| {
            upcoming
                .find(t)
                .unwrap_or_else(|| panic!("{t} in {upcoming}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{upcoming}");
    let upcoming = &upcoming[..upcoming.find("Recent").expect("a recent section")];
    assert!(!upcoming.contains("Past talks"), "{upcoming}");
}

#[test]
fn an_unknown_status_is_an_error_at_its_place() {
    let site = TestSite::new();
    site.write(
        "content/meetings/m.md",
        "+++\ntitle = \"Talks\"\ndate = 2025-12-01\nstatus = \"maybe\"\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown status `maybe`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/meetings/m.md:4:10"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("confirmed, tentative, postponed, cancelled"),
        "{}",
        run.stderr
    );
}

#[test]
fn titles_and_summaries_get_the_bodys_typographic_quotes() {
    let site = TestSite::new();
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"Vietnam's \\\"green\\\" deal\"\ndate = 2025-07-17\nsummary = \"Viet Nam's offer -- in short...\"\n+++\n\nViet Nam's offer.\n",
    );
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    assert!(html.contains("<h1>Vietnam’s “green” deal</h1>"), "{html}");
    assert!(html.contains("Viet Nam’s offer – in short…"), "{html}");
    assert!(html.contains("<p>Viet Nam’s offer.</p>"), "{html}");
    assert!(
        site.read("atom.xml")
            .contains("<title>Vietnam’s “green” deal</title>")
    );
}

#[test]
fn the_default_theme_has_a_favicon() {
    let site = TestSite::small();
    site.build().ok();
    assert!(site.read("favicon.svg").starts_with("<svg"));
    for page in ["index.html", "briefs/tokyo-visit/index.html", "404.html"] {
        assert!(
            site.read(page)
                .contains(r#"<link rel="icon" type="image/svg+xml" href="/favicon.svg">"#),
            "{page}"
        );
    }
}

#[test]
fn a_tag_left_open_is_reported_on_its_own_line() {
    let site = TestSite::small();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>x</p>\n{% if page.title \n<p>y</p>\n{% endif %}\n{% endblock main %}\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/page.html:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("this tag has no `%}`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_key_names_the_table_it_landed_in() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!(
            "{}[kinds.people]\ntitle = \"People\"\ncompile_sass = true\n",
            common::CONFIG
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("in [kinds.people]: unknown field `compile_sass`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("attache.toml:5:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("goes above the first [table]"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_documented_sub_path_preview_resolves_every_link() {
    // docs/publishing.md: build into <outer>/briefings, serve <outer>.
    let site = TestSite::small();
    let outer = site.path("preview");
    site.run(&[
        "build",
        "--base-url",
        "http://localhost:8000/briefings/",
        "--output",
        outer.join("briefings").to_str().unwrap(),
    ])
    .ok();
    let home = std::fs::read_to_string(outer.join("briefings/index.html")).unwrap();
    let links: Vec<&str> = home
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/'))
        .collect();
    assert!(links.len() > 10, "{links:?}");
    for href in links {
        let path = href.split('#').next().unwrap().trim_start_matches('/');
        let file = outer.join(path);
        let file = if href.ends_with('/') {
            file.join("index.html")
        } else {
            file
        };
        assert!(
            file.is_file(),
            "{href} is not served from {}",
            outer.display()
        );
    }
}

#[test]
fn briefs_name_their_sources_and_authors() {
    let site = TestSite::new();
    site.write(
        "content/briefs/b.md",
        r#"+++
title = "B"
date = 2025-07-17
authors = ["Aiko Tanaka", "Bilal Ahmed"]
source = { name = "Government statement", date = 2025-07-16 }
sources = [
  { name = "Arab News", url = "https://www.arabnews.com/node/1" },
  { name = "Dawn", url = "https://www.dawn.com/news/2" },
]
+++
Text.
"#,
    );
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    assert!(
        html.contains("<dt>By</dt><dd>Aiko Tanaka, Bilal Ahmed</dd>"),
        "{html}"
    );
    assert!(html.contains("<dt>Sources</dt>"), "{html}");
    assert!(
        html.contains(
            r#"<li>Government statement, <time datetime="2025-07-16">16 July 2025</time></li>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="https://www.dawn.com/news/2" rel="external">Dawn</a>"#),
        "{html}"
    );
    let feed = site.read("atom.xml");
    let entry = &feed[feed.find("<entry>").unwrap()..];
    assert!(
        entry.contains("<author><name>Aiko Tanaka</name></author>"),
        "{feed}"
    );
    assert!(
        entry.contains("<author><name>Bilal Ahmed</name></author>"),
        "{feed}"
    );
    // The first file of documents holds the first documents (a place
    // with no document is null).
    let first = &common::search_packs(&site, "briefs")[0];
    let docs: serde_json::Value = serde_json::from_str(&site.read(first)).unwrap();
    let doc = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| !d.is_null())
        .unwrap();
    assert_eq!(doc["authors"][1], "Bilal Ahmed");

    // A bad source is an error at its place.
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2025-07-17\nsources = [{ name = \"x\", page = 3 }]\n+++\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("unknown field `sources.page`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/briefs/b.md:4:26"),
        "{}",
        run.stderr
    );
}

#[test]
fn lists_show_the_structure_with_counts() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!(
            "{}[kinds.sectors]\npaginate_by = 1\n[kinds.meetings]\npaginate_by = 1\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/meetings/dialogue.md",
        "+++\ntitle = \"Dialogue\"\ndate = \"2025-12\"\nagencies = [\"jica\"]\n+++\n",
    );
    site.write(
        "content/meetings/older.md",
        "+++\ntitle = \"Older talks\"\ndate = 2025-01-10\n+++\n",
    );
    build_on(&site, DEC_15).ok();

    // Sectors: the whole tree on one page, each with its briefings (those
    // of its subsectors included).
    let sectors = site.read("sectors/index.html");
    let tree = &sectors[sectors.find(r#"<ul class="tree">"#).expect("a tree")..];
    let minerals = tree.find(r#"href="/sectors/minerals/""#).unwrap();
    let critical = tree.find(r#"href="/sectors/critical-minerals/""#).unwrap();
    let copper = tree.find(r#"href="/sectors/copper/""#).unwrap();
    assert!(minerals < critical && critical < copper, "{tree}");
    assert!(tree[minerals..critical].contains("1 briefing"), "{tree}");
    assert!(tree[copper..].contains("1 briefing"), "{tree}");
    assert!(
        !site.exists("sectors/page/2/index.html"),
        "a tree is one page"
    );

    // Agencies: with their counts.
    let agencies = site.read("agencies/index.html");
    let jica = &agencies[agencies.find(r#"href="/agencies/jica/""#).unwrap()..];
    assert!(jica.contains("· 1 briefing · 2 meetings"), "{agencies}");

    // Meetings: upcoming first (soonest first), then the past a page at a
    // time.
    let meetings = site.read("meetings/index.html");
    let upcoming = &meetings
        [meetings.find("<h2>Upcoming</h2>").unwrap()..meetings.find("<h2>Past</h2>").unwrap()];
    assert!(upcoming.contains("Dialogue"), "{meetings}");
    let past = &meetings[meetings.find("<h2>Past</h2>").unwrap()..];
    assert!(
        past.contains("JICA talks") && !past.contains("Dialogue"),
        "{meetings}"
    );
    // Paged as an archive: the oldest past meeting on archive page 1.
    let page1 = site.read("meetings/archive/1/index.html");
    assert!(
        page1.contains("Older talks") && !page1.contains("Upcoming"),
        "{page1}"
    );
    assert!(
        !site.exists("meetings/archive/3/index.html"),
        "two past meetings, one a page"
    );
}
