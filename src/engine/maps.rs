//! The prints of relationship maps ([`Dep::Neighbours`]), worked out again
//! only when what a map is counted from changed.
//!
//! A map's print is its neighbours, exactly: a print of what they are
//! counted from would change for every map an agency could be in when it
//! is renamed (hundreds of pages rendered again), where its neighbours
//! change for the few that show it. Counting them for every agency and
//! sector on every update is what costs; so each map keeps the print of
//! its inputs beside its own, and is counted again only when the inputs
//! changed or a page among its references changed order key.
//!
//! [`Dep::Neighbours`]: crate::render::reader::Dep::Neighbours

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::content::pages::PageId;
use crate::link::Graph;
use crate::render::pictures::{neighbours_among, neighbours_inputs};
use crate::site::Site;

/// Each map's inputs and print, and the order keys they were made with.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct MapPrints {
    known: FxHashMap<PageId, (u64, u64)>,
    order_keys: Vec<u64>,
}

/// A map's print as worked out: the print of its inputs, and its own.
pub struct Worked {
    pub inputs: u64,
    pub print: u64,
}

impl MapPrints {
    /// The pages whose order key changed since the prints were made (all
    /// of them after a start with none).
    pub fn rekeyed(&self, graph: &Graph) -> FxHashSet<PageId> {
        let keys = graph.order_keys();
        (0..keys.len().max(self.order_keys.len()))
            .filter(|&i| keys.get(i) != self.order_keys.get(i))
            .map(|i| PageId(i as u32))
            .collect()
    }

    /// The print of page `id`'s map: the last one, if its inputs are the
    /// same and none of its references was `rekeyed`. Guarded by
    /// tests/prints.rs: without the rekeyed references, an agency renamed
    /// into a map that left it out is missed.
    pub fn print(
        &self,
        site: &Site,
        id: PageId,
        mentions: &[PageId],
        rekeyed: &FxHashSet<PageId>,
    ) -> Worked {
        let (inputs, touched) = neighbours_inputs(site, id, mentions, rekeyed);
        match self.known.get(&id) {
            Some(&(known, print)) if known == inputs && !touched => Worked { inputs, print },
            _ => Worked {
                inputs,
                print: map_print(site, id, mentions),
            },
        }
    }

    /// Keeps the maps worked out by one refresh, made with `graph`'s
    /// order keys, in place of all others: a map kept from an earlier
    /// refresh would miss the order keys that changed in between.
    pub fn remember(&mut self, worked: impl IntoIterator<Item = (PageId, Worked)>, graph: &Graph) {
        self.known = worked
            .into_iter()
            .map(|(id, w)| (id, (w.inputs, w.print)))
            .collect();
        self.order_keys = graph.order_keys().to_vec();
    }
}

/// The print of page `id`'s map: its neighbours.
pub fn map_print(site: &Site, id: PageId, mentions: &[PageId]) -> u64 {
    let mut h = FxHasher::default();
    neighbours_among(site, id, mentions).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map not worked out by the last refresh is forgotten: kept, it
    /// would be taken for current later, though order keys changed in
    /// refreshes it missed (its page unread for a while).
    #[test]
    fn a_refresh_keeps_only_the_maps_it_worked_out() {
        let graph = Graph::default();
        let mut maps = MapPrints::default();
        let worked = |id: u32| {
            (
                PageId(id),
                Worked {
                    inputs: 7,
                    print: 9,
                },
            )
        };
        maps.remember([worked(1), worked(2)], &graph);
        maps.remember([worked(2)], &graph);
        assert!(!maps.known.contains_key(&PageId(1)));
        assert_eq!(maps.known.get(&PageId(2)), Some(&(7, 9)));
    }
}
