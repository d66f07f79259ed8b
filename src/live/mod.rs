//! A site kept in memory and updated from file changes, for `serve` and
//! `watch`.
//!
//! [`Live::apply`] reloads the changed files only, relinks, works out which
//! outputs the change affects (see [`affected`]) and renders those, keeping
//! every other output as it was. Outputs whose bytes did not change are not
//! reported. Errors never stop it: a page whose file has errors keeps its
//! last good output, and the errors are reported until they are fixed.
//! The search index, the slowest output, is brought up to date separately
//! ([`Live::refresh_search`]) so that pages are served first.

pub mod affected;
pub mod changes;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::CONTENT_DIR;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{Body, Outputs, static_files};
use crate::render::data::SiteData;
use crate::render::{RenderResult, Renderer, Target, targets};
use crate::site::{Site, SiteOptions};
use changes::Changes;

/// What one update changed in the outputs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    /// Output files written or replaced (relative paths).
    pub changed: Vec<String>,
    /// Output files that are gone.
    pub removed: Vec<String>,
    /// Everything was rebuilt (the configuration changed).
    pub rebuilt: bool,
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

    fn merge(&mut self, other: Update) {
        self.changed.extend(other.changed);
        self.removed.extend(other.removed);
        self.rebuilt |= other.rebuilt;
    }
}

/// The site in memory, with its rendered outputs.
pub struct Live {
    options: SiteOptions,
    site: Site,
    /// `None` while the templates have never compiled.
    renderer: Option<Renderer>,
    data: SiteData,
    outputs: Outputs,
    /// The files each rendered target produced.
    files_of: HashMap<Target, Vec<String>>,
    /// Files copied from `static/` folders.
    statics: BTreeMap<String, Body>,
    /// Targets to render again as soon as their errors are gone.
    pending: BTreeSet<Target>,
    render_problems: BTreeMap<Target, Vec<Diagnostic>>,
    template_problems: Vec<Diagnostic>,
    config_problems: Vec<Diagnostic>,
    static_problems: Vec<Diagnostic>,
    collision_problems: Vec<Diagnostic>,
    search_stale: bool,
}

impl Live {
    /// Loads and renders the whole site. Fails only when the configuration
    /// cannot be read; every other problem is kept for [`Live::diagnostics`].
    pub fn new(mut options: SiteOptions) -> Result<Live, Diagnostics> {
        // File events name absolute paths; so must the root.
        if let Ok(root) = options.root.canonicalize() {
            options.root = root;
        }
        let (site, _) = Site::load(&options)?;
        let mut live = Live {
            data: SiteData::default(),
            options,
            site,
            renderer: None,
            outputs: Outputs::default(),
            files_of: HashMap::new(),
            statics: BTreeMap::new(),
            pending: BTreeSet::new(),
            render_problems: BTreeMap::new(),
            template_problems: Vec::new(),
            config_problems: Vec::new(),
            static_problems: Vec::new(),
            collision_problems: Vec::new(),
            search_stale: false,
        };
        live.rebuild_all();
        Ok(live)
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    /// Whether the search index is behind the pages.
    pub fn search_stale(&self) -> bool {
        self.search_stale
    }

    /// Every current problem, sorted.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = self.site.diagnostics();
        all.extend(self.config_problems.iter().cloned());
        all.extend(self.template_problems.iter().cloned());
        all.extend(self.static_problems.iter().cloned());
        all.extend(self.replaced_statics());
        all.extend(self.collision_problems.iter().cloned());
        let mut seen = HashSet::new();
        for d in self.render_problems.values().flatten() {
            if seen.insert((d.position(), d.message.clone())) {
                all.push(d.clone());
            }
        }
        all.sort();
        all
    }

    /// Applies changed paths (absolute, or relative to the root).
    pub fn apply(&mut self, paths: Vec<PathBuf>) -> Update {
        let started = Instant::now();
        let changes = changes::classify(&self.site.root, &self.site.config.theme, paths);
        if changes.is_empty() {
            return Update::default();
        }
        let mut update = if changes.config {
            self.reload_config()
        } else {
            self.apply_changes(changes)
        };
        update.elapsed = started.elapsed();
        update
    }

