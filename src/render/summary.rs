//! The values that stand for a page and for the site in templates: a
//! page's summary (what lists, references and backlinks show of it) and
//! `site`.

use tera::Value;

use super::feed;
use super::values::{from_toml_table, list, map, opt_str};
use crate::content::date::PageDate;
use crate::content::page::Status;
use crate::content::pages::PageId;
use crate::site::Site;
use crate::urls::kind_list_path;

fn date_value(date: Option<&crate::content::Spanned<PageDate>>) -> Value {
    date.map_or_else(Value::none, |d| Value::from(d.get_ref().to_string()))
}

/// A page's status as lists, pages and data show it: an event's always
/// (confirmed unless written or dated by month only), another page's only
/// when written.
pub fn shown_status(
    kind: Option<&crate::config::Kind>,
    f: &crate::content::Fields,
) -> Option<&'static str> {
    let events = kind.is_some_and(|k| k.role == Some(crate::config::Role::Events));
    let date = f.date.as_ref().map(|d| *d.get_ref());
    (events || f.status.is_some()).then(|| Status::of(f.status, date.as_ref()).name())
}

/// What every list, reference and backlink shows of a page.
pub fn summary(site: &Site, id: PageId) -> Value {
    summary_with(site, id, Vec::new())
}

/// A page's summary and then the entries `more`, made as one map (where
/// [`super::values::map_with`] on a summary copies every entry again).
///
/// Long: one entry per field of a page's summary in docs/templates.md.
pub fn summary_with(site: &Site, id: PageId, more: Vec<(&'static str, Value)>) -> Value {
    let page = site.page(id);
    let f = &page.fields;
    let kind = site.config.kind(page.kind());
    let path = page.url_path();
    let summary_text = page.summary();
    let date = f.date.as_ref().map(|d| *d.get_ref());
    let source_value = |s: &crate::content::page::Source| {
        map([
            ("name", opt_str(s.name.as_deref())),
            ("url", opt_str(s.url.as_deref())),
            ("date", opt_str(s.date.map(|d| d.to_string()).as_deref())),
        ])
    };
    let sources: Vec<Value> = f.sources.iter().map(source_value).collect();
    let source = sources.first().cloned().unwrap_or_else(Value::none);
    let mut entries = vec![
        ("kind", Value::from(page.kind())),
        (
            "kind_singular",
            Value::from(kind.map_or("", |k| k.singular.as_str())),
        ),
        (
            "kind_title",
            Value::from(kind.map_or("", |k| k.title.as_str())),
        ),
        (
            "kind_url",
            Value::from(site.base_url().link(&kind_list_path(page.kind()))),
        ),
        ("slug", Value::from(page.slug())),
        ("title", Value::from(f.title.as_str())),
        ("name", Value::from(page.name())),
        ("url", Value::from(site.base_url().link(&path))),
        ("permalink", Value::from(site.base_url().permalink(&path))),
        ("date", date_value(f.date.as_ref())),
        ("updated", date_value(f.updated.as_ref())),
        ("end", date_value(f.end.as_ref())),
        ("all_day", Value::from(date.is_some_and(|d| d.is_day()))),
        // `month` for a date not yet fixed ("2025-12"), `day`, or `time`.
        ("precision", opt_str(date.map(|d| d.precision()))),
        // A meeting's: confirmed, tentative, postponed or cancelled.
        ("status", opt_str(shown_status(kind, f))),
        ("time", opt_str(date.and_then(|d| d.time_text()).as_deref())),
        (
            "utc_offset",
            opt_str(date.and_then(|d| d.offset_text()).as_deref()),
        ),
        ("summary", Value::from(summary_text)),
        // The summary the writer gave, if any: the body does not repeat it,
        // where the summary taken from the body's first paragraph would be
        // shown twice.
        (
            "lede",
            opt_str(f.summary.as_deref().filter(|s| !s.trim().is_empty())),
        ),
        ("draft", Value::from(f.draft)),
        ("stub", Value::from(page.stub)),
        ("location", opt_str(f.location.as_deref())),
        (
            "countries",
            list(
                f.countries
                    .iter()
                    .map(|c| Value::from(c.as_str()))
                    .collect(),
            ),
        ),
        // The first of `sources` (a single `source` is the first).
        ("source", source),
        ("sources", list(sources)),
        (
            "authors",
            list(f.authors.iter().map(|a| Value::from(a.as_str())).collect()),
        ),
        (
            "people",
            list(f.people.iter().map(|p| Value::from(p.as_str())).collect()),
        ),
        ("short", opt_str(f.short.as_deref())),
        ("country", opt_str(f.country.as_deref())),
        ("website", opt_str(f.website.as_deref())),
        ("extra", from_toml_table(&f.extra)),
    ];
    entries.extend(more);
    map(entries)
}

/// `site` in every template, from `config` (in another language, as
/// [`crate::config::Language::localize`] made it, and `lang` its code:
/// then the home page, lists and feed are that language's own, under
/// `<lang>/`).
pub fn site_value(config: &crate::config::Config, lang: Option<&str>) -> Value {
    let base = &config.base_url;
    let localize = |path: &str| match lang {
        Some(lang) => format!("{lang}/{path}"),
        None => path.to_string(),
    };
    let kind_value = |k: &crate::config::Kind| {
        map([
            ("name", Value::from(k.name.as_str())),
            ("title", Value::from(k.title.as_str())),
            ("singular", Value::from(k.singular.as_str())),
            (
                "url",
                Value::from(base.link(&localize(&kind_list_path(&k.name)))),
            ),
        ])
    };
    let kinds: Vec<Value> = config.kinds.iter().map(kind_value).collect();
    map([
        ("title", Value::from(config.title.as_str())),
        ("description", Value::from(config.description.as_str())),
        ("language", Value::from(lang.unwrap_or(&config.language))),
        ("base_url", Value::from(base.to_string())),
        ("url", Value::from(base.link(&localize("")))),
        ("kinds", list(kinds)),
        // The kinds with the roles entries and events (briefs, meetings).
        (
            "entries",
            config.entries().map_or_else(Value::none, kind_value),
        ),
        (
            "events",
            config.events().map_or_else(Value::none, kind_value),
        ),
        (
            "search_url",
            if config.search.enabled {
                Value::from(base.link(&localize(crate::render::search::PAGE_PATH)))
            } else {
                Value::none()
            },
        ),
        (
            "feed_url",
            if config.feeds.enabled {
                Value::from(base.permalink(&localize(&feed::site_feed_path())))
            } else {
                Value::none()
            },
        ),
        ("extra", from_toml_table(&config.extra)),
    ])
}
