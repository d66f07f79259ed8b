//! The values one template render gets (`page`, `list`, `home`, `feeds`),
//! built through the [`Reader`], which records what each of them reads.

use tera::Value;

use super::reader::Reader;
use super::targets::Target;
use super::values::{from_toml_table, html, list, map, map_owned, map_with, opt_str};
use super::{calendar, feed, json_feed};
use crate::content::pages::PageId;
use crate::urls::{ListPage, kind_list_path, mentions_path};

/// Words read per minute, for `reading_time`.
const WORDS_PER_MINUTE: usize = 200;

const ATOM: &str = "application/atom+xml";
const ICS: &str = "text/calendar";
const JSON_FEED: &str = "application/feed+json";

/// `page` for a page template: its summary plus content, references,
/// backlinks, related pages and tree.
/// `content` is the body as HTML, its shortcodes rendered.
///
/// Long: one entry per field of `page` in docs/templates.md, in that order.
pub fn page(r: &Reader, id: PageId, content: String) -> Value {
    let page = r.page(id);
    let summary = r.summary(id);
    // The page's title and name as shown (in another language, its
    // translation's), for the headings of what mentions it.
    let words = |key: &str| {
        let word = summary.get_from_path(key).and_then(|v| v.as_str());
        word.unwrap_or_default().to_string()
    };
    let (title, name) = (words("title"), words("name"));

    let refs = r.refs(id).to_vec();
    let mentions = r.mentions_by_kind(id);
    let shown = r.config().mentions.shown;
    let mut refs_by_kind = Vec::new();
    let mut backlinks_by_kind = Vec::new();
    let mut ref_groups = Vec::new();
    let mut backlink_groups = Vec::new();
    for (kind, inc) in r.config().kinds.iter().zip(&mentions) {
        // Asks and offers are shown as `page.items`, with where they stand.
        let items = kind.schema == crate::config::Schema::Item;
        let out: Vec<PageId> = refs
            .iter()
            .copied()
            .filter(|&i| r.page(i).kind() == kind.name)
            .collect();
        let out_value = r.summaries(&out);
        // The newest few; the rest are on pages of their own.
        let in_value = r.summaries(&inc[..inc.len().min(shown)]);
        if !out.is_empty() && !items {
            ref_groups.push(map([
                ("kind", Value::from(kind.name.as_str())),
                ("label", Value::from(kind.title.as_str())),
                ("pages", out_value.clone()),
            ]));
        }
        if !inc.is_empty() && !items {
            let label = kind.mentions_label(page.kind(), &title, &name);
            let all = if inc.len() > shown {
                let path = mentions_path(&page.url_path(), &kind.name, ListPage::First);
                Value::from(r.base_url().link(&r.page_output(id, path)))
            } else {
                Value::none()
            };
            backlink_groups.push(map([
                ("kind", Value::from(kind.name.as_str())),
                ("label", Value::from(label)),
                ("title", Value::from(kind.title.as_str())),
                ("pages", in_value.clone()),
                ("total", Value::from(inc.len())),
                ("all", all),
            ]));
        }
        refs_by_kind.push((kind.name.clone(), out_value));
        backlinks_by_kind.push((kind.name.clone(), in_value));
    }

    let outline = r.outline(id);
    let toc = Value::from_serializable(&outline.toc);
    let parent = r.parent(id).map_or_else(Value::none, |p| r.summary(p));
    let mut ancestors = r.ancestors(id);
    ancestors.reverse();
    let words = outline.word_count;
    let children = r.children(id).to_vec();
    let descendants = r.descendants(id);
    let related = r.related(id).to_vec();
    let (before, after) = r.adjacent(id);
    let sort_by = match r.kind(page.kind()).map(|k| k.sort_by) {
        Some(crate::config::SortBy::Title) => "title",
        _ => "date",
    };
    let adjacent = |p: Option<PageId>| p.map_or_else(Value::none, |p| r.summary(p));
    let item =
        super::items::state(r, id).map_or_else(Value::none, |s| super::items::item_value(r, &s));
    let config = r.config();
    let feed = if feed::has_feed(config, page.kind()) {
        Value::from(
            r.base_url()
                .permalink(&r.page_output(id, feed::page_feed_path(&page.url_path()))),
        )
    } else {
        Value::none()
    };
    let extra = [
        ("content", html(&content)),
        ("word_count", Value::from(words)),
        (
            "reading_time",
            Value::from(words.div_ceil(WORDS_PER_MINUTE).max(1)),
        ),
        ("toc", toc),
        ("refs", map_owned(refs_by_kind)),
        ("backlinks", map_owned(backlinks_by_kind)),
        ("ref_groups", list(ref_groups)),
        ("backlink_groups", list(backlink_groups)),
        ("related", r.summaries(&related)),
        ("parent", parent),
        ("ancestors", r.summaries(&ancestors)),
        ("children", r.summaries(&children)),
        ("descendants", r.summaries(&descendants)),
        ("before", adjacent(before)),
        ("after", adjacent(after)),
        ("list_order", Value::from(sort_by)),
        ("calendar", calendar_links(r, id)),
        ("item", item),
        ("items", super::items::for_page(r, id, &mentions)),
        ("pictures", super::pictures::for_page(r, id)),
        ("feed", feed),
    ];
    map_with(&summary, &extra)
}

