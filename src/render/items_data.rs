//! `data/asks.json` and `data/asks.csv`: every ask and offer with where it
//! stands and its history, for other tools (docs/data.md, JSON Schema in
//! docs/schemas/asks.schema.json). The kind of asks and offers has these
//! files in place of the pages' records of the other kinds.

use serde::Serialize;

use super::items::{State, raised, states};
use super::reader::Reader;
use crate::config::Kind;
use crate::content::RefSite;
use crate::content::items::ItemStatus;

#[derive(Serialize)]
struct AmountRecord<'a> {
    at_least: bool,
    currency: &'a str,
    value: f64,
}

#[derive(Serialize)]
struct EventRecord {
    date: Option<String>,
    due: Option<String>,
    note: Option<String>,
    /// `kind/slug` of the page that raised or updated the item.
    page: String,
    raised: bool,
    status: Option<&'static str>,
}

/// One item (fields in alphabetical order, as the other data files').
#[derive(Serialize)]
struct ItemRecord<'a> {
    amount: Option<AmountRecord<'a>>,
    by: String,
    due: Option<String>,
    history: Vec<EventRecord>,
    id: &'a str,
    kind: &'static str,
    open: bool,
    overdue: bool,
    raised_in: String,
    sectors: Vec<String>,
    status: &'static str,
    to: Vec<String>,
    url: String,
    what: &'a str,
}

/// A party as the data files name it: `kind/slug` of its page, or as
/// written when the site lacks it.
fn party(r: &Reader, site: &RefSite) -> String {
    match r.find(&site.kind, &site.slug) {
        Some(id) => r.key(id).to_string(),
        None => format!("{}/{}", site.kind, site.slug),
    }
}

fn record<'a>(r: &'a Reader, state: &State) -> Option<ItemRecord<'a>> {
    let raised = raised(r, state.id)?;
    let item = &raised.item;
    let page = r.page(state.id);
    let history = (state.events.iter())
        .map(|e| EventRecord {
            date: e.date.map(|d| d.to_string()),
            due: e.due.map(|d| d.to_string()),
            note: e.note.clone(),
            page: r.key(e.page).to_string(),
            raised: e.raised,
            status: e.status.map(ItemStatus::name),
        })
        .collect();
    Some(ItemRecord {
        amount: item.amount.as_ref().map(|a| AmountRecord {
            at_least: a.at_least,
            currency: &a.currency,
            value: a.value,
        }),
        by: party(r, &item.by),
        due: state.due.map(|d| d.to_string()),
        history,
        id: page.slug(),
        kind: item.kind.name(),
        open: state.status.is_open(),
        overdue: state.overdue,
        raised_in: raised.by_page.to_string(),
        sectors: item.sectors.iter().map(|s| party(r, s)).collect(),
        status: state.status.name(),
        to: item.to.iter().map(|p| party(r, p)).collect(),
        url: r.base_url().permalink(&page.url_path()),
        what: page.title(),
    })
}

#[derive(Serialize)]
struct ItemsFile<'a> {
    items: Vec<ItemRecord<'a>>,
    kind: &'a str,
    title: &'a str,
    version: u32,
}

/// `data/asks.json`.
pub fn items_json(r: &Reader, kind: &Kind) -> String {
    let ids = r.every_page(&kind.name).into_owned();
    let file = ItemsFile {
        items: (states(r, &ids).iter())
            .filter_map(|s| record(r, s))
            .collect(),
        kind: &kind.name,
        title: &kind.title,
        version: super::export::VERSION,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// The columns of `data/asks.csv`.
pub const ITEM_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "status",
    "open",
    "overdue",
    "due",
    "by",
    "to",
    "what",
    "sectors",
    "amount",
    "currency",
    "at_least",
    "raised_in",
    "last_update",
    "url",
];

/// `data/asks.csv`: a row an item, open ones first; several parties or
/// sectors in a cell are `;`-separated.
pub fn items_csv(r: &Reader, kind: &Kind) -> String {
    let ids = r.every_page(&kind.name).into_owned();
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = csv.write_record(ITEM_COLUMNS);
    for state in states(r, &ids) {
        let Some(rec) = record(r, &state) else {
            continue;
        };
        let last = (rec.history.iter().rev())
            .find(|e| !e.raised)
            .and_then(|e| e.date.clone());
        let amount = rec.amount.as_ref();
        let cells = [
            rec.id.to_string(),
            rec.kind.to_string(),
            rec.status.to_string(),
            rec.open.to_string(),
            rec.overdue.to_string(),
            rec.due.clone().unwrap_or_default(),
            rec.by.clone(),
            rec.to.join(";"),
            rec.what.to_string(),
            rec.sectors.join(";"),
            amount.map(|a| a.value.to_string()).unwrap_or_default(),
            amount.map(|a| a.currency.to_string()).unwrap_or_default(),
            amount.map(|a| a.at_least.to_string()).unwrap_or_default(),
            rec.raised_in.clone(),
            last.unwrap_or_default(),
            rec.url.clone(),
        ];
        // Writing to a Vec cannot fail.
        let _ = csv.write_record(cells.iter().map(|c| super::export::inert(c).into_owned()));
    }
    String::from_utf8(csv.into_inner().unwrap_or_default()).unwrap_or_default()
}
