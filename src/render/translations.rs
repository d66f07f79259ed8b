//! What templates get for a page in another language: the page's own
//! values with the translation's words over them, the site's title in
//! that language, and the page's alternates in every language (for
//! `hreflang` links and the language switcher).

use tera::Value;

use super::reader::Reader;
use super::values::{html, list, map, map_with, opt_str};
use crate::content::Translation;
use crate::content::pages::PageId;
use crate::markdown::Outline;

/// What lists show of page `id` in the render's language: its summary
/// (`summary`) with its kind's names in the language and, when it has a
/// translation `t`, the translation's title, summary, short name and URL.
pub fn summary_value(r: &Reader, id: PageId, summary: Value, t: Option<&Translation>) -> Value {
    // Each over the summary's own entry of that name, in its place.
    let mut over: Vec<(&'static str, Value)> = Vec::new();
    let key = r.key(id);
    if let Some(kind) = r.kind(&key.kind) {
        let list = r.localize(&crate::urls::kind_list_path(&key.kind));
        over.extend([
            ("kind_title", Value::from(kind.title.as_str())),
            ("kind_singular", Value::from(kind.singular.as_str())),
            ("kind_url", Value::from(r.base_url().link(&list))),
        ]);
    }
    if let Some(t) = t {
        let f = &t.fields;
        let path = format!("{}/{}", t.lang, r.page(id).url_path());
        over.push(("title", Value::from(f.title.as_str())));
        over.push(("name", Value::from(f.short.as_deref().unwrap_or(&f.title))));
        if let Some(short) = &f.short {
            over.push(("short", Value::from(short.as_str())));
        }
        over.push(("summary", Value::from(t.summary())));
        if let Some(location) = &f.location {
            over.push(("location", Value::from(location.as_str())));
        }
        over.extend([
            ("url", Value::from(r.base_url().link(&path))),
            ("permalink", Value::from(r.base_url().permalink(&path))),
            ("lang", Value::from(t.lang.as_str())),
        ]);
    }
    map_with(&summary, &over)
}

/// `page` for translation `t`: the page's values (`page_value`), with the
/// translation's title, summary and other words, its body (`content`,
/// shortcodes expanded; `outline` from its Markdown), and its URL.
pub fn page_value(
    r: &Reader,
    page_value: Value,
    t: &Translation,
    outline: &Outline,
    content: String,
    path: &str,
) -> Value {
    let f = &t.fields;
    let summary = f
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&outline.summary);
    // Each over the page's own entry of that name, in its place.
    let mut over: Vec<(&'static str, Value)> = vec![
        ("title", Value::from(f.title.as_str())),
        ("summary", Value::from(summary)),
        (
            "lede",
            opt_str(f.summary.as_deref().filter(|s| !s.trim().is_empty())),
        ),
    ];
    if let Some(short) = &f.short {
        over.push(("name", Value::from(short.as_str())));
        over.push(("short", Value::from(short.as_str())));
    }
    if let Some(location) = &f.location {
        over.push(("location", Value::from(location.as_str())));
    }
    if !f.people.is_empty() {
        let people = f.people.iter().map(|p| Value::from(p.as_str())).collect();
        over.push(("people", list(people)));
    }
    // Who wrote it, in the translation's words (a search result and the
    // feeds say the same).
    if !f.authors.is_empty() {
        let authors = f.authors.iter().map(|a| Value::from(a.as_str())).collect();
        over.push(("authors", list(authors)));
    }
    over.extend([
        ("content", html(&content)),
        ("word_count", Value::from(outline.word_count)),
        ("toc", Value::from_serializable(&outline.toc)),
        ("url", Value::from(r.base_url().link(path))),
        ("permalink", Value::from(r.base_url().permalink(path))),
        ("lang", Value::from(t.lang.as_str())),
    ]);
    map_with(&page_value, &over)
}

/// An output of the site's own (home page, list page) at `path` in the
/// default language, in every language, as [`alternates`] gives a
/// page's. Empty for a site in one language.
pub fn own_alternates(r: &Reader, path: &str) -> Value {
    let config = r.config();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    versions(r, path, &codes)
}

/// The page `id` in every language it has, the default one first: `lang`,
/// `name`, `url`, `permalink`, and `current` for the one the render is
/// in. Empty for a page with no translation.
pub fn alternates(r: &Reader, id: PageId) -> Value {
    let translations = r.translations(id);
    let codes: Vec<&str> = translations.iter().map(|t| t.lang.as_str()).collect();
    let page = r.page(id);
    versions(r, &page.url_path(), &codes)
}

/// What is at `path` in the default language, then under `<code>/` in
/// each of `codes`; empty when `codes` is.
fn versions(r: &Reader, path: &str, codes: &[&str]) -> Value {
    if codes.is_empty() {
        return list(Vec::new());
    }
    let config = r.config();
    let current = r.lang();
    let entry = |code: &str, name: &str, path: &str, is_current: bool| {
        map([
            ("lang", Value::from(code)),
            ("name", Value::from(name)),
            ("url", Value::from(r.base_url().link(path))),
            ("permalink", Value::from(r.base_url().permalink(path))),
            ("current", Value::from(is_current)),
        ])
    };
    let default = config.language.as_str();
    let mut all = vec![entry(
        default,
        &crate::config::language_name(default),
        path,
        current.is_none(),
    )];
    for &code in codes {
        let name = config
            .languages
            .iter()
            .find(|l| l.code == code)
            .map_or(code, |l| l.name.as_str());
        all.push(entry(
            code,
            name,
            &format!("{code}/{path}"),
            current == Some(code),
        ));
    }
    list(all)
}
