//! What templates get for a page in another language: the page's own
//! values with the translation's words over them, the site's title in
//! that language, and the page's alternates in every language (for
//! `hreflang` links and the language switcher).

use tera::Value;

use super::reader::Reader;
use super::values::{html, list, map, opt_str};
use crate::config::Language;
use crate::content::Translation;
use crate::markdown::Outline;
use crate::site::pages::PageId;
use crate::urls::page_path;

/// `site`, with the title and description of `lang` when it is not the
/// default language.
pub fn site_value(r: &Reader, lang: Option<&Language>) -> Value {
    let value = r.site_value();
    let Some(lang) = lang else {
        return value;
    };
    let mut map = value.into_map().unwrap_or_default();
    map.insert("title".into(), Value::from(lang.title.as_str()));
    map.insert("description".into(), Value::from(lang.description.as_str()));
    map.insert("language".into(), Value::from(lang.code.as_str()));
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
    set("content", html(&content));
    set("word_count", Value::from(outline.word_count));
    set("toc", Value::from_serializable(&outline.toc));
    set("url", Value::from(r.base_url().link(path)));
    set("permalink", Value::from(r.base_url().permalink(path)));
    set("lang", Value::from(t.lang.as_str()));
    Value::from(map)
}

/// The page `id` in every language it has, the default one first: `lang`,
/// `name`, `url`, `permalink`, and `current` for the one shown (`lang`:
/// `None` for the default language). Empty for a page with no
/// translation.
pub fn alternates(r: &Reader, id: PageId, current: Option<&String>) -> Value {
    let translations = r.translations(id);
    if translations.is_empty() {
        return list(Vec::new());
    }
    let config = r.config();
    let page = r.page(id);
    let path = page_path(page.kind(), page.slug());
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
        &path,
        current.is_none(),
    )];
    for t in translations {
        let name = config
            .languages
            .iter()
            .find(|l| l.code == t.lang)
            .map_or_else(|| t.lang.clone(), |l| l.name.clone());
        all.push(entry(
            &t.lang,
            &name,
            &format!("{}/{path}", t.lang),
            current == Some(&t.lang),
        ));
    }
    list(all)
}
