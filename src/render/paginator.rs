//! `paginator`: the links between the pages of a list, numbered from the
//! newest or paged as an archive (see [`ListPage`]). An archive page's
//! paginator says only what stays true while the list grows (its own
//! number, the older pages, and whether the page after it is full), so
//! that the page keeps its bytes.

use tera::Value;

use super::reader::Reader;
use super::values::{list, map};
use crate::config::{Kind, SortBy};
use crate::urls::ListPage;

/// Which page of which list a paginator is for.
pub struct Paging {
    pub at: ListPage,
    pub archive: bool,
    pub per_page: usize,
    /// How many entries the list has, where the page may know it.
    pub total: Option<usize>,
    /// On an archive page: whether the page after it is full.
    pub has_newer: bool,
}

/// One link of the paginator's row.
struct Link {
    at: ListPage,
    number: Option<usize>,
    gap_before: bool,
}

/// `paginator` of a page of a list of `kind` whose page `at` is at
/// `url_of(at)`.
pub fn paginator(
    r: &Reader,
    kind: &Kind,
    paging: &Paging,
    url_of: &dyn Fn(ListPage) -> String,
) -> Value {
    let at = paging.at;
    let (previous, next, last, links) = if paging.archive {
        archive_links(paging)
    } else {
        numbered_links(paging)
    };
    let url = |page: Option<ListPage>| page.map_or_else(Value::none, |p| Value::from(url_of(p)));
    let links: Vec<Value> = links
        .into_iter()
        .map(|link| {
            let label = match link.number {
                Some(n) => n.to_string(),
                None => r.word("latest", &[]),
            };
            map([
                ("number", link.number.map_or_else(Value::none, Value::from)),
                ("label", Value::from(label)),
                ("url", Value::from(url_of(link.at))),
                ("current", Value::from(link.at == at)),
                ("gap_before", Value::from(link.gap_before)),
            ])
        })
        .collect();
    // "Newer" and "Older" only where the list goes by date.
    let (sort_by, previous_label, next_label) = match kind.sort_by {
        SortBy::Date => ("date", "newer", "older"),
        SortBy::Title => ("title", "previous", "next"),
    };
    let number = match at {
        ListPage::First if paging.archive => None,
        ListPage::First => Some(1),
        ListPage::Numbered(n) | ListPage::Archive(n) | ListPage::Moved(n) => Some(n),
    };
    let total_pages = paging.total.map(|total| match paging.archive {
        true => total / paging.per_page,
        false => total.div_ceil(paging.per_page).max(1),
    });
    let or_none = |n: Option<usize>| n.map_or_else(Value::none, Value::from);
    map([
        ("sort_by", Value::from(sort_by)),
        ("previous_label", Value::from(r.word(previous_label, &[]))),
        ("next_label", Value::from(r.word(next_label, &[]))),
        ("archive", Value::from(paging.archive)),
        ("latest", Value::from(at == ListPage::First)),
        ("number", or_none(number)),
        ("total_pages", or_none(total_pages)),
        ("per_page", Value::from(paging.per_page)),
        ("total_items", or_none(paging.total)),
        ("previous", url(previous)),
        ("next", url(next)),
        ("first", Value::from(url_of(ListPage::First))),
        ("last", Value::from(url_of(last))),
        ("links", list(links)),
    ])
}

/// Newer page, older page, oldest page and the row of links of a list
/// numbered from the newest.
fn numbered_links(paging: &Paging) -> (Option<ListPage>, Option<ListPage>, ListPage, Vec<Link>) {
    let page = |n: usize| match n {
        1 => ListPage::First,
        n => ListPage::Numbered(n),
    };
    let number = match paging.at {
        ListPage::Numbered(n) => n,
        _ => 1,
    };
    let total_pages = paging.total.unwrap_or(0).div_ceil(paging.per_page).max(1);
    let within = |n: usize| (1..=total_pages).contains(&n).then(|| page(n));
    let links = pagination_window(number, total_pages)
        .into_iter()
        .map(|(n, gap_before)| Link {
            at: page(n),
            number: Some(n),
            gap_before,
        })
        .collect();
    (
        within(number.wrapping_sub(1)),
        within(number + 1),
        page(total_pages),
        links,
    )
}

