//! Everything rendering reads, read through one [`Reader`] that records it.
//!
//! Render code never sees the [`Site`]: it gets a `Reader`, whose accessors
//! return the site's data and note what was read as a [`Dep`]. The record
//! of a render is exactly what it read, so after a change the engine
//! renders again exactly the outputs whose recorded reads changed. A new
//! template variable or function is tracked by going through these
//! accessors; there is nothing else to remember.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use tera::Value;

use super::data::SiteData;
use crate::config::{Config, Kind};
use crate::content::pages::PageId;
use crate::content::{Intro, PageKey};
use crate::link::resolve::{Found, Resolver, Written};
use crate::markdown::{BodyHtml, Outline};
use crate::site::Site;
use crate::urls::BaseUrl;

mod dep;
pub use dep::{Dep, Deps, HOME_INTRO, KindIndex, Reads, Wanted, name_hash, template_hash};

mod view;
pub use view::PageView;

mod language;
mod paged;
pub use paged::{archive_page, of_kind};

/// The site as one render reads it, recording every read. It may be
/// shared by the threads of one render (the search index is built in
/// parallel): each thread records into a list of its own.
pub struct Reader {
    site: Arc<Site>,
    data: Arc<SiteData>,
    /// One list per worker thread, and one for other threads.
    reads: Vec<Mutex<Vec<Dep>>>,
    names: Mutex<Vec<(u64, String, String)>>,
    /// The language of the render, when not the default one.
    lang: Option<String>,
    /// The string tables were recorded as read: a page asks for dozens
    /// of words, and the record needs them once.
    strings_read: std::sync::atomic::AtomicBool,
    /// The theme's string tables, for the words attache writes itself
    /// (none outside a render: the built-in English ones).
    strings: Option<Arc<crate::render::strings::Strings>>,
}

impl Reader {
    pub fn new(site: Arc<Site>, data: Arc<SiteData>) -> Reader {
        Reader {
            site,
            data,
            reads: (0..=rayon::current_num_threads())
                .map(|_| Mutex::new(Vec::new()))
                .collect(),
            names: Mutex::new(Vec::new()),
            lang: None,
            strings_read: std::sync::atomic::AtomicBool::new(false),
            strings: None,
        }
    }

    /// What was read so far, sorted; the record starts again empty.
    pub fn take_reads(&self) -> Reads {
        let mut deps: Vec<Dep> = Vec::new();
        for list in &self.reads {
            deps.append(&mut list.lock().unwrap_or_else(PoisonError::into_inner));
        }
        deps.sort_unstable();
        deps.dedup();
        let mut names =
            std::mem::take(&mut *self.names.lock().unwrap_or_else(PoisonError::into_inner));
        names.sort();
        names.dedup();
        self.strings_read
            .store(false, std::sync::atomic::Ordering::Relaxed);
        Reads { deps, names }
    }

    fn note(&self, dep: Dep) {
        let slot = rayon::current_thread_index()
            .unwrap_or(usize::MAX)
            .min(self.reads.len() - 1);
        self.reads[slot]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(dep);
    }

    fn kind_index(&self, kind: &str) -> KindIndex {
        self.site
            .config
            .kind_index(kind)
            .min(KindIndex::MAX as usize - 1) as KindIndex
    }

    // The configuration and the day.

    /// The configuration, as templates see it in the render's language
    /// (see [`crate::config::Language::localize`]).
    pub fn config(&self) -> &Config {
        self.note(Dep::Config);
        match self.lang.as_deref().and_then(|l| self.data.localized(l)) {
            Some((config, _)) => config,
            None => &self.site.config,
        }
    }

