//! The [`Site`]: configuration, pages and link graph, held in memory.
//!
//! `Site::load` runs the first half of the pipeline (load, Markdown, link)
//! and collects every problem on the way. Rendering and writing work from
//! a loaded `Site` and never change it.

pub mod translations;
mod update;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::pages::{PageId, Pages};
use crate::content::{self, Intro, IntroKey, Page};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, display_path};
use crate::fs::Boundary;
use crate::link::resolve::{Found, Resolver, Unpublished, Written};
use crate::link::{self, Graph};
use crate::markdown;
use crate::problems::{Problems, Stage};
use crate::urls::BaseUrl;

/// What to load, and how.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from attache.toml.
    pub base_url: Option<String>,
    /// Include pages with `draft = true`.
    pub drafts: bool,
    /// The day that decides which meetings are upcoming. `None`: today,
    /// or the day of `SOURCE_DATE_EPOCH` when that is set.
    pub today: Option<Date>,
}

impl SiteOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        SiteOptions {
            root: root.into(),
            base_url: None,
            drafts: false,
            today: None,
        }
    }
}

/// A loaded and linked site.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    /// What may be read: the root and the configured trusted folders.
    pub boundary: Boundary,
    pub config: Config,
    pub drafts: bool,
    pub today: Date,
    pub pages: Pages,
    /// List intros by kind (`None` is the home page's) and language
    /// (`None` is the default one).
    pub intros: BTreeMap<IntroKey, Intro>,
    /// Pages in the other languages of `[languages]`.
    pub translations: translations::Translations,
    pub unpublished: Unpublished,
    pub graph: Graph,
    /// Every problem of the site: loading (by file), linking, intros, and
    /// what later stages add (templates, outputs, renders).
    pub problems: Problems,
    /// Pages whose slug another file already has, by file.
    pub shadowed: BTreeMap<PathBuf, Page>,
    /// Changes when `attache.toml` or the options change.
    pub config_print: u64,
    /// The files published as they are (static files, page bundles'
    /// files), by output path, and a print of which they are: set by the
    /// engine, which reads them.
    pub files: std::sync::Arc<PublishedFiles>,
}

/// The paths of the files a site publishes as they are.
#[derive(Debug, Clone, Default)]
pub struct PublishedFiles {
    pub paths: rustc_hash::FxHashSet<String>,
    pub print: u64,
}

impl PublishedFiles {
    pub fn new(paths: rustc_hash::FxHashSet<String>) -> PublishedFiles {
        let mut sorted: Vec<&String> = paths.iter().collect();
        sorted.sort_unstable();
        let print = xxhash_rust::xxh3::xxh3_64(format!("{sorted:?}").as_bytes());
        PublishedFiles { paths, print }
    }
}

/// What a [`Site`] keeps between builds: everything but the configuration
/// and what follows from it, which are read again (a build whose
/// configuration changed starts from nothing), and but the pages, which
/// are kept apart (so that both are read at once). Written from a site in
/// place (borrowed) and read back (owned): one type, so that what is
/// written and what is read cannot drift apart.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SiteState<'a> {
    drafts: bool,
    intros: Cow<'a, BTreeMap<IntroKey, Intro>>,
    translations: Cow<'a, translations::Translations>,
    unpublished: Cow<'a, Unpublished>,
    graph: Cow<'a, Graph>,
    problems: Cow<'a, Problems>,
    shadowed: Cow<'a, BTreeMap<PathBuf, Page>>,
    config_print: u64,
}

