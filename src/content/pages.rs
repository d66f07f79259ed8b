//! The loaded pages, addressed by a small stable id.
//!
//! Ids stay the same while the dev server adds, edits and removes pages,
//! so the link graph can be kept in plain vectors indexed by id.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::content::{Page, PageKey};

/// A page's index in [`Pages`]. Stable for the page's lifetime.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct PageId(pub u32);

impl PageId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// All pages of the site (published ones, and stubs).
#[derive(Debug, Clone, Default)]
pub struct Pages {
    slots: Vec<Option<Page>>,
    ids: HashMap<PageKey, PageId>,
    /// `(kind, file stem)` → id, for `@/kind/stem.md` links.
    stems: HashMap<(String, String), PageId>,
    /// The file of each page read from one (not stubs).
    paths: HashMap<PathBuf, PageId>,
    /// Ids that can be given to new pages.
    free: Vec<PageId>,
    /// Ids of pages removed since [`Pages::release`]: not reused yet, so
    /// that within one update an id never means two different pages.
    freed: Vec<PageId>,
    /// Ids whose page was added, replaced, changed or removed since the
    /// pages were made or restored: what a kept state must write again.
    touched: BTreeSet<PageId>,
}

/// What a build keeps of [`Pages`] beside the pages themselves (which it
/// keeps by slot, see [`Pages::slots`]); the lookups by key and by file
/// are made again from the pages. Written borrowed from the pages in
/// place, read back owned: one type for both.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct KeptPages<'a> {
    slots: usize,
    stems: Cow<'a, HashMap<(String, String), PageId>>,
    free: Cow<'a, [PageId]>,
    freed: Cow<'a, [PageId]>,
}

impl Pages {
    /// What to keep beside the slots.
    pub fn kept(&self) -> KeptPages<'_> {
        KeptPages {
            slots: self.slots.len(),
            stems: Cow::Borrowed(&self.stems),
            free: Cow::Borrowed(&self.free),
            freed: Cow::Borrowed(&self.freed),
        }
    }

    /// The pages a build kept: `kept`, and the slots in id order. `None`
    /// when they do not fit together.
    pub fn restore(kept: KeptPages<'_>, slots: Vec<Option<Page>>) -> Option<Pages> {
        if slots.len() != kept.slots {
            return None;
        }
        let live = || {
            (slots.iter().enumerate())
                .filter_map(|(i, p)| p.as_ref().map(|p| (PageId(i as u32), p)))
        };
        // The two lookups are made side by side: each is a hash map of
        // every page, and a build from the kept state waits for them.
        let (ids, paths) = rayon::join(
            || {
                let mut ids = HashMap::with_capacity(slots.len());
                ids.extend(live().map(|(id, page)| (page.key.clone(), id)));
                ids
            },
            || {
                let mut paths = HashMap::with_capacity(slots.len());
                paths.extend(
                    live()
                        .filter(|(_, page)| page.own_file())
                        .map(|(id, page)| (page.file.path.clone(), id)),
                );
                paths
            },
        );
        Some(Pages {
            slots,
            ids,
            stems: kept.stems.into_owned(),
            paths,
            free: kept.free.into_owned(),
            freed: kept.freed.into_owned(),
            touched: BTreeSet::new(),
        })
    }

    /// The slots of ids `range` (each a page, or `None` for a free id).
    pub fn slots(&self, range: std::ops::Range<usize>) -> &[Option<Page>] {
        let end = range.end.min(self.slots.len());
        self.slots
            .get(range.start.min(end)..end)
            .unwrap_or_default()
    }

    /// Ids whose page changed since the pages were made or restored.
    pub fn touched(&self) -> &BTreeSet<PageId> {
        &self.touched
    }
}

impl Pages {
    pub fn new() -> Self {
        Pages::default()
    }

