//! Asks and offers as templates see them: an item with its history and
//! where it stands (`page.item`), the items of a party, a sector or a
//! brief (`page.items`), the counts of the home page, and the rows of the
//! list, of the data files and of the calendars.
//!
//! Where an item stands depends on every page that updates it: it is read
//! through the [`Reader`] (the item's backlinks, and each of those pages),
//! so an update re-renders exactly what shows the item.

use tera::Value;

use super::reader::Reader;
use super::values::{list, map, opt_str};
use crate::content::RefSite;
use crate::content::date::PageDate;
use crate::content::items::{Amount, ItemStatus, Raised};
use crate::content::pages::PageId;
use crate::link::items::{Event, Naming, history, standing};

/// An item read with its history.
pub struct State {
    pub id: PageId,
    pub status: ItemStatus,
    pub due: Option<PageDate>,
    /// Not done, declined or withdrawn, and due before the build's day.
    pub overdue: bool,
    pub events: Vec<EventRow>,
}

/// A step of an item's history, kept apart from the pages it was read from.
pub struct EventRow {
    pub page: PageId,
    pub date: Option<PageDate>,
    pub raised: bool,
    pub status: Option<ItemStatus>,
    pub note: Option<String>,
    pub due: Option<PageDate>,
}

impl From<&Event<'_>> for EventRow {
    fn from(e: &Event<'_>) -> EventRow {
        EventRow {
            page: e.page,
            date: e.date,
            raised: e.raised,
            status: e.status,
            note: e.note.map(str::to_string),
            due: e.due,
        }
    }
}

/// The item whose page is `id`, if it is one.
pub fn raised(r: &Reader, id: PageId) -> Option<&Raised> {
    r.page(id).fields().raised.as_deref()
}

/// Reads item `id`'s history and where it stands.
pub fn state(r: &Reader, id: PageId) -> Option<State> {
    let item = r.page(id);
    let raised = item.fields().raised.as_deref()?;
    let named_by: Vec<Naming<'_>> = (r.backlinks(id).iter())
        .map(|&b| r.page(b).naming(b))
        .collect();
    let events = history(item.slug(), raised, named_by);
    let (status, due) = standing(&events);
    // Only an open item with a due date asks what day it is.
    let overdue = status.is_open() && due.is_some_and(|d| d.last_day() < r.today());
    Some(State {
        id,
        status,
        due,
        overdue,
        events: events.iter().map(EventRow::from).collect(),
    })
}

/// The page a party or sector names, if the site has it.
fn party(r: &Reader, site: &RefSite) -> Value {
    match r.find(&site.kind, &site.slug) {
        Some(id) => r.summary(id),
        None => map([
            ("kind", Value::from(site.kind.as_str())),
            ("slug", Value::from(site.slug.as_str())),
            ("title", Value::from(site.slug.as_str())),
            ("name", Value::from(site.slug.as_str())),
            ("url", Value::none()),
        ]),
    }
}

/// `amount` of an item: the value, its currency, and the value written
/// out with thousands separated (`11,000,000,000`).
fn amount_value(a: &Amount) -> Value {
    map([
        ("value", Value::from(a.value)),
        ("currency", Value::from(a.currency.as_str())),
        ("at_least", Value::from(a.at_least)),
        ("text", Value::from(number_text(a.value))),
    ])
}

/// `11000000000` as `11,000,000,000`; a fraction keeps two places.
pub fn number_text(value: f64) -> String {
    let whole = value.trunc() as u128;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    let cents = ((value - value.trunc()) * 100.0).round() as u32;
    if cents > 0 {
        out.push_str(&format!(".{cents:02}"));
    }
    out
}

