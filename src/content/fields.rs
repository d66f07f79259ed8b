//! Checks front matter field by field, reporting every problem with its span.
//!
//! serde would stop at the first bad field; a writer fixing a brief wants
//! to see all of them, each pointing at its own line.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::items::ItemKind;
use super::page::{Fields, RefSite};
use crate::markdown::typography::smart;

/// The kind an agency's `country` refers to.
const COUNTRIES: &str = "countries";
use crate::config::{Config, Kind, Schema};
use crate::diagnostic::{Code, Diagnostic, SourceFile, did_you_mean};

/// Which fields a file may have.
#[derive(Debug, Clone, Copy)]
pub enum FieldSet<'a> {
    Page(&'a Kind),
    /// A translation of a page of this kind (`jica.ja.md`): the page's
    /// fields, none required but the title; what it does not set it takes
    /// from the page it translates.
    Translation(&'a Kind),
    /// `_index.md`: only title, summary and extra.
    Intro,
}

const COMMON: &[&str] = &[
    "title", "date", "updated", "summary", "draft", "slug", "path", "aliases", "extra", "authors",
    "image",
];
const INTRO: &[&str] = &["title", "summary", "extra"];

fn schema_fields(schema: Schema) -> &'static [&'static str] {
    match schema {
        Schema::Brief => &["location", "countries", "source", "sources"],
        Schema::Meeting => &["end", "location", "people", "status"],
        Schema::Agency => &["short", "country", "website", "government"],
        Schema::Sector | Schema::Name | Schema::Generic | Schema::Item => &[],
    }
}

/// Everything needed to check one file's front matter.
pub struct Checker<'a> {
    pub file: &'a SourceFile,
    pub config: &'a Config,
    pub set: FieldSet<'a>,
    /// Byte offset of the front matter in the file.
    pub offset: usize,
    /// The opening `+++`, where whole-file problems point.
    pub open: Range<usize>,
}

/// The fields read so far, and what checking the others needs of them.
#[derive(Default)]
struct Read {
    fields: Fields,
    title_seen: bool,
    /// The references taken, by kind and slug (each once).
    ref_keys: std::collections::HashSet<(String, String)>,
}

