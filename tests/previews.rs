//! Link previews: Open Graph and Twitter card tags on every page, and
//! schema.org JSON-LD checked against the properties each type needs.

mod common;
use common::TestSite;
use serde_json::Value;

/// The properties a page of each schema.org type must have here: those
/// schema.org and search engines' structured-data rules need for a rich
/// result (Event: name, startDate, location when known; Article: headline,
/// dates, author, publisher), and what identifies any thing (name, URL).
fn required(kind: &str) -> &'static [&'static str] {
    match kind {
        "NewsArticle" => &[
            "headline",
            "description",
            "datePublished",
            "dateModified",
            "author",
            "publisher",
            "mainEntityOfPage",
            "url",
        ],
        "Event" => &[
            "name",
            "startDate",
            "eventStatus",
            "eventAttendanceMode",
            "url",
        ],
        "Organization"
        | "GovernmentOrganization"
        | "Person"
        | "Country"
        | "WebSite"
        | "CollectionPage"
        | "WebPage" => &["name", "url"],
        other => panic!("unexpected type {other}"),
    }
}

/// An ISO 8601 date, month, or date and time with an offset.
fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let month = b.len() >= 7 && digits(0..4) && b[4] == b'-' && digits(5..7);
    match b.len() {
        7 => month,
        10 => month && b[7] == b'-' && digits(8..10),
        _ => {
            month
                && b.len() >= 20
                && b[10] == b'T'
                && (text.ends_with('Z') || text[19..].contains(['+', '-']))
        }
    }
}

fn check(path: &str, data: &Value) {
    assert_eq!(data["@context"], "https://schema.org", "{path}");
    let kind = data["@type"]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: no @type"));
    for property in required(kind) {
        let value = &data[*property];
        assert!(
            !value.is_null() && value != "" && value.as_array().is_none_or(|a| !a.is_empty()),
            "{path}: {kind} without `{property}`: {data}"
        );
    }
    for key in ["url"] {
        if let Some(url) = data[key].as_str() {
            assert!(
                url.starts_with("https://example.org/"),
                "{path}: {key} {url}"
            );
        }
    }
    for key in ["datePublished", "dateModified", "startDate", "endDate"] {
        if let Some(date) = data[key].as_str() {
            assert!(is_iso_date(date), "{path}: {key} {date}");
        }
    }
    match kind {
        "NewsArticle" => {
            assert!(data["headline"].as_str().unwrap().chars().count() <= 110);
            for author in data["author"].as_array().unwrap() {
                assert!(
                    matches!(author["@type"].as_str(), Some("Person" | "Organization"))
                        && author["name"].is_string(),
                    "{path}: author {author}"
                );
            }
            assert_eq!(data["publisher"]["@type"], "Organization");
            assert_eq!(data["mainEntityOfPage"]["@type"], "WebPage");
        }
        "Event" => {
            let status = data["eventStatus"].as_str().unwrap();
            assert!(
                [
                    "https://schema.org/EventScheduled",
                    "https://schema.org/EventPostponed",
                    "https://schema.org/EventCancelled",
                ]
                .contains(&status),
                "{path}: {status}"
            );
            if !data["location"].is_null() {
                assert_eq!(data["location"]["@type"], "Place", "{path}");
                assert!(
                    data["location"]["name"].is_string() && data["location"]["address"].is_string()
                );
            }
        }
        _ => {}
    }
}

/// The JSON-LD of a page, and its `<meta>` tags as (property, content).
fn previews(html: &str) -> (Value, Vec<(String, String)>) {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let data: Value = serde_json::from_str(&html[start..end]).expect("valid JSON");
    let tags = html
        .split("<meta ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let name = tag
                .split("property=\"")
                .nth(1)
                .or_else(|| tag.split("name=\"").nth(1))?
                .split('"')
                .next()?;
            let content = tag.split("content=\"").nth(1)?.split('"').next()?;
            Some((name.to_string(), content.to_string()))
        })
        .collect();
    (data, tags)
}