/// `page.item`, and each item of the lists: what was offered or asked,
/// by whom of whom, where it stands and how it got there.
///
/// Long: one entry per field of an item in docs/templates.md.
pub fn item_value(r: &Reader, state: &State) -> Value {
    let Some(raised) = raised(r, state.id) else {
        return Value::none();
    };
    let item = &raised.item;
    let summary = r.summary(state.id);
    let what = summary
        .get_from_path("title")
        .cloned()
        .unwrap_or_else(|| Value::from(item.what.as_str()));
    let id = item.id.get_ref();
    let history: Vec<Value> = (state.events.iter())
        .map(|e| {
            let note = translated_note(r, e, id).or(e.note.as_deref());
            map([
                ("date", opt_str(e.date.map(|d| d.to_string()).as_deref())),
                ("raised", Value::from(e.raised)),
                ("status", opt_str(e.status.map(ItemStatus::name))),
                ("note", opt_str(note)),
                ("due", opt_str(e.due.map(|d| d.to_string()).as_deref())),
                ("page", r.summary(e.page)),
            ])
        })
        .collect();
    let raised_in = (state.events.iter())
        .find(|e| e.raised)
        .map_or_else(Value::none, |e| r.summary(e.page));
    map([
        ("id", Value::from(item.id.get_ref().as_str())),
        ("kind", Value::from(item.kind.name())),
        ("what", what),
        (
            "url",
            summary
                .get_from_path("url")
                .cloned()
                .unwrap_or_else(Value::none),
        ),
        (
            "date",
            summary
                .get_from_path("date")
                .cloned()
                .unwrap_or_else(Value::none),
        ),
        ("by", party(r, &item.by)),
        ("to", list(item.to.iter().map(|p| party(r, p)).collect())),
        (
            "sectors",
            list(item.sectors.iter().map(|p| party(r, p)).collect()),
        ),
        ("status", Value::from(state.status.name())),
        ("open", Value::from(state.status.is_open())),
        ("overdue", Value::from(state.overdue)),
        ("due", opt_str(state.due.map(|d| d.to_string()).as_deref())),
        (
            "amount",
            item.amount.as_ref().map_or_else(Value::none, amount_value),
        ),
        ("raised_in", raised_in),
        ("history", list(history)),
        ("timeline", super::pictures::item_timeline(r, state)),
    ])
}

/// In another language, the note of step `e` of item `id` as the
/// translation of its page gives it, if it does.
fn translated_note<'r>(r: &'r Reader, e: &EventRow, id: &str) -> Option<&'r str> {
    r.lang()?;
    let fields = &r.translation(e.page)?.fields;
    match e.raised {
        true => (fields.items.iter())
            .find(|i| i.id.get_ref() == id)?
            .note
            .as_deref(),
        false => (fields.updates.iter())
            .find(|u| u.id.get_ref() == id)?
            .note
            .as_deref(),
    }
}

/// The items of `ids` read, open ones first (overdue first among them),
/// then newest first as listed.
pub fn states(r: &Reader, ids: &[PageId]) -> Vec<State> {
    let mut states: Vec<State> = ids.iter().filter_map(|&id| state(r, id)).collect();
    // A stable sort: the list's own order (newest first) within each group.
    states.sort_by_key(|s| (!s.status.is_open(), !s.overdue));
    states
}

/// Sums of the amounts of `states` by currency, in the currencies' order.
fn sums(r: &Reader, states: &[State]) -> Value {
    let mut sums: Vec<(String, f64, bool)> = Vec::new();
    for s in states {
        let Some(amount) = raised(r, s.id).and_then(|i| i.item.amount.as_ref()) else {
            continue;
        };
        match sums.iter_mut().find(|(c, _, _)| *c == amount.currency) {
            Some((_, total, at_least)) => {
                *total += amount.value;
                *at_least |= amount.at_least;
            }
            None => sums.push((amount.currency.clone(), amount.value, amount.at_least)),
        }
    }
    sums.sort_by(|a, b| a.0.cmp(&b.0));
    list(
        sums.into_iter()
            .map(|(currency, value, at_least)| {
                amount_value(&Amount {
                    value,
                    currency,
                    at_least,
                })
            })
            .collect(),
    )
}

