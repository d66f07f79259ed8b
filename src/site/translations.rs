//! Translations of pages (`content/agencies/jica.ja.md`): kept beside the
//! pages, found by kind and file name, and checked against the page they
//! translate. A translation changes the words of a page, never what it
//! is: its references, parent, dates, status, slug and aliases are the
//! page's, and a translation that sets them otherwise is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::pages::PageId;
use crate::content::{Fields, Translation};
use crate::diagnostic::{Diagnostic, display_path};
use crate::markdown;
use crate::site::Site;

/// The translations of a site, by kind, file name of the page they
/// translate, language and file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Translations {
    by_page: BTreeMap<(String, String, String, PathBuf), Translation>,
}

impl Translations {
    /// Adds a translation read from a file, and the translations of the
    /// asks and offers it gives words for (their `what` and `note`), as
    /// translations of the items' pages (of `items_kind`): a language's
    /// lists and pages show an item when its raising page's translation
    /// says what it is.
    pub fn insert_read(&mut self, t: Translation, items_kind: Option<&str>) {
        if let Some(kind) = items_kind {
            for item in &t.fields.items {
                self.insert(item_translation(&t, item, kind));
            }
        }
        self.insert(t);
    }

    fn insert(&mut self, t: Translation) {
        let key = (
            t.kind.clone(),
            t.stem.clone(),
            t.lang.clone(),
            t.file.path.clone(),
        );
        self.by_page.insert(key, t);
    }

    /// Removes the translation read from `path`, if any.
    pub fn remove(&mut self, path: &Path) -> bool {
        let before = self.by_page.len();
        self.by_page.retain(|(_, _, _, p), _| p != path);
        self.by_page.len() != before
    }

    pub fn iter(&self) -> impl Iterator<Item = &Translation> {
        self.by_page.values()
    }

    pub fn is_empty(&self) -> bool {
        self.by_page.is_empty()
    }

    /// The translations of the page of `kind` whose file is `stem`.md, by
    /// language (the first file of each language).
    pub fn of(&self, kind: &str, stem: &str) -> Vec<&Translation> {
        let start = (
            kind.to_string(),
            stem.to_string(),
            String::new(),
            PathBuf::new(),
        );
        let mut found: Vec<&Translation> = Vec::new();
        for ((k, s, _, _), t) in self.by_page.range(start..) {
            if k != kind || s != stem {
                break;
            }
            if found.last().is_none_or(|last| last.lang != t.lang) {
                found.push(t);
            }
        }
        found
    }
}

/// The translation of an item's page that translation `t` of the page
/// raising it gives: titled with its `what`, its `note` the raising's.
fn item_translation(
    t: &Translation,
    item: &crate::content::items::Item,
    kind: &str,
) -> Translation {
    Translation {
        kind: kind.to_string(),
        lang: t.lang.clone(),
        stem: item.id.get_ref().clone(),
        file: t.file.clone(),
        fields: Fields {
            title: item.what.clone(),
            raised: Some(Box::new(crate::content::items::Raised {
                item: item.clone(),
                // The page it translates, by its file's name.
                by_page: crate::content::PageKey::new(&t.kind, &t.stem),
            })),
            ..Fields::default()
        },
        body_offset: t.file.text().len(),
        links: Vec::new(),
        first_paragraph: String::new(),
    }
}

/// One language's part of `attache check --translations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub lang: String,
    /// Pages that have a translation into the language.
    pub translated: usize,
    /// Pages that have none, as `kind/slug`, in list order kind by kind.
    pub missing: Vec<String>,
}

impl Site {
    /// For each declared language, which pages are translated into it
    /// and which are not (stubs, which have no file, are left out).
    pub fn translation_coverage(&self) -> Vec<Coverage> {
        self.config
            .languages
            .iter()
            .map(|lang| {
                let mut coverage = Coverage {
                    lang: lang.code.clone(),
                    translated: 0,
                    missing: Vec::new(),
                };
                for kind in &self.config.kinds {
                    for &id in self.graph.ordered(&kind.name) {
                        let page = self.pages.page(id);
                        if !page.own_file() {
                            continue;
                        }
                        match self.translation(id, &lang.code) {
                            Some(_) => coverage.translated += 1,
                            None => coverage.missing.push(page.key.to_string()),
                        }
                    }
                }
                coverage
            })
            .collect()
    }