    pub fn base_url(&self) -> &BaseUrl {
        self.note(Dep::Config);
        &self.site.config.base_url
    }

    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.config().kind(name)
    }

    pub fn today(&self) -> jiff::civil::Date {
        self.note(Dep::Today);
        self.site.today
    }

    /// `site` in templates: in another language, with its title and
    /// description, and links to its own home page, lists and feed.
    pub fn site_value(&self) -> Value {
        self.note(Dep::Config);
        match self.lang.as_deref().and_then(|l| self.data.localized(l)) {
            Some((_, site)) => site.clone(),
            None => self.data.site.clone(),
        }
    }

    /// A template's source is read (or its absence, for a name looked
    /// up and not found).
    pub fn template(&self, name: &str) {
        self.note(Dep::Template(template_hash(name)));
    }

    /// [`Reader::template`], by the hash of the name.
    pub fn template_by_hash(&self, hash: u64) {
        self.note(Dep::Template(hash));
    }

    // Pages.

    /// A page's kind and slug, read without a record: they are what the
    /// id stands for, and never change while the id lives (a page given
    /// another slug is another id), so whatever led to the id (a graph
    /// row, a list) is the record.
    pub fn key(&self, id: PageId) -> &PageKey {
        &self.site.page(id).key
    }

    pub fn page(&self, id: PageId) -> PageView<'_> {
        self.note(Dep::Page(id));
        PageView(self.site.page(id))
    }

    /// What lists, references and backlinks show of a page: in another
    /// language, in its translation's words when it has one.
    pub fn summary(&self, id: PageId) -> Value {
        self.note(Dep::Page(id));
        let summary = self.data.summary(&self.site, id);
        match self.lang {
            None => summary,
            Some(_) => super::translations::summary_value(self, id, summary, self.translation(id)),
        }
    }

    /// [`Self::summary`] and then the entries `more`, as one map.
    pub fn summary_with(&self, id: PageId, more: Vec<(&'static str, Value)>) -> Value {
        if self.lang.is_some() {
            return super::values::map_with(&self.summary(id), &more);
        }
        self.note(Dep::Page(id));
        self.data.summary_with(&self.site, id, more)
    }

    pub fn summaries(&self, ids: &[PageId]) -> Value {
        Value::from(ids.iter().map(|&id| self.summary(id)).collect::<Vec<_>>())
    }

    /// A page's Markdown as HTML and text.
    pub fn body(&self, id: PageId) -> Arc<BodyHtml> {
        self.note(Dep::Body(id));
        self.site.body(id)
    }

    /// Whether the site publishes a file at `path` (a static file or a
    /// page bundle's), a path from the site's root.
    pub fn has_file(&self, path: &str) -> bool {
        self.note(Dep::Files);
        self.site.files.paths.contains(path.trim_start_matches('/'))
    }

    /// `text` as Markdown, its `@/` links resolved: a Markdown
    /// shortcode's output. (What the links lead to is for the caller to
    /// read.)
    pub fn markdown(&self, text: &str) -> crate::markdown::Converted {
        self.site.markdown(text)
    }

    /// What a page's Markdown says: its headings and word count.
    pub fn outline(&self, id: PageId) -> &Outline {
        self.note(Dep::Body(id));
        &self.site.page(id).rendered
    }

    /// The intro of `kind`'s list (`None`: the home page's) in the
    /// render's language: another language's pages show its own intro
    /// (`_index.ja.md`), or none, never the default language's words.
    pub fn intro(&self, kind: Option<&str>) -> Option<&Intro> {
        let index = kind.map_or(HOME_INTRO, |k| self.kind_index(k));
        self.note(Dep::Intro(index));
        let key = (kind.map(str::to_string), self.lang.clone());
        self.site.intros.get(&key)
    }

    /// The translations of page `id`, by language.
    pub fn translations(&self, id: PageId) -> Vec<&crate::content::Translation> {
        self.note(Dep::Translations(id));
        self.site.translations_of(id)
    }

    /// The body of a translation, rendered: what its links lead to is in
    /// the print of [`Dep::Translations`], read with the translation.
    pub fn translation_body(&self, t: &crate::content::Translation) -> crate::markdown::Converted {
        self.site.translation_body(t)
    }

    // The graph.

    pub fn refs(&self, id: PageId) -> &[PageId] {
        self.note(Dep::Refs(id));
        self.site.graph.refs(id)
    }

    pub fn backlinks(&self, id: PageId) -> &[PageId] {
        self.note(Dep::Backlinks(id));
        self.site.graph.backlinks(id)
    }

    pub fn related(&self, id: PageId) -> &[PageId] {
        self.note(Dep::Related(id));
        self.site.graph.related(id)
    }

    fn tree(&self, id: PageId) -> &crate::link::Graph {
        // A page of a kind that is no tree has no parent and no children,
        // whatever the other pages are (only a tree kind's pages may name
        // a parent; a kind becoming one is a change of the configuration):
        // nothing to record. Recording it made every brief's page render
        // again for a new brief.
        let kind = self.site.page(id).kind();
        if self.site.config.kind(kind).is_some_and(|k| k.tree) {
            self.note(Dep::Tree(self.kind_index(kind)));
        }
        &self.site.graph
    }

    pub fn parent(&self, id: PageId) -> Option<PageId> {
        self.tree(id).parent(id)
    }

    pub fn children(&self, id: PageId) -> &[PageId] {
        self.tree(id).children(id)
    }

    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        self.tree(id).ancestors(id)
    }

    pub fn descendants(&self, id: PageId) -> Vec<PageId> {
        self.tree(id).descendants(id)
    }

    /// The pages that mention `id` or, in a tree kind, any of its
    /// descendants, in list order (kind by kind).
    pub fn mentions(&self, id: PageId) -> Vec<PageId> {
        // The merged list's order depends on the mentioning pages' places
        // in their lists, which no single row of the graph says: its
        // fingerprint is that of the list itself.
        self.note(Dep::Mentions(id));
        self.site.graph.mentions(id)
    }

    /// The dated pages that mention `id`, for its pictures.
    pub fn dated_mentions(&self, id: PageId) -> Vec<super::pictures::Dated> {
        self.note(Dep::Activity(id));
        let Some(lang) = self.lang.as_deref() else {
            return super::pictures::dated_mentions(&self.site, id);
        };
        // In another language, what that language's pages say: the pages
        // translated into it (which pages are is read, by kind).
        super::pictures::dated_mentions_by(&self.site, id, |m| {
            self.note(Dep::Translated(self.kind_index(self.site.page(m).kind())));
            self.site.translations_of(m).iter().any(|t| t.lang == lang)
        })
    }

    /// The agencies and sectors most often mentioned with `id`, with how
    /// often, for its relationship map.
    pub fn neighbours(&self, id: PageId) -> Vec<(PageId, u32)> {
        self.note(Dep::Neighbours(id));
        super::pictures::neighbours(&self.site, id)
    }

    /// The pages just before and after `id` in its kind's list.
    pub fn adjacent(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        self.note(Dep::Adjacent(id));
        self.site.graph.adjacent(id)
    }

    /// [`Reader::mentions`] by kind, in the configured kinds' order.
    pub fn mentions_by_kind(&self, id: PageId) -> Vec<Vec<PageId>> {
        let mut by_kind = vec![Vec::new(); self.site.config.kinds.len()];
        for m in self.mentions(id) {
            // A page's kind is part of its key: it is what the id stands
            // for, and never changes while the id lives.
            if let Some(list) = by_kind.get_mut(self.site.graph.kind_index(m) as usize) {
                list.push(m);
            }
        }
        by_kind
    }

    /// A kind's pages in list order (in another language, those it has).
    pub fn ordered(&self, kind: &str) -> Cow<'_, [PageId]> {
        self.note(Dep::Order(self.kind_index(kind)));
        self.of_language(kind)
    }

    /// How many pages of each kind mention `id` (or, in a tree kind, any
    /// of its descendants), by kind name, in the kinds' order.
    pub fn mention_counts(&self, id: PageId) -> Vec<(&str, usize)> {
        // Counts depend on who mentions, not in which order: the rows.
        self.backlinks(id);
        for d in self.descendants(id) {
            self.backlinks(d);
        }
        // A page's kind is part of its key: it is what the id stands for,
        // and never changes while the id lives.
        let counts = self
            .site
            .graph
            .mention_counts(id, self.site.config.kinds.len());
        self.site
            .config
            .kinds
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| (k.name.as_str(), n))
            .collect()
    }

    /// Every page of a kind, in order, to look at each of them (their
    /// front matter and summaries, not their bodies).
    pub fn every_page(&self, kind: &str) -> Cow<'_, [PageId]> {
        self.note(Dep::Kind(self.kind_index(kind)));
        self.of_language(kind)
    }

    /// Every page of a kind in the default language, whatever the
    /// render's language: what exists but is not translated.
    pub fn every_page_in_default(&self, kind: &str) -> &[PageId] {
        self.note(Dep::Kind(self.kind_index(kind)));
        self.site.graph.ordered(kind)
    }

    /// The summaries of every page of a kind, in order (`get_pages`).
    pub fn kind_summaries(&self, kind: &str) -> Option<Value> {
        self.note(Dep::Kind(self.kind_index(kind)));
        if self.lang.is_some() {
            self.kind(kind)?;
            return Some(self.summaries(&self.every_page(kind)));
        }
        self.data.kind_list(&self.site, kind)
    }

    /// Looks a name up as a link does (`@/kind/name`): for template
    /// functions.
    pub fn find(&self, kind: &str, name: &str) -> Option<PageId> {
        let hash = name_hash(kind, name);
        self.note(Dep::Name(hash));
        self.names
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((hash, kind.to_string(), name.to_string()));
        match self.resolver().find(kind, name, Written::Link) {
            Found::Page(id) => Some(id),
            _ => None,
        }
    }

    /// The search entry of page `id` (see [`crate::render::search::Entry`]), made
    /// by `make` unless the page and those it references (`refs`, read
    /// through this reader by the caller) did not change since.
    pub fn search_entry(
        &self,
        id: PageId,
        refs: &[PageId],
        make: impl FnOnce() -> crate::render::search::Entry,
    ) -> Arc<crate::render::search::kept::EntryCell> {
        let mut h = rustc_hash::FxHasher::default();
        (id, self.data.version(id)).hash(&mut h);
        for &r in refs {
            (r, self.data.version(r)).hash(&mut h);
        }
        self.data.memo.search_entry(id, h.finish(), make)
    }

    /// A number that changes each time page `id` changes (see
    /// [`SiteData::version`]); read without a record: what the page is
    /// made of is read through [`Reader::page`].
    pub fn version(&self, id: PageId) -> u64 {
        self.data.version(id)
    }

    /// The data files as their last render made them.
    pub fn kept_files(&self) -> &crate::render::export::KeptFiles {
        &self.data.memo.files
    }

    /// The search index the last render made, to be brought up to date
    /// (a cache: what it holds was read through this reader again).
    pub fn take_search_index(&self) -> Option<crate::render::search::Built> {
        self.data.memo.take_index()
    }

    /// Keeps the index for the next render of it.
    pub fn keep_search_index(&self, built: crate::render::search::Built) {
        self.data.memo.keep_index(built);
    }

    /// The slugs of a kind, for suggestions in an error.
    pub fn slugs<'a>(&'a self, kind: &'a str) -> Vec<&'a str> {
        self.note(Dep::Kind(self.kind_index(kind)));
        self.site.pages.slugs_of(kind).collect()
    }

    fn resolver(&self) -> Resolver<'_> {
        Resolver {
            pages: &self.site.pages,
            config: &self.site.config,
            unpublished: &self.site.unpublished,
        }
    }
}
