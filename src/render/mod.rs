//! Render: turn a loaded [`Site`] into output files through Tera templates
//! and generators of feeds, calendars, the sitemap and the search index.
//!
//! Every render reads the site through a [`reader::Reader`], which records
//! what it read; the engine uses the record to render again exactly what a
//! change affects.
//!
//! Template lookup for a page of kind K is `K/page.html`, then that of the
//! built-in kind with K's role, then `page.html`; for K's list, the same
//! with `list.html`. The site's `templates/` wins over the theme's.

pub mod alias;
pub mod calendar;
pub mod collisions;
pub mod context;
pub mod data;
pub mod export;
pub mod feed;
pub mod functions;
pub mod items;
pub mod items_data;
pub mod items_feed;
pub mod json_feed;
pub mod lists;
pub mod paginator;
pub mod pictures;
pub mod preview;
pub mod reader;
pub mod scope;
pub mod search;
pub mod shortcodes;
pub mod sitemap;
pub mod strings;
pub mod summary;
pub mod targets;
pub mod templates;
pub mod translations;
pub mod values;

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Context, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::fs::Boundary;
use crate::site::Site;
use crate::urls::ListPage;
use data::SiteData;
use reader::{Reader, Reads, template_hash};
pub use targets::Target;
use templates::TemplateSources;

/// Whether `e` or an error it wraps says `text`.
fn mentions(e: &tera::Error, text: &str) -> bool {
    let mut current: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = current {
        if err.to_string().contains(text) {
            return true;
        }
        current = err.source();
    }
    false
}

/// The template of the pages of what mentions a page (see
/// [`Target::Mentions`]); a theme needs it only for a site with long
/// lists of mentions.
pub const MENTIONS_TEMPLATE: &str = "mentions.html";

/// Templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "page.html",
    "list.html",
    "404.html",
    "search.html",
];

/// Compiled templates, ready to render a site.
pub struct Renderer {
    tera: Tera,
    sources: TemplateSources,
    /// For each template, the templates a render with it may read (see
    /// [`TemplateSources::closure`]), as template hashes.
    closures: HashMap<String, Vec<u64>>,
    /// The string tables among the templates.
    strings: Arc<strings::Strings>,
}

/// A rendered file: its path under the output folder and its contents.
pub type RenderedFile = (String, Rendered);

/// What a render gives for one file.
#[derive(Debug, Clone)]
pub enum Rendered {
    Bytes(Arc<[u8]>),
    /// The same bytes as the last render of this target gave for this
    /// path, known by their xxh3-128 hash: a target that keeps what it
    /// made (the search index) need not make its unchanged files again.
    /// The engine takes it only when its record of the last render says
    /// that file, with that hash, is in place; otherwise it renders the
    /// target again after [`crate::render::data::Memo::forget_index`].
    Unchanged(u128),
}

/// The files of one target, or what went wrong.
pub type RenderResult = Result<Vec<RenderedFile>, Vec<Diagnostic>>;

impl Renderer {
    /// Loads and compiles the theme's and the site's templates; returns
    /// them with the warnings found on the way (a template file refused
    /// because it links outside the site, say).
    pub fn new(
        boundary: &Boundary,
        theme: &str,
    ) -> Result<(Renderer, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (sources, mut problems) = TemplateSources::load(boundary, theme);
        for name in REQUIRED_TEMPLATES {
            if !sources.contains(name) && !problems.iter().any(|p| p.is_error()) {
                problems.push(
                    Diagnostic::error(format!("no `{name}` template"))
                        .hint(format!("add templates/{name}, or use a theme that has one")),
                );
            }
        }
        let (strings, strings_problems) = strings::Strings::load(&sources);
        problems.extend(strings_problems);
        let strings = Arc::new(strings);
        let mut tera = Tera::new();
        functions::register(&mut tera, strings.clone());
        problems.extend(sources.compile(&mut tera));
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        let closures = sources
            .files
            .keys()
            .map(|name| {
                let hashes = sources
                    .closure(name)
                    .iter()
                    .map(|n| template_hash(n))
                    .collect();
                (name.clone(), hashes)
            })
            .collect();
        Ok((
            Renderer {
                tera,
                sources,
                closures,
                strings,
            },
            problems,
        ))
    }

