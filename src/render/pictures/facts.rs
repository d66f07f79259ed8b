//! The facts pictures count: months, tallies, the dated pages that
//! mention a page, and the pages most often mentioned with it. Pure
//! functions of the site, so that a fingerprint of what a picture read is
//! the facts themselves (see `crate::engine::deps`), with the prints that
//! tell when to count them again (`crate::engine::maps`).

use std::hash::{Hash, Hasher};

use jiff::civil::Date;
use rustc_hash::{FxHashMap, FxHashSet};

use super::MAP_NODES;
use crate::config::Schema;
use crate::content::Fields;
use crate::content::page::Status;
use crate::content::pages::PageId;
use crate::site::Site;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    pub fn new(year: i32, month: i32) -> Month {
        Month(year * 12 + month - 1)
    }

    pub fn of(date: Date) -> Month {
        Month::new(i32::from(date.year()), i32::from(date.month()))
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// January is 0.
    pub fn month0(self) -> usize {
        self.0.rem_euclid(12) as usize
    }

    /// How many months from `earlier` to this one.
    pub fn since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }
}

/// How many in one month, by what a timeline tells apart. Entries are
/// all counted as `past`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    past: u32,
    upcoming: u32,
    tentative: u32,
}

impl Tally {
    pub fn entries(count: u32) -> Tally {
        Tally {
            past: count,
            ..Tally::default()
        }
    }

    pub fn total(&self) -> u32 {
        self.past + self.upcoming + self.tentative
    }

    /// The counts with the class each is drawn with, bottom up.
    pub fn parts(&self) -> [(u32, &'static str); 3] {
        [
            (self.past, "past"),
            (self.upcoming, "upcoming"),
            (self.tentative, "tentative"),
        ]
    }
}

/// What a picture knows of a dated page that mentions another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dated {
    /// The page's kind, as its position in the configuration.
    pub kind: u32,
    pub first: Date,
    /// Its end's last day, else its date's.
    pub last: Date,
    /// Not fixed yet (tentative or postponed).
    pub tentative: bool,
}

/// The dated pages that mention `id` (or, in a tree kind, any of its
/// descendants), in no set order (pictures count them); cancelled events
/// are left out.
pub fn dated_mentions(site: &Site, id: PageId) -> Vec<Dated> {
    dated_mentions_by(site, id, |_| true)
}

/// [`dated_mentions`] by the pages `by` keeps: those of one language.
pub fn dated_mentions_by(site: &Site, id: PageId, by: impl Fn(PageId) -> bool) -> Vec<Dated> {
    // Counted, not listed: in no set order.
    site.graph
        .mentioning(id)
        .into_iter()
        .filter(|&m| by(m))
        .filter_map(|m| dated(site, m))
        .collect()
}

fn dated(site: &Site, id: PageId) -> Option<Dated> {
    dated_fields(site.graph.kind_index(id), &site.page(id).fields)
}

/// A page of kind `kind` with front matter `f`, if it is dated and not
/// cancelled.
pub(super) fn dated_fields(kind: u32, f: &Fields) -> Option<Dated> {
    let date = f.date.as_ref()?.get_ref();
    if f.status == Some(Status::Cancelled) {
        return None;
    }
    Some(Dated {
        kind,
        first: date.day(),
        last: f.end.as_ref().map_or(date, |e| e.get_ref()).last_day(),
        tentative: matches!(f.status, Some(Status::Tentative | Status::Postponed)),
    })
}

/// The agencies and sectors most often mentioned by the pages that
/// mention `id` (the page itself and, in a tree kind, its subtree left
/// out): at most [`MAP_NODES`], strongest first, ties in kind and list
/// order.
pub fn neighbours(site: &Site, id: PageId) -> Vec<(PageId, u32)> {
    neighbours_among(site, id, &site.graph.mentions(id))
}

