//! Render targets: every output a build produces from the site's data.

use rayon::prelude::*;

use super::{calendar, feed, json_feed};
use crate::content::pages::PageId;
use crate::site::Site;
use crate::urls::{ListPage, alias_file, list_path, mentions_path, output_file};

/// One rendered output of the site (most are one file).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Target {
    Home,
    Page(PageId),
    /// A page of a kind's list.
    List {
        kind: String,
        at: ListPage,
    },
    /// A page of the pages of `kind` that mention `page`, when there are
    /// more than the page itself shows.
    Mentions {
        page: PageId,
        kind: String,
        at: ListPage,
    },
    NotFound,
    /// `sitemap.xml`, and its parts when the site is large.
    Sitemap,
    Robots,
    /// `/atom.xml`.
    SiteFeed,
    /// `<kind>/<slug>/atom.xml`.
    PageFeed(PageId),
    /// `<kind>/<slug>/asks.xml`: what became of the asks and offers that
    /// name a page.
    ItemsFeed(PageId),
    /// `<kind>/<slug>/asks.json`: the same as JSON Feed 1.1.
    ItemsJsonFeed(PageId),
    /// `/feed.json`: the site feed as JSON Feed 1.1.
    SiteJsonFeed,
    /// `<kind>/<slug>/feed.json`.
    PageJsonFeed(PageId),
    /// `meetings/calendar.ics`.
    Calendar,
    /// `<kind>/<slug>/calendar.ics`.
    PageCalendar(PageId),
    /// `meetings/<slug>/event.ics`.
    Event(PageId),
    /// A redirect from an old URL of a page: its `aliases[index]`.
    Alias {
        page: PageId,
        index: usize,
    },
    /// The `/search/` page.
    SearchPage,
    /// The search index under `search/`.
    SearchIndex,
    /// `data/<kind>.json` and `data/<kind>.csv`: the desk's data for
    /// other tools.
    KindData {
        kind: String,
    },
    /// `data/graph.json`.
    Graph,
    /// A page in another language: `<lang>/<kind>/<slug>/`.
    Translation {
        page: PageId,
        lang: String,
    },
    /// A page of the site's own (the home page, a list page, the feeds) in
    /// another language, under `<lang>/`: it shows the pages translated
    /// into it, in their translations' words.
    InLanguage {
        lang: String,
        target: Box<Target>,
    },
}

/// The targets that each language other than the default one has.
fn in_languages(site: &Site) -> Vec<Target> {
    let mut targets = Vec::new();
    for language in &site.config.languages {
        let lang = || language.code.clone();
        let mut own = vec![Target::Home];
        if site.config.search.enabled {
            own.extend([Target::SearchPage, Target::SearchIndex]);
        }
        if site.config.events().is_some() {
            own.push(Target::Calendar);
        }
        if site.config.feeds.enabled && site.config.entries().is_some() {
            own.extend(site_feeds(site));
        }
        for kind in &site.config.kinds {
            let pages = super::lists::list_pages(site, &kind.name, Some(&language.code));
            own.extend(pages.into_iter().map(|at| Target::List {
                kind: kind.name.clone(),
                at,
            }));
        }
        targets.extend(own.into_iter().map(|target| Target::InLanguage {
            lang: lang(),
            target: Box::new(target),
        }));
    }
    targets
}

impl Target {
    /// Whether the output is made from every page of the site (or of a
    /// kind): one such output takes as long as hundreds of pages.
    pub fn reads_whole_site(&self) -> bool {
        match self {
            Target::SearchIndex
            | Target::KindData { .. }
            | Target::Graph
            | Target::Sitemap
            | Target::Calendar => true,
            // A language's own search index and calendar.
            Target::InLanguage { target, .. } => target.reads_whole_site(),
            _ => false,
        }
    }

