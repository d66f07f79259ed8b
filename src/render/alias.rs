//! Redirect pages: old URLs of a page (its `aliases`), and the pages of a
//! list numbered from the newest once it is paged as an archive.

use super::reader::Reader;
use super::sitemap::xml_escape;
use super::targets::Target;
use crate::content::pages::PageId;
use crate::site::Site;
use crate::urls::{ListPage, list_path, mentions_path};

/// A page that redirects to `id`, by meta refresh, with a canonical link
/// for search engines and a plain link for everyone else.
pub fn redirect_page(r: &Reader, id: PageId) -> String {
    let page = r.page(id);
    redirect(r, &page.url_path(), page.title())
}

/// A page of a list numbered from the newest (`page/2/`), in a list now
/// paged as an archive: a redirect to the list's own page, its newest
/// entries. Those pages held other entries with every new one, so no
/// archive page is the one a link meant.
pub fn moved_list_page(r: &Reader, site: &Site, target: &Target) -> String {
    let (path, title) = match target.own() {
        Target::Mentions { page: id, kind, .. } => {
            let page = r.page(*id);
            let label = site.config.kind(kind).map_or_else(
                || kind.clone(),
                |k| k.mentions_label(page.kind(), page.title(), page.name()),
            );
            let path = mentions_path(&page.url_path(), kind, ListPage::First);
            (r.page_output(*id, path), label)
        }
        Target::List { kind, .. } => {
            let title = site
                .config
                .kind(kind)
                .map_or_else(|| kind.clone(), |k| k.title.clone());
            (r.localize(&list_path(kind, ListPage::First)), title)
        }
        _ => (String::new(), site.config.title.clone()),
    };
    redirect(r, &path, &title)
}

/// A page that redirects to the site-relative `path`, titled `title`.
fn redirect(r: &Reader, path: &str, title: &str) -> String {
    let url = xml_escape(&r.base_url().link(path));
    let permalink = xml_escape(&r.base_url().permalink(path));
    let title = xml_escape(title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n\
         <link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = xml_escape(r.lang().unwrap_or(&r.config().language)),
    )
}