    /// The translations of page `id`, by language; none for a stub, or a
    /// page whose file name another file of its kind has too.
    pub fn translations_of(&self, id: PageId) -> Vec<&Translation> {
        // Every list of outputs asks this of every page: nothing to look
        // up on a site with no translations.
        if self.translations.is_empty() {
            return Vec::new();
        }
        let Some(page) = self.pages.get(id) else {
            return Vec::new();
        };
        if let Some(raised) = &page.fields.raised {
            // An item's: those its raising page's translations give.
            let Some(raiser) = self.pages.id(&raised.by_page).map(|r| self.pages.page(r)) else {
                return Vec::new();
            };
            let from = crate::content::PageKey::new(raiser.kind(), &raiser.stem);
            let mut found = self.translations.of(page.kind(), page.slug());
            found.retain(|t| t.fields.raised.as_ref().is_some_and(|r| r.by_page == from));
            return found;
        }
        if page.stub || self.pages.by_stem(page.kind(), &page.stem) != Some(id) {
            return Vec::new();
        }
        self.translations.of(page.kind(), &page.stem)
    }

    /// The pages of `kind` in list order, in language `lang`: those
    /// translated into it, or all of them for the default language
    /// (`None`). What a language's lists, home page and feeds show.
    pub fn in_language(&self, kind: &str, lang: Option<&str>) -> std::borrow::Cow<'_, [PageId]> {
        let all = self.graph.ordered(kind);
        match lang {
            None => std::borrow::Cow::Borrowed(all),
            Some(lang) => all
                .iter()
                .copied()
                .filter(|&id| self.translation(id, lang).is_some())
                .collect(),
        }
    }

    /// The translation of page `id` into `lang`.
    pub fn translation(&self, id: PageId, lang: &str) -> Option<&Translation> {
        self.translations_of(id)
            .into_iter()
            .find(|t| t.lang == lang)
    }

    /// The page a translation translates.
    pub fn original(&self, t: &Translation) -> Option<PageId> {
        self.pages
            .by_stem(&t.kind, &t.stem)
            .filter(|&id| self.pages.page(id).own_file())
    }

    /// A translation's body as Markdown rendered, its links to pages of
    /// the site resolved as a page's are.
    pub fn translation_body(&self, t: &Translation) -> markdown::Converted {
        self.markdown(t.markdown())
    }

    /// What is wrong with the translations: one that translates no page,
    /// sets what only the page it translates may set, or links to a page
    /// the site does not have.
    pub fn check_translations(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        // Files of one page in one language sit side by side in the list.
        let mut previous: Option<&Translation> = None;
        // Items' translations are made from the files: what they say of
        // the file is said of the file's own translation.
        let read = || {
            self.translations
                .iter()
                .filter(|t| t.fields.raised.is_none())
        };
        for t in read() {
            if let Some(first) =
                previous.filter(|p| (&p.kind, &p.stem, &p.lang) == (&t.kind, &t.stem, &t.lang))
            {
                problems.push(
                    Diagnostic::error(format!(
                        "{} and {} both translate {}/{} into `{}`",
                        display_path(&first.file.path),
                        display_path(&t.file.path),
                        t.kind,
                        t.stem,
                        t.lang
                    ))
                    .in_file(&t.file.path)
                    .hint("a page has one translation per language: keep one of the two files"),
                );
            }
            previous = Some(t);
        }
        for t in read() {
            let Some(id) = self.original(t) else {
                problems.push(
                    Diagnostic::warning(format!(
                        "{} translates `{}`, which is not a page of {}",
                        display_path(&t.file.path),
                        t.stem,
                        t.kind
                    ))
                    .in_file(&t.file.path)
                    .hint(format!(
                        "a translation is named after the page it translates: content/{}/{}.md and content/{}/{}.{}.md",
                        t.kind, t.stem, t.kind, t.stem, t.lang
                    )),
                );
                continue;
            };
            problems.extend(inherited_fields(
                t,
                &self.pages.page(id).fields,
                &self.pages.page(id).file.path,
            ));
            problems.extend(items_not_raised(t, &self.pages.page(id).fields));
            let resolver = crate::link::resolve::Resolver {
                pages: &self.pages,
                config: &self.config,
                unpublished: &self.unpublished,
            };
            problems.extend(link_problems(t, &resolver));
        }
        problems
    }
}

