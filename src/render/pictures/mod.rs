//! Pictures of the desk's activity, drawn at build time as inline SVG
//! ([`svg`]): who is met how often, and with whom.
//!
//! - a **timeline** of meetings by month (past, upcoming, tentative) on the
//!   events list and on pages that meetings mention;
//! - a **sparkline** of briefings a month on agency, sector, person and
//!   country pages and beside them in their lists;
//! - a **relationship map** on agency and sector pages: the agencies and
//!   sectors most often mentioned with them;
//! - the **desk overview** on the home page: briefings a month and the
//!   most active agencies and sectors.
//!
//! Each counts a fixed window of months around the build day and at most
//! [`MAP_NODES`] pages, so no picture grows with the site. The facts they
//! count are read through the [`Reader`] ([`Reader::dated_mentions`],
//! [`Reader::neighbours`]), whose fingerprints are the facts themselves
//! (a map's counted again only when what it counts from changed, see
//! `crate::engine::maps`): a page is drawn again exactly when what its
//! pictures count changes.

mod facts;
pub mod svg;
mod timeline;
mod words;

pub use facts::{
    Dated, Month, Tally, dated_among_print, dated_mentions, dated_mentions_by, neighbours,
    neighbours_among, neighbours_inputs,
};

/// The month of `newest`'s date (a kind's newest page), or `now` if that
/// is earlier or there is none: see `recent_end`.
pub fn pictures_end(site: &crate::site::Site, newest: Option<PageId>, now: Month) -> Month {
    let newest = newest
        .and_then(|id| site.pages.get(id)?.fields.date.as_ref())
        .map(|d| Month::of(d.get_ref().day()));
    newest.map_or(now, |m| m.min(now))
}
use facts::{dated_fields, tallies};
use words::Words;

use tera::Value;

use super::reader::Reader;
use super::values::{html, list, map};
use crate::config::{Kind, Role, Schema};
use crate::content::pages::PageId;

/// Months a sparkline or the overview counts, up to the build month.
pub const RECENT_MONTHS: i32 = 24;
/// Months a timeline shows before the build month, and after it.
pub const TIMELINE_BEFORE: i32 = 12;
pub const TIMELINE_AFTER: i32 = 11;
/// At most this many pages on a relationship map.
pub const MAP_NODES: usize = 24;
/// The most active agencies and sectors on the home page.
pub const OVERVIEW_TOP: usize = 5;

/// Whether pages of `kind` get pictures: agencies, sectors, people and
/// countries, the pages others are about.
fn pictured(kind: &Kind) -> bool {
    matches!(kind.schema, Schema::Agency | Schema::Sector | Schema::Name)
}

/// `{ svg, table, title }` of a bar chart by month, or none when there is
/// nothing in the window.
fn month_chart(
    id: &str,
    title: &str,
    first: Month,
    tallies: &[Tally],
    now: Month,
    columns: &[&str],
    words: &Words,
) -> Value {
    if tallies.iter().all(|t| t.total() == 0) {
        return Value::none();
    }
    map([
        ("title", Value::from(title)),
        (
            "svg",
            html(&svg::month_bars(id, title, first, tallies, now, words)),
        ),
        (
            "table",
            html(&svg::month_table(title, first, tallies, columns, words)),
        ),
    ])
}

/// The last month that sparklines and the overview count: the build
/// month, or the month of the newest entry when the desk has published
/// nothing since (an archive still shows its last two years). All of a
/// site's pictures share it, so that they compare.
fn recent_end(r: &Reader, entries: &Kind) -> Month {
    r.pictures_end(&entries.name)
}

/// A sparkline of `kind`'s pages a month in `dated`, and its figures as a
/// table; none when there are none in the last [`RECENT_MONTHS`].
fn sparkline(r: &Reader, dated: &[Dated], kind: &Kind, name: &str) -> (Value, Value) {
    let today = r.today();
    let end = recent_end(r, kind);
    let first = end.plus(1 - RECENT_MONTHS);
    let index = r.config().kind_index(&kind.name) as u32;
    let tallies = tallies(dated, index, first, RECENT_MONTHS, today);
    let counts: Vec<u32> = tallies.iter().map(Tally::total).collect();
    let total: u32 = counts.iter().sum();
    if total == 0 {
        return (Value::none(), Value::none());
    }
    let what = if total == 1 {
        &kind.singular
    } else {
        &kind.title
    };
    let words = Words::of(r);
    let label = r.word(
        "chart_mentioning_total",
        &[
            ("count", &total.to_string()),
            ("kind", &what.to_lowercase()),
            ("name", name),
            ("from", &words.long(first)),
            ("to", &words.long(end)),
        ],
    );
    let caption = r.word(
        "chart_mentioning_by_month",
        &[("kind", &kind.title), ("name", name)],
    );
    (
        html(&svg::sparkline(&counts, &label)),
        html(&svg::month_table(
            &caption,
            first,
            &tallies,
            &[&kind.title],
            &words,
        )),
    )
}

