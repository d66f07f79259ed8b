//! Which outputs a content change affects.
//!
//! A page shows its own content and the summaries (title, date, summary,
//! URL) of the pages it references, of those that reference it, of its
//! related pages and, in a tree kind, of its relatives. So an edit affects
//! the edited page; every page whose references, backlinks or related list
//! changed; and, when its summary changed, every page that shows it. Feeds,
//! calendars, lists, the home page and the sitemap follow the same way.
//! Outputs that are new or gone are found separately, by comparing target
//! sets (see `Live::apply`).

use std::collections::{BTreeSet, HashSet};

use crate::render::Target;
use crate::render::targets::{list_page_count, page_targets};
use crate::site::pages::PageId;
use crate::site::{ContentDelta, Site};

/// The targets to render again after `delta`; `summaries` are the pages
/// whose summary changed.
pub fn targets(site: &Site, delta: &ContentDelta, summaries: &HashSet<PageId>) -> BTreeSet<Target> {
    let graph = &site.graph;
    let old = &delta.previous;
    let entry_kind = crate::render::feed::entry_kind(site).unwrap_or_default();
    let event_kind = crate::render::calendar::event_kind(site).unwrap_or_default();
    let live = |id: PageId| site.pages.get(id).is_some();
    let kind_of = |id: PageId| -> Option<String> {
        match site.pages.get(id) {
            Some(p) => Some(p.kind().to_string()),
            None => site
                .config
                .kinds
                .get(old.kind_index(id) as usize)
                .map(|k| k.name.clone()),
        }
    };
    let mut out = BTreeSet::new();
    let mut pages: HashSet<PageId> = HashSet::new();

    // The edited pages themselves, with their feed, calendar, event file
    // and redirects.
    for &id in &delta.changed {
        if live(id) {
            out.extend(page_targets(site, id));
        }
    }
    // Pages whose own lists changed.
    let ids: Vec<PageId> = site.pages.ids().collect();
    for &id in &ids {
        if graph.refs(id) != old.refs(id) || graph.related(id) != old.related(id) {
            pages.insert(id);
        }
        if graph.backlinks(id) != old.backlinks(id) {
            pages.insert(id);
            // A tree page shows its descendants' backlinks too.
            pages.extend(graph.ancestors(id));
            out.insert(Target::PageFeed(id));
            out.insert(Target::PageCalendar(id));
            for a in graph.ancestors(id) {
                out.insert(Target::PageFeed(a));
                out.insert(Target::PageCalendar(a));
            }
        }
    }
    // Pages that show a changed or removed page's summary.
    let gone: HashSet<PageId> = summaries.iter().chain(&delta.removed).copied().collect();
    let tree_kinds: HashSet<&str> = site
        .config
        .kinds
        .iter()
        .filter(|k| k.tree)
        .map(|k| k.name.as_str())
        .collect();
    let mut tree_changed = false;
    for &id in &gone {
        for graph in [graph, old] {
            pages.extend(graph.backlinks(id));
            for &target in graph.refs(id) {
                pages.insert(target);
                pages.extend(graph.ancestors(target));
            }
        }
        if kind_of(id).is_some_and(|k| tree_kinds.contains(k.as_str())) {
            tree_changed = true;
        }
    }
    for &id in &ids {
        if graph.related(id).iter().any(|r| gone.contains(r)) {
            pages.insert(id);
        }
        if graph.parent(id) != old.parent(id) || graph.children(id) != old.children(id) {
            tree_changed = true;
        }
    }
    if tree_changed {
        // Tree pages show their relatives, and their feeds and calendars
        // include their descendants' entries.
        for kind in &tree_kinds {
            for &id in graph.ordered(kind) {
                pages.insert(id);
                out.insert(Target::PageFeed(id));
                out.insert(Target::PageCalendar(id));
            }
        }
    }
    for id in pages {
        if live(id) {
            out.insert(Target::Page(id));
        }
    }

    // Feeds and calendars that list a changed entry or event (they show
    // content, not only summaries). A feed entry also names what it
    // references, so an entry that references a renamed page counts.
    let mut touched: HashSet<PageId> = delta
        .changed
        .iter()
        .chain(&delta.removed)
        .copied()
        .collect();
    for &id in summaries {
        touched.extend(
            graph
                .backlinks(id)
                .iter()
                .filter(|&&e| kind_of(e).as_deref() == Some(entry_kind)),
        );
    }
    let mut entries_changed = false;
    let mut events_changed = false;
    for &id in &touched {
        let kind = kind_of(id);
        let entry = kind.as_deref() == Some(entry_kind);
        let event = kind.as_deref() == Some(event_kind);
        entries_changed |= entry;
        events_changed |= event;
        if !(entry || event) {
            continue;
        }
        for graph in [graph, old] {
            for &target in graph.refs(id) {
                for t in std::iter::once(target).chain(graph.ancestors(target)) {
                    out.insert(if entry {
                        Target::PageFeed(t)
                    } else {
                        Target::PageCalendar(t)
                    });
                }
            }
        }
    }
    if entries_changed {
        out.insert(Target::SiteFeed);
    }
    if events_changed {
        out.insert(Target::Calendar);
    }

    // List pages: from where the order changed, and where a summary changed.
    let mut home = !delta.removed.is_empty() || delta.intros.contains(&None);
    for kind in &site.config.kinds {
        let new_order = graph.ordered(&kind.name);
        let old_order = old.ordered(&kind.name);
        let per_page = kind.paginate_by.max(1);
        let count = list_page_count(site, &kind.name);
        let mut numbers: BTreeSet<usize> = BTreeSet::new();
        if new_order != old_order {
            let first = new_order
                .iter()
                .zip(old_order)
                .take_while(|(a, b)| a == b)
                .count();
            numbers.extend(first / per_page + 1..=count);
            if new_order.len() != old_order.len() {
                // The counts shown on the home page and in list headers.
                numbers.extend(1..=count);
                home = true;
            }
            if kind.name == entry_kind || kind.name == event_kind {
                home = true;
            }
        }
        for &id in summaries {
            if site.pages.get(id).is_some_and(|p| p.kind() == kind.name) {
                numbers.insert(graph.rank(id) as usize / per_page + 1);
                if kind.name == entry_kind || kind.name == event_kind {
                    home = true;
                }
            }
        }
        if delta.intros.contains(&Some(kind.name.clone())) {
            numbers.extend(1..=count);
        }
        for number in numbers.into_iter().filter(|n| *n <= count) {
            out.insert(Target::List {
                kind: kind.name.clone(),
                number,
            });
        }
    }
    if home {
        out.insert(Target::Home);
    }
    if !delta.changed.is_empty() || !delta.removed.is_empty() {
        out.insert(Target::Sitemap);
    }
    // Outputs of removed pages are not rendered; they are deleted.
    out.retain(|t| t.page().is_none_or(live));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SiteOptions;

    /// A site on disk, loaded; `edit` rewrites files and applies them.
    struct Fixture {
        dir: tempfile::TempDir,
        site: Site,
    }

    impl Fixture {
        fn new(files: &[(&str, &str)]) -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("attache.toml"),
                "title = \"T\"\nbase_url = \"https://e.org/\"\npaginate_by = 2\n",
            )
            .unwrap();
            for (path, text) in files {
                let path = dir.path().join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let (site, _) = Site::load(&SiteOptions::new(dir.path())).unwrap();
            Fixture { dir, site }
        }

        fn edit(&mut self, path: &str, text: Option<&str>) -> BTreeSet<String> {
            let full = self.dir.path().join(path);
            match text {
                Some(text) => std::fs::write(full, text).unwrap(),
                None => std::fs::remove_file(full).unwrap(),
            }
            let mut data = crate::render::data::SiteData::build(&self.site);
            let delta = self.site.apply_content(&[path.into()]);
            let summaries = data.refresh(&self.site, &delta.changed, &delta.removed);
            targets(&self.site, &delta, &summaries)
                .iter()
                .map(|t| {
                    t.output_file(&self.site)
                        .unwrap_or_else(|| "search/".into())
                })
                .collect()
        }
    }

    fn brief(title: &str, date: &str, agencies: &str) -> String {
        format!(
            "+++\ntitle = \"{title}\"\ndate = {date}\nagencies = [{agencies}]\n+++\nSummary.\n\nMore text.\n"
        )
    }

    fn fixture() -> Fixture {
        Fixture::new(&[
            ("content/briefs/a.md", &brief("A", "2025-01-03", "\"jica\"")),
            ("content/briefs/b.md", &brief("B", "2025-01-02", "\"jica\"")),
            (
                "content/briefs/c.md",
                &brief("C", "2025-01-01", "\"jetro\""),
            ),
            ("content/agencies/jica.md", "+++\ntitle = \"JICA\"\n+++\n"),
            ("content/agencies/jetro.md", "+++\ntitle = \"JETRO\"\n+++\n"),
            (
                "content/agencies/unrelated.md",
                "+++\ntitle = \"Unrelated\"\n+++\n",
            ),
        ])
    }

    #[test]
    fn editing_the_body_renders_the_page_and_its_feeds_not_the_neighbours() {
        let mut f = fixture();
        let out = f.edit(
            "content/briefs/a.md",
            Some(&brief("A", "2025-01-03", "\"jica\"").replace("More text.", "Other text.")),
        );
        assert!(out.contains("briefs/a/index.html"));
        assert!(
            out.contains("agencies/jica/atom.xml"),
            "the feed shows full content"
        );
        assert!(out.contains("atom.xml"));
        assert!(
            !out.contains("agencies/jica/index.html"),
            "the summary did not change: {out:?}"
        );
        assert!(!out.contains("briefs/b/index.html"));
        assert!(!out.contains("agencies/unrelated/index.html"));
    }

    #[test]
    fn changing_a_title_renders_every_page_that_shows_it() {
        let mut f = fixture();
        let out = f.edit(
            "content/briefs/a.md",
            Some(&brief("A renamed", "2025-01-03", "\"jica\"")),
        );
        for file in [
            "briefs/a/index.html",
            "agencies/jica/index.html",
            "briefs/index.html",
            "index.html",
            "sitemap.xml",
        ] {
            assert!(out.contains(file), "{file} missing from {out:?}");
        }
        // B is related to A (both mention JICA) and shows its title.
        assert!(out.contains("briefs/b/index.html"), "{out:?}");
        assert!(!out.contains("agencies/jetro/index.html"));
        assert!(!out.contains("agencies/unrelated/index.html"));
    }

    #[test]
    fn moving_a_reference_renders_both_the_old_and_the_new_target() {
        let mut f = fixture();
        let out = f.edit(
            "content/briefs/c.md",
            Some(&brief("C", "2025-01-01", "\"jica\"")),
        );
        assert!(
            out.contains("agencies/jetro/index.html"),
            "lost a backlink: {out:?}"
        );
        assert!(
            out.contains("agencies/jica/index.html"),
            "gained a backlink"
        );
        assert!(out.contains("agencies/jetro/atom.xml"));
        assert!(out.contains("agencies/jica/atom.xml"));
        assert!(!out.contains("agencies/unrelated/index.html"));
    }

    #[test]
    fn a_new_date_renders_the_lists_from_where_the_order_changed() {
        let mut f = fixture();
        // C moves from last to first: both list pages change.
        let out = f.edit(
            "content/briefs/c.md",
            Some(&brief("C", "2025-02-01", "\"jetro\"")),
        );
        assert!(out.contains("briefs/index.html"));
        assert!(out.contains("briefs/page/2/index.html"));
        assert!(
            out.contains("index.html"),
            "the home page lists the latest briefs"
        );
    }

    #[test]
    fn deleting_a_page_renders_the_pages_that_showed_it() {
        let mut f = fixture();
        let out = f.edit("content/briefs/c.md", None);
        assert!(out.contains("agencies/jetro/index.html"));
        assert!(out.contains("briefs/index.html"));
        assert!(out.contains("index.html"));
        assert!(!out.contains("agencies/jica/index.html"));
    }
}
