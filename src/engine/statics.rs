//! Static files in the engine: read with a fingerprint each, and merged
//! into the outputs (a generated page at the same path wins).

use std::collections::HashSet;

use super::{Engine, Update};
use crate::output::{Body, Outputs, static_files};
use crate::problems::Stage;

impl Engine {
    /// Reads the static folders again, with a fingerprint of each file.
    pub(super) fn collect_statics(&mut self) {
        let mut fresh = Outputs::default();
        let problems =
            static_files::collect(&self.site.boundary, &self.site.config.theme, &mut fresh);
        self.site_mut()
            .problems
            .set(Stage::Statics, "read", problems);
        self.statics = fresh
            .files
            .into_iter()
            .map(|(path, body)| {
                let print = match &body {
                    Body::Bytes(b) => xxhash_rust::xxh3::xxh3_64(b),
                    Body::Copy(from) => {
                        std::fs::read(from).map_or(0, |b| xxhash_rust::xxh3::xxh3_64(&b).max(1))
                    }
                };
                (path, (body, print))
            })
            .collect();
    }

    /// Puts the static files into the outputs: those that are new or whose
    /// contents changed, and removes those that are gone. A page generated
    /// at the same path wins, with a warning.
    pub(super) fn merge_statics(&mut self, update: &mut Update) {
        let mut replaced = Vec::new();
        let held: HashSet<&String> = self.last_good.orphans.values().flatten().collect();
        let stale: Vec<String> = self
            .outputs
            .files
            .iter()
            .filter(|(path, _)| {
                !self.owners.contains_key(*path)
                    && !self.statics.contains_key(*path)
                    && !held.contains(path)
            })
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            self.outputs.files.remove(&path);
            update.removed.push(path);
        }
        for (path, (body, print)) in &self.statics {
            if self.owners.contains_key(path) {
                if let Body::Copy(from) = body {
                    replaced.push(static_files::replaced_warning(&self.site.root, path, from));
                }
                continue;
            }
            let known = self.static_prints.get(path);
            if self.outputs.files.get(path) != Some(body) || known != Some(print) {
                self.outputs.insert(path.clone(), body.clone());
                update.changed.push(path.clone());
            }
        }
        self.static_prints = self
            .statics
            .iter()
            .map(|(p, (_, print))| (p.clone(), *print))
            .collect();
        self.site_mut()
            .problems
            .set(Stage::Statics, "replaced", replaced);
    }
}
