//! Link: resolve every reference, then derive backlinks, the sector tree,
//! list order and related pages. All of it is kept in vectors indexed by
//! [`PageId`].

pub mod related;
pub mod resolve;
pub mod tree;

use std::cmp::{Ordering, Reverse};
use std::collections::BTreeMap;

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::config::{Config, SortBy};
use crate::content::{Page, PageKey};
use crate::diagnostic::Diagnostic;
use crate::site::pages::{PageId, Pages};
use resolve::{Outcome, Resolver, Unpublished};

/// The site's link graph.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Outgoing references of each page: front matter first, then inline links.
    refs: Vec<Vec<PageId>>,
    /// Incoming references, by kind (config order), then list order.
    backlinks: Vec<Vec<PageId>>,
    parent: Vec<Option<PageId>>,
    children: Vec<Vec<PageId>>,
    related: Vec<Vec<PageId>>,
    /// Each kind's pages in list order.
    order: IndexMap<String, Vec<PageId>>,
    /// Position of each page in its kind's order.
    rank: Vec<u32>,
    /// Position of each page's kind in the config.
    kind_index: Vec<u32>,
}

impl Graph {
    pub fn refs(&self, id: PageId) -> &[PageId] {
        self.refs.get(id.index()).map_or(&[], Vec::as_slice)
    }

    pub fn backlinks(&self, id: PageId) -> &[PageId] {
        self.backlinks.get(id.index()).map_or(&[], Vec::as_slice)
    }

    pub fn parent(&self, id: PageId) -> Option<PageId> {
        self.parent.get(id.index()).copied().flatten()
    }

    pub fn children(&self, id: PageId) -> &[PageId] {
        self.children.get(id.index()).map_or(&[], Vec::as_slice)
    }

    pub fn related(&self, id: PageId) -> &[PageId] {
        self.related.get(id.index()).map_or(&[], Vec::as_slice)
    }

    /// A kind's pages in list order (newest first, or by title).
    pub fn ordered(&self, kind: &str) -> &[PageId] {
        self.order.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn rank(&self, id: PageId) -> u32 {
        self.rank.get(id.index()).copied().unwrap_or(u32::MAX)
    }

    /// Ancestors, nearest first. Cycles were cut when linking.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut out = Vec::new();
        let mut current = self.parent(id);
        while let Some(p) = current {
            if out.contains(&p) || p == id {
                break;
            }
            out.push(p);
            current = self.parent(p);
        }
        out
    }

    /// All descendants, depth first.
    pub fn descendants(&self, id: PageId) -> Vec<PageId> {
        let mut out = Vec::new();
        let mut stack: Vec<PageId> = self.children(id).iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            if c == id || out.contains(&c) {
                continue;
            }
            out.push(c);
            stack.extend(self.children(c).iter().rev().copied());
        }
        out
    }

    /// The pages that mention `id` or, in a tree kind, any of its
    /// descendants: a sector's briefings include its subsectors'.
    pub fn mentions(&self, id: PageId) -> Vec<PageId> {
        let descendants = self.descendants(id);
        if descendants.is_empty() {
            return self.backlinks(id).to_vec();
        }
        let mut all: Vec<PageId> = self.backlinks(id).to_vec();
        for d in descendants {
            all.extend_from_slice(self.backlinks(d));
        }
        self.sort_by_kind_and_rank(&mut all);
        all.dedup();
        all
    }

    fn sort_by_kind_and_rank(&self, ids: &mut [PageId]) {
        ids.sort_by_key(|&id| (self.kind_index[id.index()], self.rank(id), id));
    }
}

/// Orders two pages of a kind as its list does.
pub fn list_order(a: &Page, b: &Page, sort_by: SortBy) -> Ordering {
    let by_title = || {
        a.fields
            .title
            .to_lowercase()
            .cmp(&b.fields.title.to_lowercase())
            .then_with(|| a.key.cmp(&b.key))
    };
    match sort_by {
        SortBy::Title => by_title(),
        SortBy::Date => {
            let date = |p: &Page| p.fields.date.as_ref().map(|d| Reverse(*d.get_ref()));
            // Undated pages go last.
            match (date(a), date(b)) {
                (Some(x), Some(y)) => x.cmp(&y).then_with(by_title),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => by_title(),
            }
        }
    }
}

/// One page's resolved references and parent.
struct Resolved {
    id: PageId,
    refs: Vec<PageId>,
    parent: Option<PageId>,
    problems: Vec<Diagnostic>,
}

