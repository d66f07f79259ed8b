//! Feeds, calendars, search, aliases: parsed and checked, not just grepped.

mod common;

use std::collections::BTreeMap;

use common::TestSite;
use quick_xml::Reader;
use quick_xml::events::Event;

// ---------------------------------------------------------------- XML

/// A parsed XML element.
#[derive(Debug, Default, Clone)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    fn one(&self, name: &str) -> &Element {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "expected one <{name}> in <{}>", self.name);
        found[0]
    }

    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
}

/// Parses XML strictly (any syntax error fails the test).
fn parse_xml(text: &str) -> Element {
    let mut reader = Reader::from_str(text);
    let mut stack = vec![Element::default()];
    let element = |e: &quick_xml::events::BytesStart<'_>| {
        let mut el = Element {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            ..Element::default()
        };
        for a in e.attributes() {
            let a = a.expect("a well-formed attribute");
            let value = a
                .unescape_value()
                .expect("an escaped attribute value")
                .into_owned();
            el.attrs
                .insert(String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value);
        }
        el
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => {
                let text = t.decode().expect("text").into_owned();
                let text = quick_xml::escape::unescape(&text)
                    .expect("escaped text")
                    .into_owned();
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8(r.to_vec()).unwrap();
                let c = quick_xml::escape::unescape(&format!("&{name};"))
                    .expect("a known entity")
                    .into_owned();
                stack.last_mut().unwrap().text.push_str(&c);
            }
            Event::CData(c) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&String::from_utf8_lossy(&c)),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.remove(0)
}

/// Checks the elements RFC 4287 requires of a feed and its entries;
/// returns the entries.
fn check_atom(xml: &str, self_url: &str) -> Vec<Element> {
    let feed = parse_xml(xml);
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), "http://www.w3.org/2005/Atom");
    assert!(!feed.one("title").text.is_empty());
    assert!(!feed.one("id").text.is_empty());
    assert_rfc3339(&feed.one("updated").text);
    assert!(
        !feed.one("author").one("name").text.is_empty(),
        "a feed-level author"
    );
    let links = feed.all("link");
    let self_link = links
        .iter()
        .find(|l| l.attr("rel") == "self")
        .expect("rel=self");
    assert_eq!(self_link.attr("href"), self_url);
    assert!(
        links
            .iter()
            .any(|l| l.attr("rel") == "alternate" && l.attr("href").starts_with("https://"))
    );
    let entries: Vec<Element> = feed.all("entry").into_iter().cloned().collect();
    for entry in &entries {
        assert!(!entry.one("title").text.is_empty());
        assert!(entry.one("id").text.starts_with("https://"));
        assert_rfc3339(&entry.one("updated").text);
        let link = entry.one("link");
        assert_eq!(link.attr("rel"), "alternate");
        assert!(
            link.attr("href").starts_with("https://"),
            "absolute entry link"
        );
        assert!(!entry.one("summary").text.is_empty());
        assert_eq!(entry.one("content").attr("type"), "html");
    }
    entries
}

fn assert_rfc3339(text: &str) {
    let ok = text.len() >= 20
        && text.as_bytes()[4] == b'-'
        && text.as_bytes()[10] == b'T'
        && (text.ends_with('Z') || text[19..].starts_with('+') || text[19..].starts_with('-'));
    assert!(ok, "not an RFC 3339 date-time: {text}");
}

// ---------------------------------------------------------------- feeds

