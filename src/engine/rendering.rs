//! Rendering in the engine: every output (a new engine or
//! configuration), or the outputs whose reads changed; recording what
//! each read and which files it wrote.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::deps::Fingerprints;
use super::plan::Layout;
use super::readers::Readers;
use super::{Engine, Progress, Quiet, Record, Update};
use crate::diagnostic::display_path;
use crate::output::Body;
use crate::problems::Stage;
use crate::render::reader::Deps;
use crate::render::{RenderResult, Rendered, Renderer, Target, targets};

/// How many outputs are rendered before their files go to the sink.
const STREAM_BATCH: usize = 256;

/// A target's files, each with its hash and what became of its bytes; or
/// its problems.
type Hashed = Result<Vec<(String, Made, u128)>, Vec<crate::diagnostic::Diagnostic>>;

/// Where a rendered file's bytes are.
enum Made {
    /// Here: there is no sink.
    Bytes(Arc<[u8]>),
    /// The sink took them.
    Sunk,
    /// The render said they are what its last render gave
    /// ([`Rendered::Unchanged`]).
    Unchanged,
}

impl Engine {
    /// Renders everything again (a new engine, or a new configuration),
    /// keeping the files that stay the same.
    pub(super) fn render_everything(&mut self, progress: &dyn Progress) -> Update {
        self.renderer = None;
        self.reload_templates();
        self.prints = Fingerprints::default();
        self.prints.reset_pages(&self.site);
        self.prints.after_full_render(&self.site);
        self.prints
            .set_templates(self.renderer.as_ref().map(Renderer::sources));
        self.readers = match self.readers.is_indexed() {
            true => Readers::default(),
            false => Readers::unindexed(),
        };
        self.records.clear();
        self.last_good.clear();
        self.deferred.clear();
        self.owners.clear();
        self.collect_statics();
        // Every bundle file is read again, as every static file is: the
        // files changed with the configuration (or while it did not load)
        // are not named to this render. Guarded by tests/live.rs (a
        // bundle's file changed with the configuration) and
        // tests/differential.rs: keeping the prints, the file is not said
        // changed, and `watch` does not write it (seed 512, step 147).
        self.bundle_prints.clear();
        self.collect_bundles(&[]);
        let all: BTreeSet<Target> = targets::all(&self.site).into_iter().collect();
        let mut update = self.render(all, progress, true);
        // Files no output wrote this time go with the stale statics.
        self.merge_statics(&mut update);
        update.tidy(&self.outputs);
        update
    }

    /// Renders the outputs whose reads changed, and the new ones.
    pub(super) fn render_affected(&mut self) -> Update {
        let timings = super::Timings::new();
        // The outputs the site has now, and their collisions, do not
        // depend on the prints: both are worked out at once, each partly
        // serial.
        let (prints, site, statics) = (&mut self.prints, &self.site, &self.statics);
        let (changed, layout) = rayon::join(|| prints.refresh(site), || Layout::of(site, statics));
        timings.mark("  the fingerprints of what changed, and the outputs");
        let dirty: BTreeSet<Target> = match self.readers.is_indexed() {
            true => self.readers.of(&changed),
            false => Readers::of_records(
                &changed,
                self.records.par_iter().map(|(t, r)| (t, &r.reads)),
            ),
        }
        .into_iter()
        .collect();
        timings.mark(&format!("  the {} outputs that read them", dirty.len()));
        let with_search = self.search_with_pages;
        let mut update = self.render_laid_out(dirty, layout, &Quiet, with_search);
        let timings = super::Timings::new();
        self.merge_statics(&mut update);
        self.release_held(&mut update);
        update.tidy(&self.outputs);
        let live = self.records.iter().map(|(t, r)| (t, &r.reads));
        if self.readers.compact(live) {
            let readers = &self.readers;
            self.prints.retain(|dep| readers.is_read(dep));
        }
        timings.mark("  the static files, the files held, and the readers tidied");
        update
    }

