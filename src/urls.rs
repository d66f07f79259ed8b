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
    let mut path = joined(kind, "/");
    path.push_str(slug);
    path.push('/');
    path
}

/// One page of a paginated list: a kind's list, or the pages of a kind
/// that mention a page.
///
/// A list by date is paged as an archive: its own URL shows the newest
/// entries, and `archive/1/` holds the oldest ones, so a full archive page
/// keeps its entries as the list grows. Paged from the newest instead
/// (`pagination = "newest_first"`, and every list by title), page `n` is
/// the `n`th from the newest, at `page/n/`, as in Zola and Hugo.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ListPage {
    /// The list's own URL: its newest (or first) entries.
    First,
    /// Page `n` (2 or more) counted from the newest: `page/n/`.
    Numbered(usize),
    /// Page `n` (1 or more) counted from the oldest: `archive/n/`.
    Archive(usize),
    /// `page/n/` of a list paged as an archive: a redirect to the list,
    /// for links made while it was paged from the newest (those pages
    /// held other entries with every new one, so no archive page is
    /// theirs).
    Moved(usize),
}

impl ListPage {
    /// The page's path below the list's own: `""`, `page/2/`, `archive/3/`.
    pub fn suffix(self) -> String {
        match self {
            ListPage::First => String::new(),
            ListPage::Numbered(n) | ListPage::Moved(n) => format!("page/{n}/"),
            ListPage::Archive(n) => format!("archive/{n}/"),
        }
    }

    /// The pages of a list of `total` entries, `per_page` to a page: the
    /// list's own, then the others (a full archive page for every
    /// `per_page` entries, and the redirects from the pages counted from
    /// the newest; or those pages).
    pub fn all(total: usize, per_page: usize, archive: bool) -> Vec<ListPage> {
        let per_page = per_page.max(1);
        let numbered = 2..=total.div_ceil(per_page);
        let mut pages = vec![ListPage::First];
        if archive {
            pages.extend((1..=total / per_page).map(ListPage::Archive));
            pages.extend(numbered.map(ListPage::Moved));
        } else {
            pages.extend(numbered.map(ListPage::Numbered));
        }
        pages
    }

    /// Which entries of a list of `total`, newest (or first) first, the
    /// page shows. An archive's own page shows those newer than its
    /// second-newest full page: the newest full page's and the ones not
    /// yet on a full page (from `per_page` to twice as many, less one),
    /// so that paging back from it meets each entry once.
    pub fn entries(self, total: usize, per_page: usize, archive: bool) -> std::ops::Range<usize> {
        let per_page = per_page.max(1);
        let range = |start: usize, end: usize| start.min(total)..end.min(total);
        match self {
            ListPage::First if archive => {
                let full = total / per_page;
                range(0, total - full.saturating_sub(1) * per_page)
            }
            ListPage::First => range(0, per_page),
            ListPage::Numbered(n) => range(n.saturating_sub(1) * per_page, n * per_page),
            ListPage::Archive(n) => {
                let end = total.saturating_sub(n.saturating_sub(1) * per_page);
                range(end.saturating_sub(per_page), end)
            }
            ListPage::Moved(_) => 0..0,
        }
    }
}

/// The site-relative path of a page of a kind's list.
pub fn list_path(kind: &str, at: ListPage) -> String {
    let mut path = joined(kind, "/");
    path.push_str(&at.suffix());
    path
}

/// The site-relative path of a kind's list itself: `briefs/`.
pub fn kind_list_path(kind: &str) -> String {
    list_path(kind, ListPage::First)
}

/// The site-relative path of a page of the pages of `kind` that mention a
/// page: `agencies/jica/briefs/`, `agencies/jica/briefs/archive/2/`.
pub fn mentions_path(page_path: &str, kind: &str, at: ListPage) -> String {
    joined(page_path, &list_path(kind, at))
}

/// The file that serves a site-relative path: `a/b/` → `a/b/index.html`.
///
/// In place: tens of thousands are worked out on every update.
pub fn output_file(mut path: String) -> String {
    let slashes = path.len() - path.trim_start_matches('/').len();
    path.drain(..slashes);
    if path.is_empty() || path.ends_with('/') {
        path.push_str(INDEX_HTML);
    }
    path
}