/// The sum of the amounts of `states` in `[amounts] currency`, at the
/// site's rates; none without them, or when a currency has no rate.
fn total(r: &Reader, states: &[State]) -> Value {
    let config = r.config();
    let Some(to) = config.amounts.currency.as_ref() else {
        return Value::none();
    };
    let (mut sum, mut at_least, mut any) = (0.0, false, false);
    for s in states {
        let Some(amount) = raised(r, s.id).and_then(|i| i.item.amount.as_ref()) else {
            continue;
        };
        let Some(value) = config.amounts.convert(amount.value, &amount.currency) else {
            return Value::none();
        };
        sum += value;
        at_least |= amount.at_least;
        any = true;
    }
    if !any {
        return Value::none();
    }
    amount_value(&Amount {
        value: sum,
        currency: to.get_ref().clone(),
        at_least,
    })
}

/// The items a page shows: a party's made and received, a sector's (or
/// any other page's) about it, a brief's or meeting's raised and updated
/// here.
fn groups(
    r: &Reader,
    id: PageId,
    items_kind: &str,
    mentions: &[Vec<PageId>],
) -> Vec<(&'static str, Vec<PageId>)> {
    let mut made = Vec::new();
    let mut received = Vec::new();
    let mut about = Vec::new();
    let kind_index = r.config().kind_index(items_kind);
    for &item in mentions.get(kind_index).map_or(&[][..], Vec::as_slice) {
        let Some(raised) = raised(r, item) else {
            continue;
        };
        let is = |p: &RefSite| r.find(&p.kind, &p.slug) == Some(id);
        if is(&raised.item.by) {
            made.push(item);
        } else if raised.item.to.iter().any(is) {
            received.push(item);
        } else {
            about.push(item);
        }
    }
    let mut here = Vec::new();
    let mut updated = Vec::new();
    let key = r.key(id).clone();
    // A reference's kind is part of its key: only items are read.
    let items = r
        .refs(id)
        .iter()
        .filter(|&&i| *r.key(i).kind == *items_kind);
    for &item in items {
        match raised(r, item) {
            Some(raised) if raised.by_page == key => here.push(item),
            Some(_) => updated.push(item),
            None => {}
        }
    }
    vec![
        ("made", made),
        ("received", received),
        ("about", about),
        ("raised", here),
        ("updated", updated),
    ]
}

/// `page.items`: `none` on a page no item names. `mentions` is what
/// mentions the page, by kind ([`Reader::mentions_by_kind`]), which the
/// page has read already.
pub fn for_page(r: &Reader, id: PageId, mentions: &[Vec<PageId>]) -> Value {
    let Some(kind) = r.config().items_kind().map(|k| k.name.clone()) else {
        return Value::none();
    };
    if r.key(id).kind.as_ref() == kind {
        return Value::none();
    }
    let groups = groups(r, id, &kind, mentions);
    if groups.iter().all(|(_, ids)| ids.is_empty()) {
        return Value::none();
    }
    // The feed of what became of them, where the page has one (see
    // `Target::ItemsFeed`): named by an item, of a kind with feeds.
    let named = groups.iter().take(3).any(|(_, ids)| !ids.is_empty());
    let page = r.page(id);
    let feed = (named && super::feed::has_feed(r.config(), page.kind())).then(|| {
        let path = super::items_feed::atom_path(&page.url_path(), &kind);
        r.base_url().link(&r.page_output(id, path))
    });
    let mut all: Vec<State> = Vec::new();
    let mut value = tera::Map::new();
    for (name, ids) in groups {
        let states = states(r, &ids);
        value.insert(
            name.into(),
            list(states.iter().map(|s| item_value(r, s)).collect()),
        );
        all.extend(states);
    }
    all.sort_by_key(|s| s.id);
    all.dedup_by_key(|s| s.id);
    let open = all.iter().filter(|s| s.status.is_open()).count();
    let overdue = all.iter().filter(|s| s.overdue).count();
    value.insert("open".into(), Value::from(open));
    value.insert("overdue".into(), Value::from(overdue));
    value.insert("total".into(), Value::from(all.len()));
    value.insert("sums".into(), sums(r, &all));
    value.insert("converted".into(), total(r, &all));
    value.insert("feed".into(), opt_str(feed.as_deref()));
    Value::from(value)
}

