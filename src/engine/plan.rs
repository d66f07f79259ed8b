//! What an update renders: the outputs the site has now, and where they
//! are in each other's way ([`Layout`]); then, of those, the ones whose
//! reads changed, the new ones and the ones that failed or waited.

use std::collections::BTreeSet;

use super::{Engine, Update};
use crate::diagnostic::display_path;
use crate::output::Body;
use crate::problems::Stage;
use crate::render::{Target, targets};

impl Engine {
    /// What to render: `dirty`, the new targets and those that failed or
    /// waited, less those that wait now (their page's file has errors)
    /// and, without `with_search`, the search index and data files;
    /// forgets the targets the site no longer has, and says the
    /// collisions `layout` found.
    pub(super) fn plan(
        &mut self,
        mut dirty: BTreeSet<Target>,
        layout: Layout,
        with_search: bool,
        update: &mut Update,
    ) -> BTreeSet<Target> {
        let Layout { every, collisions } = layout;
        // Guarded by tests/differential.rs (aliases that clash): without
        // the filter, it fails at the first step of seed 1.
        let all: Vec<&Target> = every
            .iter()
            .filter(|t| !collisions.lost.contains(*t))
            .collect();
        let all_set: rustc_hash::FxHashSet<&Target> = all.iter().copied().collect();
        // Gone: what rendered, and what failed before it ever did (a new
        // page whose first render failed has no record, but a problem).
        let gone: Vec<Target> = self
            .records
            .keys()
            .chain(&self.last_good.failed)
            .filter(|t| !all_set.contains(t))
            .cloned()
            .collect();
        for target in gone {
            self.forget(&target, update);
        }
        self.last_good.waiting.retain(|t| all_set.contains(t));
        dirty.extend(
            all.iter()
                .filter(|t| !self.records.contains_key(**t))
                .map(|t| (*t).clone()),
        );
        dirty.extend(self.last_good.failed.iter().cloned());
        dirty.append(&mut self.last_good.waiting);
        dirty.retain(|t| all_set.contains(t));
        // A page whose file has errors keeps its last good version.
        let broken = self.site.problems.files_with_errors();
        if !broken.is_empty() {
            let site = &self.site;
            let records = &self.records;
            let (wait, go): (BTreeSet<Target>, BTreeSet<Target>) =
                std::mem::take(&mut dirty).into_iter().partition(|t| {
                    records.contains_key(t)
                        && t.page().and_then(|id| site.pages.get(id)).is_some_and(|p| {
                            !p.stub && broken.contains(&display_path(&p.file.path))
                        })
                });
            self.last_good.waiting = wait;
            dirty = go;
        }
        if !with_search {
            let records = &self.records;
            let (later, now): (BTreeSet<Target>, BTreeSet<Target>) = std::mem::take(&mut dirty)
                .into_iter()
                .partition(|t| super::deferred(t) && records.contains_key(t));
            self.deferred.extend(later);
            dirty = now;
        }
        // After the pages that wait are known: a collision's error is in
        // a page's file, and makes it wait from the next update on.
        self.site_mut()
            .problems
            .set(Stage::Outputs, "", collisions.problems);
        dirty
    }
}

/// Every output the site has, and where they are in each other's way.
pub(super) struct Layout {
    every: Vec<Target>,
    collisions: crate::render::collisions::Collisions,
}

impl Layout {
    /// The outputs of `site`, with its static files `statics`.
    pub(super) fn of(
        site: &crate::site::Site,
        statics: &std::collections::BTreeMap<String, (Body, u64)>,
    ) -> Layout {
        let every = targets::all(site);
        let statics = statics
            .iter()
            .map(|(path, (body, _))| (path.as_str(), body));
        let collisions = crate::render::collisions::check_collisions(site, &every, statics);
        Layout { every, collisions }
    }
}
