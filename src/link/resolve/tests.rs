use super::*;
use crate::config::CONFIG_FILE;
use crate::content::Page;

fn config(extra: &str) -> Config {
    let text = format!("title = \"T\"\nbase_url = \"https://e.org/\"\n{extra}");
    Config::parse(SourceFile::new(CONFIG_FILE, text)).unwrap()
}

fn page(kind: &str, stem: &str, slug: &str) -> Page {
    let mut p = Page::stub(kind, slug, slug.to_string(), &SourceFile::new("x", ""));
    p.stub = false;
    p.stem = stem.into();
    p
}

fn file() -> SourceFile {
    SourceFile::new("content/briefs/a.md", "agencies = [\"x\"]")
}

fn setup() -> Pages {
    let mut pages = Pages::new();
    pages.insert(page("agencies", "jica", "jica")).unwrap();
    pages
        .insert(page("agencies", "Japan-External", "jetro"))
        .unwrap();
    pages
        .insert(page("sectors", "minerals", "minerals"))
        .unwrap();
    pages
}

fn missing(r: &Resolver<'_>, outcome: Outcome<'_>) -> Diagnostic {
    match outcome {
        Outcome::Missing(d) => d,
        Outcome::Unknown(u) => r.explain(&u),
        other => panic!("expected a diagnostic, got {other:?}"),
    }
}

#[test]
fn references_resolve_by_slug_and_links_by_stem_or_slug() {
    let (pages, config, unpublished) = (setup(), config(""), Unpublished::default());
    let r = Resolver {
        pages: &pages,
        config: &config,
        unpublished: &unpublished,
    };
    assert!(matches!(
        r.reference(
            "agencies",
            "jica",
            At {
                file: &file(),
                span: 12..15
            }
        ),
        Outcome::Found(_)
    ));
    assert!(matches!(
        r.link(
            "@/agencies/Japan-External.md",
            "agencies",
            "Japan-External",
            At {
                file: &file(),
                span: 12..15
            }
        ),
        Outcome::Found(_)
    ));
    assert!(matches!(
        r.link(
            "@/agencies/jetro.md",
            "agencies",
            "jetro",
            At {
                file: &file(),
                span: 12..15
            }
        ),
        Outcome::Found(_)
    ));
    // A stem is not a slug for front-matter references.
    assert!(matches!(
        r.reference(
            "agencies",
            "Japan-External",
            At {
                file: &file(),
                span: 12..15
            }
        ),
        Outcome::Unknown(_)
    ));
}

#[test]
fn unknown_slugs_suggest_the_nearest_one() {
    let (pages, config, unpublished) = (setup(), config(""), Unpublished::default());
    let r = Resolver {
        pages: &pages,
        config: &config,
        unpublished: &unpublished,
    };
    let d = missing(
        &r,
        r.reference(
            "agencies",
            "jicaa",
            At {
                file: &file(),
                span: 12..15,
            },
        ),
    );
    assert_eq!(d.message, "unknown agency `jicaa`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `jica`?"));
    assert_eq!(d.location.as_ref().unwrap().span, 12..15);
}

#[test]
fn a_slug_of_another_kind_says_so() {
    let (pages, config, unpublished) = (setup(), config(""), Unpublished::default());
    let r = Resolver {
        pages: &pages,
        config: &config,
        unpublished: &unpublished,
    };
    let d = missing(
        &r,
        r.reference(
            "agencies",
            "minerals",
            At {
                file: &file(),
                span: 12..15,
            },
        ),
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("`minerals` is a sector: list it under `sectors` instead")
    );
}

#[test]
fn drafts_failed_files_and_stubs() {
    let pages = setup();
    let config = config("[kinds.people]\nstubs = true\n");
    let mut unpublished = Unpublished::default();
    unpublished.add_draft(
        "agencies",
        "secret",
        std::path::Path::new("content/agencies/secret.md"),
    );
    unpublished
        .failed
        .insert(("agencies".into(), "broken".into()));
    let r = Resolver {
        pages: &pages,
        config: &config,
        unpublished: &unpublished,
    };
    let d = missing(
        &r,
        r.reference(
            "agencies",
            "secret",
            At {
                file: &file(),
                span: 12..15,
            },
        ),
    );
    assert_eq!(d.message, "agency `secret` is a draft");
    assert!(d.hint.unwrap().contains("content/agencies/secret.md"));
    assert!(matches!(
        r.reference(
            "agencies",
            "broken",
            At {
                file: &file(),
                span: 12..15
            }
        ),
        Outcome::Silent
    ));
    match r.reference(
        "people",
        "Jam Kamal",
        At {
            file: &file(),
            span: 12..15,
        },
    ) {
        Outcome::NeedsStub(slug) => assert_eq!(slug, "jam-kamal"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_links_and_unknown_kinds() {
    let (pages, config, unpublished) = (setup(), config(""), Unpublished::default());
    let r = Resolver {
        pages: &pages,
        config: &config,
        unpublished: &unpublished,
    };
    let d = missing(
        &r,
        r.link(
            "@/jica.md",
            "",
            "jica",
            At {
                file: &file(),
                span: 12..15,
            },
        ),
    );
    assert_eq!(d.message, "malformed internal link `@/jica.md`");
    let d = missing(
        &r,
        r.link(
            "@/agencis/jica.md",
            "agencis",
            "jica",
            At {
                file: &file(),
                span: 12..15,
            },
        ),
    );
    assert!(d.message.contains("`agencis` is not a kind"));
    assert_eq!(d.hint.as_deref(), Some("did you mean `agencies`?"));
}
