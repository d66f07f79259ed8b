//! The default theme: pictures drawn at build time (meetings timelines,
//! sparklines of briefings, relationship maps and the home page's
//! overview, each an SVG with a title and its figures as a table or list),
//! and the page layout (breadcrumbs, facts beside the text, the pages
//! before and after).

mod common;

use common::TestSite;

/// 15 June 2025, 12:00 UTC: the build day of these tests.
const TODAY: &str = "1749988800";

fn build(site: &TestSite) {
    let out = common::attache()
        .env("SOURCE_DATE_EPOCH", TODAY)
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("run attache");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("attache.toml", common::CONFIG);
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\n+++\n",
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"Japan External Trade Organization\"\nshort = \"JETRO\"\n+++\n",
    );
    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\n+++\n",
    );
    let brief = |name: &str, date: &str, agencies: &str| {
        site.write(
            &format!("content/briefs/{name}.md"),
            &format!(
                "+++\ntitle = \"{name}\"\ndate = {date}\nagencies = [{agencies}]\nsectors = [\"copper\"]\n+++\nText.\n"
            ),
        );
    };
    brief("march-a", "2025-03-02", "\"jica\", \"jetro\"");
    brief("march-b", "2025-03-20", "\"jica\"");
    brief("may", "2025-05-05", "\"jica\", \"jetro\"");
    brief("old", "2020-01-01", "\"jica\"");
    let meeting = |name: &str, date: &str, status: &str| {
        site.write(
            &format!("content/meetings/{name}.md"),
            &format!(
                "+++\ntitle = \"{name}\"\ndate = {date}\n{status}agencies = [\"jica\"]\n+++\n"
            ),
        );
    };
    meeting("held", "2025-06-01", "");
    meeting("coming", "2025-06-20", "");
    meeting("pencilled", "\"2025-08\"", "status = \"tentative\"\n");
    meeting("called-off", "2025-07-01", "status = \"cancelled\"\n");
    site
}

