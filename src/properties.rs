//! Properties of slugs, URLs, output paths and link resolution that must
//! hold for every input, checked on generated inputs (proptest).

use crate::config::Config;
use crate::content::Page;
use crate::content::pages::Pages;
use crate::diagnostic::SourceFile;
use crate::link::resolve::{Found, Resolver, Unpublished, Written};
use crate::markdown::parse_internal;
use crate::output::manifest::is_safe_relative;
use crate::serve::http::request_key;
use crate::urls::{
    BaseUrl, ListPage, alias_file, is_valid_slug, list_path, output_file, page_path, slugify,
};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn slugify_gives_a_valid_slug_and_is_idempotent(text in "\\PC{0,40}") {
        let slug = slugify(&text);
        prop_assert!(slug.is_empty() || is_valid_slug(&slug), "{slug:?}");
        prop_assert_eq!(slugify(&slug), slug.clone());
    }

    #[test]
    fn page_and_list_files_stay_inside_the_output(
        kind in "[a-z][a-z0-9-]{0,12}",
        slug in "[a-z0-9][a-z0-9._-]{0,20}",
        number in 1usize..500,
    ) {
        prop_assume!(is_valid_slug(&slug));
        let file = output_file(page_path(&kind, &slug));
        prop_assert!(is_safe_relative(&file), "{file}");
        prop_assert!(file.ends_with("/index.html"));
        for at in [ListPage::First, ListPage::Numbered(number), ListPage::Archive(number), ListPage::Moved(number)] {
            let list = output_file(list_path(&kind, at));
            prop_assert!(is_safe_relative(&list), "{list}");
        }
    }

    #[test]
    fn an_accepted_alias_never_leaves_the_output(alias in "\\PC{0,40}") {
        if let Ok(file) = alias_file(&alias) {
            prop_assert!(is_safe_relative(&file), "{alias:?} → {file:?}");
        }
    }

    #[test]
    fn aliases_from_path_pieces_are_accepted(parts in prop::collection::vec("[a-z0-9_-]{1,8}", 1..5), slash in any::<bool>()) {
        let alias = format!("/{}{}", parts.join("/"), if slash { "/" } else { "" });
        let file = alias_file(&alias).unwrap();
        prop_assert!(file.starts_with(&parts[0]));
        prop_assert!(file.ends_with(".html"));
    }

    #[test]
    fn a_request_path_never_names_a_file_outside(path in "/[\\PC%./\\\\]{0,40}") {
        if let Ok(key) = request_key(&path) {
            prop_assert!(is_safe_relative(&key), "{path:?} → {key:?}");
        }
    }

    #[test]
    fn links_carry_the_base_path_and_permalinks_the_origin(
        host in "[a-z]{1,10}\\.[a-z]{2,3}",
        sub in prop::collection::vec("[a-z0-9-]{1,6}", 0..3),
        rel in "[a-z0-9/-]{0,30}",
    ) {
        let path = if sub.is_empty() { "/".to_string() } else { format!("/{}/", sub.join("/")) };
        let base = BaseUrl::parse(&format!("https://{host}{path}")).unwrap();
        let link = base.link(&rel);
        prop_assert!(link.starts_with(&path), "{link}");
        prop_assert!(!link[path.len()..].starts_with('/') || rel.trim_start_matches('/').starts_with('/'));
        let permalink = base.permalink(&rel);
        prop_assert_eq!(permalink, format!("https://{host}{link}"));
    }

    #[test]
    fn internal_links_parse_into_their_parts(
        kind in "[a-z]{1,10}",
        name in "[a-zA-Z0-9_-]{1,12}",
        anchor in prop::option::of("[a-z0-9-]{1,10}"),
    ) {
        let mut written = format!("@/{kind}/{name}.md");
        if let Some(a) = &anchor {
            written.push('#');
            written.push_str(a);
        }
        let (k, n, a) = parse_internal(&written).unwrap();
        prop_assert_eq!(k, kind);
        prop_assert_eq!(n, name);
        prop_assert_eq!(a, anchor);
    }

    #[test]
    fn parse_internal_never_panics(text in "@/\\PC{0,30}") {
        let _ = parse_internal(&text);
    }

    /// `@/kind/name` finds the page read from `name.md`; failing that,
    /// the page whose slug is `name`; never a page of another kind. A
    /// front-matter reference finds only the slug.
    #[test]
    fn a_link_finds_the_file_name_first_then_the_slug(
        pages in prop::collection::vec(("[a-c]{1,2}", "[a-c]{1,2}", 0usize..2), 1..8),
        wanted in "[a-c]{1,2}",
    ) {
        let kinds = ["agencies", "sectors"];
        let config = Config::parse(SourceFile::new(
            "attache.toml",
            "title = \"T\"\nbase_url = \"https://e.org/\"\n",
        ))
        .unwrap();
        let unpublished = Unpublished::default();
        let mut store = Pages::new();
        for (stem, slug, kind) in &pages {
            let mut page = Page::stub(kinds[*kind], slug, slug.to_string(), &SourceFile::new("x", ""));
            page.stub = false;
            page.stem = stem.clone();
            page.file = SourceFile::new(format!("content/{}/{stem}.md", kinds[*kind]), "");
            let _ = store.insert(page);
        }
        let resolver = Resolver { pages: &store, config: &config, unpublished: &unpublished };
        for kind in kinds {
            let has_stem = store.iter().any(|(_, p)| p.kind() == kind && p.stem == wanted);
            let has_slug = store.by_slug(kind, &wanted).is_some();
            match resolver.find(kind, &wanted, Written::Link) {
                Found::Page(id) => {
                    let page = store.page(id);
                    prop_assert_eq!(page.kind(), kind);
                    if has_stem {
                        prop_assert_eq!(&page.stem, &wanted);
                    } else {
                        prop_assert_eq!(page.slug(), wanted.as_str());
                    }
                }
                other => {
                    prop_assert!(!has_stem && !has_slug, "{other:?}");
                }
            }
            match resolver.find(kind, &wanted, Written::Reference) {
                Found::Page(id) => prop_assert_eq!(store.page(id).slug(), wanted.as_str()),
                _ => prop_assert!(!has_slug),
            }
        }
    }
}
