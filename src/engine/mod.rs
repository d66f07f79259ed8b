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
//! the data files, the sitemap, feeds and calendars may be brought up to
//! date separately ([`Engine::refresh_search`]) so that pages are served
//! first.

pub mod changes;
pub mod deps;
mod maps;
mod plan;
mod progress;
mod readers;
mod rendering;
pub mod state;
mod statics;
mod waiting;

pub use progress::{Progress, Quiet, Timings};
pub use state::SETTLE_WINDOW;

/// Whether `serve` and `watch` render `target` after the pages a change
/// affects, once no other change is waiting: what programs read rather
/// than a reader in the browser (the search index, the data files, the
/// sitemap, feeds and calendars). The first three read every page; none
/// is what a writer waits to see after a save.
fn deferred(target: &Target) -> bool {
    matches!(
        target,
        Target::SearchIndex
            | Target::KindData { .. }
            | Target::Graph
            | Target::Sitemap
            | Target::SiteFeed
            | Target::SiteJsonFeed
            | Target::PageFeed(_)
            | Target::PageJsonFeed(_)
            | Target::ItemsFeed(_)
            | Target::ItemsJsonFeed(_)
            | Target::Calendar
            | Target::PageCalendar(_)
            | Target::Event(_)
    )
}

use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::CONTENT_DIR;
use crate::diagnostic::Diagnostics;
use crate::output::{Body, Outputs};
use crate::problems::Stage;
use crate::render::data::SiteData;
use crate::render::{Renderer, Target};
use crate::site::{Site, SiteOptions};
use deps::Fingerprints;
use readers::Readers;

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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Record {
    /// The files it wrote, with the xxh3-128 hash of their bytes.
    files: Vec<(String, u128)>,
    reads: crate::render::reader::Deps,
    /// The content file of the page it belongs to, if any.
    source: Option<PathBuf>,
}

/// What the engine keeps at its last good version while a fresh build
/// would render it differently or not at all: the one notion behind the
/// dev server's "last good page beside the error". Such files are never
/// written by a build (a build with errors writes nothing), and a build's
/// kept state leaves their records out.
#[derive(Default)]
struct LastGood {
    /// Outputs whose last render failed (or that could not render while
    /// the templates do not compile): rendered again at every update.
    failed: BTreeSet<Target>,
    /// Outputs of pages whose file has errors: rendered for their
    /// problems only, their files kept until the file is fixed.
    waiting: BTreeSet<Target>,
    /// Files of outputs the site no longer has because their page's file
    /// has errors (it failed to load), by that file.
    orphans: BTreeMap<PathBuf, Vec<String>>,
}

impl LastGood {
    fn clear(&mut self) {
        *self = LastGood::default();
    }

    /// The outputs kept at their last good version.
    fn targets(&self) -> impl Iterator<Item = &Target> {
        self.waiting.iter().chain(&self.failed)
    }

