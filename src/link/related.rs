//! Related pages: pages of the same kind that share the most references,
//! each shared reference weighted by its kind (`[related.weights]`).

use crate::config::Config;
use crate::site::pages::{PageId, Pages};

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
        for &other in &inputs.backlinks[target.index()] {
            if other == id || inputs.kind_index[other.index()] != kind {
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
