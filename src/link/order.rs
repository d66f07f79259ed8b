//! Each kind's list order: how two pages compare, what places a page in
//! the order (its key, to tell whether an edit moved it), and the orders
//! of a linking (a kind none of whose pages changed keeps its own).

use std::cmp::{Ordering, Reverse};

use super::{Graph, Reuse};
use crate::config::{Config, SortBy};
use crate::content::Page;
use crate::content::pages::{PageId, Pages};

/// Orders two pages of a kind as its list does; `a_title` and `b_title`
/// are their titles lowercased.
fn list_order(a: &Page, b: &Page, a_title: &str, b_title: &str, sort_by: SortBy) -> Ordering {
    let by_title = || a_title.cmp(b_title).then_with(|| a.key.cmp(&b.key));
    match sort_by {
        SortBy::Title => by_title(),
        SortBy::Date => {
            let date = |p: &Page| p.fields.date.as_ref().map(|d| Reverse(*d.get_ref()));
            // Undated pages go last.
            match (date(a), date(b)) {
                (Some(x), Some(y)) => x.cmp(&y).then_with(by_title),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => by_title(),
            }
        }
    }
}

/// What places a page in its kind's order, as a hash (see
/// [`Graph::order_key`]).
pub(super) fn order_key(page: &Page) -> u64 {
    let date = page.fields.date.as_ref().map(|d| *d.get_ref());
    std::hash::BuildHasher::hash_one(
        &rustc_hash::FxBuildHasher,
        (date, &page.fields.title, &page.key),
    ) | 1
}

/// Each kind's pages in list order, with each page's rank and order key.
pub(super) fn order_kinds(graph: &mut Graph, pages: &Pages, config: &Config, reuse: Reuse<'_>) {
    for kind in &config.kinds {
        graph.order.insert(kind.name.clone(), Vec::new());
    }
    for (id, page) in pages.iter() {
        graph.kind_index[id.index()] = config.kind_index(page.kind()) as u32;
    }
    for kind in &config.kinds {
        let kind_number = config.kind_index(&kind.name) as u32;
        // A kind none of whose pages changed keeps its order. Guarded by
        // tests/differential.rs: keeping every kind's order, it fails at
        // seed 1, step 18. (Either half of the check alone is enough: a
        // page that changes kind changes key, and then nothing is kept.)
        let unchanged = reuse.is_some_and(|(old, changed)| {
            changed
                .iter()
                .all(|&id| old.kind_index(id) != kind_number && graph.kind_index(id) != kind_number)
        });
        let list = match (unchanged, reuse) {
            (true, Some((old, _))) => old.ordered(&kind.name).to_vec(),
            (false, Some((old, changed))) if changed.len() <= INSERTED_AT_MOST => inserted(
                old.ordered(&kind.name),
                changed,
                pages,
                &kind.name,
                kind.sort_by,
            ),
            _ => sorted(pages, &kind.name, kind.sort_by),
        };
        for (rank, id) in list.iter().enumerate() {
            graph.rank[id.index()] = rank as u32;
        }
        // A page not placed since the last graph has the key it had
        // there (a key is worked out from the page alone). Guarded by
        // tests/differential.rs: taking every key the last graph had, it
        // fails at seed 1, step 21.
        for &id in &list {
            graph.order_key[id.index()] = match reuse {
                Some((old, placed)) if !placed.contains(&id) => old.order_key(id),
                _ => order_key(pages.page(id)),
            };
        }
        graph.order.insert(kind.name.clone(), list);
    }
}

/// Past this many changed pages, a kind's list is sorted again rather
/// than the pages put in their places one by one.
const INSERTED_AT_MOST: usize = 64;

/// Every page of `kind`, sorted.
fn sorted(pages: &Pages, kind: &str, sort_by: SortBy) -> Vec<PageId> {
    let mut list: Vec<PageId> = pages
        .iter()
        .filter(|(_, p)| p.kind() == kind)
        .map(|(id, _)| id)
        .collect();
    // Titles lowercased once, not at every comparison.
    let keys: rustc_hash::FxHashMap<PageId, String> = list
        .iter()
        .map(|&id| (id, pages.page(id).fields.title.to_lowercase()))
        .collect();
    list.sort_by(|&a, &b| list_order(pages.page(a), pages.page(b), &keys[&a], &keys[&b], sort_by));
    list
}

/// `old` (a kind's last list) without the `changed` pages, and with those
/// of them that are of `kind` now put in their places: the day's brief
/// costs a few comparisons, not a sort of 10,000. The list order is total
/// (a page's key breaks every tie), so this is the list [`sorted`] makes.
/// Guarded by tests/differential.rs, whose pages come, go and move.
fn inserted(
    old: &[PageId],
    changed: &std::collections::HashSet<PageId>,
    pages: &Pages,
    kind: &str,
    sort_by: SortBy,
) -> Vec<PageId> {
    let mut list: Vec<PageId> = old
        .iter()
        .copied()
        .filter(|id| !changed.contains(id))
        .collect();
    let mut new: Vec<PageId> = changed
        .iter()
        .copied()
        .filter(|&id| pages.get(id).is_some_and(|p| p.kind() == kind))
        .collect();
    // In id order: the same list whatever order the set gives.
    new.sort_unstable();
    for id in new {
        let page = pages.page(id);
        let title = page.fields.title.to_lowercase();
        let at = list.partition_point(|&other| {
            let o = pages.page(other);
            list_order(o, page, &o.fields.title.to_lowercase(), &title, sort_by) == Ordering::Less
        });
        list.insert(at, id);
    }
    list
}
