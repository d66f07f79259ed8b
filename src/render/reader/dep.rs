//! What a render reads, as the engine records it: a [`Dep`] for each
//! thing read, and the hashes that name templates and looked-up names.

use std::hash::{Hash, Hasher};

use crate::content::pages::PageId;

/// A kind, by its position in the configuration.
pub type KindIndex = u16;

/// Something a render can read. Each has a fingerprint (see
/// `crate::engine::deps`) that changes when what it stands for changes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Dep {
    /// `attache.toml` and the command-line options.
    Config,
    /// The day of the build ("upcoming" meetings).
    Today,
    /// A template's source, by the hash of its name.
    Template(u64),
    /// A page's identity, front matter and summary.
    Page(PageId),
    /// A page's Markdown as HTML, with its table of contents and text.
    Body(PageId),
    Refs(PageId),
    Backlinks(PageId),
    /// Everything that mentions a page, merged from its descendants' rows
    /// in a tree kind, in list order.
    Mentions(PageId),
    /// The dates and statuses of what mentions a page (its pictures).
    Activity(PageId),
    /// The pages most often mentioned with a page (its relationship map).
    Neighbours(PageId),
    /// The pages just before and after a page in its kind's list.
    Adjacent(PageId),
    Related(PageId),
    /// The parents of a tree kind's pages.
    Tree(KindIndex),
    /// A kind's pages in list order.
    Order(KindIndex),
    /// Pages `start..end` of a kind's order, and how many there are.
    Slice(KindIndex, u32, u32),
    /// Archive page `n` of a kind's list: its entries, and whether the
    /// page after it is full (not how many pages the kind has).
    Archive(KindIndex, u32),
    /// Archive page `n` of the pages of a kind that mention a page, as
    /// [`Dep::Archive`].
    MentionsArchive(PageId, KindIndex, u32),
    /// Where a kind's pictures end: the month of its newest page, or the
    /// build's month if that is earlier (see `render::pictures`).
    PicturesEnd(KindIndex),
    /// Every page of a kind, in order, with what each shows of itself.
    Kind(KindIndex),
    /// An intro: a kind's, or the home page's (`u16::MAX`).
    Intro(KindIndex),
    /// What a name looked up by a template function resolves to, by the
    /// hash of `(kind, name)`.
    Name(u64),
    /// A page's translations: their languages and files.
    Translations(PageId),
    /// Which pages of a kind have translations, in which languages, and
    /// their files: what a language's lists show.
    Translated(KindIndex),
    /// Which files the site publishes as they are (static files, page
    /// bundles' files): a picture's template asks whether its file is one.
    Files,
}

impl Dep {
    /// Whether the dep is worked out from the link graph and the pages'
    /// own prints alone (and so stays the same while they do). Guarded by
    /// tests/differential.rs (see `Fingerprints::refresh`).
    pub fn of_graph(self) -> bool {
        matches!(
            self,
            Dep::Refs(_)
                | Dep::Backlinks(_)
                | Dep::Mentions(_)
                | Dep::Activity(_)
                | Dep::Neighbours(_)
                | Dep::Adjacent(_)
                | Dep::Related(_)
                | Dep::Tree(_)
                | Dep::Order(_)
                | Dep::Slice(..)
                | Dep::Archive(..)
                | Dep::MentionsArchive(..)
                | Dep::Kind(_)
        )
    }
}

/// The intro of the home page, as a [`Dep::Intro`] index.
pub const HOME_INTRO: KindIndex = KindIndex::MAX;

/// What one render read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// Sorted, without repeats.
    pub deps: Vec<Dep>,
    /// The names behind the [`Dep::Name`]s: `(hash, kind, name)`.
    pub names: Vec<(u64, String, String)>,
}

/// The hash of a `(kind, name)` pair for [`Dep::Name`].
pub fn name_hash(kind: &str, name: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    kind.hash(&mut h);
    name.hash(&mut h);
    h.finish()
}

/// The hash of a template name for [`Dep::Template`].
pub fn template_hash(name: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    name.hash(&mut h);
    h.finish()
}

/// The deps of one render as the engine keeps them: a kept state's
/// records (some 450,000 deps on a 10,000-brief site) come back as one
/// copy each and are scanned without allocating.
pub type Deps = crate::store::packed::Packed<Dep>;

