//! Bad input: every problem is reported with its file, line and column,
//! the exit status is 1, and a failed build leaves public/ alone.

mod common;

use common::{Run, TestSite, failed_build_keeps_public};

/// One diagnostic as printed on stderr.
#[derive(Debug)]
struct Diag {
    /// `error` or `warning`.
    level: String,
    message: String,
    /// `path:line:column` from the ` --> ` line, if there is one.
    position: Option<String>,
    /// The whole block, for hints and failure messages.
    text: String,
}

/// Splits stderr into its diagnostics.
fn diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let header = ["error", "warning"]
            .into_iter()
            .find_map(|level| Some((level, line.strip_prefix(level)?.strip_prefix(": ")?)));
        if let Some((level, message)) = header {
            out.push(Diag {
                level: level.to_string(),
                message: message.to_string(),
                position: None,
                text: String::new(),
            });
        }
        if let Some(d) = out.last_mut() {
            if d.position.is_none()
                && let Some(position) = line.trim_start().strip_prefix("--> ")
            {
                d.position = Some(position.trim().to_string());
            }
            d.text.push_str(line);
            d.text.push('\n');
        }
    }
    out
}

fn errors(run: &Run) -> Vec<Diag> {
    diagnostics(&run.stderr)
        .into_iter()
        .filter(|d| d.level == "error")
        .collect()
}

/// The one error whose message starts with `message`.
fn error<'a>(errors: &'a [Diag], message: &str, run: &Run) -> &'a Diag {
    let found: Vec<&Diag> = errors
        .iter()
        .filter(|d| d.message.starts_with(message))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one error starting with {message:?}:\n{}",
        run.stderr
    );
    found[0]
}