    fn contains(&self, target: &Target) -> bool {
        self.failed.contains(target) || self.waiting.contains(target)
    }
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
    records: FxHashMap<Target, Record>,
    /// What stays at its last good version, and why.
    last_good: LastGood,
    outputs: Outputs,
    /// The output that wrote each generated file.
    owners: FxHashMap<String, Target>,
    /// Static files, with a fingerprint of their contents.
    statics: BTreeMap<String, (Body, u64)>,
    /// Page bundles' files, by output path, with a fingerprint each.
    bundles: BTreeMap<String, (Body, u64)>,
    /// The fingerprint of each bundle file read, by its path.
    bundle_prints: HashMap<PathBuf, u64>,
    /// The fingerprints of the static files in the outputs.
    static_prints: HashMap<String, u64>,
    /// Render the search index and the data files with the pages
    /// (`build`), or after them (`serve`, `watch`: see
    /// [`Engine::refresh_search`]).
    search_with_pages: bool,
    /// Of those, the ones behind the pages.
    deferred: BTreeSet<Target>,
    /// Where rendered files go, when not into [`Engine::outputs`].
    sink: Option<Arc<dyn crate::output::FileSink>>,
    /// The shards of the state this engine was restored from, named
    /// again where nothing in them changed (see [`state::save_body`]).
    kept_shards: state::Shards,
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
        options: SiteOptions,
        progress: &dyn Progress,
    ) -> Result<Engine, Diagnostics> {
        Engine::streaming(options, progress, None)
    }

    /// [`Engine::with_progress`], giving every rendered file to `sink`
    /// (when there is one) instead of keeping it: its bytes are not in
    /// [`Engine::outputs`], which holds only the static files.
    pub fn streaming(
        mut options: SiteOptions,
        progress: &dyn Progress,
        sink: Option<Arc<dyn crate::output::FileSink>>,
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
            // An engine that streams its files is a build's: it renders
            // once and ends, and needs no index of who read what.
            readers: match sink {
                Some(_) => Readers::unindexed(),
                None => Readers::default(),
            },
            records: FxHashMap::default(),
            last_good: LastGood::default(),
            outputs: Outputs::default(),
            owners: FxHashMap::default(),
            statics: BTreeMap::new(),
            bundles: BTreeMap::new(),
            bundle_prints: HashMap::new(),
            static_prints: HashMap::new(),
            search_with_pages: true,
            deferred: BTreeSet::new(),
            sink,
            kept_shards: state::Shards::default(),
        };
        if engine.sink.is_some() {
            // The files go away as they are made; the next build reads
            // the data files back from the output folder.
            engine.data.memo.files.written_away(None);
        }
        engine.render_everything(progress);
        Ok(engine)
    }

    /// How many files the site has: rendered, and static.
    pub fn file_count(&self) -> usize {
        let rendered: usize = self.records.values().map(|r| r.files.len()).sum();
        let statics = self
            .outputs
            .files
            .keys()
            .filter(|p| !self.owners.contains_key(*p))
            .count();
        rendered + statics
    }

    /// Stops giving rendered files to the sink (it is the caller's again).
    pub fn end_streaming(&mut self) {
        self.sink = None;
    }

    /// The outputs, for writing once the engine is done.
    pub fn into_outputs(self) -> Outputs {
        self.outputs
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
    /// errors, of outputs whose render now fails (a template asks for a
    /// word no string table has), or of every output while the templates
    /// do not compile: what a fresh build would render differently, or
    /// not at all. The dev server goes on serving them beside the error.
    pub fn held_files(&self) -> BTreeSet<String> {
        if self.site.problems.has_errors(Stage::Templates, "") {
            return self.outputs.files.keys().cloned().collect();
        }
        let mut files: BTreeSet<String> =
            self.last_good.orphans.values().flatten().cloned().collect();
        for target in self.last_good.targets() {
            if let Some(record) = self.records.get(target) {
                files.extend(record.files.iter().map(|(f, _)| f.clone()));
            }
            // And where it would write now (an alias changed while its
            // page waits): held back too, until the page renders again.
            let current = match target {
                Target::Alias { page, index } => {
                    (self.site.pages.get(*page)).is_some_and(|p| *index < p.fields.aliases.len())
                }
                other => other
                    .page()
                    .is_none_or(|id| self.site.pages.get(id).is_some()),
            };
            if current && let Some(file) = target.output_file(&self.site) {
                files.insert(file);
            }
        }
        files
    }

    /// Whether the search index (or the data files) are behind the pages.
    pub fn search_stale(&self) -> bool {
        !self.deferred.is_empty()
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
        // The day may have changed since the last update (a server left
        // running overnight): what reads it renders again.
        let today = self.options.today.unwrap_or_else(crate::site::today);
        if self.site.today != today {
            Arc::make_mut(&mut self.site).today = today;
        }
        let mut update = if changes.config {
            self.reload_config()
        } else {
            if !changes.templates.is_empty() {
                self.reload_templates();
            }
            if !changes.content.is_empty() {
                let timings = Timings::new();
                self.reload_content(changes.content.clone());
                timings.mark("  the changed content read, the site linked");
                self.collect_bundles(&changes.content);
            }
            if !changes.statics.is_empty() {
                self.collect_statics();
            }
            self.render_affected()
        };
        update.elapsed = started.elapsed();
        update
    }

    /// Brings the search index and the data files up to date, if pages
    /// changed since they were rendered.
    pub fn refresh_search(&mut self) -> Update {
        if self.deferred.is_empty() {
            return Update::default();
        }
        let started = Instant::now();
        let targets = std::mem::take(&mut self.deferred);
        let mut update = self.render(targets, &Quiet, true);
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
            Err(problems) => {
                site.problems.set(Stage::Templates, "", problems);
                // Nothing renders without templates: a fresh build would
                // report no render problem, only these. The outputs that
                // failed render again once the templates compile.
                site.problems.clear_stage(Stage::Render);
            }
            Ok((renderer, warnings)) => {
                site.problems.clear_stage(Stage::Templates);
                site.problems.set(Stage::Templates, "", warnings);
                self.prints.set_templates(Some(renderer.sources()));
                self.renderer = Some(renderer);
            }
        }
    }

    /// Sets the day the site is built on (`None`: the system's), from the
    /// next update on, as a server left running overnight sees it.
    pub fn set_today(&mut self, today: Option<jiff::civil::Date>) {
        self.options.today = today;
    }

    /// Reloads changed content files and relinks.
    fn reload_content(&mut self, paths: Vec<PathBuf>) {
        let paths = self.expand(paths);
        // The day was taken by `apply` (or by the site's restore).
        let site = Arc::make_mut(&mut self.site);
        let delta = site.apply_content(&paths);
        let mut touched: Vec<crate::content::pages::PageId> =
            delta.changed.iter().copied().collect();
        touched.extend(delta.removed.iter().copied());
        self.prints.pages_changed(&self.site, &touched);
        Arc::make_mut(&mut self.data).refresh(&self.site, &delta.changed, &delta.removed);
        if !delta.is_empty() && self.records.contains_key(&Target::SearchIndex) {
            self.deferred.insert(Target::SearchIndex);
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
        known.extend(site.unpublished.draft_files().cloned());
        known.extend(site.shadowed.keys().cloned());
        known.extend(site.intros.values().map(|i| i.file.path.clone()));
        // Translations too: one whose file went with its folder goes.
        known.extend(site.translations.iter().map(|t| t.file.path.clone()));
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
}
