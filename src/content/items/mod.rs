//! Asks and offers: what a brief or meeting says was offered or asked,
//! by whom of whom (`[[asks]]`, `[[offers]]`), and what later pages say
//! became of it (`[[updates]]`). Each item gets a page of its own, made by
//! the link stage (`crate::link::items`); this module reads and checks the
//! tables as written.

mod check;

use serde::{Deserialize, Serialize};

use super::date::PageDate;
use super::page::{PageKey, RefSite, Spanned};
pub(super) use check::fields_of;

/// Whether an item was offered or asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    Ask,
    Offer,
}

impl ItemKind {
    /// "ask" or "offer": what templates and data files say.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Ask => "ask",
            ItemKind::Offer => "offer",
        }
    }

    /// The front-matter field that lists items of this kind.
    pub fn field(self) -> &'static str {
        match self {
            ItemKind::Ask => "asks",
            ItemKind::Offer => "offers",
        }
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemStatus {
    Proposed,
    InProgress,
    Agreed,
    Done,
    Stalled,
    Declined,
    Withdrawn,
}

impl ItemStatus {
    pub const NAMES: &'static [&'static str] = &[
        "proposed",
        "in-progress",
        "agreed",
        "done",
        "stalled",
        "declined",
        "withdrawn",
    ];

    pub fn parse(text: &str) -> Option<ItemStatus> {
        Some(match text {
            "proposed" => ItemStatus::Proposed,
            "in-progress" => ItemStatus::InProgress,
            "agreed" => ItemStatus::Agreed,
            "done" => ItemStatus::Done,
            "stalled" => ItemStatus::Stalled,
            "declined" => ItemStatus::Declined,
            "withdrawn" => ItemStatus::Withdrawn,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ItemStatus::Proposed => "proposed",
            ItemStatus::InProgress => "in-progress",
            ItemStatus::Agreed => "agreed",
            ItemStatus::Done => "done",
            ItemStatus::Stalled => "stalled",
            ItemStatus::Declined => "declined",
            ItemStatus::Withdrawn => "withdrawn",
        }
    }

    /// Whether the item still waits on someone: not done, declined or
    /// withdrawn.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ItemStatus::Done | ItemStatus::Declined | ItemStatus::Withdrawn
        )
    }

    /// The iCalendar `STATUS` of a to-do (RFC 5545 §3.8.1.11).
    pub fn ical(self) -> &'static str {
        match self {
            ItemStatus::Proposed | ItemStatus::Stalled => "NEEDS-ACTION",
            ItemStatus::InProgress | ItemStatus::Agreed => "IN-PROCESS",
            ItemStatus::Done => "COMPLETED",
            ItemStatus::Declined | ItemStatus::Withdrawn => "CANCELLED",
        }
    }
}

/// `amount = { value = 11_000_000_000, currency = "USD", at_least = true }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub value: f64,
    /// An ISO 4217 code, upper case.
    pub currency: String,
    /// "over $11 billion": the value is a floor.
    pub at_least: bool,
}

/// One `[[asks]]` or `[[offers]]` table. In a translation only `id` and
/// `what` are read (`by` is then empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub kind: ItemKind,
    pub id: Spanned<String>,
    pub by: RefSite,
    pub to: Vec<RefSite>,
    pub what: String,
    pub sectors: Vec<RefSite>,
    pub due: Option<Spanned<PageDate>>,
    pub amount: Option<Amount>,
    pub status: Option<Spanned<ItemStatus>>,
    pub note: Option<String>,
}

impl Item {
    /// The status it was raised with: `proposed` unless it says.
    pub fn first_status(&self) -> ItemStatus {
        self.status
            .as_ref()
            .map_or(ItemStatus::Proposed, |s| *s.get_ref())
    }
}

/// One `[[updates]]` table: what a later page says of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemUpdate {
    pub id: Spanned<String>,
    pub status: Option<Spanned<ItemStatus>>,
    pub note: Option<String>,
    /// A new due date.
    pub due: Option<Spanned<PageDate>>,
}

/// What an item's own page is made of: the item, and the page that
/// raised it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raised {
    pub item: Item,
    pub by_page: PageKey,
}

impl Raised {
    /// A hash of what the item says, not of where it is written: an edit
    /// elsewhere in the raising page's file moves the spans, and changes
    /// nothing any page shows of the item.
    pub fn print(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        let item = &self.item;
        let party = |r: &RefSite| (r.kind.clone(), r.slug.clone());
        (
            item.kind,
            item.id.get_ref(),
            party(&item.by),
            item.to.iter().map(party).collect::<Vec<_>>(),
            &item.what,
            item.sectors.iter().map(party).collect::<Vec<_>>(),
            item.due.as_ref().map(|d| d.get_ref().to_string()),
            item.status.as_ref().map(|s| *s.get_ref()),
            &item.note,
            &self.by_page,
        )
            .hash(&mut h);
        if let Some(a) = &item.amount {
            (a.value.to_bits(), &a.currency, a.at_least).hash(&mut h);
        }
        h.finish()
    }
}