/// `home.items`: how many items are open and overdue, with the list's
/// URL; `none` when the site has none.
pub fn home_counts(r: &Reader) -> Value {
    let Some(kind) = r.config().items_kind().map(|k| k.name.clone()) else {
        return Value::none();
    };
    let all = r.every_page(&kind).to_vec();
    if all.is_empty() {
        return Value::none();
    }
    let states: Vec<State> = all.iter().filter_map(|&id| state(r, id)).collect();
    let list_url = r
        .base_url()
        .link(&r.localize(&crate::urls::kind_list_path(&kind)));
    map([
        ("total", Value::from(states.len())),
        (
            "open",
            Value::from(states.iter().filter(|s| s.status.is_open()).count()),
        ),
        (
            "overdue",
            Value::from(states.iter().filter(|s| s.overdue).count()),
        ),
        ("url", Value::from(list_url)),
    ])
}

/// `list.items` on the list of asks and offers: every item of the page
/// with where it stands, open ones first, and what the filters offer
/// (the statuses, parties and sectors the items have).
pub fn list_value(r: &Reader, ids: &[PageId]) -> Value {
    let states = states(r, ids);
    let items: Vec<Value> = states.iter().map(|s| item_value(r, s)).collect();
    let mut statuses: Vec<&str> = Vec::new();
    let mut parties: Vec<(String, Value)> = Vec::new();
    let mut sectors: Vec<(String, Value)> = Vec::new();
    for (state, value) in states.iter().zip(&items) {
        if !statuses.contains(&state.status.name()) {
            statuses.push(state.status.name());
        }
        let by = value.get_from_path("by").into_iter();
        let to = value
            .get_from_path("to")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for party in by.chain(to) {
            facet(&mut parties, party);
        }
        let of = value.get_from_path("sectors").and_then(Value::as_array);
        for sector in of.into_iter().flatten() {
            facet(&mut sectors, sector);
        }
    }
    // Statuses in their own order, parties and sectors by name.
    statuses.sort_by_key(|s| ItemStatus::NAMES.iter().position(|n| n == s));
    parties.sort_by(|a, b| a.0.cmp(&b.0));
    sectors.sort_by(|a, b| a.0.cmp(&b.0));
    let overdue = states.iter().filter(|s| s.overdue).count();
    map([
        ("all", list(items)),
        (
            "statuses",
            list(statuses.into_iter().map(Value::from).collect()),
        ),
        (
            "parties",
            list(parties.into_iter().map(|(_, v)| v).collect()),
        ),
        (
            "sectors",
            list(sectors.into_iter().map(|(_, v)| v).collect()),
        ),
        ("overdue", Value::from(overdue)),
        ("sums", sums(r, &states)),
        ("converted", total(r, &states)),
    ])
}

/// Adds a party or sector to a filter's options, once, keyed by its name.
fn facet(options: &mut Vec<(String, Value)>, page: &Value) {
    let slug = page
        .get_from_path("slug")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = page
        .get_from_path("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = page
        .get_from_path("name")
        .and_then(Value::as_str)
        .unwrap_or(slug);
    let key = format!("{kind}/{slug}");
    if !options
        .iter()
        .any(|(_, v)| v.get_from_path("key").and_then(Value::as_str) == Some(&key))
    {
        options.push((
            name.to_lowercase(),
            map([("key", Value::from(key)), ("name", Value::from(name))]),
        ));
    }
}

/// Every ask and offer of the site, in list order.
pub fn every_item(r: &Reader) -> Vec<PageId> {
    match r.config().items_kind() {
        Some(kind) => {
            let name = kind.name.clone();
            r.every_page(&name).into_owned()
        }
        None => Vec::new(),
    }
}

/// The asks and offers that name page `id` (as a party or a sector).
pub fn naming(r: &Reader, id: PageId) -> Vec<PageId> {
    let Some(kind) = r.config().items_kind() else {
        return Vec::new();
    };
    let index = r.config().kind_index(&kind.name);
    r.mentions_by_kind(id)
        .into_iter()
        .nth(index)
        .unwrap_or_default()
}
