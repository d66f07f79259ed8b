//! What templates get for a page in another language: the page's own
//! values with the translation's words over them, the site's title in
//! that language, and the page's alternates in every language (for
//! `hreflang` links and the language switcher).

use tera::Value;

use super::reader::Reader;
use super::values::{html, list, map, opt_str};
use crate::content::Translation;
use crate::content::pages::PageId;
use crate::markdown::Outline;

/// What lists show of page `id` in the render's language: its summary
/// (`summary`) with its kind's names in the language and, when it has a
/// translation `t`, the translation's title, summary, short name and URL.
pub fn summary_value(r: &Reader, id: PageId, summary: Value, t: Option<&Translation>) -> Value {
    let mut map = summary.into_map().unwrap_or_default();
    let key = r.key(id);
    if let Some(kind) = r.kind(&key.kind) {
        map.insert("kind_title".into(), Value::from(kind.title.as_str()));
        map.insert("kind_singular".into(), Value::from(kind.singular.as_str()));
        let list = r.localize(&crate::urls::kind_list_path(&key.kind));
        map.insert("kind_url".into(), Value::from(r.base_url().link(&list)));
    }
    let Some(t) = t else {
        return Value::from(map);
    };
    let f = &t.fields;
    let path = format!("{}/{}", t.lang, r.page(id).url_path());
    map.insert("title".into(), Value::from(f.title.as_str()));
    let name = f.short.as_deref().unwrap_or(&f.title);
    map.insert("name".into(), Value::from(name));
    if let Some(short) = &f.short {
        map.insert("short".into(), Value::from(short.as_str()));
    }
    map.insert("summary".into(), Value::from(t.summary()));
    if let Some(location) = &f.location {
        map.insert("location".into(), Value::from(location.as_str()));
    }
    map.insert("url".into(), Value::from(r.base_url().link(&path)));
    map.insert(
        "permalink".into(),
        Value::from(r.base_url().permalink(&path)),
    );
    map.insert("lang".into(), Value::from(t.lang.as_str()));
    Value::from(map)
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
    let mut map = page_value.into_map().unwrap_or_default();
    let f = &t.fields;
    let summary = f
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&outline.summary);
    let mut set = |key: &'static str, value: Value| {
        map.insert(key.into(), value);
    };
    set("title", Value::from(f.title.as_str()));
    set("summary", Value::from(summary));
    set(
        "lede",
        opt_str(f.summary.as_deref().filter(|s| !s.trim().is_empty())),
    );
    if let Some(short) = &f.short {
        set("name", Value::from(short.as_str()));
        set("short", Value::from(short.as_str()));
    }
    if let Some(location) = &f.location {
        set("location", Value::from(location.as_str()));
    }
    if !f.people.is_empty() {
        set(
            "people",
            list(f.people.iter().map(|p| Value::from(p.as_str())).collect()),
        );
    }
    // Who wrote it, in the translation's words (a search result and the
    // feeds say the same).
    if !f.authors.is_empty() {
        set(
            "authors",
            list(f.authors.iter().map(|a| Value::from(a.as_str())).collect()),
        );
    }
    set("content", html(&content));
    set("word_count", Value::from(outline.word_count));
    set("toc", Value::from_serializable(&outline.toc));
    set("url", Value::from(r.base_url().link(path)));
    set("permalink", Value::from(r.base_url().permalink(path)));
    set("lang", Value::from(t.lang.as_str()));
    Value::from(map)
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
