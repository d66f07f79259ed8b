//! The pages of asks and offers: one for each `[[asks]]` and `[[offers]]`
//! table of the published pages, made and kept in step with them as stub
//! pages are (see [`super::stubs`]). An item's page names its parties and
//! sectors (its references, resolved and checked like any page's), and
//! the pages that raise and update it name it: its backlinks are its
//! history.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::date::PageDate;
use crate::content::items::{Item, ItemStatus, Raised};
use crate::content::pages::{PageId, Pages};
use crate::content::{Fields, Page, PageKey, RefSite};
use crate::diagnostic::{Diagnostic, SourceFile, display_path};

/// How the pages of items changed.
#[derive(Debug, Default)]
pub struct ItemSync {
    /// Pages made for ids no page had.
    pub made: Vec<PageId>,
    /// Pages whose table, or the file it is in, changed.
    pub changed: Vec<PageId>,
    pub removed: Vec<PageId>,
    /// An id raised twice: an error at the second.
    pub problems: Vec<Diagnostic>,
}

/// Makes the pages of items match the tables of the published pages.
/// Reads every page's list of items (most are empty): the cost of one
/// pass over the pages, as the stubs' sync.
pub fn sync(pages: &mut Pages, config: &Config) -> ItemSync {
    let mut sync = ItemSync::default();
    let wanted = match config.items_kind() {
        Some(kind) => wanted(pages, &kind.name, &mut sync.problems),
        None => BTreeMap::new(),
    };
    let existing: Vec<(PageId, PageKey)> = pages
        .iter()
        .filter(|(_, p)| p.fields.raised.is_some())
        .map(|(id, p)| (id, p.key.clone()))
        .collect();
    for (id, key) in existing {
        if !wanted.contains_key(&key) {
            pages.remove(id);
            sync.removed.push(id);
        }
    }
    for (key, page) in wanted {
        match pages.id(&key) {
            Some(id) if same(pages.page(id), &page) => {}
            Some(id) if pages.page(id).fields.raised.is_some() => {
                pages.replace(id, page);
                sync.changed.push(id);
            }
            // Only items make pages of their kind (no file is read as
            // one, and the kind makes no stubs).
            Some(_) => {}
            None => {
                if let Ok(id) = pages.insert(page) {
                    sync.made.push(id);
                }
            }
        }
    }
    sync
}

/// The item pages the published pages raise, by key; the first page in
/// path order to raise an id has it, a second is an error.
fn wanted(pages: &Pages, kind: &str, problems: &mut Vec<Diagnostic>) -> BTreeMap<PageKey, Page> {
    let mut raisers: Vec<&Page> = pages
        .iter()
        .map(|(_, p)| p)
        .filter(|p| p.own_file() && !p.fields.items.is_empty())
        .collect();
    raisers.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    let mut wanted: BTreeMap<PageKey, Page> = BTreeMap::new();
    for page in raisers {
        for item in &page.fields.items {
            let key = PageKey::new(kind, item.id.get_ref());
            if let Some(first) = wanted.get(&key) {
                problems.push(duplicate(page, item, &first.file));
                continue;
            }
            wanted.insert(key.clone(), item_page(key, page, item));
        }
    }
    wanted
}

/// Whether two pages of an item are the same (their bodies aside: an
/// item's is empty, made or not).
fn same(a: &Page, b: &Page) -> bool {
    a.key == b.key && a.fields == b.fields && a.file == b.file && a.body_offset == b.body_offset
}

fn duplicate(page: &Page, item: &Item, first: &SourceFile) -> Diagnostic {
    let id = item.id.get_ref();
    let place = if first.path == page.file.path {
        "earlier in this file".to_string()
    } else {
        display_path(&first.path)
    };
    Diagnostic::error(format!("duplicate id `{id}`: {place} raised it first"))
        .at(page.file.at(item.id.span()))
        .label("a second item with this id")
        .hint("ids are unique on the site: give this one another id, or say what became of the first with [[updates]]")
}

/// The page of `item`, raised by `page`: titled with what was offered or
/// asked, dated as the page, naming its parties and sectors.
fn item_page(key: PageKey, page: &Page, item: &Item) -> Page {
    let mut refs: Vec<RefSite> = Vec::new();
    for site in std::iter::once(&item.by)
        .chain(&item.to)
        .chain(&item.sectors)
    {
        if !refs
            .iter()
            .any(|r| r.kind == site.kind && r.slug == site.slug)
        {
            refs.push(site.clone());
        }
    }
    let text_len = page.file.text().len();
    Page {
        stem: key.slug.to_string(),
        key,
        file: page.file.clone(),
        fields: Fields {
            title: item.what.clone(),
            date: page.fields.date.clone(),
            refs,
            raised: Some(Box::new(Raised {
                item: item.clone(),
                by_page: page.key.clone(),
            })),
            ..Fields::default()
        },
        // No body: the page's words are its table's.
        body_offset: text_len,
        stub: false,
        rendered: Default::default(),
        body: Default::default(),
    }
}