/// Asserts that the run failed with exactly one error, starting with
/// `message`, at `position`; returns it.
fn single_error(run: &Run, message: &str, position: &str) -> Diag {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut errors = errors(run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let d = errors.remove(0);
    assert!(d.message.starts_with(message), "{}", run.stderr);
    assert_eq!(d.position.as_deref(), Some(position), "{}", run.stderr);
    d
}

const BRIEF: &str = "content/briefs/a.md";

#[test]
fn unclosed_front_matter_points_at_the_opening_line() {
    let site = TestSite::small();
    let run = failed_build_keeps_public(&site, |s| s.write(BRIEF, "+++\ntitle = \"A\"\n"));
    let d = single_error(&run, "unclosed front matter", "content/briefs/a.md:1:1");
    assert!(d.text.contains("never closed"), "{}", d.text);

    // After blank lines the opening line is further down.
    site.write(BRIEF, "\n\n+++\ntitle = \"A\"\ndate = 2025-01-01\n");
    single_error(
        &site.run(&["check"]),
        "unclosed front matter",
        "content/briefs/a.md:3:1",
    );
}

#[test]
fn invalid_toml_is_reported_on_its_line() {
    let site = TestSite::new();
    site.write(BRIEF, "+++\ntitle = \"A\ndate = 2025-01-01\n+++\nBody.\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    let d = error(&errors, "invalid TOML", &run);
    let position = d.position.as_deref().unwrap_or_default();
    assert!(
        position.starts_with("content/briefs/a.md:2:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_list_left_open_is_one_error_at_its_bracket() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nsummary = \"S\"\nlocation = \"Tokyo\"\npeople = [\"A. Person\"]\nagencies = [\"jica\"]\nsectors = [\"sez\", \"minerals\"\nmeetings = []\ncountries = [\"Japan\"]\n+++\nBody.\n",
    );
    let run = site.build();
    let d = single_error(&run, "this list is not closed", "content/briefs/a.md:8:11");
    assert!(d.text.contains("`]`"), "{}", d.text);
}

#[test]
fn a_month_written_without_quotes_is_told_to_be_quoted() {
    let site = TestSite::small();
    site.write(
        "content/meetings/m.md",
        "+++\ntitle = \"M\"\ndate = 2027-02\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let d = &errors[0];
    assert!(d.message.starts_with("invalid TOML"), "{}", run.stderr);
    let position = d.position.as_deref().unwrap_or_default();
    assert!(
        position.starts_with("content/meetings/m.md:3:"),
        "{}",
        run.stderr
    );
    assert!(d.text.contains("`date = \"2027-02\"`"), "{}", d.text);
}

#[test]
fn a_field_of_zola_or_hugo_says_what_it_is_here() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\ndescription = \"D\"\nweight = 3\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    let d = error(&errors, "unknown field `description`", &run);
    assert!(
        d.text.contains("`description` is `summary` in attache"),
        "{}",
        d.text
    );
    let d = error(&errors, "unknown field `weight`", &run);
    assert!(d.text.contains("docs/migrating.md"), "{}", d.text);
}

#[test]
fn the_fields_a_page_can_have_are_each_named_once() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\ncountres = []\n+++\n",
    );
    let run = site.build();
    let d = single_error(&run, "unknown field `countres`", "content/briefs/a.md:4:1");
    assert_eq!(d.text.matches("countries").count(), 2, "{}", d.text);
}

#[test]
fn a_missing_title_points_at_the_opening_line() {
    let site = TestSite::new();
    site.write("content/agencies/x.md", "\n+++\nshort = \"X\"\n+++\n");
    let d = single_error(
        &site.build(),
        "missing `title`",
        "content/agencies/x.md:2:1",
    );
    assert!(
        d.text.contains("this front matter has no title"),
        "{}",
        d.text
    );
}

#[test]
fn every_wrongly_typed_field_is_reported_on_its_own_line() {
    let site = TestSite::new();
    site.write(
        BRIEF,
        "+++\ntitle = 3\ndate = 2025-01-01\ndraft = \"yes\"\nagencies = \"jica\"\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    for (message, position, label) in [
        ("`title` must be a string", "2:9", "this is an integer"),
        ("`draft` must be true or false", "4:9", "this is a string"),
        (
            "`agencies` must be a list of strings",
            "5:12",
            "this is a string",
        ),
    ] {
        let d = error(&errors, message, &run);
        assert_eq!(
            d.position.as_deref(),
            Some(format!("content/briefs/a.md:{position}").as_str()),
            "{message}:\n{}",
            run.stderr
        );
        assert!(d.text.contains(label), "{}", d.text);
    }
}

#[test]
fn an_unknown_slug_in_front_matter_gets_a_suggestion() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nagencies = [\"jicaa\"]\n+++\n",
    );
    let d = single_error(
        &site.build(),
        "unknown agency `jicaa`",
        "content/briefs/a.md:4:13",
    );
    assert!(d.text.contains("help: did you mean `jica`?"), "{}", d.text);
}

#[test]
fn a_broken_inline_link_points_at_its_target() {
    let site = TestSite::small();
    // `à` is two bytes: the column counts characters.
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\n\nVoilà: [x](@/agencies/jicaa.md).\n",
    );
    let d = single_error(
        &site.build(),
        "broken link: unknown agency `jicaa`",
        "content/briefs/a.md:6:12",
    );
    assert!(d.text.contains("did you mean `jica`?"), "{}", d.text);
}

#[test]
fn a_link_to_a_missing_heading_is_a_broken_anchor() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nOne.\n\nTwo [c](@/sectors/copper.md#nope).\n",
    );
    let d = single_error(&site.build(), "broken anchor", "content/briefs/a.md:7:9");
    assert!(d.message.contains("#nope"), "{}", d.text);
    assert!(d.text.contains("#deposits"), "the hint lists the headings");
}

#[test]
fn a_link_without_a_kind_is_malformed() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\n[z](@/jica.md)\n",
    );
    let d = single_error(
        &site.build(),
        "malformed internal link",
        "content/briefs/a.md:5:5",
    );
    assert!(d.message.contains("`@/jica.md`"), "{}", d.text);
}

