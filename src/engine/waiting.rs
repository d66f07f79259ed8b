//! Outputs that wait: a page whose file has errors keeps its last good
//! files, and is rendered for its problems alone until they are gone.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::Engine;
use crate::diagnostic::display_path;
use crate::problems::Stage;
use crate::render::{Renderer, Target};

impl Engine {
    /// Renders the outputs that wait (their page's file has errors, and
    /// they keep their last good files) for their problems alone: a fresh
    /// build renders them, and says what their render says.
    pub(super) fn waiting_problems(&mut self, renderer: &Renderer) {
        let (site, data) = (&self.site, &self.data);
        let problems: Vec<(String, Option<Vec<crate::diagnostic::Diagnostic>>)> = self
            .last_good
            .waiting
            .par_iter()
            .map(|target| {
                let (result, _) = renderer.render(site, data, target);
                (format!("{target:?}"), result.err())
            })
            .collect();
        let site = self.site_mut();
        for (key, problems) in problems {
            match problems {
                Some(problems) => site.problems.set(Stage::Render, key, problems),
                None => site.problems.clear(Stage::Render, &key),
            }
        }
    }

    /// The outputs that waited for the errors their page's file had from
    /// renders (a figure of a file not there yet, in the page and in its
    /// feeds), all gone now: they render in this update, as a fresh build
    /// would. Guarded by tests/differential.rs (figure edits): without it,
    /// seed 7 fails at step 39.
    pub(super) fn no_longer_waiting(&mut self) -> BTreeSet<Target> {
        let broken = self.site.problems.files_with_errors();
        let site = &self.site;
        let (still, ready): (BTreeSet<Target>, BTreeSet<Target>) =
            std::mem::take(&mut self.last_good.waiting)
                .into_iter()
                .partition(|t| {
                    t.page()
                        .and_then(|id| site.pages.get(id))
                        .is_some_and(|p| broken.contains(&display_path(&p.file.path)))
                });
        self.last_good.waiting = still;
        ready
    }
}
