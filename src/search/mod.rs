//! The offline search index, in the manner of Pagefind: a small entry
//! file, a word index split into chunks by alphabetical range, and the
//! documents a few to a file. A query loads the entry, the one or two
//! chunks holding its words, and the files of the documents it shows;
//! never the whole index.
//!
//! ```text
//! search/index.json         { version, documents, pack, kinds, chunks: [[first, last, name], ...] }
//! search/words/<name>.json  { "word": [ref, weight, ref, weight, ...], ... }
//! search/docs/<n>.json      [{ url, title, kind, date, text }, ...]: documents n × pack …
//! ```
//!
//! A `ref` is `document id × kinds + kind number`, so the kind filter needs
//! no other file; within a word, refs ascend and are stored as differences
//! from the previous one to keep the numbers short. The weight is how
//! often the word occurs, counting a title word 10 times (a page's own short
//! name, such as an acronym, 40), the name of a
//! referenced page or person 4 times and a summary word twice.

pub mod kept;
pub mod tokenize;
mod words;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use std::sync::Arc;

use crate::markdown::Body;
use crate::render::Rendered;
use crate::render::reader::{PageView, Reader};
use crate::site::pages::PageId;
use crate::urls::page_path;
use kept::EntryCell;
use tokenize::Tokenizer;
use words::{Chunk, Doc, WordIndex};

/// Where the search page is: `/search/`.
pub const PAGE_PATH: &str = "search/";
/// The folder of the index files.
pub const INDEX_DIR: &str = "search/";
/// Format version of the index, checked by search.js.
pub const VERSION: u32 = 3;
/// Documents are written this many to a file (the last file may hold
/// fewer): a site of 10,000 pages has 1,250 files of documents, not
/// 10,000. A search loads the file of each result it shows, so this is a
/// balance: 20 results load about 20 × 8 documents (460 KB at 10,000
/// briefs, before a host's compression) where one to a file loaded 60 KB.
pub const DOCS_PER_PACK: usize = 8;
/// Documents keep this much text for snippets.
const MAX_TEXT: usize = 20_000;

const TITLE_WEIGHT: u32 = 10;
const NAME_WEIGHT: u32 = 4;
const SUMMARY_WEIGHT: u32 = 2;

/// One searchable page, as stored in `docs/<id>.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub url: String,
    pub title: String,
    pub kind: String,
    /// `17 July 2025`, or empty.
    pub date: String,
    /// Who wrote it, for the result line; left out when nobody is named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    pub text: String,
}

/// What the index keeps of one page: its kind, its document, and its
/// words with their weights. Made once per version of the page (and of
/// the pages it references), and reused by later indexes and builds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Entry {
    pub kind: String,
    /// The [`Document`] as the JSON file `docs/<n>.json` holds.
    pub doc_json: Arc<str>,
    /// The page's words, each once, end to end: one allocation for a
    /// page's few hundred words, kept and stored as it is.
    words: String,
    /// Where each word of `words` ends, and its weight.
    ends: Vec<(u32, u32)>,
}

impl Entry {
    /// An entry of these words (sorted, each once), for tests.
    #[cfg(test)]
    pub(crate) fn for_test(words: &[(&str, u32)]) -> Entry {
        let doc = Document {
            url: String::new(),
            title: String::new(),
            kind: "briefs".into(),
            date: String::new(),
            authors: Vec::new(),
            text: String::new(),
        };
        let mut words: Vec<(String, u32)> =
            words.iter().map(|(w, n)| (w.to_string(), *n)).collect();
        words.sort();
        words.dedup_by(|a, b| a.0 == b.0);
        Entry::new(doc, words)
    }

    fn new(doc: Document, words: Vec<(String, u32)>) -> Entry {
        let mut packed = String::with_capacity(words.iter().map(|(w, _)| w.len()).sum());
        let mut ends = Vec::with_capacity(words.len());
        for (word, weight) in words {
            packed.push_str(&word);
            ends.push((packed.len() as u32, weight));
        }
        Entry {
            // A document of strings always serializes.
            doc_json: Arc::from(serde_json::to_string(&doc).unwrap_or_default()),
            kind: doc.kind,
            words: packed,
            ends,
        }
    }

    /// The page's words with their weights.
    pub fn words(&self) -> impl Iterator<Item = (&str, u32)> {
        let mut start = 0;
        self.ends.iter().map(move |&(end, weight)| {
            let word = self.words.get(start..end as usize).unwrap_or_default();
            start = end as usize;
            (word, weight)
        })
    }
}

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
/// so the documents are kept as page ids.
#[derive(serde::Deserialize)]
pub struct KeptIndex {
    language: String,
    kinds: Vec<(String, String)>,
    docs: Vec<PageId>,
    words: WordIndex,
    chunks: Vec<Chunk>,
    packs: Vec<Pack>,
}