const INDEX_HTML: &str = "index.html";

/// `format!("{a}{b}")`, with room for an output file's `index.html`.
fn joined(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len() + b.len() + INDEX_HTML.len());
    out.push_str(a);
    out.push_str(b);
    out
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

/// Whether Windows cannot have a file or folder named `name`: a device
/// name (`con`, `prn`, `aux`, `nul`, `com0`–`com9`, `lpt0`–`lpt9`, in any
/// case, with or without an extension: `con.html` too), or a name ending
/// in `.` (Windows drops it, so `brief.` and `brief` are one folder). A
/// site with such a page cannot be built or checked out on Windows.
pub fn reserved_on_windows(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let device = match base.as_bytes() {
        b"con" | b"prn" | b"aux" | b"nul" => true,
        [b'c', b'o', b'm', d] | [b'l', b'p', b't', d] => d.is_ascii_digit(),
        _ => false,
    };
    device || name.ends_with('.')
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
        assert_eq!(output_file("".into()), "index.html");
        assert_eq!(
            output_file("briefs/page/2/".into()),
            "briefs/page/2/index.html"
        );
        assert_eq!(output_file("sitemap.xml".into()), "sitemap.xml");
        assert_eq!(list_path("briefs", ListPage::First), "briefs/");
        assert_eq!(list_path("briefs", ListPage::Numbered(3)), "briefs/page/3/");
        assert_eq!(
            list_path("briefs", ListPage::Archive(3)),
            "briefs/archive/3/"
        );
        assert_eq!(list_path("briefs", ListPage::Moved(3)), "briefs/page/3/");
    }

    #[test]
    fn an_archive_page_keeps_its_entries_as_the_list_grows() {
        use ListPage::*;
        // 25 entries, 10 to a page: archive pages 1 and 2; the list's own
        // page shows the 15 newest; old page 2 and 3 redirect.
        assert_eq!(
            ListPage::all(25, 10, true),
            [First, Archive(1), Archive(2), Moved(2), Moved(3)]
        );
        assert_eq!(First.entries(25, 10, true), 0..15);
        assert_eq!(Archive(2).entries(25, 10, true), 5..15);
        assert_eq!(Archive(1).entries(25, 10, true), 15..25);
        // Newest first: entry `i` of 25 is entry `i + 1` of 26.
        for total in 20..60 {
            for n in 1..=total / 10 {
                let now = Archive(n).entries(total, 10, true);
                let later = Archive(n).entries(total + 1, 10, true);
                assert_eq!((now.start + 1, now.end + 1), (later.start, later.end));
                assert_eq!(now.len(), 10);
            }
            // Paging back from the list's own page meets each entry once.
            let full = total / 10;
            let own = First.entries(total, 10, true);
            let older = Archive(full.max(2) - 1).entries(total, 10, true);
            assert_eq!(own.end, if full >= 2 { older.start } else { total });
        }
        assert_eq!(First.entries(7, 10, true), 0..7);
        assert_eq!(ListPage::all(7, 10, true), [First]);
        // Newest first, as Zola and Hugo.
        assert_eq!(
            ListPage::all(25, 10, false),
            [First, Numbered(2), Numbered(3)]
        );
        assert_eq!(Numbered(3).entries(25, 10, false), 20..25);
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
    }

    #[test]
    fn windows_device_names_and_trailing_dots_are_reserved() {
        for name in [
            "con", "CON", "aux", "nul.html", "com1", "lpt9.txt", "prn.", "brief.",
        ] {
            assert!(reserved_on_windows(name), "{name}");
        }
        for name in [
            "console",
            "cons",
            "com",
            "com10",
            "lpt",
            "auxiliary",
            "nullify",
            "brief",
            "con-agency",
        ] {
            assert!(!reserved_on_windows(name), "{name}");
        }
        assert_eq!(slugify("Pakistan Courts Japan"), "pakistan-courts-japan");
    }
}
