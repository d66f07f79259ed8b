//! `list`, for a kind's list pages: its pages a page at a time (newest
//! first, or by title), each with how many pages of each kind mention it;
//! for a tree kind (sectors) the whole tree on one page; for the events
//! kind (meetings) the upcoming ones first, soonest first, and the past
//! ones a page at a time.

use tera::Value;

use super::reader::Reader;
use super::values::{from_toml_table, html, list, map, opt_str};
use crate::config::{Kind, Role, SortBy};
use crate::content::pages::PageId;
use crate::site::Site;
use crate::urls::{list_path, mentions_path};

/// How many list pages `kind` has. A tree kind has one (its whole tree);
/// the events kind pages through its past events only.
pub fn list_page_count(site: &Site, kind: &str, lang: Option<&str>) -> usize {
    let Some(k) = site.config.kind(kind) else {
        return 1;
    };
    if k.tree {
        return 1;
    }
    let all = site.in_language(kind, lang);
    let listed = if k.role == Some(Role::Events) {
        all.iter()
            .filter(|&&id| !site.page(id).is_upcoming(site.today))
            .count()
    } else {
        all.len()
    };
    listed.div_ceil(k.paginate_by.max(1)).max(1)
}

/// What one list page shows.
struct Listed {
    /// On this page.
    pages: Vec<PageId>,
    /// In all the pages of the list.
    total: usize,
    per_page: usize,
    /// Events not over yet, soonest first (page 1 of the events kind).
    upcoming: Option<Vec<PageId>>,
}

fn listed(r: &Reader, kind: &Kind, number: usize) -> Listed {
    if kind.tree {
        let all = r.every_page(&kind.name).to_vec();
        return Listed {
            total: all.len(),
            per_page: all.len().max(1),
            pages: all,
            upcoming: None,
        };
    }
    let per_page = kind.paginate_by.max(1);
    let start = (number - 1) * per_page;
    if kind.role == Some(Role::Events) {
        // Which events are upcoming depends on every one's date and today.
        let today = r.today();
        let (mut upcoming, past): (Vec<PageId>, Vec<PageId>) = r
            .every_page(&kind.name)
            .iter()
            .partition(|&&id| r.page(id).is_upcoming(today));
        upcoming.reverse();
        let end = (start + per_page).min(past.len());
        return Listed {
            pages: past[start.min(end)..end].to_vec(),
            total: past.len(),
            per_page,
            upcoming: (number == 1).then_some(upcoming),
        };
    }
    let (on_page, total) = r.slice(&kind.name, start, start + per_page);
    Listed {
        pages: on_page.to_vec(),
        total,
        per_page,
        upcoming: None,
    }
}

/// A page's summary with `counts`: how many pages of each kind mention it
/// (`[{ kind, count, label }]`, "3 briefings").
fn counted(r: &Reader, id: PageId) -> Value {
    let mut value = r.summary(id).into_map().unwrap_or_default();
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
    value.insert("counts".into(), list(counts));
    value.insert("sparkline".into(), super::pictures::list_sparkline(r, id));
    Value::from(value)
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

/// `list` for list page `number` (1-based) of `kind`.
/// `intro_html` is the kind's intro as HTML, its shortcodes rendered.
pub fn list_page(r: &Reader, kind: &Kind, number: usize, intro_html: Option<String>) -> Value {
    let Listed {
        pages: on_page,
        total,
        per_page,
        upcoming,
    } = listed(r, kind, number);
    let intro = r.intro(Some(&kind.name));
    let base = r.base_url();
    let url_of = |n: usize| base.link(&r.localize(&list_path(&kind.name, n)));
    let paginator = paginator(r, kind, number, total, per_page, &url_of);
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
            if number == 1 {
                super::pictures::events_timeline(r, kind)
            } else {
                Value::none()
            },
        ),
        ("paginator", paginator),
        ("url", Value::from(url_of(number))),
        (
            "permalink",
            Value::from(base.permalink(&r.localize(&list_path(&kind.name, number)))),
        ),
    ])
}

/// `paginator` of page `number` of a list of `total` pages of `kind`,
/// `per_page` to a page, whose page `n` is at `url_of(n)`.
fn paginator(
    r: &Reader,
    kind: &Kind,
    number: usize,
    total: usize,
    per_page: usize,
    url_of: &dyn Fn(usize) -> String,
) -> Value {
    let total_pages = total.div_ceil(per_page).max(1);
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
    // "Newer" and "Older" only where the list goes by date.
    let (sort_by, previous_label, next_label) = match kind.sort_by {
        SortBy::Date => ("date", "newer", "older"),
        SortBy::Title => ("title", "previous", "next"),
    };
    map([
        ("sort_by", Value::from(sort_by)),
        ("previous_label", Value::from(r.word(previous_label, &[]))),
        ("next_label", Value::from(r.word(next_label, &[]))),
        ("number", Value::from(number)),
        ("total_pages", Value::from(total_pages)),
        ("per_page", Value::from(per_page)),
        ("total_items", Value::from(total)),
        ("previous", page_url(number.wrapping_sub(1))),
        ("next", page_url(number + 1)),
        ("first", Value::from(url_of(1))),
        ("last", Value::from(url_of(total_pages))),
        ("links", list(window)),
    ])
}

/// `mentions` for page `number` (1-based) of the pages of `kind` that
/// mention page `id` (see [`Target::Mentions`](super::Target::Mentions)).
pub fn mentions_page(r: &Reader, id: PageId, kind: &Kind, number: usize) -> Value {
    let page = r.page(id);
    let index = r.config().kind_index(&kind.name);
    let all = r
        .mentions_by_kind(id)
        .into_iter()
        .nth(index)
        .unwrap_or_default();
    let per_page = r.config().mentions.per_page;
    let start = ((number - 1) * per_page).min(all.len());
    let end = (start + per_page).min(all.len());
    let base = r.base_url();
    let path = |n: usize| r.page_output(id, mentions_path(&page.url_path(), &kind.name, n));
    let paginator = paginator(r, kind, number, all.len(), per_page, &|n| {
        base.link(&path(n))
    });
    map([
        ("kind", Value::from(kind.name.as_str())),
        ("title", Value::from(kind.title.as_str())),
        ("singular", Value::from(kind.singular.as_str())),
        (
            "label",
            Value::from(kind.mentions_label(page.kind(), page.title(), page.name())),
        ),
        ("pages", r.summaries(&all[start..end])),
        ("total", Value::from(all.len())),
        ("paginator", paginator),
        ("url", Value::from(base.link(&path(number)))),
        ("permalink", Value::from(base.permalink(&path(number)))),
    ])
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
