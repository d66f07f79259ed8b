//! Reading and checking `[[asks]]`, `[[offers]]` and `[[updates]]`:
//! every problem of every table, each at its place.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::{Amount, Item, ItemKind, ItemStatus, ItemUpdate};
use crate::config::Schema;
use crate::content::date::PageDate;
use crate::content::fields::{Checker, FieldSet};
use crate::content::page::{RefSite, Spanned};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::markdown::typography::smart;

/// The fields of the tables, for messages.
const ITEM_FIELDS: &[&str] = &[
    "id", "by", "to", "what", "sectors", "due", "amount", "status", "note",
];
const UPDATE_FIELDS: &[&str] = &["id", "status", "note", "due"];
const AMOUNT_FIELDS: &[&str] = &["value", "currency", "at_least"];

/// The front-matter fields of asks and offers, on the kinds that may
/// have them.
pub(in crate::content) fn fields_of(schema: Schema) -> &'static [&'static str] {
    match schema {
        Schema::Brief | Schema::Meeting => &["asks", "offers", "updates"],
        _ => &[],
    }
}

impl Checker<'_> {
    fn in_translation(&self) -> bool {
        matches!(self.set, FieldSet::Translation(_))
    }

    /// `[[asks]]` or `[[offers]]`: every problem of every table.
    pub(in crate::content) fn items(
        &self,
        kind: ItemKind,
        value: &DeValue<'_>,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<Item> {
        let field = kind.field();
        let mut out = Vec::new();
        for (table, span) in self.tables(field, value, span, errors) {
            let mut item = ItemDraft::default();
            let before = errors.len();
            for (key, value) in table.iter() {
                let name: &str = key.get_ref();
                let path = format!("{field}.{name}");
                let (v, vspan) = (value.get_ref(), value.span());
                let result = match name {
                    "id" => self.item_id(&path, v, vspan).map(|s| item.id = Some(s)),
                    "what" => self
                        .string(&path, v, vspan)
                        .map(|s| item.what = Some(smart(&s))),
                    "note" => self
                        .string(&path, v, vspan)
                        .map(|s| item.note = Some(smart(&s))),
                    "by" if !self.in_translation() => {
                        self.party(&path, v, vspan).map(|p| item.by = Some(p))
                    }
                    "to" if !self.in_translation() => {
                        self.parties(&path, v, vspan).map(|p| item.to = p)
                    }
                    "sectors" if !self.in_translation() => {
                        self.sectors(&path, v, vspan).map(|s| item.sectors = s)
                    }
                    "due" if !self.in_translation() => {
                        self.date(&path, v, vspan).map(|d| item.due = Some(d))
                    }
                    "amount" if !self.in_translation() => {
                        self.amount(&path, v, vspan).map(|a| item.amount = Some(a))
                    }
                    "status" if !self.in_translation() => self
                        .item_status(&path, v, vspan)
                        .map(|s| item.status = Some(s)),
                    other => Err(self.unknown_key(field, other, key.span(), ITEM_FIELDS)),
                };
                if let Err(e) = result {
                    errors.push(e);
                }
            }
            if errors.len() > before {
                continue;
            }
            match item.finish(kind, self, span) {
                Ok(item) => out.push(item),
                Err(e) => errors.push(e),
            }
        }
        out
    }

    /// `[[updates]]`: every problem of every table.
    pub(in crate::content) fn updates(
        &self,
        value: &DeValue<'_>,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<ItemUpdate> {
        let mut out = Vec::new();
        for (table, span) in self.tables("updates", value, span, errors) {
            let (mut id, mut status, mut note, mut due) = (None, None, None, None);
            let before = errors.len();
            for (key, value) in table.iter() {
                let name: &str = key.get_ref();
                let path = format!("updates.{name}");
                let (v, vspan) = (value.get_ref(), value.span());
                let result = match name {
                    "id" => self.item_id(&path, v, vspan).map(|s| id = Some(s)),
                    "note" => self.string(&path, v, vspan).map(|s| note = Some(smart(&s))),
                    "status" if !self.in_translation() => {
                        self.item_status(&path, v, vspan).map(|s| status = Some(s))
                    }
                    "due" if !self.in_translation() => {
                        self.date(&path, v, vspan).map(|d| due = Some(d))
                    }
                    other => Err(self.unknown_key("updates", other, key.span(), UPDATE_FIELDS)),
                };
                if let Err(e) = result {
                    errors.push(e);
                }
            }
            if errors.len() > before {
                continue;
            }
            let Some(id) = id else {
                errors.push(self.missing("updates", "id", span, "id = \"jetro-sez-promotion\""));
                continue;
            };
            if status.is_none() && note.is_none() && due.is_none() {
                errors.push(
                    Diagnostic::error(format!("update of `{}` says nothing", id.get_ref()))
                        .at(self.at(span))
                        .label("no status, note or due date")
                        .hint("give it `status = \"in-progress\"`, a `note = \"...\"`, or a new `due`"),
                );
                continue;
            }
            out.push(ItemUpdate {
                id,
                status,
                note,
                due,
            });
        }
        out
    }

    /// The tables of an array of tables, each with its span.
    fn tables<'v, 'i>(
        &self,
        field: &str,
        value: &'v DeValue<'i>,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<(&'v DeTable<'i>, Range<usize>)> {
        let example = format!("[[{field}]] tables, each with `id = \"...\"`");
        let DeValue::Array(list) = value else {
            errors.push(self.wrong_type(field, value, span, "a list of tables", &example));
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in list.iter() {
            match entry.get_ref() {
                DeValue::Table(t) => out.push((t, entry.span())),
                other => errors.push(self.wrong_type(
                    field,
                    other,
                    entry.span(),
                    "a list of tables",
                    &example,
                )),
            }
        }
        out
    }

    fn item_id(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Spanned<String>, Diagnostic> {
        let id = self.string(path, value, span.clone())?;
        if !crate::urls::is_valid_slug(&id) || crate::urls::reserved_on_windows(&id) {
            return Err(Diagnostic::error(format!("`{id}` is not a usable id"))
                .at(self.at(span))
                .label("the id names the item's page")
                .hint(format!(
                    "use lowercase letters, digits and `-`, like `{}`",
                    crate::urls::slugify(&id).trim_matches('-')
                )));
        }
        Ok(Spanned::new(self.absolute(span), id))
    }

    /// A party: an agency's slug (`jetro`), or any other page as
    /// `<kind>/<name>` (`people/Jam Kamal`, `countries/Japan`).
    fn party(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<RefSite, Diagnostic> {
        let text = self.string(path, value, span.clone())?;
        let span = self.absolute(span);
        if let Some((kind, name)) = text.split_once('/') {
            if self
                .config
                .kind(kind)
                .is_none_or(|k| k.schema == Schema::Item)
            {
                let kinds: Vec<&str> = self.config.kind_names().collect();
                return Err(Diagnostic::error(format!("`{kind}` is not a kind"))
                    .at(self.file.at(span))
                    .label("a party is an agency's slug, or <kind>/<name>")
                    .hint(
                        did_you_mean(kind, kinds.iter().copied())
                            .unwrap_or_else(|| format!("the kinds are: {}", kinds.join(", "))),
                    ));
            }
            return Ok(RefSite {
                kind: kind.to_string(),
                slug: name.to_string(),
                span,
            });
        }
        let Some(agencies) = self.config.kind_of_schema(Schema::Agency) else {
            return Err(Diagnostic::error(format!("`{text}` names no kind"))
                .at(self.file.at(span))
                .hint("this site has no agencies: write the party as <kind>/<name>"));
        };
        Ok(RefSite {
            kind: agencies.name.clone(),
            slug: text,
            span,
        })
    }

    /// `to = "jetro"` or `to = ["jica", "jetro"]`.
    fn parties(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Vec<RefSite>, Diagnostic> {
        match value {
            DeValue::Array(list) => list
                .iter()
                .map(|p| self.party(path, p.get_ref(), p.span()))
                .collect(),
            other => self.party(path, other, span).map(|p| vec![p]),
        }
    }

    fn sectors(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Vec<RefSite>, Diagnostic> {
        let list = self.strings(path, value, span.clone())?;
        let Some(kind) = self.config.kind_of_schema(Schema::Sector) else {
            return Err(Diagnostic::error("this site has no sectors")
                .at(self.at(span))
                .hint("remove `sectors` from the item"));
        };
        Ok(list
            .into_iter()
            .map(|(slug, span)| RefSite {
                kind: kind.name.clone(),
                slug,
                span,
            })
            .collect())
    }

    fn item_status(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Spanned<ItemStatus>, Diagnostic> {
        let text = self.string(path, value, span.clone())?;
        match ItemStatus::parse(&text) {
            Some(status) => Ok(Spanned::new(self.absolute(span), status)),
            None => Err(Diagnostic::error(format!("unknown status `{text}`"))
                .at(self.at(span))
                .label("not a status of an ask or offer")
                .hint(format!(
                    "{}the statuses are: {}",
                    did_you_mean(&text, ItemStatus::NAMES.iter().copied())
                        .map(|h| format!("{h} "))
                        .unwrap_or_default(),
                    ItemStatus::NAMES.join(", ")
                ))),
        }
    }

    fn amount(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Amount, Diagnostic> {
        let example = "amount = { value = 11_000_000_000, currency = \"USD\" }";
        let DeValue::Table(table) = value else {
            return Err(self.wrong_type(path, value, span, "a table", example));
        };
        let (mut number, mut currency, mut at_least) = (None, None, false);
        for (key, v) in table.iter() {
            let name: &str = key.get_ref();
            let inner = format!("{path}.{name}");
            match name {
                "value" => number = Some(self.number(&inner, v.get_ref(), v.span())?),
                "currency" => {
                    let code = self.string(&inner, v.get_ref(), v.span())?;
                    if iso_currency::Currency::from_code(&code).is_none() {
                        return Err(Diagnostic::error(format!("unknown currency `{code}`"))
                            .at(self.at(v.span()))
                            .label("not an ISO 4217 code")
                            .hint(
                                "write the currency's three capital letters: USD, JPY, PKR, EUR",
                            ));
                    }
                    currency = Some(code);
                }
                "at_least" => at_least = self.boolean(&inner, v.get_ref(), v.span())?,
                other => return Err(self.unknown_key(path, other, key.span(), AMOUNT_FIELDS)),
            }
        }
        match (number, currency) {
            (Some(value), Some(currency)) => Ok(Amount {
                value,
                currency,
                at_least,
            }),
            (None, _) => Err(self.missing(path, "value", span, example)),
            (_, None) => Err(self.missing(path, "currency", span, example)),
        }
    }

    fn number(
        &self,
        path: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<f64, Diagnostic> {
        let parsed = match value {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        };
        match parsed {
            Some(n) if n >= 0.0 => Ok(n),
            _ => Err(self.wrong_type(
                path,
                value,
                span,
                "a number, 0 or more",
                &format!("{path} = 2_500_000"),
            )),
        }
    }

    fn unknown_key(
        &self,
        table: &str,
        name: &str,
        span: Range<usize>,
        known: &[&str],
    ) -> Diagnostic {
        Diagnostic::error(format!("unknown field `{table}.{name}`"))
            .at(self.at(span))
            .label(format!("not a field of {table}"))
            .hint(format!(
                "{}{}",
                did_you_mean(name, known.iter().copied())
                    .map(|h| format!("{h} "))
                    .unwrap_or_default(),
                match (self.in_translation(), table) {
                    (true, "updates") =>
                        "a translation's update sets `id` and `note` only".to_string(),
                    (true, _) =>
                        format!("a translation's {table} set `id`, `what` and `note` only"),
                    (false, _) => format!("the fields are: {}", known.join(", ")),
                }
            ))
    }

    fn missing(&self, table: &str, name: &str, span: Range<usize>, example: &str) -> Diagnostic {
        Diagnostic::error(format!("`{table}` without `{name}`"))
            .at(self.at(span))
            .label(format!("this table has no `{name}`"))
            .hint(format!("add {example}"))
    }
}

/// An item's fields as read so far.
#[derive(Default)]
struct ItemDraft {
    id: Option<Spanned<String>>,
    by: Option<RefSite>,
    to: Vec<RefSite>,
    what: Option<String>,
    sectors: Vec<RefSite>,
    due: Option<Spanned<PageDate>>,
    amount: Option<Amount>,
    status: Option<Spanned<ItemStatus>>,
    note: Option<String>,
}

impl ItemDraft {
    /// The item, or the first field it lacks.
    fn finish(
        self,
        kind: ItemKind,
        at: &Checker<'_>,
        span: Range<usize>,
    ) -> Result<Item, Diagnostic> {
        let field = kind.field();
        let id = self
            .id
            .ok_or_else(|| at.missing(field, "id", span.clone(), "id = \"pk-jv-minerals\""))?;
        let what = self
            .what
            .ok_or_else(|| at.missing(field, "what", span.clone(), "what = \"...\""))?;
        let by = match (self.by, at.in_translation()) {
            (Some(by), _) => by,
            (None, true) => RefSite {
                kind: String::new(),
                slug: String::new(),
                span: 0..0,
            },
            (None, false) => return Err(at.missing(field, "by", span, "by = \"jetro\"")),
        };
        if self.to.is_empty() && !at.in_translation() {
            return Err(at.missing(field, "to", span, "to = [\"jica\", \"jetro\"]"));
        }
        Ok(Item {
            kind,
            id,
            by,
            to: self.to,
            what,
            sectors: self.sectors,
            due: self.due,
            amount: self.amount,
            status: self.status,
            note: self.note,
        })
    }
}
