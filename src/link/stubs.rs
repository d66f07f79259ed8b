//! Stub pages: in a kind with `stubs = true`, an unknown name gets a page
//! of its own (titled as the name is first written) instead of an error,
//! with a warning unless the kind's stubs are expected (people and
//! countries: most are named, not written about).

use std::collections::BTreeMap;

use super::resolve::{At, Outcome, Resolver, Unpublished};
use crate::config::Config;
use crate::content::pages::{PageId, Pages};
use crate::content::{Page, PageKey};
use crate::diagnostic::{Diagnostic, SourceFile};

/// How the stub pages changed.
#[derive(Debug, Default)]
pub struct StubSync {
    /// Stubs made, or whose title changed (their first mention did).
    pub added: Vec<PageId>,
    pub removed: Vec<PageId>,
    /// A warning at the first mention of every stub (unless its kind
    /// expects stubs), and an error there when Windows reserves its name
    /// (a person `Aux` would be published at `/people/aux/`).
    pub problems: Vec<Diagnostic>,
}

/// Makes the stubs match what the references need: adds stubs for unknown
/// slugs, removes stubs that nothing mentions any more (or that a real
/// page has replaced), warns once per stub, and refuses a name Windows
/// reserves.
pub fn sync(pages: &mut Pages, config: &Config, unpublished: &Unpublished) -> StubSync {
    let mut sync = StubSync::default();
    let existing: Vec<(PageId, PageKey)> = pages
        .iter()
        .filter(|(_, p)| p.stub)
        .map(|(id, p)| (id, p.key.clone()))
        .collect();
    if !config.kinds.iter().any(|k| k.stubs) && existing.is_empty() {
        return sync;
    }
    let needed = needed(pages, config, unpublished);
    for (id, key) in existing {
        if !needed.contains_key(&key) {
            pages.remove(id);
            sync.removed.push(id);
        }
    }
    for (key, (file, span, written)) in needed {
        // Where the stub is first named, for its problems: working out the
        // line reads the file's text again when the site was kept.
        let at = || file.at(span.clone());
        let kind = config.kind(&key.kind);
        if crate::urls::reserved_on_windows(&key.slug) {
            sync.problems.push(
                crate::content::reserved(&key.slug)
                    .at(at())
                    .label(format!("its stub page would be named `{}`", key.slug))
                    .hint(format!(
                        "write content/{}/{}.md with `title = \"{written}\"` and name it `{}` here",
                        key.kind,
                        crate::content::unreserved(&key.slug),
                        crate::content::unreserved(&key.slug)
                    )),
            );
        } else if kind.is_none_or(|k| k.stub_warnings) {
            let singular = kind.map_or("page".to_string(), |k| k.singular.to_lowercase());
            sync.problems.push(
                Diagnostic::warning(format!(
                    "no {singular} `{}`: created a stub page for it",
                    key.slug
                ))
                .at(at())
                .label("stub created")
                .hint(format!(
                    "write content/{}/{}.md to give it a real page",
                    key.kind, key.slug
                )),
            );
        }
        let title = Page::stub_title(&written, &key.slug);
        match pages.id(&key) {
            None => {
                // The key is free (checked just above), so the insert cannot clash.
                let stub = Page::stub(&key.kind, &key.slug, title, &file);
                if let Ok(id) = pages.insert(stub) {
                    sync.added.push(id);
                }
            }
            Some(id) => {
                if let Some(page) = pages.get_mut(id)
                    && page.stub
                    && (page.fields.title != title || page.file.path != file.path)
                {
                    page.fields.title = title;
                    page.file = crate::diagnostic::SourceFile::new(file.path.clone(), "");
                    sync.added.push(id);
                }
            }
        }
    }
    sync
}

/// A stub a page needs: its key, where the page names it, the name as
/// written there.
type Wanted = (PageKey, std::ops::Range<usize>, String);

/// The stub pages references need, each with where it is first mentioned
/// (the file, files in path order, and the span) and the name as written
/// there.
fn needed(
    pages: &Pages,
    config: &Config,
    unpublished: &Unpublished,
) -> BTreeMap<PageKey, (SourceFile, std::ops::Range<usize>, String)> {
    let resolver = Resolver {
        pages,
        config,
        unpublished,
    };
    use rayon::prelude::*;
    let real: Vec<&Page> = pages.iter().map(|(_, p)| p).filter(|p| !p.stub).collect();
    // What each page needs, worked out side by side (every reference of
    // the site is resolved again), then taken in path order: the first
    // mention of a stub is the one that names it. Its line is worked out
    // only for a problem there: that reads a kept file's text again.
    // Only a kind with stubs has stubs, or needs one: a reference into
    // another kind is not resolved here.
    let with_stubs: Vec<&str> = (config.kinds.iter())
        .filter(|k| k.stubs)
        .map(|k| k.name.as_str())
        .collect();
    let mut wanted: Vec<(&Page, Vec<Wanted>)> = real
        .par_iter()
        .map(|page| {
            let mut wants = Vec::new();
            let mut note = |kind: &str, written: &str, outcome: Outcome, at: At<'_>| {
                let key = match outcome {
                    Outcome::NeedsStub(slug) => PageKey::new(kind, &slug),
                    Outcome::Found(id) if pages.page(id).stub => pages.page(id).key.clone(),
                    _ => return,
                };
                wants.push((key, at.span, written.to_string()));
            };
            let refs = page.fields.refs.iter().chain(page.fields.parent.as_ref());
            for site in refs.filter(|r| with_stubs.contains(&r.kind.as_str())) {
                let at = At {
                    file: &page.file,
                    span: site.span.clone(),
                };
                note(
                    &site.kind,
                    &site.slug,
                    resolver.reference(&site.kind, &site.slug, at.clone()),
                    at,
                );
            }
            let links = page.rendered.links.iter();
            for link in links.filter(|l| with_stubs.contains(&l.kind.as_str())) {
                let at = At {
                    file: &page.file,
                    span: page.body_offset + link.span.start..page.body_offset + link.span.end,
                };
                note(
                    &link.kind,
                    &link.name,
                    resolver.link(&link.written, &link.kind, &link.name, at.clone()),
                    at,
                );
            }
            (*page, wants)
        })
        .filter(|(_, wants)| !wants.is_empty())
        .collect();
    // Only the pages that need a stub are put in path order (a few
    // hundred of ten thousand, at every update). Stable: the pages of one
    // file (an item's page has its raiser's) stay in id order.
    wanted.sort_by(|(a, _), (b, _)| a.file.path.cmp(&b.file.path));
    let mut needed = BTreeMap::new();
    for (page, wants) in wanted {
        for (key, span, written) in wants {
            needed
                .entry(key)
                .or_insert_with(|| (page.file.clone(), span, written));
        }
    }
    needed
}