    /// Adds a page; `Err` with the id of the page that has its key already.
    pub fn insert(&mut self, page: Page) -> Result<PageId, PageId> {
        if let Some(&existing) = self.ids.get(&page.key) {
            return Err(existing);
        }
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.slots.push(None);
                PageId((self.slots.len() - 1) as u32)
            }
        };
        self.ids.insert(page.key.clone(), id);
        if page.own_file() {
            self.stems
                .entry((page.key.kind.to_string(), page.stem.clone()))
                .or_insert(id);
            self.paths.insert(page.file.path.clone(), id);
        }
        self.slots[id.index()] = Some(page);
        self.touched.insert(id);
        Ok(id)
    }

    /// Replaces the page at `id` (same key) with a new version.
    pub fn replace(&mut self, id: PageId, page: Page) {
        debug_assert_eq!(self.get(id).map(|p| &p.key), Some(&page.key));
        self.slots[id.index()] = Some(page);
        self.touched.insert(id);
    }

    pub fn remove(&mut self, id: PageId) -> Option<Page> {
        let page = self.slots.get_mut(id.index())?.take()?;
        self.touched.insert(id);
        self.ids.remove(&page.key);
        let stem_key = (page.key.kind.to_string(), page.stem.clone());
        if self.stems.get(&stem_key) == Some(&id) {
            self.stems.remove(&stem_key);
        }
        if page.own_file() && self.paths.get(&page.file.path) == Some(&id) {
            self.paths.remove(&page.file.path);
        }
        self.freed.push(id);
        // Another page may have the same file name in another folder.
        if page.own_file() && !self.stems.contains_key(&stem_key) {
            let other = self
                .iter()
                .find(|(_, p)| p.own_file() && p.key.kind == page.key.kind && p.stem == page.stem)
                .map(|(other, _)| other);
            if let Some(other) = other {
                self.stems.insert(stem_key, other);
            }
        }
        Some(page)
    }

    /// Makes the ids of removed pages available again. Call between
    /// updates, once nothing refers to the removed pages any more.
    pub fn release(&mut self) {
        self.free.append(&mut self.freed);
    }

    pub fn get(&self, id: PageId) -> Option<&Page> {
        self.slots.get(id.index()).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, id: PageId) -> Option<&mut Page> {
        self.touched.insert(id);
        self.slots.get_mut(id.index()).and_then(Option::as_mut)
    }

    /// The page at `id`. Ids handed out by this store and not removed
    /// always have a page, which is the invariant this relies on.
    pub fn page(&self, id: PageId) -> &Page {
        self.get(id).expect("a live page id")
    }

    pub fn id(&self, key: &PageKey) -> Option<PageId> {
        self.ids.get(key).copied()
    }

    /// The page read from `path` (relative to the site root).
    pub fn by_path(&self, path: &Path) -> Option<PageId> {
        self.paths.get(path).copied()
    }

    pub fn by_slug(&self, kind: &str, slug: &str) -> Option<PageId> {
        self.ids.get(&PageKey::new(kind, slug)).copied()
    }

    /// The page read from a file named `name.md` in the kind's folder.
    /// Names are resolved by [`crate::link::resolve::Resolver::find`].
    pub fn by_stem(&self, kind: &str, name: &str) -> Option<PageId> {
        self.stems
            .get(&(kind.to_string(), name.to_string()))
            .copied()
    }

    /// Live pages with their ids, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (PageId, &Page)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|p| (PageId(i as u32), p)))
    }

    /// [`Pages::iter`], side by side (in id order where collected).
    pub fn par_iter(&self) -> impl rayon::iter::ParallelIterator<Item = (PageId, &Page)> {
        use rayon::prelude::*;
        self.slots
            .par_iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|p| (PageId(i as u32), p)))
    }

    pub fn ids(&self) -> impl Iterator<Item = PageId> + '_ {
        self.iter().map(|(id, _)| id)
    }

    /// Slugs of a kind, for suggestions.
    pub fn slugs_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.iter()
            .filter(move |(_, p)| p.kind() == kind)
            .map(|(_, p)| p.slug())
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// One past the largest id: the length of tables indexed by id.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;

    fn page(kind: &str, stem: &str, slug: &str) -> Page {
        let mut p = Page::stub(kind, slug, slug.to_string(), &SourceFile::new("x", ""));
        p.stub = false;
        p.stem = stem.into();
        p
    }

    #[test]
    fn ids_are_reused_after_removal_and_duplicates_refused() {
        let mut pages = Pages::new();
        let a = pages.insert(page("agencies", "jica", "jica")).unwrap();
        pages.insert(page("agencies", "jetro", "jetro")).unwrap();
        assert_eq!(pages.insert(page("agencies", "other", "jica")), Err(a));
        assert_eq!(pages.remove(a).unwrap().slug(), "jica");
        assert_eq!(pages.id(&PageKey::new("agencies", "jica")), None);
        let c = pages.insert(page("agencies", "jica2", "jica2")).unwrap();
        assert_ne!(c, a, "not reused before release");
        pages.remove(c);
        pages.release();
        let d = pages.insert(page("agencies", "jica3", "jica3")).unwrap();
        assert!(d == a || d == c);
        assert_eq!(pages.len(), 2);
    }

    #[test]
    fn pages_come_back_as_they_were_kept() {
        let mut pages = Pages::new();
        let a = pages
            .insert(page("agencies", "Japan-Agency", "jica"))
            .unwrap();
        let b = pages.insert(page("sectors", "copper", "copper")).unwrap();
        pages.remove(b);
        let bytes = postcard::to_stdvec(&pages.kept()).unwrap();
        let kept: KeptPages = postcard::from_bytes(&bytes).unwrap();
        let back = Pages::restore(kept, pages.slots(0..pages.capacity()).to_vec()).unwrap();
        assert_eq!(back.by_stem("agencies", "Japan-Agency"), Some(a));
        assert_eq!(back.by_slug("agencies", "jica"), Some(a));
        assert_eq!(back.by_stem("sectors", "copper"), None);
        assert_eq!(back.len(), 1);
        // The id of the removed page is given out again only after release.
        let mut back = back;
        let c = back.insert(page("sectors", "tin", "tin")).unwrap();
        assert_ne!(c, b);
        back.release();
        assert_eq!(back.insert(page("sectors", "zinc", "zinc")).unwrap(), b);
    }

    #[test]
    fn pages_are_found_by_stem_and_by_slug() {
        let mut pages = Pages::new();
        let id = pages
            .insert(page("agencies", "Japan-Agency", "jica"))
            .unwrap();
        assert_eq!(pages.by_stem("agencies", "Japan-Agency"), Some(id));
        assert_eq!(pages.by_slug("agencies", "jica"), Some(id));
        assert_eq!(pages.by_stem("sectors", "Japan-Agency"), None);
    }
}