#[test]
fn a_cycle_of_parents_is_reported_once() {
    let site = TestSite::new();
    site.write(
        "content/sectors/a.md",
        "+++\ntitle = \"A\"\nparent = \"b\"\n+++\n",
    );
    site.write(
        "content/sectors/b.md",
        "+++\ntitle = \"B\"\nparent = \"a\"\n+++\n",
    );
    let d = single_error(
        &site.build(),
        "sectors parents form a cycle",
        "content/sectors/a.md:3:10",
    );
    assert!(d.message.contains("a → b → a"), "{}", d.text);
}

#[test]
fn a_duplicate_slug_names_both_files() {
    let site = TestSite::small();
    site.write(
        "content/agencies/z-jica.md",
        "+++\ntitle = \"Another JICA\"\nslug = \"jica\"\n+++\n",
    );
    let d = single_error(
        &site.build(),
        "duplicate slug `jica`",
        "content/agencies/z-jica.md:3:8",
    );
    assert!(
        d.message.contains("content/agencies/jica.md"),
        "the other file is named: {}",
        d.text
    );
}

#[test]
fn bad_dates_are_reported_at_the_value() {
    let site = TestSite::new();
    site.write(
        "content/briefs/words.md",
        "+++\ntitle = \"A\"\ndate = \"next week\"\n+++\n",
    );
    site.write(
        "content/meetings/local.md",
        "+++\ntitle = \"M\"\ndate = 2025-06-10T10:00:00\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    assert_eq!(errors.len(), 2, "no extra `missing date`:\n{}", run.stderr);
    let words = &errors[0];
    assert!(words.message.starts_with("bad `date`"), "{}", run.stderr);
    assert!(words.message.contains("next week"), "{}", run.stderr);
    assert_eq!(
        words.position.as_deref(),
        Some("content/briefs/words.md:3:8")
    );
    let local = &errors[1];
    assert!(local.message.starts_with("bad `date`"), "{}", run.stderr);
    assert!(local.message.contains("no UTC offset"), "{}", run.stderr);
    assert_eq!(
        local.position.as_deref(),
        Some("content/meetings/local.md:3:8")
    );
}

#[test]
fn a_template_syntax_error_is_located_in_the_template() {
    let site = TestSite::small();
    let run = failed_build_keeps_public(&site, |s| {
        s.write("templates/page.html", "line one\n{{ page.title | }}\n");
    });
    let d = single_error(&run, "template error", "templates/page.html:2:17");
    assert!(d.text.contains("{{ page.title | }}"), "{}", d.text);
}

#[test]
fn a_misspelt_field_is_one_error_in_every_language_with_the_nearest_field() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}\n[languages.ja]\ntitle = \"デスク\"\n", common::CONFIG),
    );
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n",
    );
    site.write(
        "templates/agencies/page.html",
        "{% extends \"page.html\" %}\n{% block lede %}{{ page.locaton }}{% endblock %}\n",
    );
    let d = single_error(
        &site.run(&["check"]),
        "template error: Field `locaton` is not defined",
        "templates/agencies/page.html:2:25",
    );
    assert!(d.text.contains("did you mean `location`?"), "{}", d.text);
    assert!(!d.text.contains("Available fields"), "{}", d.text);
}

#[test]
fn an_if_without_a_condition_is_a_template_error() {
    let site = TestSite::small();
    site.write(
        "templates/briefs/page.html",
        "a\nb\n  {% if %}x{% endif %}\n",
    );
    single_error(
        &site.run(&["check"]),
        "template error",
        "templates/briefs/page.html:3:9",
    );
}

