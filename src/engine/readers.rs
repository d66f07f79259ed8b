//! Who read what: for each dep, the outputs whose last render read it
//! (see [`super::deps`] for what a dep's fingerprint is).

use rustc_hash::FxHashMap;

use crate::render::Target;
use crate::render::reader::{Dep, Deps};

/// Which outputs read each dep. Entries of a target rendered again are
/// left in place and skipped by their generation; the index is rebuilt
/// when the stale entries outnumber the live ones.
#[derive(Debug, Default, Clone)]
pub struct Readers {
    /// The index is not made: the records are the only truth (a build
    /// resumed from its kept state asks once, so scanning the records once
    /// is cheaper than indexing them).
    unindexed: bool,
    by_dep: FxHashMap<Dep, Vec<(Target, u64)>>,
    /// The generation of each target's current record.
    generation: FxHashMap<Target, u64>,
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
        self.generation.insert(target.clone(), generation);
        for &dep in deps {
            self.by_dep
                .entry(dep)
                .or_default()
                .push((target.clone(), generation));
        }
        self.entries += deps.len();
    }

    /// Forgets a target.
    pub fn remove(&mut self, target: &Target) {
        self.generation.remove(target);
    }

    /// The targets that read any of `deps`.
    pub fn of(&self, deps: &[Dep]) -> Vec<Target> {
        let mut out = Vec::new();
        for dep in deps {
            for (target, generation) in self.by_dep.get(dep).into_iter().flatten() {
                if self.generation.get(target) == Some(generation) {
                    out.push(target.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Rebuilds the index from the live records when it holds more stale
    /// entries than live ones. `reads` gives each live target's deps.
    pub fn compact<'a>(
        &mut self,
        live: impl Iterator<Item = (&'a Target, &'a Deps)> + Clone,
    ) -> bool {
        if self.unindexed {
            return false;
        }
        self.live = live.clone().map(|(_, d)| d.len()).sum();
        if self.entries <= 2 * self.live + 1024 {
            return false;
        }
        self.by_dep.clear();
        self.generation.clear();
        self.entries = 0;
        for (target, deps) in live {
            self.set(target, &deps.iter().collect::<Vec<_>>());
        }
        true
    }

    /// Whether any live target reads `dep`.
    pub fn is_read(&self, dep: &Dep) -> bool {
        self.by_dep.get(dep).is_some_and(|entries| {
            entries
                .iter()
                .any(|(t, g)| self.generation.get(t) == Some(g))
        })
    }
}
