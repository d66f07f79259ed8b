//! The engine: a site kept in memory with the record of what every output
//! read, updated from file changes. `build`, `check`, `serve` and `watch`
//! all run it.
//!
//! An update reloads the changed inputs (content files, templates, static
//! files, the configuration), computes again the fingerprint of everything
//! some output read ([`deps`]), and renders again exactly the outputs that
//! read something whose fingerprint changed, plus the outputs that are new;
//! the files of outputs that are gone are removed. Nothing decides by hand
//! what a change affects: renders record what they read, through the
//! [`Reader`](crate::render::reader::Reader).
//!
//! A page whose file has errors is left out of the site, as a fresh build
//! would leave it, but its last good files are kept (`held`) so the dev
//! server goes on showing them until the file is fixed. The search index,
//! the slowest output, may be brought up to date separately
//! ([`Engine::refresh_search`]) so that pages are served first.

pub mod cache;
pub mod changes;
pub mod deps;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::CONTENT_DIR;
use crate::diagnostic::{Diagnostics, display_path};
use crate::output::{Body, Outputs, static_files};
use crate::problems::Stage;
use crate::render::data::SiteData;
use crate::render::reader::Dep;
use crate::render::{RenderResult, Renderer, Target, targets};
use crate::site::pages::PageId;
use crate::site::{Site, SiteOptions};
use deps::{Fingerprints, Readers};

/// Reports progress of rendering (a progress bar in the CLI).
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// Progress that shows nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// Prints how long each stage took, with `ATTACHE_TIMINGS=1` in the
/// environment: for profiling (see BENCHMARKS.md).
pub struct Timings {
    start: std::cell::Cell<Option<Instant>>,
}

impl Timings {
    pub fn new() -> Timings {
        let on = std::env::var_os("ATTACHE_TIMINGS").is_some_and(|v| v == "1");
        Timings {
            start: std::cell::Cell::new(on.then(Instant::now)),
        }
    }

    /// Prints the time since the last mark.
    pub fn mark(&self, what: &str) {
        if let Some(start) = self.start.get() {
            eprintln!("{:>8.1} ms  {what}", start.elapsed().as_secs_f64() * 1000.0);
            self.start.set(Some(Instant::now()));
        }
    }
}

impl Default for Timings {
    fn default() -> Self {
        Timings::new()
    }
}

/// What one update changed in the outputs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    /// Output files written or replaced (relative paths).
    pub changed: Vec<String>,
    /// Output files that are gone.
    pub removed: Vec<String>,
    /// The configuration changed: everything was rendered again.
    pub rebuilt: bool,
    /// How many outputs were rendered.
    pub rendered: usize,
    pub elapsed: Duration,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// Only stylesheets changed: a browser can swap them without reloading.
    pub fn only_css(&self) -> bool {
        !self.changed.is_empty()
            && self.removed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }

    fn tidy(&mut self, outputs: &Outputs) {
        self.changed.sort();
        self.changed.dedup();
        self.removed.sort();
        self.removed.dedup();
        self.removed.retain(|p| !outputs.files.contains_key(p));
    }
}

/// What one output last rendered.
#[derive(Debug, Clone)]
struct Record {
    /// The files it wrote, with the xxh3-128 hash of their bytes.
    files: Vec<(String, u128)>,
    reads: Vec<Dep>,
    /// The content file of the page it belongs to, if any.
    source: Option<PathBuf>,
}

