//! Atom 1.0 feeds (RFC 4287): the site's briefings at `/atom.xml`, and the
//! briefings that mention a page at `<kind>/<slug>/atom.xml`.

use std::fmt::Write;

use super::reader::Reader;
use super::shortcodes::Shortcodes;
use super::sitemap::xml_escape;
use crate::config::Config;
use crate::content::date::PageDate;
use crate::content::pages::PageId;
use crate::diagnostic::Diagnostic;

/// The name of the kind whose pages are feed entries (role `entries`).
pub fn entry_kind(config: &Config) -> Option<&str> {
    config.entries().map(|k| k.name.as_str())
}

/// The file name of every feed.
pub const FEED_FILE: &str = "atom.xml";

/// Site-relative path of the site feed.
pub fn site_feed_path() -> String {
    FEED_FILE.to_string()
}

/// Site-relative path of a page's feed: `agencies/jica/atom.xml`.
pub fn page_feed_path(page_path: &str) -> String {
    format!("{page_path}{FEED_FILE}")
}

/// Whether pages of `kind` have a feed of their own.
pub fn has_feed(config: &Config, kind: &str) -> bool {
    config.entries().is_some() && config.kind(kind).is_some_and(|k| k.feed)
}

/// The entries of the site feed: the newest briefs.
pub fn site_entries(r: &Reader) -> Vec<PageId> {
    let config = r.config();
    match entry_kind(config) {
        Some(kind) => r.slice(kind, 0, config.feeds.limit).0.to_vec(),
        None => Vec::new(),
    }
}

/// The entries of a page's feed: the newest briefs that mention it (for a
/// sector, also those that mention its subsectors).
pub fn page_entries(r: &Reader, id: PageId) -> Vec<PageId> {
    let config = r.config();
    let kind = entry_kind(config);
    r.mentions(id)
        .into_iter()
        .filter(|&e| Some(r.page(e).kind()) == kind)
        .take(config.feeds.limit)
        .collect()
}

/// The title of the site's feeds (Atom and JSON) in the render's
/// language: "Desk: Briefings".
pub fn site_feed_title(r: &Reader) -> String {
    let config = r.config();
    match config.entries() {
        Some(k) => format!("{}: {}", config.title, k.title),
        None => config.title.clone(),
    }
}

/// The language and description of the site's feeds, in the render's
/// language.
pub(super) fn site_words(r: &Reader) -> (&str, &str) {
    let config = r.config();
    (r.lang().unwrap_or(&config.language), &config.description)
}

/// What a feed shows of one entry, in the render's language: the page's
/// words, or in another language its translation's.
pub(super) struct EntryText {
    pub title: String,
    pub summary: String,
    pub permalink: String,
    /// The body as HTML, its links made absolute.
    pub content: String,
}

pub(super) fn entry_text(
    r: &Reader,
    sc: &Shortcodes<'_>,
    id: PageId,
) -> Result<EntryText, Vec<Diagnostic>> {
    let page = r.page(id);
    let path = page.url_path();
    let (title, summary, path, html) = match r.translation(id) {
        Some(t) => {
            let (html, _) = sc.translation_html(r, id, t)?;
            let path = format!("{}/{path}", t.lang);
            (t.fields.title.clone(), t.summary().to_string(), path, html)
        }
        None => (
            page.title().to_string(),
            page.summary().to_string(),
            path,
            sc.page_html(r, id)?,
        ),
    };
    let base = r.base_url();
    Ok(EntryText {
        title,
        summary,
        permalink: base.permalink(&path),
        content: absolute_links(&html, base.origin()),
    })
}

/// The title of a page's feeds: "JICA · Desk".
pub fn page_feed_title(r: &Reader, id: PageId) -> String {
    format!("{} · {}", r.title_in_language(id), r.config().title)
}

/// The site feed.
pub fn site_feed(r: &Reader, sc: &Shortcodes<'_>) -> Result<String, Vec<Diagnostic>> {
    let title = site_feed_title(r);
    let (path, home) = (r.localize(&site_feed_path()), r.localize(""));
    feed(r, sc, &title, &path, &home, None, &site_entries(r))
}

/// The feed of one page.
pub fn page_feed(r: &Reader, sc: &Shortcodes<'_>, id: PageId) -> Result<String, Vec<Diagnostic>> {
    let page = r.page(id);
    let title = page_feed_title(r, id);
    let path = r.page_output(id, page.url_path());
    feed(
        r,
        sc,
        &title,
        &r.page_output(id, page_feed_path(&page.url_path())),
        &path,
        changed(r, id),
        &page_entries(r, id),
    )
}

