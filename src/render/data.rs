//! Template data. Each page's summary (what lists, references and
//! backlinks show of it) is turned into a Tera value once per build and
//! shared by every page that shows it; Tera values are reference-counted,
//! so putting one in another page's context is a pointer copy.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::Value;

use super::summary::{site_value, summary};
use super::targets::Target;
use super::values::{from_toml_table, html, list, map, map_owned, opt_str};
use super::{calendar, feed};
use crate::config::Kind;
use crate::site::Site;
use crate::site::pages::PageId;
use crate::urls::list_path;

/// Values shared by every render of a build.
#[derive(Debug, Clone)]
pub struct SiteData {
    /// `site` in every template.
    pub site: Value,
    /// Each page's summary, indexed by page id (`none` for free ids).
    summaries: Vec<Value>,
    /// Each kind's summaries in list order.
    pub kind_lists: HashMap<String, Value>,
}

/// Each kind's summaries in list order.
fn kind_lists(site: &Site, summaries: &[Value]) -> HashMap<String, Value> {
    site.config
        .kinds
        .iter()
        .map(|k| {
            let pages = site.graph.ordered(&k.name);
            let values = pages
                .iter()
                .map(|id| summaries[id.index()].clone())
                .collect();
            (k.name.clone(), list(values))
        })
        .collect()
}

/// Words read per minute, for `reading_time`.
const WORDS_PER_MINUTE: usize = 200;

impl Default for SiteData {
    /// Empty data, until [`SiteData::build`] makes the real one.
    fn default() -> Self {
        SiteData {
            site: Value::none(),
            summaries: Vec::new(),
            kind_lists: HashMap::new(),
        }
    }
}

