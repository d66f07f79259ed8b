//! Who read what: for each dep, the outputs whose last render read it
//! (see [`super::deps`] for what a dep's fingerprint is).

use rustc_hash::FxHashMap;

use crate::render::Target;
use crate::render::reader::{Dep, Deps};

/// Which outputs read each dep. Entries of a target rendered again are
/// left in place and skipped by their generation; they are dropped when
/// the stale entries outnumber the live ones.
///
/// Long: targets are numbered once (`slots`), and the index holds their
/// numbers: setting a target's ten thousand reads (the search index's)
/// copies a number, not the target, and telling a stale entry from a
/// live one looks at a vector, not a hash map.
#[derive(Debug, Default, Clone)]
pub struct Readers {
    /// The index is not made: the records are the only truth (a build
    /// resumed from its kept state asks once, so scanning the records once
    /// is cheaper than indexing them).
    unindexed: bool,
    by_dep: FxHashMap<Dep, Vec<(u32, u64)>>,
    /// Each target's number (kept when the target goes: a live site
    /// numbers each output it ever had, a few more than it has)...
    slots: FxHashMap<Target, u32>,
    /// ...the target of each number...
    targets: Vec<Target>,
    /// ...and the generation of its current record (0: it has none).
    generation: Vec<u64>,
    next: u64,
    entries: usize,
    live: usize,
}

impl Readers {
    /// Readers with no index: see [`Readers::of_records`].
    pub fn unindexed() -> Readers {
        Readers {
            unindexed: true,
            ..Readers::default()
        }
    }

    pub fn is_indexed(&self) -> bool {
        !self.unindexed
    }

    /// The targets whose reads include any of `deps`, from the records
    /// themselves: for readers with no index.
    pub fn of_records<'a>(
        deps: &[Dep],
        records: impl rayon::iter::IntoParallelIterator<Item = (&'a Target, &'a Deps)>,
    ) -> Vec<Target> {
        use rayon::iter::ParallelIterator;
        let wanted = crate::render::reader::Wanted::new(deps);
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<Target> = records
            .into_par_iter()
            .filter(|(_, reads)| wanted.any_in(reads))
            .map(|(target, _)| target.clone())
            .collect();
        out.sort();
        out
    }

    /// Records that `target` (rendered again) reads `deps`.
    pub fn set(&mut self, target: &Target, deps: &[Dep]) {
        if self.unindexed {
            return;
        }
        self.next += 1;
        let generation = self.next;
        let slot = match self.slots.get(target) {
            Some(&slot) => slot,
            None => {
                // Fewer targets than u32::MAX: each is an output file.
                let slot = u32::try_from(self.targets.len()).unwrap_or(u32::MAX);
                self.slots.insert(target.clone(), slot);
                self.targets.push(target.clone());
                self.generation.push(0);
                slot
            }
        };
        self.generation[slot as usize] = generation;
        for &dep in deps {
            self.by_dep.entry(dep).or_default().push((slot, generation));
        }
        self.entries += deps.len();
    }

    /// Forgets a target.
    pub fn remove(&mut self, target: &Target) {
        if let Some(&slot) = self.slots.get(target) {
            self.generation[slot as usize] = 0;
        }
    }

    /// Whether an entry is of its target's current record.
    fn is_live(&self, (slot, generation): (u32, u64)) -> bool {
        self.generation.get(slot as usize) == Some(&generation)
    }

    /// The targets that read any of `deps`.
    pub fn of(&self, deps: &[Dep]) -> Vec<Target> {
        let mut slots: Vec<u32> = deps
            .iter()
            .flat_map(|dep| self.by_dep.get(dep).into_iter().flatten())
            .filter(|&&entry| self.is_live(entry))
            .map(|&(slot, _)| slot)
            .collect();
        slots.sort_unstable();
        slots.dedup();
        let mut out: Vec<Target> = (slots.iter())
            .map(|&slot| self.targets[slot as usize].clone())
            .collect();
        out.sort();
        out
    }

    /// Drops the stale entries when they outnumber the live ones. `live`
    /// gives each live target's deps.
    ///
    /// Long: the live entries are exactly those of the targets' current
    /// generations (each render sets all it read, or leaves its entries
    /// as they are when it read the same), so keeping those, in place and
    /// in parallel, is the index rebuilt from the records: without the
    /// hundreds of milliseconds that rebuilding it took at 10,000 pages,
    /// in every tenth update of a live site. Guarded by
    /// tests/differential.rs: keeping the stale entries in place of the
    /// live ones fails at seed 1, step 19.
    pub fn compact<'a>(&mut self, live: impl Iterator<Item = (&'a Target, &'a Deps)>) -> bool {
        use rayon::prelude::*;
        if self.unindexed {
            return false;
        }
        self.live = live.map(|(_, d)| d.len()).sum();
        if self.entries <= 2 * self.live + 1024 {
            return false;
        }
        let generation = &self.generation;
        self.entries = (self.by_dep.par_iter_mut())
            .map(|(_, entries)| {
                entries.retain(|&(slot, g)| generation.get(slot as usize) == Some(&g));
                entries.len()
            })
            .sum();
        self.by_dep.retain(|_, entries| !entries.is_empty());
        true
    }

    /// Whether any live target reads `dep`.
    pub fn is_read(&self, dep: &Dep) -> bool {
        (self.by_dep.get(dep)).is_some_and(|entries| entries.iter().any(|&e| self.is_live(e)))
    }
}
