//! `attache build` from what the last build kept: the engine restored
//! from [`super::State`], and kept again for the next build.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::super::readers::Readers;
use super::super::{Engine, LastGood, Record, Timings, changes};
use crate::output::Outputs;
use crate::render::Target;
use crate::render::data::SiteData;
use crate::site::{Site, SiteOptions};

impl Engine {
    /// Starts from what the last build kept (`state`): takes the site as
    /// it was, reads again the input files that differ from the kept list
    /// (`inputs`, listed when this build began), and renders only the
    /// outputs whose reads changed, the new ones, and those whose files
    /// in the output folder (described by `manifest`, in `dir`) are not
    /// what the state says. `None` when the state's body cannot be read,
    /// the configuration changed since, or so much content changed that
    /// loading it all is quicker: a full build is next.
    ///
    /// Long: the steps of starting from the kept state, in the order each
    /// needs the one before, with a timing mark after each.
    pub fn resume(
        mut options: SiteOptions,
        state: &mut super::State,
        inputs: &[super::Input],
        dir: &std::path::Path,
        manifest: &crate::output::manifest::Manifest,
        sink: Option<Arc<dyn crate::output::FileSink>>,
    ) -> Option<Engine> {
        if let Ok(root) = options.root.canonicalize() {
            options.root = root;
        }
        let timings = Timings::new();
        let changed = super::changed_inputs(&state.header.inputs, inputs);
        let content = |p: &&std::path::PathBuf| p.starts_with(crate::content::CONTENT_DIR);
        let total = inputs
            .iter()
            .filter(|i| std::path::Path::new(&i.0).starts_with(crate::content::CONTENT_DIR))
            .count();
        if changed.iter().filter(content).count() > 64.max(total / 4) {
            return None;
        }
        let super::RestoredBody {
            site,
            pages,
            data,
            memo,
            prints,
            statics,
            records,
            shards,
            lost,
        } = state.take_body()?;
        let site = Site::restore(&options, site, pages, lost)?;
        timings.mark("the last build's site");
        let mut engine = Engine {
            data: Arc::new(SiteData::restore(&site, data, memo)),
            site: Arc::new(site),
            options,
            renderer: None,
            prints,
            // A resumed build renders once and ends: its records are
            // scanned once rather than indexed.
            readers: Readers::unindexed(),
            records: FxHashMap::with_capacity_and_hasher(records.len(), Default::default()),
            last_good: LastGood::default(),
            outputs: Outputs::default(),
            owners: FxHashMap::default(),
            statics: BTreeMap::new(),
            bundles: BTreeMap::new(),
            bundle_prints: HashMap::new(),
            static_prints: statics.into_iter().collect(),
            search_with_pages: true,
            deferred: std::collections::BTreeSet::new(),
            sink,
            kept_shards: shards,
        };
        // The data files the last build wrote are spliced from where it
        // wrote them.
        (engine.data.memo.files).written_away(Some(dir.to_path_buf()));
        engine.reload_templates();
        engine.collect_statics();
        engine.keep_unchanged_statics();
        timings.mark("template data, templates, static files");
        let theme = engine.site.config.theme.clone();
        let changes = changes::classify(&engine.site.root, &theme, changed);
        // Whether the kept outputs' files are in place is checked while the
        // changed content is read again: neither reads what the other
        // changes (the records are not the engine's until both are done).
        let (in_place, ()) = rayon::join(
            || records_in_place(&records, state, dir, manifest),
            || {
                // The templates and static files were read above, and the
                // configuration is that of the state (or the site was not
                // restored): only content is left to read again.
                if !changes.content.is_empty() {
                    engine.reload_content(changes.content);
                }
            },
        );
        // The bundles' files go where their pages are now.
        engine.collect_bundles(&[]);
        engine.keep_unchanged_statics();
        engine.restore_records(records, in_place);
        timings.mark("the last build's outputs, and the changed content");
        let update = engine.render_affected();
        timings.mark(&format!("rendering {} outputs", update.rendered));
        Some(engine)
    }

    /// Takes the outputs' records a build kept; `in_place` says, for
    /// each, whether its files are in the output folder as that build
    /// wrote them (see [`records_in_place`]): those that are not are
    /// rendered again.
    fn restore_records(&mut self, records: Vec<(Target, Record)>, in_place: Vec<bool>) {
        for ((target, record), in_place) in records.into_iter().zip(in_place) {
            if !in_place {
                self.last_good.failed.insert(target.clone());
            }
            for (file, _) in &record.files {
                self.owners.insert(file.clone(), target.clone());
            }
            self.records.insert(target, record);
        }
    }

    /// Writes what the next build needs to start from this one (see
    /// `super::State`) to the site's cache folder, for a header to name;
    /// returns what the header must say to name it.
    pub fn keep_body(&self) -> std::io::Result<super::SavedBody> {
        let records = self
            .records
            .iter()
            .filter(|(target, _)| !self.last_good.contains(target))
            .map(|(target, record)| (Cow::Borrowed(target), Cow::Borrowed(record)))
            .collect();
        let body = super::KeptBody {
            core: super::Core {
                site: self.site.kept(),
                data: self.data.kept(),
                prints: Cow::Borrowed(&self.prints),
                statics: (self.static_prints.iter())
                    .map(|(path, print)| (Cow::Borrowed(path.as_str()), *print))
                    .collect(),
                records,
                pages: self.site.pages.kept(),
                shards: super::Shards::default(),
            },
            pages: &self.site.pages,
            memo: &self.data.memo,
            kept: &self.kept_shards,
            shard_pages: self.site.config.build.state_shard,
        };
        super::save_body(&self.site.root, body)
    }

    /// Whether this engine, resumed from a kept state, used a part of it
    /// that could not be read (see `crate::render::search::kept::KeptShard`):
    /// what it rendered is not to be trusted.
    pub fn lost_kept_state(&self) -> bool {
        self.data.memo.lost()
    }

    /// Generated files this engine did not render (a resumed build left
    /// them as they were), with their hashes.
    pub fn kept_files(&self) -> impl Iterator<Item = (&String, u128)> {
        self.records
            .values()
            .flat_map(|r| r.files.iter())
            .filter(|(path, _)| !self.outputs.files.contains_key(path))
            .map(|(path, hash)| (path, *hash))
    }
}

/// Whether each record's files are in the output folder `dir` (which
/// `manifest` describes) as the build that kept `state` wrote them.
fn records_in_place(
    records: &[(Target, Record)],
    state: &super::State,
    dir: &std::path::Path,
    manifest: &crate::output::manifest::Manifest,
) -> Vec<bool> {
    // The manifest as the build left it says what each file's hash is;
    // one changed since (a build elsewhere) has each file checked.
    let same_manifest = super::manifest_print(manifest) == state.header.manifest;
    let folder = crate::output::manifest::InPlace::new(dir);
    // Looked up by hash: the manifest's ordered map costs a dozen string
    // comparisons a path, for twenty thousand paths.
    let entries: FxHashMap<&str, &crate::output::manifest::Entry> = manifest
        .files
        .iter()
        .map(|(p, e)| (p.as_str(), e))
        .collect();
    records
        .par_iter()
        .map(|(_, record)| {
            record.files.iter().all(|(path, hash)| {
                entries.get(path.as_str()).is_some_and(|entry| {
                    (same_manifest || entry.hash == *hash) && folder.is_intact(entry, path)
                })
            })
        })
        .collect()
}