/// The site in memory, with its rendered outputs and their records.
pub struct Engine {
    options: SiteOptions,
    site: Arc<Site>,
    data: Arc<SiteData>,
    /// `None` while the templates have never compiled.
    renderer: Option<Renderer>,
    prints: Fingerprints,
    readers: Readers,
    records: HashMap<Target, Record>,
    /// Outputs whose last render failed: rendered again at every update.
    failed: BTreeSet<Target>,
    /// Outputs of pages whose file has errors, kept as last rendered
    /// until the file is fixed (then rendered again).
    waiting: BTreeSet<Target>,
    outputs: Outputs,
    /// The output that wrote each generated file.
    owners: HashMap<String, Target>,
    /// Static files, with a fingerprint of their contents.
    statics: BTreeMap<String, (Body, u64)>,
    /// The fingerprints of the static files in the outputs.
    static_prints: HashMap<String, u64>,
    /// The static files came or went since outputs were last checked for
    /// clashes.
    statics_moved: bool,
    /// Files kept from the last good render of pages whose file now has
    /// errors, by that file.
    held: BTreeMap<PathBuf, Vec<String>>,
    /// Render the search index with the pages (`build`), or separately
    /// (`serve`, `watch`: see [`Engine::refresh_search`]).
    search_with_pages: bool,
    search_stale: bool,
}

impl Engine {
    /// Loads and renders the whole site. Fails only when the configuration
    /// cannot be read; every other problem is kept for
    /// [`Engine::diagnostics`].
    pub fn new(options: SiteOptions) -> Result<Engine, Diagnostics> {
        Engine::with_progress(options, &Quiet)
    }

    /// [`Engine::new`], reporting the progress of the first render.
    pub fn with_progress(
        mut options: SiteOptions,
        progress: &dyn Progress,
    ) -> Result<Engine, Diagnostics> {
        // File events name absolute paths; so must the root.
        if let Ok(root) = options.root.canonicalize() {
            options.root = root;
        }
        let (site, _) = Site::load(&options)?;
        let mut engine = Engine {
            data: Arc::new(SiteData::build(&site)),
            site: Arc::new(site),
            options,
            renderer: None,
            prints: Fingerprints::default(),
            readers: Readers::default(),
            records: HashMap::new(),
            failed: BTreeSet::new(),
            waiting: BTreeSet::new(),
            outputs: Outputs::default(),
            owners: HashMap::new(),
            statics: BTreeMap::new(),
            static_prints: HashMap::new(),
            statics_moved: true,
            held: BTreeMap::new(),
            search_with_pages: true,
            search_stale: false,
        };
        engine.render_everything(progress);
        Ok(engine)
    }

    /// The outputs, for writing once the engine is done.
    pub fn into_outputs(self) -> Outputs {
        self.outputs
    }

