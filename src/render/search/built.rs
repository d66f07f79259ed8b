//! The index as a render leaves it for the next: its documents (the
//! pages' entries) in their places, the word index in two layers with
//! their chunks, and the packs of documents, brought up to date from the
//! pages that changed, and turned into the files under `search/`.
//!
//! **Places.** Each document has a place in its kind ([`super::places`]):
//! a kind by date places a document by its day, so that no edit of one
//! day's documents moves another's, and its references in the word files
//! and its file of documents stay as they were.
//!
//! **Layers.** The documents of a kind by date from its layout's recent
//! place on are the recent layer, with word files of their own; the other
//! documents of kinds by date are the base. A new brief changes the recent
//! layer's few files, not the file of each of its words among hundreds;
//! when the newest day enters a new period, the recent layer joins the
//! base. The kinds listed by title (agencies, sectors, people, ...) are
//! the named layer: a new agency moves the places of the agencies after
//! it, which changes that small layer's files and not the base's. Which
//! layer a document is in follows from the documents alone, so an index
//! brought up to date is the index made from nothing, byte for byte.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::chunks::{self, Chunk};
use super::kept::EntryCell;
use super::places::Layout;
use super::words::{Doc, WordIndex};
use super::{Entry, INDEX_DIR, VERSION};
use crate::content::pages::PageId;
use crate::render::Rendered;

/// The documents of one kind, in their places.
#[derive(Debug, Clone)]
pub struct KindDocs {
    pub layout: Layout,
    /// `(place, page, entry)`, places ascending.
    pub docs: Vec<(u64, PageId, Arc<EntryCell>)>,
}

impl KindDocs {
    /// The layer of the document at `place` ([`BASE`], [`RECENT`] or
    /// [`NAMED`]).
    fn layer(&self, place: u64) -> usize {
        match self.layout.recent_from {
            None => NAMED,
            Some(from) if place >= from => RECENT,
            Some(_) => BASE,
        }
    }
}

/// The layers of word files, as [`Built::layers`] holds them: the older
/// documents of kinds by date, their newest block, and the kinds not by
/// date.
const BASE: usize = 0;
const RECENT: usize = 1;
const NAMED: usize = 2;

/// The index as the last render made it, kept (in the [`Memo`]) so that
/// the next render changes only what the changed pages change.
///
/// [`Memo`]: crate::render::data::Memo
#[derive(Debug, Clone)]
pub struct Built {
    language: String,
    /// Kind names with their singular labels, in config order.
    kinds: Vec<(String, String)>,
    /// By kind, in config order.
    docs: Vec<KindDocs>,
    /// [`BASE`], [`RECENT`] and [`NAMED`].
    layers: [Layer; 3],
    /// By kind: the files of its documents, by number, ascending.
    packs: Vec<Vec<(u64, Pack)>>,
}

/// Words with their postings, and the chunk files they are cut into.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Layer {
    words: WordIndex,
    chunks: Vec<Chunk>,
}

impl Layer {
    /// The layer of `docs` (in any order).
    fn build(mut docs: Vec<Doc<'_>>) -> Layer {
        // Postings come out in ascending order of reference.
        docs.sort_unstable_by_key(|d| d.reference);
        let words = WordIndex::build(docs.into_iter());
        let chunks = chunks::cut(&words, &[], &Default::default());
        Layer { words, chunks }
    }

    /// The layer with the documents of `changes` changed.
    fn update(mut self, changes: &[(Doc<'_>, Doc<'_>)]) -> Layer {
        if changes.is_empty() {
            return self;
        }
        let touched = self.words.update(changes);
        let chunks = chunks::cut(&self.words, &self.chunks, &touched);
        Layer {
            words: self.words,
            chunks,
        }
    }
}