    fn apply_changes(&mut self, changes: Changes) -> Update {
        let mut update = Update::default();
        let mut render: BTreeSet<Target> = BTreeSet::new();
        // Upcoming meetings on the home page depend on the day.
        if self.options.today.is_none() {
            let day = crate::site::today();
            if day != self.site.today {
                self.site.today = day;
                render.insert(Target::Home);
            }
        }
        if !changes.templates.is_empty() {
            self.reload_templates(&changes.templates, &mut render);
        }
        if !changes.content.is_empty() {
            let paths = self.expand(changes.content);
            let delta = self.site.apply_content(&paths);
            if !delta.is_empty() {
                let summaries = self
                    .data
                    .refresh(&self.site, &delta.changed, &delta.removed);
                if let Some(renderer) = &mut self.renderer {
                    renderer.set_data(&self.site, &self.data);
                }
                render.extend(affected::targets(&self.site, &delta, &summaries));
                // Templates that look pages up can show any page.
                if let Some(renderer) = &self.renderer {
                    let lookups = renderer.sources().calling(&["get_page"]);
                    if !lookups.is_empty() {
                        render.extend(targets::all(&self.site).into_iter().filter(|t| {
                            renderer
                                .template_of(&self.site, t)
                                .is_some_and(|n| lookups.contains(&n))
                        }));
                    }
                }
                self.search_stale = true;
            }
        }
        if !changes.statics.is_empty() {
            update.merge(self.refresh_statics(&changes.statics));
        }
        update.merge(self.render(render, false));
        update
    }

    /// Brings the search index up to date, if pages changed since it was built.
    pub fn refresh_search(&mut self) -> Update {
        if !self.search_stale {
            return Update::default();
        }
        let started = Instant::now();
        self.search_stale = false;
        let mut update = self.render(BTreeSet::from([Target::SearchIndex]), true);
        update.elapsed = started.elapsed();
        update
    }