    /// Renders `dirty` targets, the new ones and the ones that failed
    /// last time; removes the files of targets the site no longer has.
    /// Without `with_search`, the search index is only marked stale.
    pub(super) fn render(
        &mut self,
        dirty: BTreeSet<Target>,
        progress: &dyn Progress,
        with_search: bool,
    ) -> Update {
        let layout = Layout::of(&self.site, &self.statics);
        self.render_laid_out(dirty, layout, progress, with_search)
    }

    /// [`Engine::render`] with the site's outputs, `layout`, worked out.
    fn render_laid_out(
        &mut self,
        dirty: BTreeSet<Target>,
        layout: Layout,
        progress: &dyn Progress,
        with_search: bool,
    ) -> Update {
        let mut update = Update::default();
        let timings = super::Timings::new();
        let dirty = self.plan(dirty, layout, with_search, &mut update);
        timings.mark("  the outputs gone, new, waiting");
        // While the templates do not compile, nothing renders (as in a
        // fresh build): what should render waits, as failed outputs do,
        // for the templates to compile again.
        if self.site.problems.has_errors(Stage::Templates, "") {
            self.last_good.failed.extend(dirty);
            return update;
        }
        // Out of the engine while it renders, so that what each batch gave
        // can be taken in between.
        let Some(renderer) = self.renderer.take() else {
            return update;
        };
        self.waiting_problems(&renderer);
        let count = dirty.len();
        self.render_in_batches(&renderer, dirty, progress, &mut update);
        let ready = self.no_longer_waiting();
        if !ready.is_empty() {
            self.render_in_batches(&renderer, ready, progress, &mut update);
        }
        self.renderer = Some(renderer);
        timings.mark(&format!(
            "  {count} outputs rendered, their files and reads taken"
        ));
        update
    }

    /// Renders `dirty` and takes what each gave, a batch at a time.
    pub(super) fn render_in_batches(
        &mut self,
        renderer: &Renderer,
        dirty: BTreeSet<Target>,
        progress: &dyn Progress,
        update: &mut Update,
    ) {
        progress.start(dirty.len());
        // The outputs made from the whole site (the search index, the data
        // files) take as long as hundreds of pages: first, so that they
        // are not left to one core in the last batch while the other waits.
        let (mut dirty, pages): (Vec<Target>, Vec<Target>) =
            dirty.into_iter().partition(Target::reads_whole_site);
        dirty.extend(pages);
        // With a sink, files go to it as they are rendered, a batch at a
        // time, and only their hashes stay: the output is never all in
        // memory at once. Without one, all at once.
        let batch = match self.sink {
            Some(_) => STREAM_BATCH,
            None => dirty.len().max(1),
        };
        let mut again = Vec::new();
        // With ATTACHE_TIMINGS=1, how long each output took.
        let took = super::progress::timings_on().then(|| std::sync::Mutex::new(Vec::new()));
        for targets in dirty.chunks(batch) {
            let results = self.render_batch(renderer, targets, progress, took.as_ref());
            update.rendered += results.len();
            for (target, result, reads) in results {
                if !self.take(&target, result, reads, update) {
                    again.push(target);
                }
            }
        }
        if !again.is_empty() {
            // A render said some of its files were unchanged that are not
            // known to be in place: it renders again from nothing.
            self.data.memo.forget_index();
            for (target, result, reads) in
                self.render_batch(renderer, &again, progress, took.as_ref())
            {
                // Nothing is unchanged now: every file is rendered.
                self.take(&target, result, reads, update);
            }
        }
        progress.finish();
        if let Some(Ok(took)) = took.map(std::sync::Mutex::into_inner) {
            super::progress::print_slowest(took);
        }
    }