/// One file of documents: the xxh3-128 hash of its bytes, and the bytes
/// until they are written (a pack that stayed the same has none: it is
/// [`Rendered::Unchanged`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Pack {
    hash: u128,
    #[serde(skip)]
    bytes: Option<Arc<[u8]>>,
}

/// [`Built`] as a build keeps it: the entries are kept in the memo already,
/// so the documents are kept as places and page ids. Written borrowed from
/// an index in place, read back owned: one type for both.
#[derive(Serialize, serde::Deserialize)]
pub struct KeptIndex<'a> {
    language: Cow<'a, str>,
    kinds: Cow<'a, [(String, String)]>,
    /// By kind: its layout, and its documents' places and pages.
    docs: Vec<(Layout, Vec<(u64, PageId)>)>,
    layers: Cow<'a, [Layer; 3]>,
    packs: Cow<'a, [Vec<(u64, Pack)>]>,
}

impl Built {
    pub fn kept(&self) -> KeptIndex<'_> {
        KeptIndex {
            language: Cow::Borrowed(&self.language),
            kinds: Cow::Borrowed(&self.kinds),
            docs: self
                .docs
                .iter()
                .map(|k| {
                    (
                        k.layout,
                        k.docs.iter().map(|(p, id, _)| (*p, *id)).collect(),
                    )
                })
                .collect(),
            layers: Cow::Borrowed(&self.layers),
            packs: Cow::Borrowed(&self.packs),
        }
    }

    /// The index again, with each document's entry from `entry`; `None`
    /// if one is missing.
    pub fn restore(
        kept: KeptIndex<'_>,
        entry: impl Fn(PageId) -> Option<Arc<EntryCell>>,
    ) -> Option<Built> {
        let docs = kept
            .docs
            .into_iter()
            .map(|(layout, docs)| {
                let docs = docs
                    .into_iter()
                    .map(|(place, id)| Some((place, id, entry(id)?)))
                    .collect::<Option<Vec<_>>>()?;
                Some(KindDocs { layout, docs })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Built {
            language: kept.language.into_owned(),
            kinds: kept.kinds.into_owned(),
            docs,
            layers: kept.layers.into_owned(),
            packs: kept.packs.into_owned(),
        })
    }
}

/// The file of documents whose first place is `first`: a JSON array of
/// its places, `null` where a place has no document (a kind by date has
/// places for the documents a day could hold), up to its last document.
fn pack_of(first: u64, docs: &[(u64, PageId, Arc<EntryCell>)]) -> Pack {
    let size = docs
        .iter()
        .map(|(_, _, e)| e.get().doc_json.len() + 1)
        .sum::<usize>();
    let mut bytes = Vec::with_capacity(size + 2);
    bytes.push(b'[');
    let mut next = first;
    for (place, _, entry) in docs {
        for _ in next..*place {
            bytes.extend_from_slice(b"null,");
        }
        bytes.extend_from_slice(entry.get().doc_json.as_bytes());
        bytes.push(b',');
        next = place + 1;
    }
    // The last comma closes the array (a pack holds a document).
    if let Some(last) = bytes.last_mut() {
        *last = b']';
    }
    Pack {
        hash: xxhash_rust::xxh3::xxh3_128(&bytes),
        bytes: Some(Arc::from(bytes)),
    }
}

/// The files of a kind's documents, taking the pack of `previous` by the
/// same number unless `changed` (ascending) holds its number.
fn packs(kind: &KindDocs, previous: &[(u64, Pack)], changed: &[u64]) -> Vec<(u64, Pack)> {
    let layout = kind.layout;
    let groups: Vec<&[(u64, PageId, Arc<EntryCell>)]> = kind
        .docs
        .chunk_by(|a, b| layout.pack(a.0) == layout.pack(b.0))
        .collect();
    groups
        .par_iter()
        .map(|docs| {
            // A group is never empty (`chunk_by`).
            let number = layout.pack(docs[0].0);
            let kept = match changed.binary_search(&number) {
                Ok(_) => None,
                Err(_) => previous
                    .binary_search_by_key(&number, |(n, _)| *n)
                    .ok()
                    .map(|i| &previous[i].1),
            };
            let pack = match kept {
                Some(kept) => Pack {
                    bytes: None,
                    ..kept.clone()
                },
                None => pack_of(number << layout.pack_bits, docs),
            };
            (number, pack)
        })
        .collect()
}