#[test]
fn the_site_feed_lists_briefs_with_absolute_links_under_the_base_path() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        "title = \"Desk\"\nbase_url = \"https://host.example/sub/\"\n",
    );
    site.write(
        "content/briefs/older.md",
        "+++\ntitle = \"Older\"\ndate = 2025-06-10T10:00:00+09:00\n+++\nSee [JICA](@/agencies/jica.md).\n",
    );
    site.build().ok();
    let entries = check_atom(&site.read("atom.xml"), "https://host.example/sub/atom.xml");
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| e.one("title").text.as_str())
        .collect();
    assert_eq!(titles, ["Tokyo visit", "Older"], "newest first");
    let older = &entries[1];
    assert_eq!(
        older.one("id").text,
        "https://host.example/sub/briefs/older/"
    );
    assert_eq!(older.one("updated").text, "2025-06-10T10:00:00+09:00");
    assert_eq!(entries[0].one("updated").text, "2025-07-17T00:00:00Z");
    // Full content, with its internal links made absolute.
    let content = &older.one("content").text;
    assert!(
        content.contains(r#"<a href="https://host.example/sub/agencies/jica/">JICA</a>"#),
        "{content}"
    );
}

#[test]
fn agencies_and_sectors_have_feeds_and_a_sector_feed_includes_subsectors() {
    let site = TestSite::small();
    site.write(
        "content/briefs/minerals-only.md",
        "+++\ntitle = \"Minerals only\"\ndate = 2025-01-01\nsectors = [\"minerals\"]\n+++\n",
    );
    site.build().ok();
    let jica = check_atom(
        &site.read("agencies/jica/atom.xml"),
        "https://example.org/agencies/jica/atom.xml",
    );
    assert_eq!(jica.len(), 1);
    assert_eq!(jica[0].one("title").text, "Tokyo visit");
    // The brief mentions copper, whose grandparent is minerals.
    let minerals = check_atom(
        &site.read("sectors/minerals/atom.xml"),
        "https://example.org/sectors/minerals/atom.xml",
    );
    let titles: Vec<&str> = minerals
        .iter()
        .map(|e| e.one("title").text.as_str())
        .collect();
    assert_eq!(titles, ["Tokyo visit", "Minerals only"]);
    let copper = check_atom(
        &site.read("sectors/copper/atom.xml"),
        "https://example.org/sectors/copper/atom.xml",
    );
    assert_eq!(copper.len(), 1);
    // Meetings have no feed of their own.
    assert!(!site.exists("meetings/jica-talks/atom.xml"));
}

#[test]
fn an_empty_feed_is_still_a_valid_feed() {
    let site = TestSite::small();
    site.build().ok();
    let jetro_feed = site.read("sectors/critical-minerals/atom.xml");
    check_atom(
        &jetro_feed,
        "https://example.org/sectors/critical-minerals/atom.xml",
    );
    site.write("content/sectors/empty.md", "+++\ntitle = \"Empty\"\n+++\n");
    site.build().ok();
    let entries = check_atom(
        &site.read("sectors/empty/atom.xml"),
        "https://example.org/sectors/empty/atom.xml",
    );
    assert!(entries.is_empty());
}

