//! The site's URL scheme: where each page lives and how links carry `base_url`.
//!
//! Links between pages are root-relative and include the path of
//! `base_url` (`/sub/agencies/jica/` for `https://host/sub/`), so the output
//! works under any static file server; feeds, the sitemap and canonical
//! links use absolute permalinks.

use std::fmt;

/// A checked `base_url`: `origin` (`https://host:port`) and `path`
/// (starts and ends with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Accepts `http(s)://host[:port][/path]`; the path gets a trailing `/`.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| format!("`{text}` has no scheme (http:// or https://)"))?;
        if scheme != "http" && scheme != "https" {
            return Err(format!("the scheme must be http or https, not `{scheme}`"));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(format!("`{text}` has no host"));
        }
        if host.contains(['?', '#', '@', ' ']) || path.contains(['?', '#', ' ']) {
            return Err(format!(
                "`{text}` must be a plain URL without query, fragment, credentials or spaces"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{scheme}://{host}"),
            path,
        })
    }

    /// `https://host:port`, without a path.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The host (and port), for identifiers such as calendar UIDs.
    pub fn host(&self) -> &str {
        self.origin
            .split_once("://")
            .map_or(&self.origin, |(_, h)| h)
    }

    /// The path prefix of every link: `/` or `/sub/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A root-relative link to `rel` (a path relative to the site root,
    /// with or without a leading `/`): `/sub/agencies/jica/`.
    pub fn link(&self, rel: &str) -> String {
        let rel = rel.trim_start_matches('/');
        let mut out = String::with_capacity(self.path.len() + rel.len());
        out.push_str(&self.path);
        out.push_str(rel);
        out
    }

    /// The absolute permalink of `rel`: `https://host/sub/agencies/jica/`.
    pub fn permalink(&self, rel: &str) -> String {
        let mut out = self.origin.clone();
        out.push_str(&self.link(rel));
        out
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
    }
}

/// The site-relative path of a page: `agencies/jica/`.
pub fn page_path(kind: &str, slug: &str) -> String {
    format!("{kind}/{slug}/")
}

/// The site-relative path of a kind's list page `number` (1-based).
pub fn list_path(kind: &str, number: usize) -> String {
    if number <= 1 {
        format!("{kind}/")
    } else {
        format!("{kind}/page/{number}/")
    }
}

/// The site-relative path of page `number` of the pages of `kind` that
/// mention a page: `agencies/jica/briefs/`, `agencies/jica/briefs/page/2/`.
pub fn mentions_path(page_path: &str, kind: &str, number: usize) -> String {
    format!("{page_path}{}", list_path(kind, number))
}

/// The file that serves a site-relative path: `a/b/` → `a/b/index.html`.
pub fn output_file(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The output file an alias (`/old/url/`, `old/page.html`) is written
/// to, or why it cannot be one.
pub fn alias_file(alias: &str) -> Result<String, String> {
    let alias = alias.trim();
    if alias.contains("://") {
        return Err("an alias is a path on this site, not a full URL".into());
    }
    if alias.contains(['?', '#', '\\']) || alias.chars().any(char::is_whitespace) {
        return Err("an alias cannot have `?`, `#`, `\\` or spaces".into());
    }
    let path = alias.trim_start_matches('/');
    if path.is_empty() {
        return Err("an alias cannot be the home page".into());
    }
    if path.split('/').any(|part| part == ".." || part == ".") {
        return Err("an alias cannot have `.` or `..` in it".into());
    }
    if path.contains("//") || path.trim_end_matches('/').split('/').any(str::is_empty) {
        return Err("an alias cannot have an empty part (`//`)".into());
    }
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if path.ends_with('/') {
        Ok(format!("{path}index.html"))
    } else if last.ends_with(".html") || last.ends_with(".htm") {
        Ok(path.to_string())
    } else {
        Ok(format!("{path}/index.html"))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for
/// query values.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `slug` can be used as-is in a URL and a folder name.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// The slug attache derives from a file stem or title.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_path_is_kept_in_links_and_permalinks() {
        let b = BaseUrl::parse("https://host.example/sub").unwrap();
        assert_eq!(b.path(), "/sub/");
        assert_eq!(b.link("agencies/jica/"), "/sub/agencies/jica/");
        assert_eq!(b.link("/style.css"), "/sub/style.css");
        assert_eq!(
            b.permalink("agencies/jica/"),
            "https://host.example/sub/agencies/jica/"
        );
        assert_eq!(b.to_string(), "https://host.example/sub/");
    }

    #[test]
    fn root_base_url() {
        let b = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!(b.link(""), "/");
        assert_eq!(b.permalink(""), "http://127.0.0.1:1111/");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("ftp://example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://e.org/?q=1").is_err());
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("briefs/page/2/"), "briefs/page/2/index.html");
        assert_eq!(output_file("sitemap.xml"), "sitemap.xml");
        assert_eq!(list_path("briefs", 1), "briefs/");
        assert_eq!(list_path("briefs", 3), "briefs/page/3/");
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(
            percent_encode("Tokyo, Japan & co/é"),
            "Tokyo%2C%20Japan%20%26%20co%2F%C3%A9"
        );
    }

    #[test]
    fn aliases() {
        assert_eq!(alias_file("/old/url/").unwrap(), "old/url/index.html");
        assert_eq!(alias_file("old/url").unwrap(), "old/url/index.html");
        assert_eq!(alias_file("/2024/brief.html").unwrap(), "2024/brief.html");
        assert!(alias_file("https://e.org/x").is_err());
        assert!(alias_file("/a/../b").is_err());
        assert!(alias_file("/").is_err());
        assert!(alias_file("/a b/").is_err());
        assert!(alias_file("/briefs//a/").is_err());
        assert!(alias_file("a//").is_err(), "found by tests/properties.rs");
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("jica-tokyo-2025"));
        assert!(!is_valid_slug("JICA"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug(".."));
        assert_eq!(slugify("Pakistan Courts Japan"), "pakistan-courts-japan");
    }
}