    /// Starts from what the last build kept (`state`): loads the site,
    /// computes the fingerprints of what each output read, and renders
    /// only the outputs whose reads changed, the new ones, and those whose
    /// files in the output folder (described by `manifest`, in `dir`) are
    /// not what the state says.
    pub fn resume(
        mut options: SiteOptions,
        state: cache::State,
        dir: &std::path::Path,
        manifest: &crate::output::manifest::Manifest,
        progress: &dyn Progress,
    ) -> Result<Engine, Diagnostics> {
        if let Ok(root) = options.root.canonicalize() {
            options.root = root;
        }
        let timings = Timings::new();
        let (site, _) = Site::load(&options)?;
        timings.mark("load, Markdown and links");
        let mut engine = Engine {
            data: Arc::new(SiteData::build(&site)),
            site: Arc::new(site),
            options,
            renderer: None,
            prints: Fingerprints::default(),
            readers: Readers::default(),
            records: HashMap::new(),
            failed: BTreeSet::new(),
            waiting: BTreeSet::new(),
            outputs: Outputs::default(),
            owners: HashMap::new(),
            statics: BTreeMap::new(),
            static_prints: HashMap::new(),
            statics_moved: true,
            held: BTreeMap::new(),
            search_with_pages: true,
            search_stale: false,
        };
        timings.mark("template data");
        engine.reload_templates();
        engine.prints.reset_pages(&engine.site);
        engine
            .prints
            .set_templates(engine.renderer.as_ref().map(Renderer::sources));
        engine.collect_statics();

        let site = Arc::clone(&engine.site);
        let ids: Vec<Option<PageId>> = state
            .keys
            .iter()
            .map(|(kind, slug)| site.pages.id(&crate::content::PageKey::new(kind, slug)))
            .collect();
        let to_id = |k: u32| ids.get(k as usize).copied().flatten();
        let keys = cache::Keys {
            to_index: &|_| None,
            to_id: &to_id,
        };
        // Which outputs' files are in place, checked on disk in parallel.
        let in_place: Vec<bool> = state
            .records
            .par_iter()
            .map(|stored| {
                stored.files.iter().all(|(path, hash)| {
                    manifest.files.get(path).is_some_and(|entry| {
                        entry.hash == crate::output::manifest::format_hash(*hash)
                            && crate::output::manifest::Manifest::is_intact(entry, &dir.join(path))
                    })
                })
            })
            .collect();
        for (stored, in_place) in state.records.into_iter().zip(in_place) {
            // A page that is gone takes its outputs with it: they are not
            // part of the new site, so the write removes their files.
            let Some(target) = keys.load_target(&stored.target) else {
                continue;
            };
            let reads: Option<Vec<Dep>> = stored.reads.iter().map(|d| keys.load_dep(*d)).collect();
            // An output that read a page the site no longer has, or whose
            // files are not what they were, is rendered again.
            let reads = match reads {
                Some(reads) if in_place => reads,
                _ => {
                    engine.failed.insert(target.clone());
                    Vec::new()
                }
            };
            engine.readers.set(&target, &reads);
            for (file, _) in &stored.files {
                engine.owners.insert(file.clone(), target.clone());
            }
            engine.records.insert(
                target,
                Record {
                    files: stored.files,
                    reads,
                    source: stored.source,
                },
            );
        }
        engine.prints.restore(
            state
                .prints
                .into_iter()
                .filter_map(|(dep, print)| Some((keys.load_dep(dep)?, print))),
            state.names,
        );
        engine.static_prints = state.statics.into_iter().collect();
        for (path, (body, print)) in &engine.statics {
            if engine.static_prints.get(path) == Some(print) {
                engine.outputs.insert(path.clone(), body.clone());
            }
        }
        timings.mark("the last build's state");
        let changed = engine.prints.refresh(&engine.site);
        let dirty: BTreeSet<Target> = engine.readers.of(&changed).into_iter().collect();
        timings.mark(&format!("fingerprints ({} changed)", changed.len()));
        let mut update = engine.render(dirty, progress, true);
        timings.mark(&format!("rendering {} outputs", update.rendered));
        engine.merge_statics(&mut update);
        Ok(engine)
    }

