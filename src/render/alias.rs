//! Redirect pages for `aliases`: old URLs that send readers to the page.

use super::reader::Reader;
use super::sitemap::xml_escape;
use crate::content::pages::PageId;

/// A page that redirects to `id`, by meta refresh, with a canonical link
/// for search engines and a plain link for everyone else.
pub fn redirect_page(r: &Reader, id: PageId) -> String {
    let page = r.page(id);
    let path = page.url_path();
    let url = xml_escape(&r.base_url().link(&path));
    let permalink = xml_escape(&r.base_url().permalink(&path));
    let title = xml_escape(page.title());
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n\
         <link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = xml_escape(&r.config().language),
    )
}