    /// Renders `targets` in parallel, each file with its hash; its bytes
    /// too, unless the sink took them.
    fn render_batch(
        &self,
        renderer: &Renderer,
        targets: &[Target],
        progress: &dyn Progress,
        took: Option<&std::sync::Mutex<Vec<(String, std::time::Duration)>>>,
    ) -> Vec<(Target, Hashed, crate::render::reader::Reads)> {
        let (site, data, sink) = (&self.site, &self.data, &self.sink);
        // One output a piece of work: rayon would otherwise run a few
        // neighbours as one piece, and the outputs made from the whole
        // site (first in the batch) would run one after the other on one
        // core while the other finished its pages and waited.
        targets
            .par_iter()
            .with_max_len(1)
            .map(|target| {
                let started = took.map(|_| std::time::Instant::now());
                let (result, reads): (RenderResult, _) = renderer.render(site, data, target);
                let hashed = result.and_then(|files| {
                    files
                        .into_iter()
                        .map(|(path, rendered)| {
                            let bytes = match rendered {
                                Rendered::Bytes(bytes) => bytes,
                                Rendered::Unchanged(hash) => {
                                    return Ok((path, Made::Unchanged, hash));
                                }
                            };
                            let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
                            match sink {
                                Some(sink) => {
                                    sink.put(&path, &bytes, hash).map_err(|d| vec![d])?;
                                    Ok((path, Made::Sunk, hash))
                                }
                                None => Ok((path, Made::Bytes(bytes), hash)),
                            }
                        })
                        .collect()
                });
                progress.tick();
                if let (Some(started), Some(Ok(mut took))) = (started, took.map(|t| t.lock())) {
                    took.push((format!("{target:?}"), started.elapsed()));
                }
                (target.clone(), hashed, reads)
            })
            .collect()
    }

    /// Takes what rendering `target` gave: its files (or problems), and
    /// what it read. `false` when it said a file was unchanged that its
    /// last render did not leave in place with that hash: then nothing is
    /// taken, and it must render again.
    ///
    /// Long: what a render gave is taken as one step (files, owners,
    /// records), so that no update sees half of it.
    fn take(
        &mut self,
        target: &Target,
        result: Hashed,
        reads: crate::render::reader::Reads,
        update: &mut Update,
    ) -> bool {
        let key = format!("{target:?}");
        if let Ok(files) = &result
            && !self.in_place(target, files)
        {
            return false;
        }
        let target = target.clone();
        match result {
            Ok(files) => {
                self.site_mut().problems.clear(Stage::Render, &key);
                self.last_good.failed.remove(&target);
                let names: Vec<(String, u128)> = files
                    .iter()
                    .map(|(p, _, hash)| (p.clone(), *hash))
                    .collect();
                let old = self.records.remove(&target);
                // Sets, not lists: the search index writes thousands.
                let old_files: HashMap<&str, u128> = old
                    .iter()
                    .flat_map(|r| r.files.iter())
                    .map(|(p, h)| (p.as_str(), *h))
                    .collect();
                let new_files: HashSet<&str> = names.iter().map(|(p, _)| p.as_str()).collect();
                let mut gone: Vec<String> = old_files
                    .keys()
                    .filter(|p| !new_files.contains(*p))
                    .map(|p| p.to_string())
                    .collect();
                gone.sort();
                for (path, made, hash) in files {
                    // A file this run did not render yet (a resumed
                    // build), or that went to the sink, is known by its
                    // hash.
                    let same = match (self.outputs.files.get(&path), &made) {
                        (_, Made::Unchanged) => true,
                        (Some(Body::Bytes(b)), Made::Bytes(bytes)) => {
                            Arc::ptr_eq(b, bytes) || b == bytes
                        }
                        (Some(_), _) => false,
                        (None, _) => old_files.get(path.as_str()) == Some(&hash),
                    };
                    if !same {
                        update.changed.push(path.clone());
                    }
                    match made {
                        Made::Bytes(bytes) => self.outputs.insert(path.clone(), Body::Bytes(bytes)),
                        Made::Sunk => {
                            self.outputs.files.remove(&path);
                        }
                        // As it was: in memory (serving), or in the
                        // output folder (a resumed build).
                        Made::Unchanged => {}
                    }
                    self.owners.insert(path, target.clone());
                }
                for file in gone {
                    if self.owners.get(&file) == Some(&target) {
                        self.owners.remove(&file);
                        self.outputs.files.remove(&file);
                        update.removed.push(file);
                    }
                }
                self.prints.learn(&reads, &self.site);
                let deps = Deps::new(&reads.deps);
                // A render that read what the last one read (the data
                // files and the search index read every page) leaves the
                // index as it is: its entries are still the live ones.
                // Guarded by tests/differential.rs: taking every render's
                // reads as the last one's, it fails at seed 1, step 25.
                if old.as_ref().map(|r| &r.reads) != Some(&deps) {
                    self.readers.set(&target, &reads.deps);
                }
                let source = target
                    .page()
                    .and_then(|id| self.site.pages.get(id))
                    .filter(|p| !p.stub)
                    .map(|p| p.file.path.clone());
                self.records.insert(
                    target,
                    Record {
                        files: names,
                        reads: deps,
                        source,
                    },
                );
            }
            Err(problems) => {
                self.site_mut().problems.set(Stage::Render, key, problems);
                self.last_good.failed.insert(target);
            }
        }
        true
    }

