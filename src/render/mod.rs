//! Render: turn a loaded [`Site`] into output files through Tera templates.
//!
//! Template lookup for a page of kind K is `K/page.html`, then `page.html`;
//! for K's list, `K/list.html`, then `list.html`. The site's `templates/`
//! wins over the theme's.

pub mod alias;
pub mod calendar;
pub mod data;
pub mod feed;
pub mod functions;
pub mod scope;
pub mod sitemap;
pub mod summary;
pub mod targets;
pub mod templates;
pub mod values;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::fs::Boundary;
use crate::site::Site;
use data::SiteData;
use functions::Lookup;
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
}

/// A rendered file: its path under the output folder and its bytes.
pub type RenderedFile = (String, Arc<[u8]>);

/// The files of one target, or what went wrong.
pub type RenderResult = Result<Vec<RenderedFile>, Vec<Diagnostic>>;

impl Renderer {
    /// Loads and compiles the theme's and the site's templates.
    pub fn new(boundary: &Boundary, theme: &str) -> Result<Renderer, Vec<Diagnostic>> {
        let (sources, mut problems) = TemplateSources::load(boundary, theme);
        for name in REQUIRED_TEMPLATES {
            if !sources.contains(name) && !problems.iter().any(|p| p.is_error()) {
                problems.push(
                    Diagnostic::error(format!("no `{name}` template"))
                        .hint(format!("add templates/{name}, or use a theme that has one")),
                );
            }
        }
        let mut tera = Tera::new();
        functions::register(&mut tera, Arc::new(Lookup::default()));
        problems.extend(sources.compile(&mut tera));
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        Ok(Renderer { tera, sources })
    }

    pub fn sources(&self) -> &TemplateSources {
        &self.sources
    }

    /// Builds the shared template data for `site` and points the template
    /// functions at it. Call once per build, before rendering.
    pub fn prepare(&mut self, site: &Site) -> SiteData {
        let data = SiteData::build(site);
        self.set_data(site, &data);
        data
    }

    /// Points the template functions at `data` (after it was refreshed).
    pub fn set_data(&mut self, site: &Site, data: &SiteData) {
        functions::register(&mut self.tera, Arc::new(Lookup::new(site, data)));
    }

    /// The template used for a page of `kind`: `K/page.html`, else that
    /// of the built-in kind with the same role (`meetings/page.html` for a
    /// site's `visits` with role events), else `page.html`.
    pub fn page_template(&self, config: &Config, kind: &str) -> String {
        self.pick(config, kind, "page.html")
    }

    /// The template used for the list of `kind`, found the same way.
    pub fn list_template(&self, config: &Config, kind: &str) -> String {
        self.pick(config, kind, "list.html")
    }

    fn pick(&self, config: &Config, kind: &str, file: &str) -> String {
        let by_role = config
            .kind(kind)
            .and_then(|k| k.role)
            .map(crate::config::Role::builtin_kind);
        [Some(kind), by_role]
            .into_iter()
            .flatten()
            .map(|k| format!("{k}/{file}"))
            .find(|name| self.sources.contains(name))
            .unwrap_or_else(|| file.to_string())
    }

    /// The template a target is rendered with, if it uses one.
    pub fn template_of(&self, site: &Site, target: &Target) -> Option<String> {
        match target {
            Target::Home => Some("index.html".into()),
            Target::Page(id) => Some(self.page_template(&site.config, site.page(*id).kind())),
            Target::List { kind, .. } => Some(self.list_template(&site.config, kind)),
            Target::NotFound => Some("404.html".into()),
            Target::SearchPage => Some("search.html".into()),
            _ => None,
        }
    }