impl SiteData {
    pub fn build(site: &Site) -> SiteData {
        let mut summaries = vec![Value::none(); site.pages.capacity()];
        let built: Vec<(PageId, Value)> = site
            .pages
            .ids()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|id| (id, summary(site, id)))
            .collect();
        for (id, value) in built {
            summaries[id.index()] = value;
        }
        let kind_lists = kind_lists(site, &summaries);
        SiteData {
            site: site_value(site),
            summaries,
            kind_lists,
        }
    }

    /// Brings the data up to date after pages `changed` were added or
    /// edited and `removed` left. Returns the pages whose summary changed
    /// (what other pages show of them).
    pub fn refresh(
        &mut self,
        site: &Site,
        changed: &HashSet<PageId>,
        removed: &[PageId],
    ) -> HashSet<PageId> {
        if self.summaries.len() < site.pages.capacity() {
            self.summaries.resize(site.pages.capacity(), Value::none());
        }
        let mut different = HashSet::new();
        for &id in removed {
            if site.pages.get(id).is_none() {
                self.summaries[id.index()] = Value::none();
            }
            different.insert(id);
        }
        let built: Vec<(PageId, Value)> = changed
            .par_iter()
            .filter(|&&id| site.pages.get(id).is_some())
            .map(|&id| (id, summary(site, id)))
            .collect();
        for (id, value) in built {
            if self.summaries[id.index()] != value {
                different.insert(id);
                self.summaries[id.index()] = value;
            }
        }
        self.kind_lists = kind_lists(site, &self.summaries);
        different
    }

    pub fn summary(&self, id: PageId) -> Value {
        self.summaries
            .get(id.index())
            .cloned()
            .unwrap_or_else(Value::none)
    }

    fn summaries(&self, ids: &[PageId]) -> Value {
        list(ids.iter().map(|&id| self.summary(id)).collect())
    }

    /// `page` for a page template: its summary plus content, references,
    /// backlinks, related pages and tree.
    pub fn page(&self, site: &Site, id: PageId) -> Value {
        let page = site.page(id);
        let graph = &site.graph;
        let mut value = self.summary(id).into_map().unwrap_or_default();

        let refs = graph.refs(id);
        let mentions = graph.mentions(id);
        let mut refs_by_kind = Vec::new();
        let mut backlinks_by_kind = Vec::new();
        let mut ref_groups = Vec::new();
        let mut backlink_groups = Vec::new();
        for kind in &site.config.kinds {
            let of_kind = |ids: &[PageId]| -> Vec<PageId> {
                ids.iter()
                    .copied()
                    .filter(|&i| site.page(i).kind() == kind.name)
                    .collect()
            };
            let out = of_kind(refs);
            let inc = of_kind(&mentions);
            let out_value = self.summaries(&out);
            let in_value = self.summaries(&inc);
            if !out.is_empty() {
                ref_groups.push(map([
                    ("kind", Value::from(kind.name.as_str())),
                    ("label", Value::from(kind.title.as_str())),
                    ("pages", out_value.clone()),
                ]));
            }
            if !inc.is_empty() {
                let label = kind.mentions_label(page.kind(), &page.fields.title, page.name());
                backlink_groups.push(map([
                    ("kind", Value::from(kind.name.as_str())),
                    ("label", Value::from(label)),
                    ("pages", in_value.clone()),
                ]));
            }
            refs_by_kind.push((kind.name.clone(), out_value));
            backlinks_by_kind.push((kind.name.clone(), in_value));
        }

        let toc = Value::from_serializable(&page.rendered.toc);
        let parent = graph
            .parent(id)
            .map_or_else(Value::none, |p| self.summary(p));
        let mut ancestors = graph.ancestors(id);
        ancestors.reverse();
        let words = page.rendered.word_count;
        let extra: [(&'static str, Value); 13] = [
            ("content", html(&page.rendered.html)),
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
            ("related", self.summaries(graph.related(id))),
            ("parent", parent),
            ("ancestors", self.summaries(&ancestors)),
            ("children", self.summaries(graph.children(id))),
            ("descendants", self.summaries(&graph.descendants(id))),
        ];
        for (k, v) in extra {
            value.insert(k.into(), v);
        }
        value.insert("calendar".into(), calendar_links(site, id));
        value.insert(
            "feed".into(),
            if feed::has_feed(site, id) {
                Value::from(site.base_url().permalink(&feed::page_feed_path(site, id)))
            } else {
                Value::none()
            },
        );
        Value::from(value)
    }

    /// `feeds`: the feeds and calendars a page offers, for `<link
    /// rel="alternate">` in its head: the site feed, and the page's own.
    pub fn alternates(&self, site: &Site, target: &Target) -> Value {
        let base = site.base_url();
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
        let entries = site.config.entries().filter(|_| site.config.feeds.enabled);
        let events = site.config.events();
        if let Some(entries) = entries {
            out.push(link(
                format!("{}: {}", site.config.title, entries.title),
                feed::site_feed_path(),
                ATOM,
            ));
        }
        match target {
            Target::Page(id) => {
                let name = site.page(*id).name();
                if let Some(entries) = entries
                    && feed::has_feed(site, *id)
                {
                    out.push(link(
                        format!("{} on {name}", entries.title),
                        feed::page_feed_path(site, *id),
                        ATOM,
                    ));
                }
                if let Some(events) = events
                    && calendar::has_calendar(site, *id)
                {
                    out.push(link(
                        format!("{} with {name}", events.title),
                        calendar::page_calendar_path(site, *id),
                        ICS,
                    ));
                }
            }
            Target::List { kind, .. } if Some(kind.as_str()) == calendar::event_kind(site) => {
                let title = events.map_or_else(String::new, |k| k.title.to_lowercase());
                out.push(link(
                    format!("All {title}"),
                    calendar::calendar_path(site),
                    ICS,
                ));
            }
            _ => {}
        }
        list(out)
    }

    /// `list` for list page `number` (1-based) of `kind`.
    pub fn list(&self, site: &Site, kind: &Kind, number: usize) -> Value {
        let ids = site.graph.ordered(&kind.name);
        let per_page = kind.paginate_by.max(1);
        let total_pages = ids.len().div_ceil(per_page).max(1);
        let start = (number - 1) * per_page;
        let on_page = &ids[start.min(ids.len())..(start + per_page).min(ids.len())];
        let intro = site.intros.get(&Some(kind.name.clone()));
        let base = site.base_url();
        let url_of = |n: usize| base.link(&list_path(&kind.name, n));
        let page_url = |n: usize| {
            if (1..=total_pages).contains(&n) {
                Value::from(url_of(n))
            } else {
                Value::none()
            }
        };
        let window: Vec<Value> = pagination_window(number, total_pages)
            .into_iter()
            .map(|(n, gap_before)| {
                map([
                    ("number", Value::from(n)),
                    ("url", Value::from(url_of(n))),
                    ("current", Value::from(n == number)),
                    ("gap_before", Value::from(gap_before)),
                ])
            })
            .collect();
        let paginator = map([
            ("number", Value::from(number)),
            ("total_pages", Value::from(total_pages)),
            ("per_page", Value::from(per_page)),
            ("total_items", Value::from(ids.len())),
            ("previous", page_url(number.wrapping_sub(1))),
            ("next", page_url(number + 1)),
            ("first", Value::from(url_of(1))),
            ("last", Value::from(url_of(total_pages))),
            ("links", list(window)),
        ]);
        let title = intro
            .and_then(|i| i.title.clone())
            .unwrap_or_else(|| kind.title.clone());
        map([
            ("kind", Value::from(kind.name.as_str())),
            ("title", Value::from(title)),
            ("singular", Value::from(kind.singular.as_str())),
            (
                "intro",
                intro.map_or_else(Value::none, |i| html(&i.rendered.html)),
            ),
            ("summary", opt_str(intro.and_then(|i| i.summary.as_deref()))),
            (
                "extra",
                intro.map_or_else(|| map([]), |i| from_toml_table(&i.extra)),
            ),
            ("pages", self.summaries(on_page)),
            ("paginator", paginator),
            ("url", Value::from(url_of(number))),
            (
                "permalink",
                Value::from(base.permalink(&list_path(&kind.name, number))),
            ),
        ])
    }

    /// `home` for the home page.
    pub fn home(&self, site: &Site) -> Value {
        let intro = site.intros.get(&None);
        let home = &site.config.home;
        let latest: Vec<PageId> = site
            .graph
            .ordered(feed::entry_kind(site).unwrap_or_default())
            .iter()
            .copied()
            .take(home.briefs)
            .collect();
        let meetings = site
            .graph
            .ordered(calendar::event_kind(site).unwrap_or_default());
        let is_upcoming = |id: &PageId| {
            let page = site.page(*id);
            let last_day = page
                .fields
                .end
                .as_ref()
                .or(page.fields.date.as_ref())
                .map(|d| d.get_ref().day());
            last_day.is_some_and(|d| d >= site.today)
        };
        // The list is newest first; upcoming meetings read soonest first.
        let mut upcoming: Vec<PageId> = meetings.iter().copied().filter(is_upcoming).collect();
        upcoming.reverse();
        upcoming.truncate(home.meetings);
        let recent: Vec<PageId> = meetings
            .iter()
            .copied()
            .filter(|id| !is_upcoming(id))
            .take(home.meetings)
            .collect();
        let kinds: Vec<Value> = site
            .config
            .kinds
            .iter()
            .map(|k| {
                map([
                    ("name", Value::from(k.name.as_str())),
                    ("title", Value::from(k.title.as_str())),
                    (
                        "url",
                        Value::from(site.base_url().link(&list_path(&k.name, 1))),
                    ),
                    ("count", Value::from(site.graph.ordered(&k.name).len())),
                ])
            })
            .collect();
        map([
            ("title", opt_str(intro.and_then(|i| i.title.as_deref()))),
            (
                "intro",
                intro.map_or_else(Value::none, |i| html(&i.rendered.html)),
            ),
            (
                "extra",
                intro.map_or_else(|| map([]), |i| from_toml_table(&i.extra)),
            ),
            ("latest", self.summaries(&latest)),
            ("upcoming", self.summaries(&upcoming)),
            ("recent_meetings", self.summaries(&recent)),
            ("kinds", list(kinds)),
            (
                "today",
                Value::from(site.today.strftime("%Y-%m-%d").to_string()),
            ),
        ])
    }
}