#[test]
fn a_filter_on_an_undefined_value_is_said_without_rust_types() {
    let site = TestSite::small();
    site.write(
        "templates/briefs/page.html",
        "{% extends \"page.html\" %}\n{% block body %}{{ page.nothing | join(sep=\", \") }}{% endblock body %}\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    assert!(!errors.is_empty(), "{}", run.stderr);
    for d in &errors {
        assert!(!d.text.contains("Value]"), "{}", d.text);
        assert!(!d.text.contains("&["), "{}", d.text);
    }
    assert!(run.stderr.contains("a list"), "{}", run.stderr);
}

#[test]
fn a_file_that_is_not_utf8_points_at_the_bad_byte() {
    let site = TestSite::new();
    site.write_bytes(BRIEF, b"+++\ntitle = \"A\"\n+++\nbad \xff byte\n");
    let d = single_error(
        &site.build(),
        "file is not valid UTF-8",
        "content/briefs/a.md:4:5",
    );
    assert!(d.message.contains("not valid UTF-8"));
}

#[test]
fn an_empty_file_is_an_error() {
    let site = TestSite::small();
    let run = failed_build_keeps_public(&site, |s| s.write(BRIEF, ""));
    single_error(&run, "empty file", "content/briefs/a.md:1:1");
    site.write(BRIEF, "  \n\n\t\n");
    single_error(
        &site.run(&["check"]),
        "empty file",
        "content/briefs/a.md:1:1",
    );
}

#[test]
fn errors_in_many_files_are_all_reported_in_one_run() {
    let site = TestSite::small();
    site.write("content/briefs/a.md", "+++\ntitle = \"A\"\n");
    site.write("content/agencies/b.md", "+++\nshort = \"B\"\n+++\n");
    site.write(
        "content/briefs/c.md",
        "+++\ntitle = \"C\"\ndate = 2025-01-01\nsectors = [\"coper\"]\n+++\n",
    );
    site.write(
        "content/sectors/d.md",
        "+++\ntitle = \"D\"\n+++\nSee [x](@/agencies/nope.md).\n",
    );
    site.write("templates/list.html", "{% for %}");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    let header_lines = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .count();
    assert_eq!(header_lines, 5, "{}", run.stderr);
    assert_eq!(errors.len(), 5);
    let mut files: Vec<&str> = errors
        .iter()
        .map(|d| d.position.as_deref().unwrap_or_default())
        .map(|p| p.split(':').next().unwrap_or_default())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "content/agencies/b.md",
            "content/briefs/a.md",
            "content/briefs/c.md",
            "content/sectors/d.md",
            "templates/list.html",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("failed: 5 errors;"),
        "summary line:\n{}",
        run.stderr
    );
}

#[test]
fn an_unknown_field_gets_a_suggestion() {
    let site = TestSite::small();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nagencise = [\"jica\"]\n+++\n",
    );
    let d = single_error(
        &site.build(),
        "unknown field `agencise`",
        "content/briefs/a.md:4:1",
    );
    assert!(d.text.contains("did you mean `agencies`?"), "{}", d.text);
}

#[test]
fn a_folder_that_is_not_a_kind_is_a_warning_with_a_suggestion() {
    let site = TestSite::small();
    site.write(
        "content/breifs/x.md",
        "+++\ntitle = \"X\"\ndate = 2025-01-01\n+++\n",
    );
    let run = site.build().ok();
    let all = diagnostics(&run.stderr);
    assert_eq!(all.len(), 1, "{}", run.stderr);
    assert_eq!(all[0].level, "warning");
    assert!(
        all[0].message.contains("content/breifs/x.md"),
        "{}",
        run.stderr
    );
    assert!(
        all[0].text.contains("did you mean `briefs`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 warning"), "{}", run.stderr);
    assert!(!site.exists("breifs/x/index.html"));
    assert!(!site.exists("briefs/x/index.html"));
}

#[test]
fn a_bad_base_url_in_the_config_is_located() {
    let site = TestSite::small();
    let run = failed_build_keeps_public(&site, |s| {
        s.write(
            "attache.toml",
            "title = \"T\"\nbase_url = \"example.org\"\n",
        );
    });
    let d = single_error(&run, "invalid base_url", "attache.toml:2:12");
    assert!(d.message.contains("example.org"), "{}", d.text);
}

#[test]
fn an_unknown_config_key_is_located_with_a_suggestion() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}descripton = \"Desk\"\n", common::CONFIG),
    );
    let d = single_error(
        &site.run(&["check"]),
        "invalid attache.toml: unknown field `descripton`",
        "attache.toml:3:1",
    );
    assert!(d.text.contains("did you mean `description`?"), "{}", d.text);
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::small();
    let run = site.run(&["check"]).ok();
    assert!(run.stderr.contains("nothing written"), "{}", run.stderr);
    assert!(!site.path("public").exists());
}

