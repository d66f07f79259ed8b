//! The index as a render leaves it for the next: its documents (the
//! pages' entries) in their places, the word index in two layers with
//! their chunks, and the packs of documents, brought up to date from the
//! pages that changed, and turned into the files under `search/`.
//!
//! **Places.** Each kind numbers its documents on its own, a kind by date
//! from its oldest page: the day's brief takes the next place, and every
//! other document keeps its place, its references in the word files, and
//! its pack of documents.
//!
//! **Layers.** The documents of a kind by date from the last multiple of
//! `[search] recent_block` on are the recent layer, with word files of their
//! own; the other documents of kinds by date are the base. A new brief
//! changes the recent layer's few files, not the file of each of its
//! words among hundreds; every `[search] recent_block` briefs, the block
//! joins the base. The kinds listed by title (agencies, sectors, people,
//! ...) are the named layer: a new agency moves the places of the
//! agencies after it, which changes that small layer's files and not the
//! base's. Which layer a document is in follows from the documents alone,
//! so an index brought up to date is the index made from nothing, byte
//! for byte.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::chunks::{self, Chunk};
use super::kept::EntryCell;
use super::words::{Doc, WordIndex};
use super::{DOCS_PER_PACK, Entry, INDEX_DIR, VERSION};
use crate::content::pages::PageId;
use crate::render::Rendered;

/// The documents of one kind, in their places.
#[derive(Debug, Clone)]
pub struct KindDocs {
    /// For a kind by date (numbered from its oldest page): its places
    /// from the last multiple of this many on are in the recent layer
    /// (`[search] recent_block`). `None` for the others.
    pub recent_block: Option<usize>,
    pub docs: Vec<(PageId, Arc<EntryCell>)>,
}

impl KindDocs {
    /// The first place of the recent layer (none: the kind is not by date).
    fn recent_from(&self) -> Option<usize> {
        let count = self.docs.len();
        self.recent_block
            .map(|block| count / block.max(1) * block.max(1))
    }