/// The moment an entry last changed: `updated`, else `date`.
pub(super) fn changed(r: &Reader, id: PageId) -> Option<PageDate> {
    let page = r.page(id);
    let f = page.fields();
    f.updated.as_ref().or(f.date.as_ref()).map(|d| *d.get_ref())
}

fn feed(
    r: &Reader,
    sc: &Shortcodes<'_>,
    title: &str,
    feed_path: &str,
    page_path: &str,
    own_date: Option<PageDate>,
    entries: &[PageId],
) -> Result<String, Vec<Diagnostic>> {
    let config = r.config();
    let base = r.base_url();
    // A feed with no entries gives its page's own date (or the epoch):
    // something that stays the same from build to build and depends on no
    // other page.
    let updated = entries
        .iter()
        .filter_map(|&id| changed(r, id))
        .max()
        .or(own_date)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.to_rfc3339());
    let author = config.feeds.author.as_deref().unwrap_or(&config.title);
    let (language, description) = site_words(r);

    let mut xml = String::with_capacity(4096 + entries.len() * 4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", xml_escape(title));
    if !description.is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", xml_escape(description));
    }
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&base.permalink(feed_path)));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&base.permalink(feed_path))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&base.permalink(page_path))
    );
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        xml_escape(author)
    );
    let _ = writeln!(
        xml,
        "  <generator version=\"{}\">attache</generator>",
        env!("CARGO_PKG_VERSION")
    );
    let mut problems = Vec::new();
    for &id in entries {
        if let Err(mut found) = entry(r, sc, id, &mut xml) {
            problems.append(&mut found);
        }
    }
    xml.push_str("</feed>\n");
    if problems.is_empty() {
        Ok(xml)
    } else {
        Err(problems)
    }
}

fn entry(
    r: &Reader,
    sc: &Shortcodes<'_>,
    id: PageId,
    xml: &mut String,
) -> Result<(), Vec<Diagnostic>> {
    let page = r.page(id);
    let text = entry_text(r, sc, id)?;
    let permalink = &text.permalink;
    let published = page
        .fields()
        .date
        .as_ref()
        .map(|d| d.get_ref().to_rfc3339());
    let updated =
        changed(r, id).map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.to_rfc3339());

    xml.push_str("  <entry>\n");
    let _ = writeln!(xml, "    <title>{}</title>", xml_escape(&text.title));
    let _ = writeln!(xml, "    <id>{}</id>", xml_escape(permalink));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(permalink)
    );
    if let Some(published) = published {
        let _ = writeln!(xml, "    <published>{published}</published>");
    }
    let _ = writeln!(xml, "    <updated>{updated}</updated>");
    // The page's own authors; without them the feed's author stands.
    for author in &page.fields().authors {
        let _ = writeln!(
            xml,
            "    <author><name>{}</name></author>",
            xml_escape(author)
        );
    }
    for &target in r.refs(id) {
        let t = r.page(target);
        let _ = writeln!(
            xml,
            "    <category term=\"{}\" label=\"{}\"/>",
            xml_escape(&format!("{}/{}", t.kind(), t.slug())),
            xml_escape(t.name())
        );
    }
    // Every entry has a summary, even a page with no text of its own.
    let summary = match text.summary.is_empty() {
        true => &text.title,
        false => &text.summary,
    };
    let _ = writeln!(xml, "    <summary>{}</summary>", xml_escape(summary));
    let _ = writeln!(
        xml,
        "    <content type=\"html\">{}</content>",
        xml_escape(&text.content)
    );
    xml.push_str("  </entry>\n");
    Ok(())
}

/// Makes root-relative `href="/…"` and `src="/…"` absolute, for feed
/// readers that show content away from the site.
/// One pass over the text: every `="/` is looked at once.
pub fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    for (i, _) in html.match_indices("=\"/") {
        let attribute = &html[..i];
        let path = &html[i + 2..];
        // `//host/...` is protocol-relative and already absolute.
        if !(attribute.ends_with("href") || attribute.ends_with("src")) || path.starts_with("//") {
            continue;
        }
        out.push_str(&html[copied..i + 2]);
        out.push_str(origin);
        copied = i + 2;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_links_become_absolute() {
        let html = r#"<a href="/sub/a/">a</a> <img src="/x.png"> <a href="//cdn/x">c</a> <a href="https://e/">e</a>"#;
        assert_eq!(
            absolute_links(html, "https://h"),
            r#"<a href="https://h/sub/a/">a</a> <img src="https://h/x.png"> <a href="//cdn/x">c</a> <a href="https://e/">e</a>"#
        );
    }
}
