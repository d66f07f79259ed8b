//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) beside every Atom
//! feed: `feed.json` next to `atom.xml`, with the same entries.

use serde_json::{Value as Json, json};

use super::feed::{self, changed, page_entries, site_entries};
use super::reader::Reader;
use super::shortcodes::Shortcodes;
use crate::content::pages::PageId;
use crate::diagnostic::Diagnostic;

/// The file name of every JSON feed.
pub const JSON_FEED_FILE: &str = "feed.json";

/// Site-relative path of the site's JSON feed.
pub fn site_json_feed_path() -> String {
    JSON_FEED_FILE.to_string()
}

/// Site-relative path of a page's JSON feed: `agencies/jica/feed.json`.
pub fn page_json_feed_path(page_path: &str) -> String {
    format!("{page_path}{JSON_FEED_FILE}")
}

/// The site's JSON feed: the newest entries.
pub fn site_json_feed(r: &Reader, sc: &Shortcodes<'_>) -> Result<String, Vec<Diagnostic>> {
    let title = feed::site_feed_title(r);
    let (path, home) = (r.localize(&site_json_feed_path()), r.localize(""));
    json_feed(r, sc, &title, &path, &home, &site_entries(r))
}

/// The JSON feed of one page: the newest entries that mention it.
pub fn page_json_feed(
    r: &Reader,
    sc: &Shortcodes<'_>,
    id: PageId,
) -> Result<String, Vec<Diagnostic>> {
    let page = r.page(id);
    let title = feed::page_feed_title(r, id);
    json_feed(
        r,
        sc,
        &title,
        &r.page_output(id, page_json_feed_path(&page.url_path())),
        &r.page_output(id, page.url_path()),
        &page_entries(r, id),
    )
}

fn json_feed(
    r: &Reader,
    sc: &Shortcodes<'_>,
    title: &str,
    feed_path: &str,
    home_path: &str,
    entries: &[PageId],
) -> Result<String, Vec<Diagnostic>> {
    let config = r.config();
    let base = r.base_url();
    let author = config.feeds.author.as_deref().unwrap_or(&config.title);
    let mut items = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for &id in entries {
        match item(r, sc, id) {
            Ok(item) => items.push(item),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (language, description) = feed::site_words(r);
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": base.permalink(home_path),
        "feed_url": base.permalink(feed_path),
        "language": language,
        "authors": [{ "name": author }],
        "items": items,
    });
    if !description.is_empty() {
        feed["description"] = Json::from(description);
    }
    Ok(serde_json::to_string_pretty(&feed).unwrap_or_default())
}

fn item(r: &Reader, sc: &Shortcodes<'_>, id: PageId) -> Result<Json, Vec<Diagnostic>> {
    let page = r.page(id);
    let text = feed::entry_text(r, sc, id)?;
    let tags: Vec<String> = r
        .refs(id)
        .iter()
        .map(|&t| r.page(t).name().to_string())
        .collect();
    let mut item = json!({
        "id": text.permalink,
        "url": text.permalink,
        "title": text.title,
        "content_html": text.content,
        "tags": tags,
    });
    if !text.summary.is_empty() {
        item["summary"] = Json::from(text.summary);
    }
    if let Some(date) = page.fields().date.as_ref() {
        item["date_published"] = Json::from(date.get_ref().to_rfc3339());
    }
    if let Some(date) = changed(r, id) {
        item["date_modified"] = Json::from(date.to_rfc3339());
    }
    let authors = &page.fields().authors;
    if !authors.is_empty() {
        item["authors"] = authors.iter().map(|a| json!({ "name": a })).collect();
    }
    Ok(item)
}