/// Links the site: adds stub pages where kinds allow them, resolves every
/// reference, and builds the graph. Returns every problem found.
pub fn link(
    pages: &mut Pages,
    config: &Config,
    unpublished: &Unpublished,
) -> (Graph, Vec<Diagnostic>) {
    let mut diagnostics = add_stubs(pages, config, unpublished);
    let resolver = Resolver {
        pages,
        config,
        unpublished,
    };

    let capacity = pages.capacity();
    let mut graph = Graph {
        refs: vec![Vec::new(); capacity],
        backlinks: vec![Vec::new(); capacity],
        parent: vec![None; capacity],
        children: vec![Vec::new(); capacity],
        related: vec![Vec::new(); capacity],
        rank: vec![u32::MAX; capacity],
        kind_index: vec![u32::MAX; capacity],
        order: IndexMap::new(),
    };

    let resolved: Vec<Resolved> = pages
        .iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(id, page)| {
            let (refs, mut problems) = resolve_refs(&resolver, id, page);
            let parent = resolve_parent(&resolver, page, &mut problems);
            Resolved {
                id,
                refs,
                parent,
                problems,
            }
        })
        .collect();
    for r in resolved {
        graph.refs[r.id.index()] = r.refs;
        graph.parent[r.id.index()] = r.parent;
        diagnostics.extend(r.problems);
    }

    for cycle in tree::cycles(&graph.parent) {
        diagnostics.push(cycle_error(pages, &cycle));
        for id in cycle {
            graph.parent[id.index()] = None;
        }
    }

    for kind in &config.kinds {
        graph.order.insert(kind.name.clone(), Vec::new());
    }
    for (id, page) in pages.iter() {
        graph.kind_index[id.index()] = config.kind_index(page.kind()) as u32;
        if let Some(list) = graph.order.get_mut(page.kind()) {
            list.push(id);
        }
    }
    for kind in &config.kinds {
        if let Some(list) = graph.order.get_mut(&kind.name) {
            list.sort_by(|&a, &b| list_order(pages.page(a), pages.page(b), kind.sort_by));
            for (rank, id) in list.iter().enumerate() {
                graph.rank[id.index()] = rank as u32;
            }
        }
    }

    for (id, _) in pages.iter() {
        for &target in &graph.refs[id.index()] {
            graph.backlinks[target.index()].push(id);
        }
        if let Some(parent) = graph.parent[id.index()] {
            graph.children[parent.index()].push(id);
        }
    }
    let mut backlinks = std::mem::take(&mut graph.backlinks);
    for list in &mut backlinks {
        graph.sort_by_kind_and_rank(list);
    }
    graph.backlinks = backlinks;
    for list in &mut graph.children {
        list.sort_by_key(|&id| graph.rank[id.index()]);
    }

    let inputs = related::Inputs {
        pages,
        config,
        refs: &graph.refs,
        backlinks: &graph.backlinks,
        rank: &graph.rank,
        kind_index: &graph.kind_index,
    };
    let ids: Vec<PageId> = pages.ids().collect();
    let related: Vec<Vec<PageId>> = ids
        .par_iter()
        .map_init(related::Scratch::default, |scratch, &id| {
            related::related(&inputs, id, scratch)
        })
        .collect();
    for (id, list) in ids.into_iter().zip(related) {
        graph.related[id.index()] = list;
    }

    (graph, diagnostics)
}

/// Resolves a page's front-matter references and inline links, checking
/// link anchors against the target's headings.
pub fn resolve_refs(
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
) -> (Vec<PageId>, Vec<Diagnostic>) {
    let mut refs = Vec::new();
    let mut problems = Vec::new();
    let add = |target: PageId, refs: &mut Vec<PageId>| {
        if target != id && !refs.contains(&target) {
            refs.push(target);
        }
    };
    for site in &page.fields.refs {
        match resolver.reference(&site.kind, &site.slug, page.file.at(site.span.clone())) {
            Outcome::Found(target) => add(target, &mut refs),
            Outcome::Missing(d) => problems.push(d),
            Outcome::NeedsStub(_) | Outcome::Silent => {}
        }
    }
    for link in &page.rendered.links {
        let at = page
            .file
            .at(page.body_offset + link.span.start..page.body_offset + link.span.end);
        match resolver.link(&link.written, &link.kind, &link.name, at.clone()) {
            Outcome::Found(target) => {
                if let Some(anchor) = &link.anchor
                    && let Some(d) = check_anchor(resolver.pages.page(target), anchor, at)
                {
                    problems.push(d);
                }
                add(target, &mut refs);
            }
            Outcome::Missing(d) => problems.push(d),
            Outcome::NeedsStub(_) | Outcome::Silent => {}
        }
    }
    (refs, problems)
}