/// Nasty inputs, each in a content file of its own: attache may reject
/// them, but must never crash.
fn nasty_inputs() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    const FM: &str = "+++\ntitle = \"A\"\ndate = 2025-01-01\n";
    let brief = |rest: &str| format!("{FM}{rest}").into_bytes();
    let body = |text: &str| format!("{FM}+++\n{text}").into_bytes();
    vec![
        ("lone +++", BRIEF, b"+++".to_vec()),
        ("lone +++ and newline", BRIEF, b"+++\n".to_vec()),
        ("two +++ only", BRIEF, b"+++\n+++".to_vec()),
        ("BOM", BRIEF, [b"\xef\xbb\xbf".as_slice(), &body("x")].concat()),
        ("BOM only", BRIEF, b"\xef\xbb\xbf".to_vec()),
        ("two BOMs", BRIEF, [b"\xef\xbb\xbf\xef\xbb\xbf".as_slice(), &body("x")].concat()),
        (
            "CRLF line ends",
            BRIEF,
            b"+++\r\ntitle = \"A\"\r\ndate = 2025-01-01\r\n+++\r\n[x](@/agencies/nope.md)\r\n".to_vec(),
        ),
        ("CR line ends", BRIEF, b"+++\rtitle = \"A\"\r+++\r".to_vec()),
        ("NUL in front matter", BRIEF, b"+++\ntitle = \"A\x00\"\n+++\n".to_vec()),
        ("NUL in body", BRIEF, body("\x00\x00 text \x00")),
        ("huge body line", BRIEF, body(&"word ".repeat(400_000))),
        ("huge title", BRIEF, format!("+++\ntitle = \"{}\"\ndate = 2025-01-01\n+++\n", "t".repeat(500_000)).into_bytes()),
        ("[[extra]] array", BRIEF, brief("[[extra]]\na = 1\n[[extra]]\nb = 2\n+++\n")),
        (
            "deeply nested inline table",
            BRIEF,
            brief(&format!("[extra]\nx = {}1{}\n+++\n", "{a = ".repeat(2_000), "}".repeat(2_000))),
        ),
        (
            "deeply nested arrays",
            BRIEF,
            brief(&format!("[extra]\nx = {}{}\n+++\n", "[".repeat(5_000), "]".repeat(5_000))),
        ),
        ("UTC date", BRIEF, b"+++\ntitle = \"A\"\ndate = 1979-05-27T07:32:00Z\n+++\n".to_vec()),
        ("time without a date", BRIEF, b"+++\ntitle = \"A\"\ndate = 07:32:00\n+++\n".to_vec()),
        ("last day of year 9999", BRIEF, b"+++\ntitle = \"A\"\ndate = 9999-12-31\n+++\n".to_vec()),
        ("year zero with an offset", BRIEF, b"+++\ntitle = \"A\"\ndate = 0000-01-01T00:00:00+01:00\n+++\n".to_vec()),
        (
            "emoji and right-to-left title",
            BRIEF,
            "+++\ntitle = \"🇯🇵 مرحبا שלום \u{202e}abc\"\ndate = 2025-01-01\n+++\n# 🎉\n\n## مرحبا\n".as_bytes().to_vec(),
        ),
        ("empty parent", "content/sectors/x.md", b"+++\ntitle = \"X\"\nparent = \"\"\n+++\n".to_vec()),
        ("own parent", "content/sectors/x.md", b"+++\ntitle = \"X\"\nparent = \"x\"\n+++\n".to_vec()),
        ("integer references", BRIEF, brief("agencies = [1, 2]\n+++\n")),
        ("@/ alone", BRIEF, body("@/ and <@/> and [x](@/) and [y](@/#) and [z](@//.md)\n")),
        ("anchors only", BRIEF, body("[a](#) [b](@/briefs/a.md#) [c](@/sectors/copper.md##) [d](##)\n")),
        ("punctuation headings", BRIEF, body("## !!!\n\n## ???\n\n## {#}\n\n#\n\n[s](@/briefs/a.md#section-1)\n")),
        (
            "odd link forms",
            BRIEF,
            body("é [x][r] [y](<@/agencies/n o.md>) [z](@/agencies/j\\ica.md) <a href=\"@/x\">h</a>\n\n[r]: @/agencies/nope.md\n[^1]: [f](@/agencies/jica.md#x)\n"),
        ),
        ("deep block quotes", BRIEF, body(&">".repeat(20_000))),
        ("template syntax in content", BRIEF, b"+++\ntitle = \"{{ site }}{% raw %}\"\ndate = 2025-01-01\n+++\n{{ page.title }} {% if %}\n".to_vec()),
        ("empty slug", BRIEF, brief("slug = \"\"\n+++\n")),
        ("bad intro", "content/_index.md", b"+++\ntitle = 1\nfoo = 2\n+++\n[x](@/nope.md)\n".to_vec()),
        ("empty intro", "content/briefs/_index.md", Vec::new()),
        ("source of the wrong shape", BRIEF, brief("source = { name = 1, foo = 2 }\nextra = 5\n+++\n")),
        ("YAML front matter", BRIEF, b"---\ntitle: A\n---\n".to_vec()),
        ("meeting ending before it starts", "content/meetings/x.md", b"+++\ntitle = \"M\"\ndate = 2025-01-02\nend = 2025-01-01T00:00:00Z\n+++\n".to_vec()),
    ]
}

