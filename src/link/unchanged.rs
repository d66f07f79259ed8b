//! When an edit leaves the link graph as it was: no page's references,
//! parent or place in its list changed. Then relinking keeps the graph
//! and only the problems of what was resolved again are new (a link's
//! `#anchor` may have come or gone).

use std::collections::HashSet;

use super::reresolve::Resolved;
use super::{Graph, order_key, refs, tree};
use crate::content::pages::{PageId, Pages};
use crate::diagnostic::Diagnostic;

/// Whether the pages `resolved` again have the references and parent
/// they had in `old`, and the pages `changed` the same kind and place in
/// their kind's order: then the graph is `old`'s.
pub(super) fn same_links(
    old: &Graph,
    changed: &HashSet<PageId>,
    resolved: &[Resolved],
    pages: &Pages,
) -> bool {
    old.refs.len() == pages.capacity()
        && resolved.iter().all(|r| {
            old.refs(r.id) == r.refs.as_slice()
                && old.declared_parent.get(r.id.index()).copied().flatten() == r.parent
        })
        && changed.iter().all(|&id| match pages.get(id) {
            Some(page) => old.order_key(id) == order_key(page) && old.kind_index(id) != u32::MAX,
            None => false,
        })
}

/// `graph` with the problems of the pages `resolved` again, and every
/// problem of the graph added to `diagnostics` (as a full linking adds
/// them).
pub(super) fn with_problems(
    mut graph: Graph,
    resolved: Vec<Resolved>,
    pages: &Pages,
    diagnostics: &mut Vec<Diagnostic>,
) -> Graph {
    for r in resolved {
        graph.problems[r.id.index()] = r.problems;
    }
    diagnostics.extend(graph.problems.iter().flatten().cloned());
    for cycle in tree::cycles(&graph.declared_parent) {
        diagnostics.push(refs::cycle_error(pages, &cycle));
    }
    graph
}
