//! Static files in the engine: read with a fingerprint each, and merged
//! into the outputs (a generated page at the same path wins).

use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

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
        self.publish_file_list();
    }

    /// Puts the static files into the outputs: those that are new or whose
    /// contents changed, and removes those that are gone. A page generated
    /// at the same path wins, with a warning.
    pub(super) fn merge_statics(&mut self, update: &mut Update) {
        let mut replaced = Vec::new();
        let held: HashSet<&String> = self.last_good.orphans.values().flatten().collect();
        // In parallel: every output file is looked at, at every update.
        let stale: Vec<String> = (self.outputs.files.par_iter())
            .filter(|(path, _)| {
                !self.owners.contains_key(*path)
                    && !self.statics.contains_key(*path)
                    && !self.bundles.contains_key(*path)
                    && !held.contains(path)
            })
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            self.outputs.files.remove(&path);
            update.removed.push(path);
        }
        let statics: Vec<(String, (Body, u64))> = self
            .all_statics()
            .map(|(path, entry)| (path.clone(), entry.clone()))
            .collect();
        for (path, (body, print)) in &statics {
            if self.owners.contains_key(path) {
                // A bundle's file in its page's way is said where it is
                // read (`content::misplaced`): whether a page is there
                // may be its last good version's doing.
                if let Body::Copy(from) = body
                    && self.statics.contains_key(path)
                {
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
        // Only the files that are in the outputs: one a generated page
        // replaces is not on disk, and a resumed build must not take it
        // for kept (guarded by tests/differential.rs, bundle edits).
        self.static_prints = statics
            .iter()
            .filter(|(p, _)| !self.owners.contains_key(p))
            .map(|(p, (_, print))| (p.clone(), *print))
            .collect();
        self.site_mut()
            .problems
            .set(Stage::Statics, "replaced", replaced);
    }
}

impl Engine {
    /// The files of page bundles (`content/blog/trip/index.md` and the
    /// pictures beside it), each published under its page's URL and its
    /// translations', as Zola and Hugo publish them. `changed` are the
    /// content paths changed since the last collection: only their
    /// fingerprints are worked out again.
    pub(super) fn collect_bundles(&mut self, changed: &[PathBuf]) {
        let root = self.site.root.clone();
        for path in changed {
            self.bundle_prints.remove(&root.join(path));
        }
        let mut fresh = BTreeMap::new();
        let mut problems = Vec::new();
        // A stub's file is the page that first names it: not its own.
        for (id, page) in self.site.pages.iter().filter(|(_, p)| p.own_file()) {
            let Some(folder) = crate::content::bundle_folder(&page.file.path) else {
                continue;
            };
            let dir = root.join(folder);
            let walk = self.site.boundary.walk(&dir, crate::fs::Hidden::Skip);
            problems.extend(walk.diagnostics);
            // Beside the page and beside each of its translations (as Zola
            // and Hugo publish them), so that `![map](map.png)` works in
            // `index.ja.md` at /ja/briefs/trip/ too.
            let page_url = page.url_path();
            let urls: Vec<String> = std::iter::once(page_url.clone())
                .chain(
                    (self.site.translations_of(id).iter())
                        .map(|t| format!("{}/{page_url}", t.lang)),
                )
                .collect();
            for file in walk.entries {
                let Ok(inner) = file.strip_prefix(&dir) else {
                    continue;
                };
                let rel = file.strip_prefix(&root).unwrap_or(&file);
                // Markdown is pages; a file of a bundle inside this one
                // is that bundle's; an index.html beside the page is in
                // its place (and said so, see `content::misplaced`).
                if file.extension().is_some_and(|e| e == "md")
                    || inner == std::path::Path::new("index.html")
                    || crate::content::bundle_of(&root, rel).as_deref() != Some(folder)
                {
                    continue;
                }
                problems.extend(crate::output::static_files::reserved_name_warning(
                    inner, rel,
                ));
                let print = *self.bundle_prints.entry(file.clone()).or_insert_with(|| {
                    std::fs::read(&file).map_or(0, |b| xxhash_rust::xxh3::xxh3_64(&b).max(1))
                });
                let inner = crate::diagnostic::display_path(inner);
                for url in &urls {
                    fresh.insert(format!("{url}{inner}"), (Body::Copy(file.clone()), print));
                }
            }
        }
        let files: HashSet<&PathBuf> = fresh
            .values()
            .filter_map(|(body, _)| match body {
                Body::Copy(file) => Some(file),
                Body::Bytes(_) => None,
            })
            .collect();
        self.bundle_prints.retain(|file, _| files.contains(file));
        self.bundles = fresh;
        self.publish_file_list();
        self.site_mut()
            .problems
            .set(Stage::Statics, "bundles", problems);
    }

    /// Puts the static and bundle files that the last build wrote, as
    /// they are now, into the outputs (a resumed build writes only what
    /// changed).
    pub(super) fn keep_unchanged_statics(&mut self) {
        let kept: Vec<(String, Body)> = self
            .all_statics()
            .filter(|(path, (_, print))| self.static_prints.get(*path) == Some(print))
            .map(|(path, (body, _))| (path.clone(), body.clone()))
            .collect();
        for (path, body) in kept {
            self.outputs.insert(path, body);
        }
    }

    /// Tells the site which files it publishes as they are (templates ask).
    fn publish_file_list(&mut self) {
        let paths = self.all_statics().map(|(path, _)| path.clone()).collect();
        let files = crate::site::PublishedFiles::new(paths);
        if files.print != self.site.files.print {
            self.site_mut().files = std::sync::Arc::new(files);
        }
    }

    /// Static files and bundles' files: a static file wins over a
    /// bundle's at the same path.
    pub(super) fn all_statics(&self) -> impl Iterator<Item = (&String, &(Body, u64))> {
        self.statics.iter().chain(
            self.bundles
                .iter()
                .filter(|(path, _)| !self.statics.contains_key(*path)),
        )
    }
}
