//! The [`Site`]: configuration, pages and link graph, held in memory.
//!
//! `Site::load` runs the first half of the pipeline (load, Markdown, link)
//! and collects every problem on the way. Rendering and writing work from
//! a loaded `Site` and never change it.

pub mod pages;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Intro, Page};
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::link::resolve::Unpublished;
use crate::link::{self, Graph};
use crate::markdown;
use crate::urls::{BaseUrl, page_path, slugify};
use pages::{PageId, Pages};

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
    pub config: Config,
    pub drafts: bool,
    pub today: Date,
    pub pages: Pages,
    /// List intros by kind; `None` is the home page's.
    pub intros: BTreeMap<Option<String>, Intro>,
    pub unpublished: Unpublished,
    pub graph: Graph,
}

impl Site {
    /// Loads and links the site. `Err` only when there is no usable
    /// configuration; otherwise the site comes with every problem found,
    /// and it is the caller's choice whether errors stop the build.
    pub fn load(options: &SiteOptions) -> Result<(Site, Diagnostics), Diagnostics> {
        let root = options.root.clone();
        let mut config = Config::load(&root)?;
        if let Some(url) = &options.base_url {
            config.base_url = BaseUrl::parse(url).map_err(|why| {
                Diagnostics::from(vec![
                    Diagnostic::error(format!("invalid --base-url: {why}")).hint(
                        "pass a full URL such as https://example.org/ or https://example.org/sub/",
                    ),
                ])
            })?;
        }
        let loaded = content::load_all(&root, &config);
        let mut diagnostics: Diagnostics = loaded.diagnostics.into();

        let mut unpublished = Unpublished::default();
        for (kind, name) in loaded.failed {
            unpublished.failed.insert((kind, name));
        }
        let mut pages = Pages::new();
        for page in loaded.pages {
            if page.fields.draft && !options.drafts {
                let path = page.file.path.clone();
                unpublished.drafts.insert(
                    (page.kind().to_string(), page.slug().to_string()),
                    path.clone(),
                );
                unpublished
                    .drafts
                    .insert((page.kind().to_string(), page.stem.clone()), path);
                continue;
            }
            insert_page(&mut pages, page, &mut diagnostics);
        }
        let mut intros = BTreeMap::new();
        for intro in loaded.intros {
            intros.insert(intro.kind.clone(), intro);
        }

        render_markdown(&mut pages, &mut intros, &config, &unpublished);
        let (graph, problems) = link::link(&mut pages, &config, &unpublished);
        diagnostics.extend(problems);
        diagnostics.sort();

        let site = Site {
            root,
            config,
            drafts: options.drafts,
            today: options.today.unwrap_or_else(today),
            pages,
            intros,
            unpublished,
            graph,
        };
        Ok((site, diagnostics))
    }

    /// The root-relative URL of a page: `/sub/agencies/jica/`.
    pub fn url_of(&self, id: PageId) -> String {
        let page = self.pages.page(id);
        self.config
            .base_url
            .link(&page_path(page.kind(), page.slug()))
    }

    pub fn page(&self, id: PageId) -> &Page {
        self.pages.page(id)
    }

    pub fn base_url(&self) -> &BaseUrl {
        &self.config.base_url
    }
}

/// Adds a page; a second page with the same kind and slug is an error.
fn insert_page(pages: &mut Pages, page: Page, diagnostics: &mut Diagnostics) {
    let span = page.fields.slug.as_ref().map_or(0..3, |s| s.span());
    let at = page.file.at(span);
    let key = page.key.clone();
    if let Err(existing) = pages.insert(page) {
        let other = display_path(&pages.page(existing).file.path);
        diagnostics.push(
            Diagnostic::error(format!("duplicate slug `{}`: {other} has it too", key.slug))
                .at(at)
                .label(format!("a second page {key}"))
                .hint("slugs are unique within a kind: rename one of the files, or give it `slug = \"...\"`"),
        );
    }
}

/// Renders every page's Markdown in parallel. Internal links resolve to
/// page URLs; broken ones are reported by the link stage.
fn render_markdown(
    pages: &mut Pages,
    intros: &mut BTreeMap<Option<String>, Intro>,
    config: &Config,
    unpublished: &Unpublished,
) {
    let resolve = |kind: &str, name: &str| link_url(pages, config, unpublished, kind, name);
    let rendered: Vec<(PageId, markdown::Rendered)> = pages
        .iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(id, page)| (id, markdown::render(page.body(), &resolve)))
        .collect();
    for intro in intros.values_mut() {
        intro.rendered = markdown::render(intro.body(), &resolve);
    }
    for (id, r) in rendered {
        if let Some(page) = pages.get_mut(id) {
            page.rendered = r;
        }
    }
}

/// The URL an `@/kind/name.md` link points to, if any. In a kind with
/// stubs an unknown name points to the stub the link stage will create.
pub fn link_url(
    pages: &Pages,
    config: &Config,
    unpublished: &Unpublished,
    kind: &str,
    name: &str,
) -> Option<String> {
    let slug = match pages.by_link(kind, name) {
        Some(id) => pages.page(id).slug().to_string(),
        None => {
            let k = config.kind(kind)?;
            let draft = unpublished
                .drafts
                .contains_key(&(kind.to_string(), name.to_string()));
            if !k.stubs || draft {
                return None;
            }
            slugify(name)
        }
    };
    Some(config.base_url.link(&page_path(kind, &slug)))
}

/// Today in UTC, or the day of `SOURCE_DATE_EPOCH` for reproducible builds.
fn today() -> Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}
