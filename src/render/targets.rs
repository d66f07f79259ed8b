//! Render targets: every file a build produces from the site's data.

use crate::site::Site;
use crate::site::pages::PageId;
use crate::urls::{list_path, output_file, page_path};

/// One rendered output of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Home,
    Page(PageId),
    /// List page `number` (1-based) of a kind.
    List {
        kind: String,
        number: usize,
    },
    NotFound,
    Sitemap,
    Robots,
}

impl Target {
    /// The site-relative URL path: `agencies/jica/`, `sitemap.xml`.
    pub fn url_path(&self, site: &Site) -> String {
        match self {
            Target::Home => String::new(),
            Target::Page(id) => {
                let page = site.page(*id);
                page_path(page.kind(), page.slug())
            }
            Target::List { kind, number } => list_path(kind, *number),
            Target::NotFound => "404.html".into(),
            Target::Sitemap => "sitemap.xml".into(),
            Target::Robots => "robots.txt".into(),
        }
    }

    /// The output file, relative to the output folder.
    pub fn output_file(&self, site: &Site) -> String {
        output_file(&self.url_path(site))
    }

    /// Names the target in messages.
    pub fn describe(&self, site: &Site) -> String {
        match self {
            Target::Home => "the home page".into(),
            Target::Page(id) => site.page(*id).key.to_string(),
            Target::List { kind, number } => format!("the {kind} list, page {number}"),
            Target::NotFound => "404.html".into(),
            Target::Sitemap => "sitemap.xml".into(),
            Target::Robots => "robots.txt".into(),
        }
    }
}

/// How many list pages a kind has (at least one, even when empty).
pub fn list_page_count(site: &Site, kind: &str) -> usize {
    let per_page = site.config.kind(kind).map_or(1, |k| k.paginate_by.max(1));
    site.graph.ordered(kind).len().div_ceil(per_page).max(1)
}

/// Every target of the site, in a stable order.
pub fn all(site: &Site) -> Vec<Target> {
    let mut targets = vec![
        Target::Home,
        Target::NotFound,
        Target::Sitemap,
        Target::Robots,
    ];
    for kind in &site.config.kinds {
        for number in 1..=list_page_count(site, &kind.name) {
            targets.push(Target::List {
                kind: kind.name.clone(),
                number,
            });
        }
        targets.extend(
            site.graph
                .ordered(&kind.name)
                .iter()
                .map(|&id| Target::Page(id)),
        );
    }
    targets
}
