use super::*;
use crate::config::CONFIG_FILE;

fn config() -> Config {
    Config::parse(SourceFile::new(
        CONFIG_FILE,
        "title = \"T\"\nbase_url = \"https://e.org/\"\n",
    ))
    .unwrap()
}

fn check(kind: &str, text: &str) -> Result<Fields, Vec<Diagnostic>> {
    let config = config();
    let file = SourceFile::new(format!("content/{kind}/x.md"), text);
    let split = super::super::frontmatter::split(file.text()).unwrap();
    let checker = Checker {
        file: &file,
        config: &config,
        set: FieldSet::Page(config.kind(kind).unwrap()),
        offset: split.front_offset,
        open: split.open.clone(),
    };
    checker.check(split.front)
}

#[test]
fn a_full_brief_is_read() {
    let f = check(
        "briefs",
        "+++\ntitle = \"A\"\ndate = 2025-06-10\nagencies = [\"jica\", \"jetro\", \"jica\"]\n\
         sectors = [\"minerals\"]\nsource = { name = \"N\", url = \"https://n\" }\n\
         [extra]\nscore = 3\n+++\nBody",
    )
    .unwrap();
    assert_eq!(f.title, "A");
    assert_eq!(f.date.unwrap().into_inner().to_string(), "2025-06-10");
    let refs: Vec<_> = f
        .refs
        .iter()
        .map(|r| format!("{}/{}", r.kind, r.slug))
        .collect();
    assert_eq!(
        refs,
        ["agencies/jica", "agencies/jetro", "sectors/minerals"]
    );
    assert_eq!(f.sources[0].name.as_deref(), Some("N"));
    assert_eq!(f.extra["score"].as_integer(), Some(3));
}

#[test]
fn reference_spans_point_at_the_slug() {
    let text = "+++\ntitle = \"A\"\ndate = 2025-06-10\nagencies = [\"jica\"]\n+++\n";
    let f = check("briefs", text).unwrap();
    assert_eq!(&text[f.refs[0].span.clone()], "\"jica\"");
}

#[test]
fn every_bad_field_is_reported() {
    let errors = check(
        "briefs",
        "+++\ntitle = 3\ndate = \"someday\"\nagencise = [\"jica\"]\ndraft = \"yes\"\n+++\n",
    )
    .unwrap_err();
    let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`title` must be a string",
            "bad `date`: `someday` is not a date; write 2025-06-10, 2025-06-10T10:00:00+09:00, or \"2025-12\" for a month",
            "unknown field `agencise`",
            "`draft` must be true or false",
        ]
    );
    assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    assert!(
        errors[2]
            .hint
            .as_ref()
            .unwrap()
            .starts_with("did you mean `agencies`?")
    );
}

#[test]
fn an_end_before_the_date_is_an_error_at_the_end() {
    let text = "+++\ntitle = \"M\"\ndate = 2025-06-10T10:00:00+09:00\nend = 2025-06-10T09:00:00+09:00\n+++\n";
    let e = check("meetings", text).unwrap_err();
    assert_eq!(e[0].message, "`end` is before `date`");
    assert_eq!(e[0].location.as_ref().unwrap().line, 4);
    // The same moment written in another offset is not before.
    let ok = "+++\ntitle = \"M\"\ndate = 2025-06-10T10:00:00+09:00\nend = 2025-06-10T02:00:00+00:00\n+++\n";
    assert!(check("meetings", ok).is_ok());
}

#[test]
fn missing_title_and_date_point_at_the_opening_line() {
    let errors = check("meetings", "\n+++\nlocation = \"Tokyo\"\n+++\n").unwrap_err();
    assert_eq!(errors.len(), 2);
    for e in &errors {
        let loc = e.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 1));
    }
}

#[test]
fn kind_specific_fields_belong_to_their_kind() {
    assert!(check("agencies", "+++\ntitle = \"A\"\nshort = \"JICA\"\n+++\n").is_ok());
    let e = check(
        "briefs",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nshort = \"X\"\n+++\n",
    )
    .unwrap_err();
    assert_eq!(e[0].message, "unknown field `short`");
    assert!(
        check(
            "sectors",
            "+++\ntitle = \"A\"\nparent = \"minerals\"\n+++\n"
        )
        .is_ok()
    );
}

#[test]
fn toml_syntax_errors_are_located_in_the_file() {
    let e = check("briefs", "+++\ntitle = \"A\ndate = 2025-06-10\n+++\n").unwrap_err();
    assert!(e[0].message.starts_with("invalid TOML"), "{}", e[0].message);
    assert_eq!(e[0].location.as_ref().unwrap().line, 2);
}

#[test]
fn bad_slugs_get_a_slugified_hint() {
    let e = check(
        "agencies",
        "+++\ntitle = \"A\"\nslug = \"My Agency\"\n+++\n",
    )
    .unwrap_err();
    assert_eq!(e[0].hint.as_deref(), Some("write slug = \"my-agency\""));
}
