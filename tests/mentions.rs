//! Long lists of mentions: a page shows the newest few of each kind and
//! links to the whole list, a page of it at a time, so that no page grows
//! with the site.

mod common;

use common::{TestSite, section};

/// A site with `briefs` briefs mentioning JICA, dated day 1, 2, ... of
/// March 2025, and a `[mentions]` table of `shown` and `per_page`.
fn site(briefs: usize, shown: usize, per_page: usize) -> TestSite {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[mentions]\nshown = {shown}\nper_page = {per_page}\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\n+++\nAid.\n",
    );
    for n in 1..=briefs {
        site.write(
            &format!("content/briefs/b{n}.md"),
            &format!(
                "+++\ntitle = \"Brief {n}\"\ndate = 2025-03-{n:02}\nagencies = [\"jica\"]\n+++\nText {n}.\n"
            ),
        );
    }
    site
}

/// The brief numbers linked from `html`, in order.
fn briefs_in(html: &str) -> Vec<usize> {
    html.split("href=\"/briefs/b")
        .skip(1)
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .collect()
}

#[test]
fn a_page_shows_the_newest_mentions_and_pages_through_the_rest() {
    let site = site(7, 3, 2);
    site.build().ok();
    let jica = site.read("agencies/jica/index.html");
    let group = section(&jica, "backlinks-briefs");
    assert_eq!(briefs_in(group), [7, 6, 5], "the newest three: {group}");
    assert!(
        group.contains(r#"<a href="/agencies/jica/briefs/">All 7 briefings →</a>"#),
        "{group}"
    );

    // Paged as an archive, two to a page: the list's own page, then
    // archive pages 2 and 1, which together list every brief once.
    let mut all = Vec::new();
    let mut path = "agencies/jica/briefs/".to_string();
    let mut visited = Vec::new();
    loop {
        let html = site.read(&format!("{path}index.html"));
        let main = common::main_of(&html);
        assert!(
            main.contains("<h1>Briefings mentioning JICA</h1>"),
            "{main}"
        );
        let number = path
            .strip_prefix("agencies/jica/briefs/archive/")
            .map(|n| n.trim_end_matches('/').to_string());
        let (count, title) = match &number {
            None => ("7 briefings".to_string(), String::new()),
            Some(n) => (
                format!("Archive, page {n}"),
                format!(" (archive, page {n})"),
            ),
        };
        assert!(main.contains(&count), "{main}");
        assert!(
            html.contains(&format!(
                "<title>Briefings mentioning JICA{title} · Test Desk</title>"
            )),
            "{html}"
        );
        all.extend(briefs_in(
            main.split("class=\"paginator\"").next().unwrap_or(main),
        ));
        visited.push(number);
        let Some(next) = html
            .split(r#"<a rel="next" href="/"#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            break;
        };
        path = next.to_string();
    }
    assert_eq!(all, [7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(visited, [None, Some("2".into()), Some("1".into())]);
    // Archive page 3 is there (its briefs are also on the list's own
    // page), and the numbering from the newest redirects.
    assert_eq!(
        briefs_in(common::main_of(
            &site.read("agencies/jica/briefs/archive/3/index.html")
        )),
        [6, 5]
    );
    assert!(!site.exists("agencies/jica/briefs/archive/4/index.html"));
    assert!(
        site.read("agencies/jica/briefs/page/4/index.html")
            .contains(r#"url=/agencies/jica/briefs/""#)
    );
    assert!(!site.exists("agencies/jica/briefs/page/5/index.html"));
    // The pages are lists: link previews say so.
    let first = site.read("agencies/jica/briefs/index.html");
    assert!(first.contains(r#""@type":"CollectionPage""#), "{first}");
    assert!(
        first
            .contains(r#"<link rel="canonical" href="https://example.org/agencies/jica/briefs/">"#)
    );
}

#[test]
fn a_short_list_stays_on_the_page_and_pages_go_when_the_list_shrinks() {
    let site = site(3, 3, 2);
    site.build().ok();
    let jica = site.read("agencies/jica/index.html");
    assert_eq!(briefs_in(section(&jica, "backlinks-briefs")), [3, 2, 1]);
    assert!(!jica.contains("All 3"), "no link when all are shown");
    assert!(!site.exists("agencies/jica/briefs/index.html"));

    // A fourth brief makes the list too long: its pages appear...
    site.write(
        "content/briefs/b4.md",
        "+++\ntitle = \"Brief 4\"\ndate = 2025-03-04\nagencies = [\"jica\"]\n+++\nText.\n",
    );
    site.build().ok();
    assert_eq!(
        briefs_in(common::main_of(
            &site.read("agencies/jica/briefs/archive/1/index.html")
        )),
        [2, 1]
    );
    // ...and go again with it.
    site.remove("content/briefs/b4.md");
    site.build().ok();
    assert!(!site.exists("agencies/jica/briefs/index.html"));
    assert!(!site.exists("agencies/jica/briefs/page/2/index.html"));
    assert!(!site.exists("agencies/jica/briefs/archive/1/index.html"));
}

#[test]
fn a_sector_pages_through_what_mentions_it_or_its_subsectors_in_date_order() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{}[mentions]\nshown = 1\nper_page = 10\n", common::CONFIG),
    );
    site.write(
        "content/sectors/minerals.md",
        "+++\ntitle = \"Minerals\"\n+++\n",
    );
    site.write(
        "content/sectors/copper.md",
        "+++\ntitle = \"Copper\"\nparent = \"minerals\"\n+++\n",
    );
    // Odd days mention the subsector, even days the sector itself.
    for n in 1..=6 {
        let sector = if n % 2 == 1 { "copper" } else { "minerals" };
        site.write(
            &format!("content/briefs/b{n}.md"),
            &format!("+++\ntitle = \"Brief {n}\"\ndate = 2025-03-{n:02}\nsectors = [\"{sector}\"]\n+++\nText.\n"),
        );
    }
    site.build().ok();
    let minerals = site.read("sectors/minerals/index.html");
    assert_eq!(briefs_in(section(&minerals, "backlinks-briefs")), [6]);
    assert!(minerals.contains(r#"href="/sectors/minerals/briefs/">All 6 briefings"#));
    let all = site.read("sectors/minerals/briefs/index.html");
    assert_eq!(briefs_in(common::main_of(&all)), [6, 5, 4, 3, 2, 1]);
    assert!(all.contains("<h1>Briefings mentioning Minerals</h1>"));
    let copper = site.read("sectors/copper/briefs/index.html");
    assert_eq!(briefs_in(common::main_of(&copper)), [5, 3, 1]);
}

#[test]
fn mentions_settings_must_be_at_least_one() {
    let site = site(1, 3, 2);
    site.write(
        "attache.toml",
        &format!("{}[mentions]\nshown = 0\n", common::CONFIG),
    );
    let run = site.build();
    assert!(!run.success());
    assert!(run.stderr.contains("must be at least 1"), "{}", run.stderr);
    assert!(run.stderr.contains("attache.toml:4:9"), "{}", run.stderr);
}

#[test]
fn a_theme_without_a_mentions_template_is_told_what_to_add() {
    let site = site(3, 1, 10);
    site.write(
        "attache.toml",
        &format!(
            "{}theme = \"plain\"\n[mentions]\nshown = 1\n",
            common::CONFIG
        ),
    );
    for name in [
        "index.html",
        "page.html",
        "list.html",
        "404.html",
        "search.html",
    ] {
        site.write(
            &format!("themes/plain/templates/{name}"),
            "{{ current_url }}",
        );
    }
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr
            .contains("no `mentions.html` template for the briefs mentioning agencies/jica"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("add templates/mentions.html"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("index.html"), "a failed build writes nothing");
}
