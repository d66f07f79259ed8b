//! Related pages: pages of the same kind that share the most references,
//! each shared reference weighted by its kind (`[related.weights]`).
//!
//! After an edit, [`update`] recomputes the lists the edit can change and
//! keeps the others: a page's list changes only when its score with an
//! edited page changes and that page is in the list or now scores enough
//! to enter it, or when the edited page came, went or moved in a
//! reference's list longer than the window (`[related] window`) that the
//! page shares (the window of that list it counts may then hold other
//! pages). Guarded by the differential test, whose world sets a window
//! of a few pages so that lists cross it.

use std::collections::HashSet;

use rayon::prelude::*;

use super::Graph;
use crate::config::Config;
use crate::content::pages::{PageId, Pages};

/// Reusable score buffers, one per worker thread.
#[derive(Debug, Default)]
pub struct Scratch {
    scores: Vec<f64>,
    touched: Vec<PageId>,
}

/// What related-page scoring needs from the graph.
pub struct Inputs<'a> {
    pub pages: &'a Pages,
    pub limit: usize,
    /// `[related] window`: how many pages of a long shared list count.
    pub window: usize,
    pub refs: &'a [Vec<PageId>],
    pub backlinks: &'a [Vec<PageId>],
    pub rank: &'a [u32],
    graph: &'a Graph,
    /// Each page's kind, as its position in the config (cheap to compare).
    pub kind_index: &'a [u32],
    /// The weight of a shared reference, by the kind index of the page referenced.
    pub weights: Vec<f64>,
    /// By kind index: whether a page relates only pages listed after it
    /// (older, in a kind listed by date; `[related] include_newer`).
    pub older_only: Vec<bool>,
}

impl<'a> Inputs<'a> {
    pub fn new(pages: &'a Pages, config: &Config, graph: &'a Graph) -> Inputs<'a> {
        Inputs {
            pages,
            limit: config.related.limit,
            window: config.related.window,
            refs: &graph.refs,
            backlinks: &graph.backlinks,
            rank: &graph.rank,
            graph,
            kind_index: &graph.kind_index,
            weights: config
                .kinds
                .iter()
                .map(|k| config.related.weight_of(k))
                .collect(),
            older_only: config
                .kinds
                .iter()
                .map(|k| k.sort_by == crate::config::SortBy::Date && !config.related.include_newer)
                .collect(),
        }
    }

    fn order_key(&self, id: PageId) -> u64 {
        self.graph.order_key(id)
    }

    fn older_only(&self, kind_index: u32) -> bool {
        self.older_only
            .get(kind_index as usize)
            .copied()
            .unwrap_or(false)
    }

    fn weight_of(&self, kind_index: u32) -> f64 {
        self.weights
            .get(kind_index as usize)
            .copied()
            .unwrap_or(1.0)
    }
}

/// Related pages of every page: (id, related ids, floor score).
pub fn all(inputs: &Inputs<'_>) -> Vec<(PageId, Vec<PageId>, f64)> {
    let ids: Vec<PageId> = inputs.pages.ids().collect();
    ids.par_iter()
        .map_init(Scratch::default, |scratch, &id| {
            let (list, floor) = related(inputs, id, scratch);
            (id, list, floor)
        })
        .collect()
}