fn check_anchor(
    target: &Page,
    anchor: &str,
    at: crate::diagnostic::Location,
) -> Option<Diagnostic> {
    let anchors = &target.rendered.anchors;
    if anchors.iter().any(|a| a == anchor) {
        return None;
    }
    let hint = match crate::diagnostic::did_you_mean(anchor, anchors.iter().map(String::as_str)) {
        Some(h) => h,
        None if anchors.is_empty() => format!("{} has no headings to link to", target.key),
        None => format!(
            "the headings of {} are: {}",
            target.key,
            anchors
                .iter()
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(
        Diagnostic::error(format!(
            "broken anchor: {} has no heading `#{anchor}`",
            target.key
        ))
        .at(at)
        .label("no such heading")
        .hint(hint),
    )
}

/// Resolves `parent` (a page of the same kind).
pub fn resolve_parent(
    resolver: &Resolver<'_>,
    page: &Page,
    problems: &mut Vec<Diagnostic>,
) -> Option<PageId> {
    let site = page.fields.parent.as_ref()?;
    let at = page.file.at(site.span.clone());
    if site.slug == page.slug() {
        problems.push(
            Diagnostic::error(format!("`{}` cannot be its own parent", site.slug))
                .at(at)
                .hint("remove `parent`, or name a broader sector"),
        );
        return None;
    }
    match resolver.reference(&site.kind, &site.slug, at) {
        Outcome::Found(id) => Some(id),
        Outcome::Missing(d) => {
            problems.push(d);
            None
        }
        Outcome::NeedsStub(_) | Outcome::Silent => None,
    }
}

fn cycle_error(pages: &Pages, cycle: &[PageId]) -> Diagnostic {
    let first = pages.page(cycle[0]);
    let mut chain: Vec<&str> = cycle.iter().map(|&id| pages.page(id).slug()).collect();
    chain.push(first.slug());
    let span = first
        .fields
        .parent
        .as_ref()
        .map(|p| p.span.clone())
        .unwrap_or(0..0);
    Diagnostic::error(format!("{} parents form a cycle: {}", first.kind(), chain.join(" → ")))
        .at(first.file.at(span))
        .label("this parent leads back here")
        .hint("a sector cannot be inside its own subsector; remove or change one of these `parent` fields")
}

/// Creates stub pages for unknown slugs of kinds with `stubs = true`, with
/// a warning at the first mention of each.
fn add_stubs(pages: &mut Pages, config: &Config, unpublished: &Unpublished) -> Vec<Diagnostic> {
    if !config.kinds.iter().any(|k| k.stubs) {
        return Vec::new();
    }
    let mut needed: BTreeMap<PageKey, crate::diagnostic::Location> = BTreeMap::new();
    {
        let resolver = Resolver {
            pages,
            config,
            unpublished,
        };
        let mut by_path: Vec<&Page> = pages.iter().map(|(_, p)| p).collect();
        by_path.sort_by(|a, b| a.file.path.cmp(&b.file.path));
        for page in by_path {
            let mut note = |kind: &str, outcome: Outcome, at: crate::diagnostic::Location| {
                if let Outcome::NeedsStub(slug) = outcome {
                    needed.entry(PageKey::new(kind, &slug)).or_insert(at);
                }
            };
            for site in page.fields.refs.iter().chain(page.fields.parent.as_ref()) {
                let at = page.file.at(site.span.clone());
                note(
                    &site.kind,
                    resolver.reference(&site.kind, &site.slug, at.clone()),
                    at,
                );
            }
            for link in &page.rendered.links {
                let at = page
                    .file
                    .at(page.body_offset + link.span.start..page.body_offset + link.span.end);
                note(
                    &link.kind,
                    resolver.link(&link.written, &link.kind, &link.name, at.clone()),
                    at,
                );
            }
        }
    }
    let mut warnings = Vec::new();
    for (key, at) in needed {
        let singular = config
            .kind(&key.kind)
            .map_or("page".to_string(), |k| k.singular.to_lowercase());
        warnings.push(
            Diagnostic::warning(format!(
                "no {singular} `{}`: created a stub page for it",
                key.slug
            ))
            .at(at.clone())
            .label("stub created")
            .hint(format!(
                "write content/{}/{}.md to give it a real page",
                key.kind, key.slug
            )),
        );
        let stub = Page::stub(&key.kind, &key.slug, &at.file);
        // The key was unknown a moment ago, so the insert cannot clash.
        let _ = pages.insert(stub);
    }
    warnings
}
