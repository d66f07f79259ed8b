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
}

impl Dep {
    /// Whether the dep is worked out from the link graph and the pages'
    /// own prints alone (and so stays the same while they do).
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

/// Deps looked for in [`Deps`], by their bytes: a build from the kept
/// state asks which of some 15,000 records read what changed, and
/// compares each dep's bytes instead of decoding it.
pub struct Wanted(rustc_hash::FxHashSet<Vec<u8>>);

impl Wanted {
    pub fn new(deps: &[Dep]) -> Wanted {
        Wanted(
            deps.iter()
                .map(|dep| {
                    let mut bytes = Vec::new();
                    crate::store::packed::pack_into([dep], &mut bytes);
                    bytes
                })
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `deps` holds any of the deps looked for.
    pub fn any_in(&self, deps: &Deps) -> bool {
        let mut rest = deps.bytes();
        while !rest.is_empty() {
            let Some(len) = encoded_len(rest).filter(|&len| len <= rest.len()) else {
                // Bytes the scan cannot split (a variant `encoded_len`
                // does not know): decoded instead, never a miss.
                return self.any_decoded(deps);
            };
            let (dep, tail) = rest.split_at(len);
            if self.0.contains(dep) {
                return true;
            }
            rest = tail;
        }
        false
    }

    /// [`Wanted::any_in`] by decoding each dep: the slow way, always right.
    fn any_decoded(&self, deps: &Deps) -> bool {
        deps.iter().any(|dep| {
            let mut bytes = Vec::new();
            crate::store::packed::pack_into([&dep], &mut bytes);
            self.0.contains(&bytes)
        })
    }
}

/// The length of the dep whose bytes `bytes` begins with, as postcard
/// writes it: the variant's number, then each field, all as varints
/// (a varint's last byte is below 128). `None` at the end, or for bytes
/// that are no dep.
fn encoded_len(bytes: &[u8]) -> Option<usize> {
    // Fields per variant, in the order `Dep` declares them: `Config` and
    // `Today` have none, `Slice` three, the others one.
    let fields = match *bytes.first()? {
        0 | 1 => 0,
        14 => 3,
        2..=19 => 1,
        _ => return None,
    };
    let mut at = 1;
    for _ in 0..fields {
        while bytes.get(at)? & 0x80 != 0 {
            at += 1;
        }
        at += 1;
    }
    Some(at)
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
            Dep::Kind(kind),
            Dep::Intro(kind),
            Dep::Name(big),
            Dep::Translations(id),
            Dep::Translated(kind),
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
                | Dep::Kind(_)
                | Dep::Intro(_)
                | Dep::Name(_)
                | Dep::Translations(_)
                | Dep::Translated(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_dep_is_measured_as_postcard_writes_it() {
        for dep in one_of_each() {
            for dep in [dep, small(dep)] {
                let bytes = postcard::to_stdvec(&dep).unwrap();
                assert_eq!(encoded_len(&bytes), Some(bytes.len()), "{dep:?}");
            }
        }
        assert_eq!(encoded_len(&[]), None);
        assert_eq!(encoded_len(&[20]), None);
    }

    /// `dep` with small numbers (one-byte varints).
    fn small(dep: Dep) -> Dep {
        match dep {
            Dep::Slice(..) => Dep::Slice(1, 2, 3),
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
        // The fallback for bytes the scan cannot split says the same.
        for dep in &all {
            assert!(Wanted::new(&[*dep]).any_decoded(&packed), "{dep:?}");
        }
        assert!(!others.any_decoded(&packed));
    }
}