impl Checker<'_> {
    pub(super) fn at(&self, span: Range<usize>) -> crate::diagnostic::Location {
        self.file
            .at(span.start + self.offset..span.end + self.offset)
    }

    fn allowed(&self) -> Vec<&str> {
        match self.set {
            FieldSet::Intro => INTRO.to_vec(),
            FieldSet::Page(kind) | FieldSet::Translation(kind) => {
                let mut names: Vec<&str> = COMMON.to_vec();
                names.extend(schema_fields(kind.schema));
                names.extend(super::items::fields_of(kind.schema));
                if kind.tree {
                    names.push("parent");
                }
                // The pages of asks and offers are made from `[[asks]]`,
                // not named in lists.
                names.extend(
                    (self.config.kinds.iter())
                        .filter(|k| k.schema != crate::config::Schema::Item)
                        .map(|k| k.name.as_str()),
                );
                // A kind named like a field (`countries`) is said once.
                let mut seen = std::collections::HashSet::new();
                names.retain(|name| seen.insert(*name));
                names
            }
        }
    }

    /// Checks `front`; returns the fields, or every problem found.
    pub fn check(&self, front: &str) -> Result<Fields, Vec<Diagnostic>> {
        let (table, parse_errors) = DeTable::parse_recoverable(front);
        // The parser goes on after an error and finds more that follow
        // from it: one mistake is said once, where it is.
        if let Some(first) = parse_errors.first() {
            let e = super::toml_errors::explain(front, (first.message(), first.span()));
            let mut d = Diagnostic::error(e.message).code(Code::Toml);
            d = match e.span {
                Some(span) => d.at(self.at(span)),
                None => d.at(self.file.at(self.open.clone())),
            };
            if let Some(label) = e.label {
                d = d.label(label);
            }
            return Err(vec![d.hint(e.hint)]);
        }
        let mut read = Read::default();
        let mut errors = Vec::new();
        let allowed = self.allowed();
        for (key, value) in table.get_ref().iter() {
            let name: &str = key.get_ref();
            if !allowed.contains(&name) {
                errors.push(self.unknown_field(name, key.span(), &allowed));
                continue;
            }
            let (v, span) = (value.get_ref(), value.span());
            match name {
                "asks" => {
                    let items = self.items(ItemKind::Ask, v, span, &mut errors);
                    read.fields.items.extend(items);
                    continue;
                }
                "offers" => {
                    let items = self.items(ItemKind::Offer, v, span, &mut errors);
                    read.fields.items.extend(items);
                    continue;
                }
                "updates" => {
                    read.fields.updates = self.updates(v, span, &mut errors);
                    continue;
                }
                _ => {}
            }
            // A list named after a kind is a list of references, even when
            // the kind's name is also a field (`people`, `countries`): a
            // site that declares such a kind wants those names linked.
            let is_kind = matches!(self.set, FieldSet::Page(_) | FieldSet::Translation(_))
                && self.config.kind(name).is_some();
            let result = match is_kind {
                true => self.kind_field(name, value, &mut read),
                false => self.field(front, key, value, &allowed, &mut read),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        self.item_refs(&mut read);
        let title_written = table.get_ref().iter().any(|(k, _)| k.get_ref() == "title");
        self.check_whole(&read, title_written, &mut errors);
        if errors.is_empty() {
            Ok(read.fields)
        } else {
            Err(errors)
        }
    }

    /// A list of references to pages of the kind `name`.
    fn kind_field(
        &self,
        name: &str,
        value: &Spanned<DeValue<'_>>,
        read: &mut Read,
    ) -> Result<(), Diagnostic> {
        let fields = &mut read.fields;
        let ref_keys = &mut read.ref_keys;
        let v = self.strings(name, value.get_ref(), value.span())?;
        match name {
            "countries" => fields.countries = v.iter().map(|(s, _)| s.clone()).collect(),
            "people" => fields.people = v.iter().map(|(s, _)| s.clone()).collect(),
            _ => {}
        }
        for (slug, span) in v {
            if ref_keys.insert((name.to_string(), slug.clone())) {
                fields.refs.push(RefSite {
                    kind: name.to_string(),
                    slug,
                    span,
                });
            }
        }
        Ok(())
    }

    /// Any other field. Longer than most functions: one arm per field,
    /// the whole front matter's list in one place.
    fn field(
        &self,
        front: &str,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        allowed: &[&str],
        read: &mut Read,
    ) -> Result<(), Diagnostic> {
        let name: &str = key.get_ref();
        let span = value.span();
        let value = value.get_ref();
        let fields = &mut read.fields;
        let ref_keys = &mut read.ref_keys;
        let title_seen = &mut read.title_seen;
        match name {
            // Typographic quotes, like the body's.
            "title" => self.string(name, value, span).map(|s| {
                *title_seen = true;
                fields.title = smart(&s);
            }),
            "summary" => self
                .string(name, value, span)
                .map(|s| fields.summary = Some(smart(&s))),
            "location" => self
                .string(name, value, span)
                .map(|s| fields.location = Some(s)),
            "short" => self
                .string(name, value, span)
                .map(|s| fields.short = Some(s)),
            "country" => self.string(name, value, span.clone()).map(|s| {
                // An agency's country is a page of its own, like a
                // brief's countries.
                if self.config.kind(COUNTRIES).is_some()
                    && ref_keys.insert((COUNTRIES.to_string(), s.clone()))
                {
                    fields.refs.push(RefSite {
                        kind: COUNTRIES.to_string(),
                        slug: s.clone(),
                        span: self.absolute(span),
                    });
                }
                fields.country = Some(s);
            }),
            "website" => self
                .string(name, value, span)
                .map(|s| fields.website = Some(s)),
            "image" => self
                .string(name, value, span)
                .map(|s| fields.image = Some(s)),
            "government" => self
                .boolean(name, value, span)
                .map(|b| fields.government = b),
            "date" => self.date(name, value, span).map(|d| fields.date = Some(d)),
            "updated" => self
                .date(name, value, span)
                .map(|d| fields.updated = Some(d)),
            "end" => self.date(name, value, span).map(|d| fields.end = Some(d)),
            "status" => self.string(name, value, span.clone()).and_then(|text| {
                match super::page::Status::parse(&text) {
                    Some(status) => {
                        fields.status = Some(status);
                        Ok(())
                    }
                    None => Err(Diagnostic::error(format!("unknown status `{text}`"))
                        .at(self.at(span))
                        .label("not a status")
                        .hint(format!(
                            "a meeting's status is one of: {}",
                            super::page::Status::NAMES.join(", ")
                        ))),
                }
            }),
            "draft" => self.boolean(name, value, span).map(|b| fields.draft = b),
            "slug" => self.slug(value, span).map(|s| fields.slug = Some(s)),
            "path" => self.path(value, span).map(|p| fields.path = Some(p)),
            "aliases" => self.aliases(value, span).map(|v| fields.aliases = v),
            "countries" => self
                .strings(name, value, span)
                .map(|v| fields.countries = v.into_iter().map(|(s, _)| s).collect()),
            "people" => self
                .strings(name, value, span)
                .map(|v| fields.people = v.into_iter().map(|(s, _)| s).collect()),
            // A single `source` comes first, before any `sources`.
            "source" => self
                .source(name, value, span)
                .map(|s| fields.sources.insert(0, s)),
            "sources" => self
                .sources(value, span)
                .map(|list| fields.sources.extend(list)),
            "authors" => self
                .strings(name, value, span)
                .map(|v| fields.authors = v.into_iter().map(|(s, _)| s).collect()),
            "extra" => self.extra(front, value, span).map(|t| fields.extra = t),
            "parent" => self.string(name, value, span.clone()).map(|slug| {
                let kind = match self.set {
                    FieldSet::Page(kind) | FieldSet::Translation(kind) => kind.name.clone(),
                    FieldSet::Intro => String::new(),
                };
                fields.parent = Some(RefSite {
                    kind,
                    slug,
                    span: self.absolute(span),
                });
            }),
            // `allowed` holds fields and kind names; kinds were handled above.
            other => Err(self.unknown_field(other, key.span(), allowed)),
        }
    }

    /// What only all the fields together say: a title, a date where the
    /// kind needs one, an end after the start.
    fn check_whole(&self, read: &Read, title_written: bool, errors: &mut Vec<Diagnostic>) {
        let fields = &read.fields;
        if !read.title_seen
            && !title_written
            && matches!(self.set, FieldSet::Page(_) | FieldSet::Translation(_))
        {
            errors.push(
                Diagnostic::error("missing `title`")
                    .code(Code::MissingField)
                    .at(self.file.at(self.open.clone()))
                    .label("this front matter has no title")
                    .hint("add a line `title = \"...\"` between the `+++` lines"),
            );
        }
        if let FieldSet::Page(kind) = self.set
            && kind.date_required
            && fields.date.is_none()
            && !errors.iter().any(|e| e.code == Code::BadDate)
        {
            errors.push(
                Diagnostic::error(format!(
                    "missing `date`: every {} needs one",
                    kind.singular.to_lowercase()
                ))
                .code(Code::MissingField)
                .at(self.file.at(self.open.clone()))
                .label("this front matter has no date")
                .hint("add `date = 2025-06-10`, or with a time `date = 2025-06-10T10:00:00+09:00`"),
            );
        }
        if let (Some(date), Some(end)) = (&fields.date, &fields.end)
            && end.get_ref() < date.get_ref()
        {
            errors.push(
                Diagnostic::error("`end` is before `date`")
                    .at(self.file.at(end.span()))
                    .label(format!("ends before it starts ({})", date.get_ref()))
                    .hint("`end` is when the meeting ends; check the day, the time and the UTC offset"),
            );
        }
    }

    /// A page names the pages of the asks and offers it raises or
    /// updates: they link back to it, and an update of an unknown item is
    /// an unknown reference, said where its id is.
    fn item_refs(&self, read: &mut Read) {
        if !matches!(self.set, FieldSet::Page(_)) {
            return;
        }
        let Some(kind) = self.config.items_kind() else {
            return;
        };
        let fields = &mut read.fields;
        let ids = (fields.items.iter().map(|i| &i.id)).chain(fields.updates.iter().map(|u| &u.id));
        for id in ids {
            if read
                .ref_keys
                .insert((kind.name.clone(), id.get_ref().clone()))
            {
                fields.refs.push(RefSite {
                    kind: kind.name.clone(),
                    slug: id.get_ref().clone(),
                    span: id.span(),
                });
            }
        }
    }

    pub(super) fn absolute(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    fn unknown_field(&self, name: &str, span: Range<usize>, allowed: &[&str]) -> Diagnostic {
        let mut hint = foreign_field(name)
            .map(str::to_string)
            .or_else(|| did_you_mean(name, allowed.iter().copied()))
            .unwrap_or_default();
        if !hint.is_empty() {
            hint.push(' ');
        }
        match self.set {
            FieldSet::Page(kind) | FieldSet::Translation(kind) => hint.push_str(&format!(
                "a {} can have: {}; put your own data under [extra]",
                kind.singular.to_lowercase(),
                allowed.join(", ")
            )),
            FieldSet::Intro => hint.push_str("an _index.md can have: title, summary, [extra]"),
        }
        Diagnostic::error(format!("unknown field `{name}`"))
            .code(Code::UnknownField)
            .at(self.at(span))
            .label("not a field of this page")
            .hint(hint)
    }
}

/// What a field of Zola's or Hugo's front matter is in attache, for a
/// site moved over (docs/migrating.md).
fn foreign_field(name: &str) -> Option<&'static str> {
    Some(match name {
        "description" => "`description` is `summary` in attache.",
        "author" => "`author` is `authors = [\"…\"]` in attache.",
        "lastmod" => "`lastmod` is `updated` in attache.",
        "url" => "`url` is `path` in attache: `path = \"/about/\"`.",
        "weight" | "template" | "sort_by" | "render" | "in_search_index" | "layout" | "type" => {
            "attache has no such field: a page's order is its kind's `sort_by` in attache.toml, its template the kind's (docs/migrating.md)."
        }
        "taxonomies" => {
            "a taxonomy is a kind in attache: `tags = [\"…\"]` with `[kinds.tags]` and `stubs = true` in attache.toml (docs/migrating.md)."
        }
        "publishDate" | "expiryDate" | "publishdate" | "expirydate" => {
            "attache has no publishing dates yet: keep the page a draft (`draft = true`) until it is due."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