/// [`neighbours`], from the page's mentions as [`Graph::mentions`] lists
/// them.
///
/// [`Graph::mentions`]: crate::link::Graph::mentions
pub fn neighbours_among(site: &Site, id: PageId, mentions: &[PageId]) -> Vec<(PageId, u32)> {
    let graph = &site.graph;
    let mut own: FxHashSet<PageId> = graph.descendants(id).into_iter().collect();
    own.insert(id);
    let mapped: Vec<bool> = site
        .config
        .kinds
        .iter()
        .map(|k| matches!(k.schema, Schema::Agency | Schema::Sector))
        .collect();
    let mut counts: FxHashMap<PageId, u32> = FxHashMap::default();
    for &m in mentions {
        for &r in graph.refs(m) {
            let kind = graph.kind_index(r) as usize;
            if !own.contains(&r) && mapped.get(kind).copied().unwrap_or(false) {
                *counts.entry(r).or_default() += 1;
            }
        }
    }
    let mut best: Vec<(PageId, u32)> = counts.into_iter().collect();
    best.sort_unstable_by_key(|&(p, w)| {
        (
            std::cmp::Reverse(w),
            graph.kind_index(p),
            graph.order_key(p),
            p,
        )
    });
    best.truncate(MAP_NODES);
    best
}

/// A print of the dated pages among `mentions` (a page's, as
/// [`dated_mentions`] finds them), hashed as they are read: no list is
/// made, since a fingerprint is worked out for every page on every update.
pub fn dated_among_print(site: &Site, mentions: &[PageId]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    let mut count = 0usize;
    for d in mentions.iter().filter_map(|&m| dated(site, m)) {
        d.hash(&mut h);
        count += 1;
    }
    count.hash(&mut h);
    h.finish()
}

/// A print of what [`neighbours_among`] counts from, but the order keys
/// ties go by: the mentions, their references and the page's own
/// descendants. With it, whether any reference is in `rekeyed` (pages
/// whose order key changed): the neighbours are the same as when the
/// print was last the same, unless a reference was rekeyed since.
pub fn neighbours_inputs(
    site: &Site,
    id: PageId,
    mentions: &[PageId],
    rekeyed: &FxHashSet<PageId>,
) -> (u64, bool) {
    let graph = &site.graph;
    let mut h = rustc_hash::FxHasher::default();
    let mut touched = false;
    for &m in mentions {
        let refs = graph.refs(m);
        (m, refs).hash(&mut h);
        touched = touched || (!rekeyed.is_empty() && refs.iter().any(|r| rekeyed.contains(r)));
    }
    graph.descendants(id).hash(&mut h);
    (h.finish(), touched)
}

/// Counts by month of `dated` pages of kind `kind` in the `len` months
/// from `first`: an event is past, upcoming (not over by `today`) or
/// tentative.
pub(super) fn tallies(
    dated: &[Dated],
    kind: u32,
    first: Month,
    len: i32,
    today: Date,
) -> Vec<Tally> {
    let mut out = vec![Tally::default(); len.max(0) as usize];
    for d in dated.iter().filter(|d| d.kind == kind) {
        let at = Month::of(d.first).since(first);
        let Some(t) = usize::try_from(at).ok().and_then(|i| out.get_mut(i)) else {
            continue;
        };
        if d.tentative {
            t.tentative += 1;
        } else if d.last >= today {
            t.upcoming += 1;
        } else {
            t.past += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        let m = Month::new(2025, 11);
        assert_eq!(m.plus(2), Month::new(2026, 1));
        assert_eq!(m.plus(-11), Month::new(2024, 12));
        assert_eq!(m.plus(2).month0(), 0);
        assert_eq!(
            Month::of(jiff::civil::date(2024, 2, 29)),
            Month::new(2024, 2)
        );
    }

    #[test]
    fn events_are_past_upcoming_or_tentative() {
        let today = jiff::civil::date(2025, 6, 15);
        let at = |y, m, d| jiff::civil::date(y, m, d);
        let dated = [
            Dated {
                kind: 1,
                first: at(2025, 6, 1),
                last: at(2025, 6, 1),
                tentative: false,
            },
            Dated {
                kind: 1,
                first: at(2025, 6, 20),
                last: at(2025, 6, 20),
                tentative: false,
            },
            Dated {
                kind: 1,
                first: at(2025, 6, 1),
                last: at(2025, 6, 30),
                tentative: true,
            },
            // Another kind, and outside the window: not counted.
            Dated {
                kind: 0,
                first: at(2025, 6, 1),
                last: at(2025, 6, 1),
                tentative: false,
            },
            Dated {
                kind: 1,
                first: at(2020, 1, 1),
                last: at(2020, 1, 1),
                tentative: false,
            },
        ];
        let t = tallies(&dated, 1, Month::new(2025, 5), 3, today);
        assert_eq!(t[0], Tally::default());
        assert_eq!(t[1].parts().map(|p| p.0), [1, 1, 1]);
        assert_eq!(t[2].total(), 0);
    }
}