/// `page.pictures` for page `id`: `sparkline` (with its figures as
/// `sparkline_table`), `timeline`, `map` (each none when the page has
/// nothing to draw), or none for kinds without pictures.
pub fn for_page(r: &Reader, id: PageId) -> Value {
    let page = r.page(id);
    let config = r.config();
    if !config.kind(page.kind()).is_some_and(pictured) {
        return Value::none();
    }
    let dated = r.dated_mentions(id);
    let name = r.name_in_language(id);
    let (sparkline, sparkline_table) = config
        .entries()
        .map_or((Value::none(), Value::none()), |k| {
            sparkline(r, &dated, k, name)
        });
    let timeline = config.events().map_or_else(Value::none, |k| {
        let title = r.word("chart_with_by_month", &[("kind", &k.title), ("name", name)]);
        timeline(r, &dated, k, &title)
    });
    let nodes = r.neighbours(id);
    let map_value = if nodes.is_empty() {
        Value::none()
    } else {
        relationship_map(r, name, &nodes)
    };
    map([
        ("sparkline", sparkline),
        ("sparkline_table", sparkline_table),
        ("timeline", timeline),
        ("map", map_value),
    ])
}

fn relationship_map(r: &Reader, name: &str, nodes: &[(PageId, u32)]) -> Value {
    let base = r.base_url();
    // Each neighbour in the render's language: its translation's words
    // and URL when it has one, else its own.
    let pages: Vec<(PageId, crate::render::reader::PageView<'_>, u32, String)> = nodes
        .iter()
        .map(|&(p, w)| {
            let view = r.page(p);
            let path = r.page_output(p, view.url_path());
            (p, view, w, base.link(&path))
        })
        .collect();
    let drawn: Vec<svg::Node<'_>> = pages
        .iter()
        .map(|(p, view, weight, url)| svg::Node {
            label: r.name_in_language(*p),
            title: r.title_in_language(*p),
            url,
            weight: *weight,
            kind: view.kind(),
        })
        .collect();
    let title = r.word("map_title", &[("name", name)]);
    let desc = r.word(
        "map_described",
        &[("count", &drawn.len().to_string()), ("name", name)],
    );
    let mut items = String::from("<ol class=\"map-list\">");
    for node in &drawn {
        items.push_str(&format!(
            "<li><a href=\"{}\">{}</a> ({})</li>",
            crate::render::sitemap::xml_escape(node.url),
            crate::render::sitemap::xml_escape(node.title),
            node.weight
        ));
    }
    items.push_str("</ol>");
    map([
        ("title", Value::from(title.as_str())),
        (
            "svg",
            html(&svg::relationship_map("map", &title, name, &desc, &drawn)),
        ),
        ("list", html(&items)),
    ])
}

/// The sparkline beside page `id` in a list, or none.
pub fn list_sparkline(r: &Reader, id: PageId) -> Value {
    let page = r.page(id);
    let config = r.config();
    match (config.kind(page.kind()), config.entries()) {
        (Some(kind), Some(entries)) if pictured(kind) => {
            sparkline(r, &r.dated_mentions(id), entries, r.name_in_language(id)).0
        }
        _ => Value::none(),
    }
}

/// `list.timeline` on the events list: every event by month, or none.
pub fn events_timeline(r: &Reader, kind: &Kind) -> Value {
    if kind.role != Some(Role::Events) {
        return Value::none();
    }
    let index = r.config().kind_index(&kind.name) as u32;
    let dated: Vec<Dated> = r
        .every_page(&kind.name)
        .iter()
        .filter_map(|&id| dated_fields(index, r.page(id).fields()))
        .collect();
    let title = r.word("chart_by_month", &[("kind", &kind.title)]);
    timeline(r, &dated, kind, &title)
}

/// The timeline of the events of `kind` among `dated`: the months from
/// [`TIMELINE_BEFORE`] before the build month to [`TIMELINE_AFTER`] after.
///
/// When none of the page's events is in that window (a desk that followed
/// one visit two years ago), the window moves to them, as the sparkline's
/// does: it ends at the newest when they are all before it, and starts at
/// the oldest when they are all after.
fn timeline(r: &Reader, dated: &[Dated], kind: &Kind, title: &str) -> Value {
    let today = r.today();
    let now = Month::of(today);
    let len = TIMELINE_BEFORE + 1 + TIMELINE_AFTER;
    let index = r.config().kind_index(&kind.name) as u32;
    let around_today = now.plus(-TIMELINE_BEFORE);
    let events = || dated.iter().filter(|d| d.kind == index);
    let newest = events().map(|d| Month::of(d.last)).max();
    let oldest = events().map(|d| Month::of(d.first)).min();
    let first = match (oldest, newest) {
        (_, Some(newest)) if newest < around_today => newest.plus(1 - len),
        (Some(oldest), _) if oldest > around_today.plus(len - 1) => oldest,
        _ => around_today,
    };
    let t = tallies(dated, index, first, len, today);
    let words = Words::of(r);
    let parts = words.parts.each_ref().map(String::as_str);
    month_chart("timeline", title, first, &t, now, &parts, &words)
}

/// `home.overview`: entries a month over the last [`RECENT_MONTHS`], and
/// the agencies and sectors that most entries mentioned in that time
/// (`agencies`, `sectors`: `[{ page, count }]`); none without entries.
pub fn overview(r: &Reader) -> Value {
    let config = r.config();
    let Some(entries) = config.entries() else {
        return Value::none();
    };
    let now = recent_end(r, entries);
    let first = now.plus(1 - RECENT_MONTHS);
    let mut counts = vec![0u32; RECENT_MONTHS as usize];
    for &id in r.every_page(&entries.name).iter() {
        let Some(date) = r.page(id).fields().date.as_ref() else {
            continue;
        };
        let at = Month::of(date.get_ref().day()).since(first);
        if let Some(c) = usize::try_from(at).ok().and_then(|i| counts.get_mut(i)) {
            *c += 1;
        }
    }
    let tallies: Vec<Tally> = counts.iter().map(|&c| Tally::entries(c)).collect();
    let title = r.word("chart_by_month", &[("kind", &entries.title)]);
    let today = Month::of(r.today());
    let chart = month_chart(
        "overview",
        &title,
        first,
        &tallies,
        today,
        &[&entries.title],
        &Words::of(r),
    );
    let entry_index = config.kind_index(&entries.name) as u32;
    let most_active = |schema: Schema| -> Value {
        let mut active: Vec<(u32, usize, PageId)> = config
            .kinds
            .iter()
            .filter(|k| k.schema == schema)
            .flat_map(|k| r.every_page(&k.name).into_owned())
            .enumerate()
            .filter_map(|(order, id)| {
                let recent = r
                    .dated_mentions(id)
                    .iter()
                    .filter(|d| d.kind == entry_index && Month::of(d.first) >= first)
                    .count() as u32;
                (recent > 0).then_some((recent, order, id))
            })
            .collect();
        active.sort_unstable_by_key(|&(count, order, _)| (std::cmp::Reverse(count), order));
        active.truncate(OVERVIEW_TOP);
        list(
            active
                .into_iter()
                .map(|(count, _, id)| map([("page", r.summary(id)), ("count", Value::from(count))]))
                .collect(),
        )
    };
    map([
        ("chart", chart),
        ("agencies", most_active(Schema::Agency)),
        ("sectors", most_active(Schema::Sector)),
    ])
}

/// `timeline` of an item (`page.item.timeline`): `{ svg }`, its history
/// by date, or none for an item with no dated step.
pub fn item_timeline(r: &Reader, state: &crate::render::items::State) -> Value {
    let words = Words::of(r);
    let dots: Vec<timeline::Dot> = (state.events.iter())
        .filter_map(|e| {
            let date = e.date?;
            let status = e.status.map(crate::content::items::ItemStatus::name);
            let what = match status {
                Some(s) => r.word(&format!("item_status_{s}"), &[]),
                None => r.word("item_note", &[]),
            };
            Some(timeline::Dot {
                date,
                status,
                label: format!("{}: {what}", words.long(Month::of(date.day()))),
            })
        })
        .collect();
    let (Some(first), Some(last)) = (dots.first(), dots.last()) else {
        return Value::none();
    };
    let month = |d: crate::content::date::PageDate| words.label(Month::of(d.day()), true);
    let end = match state.due {
        Some(due) if due.last_day() > last.date.day() => month(due),
        _ => month(last.date),
    };
    let desc: Vec<&str> = dots.iter().map(|d| d.label.as_str()).collect();
    let timeline_words = timeline::TimelineWords {
        title: r.word("item_history", &[]),
        desc: desc.join("; "),
        due: r.word("item_due", &[]),
        first: month(first.date),
        last: end,
    };
    let id = format!("item-{}", r.key(state.id).slug);
    map([(
        "svg",
        html(&timeline::item_timeline(
            &id,
            &dots,
            state.due,
            &timeline_words,
        )),
    )])
}