/// The links of translation `t` to pages the site does not have, said as
/// the same links in the page it translates would be: with the nearest
/// name, or not at all when the file they name failed to load (that
/// error is said already).
fn link_problems(
    t: &Translation,
    resolver: &crate::link::resolve::Resolver<'_>,
) -> Vec<Diagnostic> {
    use crate::link::resolve::{At, Outcome};
    let mut problems = Vec::new();
    for link in &t.links {
        if resolver.url(&link.kind, &link.name).is_some() {
            continue;
        }
        let at = At {
            file: &t.file,
            span: t.body_offset + link.span.start..t.body_offset + link.span.end,
        };
        match resolver.link(&link.written, &link.kind, &link.name, at.clone()) {
            Outcome::Missing(d) => problems.push(d),
            Outcome::Unknown(u) => problems.push(resolver.explain(&u)),
            Outcome::Silent => {}
            Outcome::Found(_) | Outcome::NeedsStub(_) => problems.push(
                Diagnostic::error(format!("unknown page `{}`", link.written))
                    .at(at.location())
                    .label("no page of the site has this name")
                    .hint("link to a page by its kind and file name, as `@/agencies/jica.md`"),
            ),
        }
    }
    problems
}

/// Warnings for the asks, offers and updates a translation gives words
/// for that the page it translates does not have: their words are not
/// used.
fn items_not_raised(t: &Translation, original: &Fields) -> Vec<Diagnostic> {
    let raised = |id: &str| original.items.iter().any(|i| i.id.get_ref() == id);
    let updated = |id: &str| original.updates.iter().any(|u| u.id.get_ref() == id);
    let stray = (t
        .fields
        .items
        .iter()
        .map(|i| (&i.id, raised(i.id.get_ref()))))
    .chain(
        t.fields
            .updates
            .iter()
            .map(|u| (&u.id, updated(u.id.get_ref()))),
    );
    stray
        .filter(|(_, known)| !known)
        .map(|(id, _)| {
            Diagnostic::warning(format!(
                "the page this translates does not raise or update `{}`",
                id.get_ref()
            ))
            .at(t.file.at(id.span()))
            .label("these words are not used")
            .hint("a translation gives the words of the page's own asks, offers and updates, by their ids")
        })
        .collect()
}

/// Errors for fields a translation sets other than the page it
/// translates (`original`, read from `original_path`).
fn inherited_fields(t: &Translation, original: &Fields, original_path: &Path) -> Vec<Diagnostic> {
    let f = &t.fields;
    let mut problems = Vec::new();
    let mut differs = |name: &str, span: Option<std::ops::Range<usize>>| {
        let d = Diagnostic::error(format!(
            "a translation cannot change `{name}`: it is the page's"
        ));
        let d = match span {
            Some(span) => d.at(t.file.at(span)),
            None => d.in_file(&t.file.path),
        };
        problems.push(d.hint(format!(
            "leave `{name}` out of {}: it takes it from {}",
            display_path(&t.file.path),
            display_path(original_path)
        )));
    };
    let refs = |list: &[crate::content::RefSite]| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = list
            .iter()
            .map(|r| (r.kind.clone(), r.slug.clone()))
            .collect();
        v.sort();
        v
    };
    if !f.refs.is_empty() && refs(&f.refs) != refs(&original.refs) {
        let kind = f.refs[0].kind.clone();
        differs(&kind, Some(f.refs[0].span.clone()));
    }
    if let Some(parent) = &f.parent
        && original.parent.as_ref().map(|p| &p.slug) != Some(&parent.slug)
    {
        differs("parent", Some(parent.span.clone()));
    }
    for (name, mine, theirs) in [
        ("date", &f.date, &original.date),
        ("updated", &f.updated, &original.updated),
        ("end", &f.end, &original.end),
    ] {
        if let Some(mine) = mine
            && theirs.as_ref().map(|d| d.get_ref()) != Some(mine.get_ref())
        {
            differs(name, Some(mine.span()));
        }
    }
    if let Some(slug) = &f.slug
        && original.slug.as_ref().map(|s| s.get_ref()) != Some(slug.get_ref())
    {
        differs("slug", Some(slug.span()));
    }
    if !f.aliases.is_empty() {
        differs("aliases", Some(f.aliases[0].span()));
    }
    if f.status.is_some() && f.status != original.status {
        differs("status", None);
    }
    if f.draft && !original.draft {
        differs("draft", None);
    }
    problems
}
