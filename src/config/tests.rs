use super::*;

fn parse(text: &str) -> Result<Config, Diagnostics> {
    Config::parse(SourceFile::new(CONFIG_FILE, text))
}

#[test]
fn defaults_give_the_seven_builtin_kinds() {
    let c = parse("title = \"T\"\nbase_url = \"https://example.org/\"\n").unwrap();
    let names: Vec<_> = c.kind_names().collect();
    assert_eq!(
        names,
        [
            "briefs",
            "meetings",
            "agencies",
            "sectors",
            "people",
            "countries",
            "asks"
        ]
    );
    assert_eq!(c.kind("briefs").unwrap().sort_by, SortBy::Date);
    assert!(c.kind("sectors").unwrap().tree);
    // People and countries are named, not written about: quiet stubs.
    for name in ["people", "countries"] {
        let k = c.kind(name).unwrap();
        assert!(
            k.stubs && !k.stub_warnings && k.feed && k.calendar,
            "{name}"
        );
    }
    assert_eq!(c.related.weight_of(c.kind("countries").unwrap()), 0.25);
}

#[test]
fn declared_kinds_add_to_and_configure_the_builtins() {
    let c = parse(
            "title = \"T\"\nbase_url = \"https://example.org/\"\n\
             [kinds.people]\nstub_warnings = true\n[kinds.visits]\n[kinds.briefs]\npaginate_by = 3\n",
        )
        .unwrap();
    let names: Vec<_> = c.kind_names().collect();
    assert_eq!(
        names,
        [
            "briefs",
            "meetings",
            "agencies",
            "sectors",
            "people",
            "countries",
            "asks",
            "visits"
        ]
    );
    let people = c.kind("people").unwrap();
    assert!(people.stubs && people.stub_warnings);
    assert_eq!(people.title, "People");
    assert_eq!(c.kind("briefs").unwrap().paginate_by, 3);
}

#[test]
fn kinds_cannot_take_a_field_name() {
    let e = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[kinds.title]\n").unwrap_err();
    assert!(
        e.iter()
            .next()
            .unwrap()
            .message
            .contains("`title` cannot be a kind name")
    );
    assert!(parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[kinds.people]\n").is_ok());
}

#[test]
fn a_bad_base_url_is_located() {
    let e = parse("title = \"T\"\nbase_url = \"example.org\"\n").unwrap_err();
    let text = e.iter().next().unwrap().render(false);
    assert!(text.contains("attache.toml:2:12"), "{text}");
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let e =
        parse("title = \"T\"\nbase_url = \"https://e.org/\"\ndescripton = \"x\"\n").unwrap_err();
    let d = e.iter().next().unwrap();
    assert_eq!(d.hint.as_deref(), Some("did you mean `description`?"));
    assert_eq!(d.location.as_ref().unwrap().line, 3);
}

#[test]
fn labels_fill_in_the_name() {
    let c = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n").unwrap();
    let meetings = c.kind("meetings").unwrap();
    assert_eq!(
        meetings.mentions_label("agencies", "Japan International Cooperation Agency", "JICA"),
        "Meetings JICA attended"
    );
    assert_eq!(
        meetings.mentions_label("sectors", "Minerals", "Minerals"),
        "Meetings on Minerals"
    );
}

#[test]
fn a_wrong_type_is_said_in_a_writers_words() {
    let e = parse("title = \"T\"\nbase_url = \"https://example.org/\"\n[home]\nbriefs = \"ten\"\n")
        .unwrap_err();
    let message = &e.iter().next().unwrap().message;
    assert!(message.contains("expected a whole number"), "{message}");
    assert!(!message.contains("usize"), "{message}");
}

#[test]
fn tags_can_be_a_kind() {
    // A site moved over from Zola or Hugo keeps its taxonomy's URLs.
    let c = parse("title = \"T\"\nbase_url = \"https://example.org/\"\n[kinds.tags]\ntitle = \"Tags\"\nstubs = true\n")
        .unwrap();
    assert!(c.kind("tags").is_some());
}