#[test]
fn an_agency_page_draws_its_briefings_meetings_and_relationships() {
    let site = site();
    build(&site);
    let jica = site.read("agencies/jica/index.html");
    let section = common::section(&jica, "pictures-heading");

    // Three briefings in the two years up to the newest (the 2020 one is
    // older).
    assert!(
        section.contains(r#"aria-label="3 briefings mentioning JICA from June 2023 to May 2025""#),
        "{section}"
    );
    assert!(section.contains("<caption>Briefings mentioning JICA by month</caption>"));
    assert!(section.contains("<tr><th scope=\"row\">March 2025</th><td>2</td></tr><tr><th scope=\"row\">May 2025</th><td>1</td></tr>"), "{section}");

    // The timeline: June has one past and one upcoming meeting, August a
    // tentative one; the cancelled meeting is not drawn.
    assert!(section.contains("<title id=\"timeline-title\">Meetings with JICA by month</title>"));
    assert!(
        section.contains("3 in all from June 2024 to May 2026"),
        "{section}"
    );
    assert_eq!(
        section.matches("chart-bar chart-past").count(),
        1,
        "{section}"
    );
    assert_eq!(section.matches("chart-bar chart-upcoming").count(), 1);
    assert_eq!(section.matches("chart-bar chart-tentative").count(), 1);
    assert!(section.contains("class=\"chart-now\""));
    assert!(
        section.contains("<tr><th scope=\"row\">June 2025</th><td>1</td><td>1</td><td>0</td></tr>"),
        "{section}"
    );
    assert!(
        section
            .contains("<tr><th scope=\"row\">August 2025</th><td>0</td><td>0</td><td>1</td></tr>")
    );

    // The map: copper is in all four briefings, JETRO in two, each linked.
    assert!(section.contains("<title id=\"map-title\">Mentioned with JICA</title>"));
    assert!(
        section.contains(r#"<a href="/sectors/copper/"><title>Copper: 4</title>"#),
        "{section}"
    );
    assert!(section.contains(
        r#"<a href="/agencies/jetro/"><title>Japan External Trade Organization: 2</title>"#
    ));
    assert!(section.contains(r#"<li><a href="/sectors/copper/">Copper</a> (4)</li><li><a href="/agencies/jetro/">Japan External Trade Organization</a> (2)</li>"#));
    assert!(
        !section.contains(r#"href="/agencies/jica/""#),
        "not linked to itself"
    );
}

#[test]
fn lists_the_home_page_and_the_meetings_list_have_their_pictures() {
    let site = site();
    build(&site);
    let agencies = site.read("agencies/index.html");
    assert!(
        agencies
            .contains(r#"aria-label="2 briefings mentioning JETRO from June 2023 to May 2025""#),
        "{agencies}"
    );
    let meetings = site.read("meetings/index.html");
    assert!(meetings.contains("<title id=\"timeline-title\">Meetings by month</title>"));
    let home = site.read("index.html");
    let overview = common::section(&home, "overview-heading");
    assert!(overview.contains("<title id=\"overview-title\">Briefings by month</title>"));
    assert!(
        overview.contains("3 in all from June 2023 to May 2025"),
        "{overview}"
    );
    // JICA is in three recent briefings, JETRO in two.
    let jica = overview.find(">JICA</a>").expect("JICA listed");
    let jetro = overview.find(">JETRO</a>").expect("JETRO listed");
    assert!(jica < jetro);
    assert!(overview.contains(">Copper</a> <span class=\"count\">3</span>"));
    // A brief is not pictured.
    let brief = site.read("briefs/may/index.html");
    assert!(!brief.contains("pictures-heading"));
    assert!(!brief.contains("<svg"));
}

#[test]
fn a_site_without_recent_activity_draws_nothing_empty() {
    let site = TestSite::new();
    site.write("attache.toml", common::CONFIG);
    site.write("content/agencies/jica.md", "+++\ntitle = \"JICA\"\n+++\n");
    build(&site);
    let jica = site.read("agencies/jica/index.html");
    assert!(!jica.contains("pictures-heading"), "{jica}");
    assert!(!site.read("index.html").contains("overview-heading"));
}

#[test]
fn a_page_has_breadcrumbs_facts_first_and_its_neighbours_in_the_list() {
    let site = site();
    build(&site);
    let may = site.read("briefs/may/index.html");
    let main = common::main_of(&may);
    assert!(
        main.contains(r#"<ol><li><a href="/">Test Desk</a></li><li><a href="/briefs/">Briefings</a></li><li aria-current="page">may</li></ol>"#),
        "{main}"
    );
    // Facts, then the text, then what it mentions.
    let facts = main.find("class=\"page-facts\"").expect("facts");
    let text = main.find("class=\"content\"").expect("text");
    let refs = main.find("id=\"references-heading\"").expect("references");
    assert!(facts < text && text < refs);
    // Newest first: "may" is the newest, so it has no newer brief and the
    // next older is march-b.
    assert!(!main.contains("rel=\"prev\""), "{main}");
    assert!(
        main.contains(r#"<a class="pager-after" rel="next" href="/briefs/march-b/"><span class="pager-label">Older →</span> march-b</a>"#),
        "{main}"
    );
    let march = site.read("briefs/march-b/index.html");
    assert!(march.contains(r#"<a class="pager-before" rel="prev" href="/briefs/may/"><span class="pager-label">← Newer</span> may</a>"#));
    assert!(march.contains(r#"rel="next" href="/briefs/march-a/""#));
    // Agencies go by title: previous and next.
    let jetro = site.read("agencies/jetro/index.html");
    assert!(jetro.contains(r#"<a class="pager-after" rel="next" href="/agencies/jica/"><span class="pager-label">Next →</span>"#), "{jetro}");
    // A subsector's breadcrumbs go through its parent.
    site.write(
        "content/sectors/minerals.md",
        "+++\ntitle = \"Minerals\"\n+++\n",
    );
    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\nparent = \"minerals\"\n+++\n",
    );
    build(&site);
    let copper = site.read("sectors/copper/index.html");
    assert!(copper.contains(r#"<li><a href="/sectors/">Sectors</a></li><li><a href="/sectors/minerals/">Minerals</a></li><li aria-current="page">Copper</li>"#), "{copper}");
}

#[test]
fn a_timeline_moves_to_meetings_far_from_the_build_day() {
    let site = TestSite::new();
    site.write("attache.toml", common::CONFIG);
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\n+++\n",
    );
    // One visit, two years before the build day (15 June 2025).
    site.write(
        "content/meetings/visit.md",
        "+++\ntitle = \"Visit\"\ndate = 2023-03-10\nagencies = [\"jica\"]\n+++\n",
    );
    build(&site);
    for page in ["agencies/jica/index.html", "meetings/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains("id=\"timeline-title\""),
            "{page}: no timeline"
        );
        // It ends at the visit's month, with the visit in it.
        let table = &html[html.find("<table class=\"chart-table\">").expect("a table")..];
        let table = &table[..table.find("</table>").unwrap()];
        assert!(
            table.contains("March 2023") || table.contains("Mar 2023"),
            "{page}: {table}"
        );
    }
}
