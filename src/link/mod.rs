//! Link: resolve every reference, then derive backlinks, the sector tree,
//! list order and related pages. All of it is kept in vectors indexed by
//! [`PageId`].

pub mod items;
mod order;
pub mod refs;
pub mod related;
mod reresolve;
pub mod resolve;
pub mod stubs;
pub mod tree;
mod unchanged;

use order::{order_key, order_kinds};
use reresolve::{rekeyed_kinds, resolve, take_references};

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::pages::{PageId, Pages};
use crate::diagnostic::Diagnostic;
use resolve::Unpublished;

/// The site's link graph.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Graph {
    /// Outgoing references of each page: front matter first, then inline links.
    refs: Vec<Vec<PageId>>,
    /// Incoming references, by kind (config order), then list order.
    backlinks: Vec<Vec<PageId>>,
    /// Parents as written, before cycles were cut (kept for relinking).
    declared_parent: Vec<Option<PageId>>,
    /// Parents in the tree: the declared ones, minus those in a cycle.
    parent: Vec<Option<PageId>>,
    children: Vec<Vec<PageId>>,
    related: Vec<Vec<PageId>>,
    /// The score of the last related page when the list is full (a page
    /// must score at least this to enter it), else 0.
    related_floor: Vec<f64>,
    /// Each kind's pages in list order.
    order: IndexMap<String, Vec<PageId>, rustc_hash::FxBuildHasher>,
    /// Position of each page in its kind's order.
    rank: Vec<u32>,
    /// A hash of what places each page in its kind's order (its date,
    /// title and key): a page whose hash is the same is in the same place
    /// relative to every other page whose hash is the same, even when its
    /// position moved because pages came or went.
    order_key: Vec<u64>,
    /// Position of each page's kind in the config.
    kind_index: Vec<u32>,
    /// Problems resolving each page's references.
    problems: Vec<Vec<Diagnostic>>,
    /// A hash of everything above but the problems (see [`Graph::print`]).
    print: u64,
}

impl Graph {
    /// A graph of `capacity` page slots with nothing in it.
    fn empty(capacity: usize) -> Graph {
        Graph {
            refs: vec![Vec::new(); capacity],
            backlinks: vec![Vec::new(); capacity],
            declared_parent: vec![None; capacity],
            parent: vec![None; capacity],
            children: vec![Vec::new(); capacity],
            related: vec![Vec::new(); capacity],
            related_floor: vec![0.0; capacity],
            rank: vec![u32::MAX; capacity],
            order_key: vec![0; capacity],
            kind_index: vec![u32::MAX; capacity],
            order: IndexMap::default(),
            problems: vec![Vec::new(); capacity],
            print: 0,
        }
    }
    /// A hash of the graph's links, order and related lists: two graphs
    /// with the same print answer every question about links alike
    /// (deps computed from the graph need not be computed again).
    pub fn print(&self) -> u64 {
        self.print
    }

    /// Works out [`Graph::print`] (when the graph was made anew).
    fn seal(&mut self) {
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(
            &(
                &self.refs,
                &self.backlinks,
                &self.declared_parent,
                &self.parent,
                &self.children,
                &self.related,
                &self.rank,
                &self.order_key,
                &self.kind_index,
            ),
            &mut h,
        );
        for (kind, list) in &self.order {
            std::hash::Hash::hash(&(kind, list), &mut h);
        }
        for floor in &self.related_floor {
            std::hash::Hash::hash(&floor.to_bits(), &mut h);
        }
        self.print = std::hash::Hasher::finish(&h);
    }

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

    /// The lowest score that gets a page into `id`'s full related list.
    pub fn related_floor(&self, id: PageId) -> f64 {
        self.related_floor.get(id.index()).copied().unwrap_or(0.0)
    }

    /// Position of each page's kind in the config, by id.
    pub fn kind_index(&self, id: PageId) -> u32 {
        self.kind_index.get(id.index()).copied().unwrap_or(u32::MAX)
    }