    /// The site-relative URL path of templated targets: `agencies/jica/`.
    pub fn url_path(&self, site: &Site) -> String {
        match self {
            Target::Home => String::new(),
            Target::Page(id) => {
                let page = site.page(*id);
                page.url_path()
            }
            Target::List { kind, at } => list_path(kind, *at),
            Target::Mentions { page, kind, at } => {
                mentions_path(&site.page(*page).url_path(), kind, *at)
            }
            Target::NotFound => "404.html".into(),
            Target::Sitemap => "sitemap.xml".into(),
            Target::Robots => "robots.txt".into(),
            Target::SiteFeed => feed::site_feed_path(),
            Target::SiteJsonFeed => json_feed::site_json_feed_path(),
            Target::PageJsonFeed(id) => json_feed::page_json_feed_path(&site.page(*id).url_path()),
            Target::PageFeed(id) => feed::page_feed_path(&site.page(*id).url_path()),
            Target::ItemsFeed(id) => {
                super::items_feed::atom_path(&site.page(*id).url_path(), &items_kind(site))
            }
            Target::ItemsJsonFeed(id) => {
                super::items_feed::json_path(&site.page(*id).url_path(), &items_kind(site))
            }
            Target::Calendar => calendar::calendar_path(&site.config),
            Target::PageCalendar(id) => calendar::page_calendar_path(&site.page(*id).url_path()),
            Target::Event(id) => calendar::event_path(&site.page(*id).url_path()),
            Target::Alias { page, index } => {
                site.page(*page).fields.aliases[*index].get_ref().clone()
            }
            Target::SearchPage => crate::render::search::PAGE_PATH.into(),
            Target::SearchIndex => crate::render::search::INDEX_DIR.into(),
            Target::KindData { kind } => format!("{}{kind}.json", super::export::DATA_DIR),
            Target::Graph => format!("{}graph.json", super::export::DATA_DIR),
            Target::Translation { page, lang } => {
                let page = site.page(*page);
                format!("{lang}/{}", page.url_path())
            }
            Target::InLanguage { lang, target } => format!("{lang}/{}", target.url_path(site)),
        }
    }

    /// The file a single-file target writes, relative to the output folder.
    /// `None` for targets that write a set of files.
    pub fn output_file(&self, site: &Site) -> Option<String> {
        match self {
            Target::SearchIndex | Target::KindData { .. } => None,
            Target::InLanguage { lang, target } => target
                .output_file(site)
                .map(|file| format!("{lang}/{file}")),
            Target::Alias { page, index } => {
                alias_file(site.page(*page).fields.aliases[*index].get_ref()).ok()
            }
            other => Some(output_file(other.url_path(site))),
        }
    }

    /// The page this target is one of the outputs of, if any.
    pub fn page(&self) -> Option<PageId> {
        match self {
            Target::Page(id)
            | Target::PageFeed(id)
            | Target::ItemsFeed(id)
            | Target::ItemsJsonFeed(id)
            | Target::PageJsonFeed(id)
            | Target::PageCalendar(id)
            | Target::Event(id) => Some(*id),
            Target::Alias { page, .. }
            | Target::Mentions { page, .. }
            | Target::Translation { page, .. } => Some(*page),
            Target::InLanguage { target, .. } => target.page(),
            _ => None,
        }
    }

    /// The output of the site's own that this target is in another
    /// language; the target itself for the others.
    pub fn own(&self) -> &Target {
        match self {
            Target::InLanguage { target, .. } => target,
            other => other,
        }
    }

    /// The language of the target, when not the site's default one.
    pub fn lang(&self) -> Option<String> {
        match self {
            Target::Translation { lang, .. } | Target::InLanguage { lang, .. } => {
                Some(lang.clone())
            }
            _ => None,
        }
    }

    /// Names the target in messages.
    pub fn describe(&self, site: &Site) -> String {
        match self {
            Target::Home => "the home page".into(),
            Target::Page(id) => site.page(*id).key.to_string(),
            Target::Translation { page, lang } => {
                format!("{} in `{lang}`", site.page(*page).key)
            }
            Target::InLanguage { lang, target } => {
                format!("{} in `{lang}`", target.describe(site))
            }
            Target::List { kind, at } => format!("the {kind} list{}", describe(*at)),
            Target::Mentions { page, kind, at } => format!(
                "the {kind} mentioning {}{}",
                site.page(*page).key,
                describe(*at)
            ),
            Target::Alias { page, .. } => {
                format!(
                    "the alias {} of {}",
                    self.url_path(site),
                    site.page(*page).key
                )
            }
            other => other.url_path(site),
        }
    }
}

/// Which page of a list `at` is, in messages: "", ", page 2", ", archive
/// page 3", ", old page 2".
fn describe(at: ListPage) -> String {
    match at {
        ListPage::First => String::new(),
        ListPage::Numbered(n) => format!(", page {n}"),
        ListPage::Archive(n) => format!(", archive page {n}"),
        ListPage::Moved(n) => format!(", old page {n}"),
    }
}

