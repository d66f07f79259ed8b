//! Checks front matter field by field, reporting every problem with its span.
//!
//! serde would stop at the first bad field; a writer fixing a brief wants
//! to see all of them, each pointing at its own line.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::date::PageDate;
use super::page::{Fields, RefSite, Source};
use crate::config::{Config, Kind, Schema};
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean};
use crate::urls::{alias_file, is_valid_slug, slugify};

/// Which fields a file may have.
#[derive(Debug, Clone, Copy)]
pub enum FieldSet<'a> {
    Page(&'a Kind),
    /// `_index.md`: only title, summary and extra.
    Intro,
}

const COMMON: &[&str] = &[
    "title", "date", "updated", "summary", "draft", "slug", "aliases", "extra",
];
const INTRO: &[&str] = &["title", "summary", "extra"];

fn schema_fields(schema: Schema) -> &'static [&'static str] {
    match schema {
        Schema::Brief => &["location", "countries", "source"],
        Schema::Meeting => &["end", "location", "people"],
        Schema::Agency => &["short", "country", "website"],
        Schema::Sector | Schema::Generic => &[],
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

impl Checker<'_> {
    fn at(&self, span: Range<usize>) -> crate::diagnostic::Location {
        self.file
            .at(span.start + self.offset..span.end + self.offset)
    }

    fn allowed(&self) -> Vec<&str> {
        match self.set {
            FieldSet::Intro => INTRO.to_vec(),
            FieldSet::Page(kind) => {
                let mut names: Vec<&str> = COMMON.to_vec();
                names.extend(schema_fields(kind.schema));
                if kind.tree {
                    names.push("parent");
                }
                names.extend(self.config.kind_names());
                names
            }
        }
    }

    /// Checks `front`; returns the fields, or every problem found.
    pub fn check(&self, front: &str) -> Result<Fields, Vec<Diagnostic>> {
        let (table, parse_errors) = DeTable::parse_recoverable(front);
        if !parse_errors.is_empty() {
            return Err(parse_errors
                .into_iter()
                .map(|e| {
                    let mut d = Diagnostic::error(format!("invalid TOML: {}", e.message().trim()));
                    if let Some(span) = e.span() {
                        d = d.at(self.at(span));
                    }
                    d.hint("front matter is TOML: `key = \"text\"`, `key = 2025-06-10`, `key = [\"a\", \"b\"]`")
                })
                .collect());
        }

        let mut fields = Fields::default();
        let mut errors = Vec::new();
        let mut title_seen = false;
        let allowed = self.allowed();
        for (key, value) in table.get_ref().iter() {
            let name: &str = key.get_ref();
            let span = value.span();
            let value = value.get_ref();
            if !allowed.contains(&name) {
                errors.push(self.unknown_field(name, key.span(), &allowed));
                continue;
            }
            // A list named after a kind is a list of references, even when
            // the kind's name is also a field (`people`, `countries`): a
            // site that declares such a kind wants those names linked.
            let is_kind = matches!(self.set, FieldSet::Page(_)) && self.config.kind(name).is_some();
            if is_kind {
                match self.strings(name, value, span) {
                    Ok(v) => {
                        match name {
                            "countries" => {
                                fields.countries = v.iter().map(|(s, _)| s.clone()).collect()
                            }
                            "people" => fields.people = v.iter().map(|(s, _)| s.clone()).collect(),
                            _ => {}
                        }
                        for (slug, span) in v {
                            let duplicate =
                                fields.refs.iter().any(|r| r.kind == name && r.slug == slug);
                            if !duplicate {
                                fields.refs.push(RefSite {
                                    kind: name.to_string(),
                                    slug,
                                    span,
                                });
                            }
                        }
                    }
                    Err(e) => errors.push(e),
                }
                continue;
            }
            let result: Result<(), Diagnostic> = match name {
                "title" => self.string(name, value, span).map(|s| {
                    title_seen = true;
                    fields.title = s;
                }),
                "summary" => self
                    .string(name, value, span)
                    .map(|s| fields.summary = Some(s)),
                "location" => self
                    .string(name, value, span)
                    .map(|s| fields.location = Some(s)),
                "short" => self
                    .string(name, value, span)
                    .map(|s| fields.short = Some(s)),
                "country" => self
                    .string(name, value, span)
                    .map(|s| fields.country = Some(s)),
                "website" => self
                    .string(name, value, span)
                    .map(|s| fields.website = Some(s)),
                "date" => self.date(name, value, span).map(|d| fields.date = Some(d)),
                "updated" => self
                    .date(name, value, span)
                    .map(|d| fields.updated = Some(d)),
                "end" => self.date(name, value, span).map(|d| fields.end = Some(d)),
                "draft" => self.boolean(name, value, span).map(|b| fields.draft = b),
                "slug" => self.slug(value, span).map(|s| fields.slug = Some(s)),
                "aliases" => self.aliases(value, span).map(|v| fields.aliases = v),
                "countries" => self
                    .strings(name, value, span)
                    .map(|v| fields.countries = v.into_iter().map(|(s, _)| s).collect()),
                "people" => self
                    .strings(name, value, span)
                    .map(|v| fields.people = v.into_iter().map(|(s, _)| s).collect()),
                "source" => self.source(value, span).map(|s| fields.source = Some(s)),
                "extra" => self.extra(front, value, span).map(|t| fields.extra = t),
                "parent" => self.string(name, value, span.clone()).map(|slug| {
                    let kind = match self.set {
                        FieldSet::Page(kind) => kind.name.clone(),
                        FieldSet::Intro => String::new(),
                    };
                    fields.parent = Some(RefSite {
                        kind,
                        slug,
                        span: self.absolute(span),
                    });
                }),
                // `allowed` holds fields and kind names; kinds were handled above.
                other => Err(self.unknown_field(other, key.span(), &allowed)),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }

        let title_written = table.get_ref().iter().any(|(k, _)| k.get_ref() == "title");
        if !title_seen && !title_written && matches!(self.set, FieldSet::Page(_)) {
            errors.push(
                Diagnostic::error("missing `title`")
                    .at(self.file.at(self.open.clone()))
                    .label("this front matter has no title")
                    .hint("add a line `title = \"...\"` between the `+++` lines"),
            );
        }
        if let FieldSet::Page(kind) = self.set
            && kind.date_required
            && fields.date.is_none()
            && !errors.iter().any(|e| e.message.contains("`date`"))
        {
            errors.push(
                Diagnostic::error(format!(
                    "missing `date`: every {} needs one",
                    kind.singular.to_lowercase()
                ))
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
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(errors)
        }
    }

    fn absolute(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    fn unknown_field(&self, name: &str, span: Range<usize>, allowed: &[&str]) -> Diagnostic {
        let mut hint = did_you_mean(name, allowed.iter().copied()).unwrap_or_default();
        if !hint.is_empty() {
            hint.push(' ');
        }
        match self.set {
            FieldSet::Page(kind) => hint.push_str(&format!(
                "a {} can have: {}; put your own data under [extra]",
                kind.singular.to_lowercase(),
                allowed.join(", ")
            )),
            FieldSet::Intro => hint.push_str("an _index.md can have: title, summary, [extra]"),
        }
        Diagnostic::error(format!("unknown field `{name}`"))
            .at(self.at(span))
            .label("not a field of this page")
            .hint(hint)
    }

    fn wrong_type(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
        expected: &str,
        example: &str,
    ) -> Diagnostic {
        Diagnostic::error(format!("`{name}` must be {expected}"))
            .at(self.at(span))
            .label(format!("this is {}", describe(value)))
            .hint(format!("write it like {example}"))
    }

    fn string(
        &self,
        name: &str,
        value: &DeValue<'_>,
        span: Range<usize>,
    ) -> Result<String, Diagnostic> {
        match value {
            DeValue::String(s) => Ok(s.to_string()),
            other => {
                Err(self.wrong_type(name, other, span, "a string", &format!("{name} = \"...\"")))
            }
        }
    }

    fn boolean(
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

    fn date(
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
                    .at(self.at(span))
                    .label("not a usable date")
                    .hint(format!("write {name} = 2025-06-10, or with a time {name} = 2025-06-10T10:00:00+09:00"))
            })
    }

    fn slug(&self, value: &DeValue<'_>, span: Range<usize>) -> Result<Spanned<String>, Diagnostic> {
        let slug = self.string("slug", value, span.clone())?;
        if is_valid_slug(&slug) {
            Ok(Spanned::new(self.absolute(span), slug))
        } else {
            Err(Diagnostic::error(format!("`{slug}` is not a valid slug"))
                .at(self.at(span))
                .label("slugs are lowercase letters, digits, `-`, `_` and `.`")
                .hint(format!("write slug = \"{}\"", slugify(&slug))))
        }
    }

    /// An array of strings, each with its absolute span.
    fn strings(
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
                DeValue::String(s) => out.push((s.to_string(), self.absolute(item.span()))),
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
    fn aliases(
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
            out.push(Spanned::new(range, alias));
        }
        Ok(out)
    }

    fn source(&self, value: &DeValue<'_>, span: Range<usize>) -> Result<Source, Diagnostic> {
        let example = "source = { name = \"Arab News\", url = \"https://...\" }";
        let DeValue::Table(table) = value else {
            return Err(self.wrong_type("source", value, span, "a table", example));
        };
        let mut source = Source::default();
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            match name {
                "name" => {
                    source.name = Some(self.string("source.name", value.get_ref(), value.span())?)
                }
                "url" => {
                    source.url = Some(self.string("source.url", value.get_ref(), value.span())?)
                }
                other => {
                    return Err(Diagnostic::error(format!("unknown field `source.{other}`"))
                        .at(self.at(key.span()))
                        .hint(format!("a source has `name` and `url`: {example}")));
                }
            }
        }
        Ok(source)
    }

    /// `[extra]` is free-form: it is read again with serde to keep every
    /// TOML value type exactly.
    fn extra(
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
            Some(toml::Value::Table(t)) => Ok(t),
            _ => Ok(toml::Table::new()),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CONFIG_FILE;

    fn config() -> Config {
        Config::parse(SourceFile::new(
            CONFIG_FILE,
            "title = \"T\"\nbase_url = \"https://e.org/\"\n",
        ))
        .unwrap()
    }

    fn check(kind: &str, text: &str) -> Result<Fields, Vec<Diagnostic>> {
        let config = config();
        let file = SourceFile::new(format!("content/{kind}/x.md"), text);
        let split = super::super::frontmatter::split(&file.text).unwrap();
        let checker = Checker {
            file: &file,
            config: &config,
            set: FieldSet::Page(config.kind(kind).unwrap()),
            offset: split.front_offset,
            open: split.open.clone(),
        };
        checker.check(split.front)
    }

    #[test]
    fn a_full_brief_is_read() {
        let f = check(
            "briefs",
            "+++\ntitle = \"A\"\ndate = 2025-06-10\nagencies = [\"jica\", \"jetro\", \"jica\"]\n\
             sectors = [\"minerals\"]\nsource = { name = \"N\", url = \"https://n\" }\n\
             [extra]\nscore = 3\n+++\nBody",
        )
        .unwrap();
        assert_eq!(f.title, "A");
        assert_eq!(f.date.unwrap().into_inner().to_string(), "2025-06-10");
        let refs: Vec<_> = f
            .refs
            .iter()
            .map(|r| format!("{}/{}", r.kind, r.slug))
            .collect();
        assert_eq!(
            refs,
            ["agencies/jica", "agencies/jetro", "sectors/minerals"]
        );
        assert_eq!(f.source.unwrap().name.as_deref(), Some("N"));
        assert_eq!(f.extra["score"].as_integer(), Some(3));
    }

    #[test]
    fn reference_spans_point_at_the_slug() {
        let text = "+++\ntitle = \"A\"\ndate = 2025-06-10\nagencies = [\"jica\"]\n+++\n";
        let f = check("briefs", text).unwrap();
        assert_eq!(&text[f.refs[0].span.clone()], "\"jica\"");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = check(
            "briefs",
            "+++\ntitle = 3\ndate = \"someday\"\nagencise = [\"jica\"]\ndraft = \"yes\"\n+++\n",
        )
        .unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`title` must be a string",
                "bad `date`: `someday` is not a date; write 2025-06-10 or 2025-06-10T10:00:00+09:00",
                "unknown field `agencise`",
                "`draft` must be true or false",
            ]
        );
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
        assert!(
            errors[2]
                .hint
                .as_ref()
                .unwrap()
                .starts_with("did you mean `agencies`?")
        );
    }

    #[test]
    fn an_end_before_the_date_is_an_error_at_the_end() {
        let text = "+++\ntitle = \"M\"\ndate = 2025-06-10T10:00:00+09:00\nend = 2025-06-10T09:00:00+09:00\n+++\n";
        let e = check("meetings", text).unwrap_err();
        assert_eq!(e[0].message, "`end` is before `date`");
        assert_eq!(e[0].location.as_ref().unwrap().line, 4);
        // The same moment written in another offset is not before.
        let ok = "+++\ntitle = \"M\"\ndate = 2025-06-10T10:00:00+09:00\nend = 2025-06-10T02:00:00+00:00\n+++\n";
        assert!(check("meetings", ok).is_ok());
    }

    #[test]
    fn missing_title_and_date_point_at_the_opening_line() {
        let errors = check("meetings", "\n+++\nlocation = \"Tokyo\"\n+++\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        for e in &errors {
            let loc = e.location.as_ref().unwrap();
            assert_eq!((loc.line, loc.column), (2, 1));
        }
    }

    #[test]
    fn kind_specific_fields_belong_to_their_kind() {
        assert!(check("agencies", "+++\ntitle = \"A\"\nshort = \"JICA\"\n+++\n").is_ok());
        let e = check(
            "briefs",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\nshort = \"X\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(e[0].message, "unknown field `short`");
        assert!(
            check(
                "sectors",
                "+++\ntitle = \"A\"\nparent = \"minerals\"\n+++\n"
            )
            .is_ok()
        );
    }

    #[test]
    fn toml_syntax_errors_are_located_in_the_file() {
        let e = check("briefs", "+++\ntitle = \"A\ndate = 2025-06-10\n+++\n").unwrap_err();
        assert!(e[0].message.starts_with("invalid TOML"), "{}", e[0].message);
        assert_eq!(e[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn bad_slugs_get_a_slugified_hint() {
        let e = check(
            "agencies",
            "+++\ntitle = \"A\"\nslug = \"My Agency\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(e[0].hint.as_deref(), Some("write slug = \"my-agency\""));
    }
}