/// `feeds`: the feeds and calendars a page offers, for `<link
/// rel="alternate">` in its head: the site feed, and the page's own.
pub fn alternates(r: &Reader, target: &Target) -> Value {
    let config = r.config();
    let base = r.base_url();
    let link = |title: String, path: String, kind: &'static str| {
        map([
            ("title", Value::from(title)),
            ("url", Value::from(base.permalink(&path))),
            ("type", Value::from(kind)),
        ])
    };
    let mut out = Vec::new();
    // Labels come from the kinds' titles: a site whose entries are
    // "Notes" gets "Notes on JICA".
    let entries = config.entries().filter(|_| config.feeds.enabled);
    let events = config.events();
    if entries.is_some() {
        let title = feed::site_feed_title(r);
        out.push(link(
            title.clone(),
            r.localize(&feed::site_feed_path()),
            ATOM,
        ));
        if config.feeds.json {
            out.push(link(
                title,
                r.localize(&json_feed::site_json_feed_path()),
                JSON_FEED,
            ));
        }
    }
    match target {
        Target::Page(id) | Target::Translation { page: id, .. } => {
            let page = r.page(*id);
            let name = r.name_in_language(*id);
            if let Some(entries) = entries
                && feed::has_feed(config, page.kind())
            {
                let title = r.word("feed_on", &[("kind", &entries.title), ("name", name)]);
                out.push(link(
                    title.clone(),
                    r.page_output(*id, feed::page_feed_path(&page.url_path())),
                    ATOM,
                ));
                if config.feeds.json {
                    out.push(link(
                        title,
                        r.page_output(*id, json_feed::page_json_feed_path(&page.url_path())),
                        JSON_FEED,
                    ));
                }
            }
            // The feed of what became of the asks and offers that name
            // it (see `Target::ItemsFeed`).
            if let Some(items) = config.items_kind()
                && feed::has_feed(config, page.kind())
                && r.mention_counts(*id).iter().any(|(k, _)| *k == items.name)
            {
                let title = format!("{} · {}", items.title, name);
                let path = super::items_feed::atom_path(&page.url_path(), &items.name);
                out.push(link(title, r.page_output(*id, path), ATOM));
            }
            if let Some(events) = events
                && calendar::has_calendar(config, page.kind())
            {
                out.push(link(
                    r.word("calendar_with", &[("kind", &events.title), ("name", name)]),
                    r.page_output(*id, calendar::page_calendar_path(&page.url_path())),
                    ICS,
                ));
            }
        }
        Target::List { kind, .. } if Some(kind.as_str()) == calendar::event_kind(config) => {
            let title = events.map_or_else(String::new, |k| k.title.to_lowercase());
            out.push(link(
                r.word("calendar_all", &[("kind", &title)]),
                r.localize(&calendar::calendar_path(config)),
                ICS,
            ));
        }
        _ => {}
    }
    list(out)
}

