//! `list`, for a kind's list pages: its pages a page at a time (newest
//! first, or by title), each with how many pages of each kind mention it;
//! for a tree kind (sectors) the whole tree on one page; for the events
//! kind (meetings) the upcoming ones first, soonest first, and the past
//! ones a page at a time. And `mentions`, for the pages of a kind that
//! mention a page. A list by date is paged as an archive (see
//! [`ListPage`]).

use tera::Value;

use super::paginator::{Paging, paginator};
use super::reader::Reader;
use super::values::{from_toml_table, html, list, map, opt_str};
use crate::config::{Kind, Role};
use crate::content::pages::PageId;
use crate::site::Site;
use crate::urls::{ListPage, list_path, mentions_path};

/// The pages of a kind's list. A tree kind has one (its whole tree); the
/// events kind pages through its past events only.
pub fn list_pages(site: &Site, kind: &str, lang: Option<&str>) -> Vec<ListPage> {
    let Some(k) = site.config.kind(kind) else {
        return vec![ListPage::First];
    };
    if k.tree {
        return vec![ListPage::First];
    }
    let all = site.in_language(kind, lang);
    let listed = if k.role == Some(Role::Events) {
        all.iter()
            .filter(|&&id| !site.page(id).is_upcoming(site.today))
            .count()
    } else {
        all.len()
    };
    ListPage::all(listed, k.paginate_by, k.archive())
}

/// What one list page shows.
struct Listed {
    /// On this page.
    pages: Vec<PageId>,
    /// In the whole list, where the page may know it (an archive page
    /// knows whether the page after it is full instead).
    total: Option<usize>,
    has_newer: bool,
    /// Events not over yet, soonest first (the events kind's own page).
    upcoming: Option<Vec<PageId>>,
}

fn listed(r: &Reader, kind: &Kind, at: ListPage) -> Listed {
    let per_page = kind.paginate_by.max(1);
    let archive = kind.archive();
    if kind.tree {
        let all = r.every_page(&kind.name).to_vec();
        return Listed {
            total: Some(all.len()),
            pages: all,
            has_newer: false,
            upcoming: None,
        };
    }
    if kind.role == Some(Role::Events) {
        // Which events are upcoming depends on every one's date and today.
        let today = r.today();
        let (mut upcoming, past): (Vec<PageId>, Vec<PageId>) = r
            .every_page(&kind.name)
            .iter()
            .partition(|&&id| r.page(id).is_upcoming(today));
        upcoming.reverse();
        // The past events are paged as any list; this page reads them all.
        let (pages, has_newer) = match at {
            ListPage::Archive(n) => {
                let page = crate::render::reader::archive_page(&past, n, per_page);
                (page.entries.into_owned(), page.has_newer)
            }
            _ => (
                past[at.entries(past.len(), per_page, archive)].to_vec(),
                false,
            ),
        };
        return Listed {
            pages,
            total: Some(past.len()),
            has_newer,
            upcoming: (at == ListPage::First).then_some(upcoming),
        };
    }
    let (pages, total) = match at {
        ListPage::Archive(n) => {
            let page = r.archive_page(&kind.name, n, per_page);
            return Listed {
                pages: page.entries.into_owned(),
                total: None,
                has_newer: page.has_newer,
                upcoming: None,
            };
        }
        ListPage::First if archive => r.first_of_archive(&kind.name, per_page),
        _ => {
            let range = at.entries(usize::MAX, per_page, false);
            r.slice(&kind.name, range.start, range.end)
        }
    };
    Listed {
        pages: pages.into_owned(),
        total: Some(total),
        has_newer: false,
        upcoming: None,
    }
}

/// A page's summary with `counts`: how many pages of each kind mention it
/// (`[{ kind, count, label }]`, "3 briefings").
fn counted(r: &Reader, id: PageId) -> Value {
    let counts: Vec<Value> = r
        .mention_counts(id)
        .into_iter()
        .filter_map(|(kind, count)| {
            let k = r.kind(kind)?;
            let label = if count == 1 { &k.singular } else { &k.title };
            Some(map([
                ("kind", Value::from(kind)),
                ("count", Value::from(count)),
                ("label", Value::from(label.to_lowercase())),
            ]))
        })
        .collect();
    r.summary_with(
        id,
        vec![
            ("counts", list(counts)),
            ("sparkline", super::pictures::list_sparkline(r, id)),
        ],
    )
}