    /// The layer of the document at `place` ([`BASE`], [`RECENT`] or
    /// [`NAMED`]).
    fn layer(&self, place: usize) -> usize {
        match self.recent_from() {
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
    /// By kind: the files of its documents, [`DOCS_PER_PACK`] to a file.
    packs: Vec<Vec<Pack>>,
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
    /// How many documents it holds.
    count: usize,
    #[serde(skip)]
    bytes: Option<Arc<[u8]>>,
}

/// [`Built`] as a build keeps it: the entries are kept in the memo already,
/// so the documents are kept as page ids. Written borrowed from an index
/// in place, read back owned: one type for both.
#[derive(Serialize, serde::Deserialize)]
pub struct KeptIndex<'a> {
    language: Cow<'a, str>,
    kinds: Cow<'a, [(String, String)]>,
    /// By kind: its recent block, and its documents' pages.
    docs: Vec<(Option<usize>, Vec<PageId>)>,
    layers: Cow<'a, [Layer; 3]>,
    packs: Cow<'a, [Vec<Pack>]>,
}

impl Built {
    pub fn kept(&self) -> KeptIndex<'_> {
        KeptIndex {
            language: Cow::Borrowed(&self.language),
            kinds: Cow::Borrowed(&self.kinds),
            docs: self
                .docs
                .iter()
                .map(|k| (k.recent_block, k.docs.iter().map(|(id, _)| *id).collect()))
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
            .map(|(recent_block, ids)| {
                let docs = ids
                    .into_iter()
                    .map(|id| Some((id, entry(id)?)))
                    .collect::<Option<Vec<_>>>()?;
                Some(KindDocs { recent_block, docs })
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

/// The file of documents `pack`: a JSON array of their documents.
fn pack_of(pack: &[(PageId, Arc<EntryCell>)]) -> Pack {
    let size = pack
        .iter()
        .map(|(_, e)| e.get().doc_json.len() + 1)
        .sum::<usize>();
    let mut bytes = Vec::with_capacity(size + 2);
    bytes.push(b'[');
    for (n, (_, entry)) in pack.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(entry.get().doc_json.as_bytes());
    }
    bytes.push(b']');
    Pack {
        hash: xxhash_rust::xxh3::xxh3_128(&bytes),
        count: pack.len(),
        bytes: Some(Arc::from(bytes)),
    }
}

/// The files of a kind's `docs`, [`DOCS_PER_PACK`] documents each, taking
/// a pack of `previous` that holds the same documents, none of them
/// `changed`.
fn packs(docs: &[(PageId, Arc<EntryCell>)], previous: &[Pack], changed: &[bool]) -> Vec<Pack> {
    docs.par_chunks(DOCS_PER_PACK)
        .enumerate()
        .map(|(n, pack)| {
            let start = n * DOCS_PER_PACK;
            let same = !changed[start..start + pack.len()].contains(&true);
            // A pack that lost its last documents is not the same (without
            // the count, tests/differential.rs fails at seed 1, step 3).
            match previous.get(n) {
                Some(kept) if same && kept.count == pack.len() => Pack {
                    bytes: None,
                    ..kept.clone()
                },
                _ => pack_of(pack),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct IndexFile<'a> {
    version: u32,
    /// Decides stop words in search.js, as in [`Tokenizer::for_language`].
    language: &'a str,
    documents: usize,
    /// How many documents each file under `docs/<kind>/` holds.
    pack: usize,
    kinds: &'a [(String, String)],
    /// `[first word, last word, file name]` of each chunk of the base…
    chunks: Vec<(&'a str, &'a str, &'a str)>,
    /// …of the recent layer…
    recent: Vec<(&'a str, &'a str, &'a str)>,
    /// …and of the named layer: a word's postings are in all three.
    named: Vec<(&'a str, &'a str, &'a str)>,
}

/// A document's reference: its place and its kind's number.
fn reference(place: usize, kind: usize, kinds: usize) -> u64 {
    (place * kinds + kind) as u64
}

impl Built {
    /// The index of `docs` (by kind, in config order): `previous` brought
    /// up to date when its documents are in the same layers and few of
    /// them changed, else made from every document.
    pub(super) fn update(
        previous: Option<Built>,
        language: String,
        kinds: Vec<(String, String)>,
        docs: Vec<KindDocs>,
    ) -> Built {
        let comparable = previous.filter(|p| {
            p.language == language
                && p.kinds == kinds
                && p.docs.len() == docs.len()
                && p.docs.iter().zip(&docs).all(|(a, b)| {
                    a.recent_block == b.recent_block && a.recent_from() == b.recent_from()
                })
        });
        if let Some(previous) = comparable
            && let Some(built) = previous.changed_to(&language, &kinds, &docs)
        {
            return built;
        }
        let kind_count = kinds.len();
        let mut layers: [Vec<Doc<'_>>; 3] = Default::default();
        for (k, kind) in docs.iter().enumerate() {
            for (place, (_, entry)) in kind.docs.iter().enumerate() {
                layers[kind.layer(place)].push(Doc {
                    reference: reference(place, k, kind_count),
                    entry: entry.get(),
                });
            }
        }
        let layers = layers.map(Layer::build);
        let packs = docs
            .iter()
            .map(|k| packs(&k.docs, &[], &vec![true; k.docs.len()]))
            .collect();
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
    /// their new ones.
    fn changed_to(
        self,
        language: &str,
        kinds: &[(String, String)],
        docs: &[KindDocs],
    ) -> Option<Built> {
        let empty = Entry::default();
        let total: usize = docs.iter().map(|k| k.docs.len()).sum();
        let mut changes: [Vec<(Doc<'_>, Doc<'_>)>; 3] = Default::default();
        let mut changed_places: Vec<Vec<bool>> = Vec::with_capacity(docs.len());
        let mut count = 0;
        for (k, (before, after)) in self.docs.iter().zip(docs).enumerate() {
            let mut changed = vec![false; after.docs.len()];
            for place in 0..before.docs.len().max(after.docs.len()) {
                let (old, new) = (before.docs.get(place), after.docs.get(place));
                let same = match (old, new) {
                    (Some(a), Some(b)) => Arc::ptr_eq(&a.1, &b.1) || a.1 == b.1,
                    _ => false,
                };
                if same {
                    continue;
                }
                if let Some(c) = changed.get_mut(place) {
                    *c = true;
                }
                count += 1;
                let reference = reference(place, k, kinds.len());
                let pair = (
                    Doc {
                        reference,
                        entry: old.map_or(&empty, |(_, e)| e.get()),
                    },
                    Doc {
                        reference,
                        entry: new.map_or(&empty, |(_, e)| e.get()),
                    },
                );
                changes[after.layer(place)].push(pair);
            }
            changed_places.push(changed);
        }
        if count > total / 8 {
            return None;
        }
        let packs = docs
            .iter()
            .zip(&self.packs)
            .zip(&changed_places)
            .map(|((kind, previous), changed)| packs(&kind.docs, previous, changed))
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
            for (n, pack) in packs.iter_mut().enumerate() {
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
            pack: DOCS_PER_PACK,
            kinds: &self.kinds,
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