/// `home` for the home page.
/// `intro` is the home page's intro as HTML, its shortcodes rendered.
pub fn home(r: &Reader, intro_html: Option<String>) -> Value {
    // Another language's home page shows its own intro, or none (and its
    // site title and description).
    let intro = r.intro(None);
    let config = r.config();
    let home = &config.home;
    let latest: Vec<PageId> = match feed::entry_kind(config) {
        Some(kind) => r.slice(kind, 0, home.briefs).0.to_vec(),
        None => Vec::new(),
    };
    // Which meetings are upcoming depends on every meeting's date.
    let meetings = calendar::event_kind(config).map_or_else(Default::default, |k| r.every_page(k));
    let today = r.today();
    let is_upcoming = |id: &PageId| r.page(*id).is_upcoming(today);
    // The list is newest first; upcoming meetings read soonest first.
    let mut upcoming: Vec<PageId> = meetings.iter().copied().filter(is_upcoming).collect();
    upcoming.reverse();
    upcoming.truncate(home.meetings);
    // In another language, the meetings planned that are not translated
    // yet: the page says they exist (in the default language's list)
    // rather than that nothing is planned.
    let untranslated = match (r.lang(), calendar::event_kind(config)) {
        (Some(_), Some(kind)) => {
            let all = r.every_page_in_default(kind);
            let planned = all.iter().filter(|id| is_upcoming(id)).count();
            let shown = meetings.iter().filter(|id| is_upcoming(id)).count();
            let count = planned.saturating_sub(shown);
            map([
                ("count", Value::from(count)),
                (
                    "message",
                    Value::from(r.word("planned_untranslated", &[("count", &count.to_string())])),
                ),
                ("url", Value::from(r.base_url().link(&kind_list_path(kind)))),
                ("lang", Value::from(config.language.as_str())),
            ])
        }
        _ => Value::none(),
    };
    let recent: Vec<PageId> = meetings
        .iter()
        .copied()
        .filter(|id| !is_upcoming(id))
        .take(home.meetings)
        .collect();
    let kinds: Vec<Value> = config
        .kinds
        .iter()
        .map(|k| {
            let (_, count) = r.slice(&k.name, 0, 0);
            map([
                ("name", Value::from(k.name.as_str())),
                ("title", Value::from(k.title.as_str())),
                (
                    "url",
                    Value::from(r.base_url().link(&r.localize(&kind_list_path(&k.name)))),
                ),
                ("count", Value::from(count)),
            ])
        })
        .collect();
    map([
        ("title", opt_str(intro.and_then(|i| i.title.as_deref()))),
        ("intro", intro_html.map_or_else(Value::none, |i| html(&i))),
        (
            "extra",
            intro.map_or_else(|| map([]), |i| from_toml_table(&i.extra)),
        ),
        ("latest", r.summaries(&latest)),
        ("upcoming", r.summaries(&upcoming)),
        ("upcoming_untranslated", untranslated),
        ("recent_meetings", r.summaries(&recent)),
        ("kinds", list(kinds)),
        ("today", Value::from(today.strftime("%Y-%m-%d").to_string())),
        ("overview", super::pictures::overview(r)),
        ("items", super::items::home_counts(r)),
    ])
}

/// `page.calendar`: for a meeting, links to add it to a calendar; for a
/// page with a calendar (an agency), the link to subscribe to it.
fn calendar_links(r: &Reader, id: PageId) -> Value {
    let page = r.page(id);
    let config = r.config();
    let base = r.base_url();
    let webcal = |path: &str| {
        let url = base.permalink(path);
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        format!("webcal://{rest}")
    };
    if Some(page.kind()) == calendar::event_kind(config) {
        return map([
            (
                "ics",
                Value::from(base.link(&r.page_output(id, calendar::event_path(&page.url_path())))),
            ),
            ("google", opt_str(calendar::google_link(r, id).as_deref())),
            (
                "subscribe",
                Value::from(webcal(&r.localize(&calendar::calendar_path(config)))),
            ),
            (
                "all",
                Value::from(base.link(&r.localize(&calendar::calendar_path(config)))),
            ),
        ]);
    }
    if calendar::has_calendar(config, page.kind()) {
        let path = r.page_output(id, calendar::page_calendar_path(&page.url_path()));
        return map([
            ("ics", Value::from(base.link(&path))),
            ("subscribe", Value::from(webcal(&path))),
        ]);
    }
    Value::none()
}
