//! Which references an update resolves again, and resolving them: every
//! reference of the site when linking from nothing; after an edit, those
//! of the edited pages, of the pages that link to them, and of the pages
//! that name a kind whose keys changed (a reference into another kind
//! finds what it found, see [`Resolver::find`]).

use std::collections::{BTreeSet, HashSet};

use rayon::prelude::*;

use super::resolve::{Resolver, Unpublished};
use super::{Graph, Previous, Reuse, refs, stubs};
use crate::config::Config;
use crate::content::pages::{PageId, Pages};
use crate::diagnostic::Diagnostic;

/// One page's resolved references and parent.
pub(super) struct Resolved {
    pub(super) id: PageId,
    pub(super) refs: Vec<PageId>,
    pub(super) parent: Option<PageId>,
    pub(super) problems: Vec<Diagnostic>,
}

/// The kinds whose references must be resolved again: those `previous`
/// names, and those of the stubs and items made or changed since (an
/// update may now find its item: guarded by tests/rekeyed.rs). A page
/// dropped here needs nothing more: the pages that named it are its
/// backlinks in the last graph, resolved again as it is edited (and the
/// pages with a problem, whose hint may have named it: see [`resolve`]).
pub(super) fn rekeyed_kinds(
    previous: &Previous<'_>,
    stubs: &stubs::StubSync,
    pages: &Pages,
) -> BTreeSet<String> {
    let mut kinds = previous.rekeyed.clone();
    kinds.extend(
        (stubs.added.iter())
            .filter_map(|&id| pages.get(id))
            .map(|page| page.kind().to_string()),
    );
    kinds
}

/// Resolves the references and parent of every page, or with `reuse`
/// only of the edited pages, the pages that link to them (whose links'
/// anchors may have come or gone), and, when keys changed in `rekeyed`
/// kinds, the pages that name one of those kinds or had a problem (whose
/// hint may name another kind). A stub or item gone (`went`) rekeys no
/// kind (what named it is its backlinks), but a problem's hint ("did you
/// mean `i-b6`?") may have named it: the pages that had a problem are
/// resolved again then too.
pub(super) fn resolve(
    pages: &Pages,
    config: &Config,
    unpublished: &Unpublished,
    reuse: Reuse<'_>,
    (rekeyed, went): (&BTreeSet<String>, bool),
) -> Vec<Resolved> {
    let resolver = Resolver {
        pages,
        config,
        unpublished,
    };
    let to_resolve: Vec<PageId> = match reuse {
        None => pages.ids().collect(),
        Some((old, changed)) => {
            let mut ids: HashSet<PageId> = changed.iter().copied().collect();
            for &id in changed {
                ids.extend(old.backlinks(id));
            }
            if !rekeyed.is_empty() || went {
                ids.extend(
                    pages
                        .par_iter()
                        .filter(|&(id, page)| {
                            // Guarded by tests/differential.rs (without the
                            // kinds: seed 8, step 19; without `went`, seed
                            // 554, step 71) and, for the problems, by
                            // tests/rekeyed.rs (`went`: an unknown ask's
                            // hint forgets an ask gone).
                            names_a_kind(page, rekeyed)
                                || old.problems.get(id.index()).is_some_and(|p| !p.is_empty())
                        })
                        .map(|(id, _)| id)
                        .collect::<Vec<_>>(),
                );
            }
            ids.into_iter()
                .filter(|&id| pages.get(id).is_some())
                .collect()
        }
    };
    to_resolve
        .into_par_iter()
        .map(|id| {
            let page = pages.page(id);
            let (refs, mut problems) = refs::resolve_refs(&resolver, id, page);
            let parent = refs::resolve_parent(&resolver, page, &mut problems);
            Resolved {
                id,
                refs,
                parent,
                problems,
            }
        })
        .collect()
}

/// Whether `page` refers or links to a page of one of `kinds`.
fn names_a_kind(page: &crate::content::Page, kinds: &BTreeSet<String>) -> bool {
    let fields = &page.fields;
    fields
        .refs
        .iter()
        .chain(fields.parent.as_ref())
        .any(|r| kinds.contains(&r.kind))
        || page.rendered.links.iter().any(|l| kinds.contains(&l.kind))
}

/// Puts the references, parents and problems of `resolved` into `graph`;
/// those of the other pages are `reuse`'s.
pub(super) fn take_references(
    graph: &mut Graph,
    pages: &Pages,
    reuse: Reuse<'_>,
    resolved: Vec<Resolved>,
) {
    if let Some((old, _)) = reuse {
        for id in pages.ids() {
            graph.refs[id.index()] = old.refs(id).to_vec();
            graph.declared_parent[id.index()] =
                old.declared_parent.get(id.index()).copied().flatten();
            graph.problems[id.index()] = old.problems.get(id.index()).cloned().unwrap_or_default();
        }
    }
    for r in resolved {
        graph.refs[r.id.index()] = r.refs;
        graph.declared_parent[r.id.index()] = r.parent;
        graph.problems[r.id.index()] = r.problems;
    }
}