/// Newer page, older page, oldest page and the row of links of a list
/// paged as an archive: its own page ("Latest") first, then archive pages
/// from the newer to the older. An archive page links to the page after
/// it only once that is full, and to none further: those come and go.
fn archive_links(paging: &Paging) -> (Option<ListPage>, Option<ListPage>, ListPage, Vec<Link>) {
    let archive = |n: usize| (n >= 1).then_some(ListPage::Archive(n));
    // The page's archive number (on the list's own page, that of the
    // newest full page, whose entries it shows), the newer page, and the
    // newest archive page to link.
    let (current, newer, nearest) = match paging.at {
        ListPage::Archive(k) => {
            let newer = match paging.has_newer {
                true => archive(k + 1),
                false => Some(ListPage::First),
            };
            (k, newer, k)
        }
        _ => {
            let full = paging.total.unwrap_or(0) / paging.per_page;
            (full, None, full.saturating_sub(1))
        }
    };
    let older = archive(current.saturating_sub(1));
    let mut numbers: Vec<usize> = Vec::new();
    if paging.has_newer {
        numbers.push(current + 1);
    }
    numbers.extend((nearest.saturating_sub(2).max(1)..=nearest).rev());
    if numbers.last().is_some_and(|&n| n > 1) {
        numbers.push(1);
    }
    let mut links = vec![Link {
        at: ListPage::First,
        number: None,
        gap_before: false,
    }];
    let mut previous: Option<usize> = None;
    for n in numbers {
        links.push(Link {
            at: ListPage::Archive(n),
            number: Some(n),
            gap_before: previous.is_some_and(|p| p > n + 1),
        });
        previous = Some(n);
    }
    let last = archive(1)
        .filter(|_| current >= 1)
        .unwrap_or(ListPage::First);
    (newer, older, last, links)
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

    fn row(paging: &Paging) -> Vec<(Option<usize>, bool)> {
        archive_links(paging)
            .3
            .into_iter()
            .map(|l| (l.number, l.gap_before))
            .collect()
    }

    #[test]
    fn an_archive_page_links_what_stays_true_as_the_list_grows() {
        let page = |at, total, has_newer| Paging {
            at,
            archive: true,
            per_page: 10,
            total,
            has_newer,
        };
        // Page 5 of many, the page after it full: Latest, 6, 5, 4, 3, …, 1.
        let five = page(ListPage::Archive(5), None, true);
        assert_eq!(
            row(&five),
            [
                (None, false),
                (Some(6), false),
                (Some(5), false),
                (Some(4), false),
                (Some(3), false),
                (Some(1), true)
            ]
        );
        let (newer, older, last, _) = archive_links(&five);
        assert_eq!(newer, Some(ListPage::Archive(6)));
        assert_eq!(older, Some(ListPage::Archive(4)));
        assert_eq!(last, ListPage::Archive(1));
        // The newest full page leads back to the list's own page.
        let newest = page(ListPage::Archive(2), None, false);
        assert_eq!(archive_links(&newest).0, Some(ListPage::First));
        // The list's own page, 57 entries: it shows pages 5 and the
        // rest; older is page 4.
        let own = page(ListPage::First, Some(57), false);
        let (newer, older, _, _) = archive_links(&own);
        assert_eq!((newer, older), (None, Some(ListPage::Archive(4))));
        assert_eq!(
            row(&own),
            [
                (None, false),
                (Some(4), false),
                (Some(3), false),
                (Some(2), false),
                (Some(1), false)
            ]
        );
        // Fewer than a page: only itself.
        let small = page(ListPage::First, Some(7), false);
        assert_eq!(row(&small), [(None, false)]);
        assert_eq!(archive_links(&small).2, ListPage::First);
    }
}