#[test]
fn nasty_inputs_never_crash_attache() {
    let mut crashes = Vec::new();
    for (name, path, bytes) in nasty_inputs() {
        let site = TestSite::small();
        site.write_bytes(path, &bytes);
        for command in ["check", "build"] {
            let run = site.run(&[command]);
            let explained = match run.code {
                0 => true,
                1 => run.stderr.contains("error: "),
                _ => false,
            };
            if !explained || run.stderr.contains("panicked") {
                crashes.push(format!(
                    "{name} ({command}): exit {}\n{}",
                    run.code, run.stderr
                ));
            }
        }
    }
    assert!(crashes.is_empty(), "{}", crashes.join("\n---\n"));
}

#[test]
fn a_file_name_that_gives_an_empty_slug_is_an_error() {
    let site = TestSite::small();
    site.write(
        "content/briefs/!!!.md",
        "+++\ntitle = \"Bang\"\ndate = 2025-01-01\n+++\nBang.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    assert!(
        errors
            .iter()
            .any(|d| d.text.contains("content/briefs/!!!.md")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_date_out_of_range_is_reported_in_the_content_file() {
    let site = TestSite::new();
    site.write(
        BRIEF,
        "+++\ntitle = \"A\"\ndate = 9999-12-31T12:00:00Z\n+++\n",
    );
    single_error(&site.build(), "bad `date`", "content/briefs/a.md:3:8");
}

#[test]
fn a_byte_order_mark_does_not_shift_columns() {
    let site = TestSite::new();
    site.write_bytes(
        "content/agencies/x.md",
        b"\xef\xbb\xbf+++\nshort = \"X\"\n+++\n",
    );
    single_error(
        &site.build(),
        "missing `title`",
        "content/agencies/x.md:1:1",
    );
}

#[test]
fn a_stub_name_without_letters_or_digits_is_an_error() {
    let site = TestSite::new();
    site.write(
        "attache.toml",
        &format!("{}[kinds.people]\nstubs = true\n", common::CONFIG),
    );
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\npeople = [\"?\"]\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no page can be made for person `?`")
            || run.stderr.contains("no page can be made for people `?`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/briefs/a.md:4:11"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_alias_with_an_empty_part_is_an_error() {
    let site = TestSite::new();
    site.write(
        "content/briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\naliases = [\"/briefs//a/\"]\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("bad alias `/briefs//a/`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_link_in_a_list_intro_is_an_error() {
    let site = TestSite::small();
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Agencies\"\n+++\nSee [the agency](@/agencies/jicaa.md).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("broken link: unknown agency `jicaa`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/agencies/_index.md:4:18"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_that_loops_too_long_is_stopped_and_named() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}[build]\nrender_timeout = 0.5\n", common::CONFIG),
    );
    site.write(
        "templates/agencies/page.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let started = std::time::Instant::now();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "stopped in time"
    );
    assert!(
        run.stderr
            .contains("rendering agencies/jica with `agencies/page.html` was stopped after 0.5 s"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/agencies/page.html"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("render_timeout"), "{}", run.stderr);
    // A loop that only writes is stopped too.
    site.write(
        "templates/agencies/page.html",
        "{% set r = range(end=100000) %}{% for i in r %}{% for j in r %}x{% endfor %}{% endfor %}",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("was stopped after 0.5 s"),
        "{}",
        run.stderr
    );
}

#[test]
fn control_characters_in_a_body_never_reach_feeds_or_pages() {
    let site = TestSite::small();
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\nagencies = [\"jica\"]\n+++\nNUL\u{0} bell\u{7} escape\u{1b}[31m form\u{c}feed.\n",
    );
    site.build().ok();
    for file in [
        "atom.xml",
        "agencies/jica/atom.xml",
        "briefs/tokyo-visit/index.html",
    ] {
        let text = site.read(file);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{file} carries a control character"
        );
        if file.ends_with(".xml") {
            let mut reader = quick_xml::Reader::from_str(&text);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{file} is not XML: {e}"),
                }
            }
        }
    }
    assert!(
        site.read("briefs/tokyo-visit/index.html")
            .contains("NUL\u{fffd} bell\u{fffd}")
    );
}

#[test]
fn a_date_before_year_one_in_utc_is_an_error() {
    let site = TestSite::small();
    site.write(
        "content/meetings/early.md",
        "+++\ntitle = \"Early\"\ndate = 0000-01-01T00:00:00+23:59\n+++\n",
    );
    let run = site.build();
    single_error(
        &run,
        "bad `date`: `0000-01-01T00:00:00+23:59` is out of the supported range",
        "content/meetings/early.md:3:8",
    );
}

#[test]
fn a_removed_alias_under_a_dot_folder_is_removed_too() {
    let site = TestSite::small();
    let jetro = "+++\ntitle = \"JETRO\"\naliases = [\"/.hidden/old/\"]\n+++\n";
    site.write("content/agencies/jetro.md", jetro);
    site.build().ok();
    assert!(site.exists(".hidden/old/index.html"));
    site.write("content/agencies/jetro.md", "+++\ntitle = \"JETRO\"\n+++\n");
    site.build().ok();
    assert!(!site.exists(".hidden/old/index.html"));
    assert!(!site.exists(".hidden"), "its emptied folders go too");
}

#[test]
fn errors_without_a_place_of_their_own_name_their_file() {
    let site = TestSite::small();
    let deep = format!(
        "+++\ntitle = \"Deep\"\ndate = 2025-01-01\n[extra]\na = {}{}\n+++\n",
        "[".repeat(300),
        "]".repeat(300)
    );
    site.write("content/briefs/deep.md", &deep);
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/briefs/deep.md:5:"),
        "{}",
        run.stderr
    );

    let site = TestSite::small();
    site.write(
        "templates/briefs/page.html",
        "{% component deeper(n) %}{{n}}{{<deeper n={n + 1}/>}}{% endcomponent deeper %}{{<deeper n={1}/>}}",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("recursion depth"), "{}", run.stderr);
    assert!(
        run.stderr.contains("in templates/briefs/page.html"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("while rendering briefs/tokyo-visit"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_that_extends_itself_is_blamed_on_itself() {
    let site = TestSite::small();
    site.write("templates/page.html", "{% extends \"page.html\" %}");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates extend each other in a circle"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("in templates/page.html"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("built-in theme"), "{}", run.stderr);
}

#[test]
fn a_slug_without_letters_gets_a_useful_hint() {
    let site = TestSite::small();
    site.write(
        "content/briefs/dots.md",
        "+++\ntitle = \"Dots\"\ndate = 2025-01-01\nslug = \"..\"\n+++\n",
    );
    let run = site.build();
    let d = single_error(
        &run,
        "`..` is not a valid slug",
        "content/briefs/dots.md:4:8",
    );
    assert!(
        d.text.contains("a slug needs letters or digits"),
        "{}",
        d.text
    );
    assert!(!d.text.contains("slug = \"\""), "{}", d.text);
}

#[test]
fn control_characters_in_front_matter_are_errors_at_their_place() {
    let site = TestSite::small();
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo\\u0007 visit\"\ndate = 2025-07-17\nsummary = \"Ok.\"\npeople = [\"Jam\\u0000 Kamal\"]\n[extra]\nnote = \"bell\\u0007\"\n+++\nText.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (message, place) in [
        (
            "`title` holds the control character U+0007",
            "content/briefs/tokyo-visit.md:2:9",
        ),
        (
            "`people` holds the control character U+0000",
            "content/briefs/tokyo-visit.md:5:11",
        ),
    ] {
        assert!(run.stderr.contains(message), "{message}\n{}", run.stderr);
        assert!(run.stderr.contains(place), "{place}\n{}", run.stderr);
    }
    // Free-form [extra] text is published with U+FFFD in their place.
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\n[extra]\nnote = \"bell\\u0007\"\n+++\nText.\n",
    );
    site.write("templates/briefs/page.html", "[{{ page.extra.note }}]");
    site.build().ok();
    let html = site.read("briefs/tokyo-visit/index.html");
    assert!(html.contains("[bell\u{fffd}]"), "{html}");
}

#[test]
fn a_render_timeout_of_nothing_or_less_is_an_error_at_its_place() {
    let site = TestSite::small();
    for value in ["0", "-5", "1e9"] {
        site.write(
            "attache.toml",
            &format!("{}[build]\nrender_timeout = {value}\n", common::CONFIG),
        );
        let run = site.run(&["check"]);
        assert_eq!(run.code, 1, "{value}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("render_timeout must be seconds above 0 and at most 3600"),
            "{value}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("attache.toml:"), "{}", run.stderr);
    }
}

#[test]
fn a_state_shard_of_no_pages_is_an_error_at_its_place() {
    let site = TestSite::small();
    for value in ["0", "2000000"] {
        site.write(
            "attache.toml",
            &format!("{}[build]\nstate_shard = {value}\n", common::CONFIG),
        );
        let run = site.run(&["check"]);
        assert_eq!(run.code, 1, "{value}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("state_shard must be pages from 1 to 1000000"),
            "{value}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("attache.toml:4:"), "{}", run.stderr);
    }
}

#[test]
fn two_translations_of_a_page_into_one_language_are_an_error_naming_both() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!(
            "{}\n[languages.ja]\ntitle = \"日本デスク\"\n",
            common::CONFIG
        ),
    );
    site.write(
        "content/agencies/jica.ja.md",
        "+++\ntitle = \"国際協力機構\"\n+++\n",
    );
    site.write(
        "content/agencies/sub/jica.ja.md",
        "+++\ntitle = \"ジャイカ\"\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    let d = error(
        &errors,
        "content/agencies/jica.ja.md and content/agencies/sub/jica.ja.md both translate agencies/jica into `ja`",
        &run,
    );
    assert!(
        d.text.contains("one translation per language"),
        "{}",
        d.text
    );
    // Nothing was written (the folder holds only the writers' lock).
    assert!(!site.exists("index.html"));
}

#[test]
fn a_stray_end_tag_is_an_error_at_its_place() {
    let site = TestSite::small();
    site.write(
        "content/briefs/stray.md",
        "+++\ntitle = \"Stray\"\ndate = 2025-07-18\n+++\n\nSome text.\n\n{% end %}\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = errors(&run);
    let d = error(
        &errors,
        "shortcode: `{% end %}` without a shortcode to end",
        &run,
    );
    assert_eq!(
        d.position.as_deref(),
        Some("content/briefs/stray.md:8:1"),
        "{}",
        d.text
    );
}