    /// Whether every file `files` says is unchanged is what the last
    /// render of `target` left in place: in its record with the same hash,
    /// and the target not failed since (a failed target's files may be
    /// missing from the output folder).
    /// Guarded by tests/differential.rs (a search file removed by hand
    /// from the built folder): taking every unchanged file as in place,
    /// it fails at seed 1, step 25.
    fn in_place(&self, target: &Target, files: &[(String, Made, u128)]) -> bool {
        let unchanged = || {
            files
                .iter()
                .filter(|(_, made, _)| matches!(made, Made::Unchanged))
        };
        if unchanged().next().is_none() {
            return true;
        }
        let Some(record) = self.records.get(target) else {
            return false;
        };
        if self.last_good.failed.contains(target) {
            return false;
        }
        let recorded: HashMap<&str, u128> =
            record.files.iter().map(|(p, h)| (p.as_str(), *h)).collect();
        unchanged().all(|(path, _, hash)| recorded.get(path.as_str()) == Some(hash))
    }

    /// Drops a target the site no longer has. Its files go, unless its page
    /// is gone because its file has errors: then they are kept, as the
    /// last good version, until the file is fixed or removed.
    pub(super) fn forget(&mut self, target: &Target, update: &mut Update) {
        let key = format!("{target:?}");
        self.site_mut().problems.clear(Stage::Render, &key);
        self.last_good.failed.remove(target);
        self.last_good.waiting.remove(target);
        self.readers.remove(target);
        let Some(record) = self.records.remove(target) else {
            return;
        };
        let hold = record.source.as_ref().filter(|source| {
            self.site
                .problems
                .has_errors(Stage::Load, &display_path(source))
        });
        for (file, _) in record.files {
            if self.owners.get(&file) != Some(target) {
                continue;
            }
            self.owners.remove(&file);
            match hold {
                Some(source) => self
                    .last_good
                    .orphans
                    .entry(source.clone())
                    .or_default()
                    .push(file),
                None => {
                    self.outputs.files.remove(&file);
                    update.removed.push(file);
                }
            }
        }
    }

    /// Held files whose source no longer has errors go (a rendered page
    /// has taken their place, or the file is gone).
    fn release_held(&mut self, update: &mut Update) {
        let fixed: Vec<PathBuf> = self
            .last_good
            .orphans
            .keys()
            .filter(|source| {
                !self
                    .site
                    .problems
                    .has_errors(Stage::Load, &display_path(source))
            })
            .cloned()
            .collect();
        for source in fixed {
            for file in self.last_good.orphans.remove(&source).unwrap_or_default() {
                if !self.owners.contains_key(&file) && !self.statics.contains_key(&file) {
                    self.outputs.files.remove(&file);
                    update.removed.push(file);
                }
            }
        }
    }
}
