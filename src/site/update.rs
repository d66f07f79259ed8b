//! Updating a loaded site from changed content files, for the dev server:
//! reload those files only, render Markdown again only where a page or a
//! link target changed, and relink.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::{Site, render_markdown};
use crate::content::pages::PageId;
use crate::content::{self, ContentPath, Loaded};
use crate::diagnostic::display_path;
use crate::link;
use crate::link::resolve::Resolver;
use crate::problems::Stage;

/// What an update changed, for working out what to render again.
#[derive(Debug, Default)]
pub struct ContentDelta {
    /// Pages added, or whose file changed, or whose Markdown was rendered
    /// again because a page it links to changed URL (stubs included).
    pub changed: HashSet<PageId>,
    /// Pages that left the site (their ids may be reused by new pages).
    pub removed: Vec<PageId>,
    /// Intros that changed, by kind (`None`: the home page's).
    pub intros: BTreeSet<Option<String>>,
}

impl ContentDelta {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty() && self.intros.is_empty()
    }
}

impl Site {
    /// Applies changes to files under `content/` (paths relative to the
    /// root; created, modified or deleted). A file that no longer loads
    /// keeps its last good page in the site, with its errors recorded.
    ///
    /// Long: the steps of an update (reload, relink, intros, translations) in
    /// the order each needs the one before.
    pub fn apply_content(&mut self, paths: &[PathBuf]) -> ContentDelta {
        // Ids of pages removed by the previous update may be reused now.
        self.pages.release();
        let mut delta = ContentDelta::default();
        // The kinds in which a page appeared, went, moved or changed
        // whether it is published: references into them may now resolve
        // otherwise (references into the other kinds cannot, see
        // `Resolver::find`).
        let mut rekeyed: BTreeSet<String> = BTreeSet::new();
        let mut seen = HashSet::new();
        for rel in paths {
            if !seen.insert(rel.clone()) {
                continue;
            }
            match content::classify(rel, &self.config) {
                None => self.recheck_placement(rel),
                Some(ContentPath::Intro { kind, lang }) => {
                    self.reload_intro(rel, (kind.clone(), lang));
                    delta.intros.insert(kind);
                }
                Some(ContentPath::Translation { kind, lang }) => {
                    self.reload_translation(rel, kind, lang);
                }
                Some(what) => {
                    if self.reload_page(rel, &what, &mut delta)
                        && let ContentPath::Page { kind } = what
                    {
                        rekeyed.insert(kind);
                    }
                }
            }
            // A bundle's page came or went: its files are published, or
            // not (and said so), from now on.
            if content::bundle_folder(rel).is_some() {
                self.recheck_bundle_files(rel);
            }
        }
        if !rekeyed.is_empty() || !delta.removed.is_empty() {
            // A page admitted has the key of a page gone or moved: its
            // kind is in `rekeyed` already.
            self.admit_shadowed(&mut delta);
        }
        if !rekeyed.is_empty() {
            // Links to a page that appeared, vanished or moved now point
            // elsewhere: render those pages' Markdown again (only links
            // into a kind whose keys changed can).
            let resolver = Resolver {
                pages: &self.pages,
                config: &self.config,
                unpublished: &self.unpublished,
            };
            // Guarded by tests/differential.rs: without it, seed 2 fails at
            // step 10.
            use rayon::prelude::*;
            let stale: Vec<PageId> = self
                .pages
                .par_iter()
                .filter(|(id, page)| {
                    !delta.changed.contains(id)
                        && page.rendered.links.iter().any(|l| {
                            rekeyed.contains(&l.kind) && resolver.url(&l.kind, &l.name) != l.url
                        })
                })
                .map(|(id, _)| id)
                .collect();
            delta.changed.extend(stale);
            delta.intros.extend(self.intro_kinds());
        }
        let ids: Vec<PageId> = delta.changed.iter().copied().collect();
        render_markdown(&mut self.pages, &ids, &self.config, &self.unpublished);

        let mut changed = delta.changed.clone();
        changed.extend(delta.removed.iter().copied());
        let linked = link::relink(
            &mut self.pages,
            &self.config,
            &self.unpublished,
            Some(link::Previous {
                graph: std::mem::take(&mut self.graph),
                changed: &changed,
                rekeyed: &rekeyed,
            }),
        );
        self.graph = linked.graph;
        self.problems.set(Stage::Link, "", linked.diagnostics);
        if !linked.made.added.is_empty() || !linked.made.removed.is_empty() {
            delta.intros.extend(self.intro_kinds());
        }
        delta.changed.extend(linked.made.added);
        delta.removed.extend(linked.made.removed);
        // Intros are few and small: their links and anchors are checked
        // again after every change, as a fresh build checks them (a
        // heading renamed in a page breaks a `#anchor` in the home intro).
        // Deciding which changes could matter was a shortcut that went
        // stale (issue 22); guarded by tests/live.rs
        // `an_intro_anchor_broken_by_a_renamed_heading_is_reported`.
        self.render_intros();
        let problems = self.check_translations();
        self.problems.set(Stage::Translations, "", problems);
        delta
    }