impl Site {
    /// What to keep of this site for the next build.
    pub fn kept(&self) -> SiteState<'_> {
        SiteState {
            drafts: self.drafts,
            intros: Cow::Borrowed(&self.intros),
            translations: Cow::Borrowed(&self.translations),
            unpublished: Cow::Borrowed(&self.unpublished),
            graph: Cow::Borrowed(&self.graph),
            problems: Cow::Borrowed(&self.problems),
            shadowed: Cow::Borrowed(&self.shadowed),
            config_print: self.config_print,
        }
    }

    /// The site a build kept (its pages kept apart, see
    /// `crate::engine::state`), for `options`; `None` when the
    /// configuration (or the options) changed since, or cannot be read.
    ///
    /// The kept pages and translations read their text again from their
    /// files when first needed; one that changed since sets `lost`.
    pub fn restore(
        options: &SiteOptions,
        state: SiteState<'_>,
        pages: Pages,
        lost: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> Option<Site> {
        let (config, print) = load_config(options).ok()?;
        if print != state.config_print || options.drafts != state.drafts {
            return None;
        }
        let boundary = Boundary::new(&options.root, &config.trusted_folders);
        let source: std::sync::Arc<dyn crate::diagnostic::TextSource> =
            std::sync::Arc::new(crate::content::Reread {
                boundary: boundary.clone(),
                lost,
            });
        let files = (pages.iter().map(|(_, page)| &page.file))
            .chain(state.shadowed.values().map(|page| &page.file))
            .chain(state.translations.iter().map(|t| &t.file));
        for file in files {
            file.reread_from(&source);
        }
        Some(Site {
            root: options.root.clone(),
            boundary,
            config,
            drafts: state.drafts,
            today: options.today.unwrap_or_else(today),
            pages,
            intros: state.intros.into_owned(),
            translations: state.translations.into_owned(),
            unpublished: state.unpublished.into_owned(),
            graph: state.graph.into_owned(),
            problems: state.problems.into_owned(),
            shadowed: state.shadowed.into_owned(),
            config_print: state.config_print,
            files: std::sync::Arc::default(),
        })
    }

    /// Loads and links the site. `Err` only when there is no usable
    /// configuration; otherwise the site comes with every problem found,
    /// and it is the caller's choice whether errors stop the build.
    pub fn load(options: &SiteOptions) -> Result<(Site, Diagnostics), Diagnostics> {
        let root = options.root.clone();
        let (config, config_print) = load_config(options)?;
        let boundary = Boundary::new(&root, &config.trusted_folders);
        let loaded = content::load_all(&boundary, &config);
        let mut site = Site {
            root,
            boundary,
            config,
            drafts: options.drafts,
            today: options.today.unwrap_or_else(today),
            pages: Pages::new(),
            intros: BTreeMap::new(),
            translations: translations::Translations::default(),
            unpublished: Unpublished::default(),
            graph: Graph::default(),
            problems: Problems::default(),
            shadowed: BTreeMap::new(),
            config_print,
            files: std::sync::Arc::default(),
        };
        for d in loaded.diagnostics {
            let key = d.file().map(display_path).unwrap_or_default();
            site.problems.add(Stage::Load, key, d);
        }
        for (kind, stem) in loaded.failed {
            site.unpublished.mark_failed(&kind, &stem);
        }
        for page in loaded.pages {
            // While loading there are no stubs yet to replace.
            site.add_page(page, &mut Vec::new());
        }
        for intro in loaded.intros {
            site.intros.insert(intro.key(), intro);
        }
        for t in loaded.translations {
            let items = site.config.items_kind();
            let items = items.map(|k| k.name.clone());
            site.translations.insert_read(t, items.as_deref());
        }
        let all: Vec<PageId> = site.pages.ids().collect();
        render_markdown(&mut site.pages, &all, &site.config, &site.unpublished);
        let (graph, problems) = link::link(&mut site.pages, &site.config, &site.unpublished);
        site.graph = graph;
        site.problems.set(Stage::Link, "", problems);
        site.render_intros();
        let problems = site.check_translations();
        site.problems.set(Stage::Translations, "", problems);
        let diagnostics = site.diagnostics();
        Ok((site, diagnostics))
    }

    /// Every problem of the site as it stands.
    pub fn diagnostics(&self) -> Diagnostics {
        self.problems.all()
    }

    /// Adds a page read from its file, as a draft left out, a page, or
    /// (when another file has its slug) a duplicate error. Returns its id
    /// when it joined the site. A stub it replaces is added to `replaced`.
    fn add_page(&mut self, page: Page, replaced: &mut Vec<PageId>) -> Option<PageId> {
        let path = page.file.path.clone();
        if page.fields.draft && !self.drafts {
            let kind = page.kind().to_string();
            self.unpublished.add_draft(&kind, page.slug(), &path);
            self.unpublished.add_draft(&kind, &page.stem, &path);
            // Its asks and offers are drafts too: an update of one says so.
            if let Some(items) = self.config.items_kind() {
                for item in &page.fields.items {
                    self.unpublished
                        .add_draft(&items.name, item.id.get_ref(), &path);
                }
            }
            return None;
        }
        // A real page takes the place of a stub made for its slug.
        if let Some(existing) = self.pages.id(&page.key)
            && self.pages.page(existing).stub
        {
            self.pages.remove(existing);
            replaced.push(existing);
        }
        if let Some(existing) = self.pages.id(&page.key) {
            let holder = self.pages.page(existing).file.path.clone();
            if holder < path {
                self.shadow(page, &holder);
                return None;
            }
            // The first file in path order keeps the slug, as in a full
            // load, which reads files in that order.
            if let Some(holder) = self.pages.remove(existing) {
                replaced.push(existing);
                self.shadow(holder, &path);
            }
        }
        // The key is free: checked, or freed, just above.
        self.pages.insert(page).ok()
    }

    /// Keeps aside a page whose slug the page of file `other` has, with
    /// the error: it joins the site if that page goes.
    fn shadow(&mut self, page: Page, other: &Path) {
        let span = page.fields.slug.as_ref().map_or(0..3, |s| s.span());
        let path = page.file.path.clone();
        self.problems.add(
            Stage::Load,
            display_path(&path),
            Diagnostic::error(format!(
                "duplicate slug `{}`: {} has it too",
                page.key.slug,
                display_path(other)
            ))
            .code(Code::DuplicateSlug)
            .at(page.file.at(span))
            .label(format!("a second page {}", page.key))
            .hint("slugs are unique within a kind: rename one of the files, or give it `slug = \"...\"`"),
        );
        self.shadowed.insert(path, page);
    }

    pub fn page(&self, id: PageId) -> &Page {
        self.pages.page(id)
    }

    /// A page's body as HTML and text: rendered when the Markdown stage
    /// ran, or now (a page restored from a build's kept state), with the
    /// links resolved as the site stands, which is how they were resolved
    /// for its outline.
    pub fn body(&self, id: PageId) -> std::sync::Arc<markdown::BodyHtml> {
        let page = self.pages.page(id);
        page.body
            .get_or_init(|| std::sync::Arc::new(self.markdown(page.markdown()).split().1))
            .clone()
    }

    /// `text` (a page's or a translation's body) as Markdown rendered,
    /// its links to pages of the site resolved.
    pub fn markdown(&self, text: &str) -> markdown::Converted {
        let resolver = Resolver {
            pages: &self.pages,
            config: &self.config,
            unpublished: &self.unpublished,
        };
        let resolve = |kind: &str, name: &str| resolver.url(kind, name);
        let card_kind = |name: &str| self.config.card_kind(name);
        let cx = markdown::Context {
            resolve: &resolve,
            raw_html: self.config.markdown.raw_html,
            base_path: self.config.base_url.path(),
            card_kind: &card_kind,
        };
        markdown::render(text, &cx)
    }

    pub fn base_url(&self) -> &BaseUrl {
        &self.config.base_url
    }
}