/// One step of an item's history: raised, or updated.
#[derive(Debug, Clone)]
pub struct Event<'p> {
    /// The page that raised or updated it.
    pub page: PageId,
    pub date: Option<PageDate>,
    pub raised: bool,
    pub status: Option<ItemStatus>,
    pub note: Option<&'p str>,
    pub due: Option<PageDate>,
    /// Where the page names the item (its `id`), in `file`.
    pub at: std::ops::Range<usize>,
    pub file: &'p SourceFile,
}

/// A page that names an item, as its history reads it.
#[derive(Clone, Copy)]
pub struct Naming<'p> {
    pub id: PageId,
    pub key: &'p PageKey,
    pub fields: &'p Fields,
    pub file: &'p SourceFile,
}

impl<'p> Naming<'p> {
    pub fn of(id: PageId, page: &'p Page) -> Naming<'p> {
        Naming {
            id,
            key: &page.key,
            fields: &page.fields,
            file: &page.file,
        }
    }
}

/// The history of the item `id`, `raised` as it is, from the pages that
/// name it (its page's backlinks): raised, then each update, by date (a
/// raise first on the same day, then by file and place).
pub fn history<'p>(
    id: &str,
    raised: &'p Raised,
    named_by: impl IntoIterator<Item = Naming<'p>>,
) -> Vec<Event<'p>> {
    let mut events = Vec::new();
    for page in named_by {
        let date = page.fields.date.as_ref().map(|d| *d.get_ref());
        if *page.key == raised.by_page {
            let i = &raised.item;
            events.push(Event {
                page: page.id,
                date,
                raised: true,
                status: Some(i.first_status()),
                note: i.note.as_deref(),
                due: i.due.as_ref().map(|d| *d.get_ref()),
                at: i.id.span(),
                file: page.file,
            });
        }
        for u in page.fields.updates.iter().filter(|u| u.id.get_ref() == id) {
            events.push(Event {
                page: page.id,
                date,
                raised: false,
                status: u.status.as_ref().map(|s| *s.get_ref()),
                note: u.note.as_deref(),
                due: u.due.as_ref().map(|d| *d.get_ref()),
                at: u.id.span(),
                file: page.file,
            });
        }
    }
    events.sort_by(|a, b| {
        (
            a.date.map(|d| d.timestamp()),
            !a.raised,
            &a.file.path,
            a.at.start,
        )
            .cmp(&(
                b.date.map(|d| d.timestamp()),
                !b.raised,
                &b.file.path,
                b.at.start,
            ))
    });
    events
}

/// Where an item stands after its history: the last status and due date
/// given.
pub fn standing(events: &[Event<'_>]) -> (ItemStatus, Option<PageDate>) {
    let status = (events.iter().rev())
        .find_map(|e| e.status)
        .unwrap_or(ItemStatus::Proposed);
    let due = events.iter().rev().find_map(|e| e.due);
    (status, due)
}

/// Warnings of items' histories: an update dated before the item, and a
/// closed item proposed again.
pub fn check(pages: &Pages, graph: &super::Graph) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (id, item) in pages.iter() {
        let Some(raised) = &item.fields.raised else {
            continue;
        };
        let named_by = (graph.backlinks(id).iter()).map(|&b| Naming::of(b, pages.page(b)));
        let events = history(item.slug(), raised, named_by);
        let Some(raise) = events.iter().find(|e| e.raised) else {
            continue;
        };
        let mut last: Option<ItemStatus> = None;
        for e in &events {
            if !e.raised
                && let (Some(date), Some(raised_on)) = (e.date, raise.date)
                && date < raised_on
            {
                warnings.push(
                    Diagnostic::warning(format!(
                        "update of `{}` is dated before the item was raised ({raised_on})",
                        item.slug()
                    ))
                    .at(e.file.at(e.at.clone()))
                    .label(format!("this page is dated {date}"))
                    .hint(format!(
                        "check this page's date, or the date of {}",
                        display_path(&raise.file.path)
                    )),
                );
            }
            if let (Some(before), Some(now)) = (last, e.status)
                && !before.is_open()
                && now == ItemStatus::Proposed
            {
                warnings.push(
                    Diagnostic::warning(format!(
                        "`{}` goes from `{}` back to `proposed`",
                        item.slug(),
                        before.name()
                    ))
                    .at(e.file.at(e.at.clone()))
                    .label("proposed again after it was closed")
                    .hint("an item raised again is a new item: give it an id of its own, or say `in-progress`"),
                );
            }
            last = e.status.or(last);
        }
    }
    warnings
}