    /// What the next build needs to start from this one (see
    /// [`cache::State`]).
    pub fn state(&self, identity: u64) -> cache::State {
        let mut state = cache::State::new(identity);
        let mut index: HashMap<PageId, u32> = HashMap::new();
        for (id, page) in self.site.pages.iter() {
            index.insert(id, state.keys.len() as u32);
            state
                .keys
                .push((page.key.kind.to_string(), page.key.slug.to_string()));
        }
        let to_index = |id: PageId| index.get(&id).copied();
        let keys = cache::Keys {
            to_index: &to_index,
            to_id: &|_| None,
        };
        for (target, record) in &self.records {
            if self.failed.contains(target) || self.waiting.contains(target) {
                continue;
            }
            let Some(stored) = keys.store_target(target) else {
                continue;
            };
            let reads: Option<Vec<cache::StoredDep>> =
                record.reads.iter().map(|d| keys.store_dep(*d)).collect();
            let Some(reads) = reads else { continue };
            state.records.push(cache::StoredRecord {
                target: stored,
                files: record.files.clone(),
                reads,
                source: record.source.clone(),
            });
        }
        let (prints, names) = self.prints.stored();
        state.prints = prints
            .into_iter()
            .filter_map(|(dep, print)| Some((keys.store_dep(dep)?, print)))
            .collect();
        state.names = names;
        state.statics = self
            .static_prints
            .iter()
            .map(|(p, print)| (p.clone(), *print))
            .collect();
        state.statics.sort();
        state
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

    /// Leaves the search index out of [`Engine::apply`], for
    /// [`Engine::refresh_search`] to bring up to date once the pages are
    /// served.
    pub fn defer_search(&mut self) {
        self.search_with_pages = false;
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    /// Files kept from the last good render of pages whose file now has
    /// errors, or of every output while the templates do not compile:
    /// what a fresh build would render differently, or not at all.
    pub fn held_files(&self) -> BTreeSet<&String> {
        if self.site.problems.has_errors(Stage::Templates, "") {
            return self.outputs.files.keys().collect();
        }
        let mut files: BTreeSet<&String> = self.held.values().flatten().collect();
        for target in &self.waiting {
            if let Some(record) = self.records.get(target) {
                files.extend(record.files.iter().map(|(f, _)| f));
            }
        }
        files
    }

    /// Whether the search index is behind the pages.
    pub fn search_stale(&self) -> bool {
        self.search_stale
    }

    /// Every current problem, sorted.
    pub fn diagnostics(&self) -> Diagnostics {
        self.site.diagnostics()
    }

    fn site_mut(&mut self) -> &mut Site {
        // Renders hold the site only while they run; between updates the
        // engine's is the only handle, so this does not copy.
        Arc::make_mut(&mut self.site)
    }

    /// Applies changed paths (absolute, or relative to the root).
    pub fn apply(&mut self, paths: Vec<PathBuf>) -> Update {
        let started = Instant::now();
        let theme = self.site.config.theme.clone();
        let changes = changes::classify(&self.site.root, &theme, paths);
        if changes.is_empty() {
            return Update::default();
        }
        let mut update = if changes.config {
            self.reload_config()
        } else {
            if !changes.templates.is_empty() {
                self.reload_templates();
            }
            if !changes.content.is_empty() {
                self.reload_content(changes.content);
            }
            if !changes.statics.is_empty() {
                self.collect_statics();
            }
            self.render_affected()
        };
        update.elapsed = started.elapsed();
        update
    }

    /// Brings the search index up to date, if pages changed since it was
    /// rendered.
    pub fn refresh_search(&mut self) -> Update {
        if !self.search_stale {
            return Update::default();
        }
        let started = Instant::now();
        self.search_stale = false;
        let mut update = self.render(BTreeSet::from([Target::SearchIndex]), &Quiet, true);
        update.tidy(&self.outputs);
        update.elapsed = started.elapsed();
        update
    }

    /// Reads the configuration again; on success, everything else too.
    fn reload_config(&mut self) -> Update {
        match Site::load(&self.options) {
            Err(problems) => {
                let site = self.site_mut();
                site.problems.set(Stage::Config, "", problems.into_vec());
                Update::default()
            }
            Ok((site, _)) => {
                self.data = Arc::new(SiteData::build(&site));
                self.site = Arc::new(site);
                let mut update = self.render_everything(&Quiet);
                update.rebuilt = true;
                update
            }
        }
    }

    /// Compiles the templates again. On errors the last good templates
    /// stay in use.
    fn reload_templates(&mut self) {
        let compiled = Renderer::new(&self.site.boundary, &self.site.config.theme);
        let site = self.site_mut();
        match compiled {
            Err(problems) => site.problems.set(Stage::Templates, "", problems),
            Ok(renderer) => {
                site.problems.clear_stage(Stage::Templates);
                self.prints.set_templates(Some(renderer.sources()));
                self.renderer = Some(renderer);
            }
        }
    }

    /// Reloads changed content files and relinks.
    fn reload_content(&mut self, paths: Vec<PathBuf>) {
        let paths = self.expand(paths);
        let today = self.options.today.unwrap_or_else(crate::site::today);
        let site = Arc::make_mut(&mut self.site);
        site.today = today;
        let delta = site.apply_content(&paths);
        let mut touched: Vec<crate::site::pages::PageId> = delta.changed.iter().copied().collect();
        touched.extend(delta.removed.iter().copied());
        self.prints.pages_changed(&self.site, &touched);
        Arc::make_mut(&mut self.data).refresh(&self.site, &delta.changed, &delta.removed);
        if !delta.is_empty() {
            self.search_stale = true;
        }
    }

    /// Content paths that are folders (a folder renamed, deleted or
    /// replaced) stand for every file that was or is under them. Other
    /// paths are passed on as they are.
    fn expand(&self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        let site = &self.site;
        // The common case: Markdown files that are files.
        if paths
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "md") && !site.root.join(p).is_dir())
        {
            return paths;
        }
        let mut known: Vec<PathBuf> = site
            .pages
            .iter()
            .filter(|(_, p)| !p.stub)
            .map(|(_, p)| p.file.path.clone())
            .collect();
        known.extend(site.problems.sources(Stage::Load).map(PathBuf::from));
        known.extend(site.unpublished.drafts.values().cloned());
        known.extend(site.shadowed.keys().cloned());
        known.extend(site.intros.values().map(|i| i.file.path.clone()));
        let is_folder = |p: &PathBuf| {
            site.root.join(p).is_dir() || known.iter().any(|k| k != p && k.starts_with(p))
        };
        if !paths.iter().any(is_folder) {
            return paths;
        }
        let mut all: BTreeSet<PathBuf> = paths.into_iter().collect();
        let discovered = crate::content::discover(&site.boundary, &site.config);
        all.extend(discovered.files.into_iter().map(|(rel, _)| rel));
        all.extend(
            discovered
                .diagnostics
                .iter()
                .filter_map(|d| d.file().map(|f| f.to_path_buf())),
        );
        all.extend(known.into_iter().filter(|k| k.starts_with(CONTENT_DIR)));
        all.into_iter().collect()
    }

