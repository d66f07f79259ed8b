//! Related pages: pages of the same kind that share the most references,
//! each shared reference weighted by its kind (`[related.weights]`).

use crate::config::Config;
use crate::site::pages::{PageId, Pages};

/// A reference shared with more pages than this only counts the pages
/// nearest in list order (the closest in time, for dated kinds). Without
/// a bound, a sector mentioned by half of 100,000 briefs would make the
/// work grow with the square of the site.
pub const SCAN_LIMIT: usize = 2_000;

/// Reusable score buffers, one per worker thread.
#[derive(Debug, Default)]
pub struct Scratch {
    scores: Vec<f64>,
    touched: Vec<PageId>,
}

/// What related-page scoring needs from the graph.
pub struct Inputs<'a> {
    pub pages: &'a Pages,
    pub config: &'a Config,
    pub refs: &'a [Vec<PageId>],
    pub backlinks: &'a [Vec<PageId>],
    pub rank: &'a [u32],
    /// Each page's kind, as its position in the config (cheap to compare).
    pub kind_index: &'a [u32],
}

/// The pages of `kind` among `backlinks` (sorted by kind, then list
/// order), at most [`SCAN_LIMIT`] of them centred on `id`'s position.
fn nearby<'a>(
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
    if same.len() <= SCAN_LIMIT {
        return same;
    }
    let own = rank[id.index()];
    let at = same.partition_point(|p| rank[p.index()] < own);
    let from = at
        .saturating_sub(SCAN_LIMIT / 2)
        .min(same.len() - SCAN_LIMIT);
    &same[from..from + SCAN_LIMIT]
}

/// The related pages of `id`, best first (ties: list order).
pub fn related(inputs: &Inputs<'_>, id: PageId, scratch: &mut Scratch) -> Vec<PageId> {
    let limit = inputs.config.related.limit;
    if limit == 0 {
        return Vec::new();
    }
    let kind = inputs.kind_index[id.index()];
    if scratch.scores.len() < inputs.pages.capacity() {
        scratch.scores.resize(inputs.pages.capacity(), 0.0);
    }
    for &target in &inputs.refs[id.index()] {
        let weight = inputs
            .config
            .related
            .weight(inputs.pages.page(target).kind());
        if weight <= 0.0 {
            continue;
        }
        let backlinks = &inputs.backlinks[target.index()];
        for &other in nearby(inputs.kind_index, inputs.rank, backlinks, kind, id) {
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
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    best.truncate(limit);
    best.into_iter().map(|(_, _, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_backlink_lists_are_scanned_around_the_page() {
        // Ids 0..3 are of kind 0; ids 3.. of kind 1, ranked by id.
        let n = SCAN_LIMIT as u32 + 1_000;
        let kind_index: Vec<u32> = (0..n + 3).map(|i| u32::from(i >= 3)).collect();
        let rank: Vec<u32> = (0..n + 3).map(|i| i.saturating_sub(3)).collect();
        let backlinks: Vec<PageId> = (0..n + 3).map(PageId).collect();
        // A small kind block is taken whole.
        assert_eq!(
            nearby(&kind_index, &rank, &backlinks, 0, PageId(1)).len(),
            3
        );
        // A large one is cut to the limit around the page.
        let middle = PageId(3 + n / 2);
        let window = nearby(&kind_index, &rank, &backlinks, 1, middle);
        assert_eq!(window.len(), SCAN_LIMIT);
        assert!(window.contains(&middle));
        assert!(window.iter().all(|p| kind_index[p.index()] == 1));
        // At the end of the list the window stays inside it.
        let last = PageId(n + 2);
        let window = nearby(&kind_index, &rank, &backlinks, 1, last);
        assert_eq!(window.last(), Some(&last));
        assert_eq!(window.len(), SCAN_LIMIT);
    }
}