    /// Reads one translation file again (or forgets it, gone).
    fn reload_translation(&mut self, rel: &Path, kind: String, lang: String) {
        let source = display_path(rel);
        self.problems.clear(Stage::Load, &source);
        self.translations.remove(rel);
        if !self.still_readable(rel, &source) {
            return;
        }
        let what = ContentPath::Translation { kind, lang };
        match content::load_file(&self.boundary, rel, &what, &self.config) {
            Ok(Loaded::Translation(t)) => {
                let items = self.config.items_kind();
                let items = items.map(|k| k.name.clone());
                self.translations.insert_read(t, items.as_deref());
            }
            Ok(_) => {}
            Err(problems) => self.problems.set(Stage::Load, source, problems),
        }
    }

    /// Reads one page file again. Returns whether the set of page keys
    /// may have changed (a page added, removed or renamed). The site ends
    /// as a full load would leave it: a file that fails to load has no
    /// page (the dev server keeps showing its last good output).
    fn reload_page(&mut self, rel: &Path, what: &ContentPath, delta: &mut ContentDelta) -> bool {
        let source = display_path(rel);
        self.problems.clear(Stage::Load, &source);
        self.shadowed.remove(rel);
        self.unpublished.forget_draft(rel);
        let stem = crate::content::page_stem(rel).to_string();
        let kind = match what {
            ContentPath::Page { kind } => kind.clone(),
            ContentPath::Intro { .. } | ContentPath::Translation { .. } => String::new(),
        };
        // Whether the file was known to fail: links to it were quiet.
        let was_failing = self.unpublished.clear_failed(&kind, &stem);
        let old = self.pages.by_path(rel);
        let readable = match self.boundary.check_file(&self.root.join(rel)) {
            Ok(readable) => readable,
            Err(warning) => {
                self.problems.add(Stage::Load, source.clone(), warning);
                false
            }
        };
        if !readable {
            if let Some(id) = old
                && self.pages.remove(id).is_some()
            {
                delta.removed.push(id);
            }
            return true;
        }
        match content::load_file(&self.boundary, rel, what, &self.config) {
            Err(problems) => {
                self.problems.set(Stage::Load, source, problems);
                if let Some(id) = old
                    && self.pages.remove(id).is_some()
                {
                    delta.removed.push(id);
                }
                // Links to it go quiet, as in a full load.
                self.unpublished.mark_failed(&kind, &stem);
                old.is_some() || !was_failing
            }
            Ok(Loaded::Intro(_) | Loaded::Translation(_)) => false,
            Ok(Loaded::Page(page)) => {
                let publish = !page.fields.draft || self.drafts;
                if let Some(id) = old
                    && publish
                    && self.pages.page(id).key == page.key
                {
                    // A page that moved (its `path`) moves the links to it.
                    // Guarded by tests/differential.rs (`path` edits).
                    let moved = self.pages.page(id).fields.path != page.fields.path;
                    self.pages.replace(id, page);
                    delta.changed.insert(id);
                    return moved;
                }
                if let Some(id) = old
                    && self.pages.remove(id).is_some()
                {
                    delta.removed.push(id);
                }
                if let Some(id) = self.add_page(page, &mut delta.removed) {
                    delta.changed.insert(id);
                }
                true
            }
        }
    }

