//! Tests of classifying and loading content files.

use super::*;
use crate::config::CONFIG_FILE;

fn config() -> Config {
    Config::parse(SourceFile::new(
        CONFIG_FILE,
        "title = \"T\"\nbase_url = \"https://e.org/\"\n",
    ))
    .unwrap()
}

#[test]
fn classification() {
    let c = config();
    let page = |k: &str| Some(ContentPath::Page { kind: k.into() });
    assert_eq!(
        classify(Path::new("content/briefs/a.md"), &c),
        page("briefs")
    );
    assert_eq!(
        classify(Path::new("content/briefs/2025/a.md"), &c),
        page("briefs")
    );
    assert_eq!(
        classify(Path::new("content/briefs/_index.md"), &c),
        Some(ContentPath::Intro {
            kind: Some("briefs".into()),
            lang: None,
        })
    );
    assert_eq!(
        classify(Path::new("content/_index.md"), &c),
        Some(ContentPath::Intro {
            kind: None,
            lang: None
        })
    );
    assert_eq!(classify(Path::new("content/briefs/.a.md.swp"), &c), None);
    assert_eq!(classify(Path::new("content/briefs/.#a.md"), &c), None);
    assert_eq!(classify(Path::new("content/briefs/4913"), &c), None);
    assert_eq!(classify(Path::new("content/briefs/a.md~"), &c), None);
    assert_eq!(classify(Path::new("content/breifs/a.md"), &c), None);
    assert_eq!(classify(Path::new("templates/page.html"), &c), None);
}

#[test]
fn misplaced_files_get_a_suggestion() {
    let d = misplaced(
        Path::new("/nowhere"),
        Path::new("content/breifs/a.md"),
        &config(),
    )
    .unwrap();
    assert!(d.hint.unwrap().starts_with("did you mean `briefs`?"));
    // A folder like no kind: a section of a site moved over.
    let d = misplaced(
        Path::new("/nowhere"),
        Path::new("content/blog-posts/a.md"),
        &config(),
    )
    .unwrap();
    let hint = d.hint.unwrap();
    assert!(
        hint.starts_with("to publish content/blog-posts/ as a kind of its own, add `[kinds.blog-posts]` with `title = \"Blog posts\"`"),
        "{hint}"
    );
}

#[test]
fn an_intro_in_a_declared_language_is_an_intro_and_in_another_nothing() {
    let c = Config::parse(SourceFile::new(
        CONFIG_FILE,
        "title = \"T\"\nbase_url = \"https://e.org/\"\n[languages.ja]\n",
    ))
    .unwrap();
    let intro = |kind: Option<&str>, lang: Option<&str>| {
        Some(ContentPath::Intro {
            kind: kind.map(str::to_string),
            lang: lang.map(str::to_string),
        })
    };
    let of = |path: &str| classify(Path::new(path), &c);
    assert_eq!(of("content/_index.ja.md"), intro(None, Some("ja")));
    assert_eq!(
        of("content/briefs/_index.ja.md"),
        intro(Some("briefs"), Some("ja"))
    );
    assert_eq!(of("content/briefs/_index.md"), intro(Some("briefs"), None));
    // Not a page named `_index.fr`, nor an intro: `misplaced` says why.
    assert_eq!(of("content/_index.fr.md"), None);
    assert_eq!(of("content/briefs/_index.fr.md"), None);
    // Deeper, an `_index.md` is what it was: a page of the kind.
    assert_eq!(
        of("content/briefs/2025/_index.md"),
        Some(ContentPath::Page {
            kind: "briefs".into()
        })
    );
    assert_eq!(of("content/notes.md"), None);
}
