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
    assert_eq!(html.matches("The first paragraph.").count(), 2, "{html}");
    // Once in the body, and once in the description meta tag; no lede.
    assert!(!html.contains("class=\"lede\""), "{html}");
    assert!(html.contains("<p>The first paragraph.</p>"), "{html}");

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
    // Each has a feed of the briefings that name it.
    assert!(
        site.read("countries/viet-nam/atom.xml")
            .contains("/briefs/b/")
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
