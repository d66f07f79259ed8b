//! The feeds of what became of a party's asks and offers: an entry for
//! each raising and each update of an item that names the page (as its
//! maker, a receiver or its sector), newest first, as Atom
//! (`<page>/asks.xml`) and JSON Feed (`<page>/asks.json`).

use std::fmt::Write;

use super::items::{naming, states};
use super::reader::Reader;
use super::sitemap::xml_escape;
use crate::content::pages::PageId;

/// The file names of the feeds in a page's folder, after the kind of
/// asks and offers (`asks`).
pub fn atom_path(page_path: &str, items_kind: &str) -> String {
    format!("{page_path}{items_kind}.xml")
}

pub fn json_path(page_path: &str, items_kind: &str) -> String {
    format!("{page_path}{items_kind}.json")
}

/// One entry: a step of an item's history.
struct Entry {
    id: String,
    title: String,
    url: String,
    date: String,
    text: String,
}

/// The entries of page `id`'s feed, newest first, at most the feeds'
/// limit.
fn entries(r: &Reader, id: PageId) -> Vec<Entry> {
    let items: Vec<PageId> = naming(r, id);
    let base = r.base_url();
    let mut entries: Vec<(String, Entry)> = Vec::new();
    for state in states(r, &items) {
        let item = r.page(state.id);
        let url = base.permalink(&r.page_output(state.id, item.url_path()));
        let what = r.title_in_language(state.id).to_string();
        for (n, e) in state.events.iter().enumerate() {
            let Some(date) = e.date else {
                continue;
            };
            let step = match (e.raised, e.status) {
                (true, _) => r.word("item_raised", &[]),
                (false, Some(status)) => r.word(&format!("item_status_{}", status.name()), &[]),
                (false, None) => r.word("item_note", &[]),
            };
            let mut text = step.clone();
            if let Some(note) = &e.note {
                text = format!("{step}: {note}");
            }
            entries.push((
                date.to_rfc3339(),
                Entry {
                    id: format!("{url}#{n}"),
                    title: format!("{what} ({step})"),
                    url: url.clone(),
                    date: date.to_rfc3339(),
                    text,
                },
            ));
        }
    }
    // Newest first; on one day, in the items' and histories' order.
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    entries.truncate(r.config().feeds.limit);
    entries.into_iter().map(|(_, e)| e).collect()
}

fn title(r: &Reader, id: PageId, items_title: &str) -> String {
    format!(
        "{} · {items_title} · {}",
        r.title_in_language(id),
        r.config().title
    )
}

/// The name and title of the kind of asks and offers (`asks`, "Asks and
/// offers").
fn items_kind(r: &Reader) -> (String, String) {
    (r.config().items_kind()).map_or_else(Default::default, |k| (k.name.clone(), k.title.clone()))
}

/// The Atom feed of page `id`'s asks and offers.
pub fn atom(r: &Reader, id: PageId) -> String {
    let (items_kind, items_title) = items_kind(r);
    let (items_kind, items_title) = (items_kind.as_str(), items_title.as_str());
    let page = r.page(id);
    let base = r.base_url();
    let self_url = base.permalink(&r.page_output(id, atom_path(&page.url_path(), items_kind)));
    let entries = entries(r, id);
    let updated = (entries.iter().map(|e| e.date.as_str()).max())
        .unwrap_or("1970-01-01T00:00:00Z")
        .to_string();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(r.lang().unwrap_or(&r.config().language))
    );
    let _ = writeln!(
        xml,
        "  <title>{}</title>",
        xml_escape(&title(r, id, items_title))
    );
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&self_url));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&self_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&base.permalink(&r.page_output(id, page.url_path())))
    );
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let author = r
        .config()
        .feeds
        .author
        .as_deref()
        .unwrap_or(&r.config().title)
        .to_string();
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        xml_escape(&author)
    );
    for e in &entries {
        let _ = writeln!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>",
            xml_escape(&e.title),
            xml_escape(&e.id),
            xml_escape(&e.url),
            e.date,
            xml_escape(&e.text),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// The JSON Feed 1.1 of page `id`'s asks and offers.
pub fn json(r: &Reader, id: PageId) -> String {
    let (items_kind, items_title) = items_kind(r);
    let (items_kind, items_title) = (items_kind.as_str(), items_title.as_str());
    let page = r.page(id);
    let base = r.base_url();
    let items: Vec<serde_json::Value> = entries(r, id)
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "content_text": e.text,
                "date_published": e.date,
            })
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title(r, id, items_title),
        "home_page_url": base.permalink(&r.page_output(id, page.url_path())),
        "feed_url": base.permalink(&r.page_output(id, json_path(&page.url_path(), items_kind))),
        "language": r.lang().unwrap_or(&r.config().language),
        "items": items,
    });
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}