/// Renders the Markdown of pages `ids` in parallel. Internal links resolve
/// to page URLs; broken ones are reported by the link stage.
fn render_markdown(pages: &mut Pages, ids: &[PageId], config: &Config, unpublished: &Unpublished) {
    let resolver = Resolver {
        pages,
        config,
        unpublished,
    };
    let resolve = |kind: &str, name: &str| resolver.url(kind, name);
    let card_kind = |name: &str| config.card_kind(name);
    let cx = markdown::Context {
        resolve: &resolve,
        raw_html: config.markdown.raw_html,
        base_path: config.base_url.path(),
        card_kind: &card_kind,
    };
    let rendered: Vec<(PageId, markdown::Converted)> = ids
        .par_iter()
        .filter_map(|&id| {
            pages
                .get(id)
                .map(|page| (id, markdown::render(page.markdown(), &cx)))
        })
        .collect();
    for (id, r) in rendered {
        if let Some(page) = pages.get_mut(id) {
            let (outline, body) = r.split();
            page.rendered = outline;
            page.body = std::sync::OnceLock::from(std::sync::Arc::new(body));
        }
    }
}

impl Site {
    /// Renders the list intros' Markdown and checks their links. Runs after
    /// linking, so that links to stub pages resolve; intros make no stubs.
    fn render_intros(&mut self) {
        let resolver = Resolver {
            pages: &self.pages,
            config: &self.config,
            unpublished: &self.unpublished,
        };
        // Intros make no stubs: only pages that exist (stubs included,
        // since linking has run) are links.
        let resolve = |kind: &str, name: &str| match resolver.find(kind, name, Written::Link) {
            Found::Page(id) => Some(self.config.base_url.link(&self.pages.page(id).url_path())),
            _ => None,
        };
        let card_kind = |name: &str| self.config.card_kind(name);
        let cx = markdown::Context {
            resolve: &resolve,
            raw_html: self.config.markdown.raw_html,
            base_path: self.config.base_url.path(),
            card_kind: &card_kind,
        };
        let rendered: Vec<(IntroKey, markdown::Converted)> = self
            .intros
            .iter()
            .map(|(key, intro)| (key.clone(), markdown::render(intro.markdown(), &cx)))
            .collect();
        for (key, r) in rendered {
            if let Some(intro) = self.intros.get_mut(&key) {
                intro.rendered = r;
            }
        }
        let problems = link::refs::check_intro_links(&resolver, self.intros.values());
        self.problems.set(Stage::Intros, "", problems);
    }
}

/// Reads `attache.toml` and applies the options that override it.
/// Returns it with its print (see [`config_print`]).
fn load_config(options: &SiteOptions) -> Result<(Config, u64), Diagnostics> {
    let mut config = Config::load(&options.root)?;
    let print = config_print(&config, options);
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|why| {
            Diagnostics::from(vec![
                Diagnostic::error(format!("invalid --base-url: {why}")).hint(
                    "pass a full URL such as https://example.org/ or https://example.org/sub/",
                ),
            ])
        })?;
    }
    Ok((config, print))
}

/// What outputs that read the configuration depend on: `attache.toml`,
/// and the options that override it.
fn config_print(config: &Config, options: &SiteOptions) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    config.source_print.hash(&mut h);
    options.base_url.hash(&mut h);
    options.drafts.hash(&mut h);
    h.finish()
}

/// Today in UTC, or the day of `SOURCE_DATE_EPOCH` for reproducible builds.
pub fn today() -> Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}
