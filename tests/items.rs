//! Asks and offers (docs/content.md, "Asks and offers"): what briefs and
//! meetings raise and update, checked where written, shown on their own
//! pages, on every page they name, in the list, on the home page, and out
//! of the site (data files, export, calendars, feeds, search), with what
//! a draft raises leaving no trace.

mod common;

use common::{TestSite, main_of};

/// The small site, with a brief that raises three items (one overdue,
/// one due far ahead, one done with an amount) and a later meeting that
/// updates one.
fn site() -> TestSite {
    let site = TestSite::small();
    site.write(
        "content/agencies/moc.md",
        "+++\ntitle = \"Ministry of Commerce\"\nshort = \"MoC\"\n+++\n",
    );
    site.write(
        "content/briefs/asks.md",
        r#"+++
title = "What Tokyo was asked"
date = 2025-07-17
agencies = ["moc", "jetro", "jica"]

[[offers]]
id = "pk-jv"
by = "moc"
to = ["jica", "jetro"]
what = "Joint ventures in mineral processing"
sectors = ["copper"]

[[asks]]
id = "jetro-seminars"
by = "moc"
to = "jetro"
what = "Seminars for Japanese firms"
due = "2020-01"

[[offers]]
id = "jica-support"
by = "jica"
to = "moc"
what = "Support over the years"
amount = { value = 11_000_000_000, currency = "USD", at_least = true }
status = "done"

[[asks]]
id = "later"
by = "people/Jam Kamal"
to = "jetro"
what = "Something for later"
due = "2099-06-30"
+++
Body.
"#,
    );
    site.write(
        "content/meetings/follow-up.md",
        r#"+++
title = "Follow-up with JETRO"
date = 2025-10-01T10:00:00+09:00
agencies = ["jetro"]

[[updates]]
id = "jetro-seminars"
status = "in-progress"
note = "A seminar is planned in Osaka."
+++
Notes.
"#,
    );
    site
}

