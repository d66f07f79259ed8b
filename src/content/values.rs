//! Reading typed values out of front matter: each reader returns the value
//! or a diagnostic at the value's span saying what was expected.

use std::ops::Range;

use super::page::Spanned;
use toml::de::DeValue;

use super::date::PageDate;
use super::fields::{Checker, FieldSet};
use super::page::Source;
use crate::diagnostic::{Code, Diagnostic};
use crate::urls::{alias_file, is_valid_slug, reserved_on_windows, slugify};

impl Checker<'_> {
    pub(super) fn wrong_type(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
        expected: &str,
        example: &str,
    ) -> Diagnostic {
        Diagnostic::error(format!("`{name}` must be {expected}"))
            .code(field_code(name))
            .at(self.at(span))
            .label(format!("this is {}", describe(value)))
            .hint(format!("write it like {example}"))
    }

    pub(super) fn string(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<String, Diagnostic> {
        match value {
            DeValue::String(s) => self.printable(name, s, span),
            other => {
                Err(self.wrong_type(name, other, span, "a string", &format!("{name} = \"...\"")))
            }
        }
    }

    /// A text field as written, unless it holds a control character
    /// (NUL, escape, bell…): such a character is invalid in XML feeds and
    /// garbles HTML, so it is reported rather than published.
    fn printable(&self, name: &str, text: &str, span: Range<usize>) -> Result<String, Diagnostic> {
        match text
            .chars()
            .find(|&c| crate::markdown::is_forbidden_control(c))
        {
            None => Ok(text.to_string()),
            Some(c) => Err(Diagnostic::error(format!(
                "`{name}` holds the control character U+{:04X}",
                u32::from(c)
            ))
            .code(field_code(name))
            .at(self.at(span))
            .label("not printable text")
            .hint("remove it (in TOML it is written as an escape such as \\u0007)")),
        }
    }

    pub(super) fn boolean(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<bool, Diagnostic> {
        match value {
            DeValue::Boolean(b) => Ok(*b),
            other => Err(self.wrong_type(
                name,
                other,
                span,
                "true or false",
                &format!("{name} = true"),
            )),
        }
    }

    pub(super) fn date(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Spanned<PageDate>, Diagnostic> {
        let parsed = match value {
            DeValue::Datetime(dt) => PageDate::from_toml(dt),
            DeValue::String(s) => PageDate::parse(s),
            other => {
                return Err(self.wrong_type(
                    name,
                    other,
                    span,
                    "a date",
                    &format!("{name} = 2025-06-10 or {name} = 2025-06-10T10:00:00+09:00"),
                ));
            }
        };
        parsed
            .map(|d| Spanned::new(self.absolute(span.clone()), d))
            .map_err(|why| {
                Diagnostic::error(format!("bad `{name}`: {why}"))
                    .code(field_code(name))
                    .at(self.at(span))
                    .label("not a usable date")
                    .hint(format!("write {name} = 2025-06-10, or with a time {name} = 2025-06-10T10:00:00+09:00"))
            })
    }

    pub(super) fn slug(
        &self,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Spanned<String>, Diagnostic> {
        let slug = self.string("slug", value, span.clone())?;
        if !is_valid_slug(&slug) {
            return Err(Diagnostic::error(format!("`{slug}` is not a valid slug"))
                .at(self.at(span))
                .label("slugs are lowercase letters, digits, `-`, `_` and `.`")
                .hint(match slugify(&slug) {
                    s if s.is_empty() => {
                        "a slug needs letters or digits, such as slug = \"tokyo-talks\"".to_string()
                    }
                    s => format!("write slug = \"{s}\""),
                }));
        }
        if reserved_on_windows(&slug) {
            return Err(reserved(&slug)
                .at(self.at(span))
                .label("Windows reserves this name")
                .hint(format!("write slug = \"{}\"", unreserved(&slug))));
        }
        Ok(Spanned::new(self.absolute(span), slug))
    }

    /// Where the page is published: a path of the site made of slugs,
    /// kept as `a/b/` (Zola's `path`, Hugo's `url`).
    pub(super) fn path(
        &self,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Spanned<String>, Diagnostic> {
        if let FieldSet::Translation(_) = self.set {
            return Err(Diagnostic::error("a translation cannot set `path`")
                .at(self.at(span))
                .label("a translation is published at its page's path")
                .hint("remove `path` here: the page's path, under the language's folder (`/ja/…`), is the translation's"));
        }
        let path = self.string("path", value, span.clone())?;
        let trimmed = path.trim().trim_matches('/');
        let parts: Vec<&str> = trimmed.split('/').collect();
        if trimmed.is_empty() || !parts.iter().all(|p| is_valid_slug(p)) {
            let fixed: Vec<String> = parts
                .iter()
                .map(|p| slugify(p))
                .filter(|p| !p.is_empty())
                .collect();
            return Err(Diagnostic::error(format!("`{path}` is not a path for a page"))
                .at(self.at(span))
                .label("a path is slugs joined by `/`: lowercase letters, digits, `-`, `_` and `.`")
                .hint(match fixed.is_empty() {
                    true => "write a path such as path = \"/about/\"; the home page is content/_index.md".to_string(),
                    false => format!("write path = \"/{}/\"", fixed.join("/")),
                }));
        }
        if let Some(part) = parts.iter().find(|p| reserved_on_windows(p)) {
            return Err(reserved(part)
                .at(self.at(span))
                .label(format!("Windows reserves `{part}`"))
                .hint(format!(
                    "write path = \"/{}/\"",
                    parts
                        .iter()
                        .map(|p| unreserved(p))
                        .collect::<Vec<_>>()
                        .join("/")
                )));
        }
        Ok(Spanned::new(self.absolute(span), format!("{trimmed}/")))
    }

    /// An array of strings, each with its absolute span.
    pub(super) fn strings(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Vec<(String, Range<usize>)>, Diagnostic> {
        let example = format!("{name} = [\"first\", \"second\"]");
        let DeValue::Array(items) = value else {
            return Err(self.wrong_type(name, value, span, "a list of strings", &example));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    let text = self.printable(name, s, item.span())?;
                    out.push((text, self.absolute(item.span())));
                }
                other => {
                    return Err(self.wrong_type(
                        name,
                        other,
                        item.span(),
                        "a list of strings",
                        &example,
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Old URLs of the page; each must be a path this site can serve.
    pub(super) fn aliases(
        &self,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Vec<Spanned<String>>, Diagnostic> {
        let mut out = Vec::new();
        for (alias, range) in self.strings("aliases", value, span)? {
            if let Err(why) = alias_file(&alias) {
                return Err(Diagnostic::error(format!("bad alias `{alias}`: {why}"))
                    .at(self.file.at(range))
                    .hint(
                        "write the old path of the page, like aliases = [\"/briefs/old-name/\"]",
                    ));
            }
            if let Some(part) = alias.split('/').find(|p| reserved_on_windows(p)) {
                return Err(reserved(part)
                    .at(self.file.at(range))
                    .label(format!("Windows reserves `{part}`"))
                    .hint("an old URL with this name cannot be kept as an alias; redirect it on the host instead"));
            }
            out.push(Spanned::new(range, alias));
        }
        Ok(out)
    }

    /// `source = { name, url, date }`: where a brief's facts come from.
    pub(super) fn source(
        &self,
        field: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Source, Diagnostic> {
        let example = "{ name = \"Arab News\", url = \"https://...\", date = 2025-07-17 }";
        let DeValue::Table(table) = value else {
            return Err(self.wrong_type(
                field,
                value,
                span,
                "a table",
                &format!("{field} = {example}"),
            ));
        };
        let mut source = Source::default();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let path = format!("{field}.{name}");
            match name {
                "name" => source.name = Some(self.string(&path, value.get_ref(), value.span())?),
                "url" => source.url = Some(self.string(&path, value.get_ref(), value.span())?),
                "date" => {
                    source.date = Some(
                        self.date(&path, value.get_ref(), value.span())?
                            .into_inner(),
                    )
                }
                other => {
                    return Err(
                        Diagnostic::error(format!("unknown field `{field}.{other}`"))
                            .at(self.at(key.span()))
                            .hint(format!("a source has `name`, `url` and `date`: {example}")),
                    );
                }
            }
        }
        Ok(source)
    }

    /// `sources = [{ name, url, date }, ...]`.
    pub(super) fn sources(
        &self,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<Vec<Source>, Diagnostic> {
        let DeValue::Array(items) = value else {
            return Err(self.wrong_type(
                "sources",
                value,
                span,
                "a list of tables",
                "sources = [{ name = \"Arab News\", url = \"https://...\" }]",
            ));
        };
        items
            .iter()
            .map(|item| self.source("sources", item.get_ref(), item.span()))
            .collect()
    }

    /// `[extra]` is free-form: it is read again with serde to keep every
    /// TOML value type exactly.
    pub(super) fn extra(
        &self,
        front: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<toml::Table, Diagnostic> {
        if !matches!(value, DeValue::Table(_)) {
            return Err(self.wrong_type(
                "extra",
                value,
                span,
                "a table",
                "[extra] on its own line, then key = value lines",
            ));
        }
        let mut whole: toml::Table = toml::from_str(front).map_err(|e| {
            Diagnostic::error(format!("invalid TOML: {}", e.message())).at(self.at(span.clone()))
        })?;
        match whole.remove("extra") {
            Some(toml::Value::Table(mut t)) => {
                t.iter_mut().for_each(|(_, v)| replace_controls(v));
                Ok(t)
            }
            _ => Ok(toml::Table::new()),
        }
    }
}

/// Free-form `[extra]` text keeps everything but control characters,
/// which become U+FFFD as they do in the body.
fn replace_controls(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) => {
            if let Some(clean) = crate::markdown::replace_controls(s) {
                *s = clean;
            }
        }
        toml::Value::Array(items) => items.iter_mut().for_each(replace_controls),
        toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| replace_controls(v)),
        _ => {}
    }
}

/// The code of a problem with the value of field `name`.
fn field_code(name: &str) -> Code {
    if name == "date" {
        Code::BadDate
    } else {
        Code::BadField
    }
}

/// "a string", "an integer", ... for messages.
fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// The error for a page whose URL would hold `name`, a name Windows
/// reserves (see [`reserved_on_windows`]): a slug, a path, an alias, a
/// file name, or the name of a stub page (see `crate::link::stubs`).
pub fn reserved(name: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "`{name}` cannot be part of a page's URL: Windows reserves the name, so the site could not be built, checked out or served there"
    ))
}

/// `name` changed so that Windows does not reserve it.
pub fn unreserved(name: &str) -> String {
    match reserved_on_windows(name) {
        true => format!("{}-page", name.trim_end_matches('.')),
        false => name.to_string(),
    }
}