#[test]
fn every_page_has_link_previews_and_valid_structured_data() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}image = \"images/card.png\"\n", common::CONFIG),
    );
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\nsummary = \"Minerals pitch in Tokyo.\"\nauthors = [\"Aiko Tanaka\"]\nimage = \"https://cdn.example.org/tokyo.jpg\"\nagencies = [\"jica\"]\n+++\nText.\n",
    );
    site.write(
        "content/meetings/dialogue.md",
        "+++\ntitle = \"Dialogue\"\ndate = \"2025-12\"\nstatus = \"postponed\"\nlocation = \"Islamabad\"\npeople = [\"Jam Kamal\"]\n+++\n",
    );
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\ncountry = \"Japan\"\ngovernment = true\nwebsite = \"https://www.jica.go.jp/\"\n+++\n",
    );
    site.build().ok();

    let mut types = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") || path.ends_with("404.html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue; // an alias
        }
        let rel = path
            .strip_prefix(site.path("public"))
            .unwrap()
            .display()
            .to_string();
        let (data, tags) = previews(&html);
        check(&rel, &data);
        types.insert(data["@type"].as_str().unwrap().to_string());
        let tag = |name: &str| {
            tags.iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| c.as_str())
        };
        for name in [
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
            "twitter:card",
        ] {
            assert!(tag(name).is_some_and(|c| !c.is_empty()), "{rel}: no {name}");
        }
        assert!(
            tag("og:url").unwrap().starts_with("https://example.org/"),
            "{rel}"
        );
    }
    for expected in [
        "NewsArticle",
        "Event",
        "GovernmentOrganization",
        "Organization",
        "Person",
        "Country",
        "WebSite",
        "CollectionPage",
        "WebPage",
    ] {
        assert!(types.contains(expected), "no {expected} among {types:?}");
    }

    // The brief: its own picture, its author, a large card.
    let (data, tags) = previews(&site.read("briefs/tokyo-visit/index.html"));
    assert_eq!(data["author"][0]["name"], "Aiko Tanaka");
    assert_eq!(data["image"][0], "https://cdn.example.org/tokyo.jpg");
    assert!(tags.contains(&(
        "og:image".into(),
        "https://cdn.example.org/tokyo.jpg".into()
    )));
    assert!(tags.contains(&("twitter:card".into(), "summary_large_image".into())));
    assert!(tags.contains(&("og:type".into(), "article".into())));
    // The meeting: its status and place; the site's picture.
    let (data, tags) = previews(&site.read("meetings/dialogue/index.html"));
    assert_eq!(data["eventStatus"], "https://schema.org/EventPostponed");
    assert_eq!(data["startDate"], "2025-12");
    assert_eq!(data["location"]["name"], "Islamabad");
    assert_eq!(data["attendee"][0]["name"], "Jam Kamal");
    assert!(tags.contains(&(
        "og:image".into(),
        "https://example.org/images/card.png".into()
    )));
    let (data, _) = previews(&site.read("agencies/jica/index.html"));
    assert_eq!(data["@type"], "GovernmentOrganization");
    assert_eq!(data["alternateName"], "JICA");
    let (data, _) = previews(&site.read("index.html"));
    assert_eq!(
        data["potentialAction"]["target"]["urlTemplate"],
        "https://example.org/search/?q={search_term_string}"
    );
}

#[test]
fn structured_data_cannot_end_its_script_early() {
    let site = TestSite::new();
    site.write(
        "content/briefs/b.md",
        "+++\ntitle = \"</script><script>alert(1)</script>\"\ndate = 2025-07-17\n+++\n",
    );
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    let (data, _) = previews(&html);
    assert_eq!(data["headline"], "</script><script>alert(1)</script>");
    assert!(!html.contains("<script>alert(1)"), "{html}");
}