    pub fn sources(&self) -> &TemplateSources {
        &self.sources
    }

    /// The template used for a page of `kind`, or for its list (`file` is
    /// `page.html` or `list.html`): `K/file`, else that of the built-in
    /// kind with the same role (`meetings/page.html` for a site's `visits`
    /// with role events), else `file`. Each name looked at is read: a
    /// template added later in that order takes over.
    fn pick(&self, r: &Reader, kind: &str, file: &str) -> String {
        let by_role = r
            .kind(kind)
            .and_then(|k| k.role)
            .map(crate::config::Role::builtin_kind);
        for k in [Some(kind), by_role].into_iter().flatten() {
            let name = format!("{k}/{file}");
            r.template(&name);
            if self.sources.contains(&name) {
                return name;
            }
        }
        file.to_string()
    }

    /// The template a target is rendered with, if it uses one.
    fn template_of(&self, site: &Site, r: &Reader, target: &Target) -> Option<String> {
        match target {
            Target::Home => Some("index.html".into()),
            Target::Page(id) | Target::Translation { page: id, .. } => {
                Some(self.pick(r, site.page(*id).kind(), "page.html"))
            }
            Target::List {
                at: ListPage::Moved(_),
                ..
            }
            | Target::Mentions {
                at: ListPage::Moved(_),
                ..
            } => None,
            Target::List { kind, .. } => Some(self.pick(r, kind, "list.html")),
            Target::Mentions { page, .. } => {
                Some(self.pick(r, site.page(*page).kind(), MENTIONS_TEMPLATE))
            }
            Target::NotFound => Some("404.html".into()),
            Target::SearchPage => Some("search.html".into()),
            _ => None,
        }
    }

    /// Renders one target into its file (or files), reading the site
    /// through a reader; returns the result and what the render read.
    pub fn render(
        &self,
        site: &Arc<Site>,
        data: &Arc<SiteData>,
        target: &Target,
    ) -> (RenderResult, Reads) {
        let reader = Arc::new(
            Reader::new(site.clone(), data.clone())
                .in_language(target.lang())
                .with_strings(self.strings.clone()),
        );
        // Template functions, shortcodes in feeds included, read through
        // this render's reader and stop at its deadline.
        let deadline = std::time::Instant::now() + site.config.build.render_limit();
        let result = scope::enter(deadline, Some(reader.clone()), || {
            self.render_with(site, &reader, target)
        });
        (result, reader.take_reads())
    }