    /// Whether the file at `rel` is there to be read again; a file the
    /// site may not read gets its warning (under `source`).
    fn still_readable(&mut self, rel: &Path, source: &str) -> bool {
        match self.boundary.check_file(&self.root.join(rel)) {
            Ok(readable) => readable,
            Err(warning) => {
                self.problems.add(Stage::Load, source.to_string(), warning);
                false
            }
        }
    }

    /// The kinds (`None`: the home page) that have an intro, in any
    /// language: those to render again when links may resolve otherwise.
    fn intro_kinds(&self) -> BTreeSet<Option<String>> {
        self.intros.keys().map(|(kind, _)| kind.clone()).collect()
    }

    fn reload_intro(&mut self, rel: &Path, key: content::IntroKey) {
        let source = display_path(rel);
        self.problems.clear(Stage::Load, &source);
        self.intros.remove(&key);
        if !self.still_readable(rel, &source) {
            return;
        }
        let (kind, lang) = key;
        let what = ContentPath::Intro { kind, lang };
        match content::load_file(&self.boundary, rel, &what, &self.config) {
            Ok(Loaded::Intro(intro)) => {
                self.intros.insert(intro.key(), intro);
            }
            Ok(Loaded::Page(_) | Loaded::Translation(_)) => {}
            Err(problems) => self.problems.set(Stage::Load, source, problems),
        }
    }

    /// A file under `content/` that is not a page or an intro: a Markdown
    /// file outside the kind folders gets its warning back, or loses it
    /// when it is gone; a file that cannot be read gets the walk's warning.
    fn recheck_placement(&mut self, rel: &Path) {
        let source = display_path(rel);
        self.problems.clear(Stage::Load, &source);
        match self.boundary.check_file(&self.root.join(rel)) {
            Ok(true) => {
                if let Some(d) = content::misplaced(&self.root, rel, &self.config) {
                    self.problems.add(Stage::Load, source, d);
                }
            }
            Ok(false) => {}
            Err(warning) => self.problems.add(Stage::Load, source, warning),
        }
    }

    /// The placement of every file beside a bundle's `index.md` (`rel`),
    /// checked again. Guarded by tests/differential.rs (bundle edits).
    fn recheck_bundle_files(&mut self, rel: &Path) {
        let Some(folder) = rel.parent() else {
            return;
        };
        let walk = self
            .boundary
            .walk(&self.root.join(folder), crate::fs::Hidden::Skip);
        for file in walk.entries {
            let Ok(file) = file.strip_prefix(&self.root).map(Path::to_path_buf) else {
                continue;
            };
            if file.extension().is_none_or(|e| e != "md") {
                self.recheck_placement(&file);
            }
        }
    }

    /// Pages kept aside for a duplicate slug are added again, in path
    /// order, once the pages' keys changed: one joins when its slug is
    /// free or its file comes before the holder's (as in a full load,
    /// where the first file in path order keeps the slug); the others are
    /// kept aside again, their error naming the holder as it is now.
    fn admit_shadowed(&mut self, delta: &mut ContentDelta) {
        let paths: Vec<PathBuf> = self.shadowed.keys().cloned().collect();
        for path in paths {
            if let Some(page) = self.shadowed.remove(&path) {
                self.problems.clear(Stage::Load, &display_path(&path));
                if let Some(id) = self.add_page(page, &mut delta.removed) {
                    delta.changed.insert(id);
                }
            }
        }
    }
}