    /// Renders everything again (a new engine, or a new configuration),
    /// keeping the files that stay the same.
    fn render_everything(&mut self, progress: &dyn Progress) -> Update {
        self.renderer = None;
        self.reload_templates();
        self.prints = Fingerprints::default();
        self.prints.reset_pages(&self.site);
        self.prints
            .set_templates(self.renderer.as_ref().map(Renderer::sources));
        self.readers = Readers::default();
        self.records.clear();
        self.failed.clear();
        self.waiting.clear();
        self.held.clear();
        self.search_stale = false;
        self.owners.clear();
        self.collect_statics();
        let all: BTreeSet<Target> = targets::all(&self.site).into_iter().collect();
        let mut update = self.render(all, progress, true);
        // Files no output wrote this time go with the stale statics.
        self.merge_statics(&mut update);
        update.tidy(&self.outputs);
        update
    }

    /// Renders the outputs whose reads changed, and the new ones.
    fn render_affected(&mut self) -> Update {
        let changed = self.prints.refresh(&self.site);
        let dirty: BTreeSet<Target> = self.readers.of(&changed).into_iter().collect();
        let with_search = self.search_with_pages;
        let mut update = self.render(dirty, &Quiet, with_search);
        self.merge_statics(&mut update);
        self.release_held(&mut update);
        update.tidy(&self.outputs);
        let live = self.records.iter().map(|(t, r)| (t, r.reads.as_slice()));
        if self.readers.compact(live) {
            let readers = &self.readers;
            self.prints.retain(|dep| readers.is_read(dep));
        }
        update
    }