#[test]
fn an_agency_page_shows_what_was_asked_of_it_what_is_overdue_and_what_came_of_it() {
    let site = site();
    site.build().ok();
    // What became of them: an Atom feed; JSON Feed only when asked for.
    assert!(site.exists("agencies/jetro/asks.xml"));
    assert!(!site.exists("agencies/jetro/asks.json"));
    let jetro = site.read("agencies/jetro/index.html");
    assert!(!jetro.contains("application/feed+json"));
    let items = common::section(&jetro, "items-heading");
    // Open first, the overdue one before the others.
    let seminars = items.find("Seminars for Japanese firms").expect("the ask");
    let later = items.find("Something for later").expect("the later ask");
    assert!(seminars < later, "{items}");
    assert!(items.contains("3 open, 1 overdue, of 3"), "{items}");
    assert!(items.contains("<h3>Received</h3>"), "{items}");
    assert!(items.contains(r#"data-status="in-progress""#), "{items}");
    assert!(items.contains(r#"class="item-overdue">overdue"#), "{items}");
    // The JV offered to JICA and JETRO, received by both.
    let jica = site.read("agencies/jica/index.html");
    let jica_items = common::section(&jica, "items-heading");
    assert!(jica_items.contains("<h3>Made</h3>"), "{jica_items}");
    assert!(jica_items.contains("Support over the years"));
    assert!(
        jica_items.contains("at least USD 11,000,000,000"),
        "{jica_items}"
    );
    // A sector shows what is in it; a person what he made.
    let copper = site.read("sectors/copper/index.html");
    assert!(common::section(&copper, "items-heading").contains("Joint ventures"));
    let kamal = site.read("people/jam-kamal/index.html");
    assert!(common::section(&kamal, "items-heading").contains("<h3>Made</h3>"));
    // The item's own page: its history, raised then updated, by date.
    let item = site.read("asks/jetro-seminars/index.html");
    let main = main_of(&item);
    let raised = main.find("What Tokyo was asked").expect("raised in");
    let updated = main.find("Follow-up with JETRO").expect("updated in");
    assert!(raised < updated, "{main}");
    assert!(main.contains("A seminar is planned in Osaka."));
    assert!(main.contains("<svg class=\"chart chart-item\""), "{main}");
    // One picture, whole: its title once, its element closed.
    assert_eq!(main.matches("<svg").count(), 1, "{main}");
    assert_eq!(main.matches("</svg>").count(), 1, "{main}");
    assert_eq!(main.matches("id=\"item-jetro-seminars-title\"").count(), 1);
    assert!(main.contains("status-in-progress"));
    // The brief and the meeting say what they raised and updated.
    let brief = site.read("briefs/asks/index.html");
    assert!(common::section(&brief, "items-heading").contains("<h3>Raised here</h3>"));
    let meeting = site.read("meetings/follow-up/index.html");
    assert!(common::section(&meeting, "items-heading").contains("<h3>Updated here</h3>"));
    // The list, with what its filters offer; the home page's counts.
    let list = site.read("asks/index.html");
    assert!(
        list.contains(r#"<option value="agencies/jetro">JETRO</option>"#),
        "{list}"
    );
    assert!(list.contains(r#"<option value="in-progress">"#));
    assert!(list.contains("items.js"));
    assert_eq!(list.matches("class=\"item-row").count(), 4);
    let home = site.read("index.html");
    assert!(
        home.contains("Asks and offers: 3 open, 1 overdue"),
        "{home}"
    );
}

#[test]
fn asks_and_offers_are_data_calendars_feeds_and_search() {
    let site = site();
    // The JSON feeds too (off by default).
    let config = std::fs::read_to_string(site.path("attache.toml")).unwrap();
    site.write("attache.toml", &format!("{config}\n[feeds]\njson = true\n"));
    site.build().ok();
    let data: serde_json::Value = serde_json::from_str(&site.read("data/asks.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/asks.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let items = data["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let seminars = items.iter().find(|i| i["id"] == "jetro-seminars").unwrap();
    assert_eq!(seminars["status"], "in-progress");
    assert_eq!(seminars["overdue"], true);
    assert_eq!(seminars["by"], "agencies/moc");
    assert_eq!(seminars["history"][1]["page"], "meetings/follow-up");
    let kamal = items.iter().find(|i| i["id"] == "later").unwrap();
    assert_eq!(kamal["by"], "people/jam-kamal");
    // The CSV, read back; the same as `attache export`.
    let csv = site.read("data/asks.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let support = rows
        .iter()
        .find(|r| &r[col("id")] == "jica-support")
        .unwrap();
    assert_eq!(&support[col("amount")], "11000000000");
    assert_eq!(&support[col("currency")], "USD");
    assert_eq!(&support[col("status")], "done");
    let export = site
        .run(&["export", "--format", "csv", "--kind", "asks"])
        .ok();
    assert_eq!(export.stdout, csv);
    let export = site
        .run(&["export", "--format", "json", "--kind", "asks"])
        .ok();
    assert_eq!(export.stdout, site.read("data/asks.json"));
    // Due dates are to-dos, with the item's status.
    let calendar = site.read("agencies/jetro/calendar.ics");
    let todo = calendar.split("BEGIN:VTODO").nth(1).expect("a to-do");
    assert!(todo.contains("DUE;VALUE=DATE:20200131"), "{todo}");
    assert!(todo.contains("STATUS:IN-PROCESS"), "{todo}");
    assert!(
        site.read("meetings/calendar.ics")
            .contains("UID:asks-later@")
    );
    // A feed of what became of JETRO's items, newest first.
    let feed = site.read("agencies/jetro/asks.xml");
    let update = feed.find("A seminar is planned").expect("the update");
    let raised = feed
        .find("Seminars for Japanese firms (raised)")
        .expect("the raising");
    assert!(update < raised, "{feed}");
    let json: serde_json::Value =
        serde_json::from_str(&site.read("agencies/jetro/asks.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    // Found by search, as pages of their kind.
    let index: String = common::search_packs(&site, "asks")
        .iter()
        .map(|file| site.read(file))
        .collect();
    assert!(index.contains("asks/jetro-seminars/"), "the search index");
}

#[test]
fn every_mistake_is_an_error_at_its_place() {
    let site = site();
    site.write(
        "content/meetings/bad.md",
        r#"+++
title = "Bad"
date = 2025-08-01

[[asks]]
id = "bad-one"
by = "jetr"
to = ["jica", "tribes/x"]
what = "x"
status = "don"
amount = { value = 3, currency = "USX" }
due = "2025-13"
sectors = ["coper"]

[[updates]]
id = "jetro-seminar"
status = "done"
+++
"#,
    );
    let run = site.build();
    assert!(!run.success());
    let err = &run.stderr;
    for (message, place) in [
        ("`tribes` is not a kind", "bad.md:8:15"),
        ("unknown status `don`", "bad.md:10:10"),
        ("unknown currency `USX`", "bad.md:11:34"),
        ("bad `asks.due`", "bad.md:12:7"),
    ] {
        let at = err
            .find(message)
            .unwrap_or_else(|| panic!("{message}: {err}"));
        assert!(err[at..].contains(place), "{message} at {place}: {err}");
    }
    // Fixed, the references are checked: each at its place, with the
    // nearest name.
    let text = std::fs::read_to_string(site.path("content/meetings/bad.md")).unwrap();
    site.write(
        "content/meetings/bad.md",
        &text
            .replace(", \"tribes/x\"", "")
            .replace("\"don\"", "\"done\"")
            .replace("USX", "USD")
            .replace("2025-13", "2025-12"),
    );
    let err = site.build().stderr;
    for (message, place, hint) in [
        (
            "unknown agency `jetr`",
            "bad.md:7:6",
            "did you mean `jetro`?",
        ),
        (
            "unknown sector `coper`",
            "bad.md:13:12",
            "did you mean `copper`?",
        ),
        (
            "unknown ask or offer `jetro-seminar`",
            "bad.md:16:6",
            "did you mean `jetro-seminars`?",
        ),
    ] {
        let at = err
            .find(message)
            .unwrap_or_else(|| panic!("{message}: {err}"));
        assert!(err[at..].contains(place), "{message} at {place}: {err}");
        assert!(err[at..].contains(hint), "{message}: {hint}: {err}");
    }
    // An id raised twice: an error at the second, naming the first.
    site.remove("content/meetings/bad.md");
    site.write(
        "content/meetings/twice.md",
        "+++\ntitle = \"Twice\"\ndate = 2025-08-01\n\n[[asks]]\nid = \"pk-jv\"\nby = \"moc\"\nto = \"jica\"\nwhat = \"Again\"\n+++\n",
    );
    let err = site.build().stderr;
    assert!(
        err.contains("duplicate id `pk-jv`: content/briefs/asks.md raised it first"),
        "{err}"
    );
    assert!(err.contains("twice.md:6:6"), "{err}");
    // `content/asks/` is not read, and says why.
    site.remove("content/meetings/twice.md");
    site.write("content/asks/x.md", "+++\ntitle = \"X\"\n+++\n");
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr.contains("are written in front matter"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_update_before_the_item_and_a_closed_item_proposed_again_are_warnings() {
    let site = site();
    site.write(
        "content/meetings/early.md",
        "+++\ntitle = \"Early\"\ndate = 2025-01-01\n\n[[updates]]\nid = \"pk-jv\"\nnote = \"Before.\"\n+++\n",
    );
    site.write(
        "content/meetings/reopened.md",
        "+++\ntitle = \"Reopened\"\ndate = 2025-09-01\n\n[[updates]]\nid = \"jica-support\"\nstatus = \"proposed\"\n+++\n",
    );
    let run = site.build();
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("update of `pk-jv` is dated before the item was raised (2025-07-17)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("early.md:6:6"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`jica-support` goes from `done` back to `proposed`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_draft_leaves_no_trace_of_an_item_only_it_raises() {
    let site = site();
    site.write(
        "content/briefs/secret.md",
        "+++\ntitle = \"Secret\"\ndate = 2025-08-01\ndraft = true\n\n[[asks]]\nid = \"secret-ask\"\nby = \"moc\"\nto = \"jetro\"\nwhat = \"Hidden ask\"\ndue = \"2020-01\"\n+++\n",
    );
    site.build().ok();
    assert!(!site.exists("asks/secret-ask/index.html"));
    for file in [
        "asks/index.html",
        "agencies/jetro/index.html",
        "agencies/jetro/calendar.ics",
        "agencies/jetro/asks.xml",
        "data/asks.json",
        "data/asks.csv",
        "meetings/calendar.ics",
    ] {
        let text = site.read(file);
        assert!(
            !text.contains("secret-ask") && !text.contains("Hidden ask"),
            "{file}"
        );
    }
    assert!(site.read("index.html").contains("3 open, 1 overdue"));
    // An update of it is an error that says it is a draft.
    site.write(
        "content/meetings/leak.md",
        "+++\ntitle = \"Leak\"\ndate = 2025-09-01\n\n[[updates]]\nid = \"secret-ask\"\nnote = \"x\"\n+++\n",
    );
    let err = site.build().stderr;
    assert!(
        err.contains("ask or offer `secret-ask` is a draft"),
        "{err}"
    );
    // With --drafts it is there.
    site.remove("content/meetings/leak.md");
    site.run(&["build", "--drafts"]).ok();
    assert!(site.exists("asks/secret-ask/index.html"));
}

#[test]
fn an_update_re_renders_the_item_its_parties_and_the_lists_and_nothing_else() {
    let site = site();
    let mut engine = attache::Engine::new(attache::SiteOptions::new(site.root())).unwrap();
    let meeting = "content/meetings/follow-up.md";
    let text = std::fs::read_to_string(site.path(meeting)).unwrap();
    site.write(meeting, &text.replace("\"in-progress\"", "\"done\""));
    let update = engine.apply(vec![site.path(meeting)]);
    let changed: Vec<&str> = update.changed.iter().map(String::as_str).collect();
    for must in [
        "asks/jetro-seminars/index.html",
        "agencies/jetro/index.html",
        "agencies/moc/index.html",
        "agencies/jetro/asks.xml",
        "agencies/jetro/calendar.ics",
        "asks/index.html",
        "index.html",
        "data/asks.json",
        "meetings/follow-up/index.html",
    ] {
        assert!(changed.contains(&must), "{must} not in {changed:#?}");
    }
    // Pages the item does not name are not touched: JICA, the other
    // items, a sector, a brief that names neither.
    for not in [
        "agencies/jica/index.html",
        "asks/pk-jv/index.html",
        "asks/jica-support/index.html",
        "sectors/copper/index.html",
        "briefs/tokyo-visit/index.html",
    ] {
        assert!(!changed.contains(&not), "{not} in {changed:#?}");
    }
}

#[test]
fn a_translation_gives_an_items_what_and_notes_in_its_language() {
    let site = site();
    let config = std::fs::read_to_string(site.path("attache.toml")).unwrap();
    site.write(
        "attache.toml",
        &format!("{config}\n[languages.ja]\ntitle = \"デスク\"\n"),
    );
    site.write(
        "content/briefs/asks.ja.md",
        "+++\ntitle = \"東京での要請\"\n\n[[asks]]\nid = \"jetro-seminars\"\nwhat = \"日本企業向けセミナー\"\n\n[[asks]]\nid = \"not-raised\"\nwhat = \"x\"\n+++\n本文。\n",
    );
    site.write(
        "content/meetings/follow-up.ja.md",
        "+++\ntitle = \"JETROとの協議\"\n\n[[updates]]\nid = \"jetro-seminars\"\nnote = \"大阪でセミナーを予定。\"\n+++\n",
    );
    site.write(
        "content/agencies/jetro.ja.md",
        "+++\ntitle = \"日本貿易振興機構\"\n+++\n",
    );
    let run = site.build().ok();
    // A translation's words for an item its page does not raise: unused,
    // said where.
    assert!(
        run.stderr
            .contains("the page this translates does not raise or update `not-raised`"),
        "{}",
        run.stderr
    );
    let item = site.read("ja/asks/jetro-seminars/index.html");
    let main = main_of(&item);
    assert!(main.contains("<h1>日本企業向けセミナー</h1>"), "{main}");
    assert!(main.contains("大阪でセミナーを予定。"), "{main}");
    assert!(!main.contains("A seminar is planned in Osaka."), "{main}");
    // The language's list has the items translated into it; its agency
    // page names the item in its words.
    let list = site.read("ja/asks/index.html");
    assert!(list.contains("日本企業向けセミナー"));
    assert_eq!(list.matches("class=\"item-row").count(), 1, "{list}");
    let jetro = site.read("ja/agencies/jetro/index.html");
    assert!(common::section(&jetro, "items-heading").contains("日本企業向けセミナー"));
    // The default language keeps its own words.
    assert!(
        site.read("asks/jetro-seminars/index.html")
            .contains("Seminars for Japanese firms")
    );
}

#[test]
fn amounts_are_summed_by_currency_and_converted_only_at_the_sites_rates() {
    let site = site();
    site.write(
        "content/briefs/yen.md",
        "+++\ntitle = \"Yen\"\ndate = 2025-08-01\n\n[[offers]]\nid = \"yen-loan\"\nby = \"jica\"\nto = \"moc\"\nwhat = \"A loan\"\namount = { value = 1_000_000, currency = \"JPY\" }\n+++\n",
    );
    site.build().ok();
    let jica = site.read("agencies/jica/index.html");
    let items = common::section(&jica, "items-heading");
    assert!(items.contains("JPY 1,000,000"), "{items}");
    assert!(items.contains("at least USD 11,000,000,000"), "{items}");
    assert!(!items.contains("item-total"), "no rates, no total: {items}");
    // With rates, a total in the site's currency beside the sums.
    let config = std::fs::read_to_string(site.path("attache.toml")).unwrap();
    site.write(
        "attache.toml",
        &format!("{config}\n[amounts]\ncurrency = \"USD\"\nrates = {{ JPY = 0.007 }}\n"),
    );
    site.build().ok();
    let jica = site.read("agencies/jica/index.html");
    let total = jica.split("class=\"item-total\"").nth(1).expect("a total");
    assert!(total.contains("at least USD 11,000,007,000"), "{total}");
    // A currency without a rate: no total rather than a wrong one.
    site.write(
        "attache.toml",
        &format!("{config}\n[amounts]\ncurrency = \"EUR\"\nrates = {{ JPY = 0.006 }}\n"),
    );
    site.build().ok();
    assert!(!site.read("agencies/jica/index.html").contains("item-total"));
    // An unknown currency in the table: an error at its place.
    site.write(
        "attache.toml",
        &format!("{config}\n[amounts]\ncurrency = \"USD\"\nrates = {{ JPX = 0.007 }}\n"),
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("unknown currency `JPX`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("attache.toml:"), "{}", run.stderr);
}

#[test]
fn attache_new_refuses_an_ask_and_says_where_it_is_written() {
    let site = site();
    let run = site.run(&["new", "asks", "Something"]);
    assert!(!run.success());
    assert!(
        run.stderr.contains("`asks` pages are not written as files"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[[asks]] or [[offers]] table"),
        "{}",
        run.stderr
    );
}