/// Related pages of every page after `changed` pages (added, edited, or
/// removed) changed, reusing `previous` lists the change cannot affect.
///
/// Long: which related lists an edit can change, worked out in one pass over
/// the changed pages (each step leans on the sets of the one before).
pub fn update(
    inputs: &Inputs<'_>,
    previous: &Graph,
    changed: &HashSet<PageId>,
) -> Vec<(PageId, Vec<PageId>, f64)> {
    let mut recompute: HashSet<PageId> = changed
        .iter()
        .copied()
        .filter(|&id| inputs.pages.get(id).is_some())
        .collect();
    for &p in changed {
        let old_refs = previous.refs(p);
        let new_refs = inputs.refs.get(p.index()).map_or(&[][..], Vec::as_slice);
        // Whether the page moved among the others (not only in position,
        // which pages coming or going before it change): related lists
        // break ties by list order.
        // Guarded by tests/live.rs
        // `a_page_that_moves_among_the_others_in_place_reorders_related_lists`.
        let moved = previous.order_key(p) != inputs.order_key(p);
        if old_refs == new_refs && !moved {
            continue;
        }
        let kind = if inputs.pages.get(p).is_some() {
            inputs.kind_index[p.index()]
        } else {
            previous.kind_index(p)
        };
        // Where a page relates only older pages, `p` can be in the list,
        // or move the window, of the pages listed before it alone (in
        // the graph before the change or after it).
        // (A page a graph lacks has no rank: `u32::MAX`.)
        let new_rank = |q: PageId| inputs.rank.get(q.index()).copied().unwrap_or(u32::MAX);
        let before = |rank: &dyn Fn(PageId) -> u32, q: PageId| {
            let own = rank(p);
            own != u32::MAX && rank(q) < own
        };
        let newer_than_p = |q: PageId| {
            !inputs.older_only(kind) || before(&|x| previous.rank(x), q) || before(&new_rank, q)
        };
        let mut candidates: HashSet<PageId> = HashSet::new();
        // Pages whose window on a reference shared by more than
        // `window` pages moved: `p` came, went or moved in that list, so
        // which pages the window holds may change for every page in it.
        let mut shifted: HashSet<PageId> = HashSet::new();
        let mut consider = |backlinks: &[PageId], kind_of: &dyn Fn(PageId) -> u32| {
            let same: Vec<PageId> = backlinks
                .iter()
                .copied()
                .filter(|&q| kind_of(q) == kind)
                .collect();
            // Counted before the older pages are left out: past the
            // window, `p` moves the window of the pages before it
            // (counted after, tests/differential.rs fails at seed 2,
            // step 16).
            let long = same.len() > inputs.window;
            let same = same.into_iter().filter(|&q| newer_than_p(q));
            if long {
                let same: Vec<PageId> = same.collect();
                shifted.extend(same.iter().copied());
                candidates.extend(same);
            } else {
                candidates.extend(same);
            }
        };
        for &r in old_refs {
            consider(previous.backlinks(r), &|q| previous.kind_index(q));
        }
        for &r in new_refs {
            consider(&inputs.backlinks[r.index()], &|q| {
                inputs.kind_index[q.index()]
            });
        }
        recompute.extend(
            shifted
                .into_iter()
                .filter(|&q| q != p && inputs.pages.get(q).is_some()),
        );
        for q in candidates {
            if q == p || recompute.contains(&q) || inputs.pages.get(q).is_none() {
                continue;
            }
            let before = shared(inputs, previous.refs(q), old_refs, |r| {
                previous.kind_index(r)
            });
            let after = shared(inputs, &inputs.refs[q.index()], new_refs, |r| {
                inputs.kind_index[r.index()]
            });
            if before == after && !moved {
                continue;
            }
            let listed = previous.related(q).contains(&p);
            let could_enter = after > 0.0
                && (previous.related(q).len() < inputs.limit || after >= previous.related_floor(q));
            if listed || could_enter {
                recompute.insert(q);
            }
        }
    }
    let ids: Vec<PageId> = inputs.pages.ids().collect();
    ids.par_iter()
        .map_init(Scratch::default, |scratch, &id| {
            if recompute.contains(&id) {
                let (list, floor) = related(inputs, id, scratch);
                (id, list, floor)
            } else {
                (
                    id,
                    previous.related(id).to_vec(),
                    previous.related_floor(id),
                )
            }
        })
        .collect()
}

/// The weight two pages share through references in both of their lists.
fn shared(inputs: &Inputs<'_>, a: &[PageId], b: &[PageId], kind_of: impl Fn(PageId) -> u32) -> f64 {
    a.iter()
        .filter(|r| b.contains(r))
        .map(|&r| inputs.weight_of(kind_of(r)))
        .filter(|w| *w > 0.0)
        .sum()
}

/// Which pages of a long shared list count for a page.
#[derive(Clone, Copy)]
struct Window {
    /// At most this many.
    size: usize,
    /// Only those listed after the page.
    older_only: bool,
}

/// The pages of `kind` among `backlinks` (sorted by kind, then list
/// order), at most `window.size` of them: centred on `id`'s position, or
/// the first ones after it when only older pages count.
fn nearby<'a>(
    window: Window,
    kind_index: &[u32],
    rank: &[u32],
    backlinks: &'a [PageId],
    kind: u32,
    id: PageId,
) -> &'a [PageId] {
    let kind_of = |p: &PageId| kind_index[p.index()];
    let start = backlinks.partition_point(|p| kind_of(p) < kind);
    let end = backlinks.partition_point(|p| kind_of(p) <= kind);
    let same = &backlinks[start..end];
    let own = rank[id.index()];
    if window.older_only {
        let after = same.partition_point(|p| rank[p.index()] <= own);
        return &same[after..(after + window.size).min(same.len())];
    }
    let window = window.size;
    if same.len() <= window {
        return same;
    }
    let at = same.partition_point(|p| rank[p.index()] < own);
    let from = at.saturating_sub(window / 2).min(same.len() - window);
    &same[from..from + window]
}