    /// Content paths that are folders (a folder renamed or deleted) stand
    /// for every page file that was or is under them. Other paths are
    /// passed on as they are (files that are not pages are ignored there).
    fn expand(&self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        let site = &self.site;
        // The common case: Markdown files that are files.
        if paths
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "md") && !site.root.join(p).is_dir())
        {
            return paths;
        }
        let mut known: Vec<&PathBuf> = site.pages.iter().map(|(_, p)| &p.file.path).collect();
        known.extend(site.problems.keys());
        known.extend(site.unpublished.drafts.values());
        known.extend(site.shadowed.keys());
        let is_folder = |p: &PathBuf| {
            site.root.join(p).is_dir() || known.iter().any(|k| *k != p && k.starts_with(p))
        };
        if !paths.iter().any(is_folder) {
            return paths;
        }
        let mut all: BTreeSet<PathBuf> = paths.into_iter().collect();
        for (rel, _) in crate::content::discover(&site.boundary, &site.config).files {
            all.insert(rel);
        }
        all.extend(
            known
                .into_iter()
                .filter(|k| k.starts_with(CONTENT_DIR))
                .cloned(),
        );
        all.into_iter().collect()
    }

    fn reload_config(&mut self) -> Update {
        match Site::load(&self.options) {
            Err(problems) => {
                self.config_problems = problems.into_vec();
                Update::default()
            }
            Ok((site, _)) => {
                self.config_problems.clear();
                self.site = site;
                let mut update = self.rebuild_all();
                update.rebuilt = true;
                update
            }
        }
    }

    /// Compiles the templates again and marks the targets they render.
    fn reload_templates(&mut self, changed: &[String], render: &mut BTreeSet<Target>) {
        match Renderer::new(&self.site.boundary, &self.site.config.theme) {
            Err(problems) => self.template_problems = problems,
            Ok(mut renderer) => {
                self.template_problems.clear();
                renderer.set_data(&self.site, &self.data);
                let same_names = self.renderer.as_ref().is_some_and(|old| {
                    old.sources()
                        .files
                        .keys()
                        .eq(renderer.sources().files.keys())
                });
                let affected = if same_names {
                    renderer.sources().dependents(changed)
                } else {
                    None
                };
                let all = targets::all(&self.site);
                render.extend(all.into_iter().filter(
                    |t| match renderer.template_of(&self.site, t) {
                        None => false,
                        Some(name) => affected.as_ref().is_none_or(|set| set.contains(&name)),
                    },
                ));
                self.renderer = Some(renderer);
            }
        }
    }

    /// Renders everything again, as a build would.
    fn rebuild_all(&mut self) -> Update {
        match Renderer::new(&self.site.boundary, &self.site.config.theme) {
            Err(problems) => self.template_problems = problems,
            Ok(renderer) => {
                self.template_problems.clear();
                self.renderer = Some(renderer);
            }
        }
        if let Some(renderer) = &mut self.renderer {
            self.data = renderer.prepare(&self.site);
        }
        self.pending.clear();
        self.render_problems.clear();
        self.search_stale = false;
        let mut update = self.refresh_statics(&[]);
        let all: BTreeSet<Target> = targets::all(&self.site).into_iter().collect();
        update.merge(self.render(all, true));
        update
    }

    /// Collects the static files again; `named` changed in place.
    fn refresh_statics(&mut self, named: &[String]) -> Update {
        let mut fresh = Outputs::default();
        self.static_problems =
            static_files::collect(&self.site.boundary, &self.site.config.theme, &mut fresh);
        let mut update = Update::default();
        // A page generated at the same path wins over a static file, as in
        // a full build.
        let generated: HashSet<&String> = self.files_of.values().flatten().collect();
        for gone in self
            .statics
            .keys()
            .filter(|p| !fresh.files.contains_key(*p))
        {
            if !generated.contains(gone) && self.outputs.files.remove(gone).is_some() {
                update.removed.push(gone.clone());
            }
        }
        for (path, body) in &fresh.files {
            if generated.contains(path) {
                continue;
            }
            if self.outputs.files.get(path) != Some(body) || named.contains(path) {
                update.changed.push(path.clone());
            }
            self.outputs.files.insert(path.clone(), body.clone());
        }
        self.statics = fresh.files;
        update
    }

    /// Warnings for static files that generated pages replace.
    fn replaced_statics(&self) -> Vec<Diagnostic> {
        self.statics
            .iter()
            .filter_map(|(path, body)| match body {
                Body::Copy(from) if self.outputs.files.get(path) != Some(body) => {
                    Some(static_files::replaced_warning(&self.site.root, path, from))
                }
                _ => None,
            })
            .collect()
    }

    /// Renders `render`, and the targets that are new or pending; removes
    /// the files of targets the site no longer has. `with_search` also
    /// renders the search index if asked for.
    fn render(&mut self, mut render: BTreeSet<Target>, with_search: bool) -> Update {
        let mut update = Update::default();
        let Some(renderer) = &self.renderer else {
            return update;
        };
        let all = targets::all(&self.site);
        let all_set: HashSet<&Target> = all.iter().collect();
        let stale: Vec<Target> = self
            .files_of
            .keys()
            .filter(|t| !all_set.contains(t))
            .cloned()
            .collect();
        for target in stale {
            for file in self.files_of.remove(&target).unwrap_or_default() {
                if self.outputs.files.remove(&file).is_some() {
                    update.removed.push(file);
                }
            }
            self.render_problems.remove(&target);
            self.pending.remove(&target);
        }
        let structural =
            !update.removed.is_empty() || all.iter().any(|t| !self.files_of.contains_key(t));
        render.extend(
            all.iter()
                .filter(|t| !self.files_of.contains_key(t))
                .cloned(),
        );
        render.append(&mut self.pending);
        render.retain(|t| all_set.contains(t));
        if !with_search && self.files_of.contains_key(&Target::SearchIndex) {
            render.remove(&Target::SearchIndex);
        }
        // Outputs can only collide when targets come or go, or aliases move.
        if structural || render.iter().any(|t| matches!(t, Target::Alias { .. })) {
            self.collision_problems = targets::check_collisions(&self.site, &all, &self.statics);
        }

        // A page whose file has errors keeps its last good version.
        let broken = self.files_with_errors();
        let site = &self.site;
        let (held, render): (Vec<Target>, Vec<Target>) = render.into_iter().partition(|t| {
            t.page()
                .is_some_and(|id| broken.contains(&site.page(id).file.path))
                && self.files_of.contains_key(t)
        });
        self.pending.extend(held);

        let data = &self.data;
        let results: Vec<(Target, RenderResult)> = render
            .into_par_iter()
            .map(|t| {
                let result = renderer.render(site, data, &t);
                (t, result)
            })
            .collect();
        for (target, result) in results {
            match result {
                Ok(files) => {
                    self.render_problems.remove(&target);
                    let new: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
                    for old in self.files_of.get(&target).into_iter().flatten() {
                        if !new.contains(old) && self.outputs.files.remove(old).is_some() {
                            update.removed.push(old.clone());
                        }
                    }
                    for (path, bytes) in files {
                        let same = matches!(self.outputs.files.get(&path), Some(Body::Bytes(b)) if *b == bytes);
                        if !same {
                            self.outputs.files.insert(path.clone(), Body::Bytes(bytes));
                            update.changed.push(path);
                        }
                    }
                    self.files_of.insert(target, new);
                }
                Err(problems) => {
                    self.render_problems.insert(target.clone(), problems);
                    self.pending.insert(target);
                }
            }
        }
        update.changed.sort();
        update.changed.dedup();
        update
            .removed
            .retain(|p| !self.outputs.files.contains_key(p));
        update
    }

    /// Files that currently have errors (load or link errors).
    fn files_with_errors(&self) -> HashSet<PathBuf> {
        self.site
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.file().map(std::path::Path::to_path_buf))
            .collect()
    }
}