const ATOM: &str = "application/atom+xml";
const ICS: &str = "text/calendar";

/// `page.calendar`: for a meeting, links to add it to a calendar; for a
/// page with a calendar (an agency), the link to subscribe to it.
fn calendar_links(site: &Site, id: PageId) -> Value {
    let page = site.page(id);
    let base = site.base_url();
    let webcal = |path: &str| {
        let url = base.permalink(path);
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        format!("webcal://{rest}")
    };
    if Some(page.kind()) == calendar::event_kind(site) {
        return map([
            (
                "ics",
                Value::from(base.link(&calendar::event_path(site, id))),
            ),
            (
                "google",
                opt_str(calendar::google_link(site, id).as_deref()),
            ),
            (
                "subscribe",
                Value::from(webcal(&calendar::calendar_path(site))),
            ),
            (
                "all",
                Value::from(base.link(&calendar::calendar_path(site))),
            ),
        ]);
    }
    if calendar::has_calendar(site, id) {
        let path = calendar::page_calendar_path(site, id);
        return map([
            ("ics", Value::from(base.link(&path))),
            ("subscribe", Value::from(webcal(&path))),
        ]);
    }
    Value::none()
}

/// Page numbers to link from a list page: the first, the last, and two on
/// each side of the current one, with a flag where numbers were skipped.
pub fn pagination_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let mut numbers: Vec<usize> = vec![1, total];
    numbers.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    numbers.sort_unstable();
    numbers.dedup();
    let mut out = Vec::with_capacity(numbers.len());
    let mut previous = 0;
    for n in numbers {
        out.push((n, n > previous + 1));
        previous = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_window_marks_gaps() {
        assert_eq!(pagination_window(1, 1), [(1, false)]);
        assert_eq!(
            pagination_window(5, 10),
            [
                (1, false),
                (3, true),
                (4, false),
                (5, false),
                (6, false),
                (7, false),
                (10, true)
            ]
        );
        assert_eq!(
            pagination_window(2, 3),
            [(1, false), (2, false), (3, false)]
        );
    }
}