    /// Renders `dirty` targets, the new ones and the ones that failed
    /// last time; removes the files of targets the site no longer has.
    /// Without `with_search`, the search index is only marked stale.
    fn render(
        &mut self,
        mut dirty: BTreeSet<Target>,
        progress: &dyn Progress,
        with_search: bool,
    ) -> Update {
        let mut update = Update::default();
        let all = targets::all(&self.site);
        let all_set: HashSet<&Target> = all.iter().collect();
        let gone: Vec<Target> = self
            .records
            .keys()
            .filter(|t| !all_set.contains(t))
            .cloned()
            .collect();
        let structural = !gone.is_empty() || all.iter().any(|t| !self.records.contains_key(t));
        for target in gone {
            self.forget(&target, &mut update);
        }
        self.failed.retain(|t| all_set.contains(t));
        self.waiting.retain(|t| all_set.contains(t));
        dirty.extend(
            all.iter()
                .filter(|t| !self.records.contains_key(*t))
                .cloned(),
        );
        dirty.extend(self.failed.iter().cloned());
        dirty.append(&mut self.waiting);
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
            self.waiting = wait;
            dirty = go;
        }
        if !with_search
            && self.records.contains_key(&Target::SearchIndex)
            && dirty.remove(&Target::SearchIndex)
        {
            self.search_stale = true;
        }
        if structural
            || std::mem::take(&mut self.statics_moved)
            || dirty.iter().any(|t| matches!(t, Target::Alias { .. }))
        {
            let statics: BTreeMap<String, Body> = self
                .statics
                .iter()
                .map(|(p, (b, _))| (p.clone(), b.clone()))
                .collect();
            let problems = targets::check_collisions(&self.site, &all, &statics);
            self.site_mut().problems.set(Stage::Outputs, "", problems);
        }
        let Some(renderer) = &self.renderer else {
            return update;
        };
        let (site, data) = (&self.site, &self.data);
        progress.start(dirty.len());
        let results: Vec<(Target, RenderResult, crate::render::reader::Reads)> = dirty
            .into_par_iter()
            .map(|target| {
                let (result, reads) = renderer.render(site, data, &target);
                progress.tick();
                (target, result, reads)
            })
            .collect();
        progress.finish();
        update.rendered = results.len();
        for (target, result, reads) in results {
            let key = format!("{target:?}");
            match result {
                Ok(files) => {
                    self.site_mut().problems.clear(Stage::Render, &key);
                    self.failed.remove(&target);
                    let names: Vec<(String, u128)> = files
                        .iter()
                        .map(|(p, bytes)| (p.clone(), xxhash_rust::xxh3::xxh3_128(bytes)))
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
                    for ((path, bytes), (_, hash)) in files.into_iter().zip(&names) {
                        // A file this run did not render yet (a resumed
                        // build) is known by its hash.
                        let same = match self.outputs.files.get(&path) {
                            Some(Body::Bytes(b)) => Arc::ptr_eq(b, &bytes) || *b == bytes,
                            Some(Body::Copy(_)) => false,
                            None => old_files.get(path.as_str()) == Some(hash),
                        };
                        if !same {
                            update.changed.push(path.clone());
                        }
                        self.outputs.insert(path.clone(), Body::Bytes(bytes));
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
                    self.readers.set(&target, &reads.deps);
                    let source = target
                        .page()
                        .and_then(|id| self.site.pages.get(id))
                        .filter(|p| !p.stub)
                        .map(|p| p.file.path.clone());
                    self.records.insert(
                        target,
                        Record {
                            files: names,
                            reads: reads.deps,
                            source,
                        },
                    );
                }
                Err(problems) => {
                    self.site_mut().problems.set(Stage::Render, key, problems);
                    self.failed.insert(target);
                }
            }
        }
        update
    }

    /// Drops a target the site no longer has. Its files go, unless its page
    /// is gone because its file has errors: then they are kept, as the
    /// last good version, until the file is fixed or removed.
    fn forget(&mut self, target: &Target, update: &mut Update) {
        let key = format!("{target:?}");
        self.site_mut().problems.clear(Stage::Render, &key);
        self.failed.remove(target);
        self.waiting.remove(target);
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
                Some(source) => self.held.entry(source.clone()).or_default().push(file),
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
            .held
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
            for file in self.held.remove(&source).unwrap_or_default() {
                if !self.owners.contains_key(&file) && !self.statics.contains_key(&file) {
                    self.outputs.files.remove(&file);
                    update.removed.push(file);
                }
            }
        }
    }

    /// Reads the static folders again, with a fingerprint of each file.
    fn collect_statics(&mut self) {
        let mut fresh = Outputs::default();
        let problems =
            static_files::collect(&self.site.boundary, &self.site.config.theme, &mut fresh);
        self.site_mut()
            .problems
            .set(Stage::Statics, "read", problems);
        let moved = fresh.files.len() != self.statics.len()
            || fresh.files.keys().any(|p| !self.statics.contains_key(p));
        self.statics_moved |= moved;
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
    fn merge_statics(&mut self, update: &mut Update) {
        let mut replaced = Vec::new();
        let held: HashSet<&String> = self.held.values().flatten().collect();
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
