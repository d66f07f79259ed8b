//! `sitemap.xml` (sitemaps.org 0.9) and `robots.txt`.

use std::fmt::Write;

use super::reader::Reader;
use crate::urls::kind_list_path;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`xml_escape`] onto the end of `out`: the runs between the characters
/// it replaces are copied whole (a sitemap escapes every URL of the site).
pub fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            // Not allowed in XML 1.0 at all, not even escaped.
            c if crate::markdown::is_forbidden_control(c) => "\u{fffd}",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

/// One URL of the sitemap.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub loc: String,
    pub lastmod: Option<String>,
    /// The same page in every language it has, itself included:
    /// `(language, URL)`. Empty for a page with no translation.
    pub alternates: Vec<(String, String)>,
}

/// Every URL of the site with its last modification, if known: the
/// home page, each kind's list, each page and each page's translations.
pub fn entries(r: &Reader) -> Vec<Entry> {
    let base = r.base_url();
    let entry = |loc: String| Entry {
        loc,
        lastmod: None,
        alternates: Vec::new(),
    };
    // The home page and the lists, which every language has, each in
    // every language.
    let config = r.config();
    let own = |path: &str| {
        let mut alternates = vec![(config.language.clone(), base.permalink(path))];
        for l in &config.languages {
            alternates.push((
                l.code.clone(),
                base.permalink(&format!("{}/{path}", l.code)),
            ));
        }
        let one_language = alternates.len() == 1;
        let entries: Vec<Entry> = alternates
            .iter()
            .map(|(_, loc)| Entry {
                alternates: if one_language {
                    Vec::new()
                } else {
                    alternates.clone()
                },
                ..entry(loc.clone())
            })
            .collect();
        entries
    };
    let mut out = own("");
    for kind in &r.config().kinds {
        out.extend(own(&kind_list_path(&kind.name)));
        for &id in r.every_page(&kind.name).iter() {
            let page = r.page(id);
            let f = page.fields();
            // A meeting's date is when it happens, not when the page
            // changed; only `updated` says that for every kind.
            let changed = f.updated.as_ref().or(match kind.role {
                Some(crate::config::Role::Events) => None,
                _ => f.date.as_ref(),
            });
            let path = page.url_path();
            let lastmod = changed.map(|d| d.get_ref().to_string());
            // The page, then its translations: each names them all.
            let mut alternates = vec![(r.config().language.clone(), base.permalink(&path))];
            for t in r.translations(id) {
                alternates.push((
                    t.lang.clone(),
                    base.permalink(&format!("{}/{path}", t.lang)),
                ));
            }
            let locs: Vec<String> = alternates.iter().map(|(_, loc)| loc.clone()).collect();
            if alternates.len() == 1 {
                alternates.clear();
            }
            for loc in locs {
                out.push(Entry {
                    loc,
                    lastmod: lastmod.clone(),
                    alternates: alternates.clone(),
                });
            }
        }
    }
    out
}

/// At most this many URLs per sitemap file (sitemaps.org).
pub const MAX_URLS: usize = 50_000;

/// `sitemap.xml`, and when the site has more than [`MAX_URLS`] URLs,
/// `sitemap.xml` as an index of `sitemap-1.xml`, `sitemap-2.xml`, ...
pub fn sitemap_files(r: &Reader) -> Vec<(String, std::sync::Arc<[u8]>)> {
    (split(r.base_url(), entries(r), MAX_URLS).into_iter())
        .map(|(name, xml)| (name, std::sync::Arc::from(xml.into_bytes())))
        .collect()
}

fn split(base: &crate::urls::BaseUrl, entries: Vec<Entry>, max: usize) -> Vec<(String, String)> {
    if entries.len() <= max {
        return vec![("sitemap.xml".into(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(max).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = write!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n",
            xml_escape(&base.permalink(&name))
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

fn urlset(entries: &[Entry]) -> String {
    let xhtml = if entries.iter().any(|e| !e.alternates.is_empty()) {
        " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
    } else {
        ""
    };
    let size: usize = entries.iter().map(|e| e.loc.len() + 64).sum();
    let mut xml = String::with_capacity(size + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    xml.push_str(xhtml);
    xml.push_str(">\n");
    for e in entries {
        xml.push_str("  <url>\n    <loc>");
        escape_into(&mut xml, &e.loc);
        xml.push_str("</loc>\n");
        if let Some(lastmod) = &e.lastmod {
            xml.push_str("    <lastmod>");
            escape_into(&mut xml, lastmod);
            xml.push_str("</lastmod>\n");
        }
        for (lang, href) in &e.alternates {
            xml.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
            escape_into(&mut xml, lang);
            xml.push_str("\" href=\"");
            escape_into(&mut xml, href);
            xml.push_str("\"/>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(r: &Reader) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        r.base_url().permalink("sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let base = crate::urls::BaseUrl::parse("https://e.org/sub/").unwrap();
        let entries: Vec<_> = (0..7)
            .map(|i| Entry {
                loc: format!("https://e.org/sub/p{i}/"),
                lastmod: None,
                alternates: Vec::new(),
            })
            .collect();
        let files = split(&base, entries.clone(), 3);
        let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(
            files[0]
                .1
                .contains("<loc>https://e.org/sub/sitemap-3.xml</loc>")
        );
        assert_eq!(files[1].1.matches("<url>").count(), 3);
        assert_eq!(files[3].1.matches("<url>").count(), 1);
        let small = split(&base, entries, 7);
        assert_eq!(small.len(), 1);
        assert!(small[0].1.contains("<urlset"));
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(xml_escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
        assert_eq!(
            xml_escape("東京 & x\u{1}y\u{85}"),
            "東京 &amp; x\u{fffd}y\u{fffd}"
        );
        assert_eq!(xml_escape("plain"), "plain");
        let mut out = String::from("<a>");
        escape_into(&mut out, "é<");
        assert_eq!(out, "<a>é&lt;");
    }
}