/// Deps looked for in [`Deps`]: a build from the kept state asks which of
/// some 15,000 records read what changed, decoding each record's deps as
/// it scans them (postcard's own decoding: attache parses no bytes by
/// hand).
pub struct Wanted(rustc_hash::FxHashSet<Dep>);

impl Wanted {
    pub fn new(deps: &[Dep]) -> Wanted {
        Wanted(deps.iter().copied().collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `deps` holds any of the deps looked for.
    pub fn any_in(&self, deps: &Deps) -> bool {
        deps.iter().any(|dep| self.0.contains(&dep))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One dep of each variant, with large numbers (long varints). The
    /// match makes a new variant a compile error here until it is added.
    fn one_of_each() -> Vec<Dep> {
        let (id, big, kind) = (PageId(u32::MAX), u64::MAX, KindIndex::MAX);
        let all = vec![
            Dep::Config,
            Dep::Today,
            Dep::Template(big),
            Dep::Page(id),
            Dep::Body(id),
            Dep::Refs(id),
            Dep::Backlinks(id),
            Dep::Mentions(id),
            Dep::Activity(id),
            Dep::Neighbours(id),
            Dep::Adjacent(id),
            Dep::Related(id),
            Dep::Tree(kind),
            Dep::Order(kind),
            Dep::Slice(kind, u32::MAX, 300),
            Dep::Archive(kind, u32::MAX),
            Dep::MentionsArchive(id, kind, u32::MAX),
            Dep::PicturesEnd(kind),
            Dep::Kind(kind),
            Dep::Intro(kind),
            Dep::Name(big),
            Dep::Translations(id),
            Dep::Translated(kind),
            Dep::Files,
        ];
        for dep in &all {
            match dep {
                Dep::Config
                | Dep::Today
                | Dep::Template(_)
                | Dep::Page(_)
                | Dep::Body(_)
                | Dep::Refs(_)
                | Dep::Backlinks(_)
                | Dep::Mentions(_)
                | Dep::Activity(_)
                | Dep::Neighbours(_)
                | Dep::Adjacent(_)
                | Dep::Related(_)
                | Dep::Tree(_)
                | Dep::Order(_)
                | Dep::Slice(..)
                | Dep::Archive(..)
                | Dep::MentionsArchive(..)
                | Dep::PicturesEnd(_)
                | Dep::Kind(_)
                | Dep::Intro(_)
                | Dep::Name(_)
                | Dep::Translations(_)
                | Dep::Translated(_)
                | Dep::Files => {}
            }
        }
        all
    }

    #[test]
    fn every_dep_comes_back_from_a_packed_list() {
        for dep in one_of_each() {
            for dep in [dep, small(dep)] {
                let packed = Deps::new(&[Dep::Config, dep, Dep::Today]);
                let back: Vec<Dep> = packed.iter().collect();
                assert_eq!(back, vec![Dep::Config, dep, Dep::Today], "{dep:?}");
            }
        }
    }

    /// `dep` with small numbers (one-byte varints).
    fn small(dep: Dep) -> Dep {
        match dep {
            Dep::Slice(..) => Dep::Slice(1, 2, 3),
            Dep::Archive(..) => Dep::Archive(1, 2),
            Dep::MentionsArchive(..) => Dep::MentionsArchive(PageId(7), 1, 2),
            Dep::Template(_) => Dep::Template(7),
            Dep::Name(_) => Dep::Name(7),
            Dep::Page(_) => Dep::Page(PageId(7)),
            other => other,
        }
    }

    #[test]
    fn wanted_deps_are_found_in_packed_lists() {
        let all = one_of_each();
        let packed = Deps::new(&all);
        for dep in &all {
            assert!(Wanted::new(&[*dep]).any_in(&packed), "{dep:?}");
        }
        let others = Wanted::new(&[Dep::Page(PageId(3)), Dep::Slice(1, 2, 3)]);
        assert!(!others.any_in(&packed));
        assert!(others.any_in(&Deps::new(&[Dep::Config, Dep::Slice(1, 2, 3)])));
        assert!(Wanted::new(&[]).is_empty());
    }
}