    /// Renders one target into its file (or files).
    pub fn render(&self, site: &Site, data: &SiteData, target: &Target) -> RenderResult {
        let one = |text: String| {
            // Every target but the search index and the sitemap is one file.
            let file = target.output_file(site).unwrap_or_default();
            Ok(vec![(file, Arc::from(text.into_bytes()))])
        };
        let many = |files: Vec<(String, String)>| {
            Ok(files
                .into_iter()
                .map(|(path, text)| (path, Arc::from(text.into_bytes())))
                .collect())
        };
        match target {
            Target::Sitemap => many(sitemap::sitemap_files(site)),
            Target::Robots => one(sitemap::robots(site)),
            Target::SiteFeed => one(feed::site_feed(site)),
            Target::PageFeed(id) => one(feed::page_feed(site, *id)),
            Target::Calendar => one(calendar::site_calendar(site)),
            Target::PageCalendar(id) => one(calendar::page_calendar(site, *id)),
            Target::Event(id) => one(calendar::single_event(site, *id)),
            Target::Alias { page, .. } => one(alias::redirect_page(site, *page)),
            Target::SearchIndex => many(crate::search::index_files(site)),
            Target::Home
            | Target::Page(_)
            | Target::List { .. }
            | Target::NotFound
            | Target::SearchPage => one(self.render_template(site, data, target)?),
        }
    }

    fn render_template(
        &self,
        site: &Site,
        data: &SiteData,
        target: &Target,
    ) -> Result<String, Vec<Diagnostic>> {
        // `template_of` names a template for every templated target.
        let template = self.template_of(site, target).unwrap_or_default();
        let mut context = Context::new();
        context.insert_value("site", data.site.clone());
        let path = target.url_path(site);
        context.insert("current_url", &site.base_url().link(&path));
        context.insert("current_permalink", &site.base_url().permalink(&path));
        context.insert_value("feeds", data.alternates(site, target));
        match target {
            Target::Page(id) => context.insert_value("page", data.page(site, *id)),
            Target::List { kind, number } => {
                if let Some(k) = site.config.kind(kind) {
                    context.insert_value("list", data.list(site, k, *number));
                }
            }
            Target::Home => context.insert_value("home", data.home(site)),
            _ => context.insert_value("page", Value::none()),
        }
        let limit = site.config.build.render_limit();
        let deadline = std::time::Instant::now() + limit;
        let mut out = scope::Output::new(deadline, 32 * 1024);
        let result = scope::enter(deadline, || {
            self.tera.render_to(&template, &context, &mut out)
        });
        match result {
            Ok(()) => Ok(String::from_utf8(out.bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
            Err(e) if out.timed_out || mentions(&e, scope::TIMED_OUT) => {
                Err(vec![self.sources.timed_out(
                    &template,
                    &target.describe(site),
                    limit,
                )])
            }
            Err(e) => Err(self
                .sources
                .from_tera_error(&e, Some((&template, &target.describe(site))))),
        }
    }

    /// Renders `targets` in parallel. Errors that many pages share (one
    /// template bug) are reported once, saying how many pages hit it.
    pub fn render_many(
        &self,
        site: &Site,
        data: &SiteData,
        targets: &[Target],
        tick: &(dyn Fn() + Sync),
    ) -> (Vec<RenderedFile>, Vec<Diagnostic>) {
        let results: Vec<RenderResult> = targets
            .par_iter()
            .map(|t| {
                let r = self.render(site, data, t);
                tick();
                r
            })
            .collect();
        let mut files = Vec::with_capacity(results.len());
        let mut problems: BTreeMap<(String, String), (Diagnostic, usize)> = BTreeMap::new();
        for result in results {
            match result {
                Ok(rendered) => files.extend(rendered),
                Err(diagnostics) => {
                    for d in diagnostics {
                        let key = (d.position().unwrap_or_default(), d.message.clone());
                        problems.entry(key).or_insert((d, 0)).1 += 1;
                    }
                }
            }
        }
        let problems = problems
            .into_values()
            .map(|(d, count)| {
                if count > 1 {
                    let label = d.label.clone().unwrap_or_default();
                    d.label(format!("{label} and {} more", count - 1))
                } else {
                    d
                }
            })
            .collect();
        (files, problems)
    }
}
