//! The index as a render leaves it for the next: its documents (the
//! pages' entries), word index, chunks and packs of documents, brought up
//! to date from the pages that changed, and turned into the files under
//! `search/`.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::chunks::{self, Chunk};
use super::kept::EntryCell;
use super::words::{Doc, WordIndex};
use super::{DOCS_PER_PACK, Entry, INDEX_DIR, VERSION};
use crate::content::pages::PageId;
use crate::render::Rendered;

/// The index as the last render made it, kept (in the [`Memo`]) so that
/// the next render changes only what the changed pages change.
///
/// [`Memo`]: crate::render::data::Memo
#[derive(Debug, Clone)]
pub struct Built {
    language: String,
    /// Kind names with their singular labels, in config order.
    kinds: Vec<(String, String)>,
    /// The documents in order: the page and its entry.
    docs: Vec<(PageId, Arc<EntryCell>)>,
    words: WordIndex,
    chunks: Vec<Chunk>,
    /// The files of the documents, [`DOCS_PER_PACK`] to a file.
    packs: Vec<Pack>,
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
/// so the documents are kept as page ids. Written borrowed from an index
/// in place, read back owned: one type for both.
#[derive(Serialize, serde::Deserialize)]
pub struct KeptIndex<'a> {
    language: Cow<'a, str>,
    kinds: Cow<'a, [(String, String)]>,
    docs: Vec<PageId>,
    words: Cow<'a, WordIndex>,
    chunks: Cow<'a, [Chunk]>,
    packs: Cow<'a, [Pack]>,
}

impl Built {
    pub fn kept(&self) -> KeptIndex<'_> {
        KeptIndex {
            language: Cow::Borrowed(&self.language),
            kinds: Cow::Borrowed(&self.kinds),
            docs: self.docs.iter().map(|(id, _)| *id).collect(),
            words: Cow::Borrowed(&self.words),
            chunks: Cow::Borrowed(&self.chunks),
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
            .map(|id| Some((id, entry(id)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Built {
            language: kept.language.into_owned(),
            kinds: kept.kinds.into_owned(),
            docs,
            words: kept.words.into_owned(),
            chunks: kept.chunks.into_owned(),
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
        bytes: Some(Arc::from(bytes)),
    }
}

/// The files of `docs`, [`DOCS_PER_PACK`] documents each, taking a pack of
/// `previous` whose documents did not change (`changed` says which did).
fn packs(docs: &[(PageId, Arc<EntryCell>)], previous: &[Pack], changed: &[bool]) -> Vec<Pack> {
    docs.par_chunks(DOCS_PER_PACK)
        .enumerate()
        .map(|(n, pack)| {
            let start = n * DOCS_PER_PACK;
            let same = !changed[start..start + pack.len()].contains(&true);
            match previous.get(n) {
                Some(kept) if same => Pack {
                    hash: kept.hash,
                    bytes: None,
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
    /// How many documents each file under `docs/` holds.
    pack: usize,
    kinds: &'a [(String, String)],
    /// `[first word, last word, file name]` of each chunk.
    chunks: Vec<(&'a str, &'a str, &'a str)>,
}

impl Built {
    /// The index of `docs`: `previous` brought up to date when it has the
    /// same documents in the same places and few of them changed, else
    /// merged from every document.
    pub(super) fn update(
        previous: Option<Built>,
        language: String,
        kinds: Vec<(String, String)>,
        docs: Vec<(PageId, Arc<EntryCell>)>,
    ) -> Built {
        let kind_count = kinds.len() as u64;
        let reference = |n: usize, entry: &Entry| {
            let kind = kinds
                .iter()
                .position(|(k, _)| *k == entry.kind)
                .unwrap_or(0);
            n as u64 * kind_count + kind as u64
        };
        let comparable = previous.filter(|p| {
            p.language == language
                && p.kinds == kinds
                && p.docs.len() == docs.len()
                && p.docs.iter().zip(&docs).all(|(a, b)| a.0 == b.0)
        });
        if let Some(mut previous) = comparable {
            let changed: Vec<bool> = (0..docs.len())
                .map(|n| {
                    let (before, after) = (&previous.docs[n].1, &docs[n].1);
                    !Arc::ptr_eq(before, after) && before != after
                })
                .collect();
            let count = changed.iter().filter(|&&c| c).count();
            if count <= docs.len() / 8 {
                let pairs: Vec<(Doc<'_>, Doc<'_>)> = (0..docs.len())
                    .filter(|&n| changed[n])
                    .map(|n| {
                        let (before, after) = (previous.docs[n].1.get(), docs[n].1.get());
                        (
                            Doc {
                                reference: reference(n, before),
                                entry: before,
                            },
                            Doc {
                                reference: reference(n, after),
                                entry: after,
                            },
                        )
                    })
                    .collect();
                let touched = previous.words.update(&pairs);
                drop(pairs);
                let chunks = chunks::cut(&previous.words, &previous.chunks, &touched);
                let packs = packs(&docs, &previous.packs, &changed);
                return Built {
                    language,
                    kinds,
                    docs,
                    words: previous.words,
                    chunks,
                    packs,
                };
            }
        }
        let words = WordIndex::build(docs.iter().enumerate().map(|(n, (_, entry))| {
            let entry = entry.get();
            Doc {
                reference: reference(n, entry),
                entry,
            }
        }));
        let chunks = chunks::cut(&words, &[], &Default::default());
        let packs = packs(&docs, &[], &vec![true; docs.len()]);
        Built {
            language,
            kinds,
            docs,
            words,
            chunks,
            packs,
        }
    }

    /// The index as files under `search/`. A chunk or pack that stayed
    /// the same since the last index is [`Rendered::Unchanged`]; the
    /// bytes of the others are handed over, not kept.
    pub fn files(&mut self) -> Vec<(String, Rendered)> {
        let take = |bytes: &mut Option<Arc<[u8]>>, hash: u128| match bytes.take() {
            Some(bytes) => Rendered::Bytes(bytes),
            None => Rendered::Unchanged(hash),
        };
        let mut files = Vec::with_capacity(self.chunks.len() + self.packs.len() + 1);
        for chunk in &mut self.chunks {
            files.push((
                format!("{INDEX_DIR}words/{}.json", chunk.name),
                take(&mut chunk.bytes, chunk.hash),
            ));
        }
        for (n, pack) in self.packs.iter_mut().enumerate() {
            files.push((
                format!("{INDEX_DIR}docs/{n}.json"),
                take(&mut pack.bytes, pack.hash),
            ));
        }
        let entry = IndexFile {
            version: VERSION,
            language: &self.language,
            documents: self.docs.len(),
            pack: DOCS_PER_PACK,
            kinds: &self.kinds,
            chunks: self
                .chunks
                .iter()
                .map(|c| (c.first.as_str(), c.last.as_str(), c.name.as_str()))
                .collect(),
        };
        files.push((
            format!("{INDEX_DIR}index.json"),
            Rendered::Bytes(Arc::from(serde_json::to_vec(&entry).unwrap_or_default())),
        ));
        files
    }
}