/// The related pages of `id`, best first (ties: list order), and the
/// score of the last one when the list is full (else 0).
pub fn related(inputs: &Inputs<'_>, id: PageId, scratch: &mut Scratch) -> (Vec<PageId>, f64) {
    let limit = inputs.limit;
    if limit == 0 {
        return (Vec::new(), 0.0);
    }
    let kind = inputs.kind_index[id.index()];
    if scratch.scores.len() < inputs.pages.capacity() {
        scratch.scores.resize(inputs.pages.capacity(), 0.0);
    }
    for &target in &inputs.refs[id.index()] {
        let weight = inputs.weight_of(inputs.kind_index[target.index()]);
        if weight <= 0.0 {
            continue;
        }
        let backlinks = &inputs.backlinks[target.index()];
        let window = Window {
            size: inputs.window,
            older_only: inputs.older_only(kind),
        };
        for &other in nearby(window, inputs.kind_index, inputs.rank, backlinks, kind, id) {
            if other == id {
                continue;
            }
            let score = &mut scratch.scores[other.index()];
            if *score == 0.0 {
                scratch.touched.push(other);
            }
            *score += weight;
        }
    }
    let mut best: Vec<(f64, u32, PageId)> = scratch
        .touched
        .drain(..)
        .map(|other| {
            let score = std::mem::take(&mut scratch.scores[other.index()]);
            (score, inputs.rank[other.index()], other)
        })
        .collect();
    // Best first, ties in list order: a strict order, as ranks within a
    // kind differ. Only the first `limit` are sorted; a page shares
    // references with thousands.
    let order =
        |a: &(f64, u32, PageId), b: &(f64, u32, PageId)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if best.len() > limit {
        best.select_nth_unstable_by(limit - 1, order);
        best.truncate(limit);
    }
    best.sort_unstable_by(order);
    let floor = if best.len() == limit {
        best.last().map_or(0.0, |b| b.0)
    } else {
        0.0
    };
    (best.into_iter().map(|(_, _, id)| id).collect(), floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centred(size: usize) -> Window {
        Window {
            size,
            older_only: false,
        }
    }

    #[test]
    fn large_backlink_lists_are_scanned_around_the_page() {
        // Ids 0..3 are of kind 0; ids 3.. of kind 1, ranked by id.
        const SCAN_LIMIT: usize = 1_000;
        let n = SCAN_LIMIT as u32 + 1_000;
        let kind_index: Vec<u32> = (0..n + 3).map(|i| u32::from(i >= 3)).collect();
        let rank: Vec<u32> = (0..n + 3).map(|i| i.saturating_sub(3)).collect();
        let backlinks: Vec<PageId> = (0..n + 3).map(PageId).collect();
        // A small kind block is taken whole.
        assert_eq!(
            nearby(
                centred(SCAN_LIMIT),
                &kind_index,
                &rank,
                &backlinks,
                0,
                PageId(1)
            )
            .len(),
            3
        );
        // A large one is cut to the limit around the page.
        let middle = PageId(3 + n / 2);
        let window = nearby(
            centred(SCAN_LIMIT),
            &kind_index,
            &rank,
            &backlinks,
            1,
            middle,
        );
        assert_eq!(window.len(), SCAN_LIMIT);
        assert!(window.contains(&middle));
        assert!(window.iter().all(|p| kind_index[p.index()] == 1));
        // At the end of the list the window stays inside it.
        let last = PageId(n + 2);
        let window = nearby(centred(SCAN_LIMIT), &kind_index, &rank, &backlinks, 1, last);
        assert_eq!(window.last(), Some(&last));
        assert_eq!(window.len(), SCAN_LIMIT);
        // Where only older pages count: the ones listed after the page.
        let older = Window {
            size: SCAN_LIMIT,
            older_only: true,
        };
        let early = PageId(3 + 10);
        let window = nearby(older, &kind_index, &rank, &backlinks, 1, early);
        assert_eq!(window.len(), SCAN_LIMIT);
        assert_eq!(window[0], PageId(early.0 + 1));
        let window = nearby(older, &kind_index, &rank, &backlinks, 1, middle);
        assert_eq!(window.len(), (n - 1 - n / 2) as usize);
        assert!(nearby(older, &kind_index, &rank, &backlinks, 1, last).is_empty());
    }
}