/// Every target of the site, in a stable order.
pub fn all(site: &Site) -> Vec<Target> {
    let mut targets = vec![
        Target::Home,
        Target::NotFound,
        Target::Sitemap,
        Target::Robots,
    ];
    if site.config.events().is_some() {
        targets.push(Target::Calendar);
    }
    if site.config.feeds.enabled && site.config.entries().is_some() {
        targets.extend(site_feeds(site));
    }
    if site.config.search.enabled {
        targets.extend([Target::SearchPage, Target::SearchIndex]);
    }
    if site.config.data.enabled {
        targets.extend(site.config.kinds.iter().map(|k| Target::KindData {
            kind: k.name.clone(),
        }));
        targets.push(Target::Graph);
    }
    for kind in &site.config.kinds {
        for at in super::lists::list_pages(site, &kind.name, None) {
            targets.push(Target::List {
                kind: kind.name.clone(),
                at,
            });
        }
        // In parallel: at every update, for tens of thousands of pages.
        let pages = site.graph.ordered(&kind.name).par_iter();
        targets.par_extend(pages.flat_map_iter(|&id| page_targets(site, id)));
    }
    targets.extend(in_languages(site));
    targets
}

/// The targets that belong to one page: the page, its feed, calendar,
/// event file, redirects, and the pages of what mentions it when the page
/// cannot show it all.
pub fn page_targets(site: &Site, id: PageId) -> Vec<Target> {
    let mut targets = vec![Target::Page(id)];
    targets.extend(
        site.translations_of(id)
            .into_iter()
            .map(|t| Target::Translation {
                page: id,
                lang: t.lang.clone(),
            }),
    );
    let mentions = &site.config.mentions;
    let counts = site.graph.mention_counts(id, site.config.kinds.len());
    let kind = site.page(id).kind();
    let named_by_items = site
        .config
        .kinds
        .iter()
        .zip(&counts)
        .any(|(k, &n)| k.schema == crate::config::Schema::Item && n > 0);
    if named_by_items && feed::has_feed(&site.config, kind) {
        targets.push(Target::ItemsFeed(id));
        if site.config.feeds.json {
            targets.push(Target::ItemsJsonFeed(id));
        }
    }
    for (kind, count) in site.config.kinds.iter().zip(counts) {
        // A page shows every ask and offer that names it (`page.items`).
        if count > mentions.shown && kind.schema != crate::config::Schema::Item {
            for at in ListPage::all(count, mentions.per_page, kind.archive()) {
                targets.push(Target::Mentions {
                    page: id,
                    kind: kind.name.clone(),
                    at,
                });
            }
        }
    }
    let kind = site.page(id).kind();
    if feed::has_feed(&site.config, kind) {
        targets.push(Target::PageFeed(id));
        if site.config.feeds.json {
            targets.push(Target::PageJsonFeed(id));
        }
    }
    if calendar::has_calendar(&site.config, kind) {
        targets.push(Target::PageCalendar(id));
    }
    if Some(kind) == calendar::event_kind(&site.config) {
        targets.push(Target::Event(id));
    }
    // A translated page has its feeds, calendar and the pages of what
    // mentions it in its language too.
    let own: Vec<Target> = targets
        .iter()
        .filter(|t| {
            matches!(
                t,
                Target::Mentions { .. }
                    | Target::PageFeed(_)
                    | Target::ItemsFeed(_)
                    | Target::ItemsJsonFeed(_)
                    | Target::PageJsonFeed(_)
                    | Target::PageCalendar(_)
                    | Target::Event(_)
            )
        })
        .cloned()
        .collect();
    for t in site.translations_of(id) {
        targets.extend(own.iter().map(|target| Target::InLanguage {
            lang: t.lang.clone(),
            target: Box::new(target.clone()),
        }));
    }
    for index in 0..site.page(id).fields.aliases.len() {
        targets.push(Target::Alias { page: id, index });
    }
    targets
}

/// The site's feeds: Atom, and JSON Feed when the site asks for it.
fn site_feeds(site: &Site) -> Vec<Target> {
    match site.config.feeds.json {
        true => vec![Target::SiteFeed, Target::SiteJsonFeed],
        false => vec![Target::SiteFeed],
    }
}

/// The name of the kind of asks and offers (`asks`), which names their
/// feeds' files.
fn items_kind(site: &Site) -> String {
    (site.config.items_kind()).map_or_else(|| "asks".to_string(), |k| k.name.clone())
}