#[derive(Serialize)]
struct IndexFile<'a> {
    version: u32,
    /// Decides stop words in search.js, as in [`Tokenizer::for_language`].
    language: &'a str,
    documents: usize,
    kinds: &'a [(String, String)],
    /// By kind: how many places each file under `docs/<kind>/` holds.
    packs: Vec<u64>,
    /// `[first word, last word, file name]` of each chunk of the base…
    chunks: Vec<(&'a str, &'a str, &'a str)>,
    /// …of the recent layer…
    recent: Vec<(&'a str, &'a str, &'a str)>,
    /// …and of the named layer: a word's postings are in all three.
    named: Vec<(&'a str, &'a str, &'a str)>,
}

/// A document's reference: its place and its kind's number.
fn reference(place: u64, kind: usize, kinds: usize) -> u64 {
    place * kinds as u64 + kind as u64
}

impl Built {
    /// The index of `docs` (by kind, in config order): `previous` brought
    /// up to date when its kinds are laid out the same and few of their
    /// documents changed, else made from every document.
    pub(super) fn update(
        previous: Option<Built>,
        language: String,
        kinds: Vec<(String, String)>,
        docs: Vec<KindDocs>,
    ) -> Built {
        // Another layout moves places: made from nothing (without the
        // layout's check, tests/differential.rs fails at seed 2, step 30).
        let comparable = previous.filter(|p| {
            p.language == language
                && p.kinds == kinds
                && p.docs.len() == docs.len()
                && p.docs.iter().zip(&docs).all(|(a, b)| a.layout == b.layout)
        });
        if let Some(previous) = comparable
            && let Some(built) = previous.changed_to(&language, &kinds, &docs)
        {
            return built;
        }
        let kind_count = kinds.len();
        let mut layers: [Vec<Doc<'_>>; 3] = Default::default();
        for (k, kind) in docs.iter().enumerate() {
            for (place, _, entry) in &kind.docs {
                layers[kind.layer(*place)].push(Doc {
                    reference: reference(*place, k, kind_count),
                    entry: entry.get(),
                });
            }
        }
        let layers = layers.map(Layer::build);
        let packs = docs.iter().map(|k| packs(k, &[], &[])).collect();
        Built {
            language,
            kinds,
            docs,
            layers,
            packs,
        }
    }

    /// `self` with the documents that changed since replaced, when few did
    /// (at most an eighth): each layer loses their old words and gains
    /// their new ones, and the files of documents holding a changed place
    /// are made again.
    fn changed_to(
        self,
        language: &str,
        kinds: &[(String, String)],
        docs: &[KindDocs],
    ) -> Option<Built> {
        let empty = Entry::default();
        let total: usize = docs.iter().map(|k| k.docs.len()).sum();
        let mut changes: [Vec<(Doc<'_>, Doc<'_>)>; 3] = Default::default();
        let mut changed_packs: Vec<Vec<u64>> = Vec::with_capacity(docs.len());
        let mut count = 0;
        for (k, (before, after)) in self.docs.iter().zip(docs).enumerate() {
            let mut changed = Vec::new();
            let (mut old, mut new) = (before.docs.iter().peekable(), after.docs.iter().peekable());
            // The two lists of places merged: a place in one only, or
            // holding another page or entry, changed.
            loop {
                let (a, b) = match (old.peek(), new.peek()) {
                    (None, None) => break,
                    (Some(a), Some(b)) if a.0 == b.0 => (old.next(), new.next()),
                    (Some(a), Some(b)) if a.0 < b.0 => (old.next(), None),
                    (Some(_), None) => (old.next(), None),
                    _ => (None, new.next()),
                };
                let same = match (a, b) {
                    (Some(a), Some(b)) => a.1 == b.1 && (Arc::ptr_eq(&a.2, &b.2) || a.2 == b.2),
                    _ => false,
                };
                if same {
                    continue;
                }
                // One of the two is there (the loop stops when neither is).
                let Some(place) = a.or(b).map(|d| d.0) else {
                    break;
                };
                // Without it, tests/differential.rs fails at seed 1, step 22.
                changed.push(after.layout.pack(place));
                count += 1;
                let reference = reference(place, k, kinds.len());
                let (a, b) = (
                    a.map_or(&empty, |(_, _, e)| e.get()),
                    b.map_or(&empty, |(_, _, e)| e.get()),
                );
                changes[after.layer(place)].push((
                    Doc {
                        reference,
                        entry: a,
                    },
                    Doc {
                        reference,
                        entry: b,
                    },
                ));
            }
            changed.dedup();
            changed_packs.push(changed);
        }
        if count > total / 8 {
            return None;
        }
        let packs = docs
            .iter()
            .zip(&self.packs)
            .zip(&changed_packs)
            .map(|((kind, previous), changed)| packs(kind, previous, changed))
            .collect();
        Some(Built {
            language: language.to_string(),
            kinds: kinds.to_vec(),
            layers: {
                let [base, recent, named] = self.layers;
                let [base_changes, recent_changes, named_changes] = changes;
                [
                    base.update(&base_changes),
                    recent.update(&recent_changes),
                    named.update(&named_changes),
                ]
            },
            docs: docs.to_vec(),
            packs,
        })
    }

    /// The index as files under `search/`. A chunk or pack that stayed
    /// the same since the last index is [`Rendered::Unchanged`]; the
    /// bytes of the others are handed over, not kept.
    pub fn files(&mut self) -> Vec<(String, Rendered)> {
        let take = |bytes: &mut Option<Arc<[u8]>>, hash: u128| match bytes.take() {
            Some(bytes) => Rendered::Bytes(bytes),
            None => Rendered::Unchanged(hash),
        };
        let mut files = Vec::new();
        let mut names = rustc_hash::FxHashSet::default();
        for chunk in self.layers.iter_mut().flat_map(|l| &mut l.chunks) {
            // Chunks of the same bytes have the same name: one file.
            if names.insert(chunk.name.clone()) {
                files.push((
                    format!("{INDEX_DIR}words/{}.json", chunk.name),
                    take(&mut chunk.bytes, chunk.hash),
                ));
            }
        }
        for ((kind, _), packs) in self.kinds.iter().zip(&mut self.packs) {
            for (n, pack) in packs.iter_mut() {
                files.push((
                    format!("{INDEX_DIR}docs/{kind}/{n}.json"),
                    take(&mut pack.bytes, pack.hash),
                ));
            }
        }
        fn bounds(layer: &Layer) -> Vec<(&str, &str, &str)> {
            layer
                .chunks
                .iter()
                .map(|c| (c.first.as_str(), c.last.as_str(), c.name.as_str()))
                .collect()
        }
        let entry = IndexFile {
            version: VERSION,
            language: &self.language,
            documents: self.docs.iter().map(|k| k.docs.len()).sum(),
            kinds: &self.kinds,
            packs: self.docs.iter().map(|k| 1 << k.layout.pack_bits).collect(),
            chunks: bounds(&self.layers[BASE]),
            recent: bounds(&self.layers[RECENT]),
            named: bounds(&self.layers[NAMED]),
        };
        files.push((
            format!("{INDEX_DIR}index.json"),
            Rendered::Bytes(Arc::from(serde_json::to_vec(&entry).unwrap_or_default())),
        ));
        files
    }
}
