//! Render targets: every output a build produces from the site's data.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::{calendar, feed, json_feed};
use crate::content::pages::PageId;
use crate::diagnostic::{Code, Diagnostic};
use crate::output::Body;
use crate::site::Site;
use crate::urls::{alias_file, list_path, mentions_path, output_file, page_path};

/// One rendered output of the site (most are one file).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Target {
    Home,
    Page(PageId),
    /// List page `number` (1-based) of a kind.
    List {
        kind: String,
        number: usize,
    },
    /// Page `number` (1-based) of the pages of `kind` that mention `page`,
    /// when there are more than the page itself shows.
    Mentions {
        page: PageId,
        kind: String,
        number: usize,
    },
    NotFound,
    /// `sitemap.xml`, and its parts when the site is large.
    Sitemap,
    Robots,
    /// `/atom.xml`.
    SiteFeed,
    /// `<kind>/<slug>/atom.xml`.
    PageFeed(PageId),
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
            own.extend([Target::SiteFeed, Target::SiteJsonFeed]);
        }
        for kind in &site.config.kinds {
            let count = super::lists::list_page_count(site, &kind.name, Some(&language.code));
            own.extend((1..=count).map(|number| Target::List {
                kind: kind.name.clone(),
                number,
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
    /// The site-relative URL path of templated targets: `agencies/jica/`.
    pub fn url_path(&self, site: &Site) -> String {
        match self {
            Target::Home => String::new(),
            Target::Page(id) => {
                let page = site.page(*id);
                page_path(page.kind(), page.slug())
            }
            Target::List { kind, number } => list_path(kind, *number),
            Target::Mentions { page, kind, number } => {
                let key = &site.page(*page).key;
                mentions_path(&key.kind, &key.slug, kind, *number)
            }
            Target::NotFound => "404.html".into(),
            Target::Sitemap => "sitemap.xml".into(),
            Target::Robots => "robots.txt".into(),
            Target::SiteFeed => feed::site_feed_path(),
            Target::SiteJsonFeed => json_feed::site_json_feed_path(),
            Target::PageJsonFeed(id) => {
                let key = &site.page(*id).key;
                json_feed::page_json_feed_path(&key.kind, &key.slug)
            }
            Target::PageFeed(id) => {
                let key = &site.page(*id).key;
                feed::page_feed_path(&key.kind, &key.slug)
            }
            Target::Calendar => calendar::calendar_path(&site.config),
            Target::PageCalendar(id) => {
                let key = &site.page(*id).key;
                calendar::page_calendar_path(&key.kind, &key.slug)
            }
            Target::Event(id) => {
                let key = &site.page(*id).key;
                calendar::event_path(&key.kind, &key.slug)
            }
            Target::Alias { page, index } => {
                site.page(*page).fields.aliases[*index].get_ref().clone()
            }
            Target::SearchPage => crate::render::search::PAGE_PATH.into(),
            Target::SearchIndex => crate::render::search::INDEX_DIR.into(),
            Target::KindData { kind } => format!("{}{kind}.json", super::export::DATA_DIR),
            Target::Graph => format!("{}graph.json", super::export::DATA_DIR),
            Target::Translation { page, lang } => {
                let page = site.page(*page);
                format!("{lang}/{}", page_path(page.kind(), page.slug()))
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
            other => Some(output_file(&other.url_path(site))),
        }
    }

    /// The page this target is one of the outputs of, if any.
    pub fn page(&self) -> Option<PageId> {
        match self {
            Target::Page(id)
            | Target::PageFeed(id)
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
            Target::List { kind, number } => format!("the {kind} list, page {number}"),
            Target::Mentions { page, kind, number } => format!(
                "the {kind} mentioning {}, page {number}",
                site.page(*page).key
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
        targets.extend([Target::SiteFeed, Target::SiteJsonFeed]);
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
        for number in 1..=super::lists::list_page_count(site, &kind.name, None) {
            targets.push(Target::List {
                kind: kind.name.clone(),
                number,
            });
        }
        for &id in site.graph.ordered(&kind.name) {
            targets.extend(page_targets(site, id));
        }
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
    for (kind, count) in site.config.kinds.iter().zip(counts) {
        if count > mentions.shown {
            for number in 1..=count.div_ceil(mentions.per_page) {
                targets.push(Target::Mentions {
                    page: id,
                    kind: kind.name.clone(),
                    number,
                });
            }
        }
    }
    let kind = site.page(id).kind();
    if feed::has_feed(&site.config, kind) {
        targets.extend([Target::PageFeed(id), Target::PageJsonFeed(id)]);
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

/// Every way the outputs can be in each other's way, found before anything
/// is written: two targets that would write the same file (an alias that
/// takes another output's place is an error at the alias), and a file
/// where another output needs a folder (an alias `/style.css` over the
/// static `style.css`, a slug `index.html` under the list page
/// `briefs/index.html`, a static file `briefs` where the `briefs/` folder
/// goes). `statics` are the static files (a generated page replacing one
/// is only a warning, given elsewhere).
pub fn check_collisions<'t>(
    site: &Site,
    targets: &'t [Target],
    statics: &BTreeMap<String, Body>,
) -> Collisions<'t> {
    // Every target's file, worked out once (in parallel: there are tens
    // of thousands, and this runs on every update).
    let files: Vec<Option<String>> = targets
        .par_iter()
        .map(|target| target.output_file(site))
        .collect();
    let (mut problems, lost) = check_same_file(site, targets, &files);
    let mut origins: HashMap<&str, Origin<'_>> = HashMap::with_capacity(files.len());
    for (path, body) in statics {
        origins.insert(path, Origin::Static(body));
    }
    let index = format!("{}index.json", crate::render::search::INDEX_DIR);
    let data: Vec<(String, &Target)> = targets
        .iter()
        .filter(|t| matches!(t, Target::KindData { .. }))
        .map(|t| (t.url_path(site), t))
        .collect();
    for (target, file) in targets.iter().zip(&files) {
        let file = match target {
            Target::SearchIndex => Some(index.as_str()),
            _ => file.as_deref(),
        };
        if let Some(file) = file {
            origins.insert(file, Origin::Target(target));
        }
    }
    for (file, target) in &data {
        origins.insert(file, Origin::Target(target));
    }
    // For each file that is also a folder, what needs the folder: the
    // output that is least to blame for it (the kind's own list page, say,
    // rather than a page that happens to sort first), so that the error
    // points at what should change; of two alike, the first by name.
    let mut needs: BTreeMap<&str, &str> = BTreeMap::new();
    for &path in origins.keys() {
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            let folder = &path[..end + i];
            end += i + 1;
            if origins.contains_key(folder) {
                let blame = |p: &str| origins[p].blame(site);
                needs
                    .entry(folder)
                    .and_modify(|under| {
                        if (blame(path), path) < (blame(under), *under) {
                            *under = path;
                        }
                    })
                    .or_insert(path);
            }
        }
    }
    for (folder, under) in needs {
        problems.push(clash(
            site,
            folder,
            &origins[folder],
            under,
            &origins[under],
        ));
    }
    Collisions { problems, lost }
}

/// What [`check_collisions`] found.
pub struct Collisions<'t> {
    pub problems: Vec<Diagnostic>,
    /// The targets that would write a file an earlier one writes (a
    /// page's own outputs come before aliases, then the order of
    /// [`all`]). They render nothing while the clash stands, so that
    /// which file stands at a clashed path never depends on which of them
    /// rendered last: a live site keeps the one a fresh build keeps.
    pub lost: HashSet<&'t Target>,
}

/// What an output comes from.
enum Origin<'a> {
    Target(&'a Target),
    Static(&'a Body),
}

impl Origin<'_> {
    /// How strongly a clash is this origin's fault: an alias or a chosen
    /// slug is a decision in one file; a static file is a file; lists and
    /// the home page are the site's own.
    fn blame(&self, site: &Site) -> u8 {
        match self {
            Origin::Target(Target::Alias { .. }) => 4,
            Origin::Target(t) => match t.page() {
                Some(id) if site.page(id).fields.slug.is_some() => 3,
                Some(_) => 2,
                None => 0,
            },
            Origin::Static(_) => 1,
        }
    }

    fn describe(&self, site: &Site, path: &str) -> String {
        match self {
            Origin::Target(t) => t.describe(site),
            Origin::Static(_) => format!("the static file {path}"),
        }
    }
}

/// The error for `file` being a file while `under` needs it as a folder.
fn clash(
    site: &Site,
    file: &str,
    file_origin: &Origin<'_>,
    under: &str,
    under_origin: &Origin<'_>,
) -> Diagnostic {
    let (culprit, culprit_path, other, other_path) =
        if file_origin.blame(site) >= under_origin.blame(site) {
            (file_origin, file, under_origin, under)
        } else {
            (under_origin, under, file_origin, file)
        };
    let other_what = other.describe(site, other_path);
    let message = format!(
        "{file} cannot be both a file and a folder: {} writes {culprit_path}, and {other_what} writes {other_path}",
        culprit.describe(site, culprit_path)
    );
    let d = Diagnostic::error(message).code(Code::OutputClash);
    match culprit {
        Origin::Target(Target::Alias { page, index }) => {
            let p = site.page(*page);
            let alias = &p.fields.aliases[*index];
            d.at(p.file.at(alias.span()))
                .label(format!("this alias is written to {culprit_path}"))
                .hint("an alias must be an old URL that is not a file or folder of the site now; remove it or change it")
        }
        Origin::Target(t) => match t.page() {
            None => d.hint("rename one of them"),
            Some(id) => {
                let p = site.page(id);
                match &p.fields.slug {
                Some(slug) => d
                    .at(p.file.at(slug.span()))
                    .label(format!("this slug puts the page at {}", page_path(p.kind(), p.slug())))
                    .hint("choose a slug that is not the name of a file of the site (such as `index.html`)"),
                None => d
                    .in_file(p.file.path.clone())
                    .hint("rename the file, or give the page a `slug`"),
            }
            }
        },
        Origin::Static(Body::Copy(from)) => d
            .in_file(from.strip_prefix(&site.root).unwrap_or(from).to_path_buf())
            .hint("rename or move the static file"),
        Origin::Static(Body::Bytes(_)) => d.hint("rename one of them"),
    }
}

/// Two targets that would write the same file; and the ones that lose.
fn check_same_file<'t>(
    site: &Site,
    targets: &'t [Target],
    files: &[Option<String>],
) -> (Vec<Diagnostic>, HashSet<&'t Target>) {
    let mut seen: HashMap<&str, &Target> = HashMap::with_capacity(targets.len());
    let mut problems = Vec::new();
    let mut lost = HashSet::new();
    // Real pages first, so that an alias is always the one blamed.
    let (aliases, others): (Vec<_>, Vec<_>) = targets
        .iter()
        .zip(files)
        .partition(|(t, _)| matches!(t, Target::Alias { .. }));
    for (target, file) in others.into_iter().chain(aliases) {
        let Some(file) = file else {
            continue;
        };
        match seen.get(file.as_str()) {
            None => {
                seen.insert(file, target);
            }
            Some(first) => {
                problems.push(collision(site, target, first, file));
                lost.insert(target);
            }
        }
    }
    (problems, lost)
}

fn collision(site: &Site, target: &Target, first: &Target, file: &str) -> Diagnostic {
    let what = first.describe(site);
    match target {
        Target::Alias { page, index } => {
            let p = site.page(*page);
            let alias = &p.fields.aliases[*index];
            Diagnostic::error(format!("alias `{}` collides with {what}", alias.get_ref()))
                .at(p.file.at(alias.span()))
                .label(format!("{file} is already written for {what}"))
                .hint("an alias must be an old URL that no page has now; remove it or change it")
        }
        _ => Diagnostic::error(format!("{} and {what} would both be written to {file}", target.describe(site)))
            .hint("rename one of the pages so that their URLs differ (slugs such as `page` can collide with list pages)"),
    }
}