/// [`KeptIndex`] as written, from an index in place: the same fields in
/// the same order.
#[derive(Serialize)]
pub struct KeptIndexRef<'a> {
    language: &'a str,
    kinds: &'a [(String, String)],
    docs: Vec<PageId>,
    words: &'a WordIndex,
    chunks: &'a [Chunk],
    packs: &'a [Pack],
}

impl Built {
    pub fn kept(&self) -> KeptIndexRef<'_> {
        KeptIndexRef {
            language: &self.language,
            kinds: &self.kinds,
            docs: self.docs.iter().map(|(id, _)| *id).collect(),
            words: &self.words,
            chunks: &self.chunks,
            packs: &self.packs,
        }
    }

    /// The index again, with each document's entry from `entry`; `None`
    /// if one is missing.
    pub fn restore(
        kept: KeptIndex,
        entry: impl Fn(PageId) -> Option<Arc<EntryCell>>,
    ) -> Option<Built> {
        let docs = kept
            .docs
            .into_iter()
            .map(|id| Some((id, entry(id)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Built {
            language: kept.language,
            kinds: kept.kinds,
            docs,
            words: kept.words,
            chunks: kept.chunks,
            packs: kept.packs,
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

/// Builds the index and returns its files (path, contents), from the last
/// index the memo kept when few pages changed since.
pub fn index_files(r: &Reader) -> Vec<(String, Rendered)> {
    let config = r.config();
    let kinds: Vec<(String, String)> = config
        .kinds
        .iter()
        .map(|k| (k.name.clone(), k.singular.clone()))
        .collect();
    // Documents in list order, kind by kind: stable from build to build.
    let ids: Vec<PageId> = config
        .kinds
        .iter()
        .flat_map(|k| r.every_page(&k.name).iter().copied())
        .collect();
    let tokenizer = Tokenizer::for_language(&config.language);
    let base = r.base_url();
    let docs: Vec<(PageId, Arc<EntryCell>)> = ids
        .par_iter()
        .map(|&id| {
            // Read through the reader (recorded), then reuse the words
            // of a page that did not change since the last index; the
            // body (which may have to be rendered) only when they did.
            let page = r.page(id);
            r.outline(id);
            let refs = r.refs(id);
            let targets: Vec<PageView<'_>> = refs.iter().map(|&t| r.page(t)).collect();
            let entry = r.search_entry(id, refs, || {
                let body = r.body(id);
                Entry::new(
                    document(base, page, &body),
                    weighted_words(page, &body, &targets, tokenizer),
                )
            });
            (id, entry)
        })
        .collect();
    let previous = r.take_search_index();
    let mut built = Built::update(previous, config.language.clone(), kinds, docs);
    let files = built.files();
    r.keep_search_index(built);
    files
}

impl Built {
    /// The index of `docs`: `previous` brought up to date when it has the
    /// same documents in the same places and few of them changed, else
    /// merged from every document.
    fn update(
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
                let chunks = words::chunks(&previous.words, &previous.chunks, &touched);
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
        let chunks = words::chunks(&words, &[], &Default::default());
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

fn document(base: &crate::urls::BaseUrl, page: PageView<'_>, body: &Body) -> Document {
    let mut text = body.text.trim().to_string();
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let date = page.fields().date.as_ref().map_or_else(String::new, |d| {
        let d = d.get_ref();
        let format = if d.is_month() { "%B %Y" } else { "%-d %B %Y" };
        d.day().strftime(format).to_string()
    });
    Document {
        url: base.link(&page_path(page.kind(), page.slug())),
        title: page.title().to_string(),
        kind: page.kind().to_string(),
        date,
        authors: page.fields().authors.clone(),
        text,
    }
}

/// The page's words with their weights: title, names of what it
/// references (so "JICA" finds briefs that list `jica`), people and
/// places, summary, body.
fn weighted_words(
    page: PageView<'_>,
    body: &Body,
    targets: &[PageView<'_>],
    tokenizer: Tokenizer,
) -> Vec<(String, u32)> {
    let f = page.fields();
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let mut add = |text: &str, weight: u32| {
        tokenizer.words(text, |w| match counts.get_mut(w) {
            Some(c) => *c = c.saturating_add(weight),
            None => {
                counts.insert(w.to_string(), weight);
            }
        })
    };
    add(&f.title, TITLE_WEIGHT);
    // A page's own short name is what people search it by ("JICA").
    if let Some(short) = &f.short {
        add(short, 4 * TITLE_WEIGHT);
    }
    for t in targets {
        add(t.title(), NAME_WEIGHT);
        if let Some(short) = &t.fields().short {
            add(short, NAME_WEIGHT);
        }
    }
    for name in f
        .people
        .iter()
        .chain(&f.authors)
        .chain(&f.countries)
        .chain(f.location.iter())
        .chain(f.country.iter())
    {
        add(name, NAME_WEIGHT);
    }
    if let Some(summary) = &f.summary {
        add(summary, SUMMARY_WEIGHT);
    }
    add(&body.text, 1);
    let mut words: Vec<(String, u32)> = counts.into_iter().collect();
    words.sort_unstable();
    words
}