    /// The templates shortcodes render with.
    fn shortcodes(&self) -> shortcodes::Shortcodes<'_> {
        shortcodes::Shortcodes {
            tera: &self.tera,
            sources: &self.sources,
            closures: &self.closures,
        }
    }

    /// An intro's HTML, its shortcodes rendered.
    fn intro_html(
        &self,
        r: &Reader,
        kind: Option<&str>,
    ) -> Result<Option<String>, Vec<Diagnostic>> {
        let Some(intro) = r.intro(kind) else {
            return Ok(None);
        };
        let calls = shortcodes::Calls {
            codes: &intro.rendered.shortcodes,
            bodies: &intro.rendered.shortcode_html,
            file: &intro.file,
            body_offset: intro.body_offset,
            page: None,
        };
        self.shortcodes()
            .expand(r, &intro.rendered.html, &calls)
            .map(Some)
    }

    fn render_with(&self, site: &Site, reader: &Arc<Reader>, target: &Target) -> RenderResult {
        let r: &Reader = reader;
        // Every target but the search index, the sitemap and a kind's
        // data is one file.
        let bytes = |bytes| Ok(vec![(target.output_file(site).unwrap_or_default(), bytes)]);
        let one = |text: String| bytes(Rendered::Bytes(Arc::from(text.into_bytes())));
        let many = |files: Vec<(String, Arc<[u8]>)>| {
            Ok(files
                .into_iter()
                .map(|(path, b)| (path, Rendered::Bytes(b)))
                .collect())
        };
        match target {
            Target::Sitemap => many(sitemap::sitemap_files(r)),
            Target::Robots => one(sitemap::robots(r)),
            Target::SiteFeed => one(feed::site_feed(r, &self.shortcodes())?),
            Target::PageFeed(id) => one(feed::page_feed(r, &self.shortcodes(), *id)?),
            Target::SiteJsonFeed => one(json_feed::site_json_feed(r, &self.shortcodes())?),
            Target::PageJsonFeed(id) => one(json_feed::page_json_feed(r, &self.shortcodes(), *id)?),
            Target::ItemsFeed(id) => one(items_feed::atom(r, *id)),
            Target::ItemsJsonFeed(id) => one(items_feed::json(r, *id)),
            Target::Calendar => one(calendar::site_calendar(r)),
            Target::PageCalendar(id) => one(calendar::page_calendar(r, *id)),
            Target::Event(id) => one(calendar::single_event(r, *id)),
            Target::Alias { page, .. } => one(alias::redirect_page(r, *page)),
            Target::List {
                at: ListPage::Moved(_),
                ..
            }
            | Target::Mentions {
                at: ListPage::Moved(_),
                ..
            } => one(alias::moved_list_page(r, site, target)),
            Target::SearchIndex => Ok(crate::render::search::index_files(r)),
            Target::KindData { kind } => many(export::kind_files(r, kind)),
            Target::Graph => bytes(Rendered::Bytes(export::graph_file(r))),
            Target::InLanguage { lang, target: own } => match self.template_of(site, r, own) {
                // Rendered as in the default language, through a reader in
                // this one; the files go under `<lang>/`.
                Some(_) => one(self.render_template(site, reader, target)?),
                None => Ok(self
                    .render_with(site, reader, own)?
                    .into_iter()
                    .map(|(path, file)| (format!("{lang}/{path}"), file))
                    .collect()),
            },
            Target::Home
            | Target::Page(_)
            | Target::Translation { .. }
            | Target::List { .. }
            | Target::Mentions { .. }
            | Target::NotFound
            | Target::SearchPage => one(self.render_template(site, reader, target)?),
        }
    }

    fn render_template(
        &self,
        site: &Site,
        reader: &Arc<Reader>,
        target: &Target,
    ) -> Result<String, Vec<Diagnostic>> {
        let r: &Reader = reader;
        // The page itself; its URL is that of the target, in its language.
        let path = target.url_path(site);
        let target = target.own();
        // `template_of` names a template for every templated target.
        let template = self.template_of(site, r, target).unwrap_or_default();
        if !self.sources.contains(&template) {
            // Only `mentions.html` may be missing: the others are required.
            return Err(vec![
                Diagnostic::error(format!(
                    "no `{template}` template for {}",
                    target.describe(site)
                ))
                .hint(format!(
                    "add templates/{template} (the default theme has one to start from), or raise `[mentions] shown` in attache.toml"
                )),
            ]);
        }
        for &hash in self.closures.get(&template).into_iter().flatten() {
            r.template_by_hash(hash);
        }
        match self.target_context(site, r, target, &path)? {
            Some(context) => self.run_template(site, reader, target, &template, &context),
            None => Ok(String::new()),
        }
    }

    /// What the template of `target` (at `path`) is given; `None` for a
    /// translation that is gone (nothing to render).
    fn target_context(
        &self,
        site: &Site,
        r: &Reader,
        target: &Target,
        path: &str,
    ) -> Result<Option<Context>, Vec<Diagnostic>> {
        let mut context = Context::new();
        context.insert_value("site", r.site_value());
        context.insert("lang", r.lang().unwrap_or(r.config().language.as_str()));
        context.insert("current_url", &r.base_url().link(path));
        context.insert("current_permalink", &r.base_url().permalink(path));
        context.insert_value("feeds", context::alternates(r, target));
        context.insert_value("meta", preview::meta(r, target, path));
        context.insert_value("translations", values::list(Vec::new()));
        match target {
            Target::Page(id) => {
                let content = self.shortcodes().page_html(r, *id)?;
                context.insert_value("page", context::page(r, *id, content));
                context.insert_value("translations", translations::alternates(r, *id));
            }
            Target::Translation { page, .. } => {
                // The reader is in the target's language.
                let Some(t) = r.translation(*page) else {
                    return Ok(None);
                };
                self.translation_context(r, *page, t, path, &mut context)?;
            }
            Target::List { kind, at } => {
                context.insert_value(
                    "translations",
                    translations::own_alternates(r, &target.url_path(site)),
                );
                if let Some(k) = r.kind(kind) {
                    let intro = self.intro_html(r, Some(kind))?;
                    context.insert_value("list", lists::list_page(r, k, *at, intro));
                }
            }
            Target::Mentions { page, kind, at } => {
                context.insert_value("page", r.summary(*page));
                if let Some(k) = r.kind(kind) {
                    context.insert_value("mentions", lists::mentions_page(r, *page, k, *at));
                }
            }
            Target::Home => {
                context.insert_value("translations", translations::own_alternates(r, ""));
                let intro = self.intro_html(r, None)?;
                context.insert_value("home", context::home(r, intro));
            }
            _ => context.insert_value("page", Value::none()),
        }
        Ok(Some(context))
    }

    /// Runs `template` with `context`, within the time and memory a
    /// render may take.
    fn run_template(
        &self,
        site: &Site,
        reader: &Arc<Reader>,
        target: &Target,
        template: &str,
        context: &Context,
    ) -> Result<String, Vec<Diagnostic>> {
        let r: &Reader = reader;
        let limit = r.config().build.render_limit();
        let deadline = std::time::Instant::now() + limit;
        let mut out = scope::Output::new(deadline, 32 * 1024);
        // Only what Tera runs has a memory budget: the outputs attache
        // makes itself (the search index, the data files) grow with the
        // site, not with a template.
        let budget = r.config().build.render_budget();
        let _memory = crate::alloc::Watch::start(
            budget,
            memory_stop_message(
                &target.describe(site),
                self.sources.path_of(template).as_deref(),
                budget,
            ),
        );
        let result = scope::enter(deadline, Some(reader.clone()), || {
            self.tera.render_to(template, context, &mut out)
        });
        match result {
            Ok(()) => Ok(String::from_utf8(out.bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
            Err(e) if out.out_of_memory || mentions(&e, scope::OUT_OF_MEMORY) => {
                Err(vec![self.sources.out_of_memory(
                    template,
                    &target.describe(site),
                    budget,
                )])
            }
            Err(e) if out.timed_out || mentions(&e, scope::TIMED_OUT) => {
                Err(vec![self.sources.timed_out(
                    template,
                    &target.describe(site),
                    limit,
                )])
            }
            Err(e) => Err(self
                .sources
                .explain_tera_error(&e, Some((template, &target.describe(site))))),
        }
    }

    /// A translation's page, and its link previews in its own words.
    fn translation_context(
        &self,
        r: &Reader,
        page: crate::content::pages::PageId,
        t: &crate::content::Translation,
        path: &str,
        context: &mut Context,
    ) -> Result<(), Vec<Diagnostic>> {
        let (content, outline) = self.shortcodes().translation_html(r, page, t)?;
        let page_value = context::page(r, page, String::new());
        let value = translations::page_value(r, page_value, t, &outline, content, path);
        // The link preview in the translation's words, over the page's.
        let mut words: Vec<(&'static str, Value)> =
            [("title", "title"), ("description", "summary")]
                .into_iter()
                .filter_map(|(key, from)| Some((key, value.get_from_path(from)?.clone())))
                .collect();
        words.push(("url", Value::from(r.base_url().permalink(path))));
        let meta = preview::meta(r, &Target::Page(page), path);
        context.insert_value("meta", values::map_with(&meta, &words));
        context.insert_value("page", value);
        context.insert_value("translations", translations::alternates(r, page));
        Ok(())
    }
}

/// The error the allocator prints when a render grows far past its
/// budget between two of its checks (see [`crate::alloc`]).
fn memory_stop_message(what: &str, template: Option<&std::path::Path>, budget: usize) -> String {
    let place = template
        .map(|p| format!("\n --> {}", crate::diagnostic::display_path(p)))
        .unwrap_or_default();
    format!(
        "error: rendering {what} used more than {} MB of memory and was stopped{place}\n  = help: {MEMORY_HINT}\n",
        budget.saturating_mul(crate::alloc::HARD_FACTOR) >> 20
    )
}

/// What to do about a render stopped for its memory.
pub const MEMORY_HINT: &str = "a template that builds ever larger strings or lists in a loop \
     (`{% set_global s = s ~ s %}`) is stopped; fix the loop, or raise `render_memory` \
     (megabytes) under [build] in attache.toml";