/// A tree kind's pages as a tree: `[{ page, children }]` from the roots.
fn tree(r: &Reader, kind: &Kind) -> Value {
    fn node(r: &Reader, id: PageId) -> Value {
        let children: Vec<Value> = r.children(id).iter().map(|&c| node(r, c)).collect();
        map([("page", counted(r, id)), ("children", list(children))])
    }
    let roots: Vec<Value> = r
        .every_page(&kind.name)
        .iter()
        .filter(|&&id| r.parent(id).is_none())
        .map(|&id| node(r, id))
        .collect();
    list(roots)
}

/// `list` for page `at` of `kind`'s list. `intro_html` is the kind's
/// intro as HTML, its shortcodes rendered.
pub fn list_page(r: &Reader, kind: &Kind, at: ListPage, intro_html: Option<String>) -> Value {
    let Listed {
        pages: on_page,
        total,
        has_newer,
        upcoming,
    } = listed(r, kind, at);
    let intro = r.intro(Some(&kind.name));
    let base = r.base_url();
    let url_of = |at: ListPage| base.link(&r.localize(&list_path(&kind.name, at)));
    let paging = Paging {
        at,
        archive: kind.archive(),
        per_page: kind.paginate_by.max(1),
        total,
        has_newer,
    };
    let title = intro
        .and_then(|i| i.title.clone())
        .unwrap_or_else(|| kind.title.clone());
    map([
        ("kind", Value::from(kind.name.as_str())),
        ("title", Value::from(title)),
        ("singular", Value::from(kind.singular.as_str())),
        ("intro", intro_html.map_or_else(Value::none, |i| html(&i))),
        ("summary", opt_str(intro.and_then(|i| i.summary.as_deref()))),
        (
            "extra",
            intro.map_or_else(|| map([]), |i| from_toml_table(&i.extra)),
        ),
        (
            "pages",
            list(on_page.iter().map(|&id| counted(r, id)).collect()),
        ),
        (
            "upcoming",
            upcoming.map_or_else(Value::none, |ids| {
                list(ids.iter().map(|&id| counted(r, id)).collect())
            }),
        ),
        (
            "tree",
            if kind.tree {
                tree(r, kind)
            } else {
                Value::none()
            },
        ),
        (
            "timeline",
            if at == ListPage::First {
                super::pictures::events_timeline(r, kind)
            } else {
                Value::none()
            },
        ),
        ("paginator", paginator(r, kind, &paging, &url_of)),
        (
            "items",
            if kind.schema == crate::config::Schema::Item {
                super::items::list_value(r, &on_page)
            } else {
                Value::none()
            },
        ),
        ("url", Value::from(url_of(at))),
        (
            "permalink",
            Value::from(base.permalink(&r.localize(&list_path(&kind.name, at)))),
        ),
    ])
}

/// `mentions` for page `at` of the pages of `kind` that mention page `id`
/// (see [`Target::Mentions`](super::Target::Mentions)).
pub fn mentions_page(r: &Reader, id: PageId, kind: &Kind, at: ListPage) -> Value {
    let page = r.page(id);
    let per_page = r.config().mentions.per_page;
    let archive = kind.archive();
    let (shown, total, has_newer) = match at {
        ListPage::Archive(n) => {
            let page = r.mentions_archive(id, &kind.name, n, per_page);
            (page.entries.into_owned(), None, page.has_newer)
        }
        _ => {
            let index = r.config().kind_index(&kind.name);
            let all = r
                .mentions_by_kind(id)
                .into_iter()
                .nth(index)
                .unwrap_or_default();
            let range = at.entries(all.len(), per_page, archive);
            (all[range].to_vec(), Some(all.len()), false)
        }
    };
    let base = r.base_url();
    let path = |at: ListPage| r.page_output(id, mentions_path(&page.url_path(), &kind.name, at));
    let paging = Paging {
        at,
        archive,
        per_page,
        total,
        has_newer,
    };
    map([
        ("kind", Value::from(kind.name.as_str())),
        ("title", Value::from(kind.title.as_str())),
        ("singular", Value::from(kind.singular.as_str())),
        (
            "label",
            Value::from(kind.mentions_label(page.kind(), page.title(), page.name())),
        ),
        ("pages", r.summaries(&shown)),
        ("total", total.map_or_else(Value::none, Value::from)),
        (
            "paginator",
            paginator(r, kind, &paging, &|at| base.link(&path(at))),
        ),
        ("url", Value::from(base.link(&path(at)))),
        ("permalink", Value::from(base.permalink(&path(at)))),
    ])
}