    /// A kind's pages in list order (newest first, or by title).
    pub fn ordered(&self, kind: &str) -> &[PageId] {
        self.order.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn rank(&self, id: PageId) -> u32 {
        self.rank.get(id.index()).copied().unwrap_or(u32::MAX)
    }

    /// The pages just before and after `id` in its kind's list.
    pub fn adjacent(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        // The order holds the kinds in the configuration's order, as
        // `kind_index` counts them (see `order_kinds`); a page the graph
        // lacks has no list.
        let kind = self.kind_index(id) as usize;
        let list = self
            .order
            .get_index(kind)
            .map_or(&[][..], |(_, l)| l.as_slice());
        let at = self.rank(id) as usize;
        if list.get(at) != Some(&id) {
            return (None, None);
        }
        let before = at.checked_sub(1).and_then(|i| list.get(i)).copied();
        (before, list.get(at + 1).copied())
    }

    /// Every page's order key, by id (see [`Graph::order_key`]).
    pub fn order_keys(&self) -> &[u64] {
        &self.order_key
    }

    /// See [`Graph::order_key`]'s field; 0 for a page the graph lacks.
    pub fn order_key(&self, id: PageId) -> u64 {
        self.order_key.get(id.index()).copied().unwrap_or(0)
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

    /// The pages [`Graph::mentions`] lists, each once, in no set order:
    /// for what counts them (a sector's thousands of briefs, on every
    /// update, for its list, its pictures and its outputs), without
    /// putting them in list order.
    pub fn mentioning(&self, id: PageId) -> Vec<PageId> {
        let descendants = self.descendants(id);
        let mut all: Vec<PageId> = self.backlinks(id).to_vec();
        if !descendants.is_empty() {
            for d in descendants {
                all.extend_from_slice(self.backlinks(d));
            }
            all.sort_unstable();
            all.dedup();
        }
        all
    }

    /// How many pages of each kind (by kind index, `kinds` of them)
    /// mention `id`, as [`Graph::mentions`] lists them.
    pub fn mention_counts(&self, id: PageId, kinds: usize) -> Vec<usize> {
        let mut counts = vec![0usize; kinds];
        let mut count = |m: PageId| {
            if let Some(n) = counts.get_mut(self.kind_index(m) as usize) {
                *n += 1;
            }
        };
        // Most pages have no descendants: their backlinks, as they are
        // (this runs for every page on every update, to plan the outputs).
        if self.children(id).is_empty() {
            self.backlinks(id).iter().copied().for_each(&mut count);
        } else {
            self.mentioning(id).into_iter().for_each(&mut count);
        }
        counts
    }

    fn sort_by_kind_and_rank(&self, ids: &mut [PageId]) {
        ids.sort_by_key(|&id| (self.kind_index[id.index()], self.rank(id), id));
    }
}

/// The result of linking.
#[derive(Debug)]
pub struct Linked {
    pub graph: Graph,
    pub diagnostics: Vec<Diagnostic>,
    /// Pages this linking made (or changed) and dropped: stubs, and the
    /// pages of asks and offers.
    pub made: stubs::StubSync,
}

/// Links the site from scratch.
pub fn link(
    pages: &mut Pages,
    config: &Config,
    unpublished: &Unpublished,
) -> (Graph, Vec<Diagnostic>) {
    let linked = relink(pages, config, unpublished, None);
    (linked.graph, linked.diagnostics)
}

/// What changed since the previous linking, for [`relink`].
pub struct Previous<'a> {
    pub graph: Graph,
    /// Pages added, edited or removed since (by id).
    pub changed: &'a HashSet<PageId>,
    /// The kinds in which pages appeared, went, were renamed or moved, or
    /// became (un)published: every reference into them is resolved again,
    /// since it may now find a different page. A reference into another
    /// kind finds what it found (see [`resolve::Resolver::find`]).
    pub rekeyed: &'a BTreeSet<String>,
}

/// What linking may keep of the last graph: the graph, and the pages
/// changed since (`None` when linking from nothing).
type Reuse<'p> = Option<(&'p Graph, &'p HashSet<PageId>)>;

/// Links the site: syncs stub pages, resolves references, and derives
/// backlinks, list order, the tree and related pages. With `previous`,
/// what an edit cannot have changed is kept: the references of other pages
/// (but those into a kind where a page appeared or went, see
/// `reresolve.rs`), the order of other kinds, and the related lists of
/// unaffected pages.
pub fn relink(
    pages: &mut Pages,
    config: &Config,
    unpublished: &Unpublished,
    previous: Option<Previous<'_>>,
) -> Linked {
    let items = items::sync(pages, config);
    let mut stubs = stubs::sync(pages, config, unpublished);
    let mut diagnostics = items.problems;
    diagnostics.extend(stubs.problems.iter().cloned());
    // Stubs and items made or gone are pages come or gone: the graph is
    // made again (not kept as it was), and the references into their
    // kinds are resolved again (an update may now find its item). They
    // and the items whose table changed are pages edited: their own
    // references are resolved again. Guarded by tests/differential.rs:
    // without the items made or gone it fails at seed 1 within the first
    // steps; without the pages made taken as edited, at seed 1, step 21.
    let stubs_changed = !stubs.added.is_empty()
        || !stubs.removed.is_empty()
        || !items.made.is_empty()
        || !items.removed.is_empty();
    stubs
        .added
        .extend(items.made.iter().chain(&items.changed).copied());
    stubs.removed.extend(items.removed.iter().copied());
    let mut edited: HashSet<PageId> = previous
        .as_ref()
        .map(|p| p.changed.clone())
        .unwrap_or_default();
    edited.extend(stubs.added.iter().chain(&stubs.removed).copied());
    let rekeyed = previous
        .as_ref()
        .map(|p| rekeyed_kinds(p, &stubs, pages))
        .unwrap_or_default();
    let previous = previous.map(|p| Previous {
        changed: &edited,
        rekeyed: &rekeyed,
        ..p
    });
    let reuse: Reuse<'_> = previous.as_ref().map(|p| (&p.graph, p.changed));
    let went = !stubs.removed.is_empty();
    let resolved = resolve(pages, config, unpublished, reuse, (&rekeyed, went));
    // An edit that changed no page's links, parent or place in its list
    // leaves the graph as it was, but for the problems of what was
    // resolved again. Guarded by tests/differential.rs: without the check
    // of references it fails at seed 1, step 7; of parents at seed 2,
    // step 31; of places in the lists at seed 3, step 36.
    let same = rekeyed.is_empty()
        && !stubs_changed
        && reuse
            .is_some_and(|(old, changed)| unchanged::same_links(old, changed, &resolved, pages));
    if same && let Some(previous) = previous {
        let graph = unchanged::with_problems(previous.graph, resolved, pages, &mut diagnostics);
        diagnostics.extend(items::check(pages, &graph));
        return Linked {
            graph,
            diagnostics,
            made: stubs,
        };
    }
    let reuse: Reuse<'_> = previous.as_ref().map(|p| (&p.graph, p.changed));
    let mut graph = Graph::empty(pages.capacity());
    take_references(&mut graph, pages, reuse, resolved);
    diagnostics.extend(graph.problems.iter().flatten().cloned());
    graph.parent = graph.declared_parent.clone();
    for cycle in tree::cycles(&graph.declared_parent) {
        diagnostics.push(refs::cycle_error(pages, &cycle));
        for id in cycle {
            graph.parent[id.index()] = None;
        }
    }
    let placed = placed_since(previous.as_ref(), &stubs);
    let order_reuse: Reuse<'_> = previous.as_ref().map(|p| (&p.graph, &placed));
    order_kinds(&mut graph, pages, config, order_reuse);
    derive_backlinks(&mut graph, pages);
    let inputs = related::Inputs::new(pages, config, &graph);
    let computed = match previous {
        None => related::all(&inputs),
        Some(previous) => {
            let mut changed = previous.changed.clone();
            changed.extend(stubs.added.iter().copied());
            changed.extend(stubs.removed.iter().copied());
            // Pages whose references resolve otherwise without an edit of
            // their own: a page they name came or went (content/ replaced,
            // half of it put back). Found from the graphs, not from what
            // was edited; guarded by tests/live.rs
            // `the_content_folder_replaced_and_half_restored_matches_a_full_build`.
            changed.extend(
                pages
                    .ids()
                    .filter(|&id| graph.refs[id.index()].as_slice() != previous.graph.refs(id)),
            );
            let computed = related::update(&inputs, &previous.graph, &changed);
            // The last graph's thousands of vectors are freed off the
            // update's path.
            let old = previous.graph;
            rayon::spawn(move || drop(old));
            computed
        }
    };
    for (id, list, floor) in computed {
        graph.related[id.index()] = list;
        graph.related_floor[id.index()] = floor;
    }
    graph.seal();
    diagnostics.extend(items::check(pages, &graph));
    Linked {
        graph,
        diagnostics,
        made: stubs,
    }
}

/// The pages whose place in their list may have changed since `previous`:
/// a page's place depends on its own fields alone, so the last lists are
/// kept and these put in their places, even when pages came or went.
/// Guarded by tests/differential.rs: without the stubs made or dropped,
/// it fails at seed 1, step 7.
fn placed_since(previous: Option<&Previous<'_>>, stubs: &stubs::StubSync) -> HashSet<PageId> {
    let mut placed: HashSet<PageId> = HashSet::new();
    if let Some(p) = previous {
        placed.extend(p.changed.iter().copied());
        placed.extend(stubs.added.iter().copied());
        placed.extend(stubs.removed.iter().copied());
    }
    placed
}

/// Backlinks (sorted by kind and rank) and children (by rank), from the
/// references and parents.
fn derive_backlinks(graph: &mut Graph, pages: &Pages) {
    for (id, _) in pages.iter() {
        for &target in &graph.refs[id.index()] {
            graph.backlinks[target.index()].push(id);
        }
        if let Some(parent) = graph.parent[id.index()] {
            graph.children[parent.index()].push(id);
        }
    }
    let mut backlinks = std::mem::take(&mut graph.backlinks);
    backlinks
        .par_iter_mut()
        .for_each(|list| graph.sort_by_kind_and_rank(list));
    graph.backlinks = backlinks;
    for list in &mut graph.children {
        list.sort_by_key(|&id| graph.rank[id.index()]);
    }
}
