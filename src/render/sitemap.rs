//! `sitemap.xml` (sitemaps.org 0.9) and `robots.txt`.

use std::fmt::Write;

use crate::site::Site;
use crate::urls::{list_path, page_path};

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Every URL of the site with its last modification, if known: the
/// home page, each kind's list, each page.
pub fn entries(site: &Site) -> Vec<(String, Option<String>)> {
    let base = site.base_url();
    let mut out = vec![(base.permalink(""), None)];
    for kind in &site.config.kinds {
        out.push((base.permalink(&list_path(&kind.name, 1)), None));
        for &id in site.graph.ordered(&kind.name) {
            let page = site.page(id);
            // A meeting's date is when it happens, not when the page
            // changed; only `updated` says that for every kind.
            let changed = page.fields.updated.as_ref().or(match kind.schema {
                crate::config::Schema::Meeting => None,
                _ => page.fields.date.as_ref(),
            });
            out.push((
                base.permalink(&page_path(page.kind(), page.slug())),
                changed.map(|d| d.get_ref().to_string()),
            ));
        }
    }
    out
}

pub fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries(site) {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", xml_escape(&loc));
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", xml_escape(&lastmod));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.base_url().permalink("sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(xml_escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
    }
}