#[test]
fn pages_announce_their_feeds_in_the_head() {
    let site = TestSite::small();
    site.build().ok();
    let head = |rel: &str| {
        let html = site.read(rel);
        html[..html.find("</head>").unwrap()].to_string()
    };
    let home = head("index.html");
    assert!(home.contains(
        r#"<link rel="alternate" type="application/atom+xml" title="Test Desk: Briefings" href="https://example.org/atom.xml">"#
    ), "{home}");
    let jica = head("agencies/jica/index.html");
    assert!(jica.contains(r#"type="application/atom+xml" title="Briefings on JICA" href="https://example.org/agencies/jica/atom.xml""#), "{jica}");
    assert!(jica.contains(r#"type="text/calendar" title="Meetings with JICA" href="https://example.org/agencies/jica/calendar.ics""#), "{jica}");
    let sector = head("sectors/copper/index.html");
    assert!(sector.contains(r#"href="https://example.org/sectors/copper/atom.xml""#));
    let brief = head("briefs/tokyo-visit/index.html");
    assert!(!brief.contains("briefs/tokyo-visit/atom.xml"));
}

#[test]
fn feeds_can_be_capped_and_switched_off() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[feeds]\nlimit = 2\n[kinds.sectors]\nfeed = false\n",
            common::CONFIG
        ),
    );
    for day in 1..=4 {
        site.write(
            &format!("content/briefs/b{day}.md"),
            &format!("+++\ntitle = \"B{day}\"\ndate = 2025-01-0{day}\nsectors = [\"s\"]\n+++\n"),
        );
    }
    site.write("content/sectors/s.md", "+++\ntitle = \"S\"\n+++\n");
    site.build().ok();
    let entries = check_atom(&site.read("atom.xml"), "https://example.org/atom.xml");
    let titles: Vec<&str> = entries
        .iter()
        .map(|e| e.one("title").text.as_str())
        .collect();
    assert_eq!(titles, ["B4", "B3"]);
    assert!(!site.exists("sectors/s/atom.xml"));

    site.write(
        "attache.toml",
        &format!("{}[feeds]\nenabled = false\n", common::CONFIG),
    );
    site.build().ok();
    assert!(!site.exists("atom.xml"), "a stale feed is removed");
    assert!(
        !site
            .read("index.html")
            .contains("application/atom+xml\" title=\"Test Desk")
    );
}

// ---------------------------------------------------------------- calendars

/// Checks RFC 5545 rules on a calendar file and returns its unfolded
/// events as property maps (name with parameters → value).
fn check_ics(ics: &str) -> Vec<BTreeMap<String, String>> {
    assert!(ics.ends_with("\r\n"), "ends with CRLF");
    for line in ics.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
    }
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    let mut events = Vec::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in lines {
        match line {
            "BEGIN:VEVENT" => current = Some(BTreeMap::new()),
            "END:VEVENT" => {
                let event = current.take().expect("END:VEVENT after BEGIN:VEVENT");
                for required in ["UID", "DTSTAMP", "SUMMARY", "URL", "DESCRIPTION"] {
                    assert!(
                        event.contains_key(required),
                        "event without {required}: {event:?}"
                    );
                }
                assert!(event.keys().any(|k| k.starts_with("DTSTART")));
                events.push(event);
            }
            _ => {
                if let Some(event) = current.as_mut() {
                    let (name, value) = line.split_once(':').expect("NAME:value");
                    // Unescaped `,` or `;` in a TEXT value would be a syntax error.
                    if ["SUMMARY", "LOCATION", "DESCRIPTION"].contains(&name) {
                        let mut chars = value.chars();
                        while let Some(c) = chars.next() {
                            match c {
                                '\\' => assert!(
                                    matches!(chars.next(), Some('\\' | ';' | ',' | 'n' | 'N')),
                                    "bad escape in {value}"
                                ),
                                ';' | ',' => panic!("unescaped {c} in {name}: {value}"),
                                _ => {}
                            }
                        }
                    }
                    event.insert(name.to_string(), value.to_string());
                }
            }
        }
    }
    events
}

fn meetings_site() -> TestSite {
    let site = TestSite::small();
    site.write(
        "content/meetings/tokyo-round.md",
        "+++\ntitle = \"Tokyo round; JICA, JETRO & \\\\ more\"\ndate = 2025-06-10T10:00:00+09:00\nend = 2025-06-10T11:30:00+09:00\nlocation = \"JICA HQ, Tokyo\"\nsummary = \"Talks on minerals.\\nSecond line.\"\nagencies = [\"jica\"]\n+++\n",
    );
    site.write(
        "content/meetings/dialogue.md",
        &format!(
            "+++\ntitle = \"Business dialogue\"\ndate = 2025-12-01\nend = 2025-12-02\nsummary = \"{}\"\n+++\n",
            "A very long summary with many words, ".repeat(6)
        ),
    );
    site
}

#[test]
fn the_meetings_calendar_follows_rfc_5545() {
    let site = meetings_site();
    site.build().ok();
    let ics = site.read("meetings/calendar.ics");
    let events = check_ics(&ics);
    assert_eq!(events.len(), 3);
    let round = events
        .iter()
        .find(|e| e["SUMMARY"].starts_with("Tokyo round"))
        .unwrap();
    // 10:00 in Tokyo (+09:00) is 01:00 UTC.
    assert_eq!(round["DTSTART"], "20250610T010000Z");
    assert_eq!(round["DTEND"], "20250610T023000Z");
    assert_eq!(round["SUMMARY"], "Tokyo round\\; JICA\\, JETRO & \\\\ more");
    assert_eq!(round["LOCATION"], "JICA HQ\\, Tokyo");
    assert_eq!(
        round["DESCRIPTION"],
        "Talks on minerals.\\nSecond line.\\n\\nhttps://example.org/meetings/tokyo-round/"
    );
    assert_eq!(round["URL"], "https://example.org/meetings/tokyo-round/");
    assert_eq!(round["UID"], "meetings-tokyo-round@example.org");
    let dialogue = events
        .iter()
        .find(|e| e["SUMMARY"] == "Business dialogue")
        .unwrap();
    assert_eq!(dialogue["DTSTART;VALUE=DATE"], "20251201");
    assert_eq!(
        dialogue["DTEND;VALUE=DATE"], "20251203",
        "exclusive end: the day after"
    );
    assert!(ics.contains("\r\n "), "long lines are folded");
}

#[test]
fn calendar_uids_are_stable_across_builds() {
    let site = meetings_site();
    site.build().ok();
    let uids =
        |ics: &str| -> Vec<String> { check_ics(ics).iter().map(|e| e["UID"].clone()).collect() };
    let first = uids(&site.read("meetings/calendar.ics"));
    site.write(
        "content/meetings/another.md",
        "+++\ntitle = \"Another\"\ndate = 2026-01-01\n+++\n",
    );
    site.build().ok();
    let second = uids(&site.read("meetings/calendar.ics"));
    for uid in &first {
        assert!(second.contains(uid), "{uid} changed");
    }
    assert_eq!(second.len(), first.len() + 1);
}

#[test]
fn agencies_have_calendars_and_meetings_offer_add_to_calendar() {
    let site = meetings_site();
    site.build().ok();
    let jica = check_ics(&site.read("agencies/jica/calendar.ics"));
    let mut titles: Vec<&str> = jica.iter().map(|e| e["SUMMARY"].as_str()).collect();
    titles.sort();
    assert_eq!(
        titles,
        ["JICA talks", "Tokyo round\\; JICA\\, JETRO & \\\\ more"]
    );
    let single = check_ics(&site.read("meetings/tokyo-round/event.ics"));
    assert_eq!(single.len(), 1);
    let page = site.read("meetings/tokyo-round/index.html");
    assert!(
        page.contains(r#"<a href="/meetings/tokyo-round/event.ics" download>"#),
        "{page}"
    );
    assert!(
        page.contains(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Tokyo%20round"
        ),
        "{page}"
    );
    assert!(
        page.contains("dates=20250610T010000Z%2F20250610T023000Z"),
        "{page}"
    );
    assert!(page.contains(r#"href="webcal://example.org/meetings/calendar.ics""#));
}

#[test]
fn an_end_before_the_start_is_an_error_at_the_end() {
    let site = TestSite::new();
    site.write(
        "content/meetings/m.md",
        "+++\ntitle = \"M\"\ndate = 2025-06-10T10:00:00+09:00\nend = 2025-06-10T09:00:00+09:00\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`end` is before `date`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/meetings/m.md:4:7"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- aliases

#[test]
fn aliases_redirect_to_the_page() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        "title = \"T\"\nbase_url = \"https://host.example/sub/\"\n",
    );
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\naliases = [\"/briefs/old-name/\", \"/2025/tokyo.html\"]\n+++\n",
    );
    site.build().ok();
    for file in ["briefs/old-name/index.html", "2025/tokyo.html"] {
        let html = site.read(file);
        assert!(
            html.contains(
                r#"<meta http-equiv="refresh" content="0; url=/sub/briefs/tokyo-visit/">"#
            ),
            "{html}"
        );
        assert!(html.contains(
            r#"<link rel="canonical" href="https://host.example/sub/briefs/tokyo-visit/">"#
        ));
        assert!(html.contains(r#"<a href="/sub/briefs/tokyo-visit/">Tokyo visit</a>"#));
    }
    assert!(!site.read("sitemap.xml").contains("old-name"));
}

#[test]
fn an_alias_that_collides_with_a_page_is_an_error_at_the_alias() {
    let site = TestSite::small();
    site.build().ok();
    let before = site.snapshot("public");
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\naliases = [\"/agencies/jica/\"]\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("alias `/agencies/jica/` collides with agencies/jica"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/briefs/tokyo-visit.md:4:12"),
        "{}",
        run.stderr
    );
    assert_eq!(before, site.snapshot("public"));
}

#[test]
fn a_malformed_alias_is_an_error() {
    let site = TestSite::new();
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\naliases = [\"https://elsewhere.example/a/\"]\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad alias"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/briefs/a.md:4:12"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- search

#[test]
fn kinds_by_role_a_site_of_notes_and_visits_gets_feeds_and_calendars() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[kinds.notes]\nrole = \"entries\"\n[kinds.visits]\nrole = \"events\"\ntitle = \"Visits\"\nsingular = \"Visit\"\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/notes/n1.md",
        "+++\ntitle = \"First note\"\ndate = 2025-03-01\nlocation = \"Tokyo\"\nagencies = [\"jica\"]\n+++\nNote body.\n",
    );
    site.write(
        "content/visits/v1.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2099-03-02T10:00:00+09:00\nend = 2099-03-02T12:00:00+09:00\npeople = [\"A\"]\nagencies = [\"jica\"]\n+++\n",
    );
    site.write("content/agencies/jica.md", "+++\ntitle = \"JICA\"\n+++\n");
    site.build().ok();
    assert!(!site.exists("briefs/index.html"), "notes replace briefs");
    assert!(
        !site.exists("meetings/index.html"),
        "visits replace meetings"
    );
    assert!(site.read("atom.xml").contains("<title>First note</title>"));
    let agency_feed = site.read("agencies/jica/atom.xml");
    assert!(
        agency_feed.contains("<title>First note</title>"),
        "{agency_feed}"
    );
    let calendar = site.read("visits/calendar.ics");
    assert!(calendar.contains("SUMMARY:Tokyo visit"), "{calendar}");
    assert!(
        calendar.contains("X-WR-CALNAME:Test Desk: visits"),
        "{calendar}"
    );
    assert!(
        site.read("agencies/jica/calendar.ics")
            .contains("SUMMARY:Tokyo visit")
    );
    assert!(site.exists("visits/v1/event.ics"));
    let home = site.read("index.html");
    assert!(home.contains("Latest notes"), "{home}");
    assert!(home.contains("Upcoming visits"), "{home}");
    let agency = site.read("agencies/jica/index.html");
    assert!(agency.contains("title=\"Notes on JICA\""), "{agency}");
    assert!(agency.contains("title=\"Visits with JICA\""), "{agency}");
    // A visit is shown with the theme's template for events.
    let visit = site.read("visits/v1/index.html");
    assert!(visit.contains("this visit (.ics)"), "{visit}");
    assert!(
        site.read("visits/index.html")
            .contains("title=\"All visits\"")
    );
}

#[test]
fn two_kinds_cannot_share_a_role() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!(
            "{}[kinds.notes]\nrole = \"entries\"\n[kinds.memos]\nrole = \"entries\"\n",
            common::CONFIG
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("kinds `notes` and `memos` both have the role `entries`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("attache.toml:6:8"), "{}", run.stderr);
}
