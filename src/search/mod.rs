//! The offline search index, in the manner of Pagefind: a small entry
//! file, a word index split into chunks by alphabetical range, and one
//! small file per document. A query loads the entry, the one or two chunks
//! holding its words, and the documents it shows; never the whole index.
//!
//! ```text
//! search/index.json         { version, documents, kinds, chunks: [[first, last], ...] }
//! search/words/<n>.json     { "word": [ref, weight, ref, weight, ...], ... }
//! search/docs/<id>.json     { url, title, kind, date, text }
//! ```
//!
//! A `ref` is `document id × kinds + kind number`, so the kind filter needs
//! no other file; within a word, refs ascend and are stored as differences
//! from the previous one to keep the numbers short. The weight is how
//! often the word occurs, counting a title word 10 times (a page's own short
//! name, such as an acronym, 40), the name of a
//! referenced page or person 4 times and a summary word twice.

pub mod tokenize;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use std::sync::Arc;

use crate::markdown::Body;
use crate::render::reader::{PageView, Reader};
use crate::site::pages::PageId;
use crate::urls::page_path;
use tokenize::Tokenizer;

/// Where the search page is: `/search/`.
pub const PAGE_PATH: &str = "search/";
/// The folder of the index files.
pub const INDEX_DIR: &str = "search/";
/// Format version of the index, checked by search.js.
pub const VERSION: u32 = 1;
/// A word chunk is cut once it holds this many bytes.
const CHUNK_BYTES: usize = 48 * 1024;
/// Documents keep this much text for snippets.
const MAX_TEXT: usize = 20_000;

const TITLE_WEIGHT: u32 = 10;
const NAME_WEIGHT: u32 = 4;
const SUMMARY_WEIGHT: u32 = 2;
const MAX_WEIGHT: u32 = 1_000;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// The index of a site, in memory.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    pub language: String,
    pub entries: Vec<Arc<Entry>>,
    /// Kind names with their singular labels, in config order.
    pub kinds: Vec<(String, String)>,
    /// Word → (ref, weight), words sorted, refs ascending.
    pub words: Vec<(String, Vec<(u64, u32)>)>,
}

#[derive(Serialize)]
struct IndexFile<'a> {
    version: u32,
    /// Decides stop words in search.js, as in [`Tokenizer::for_language`].
    language: &'a str,
    documents: usize,
    kinds: &'a [(String, String)],
    chunks: Vec<(&'a str, &'a str)>,
}

/// Builds the index and returns its files (path, contents).
pub fn index_files(r: &Reader) -> Vec<(String, Arc<[u8]>)> {
    SearchIndex::build(r).files()
}

impl SearchIndex {
    pub fn build(r: &Reader) -> SearchIndex {
        let config = r.config();
        let kinds: Vec<(String, String)> = config
            .kinds
            .iter()
            .map(|k| (k.name.clone(), k.singular.clone()))
            .collect();
        let kind_count = kinds.len() as u64;
        // Documents in list order, kind by kind: stable from build to build.
        let ids: Vec<PageId> = config
            .kinds
            .iter()
            .flat_map(|k| r.every_page(&k.name).iter().copied())
            .collect();
        let tokenizer = Tokenizer::for_language(&config.language);
        let base = r.base_url();
        let entries: Vec<Arc<Entry>> = ids
            .par_iter()
            .map(|&id| {
                // Read through the reader (recorded), then reuse the words
                // of a page that did not change since the last index; the
                // body (which may have to be rendered) only when they did.
                let page = r.page(id);
                r.outline(id);
                let refs = r.refs(id);
                let targets: Vec<PageView<'_>> = refs.iter().map(|&t| r.page(t)).collect();
                r.search_entry(id, refs, || {
                    let body = r.body(id);
                    Entry::new(
                        document(base, page, &body),
                        weighted_words(page, &body, &targets, tokenizer),
                    )
                })
            })
            .collect();

        // Documents are visited in order, so each word's postings come out
        // in ascending order without sorting.
        let mut by_word: FxHashMap<&str, Vec<(u64, u32)>> = FxHashMap::default();
        for (doc_id, entry) in entries.iter().enumerate() {
            let kind_number = kinds
                .iter()
                .position(|(k, _)| *k == entry.kind)
                .unwrap_or(0) as u64;
            let reference = doc_id as u64 * kind_count + kind_number;
            for (word, weight) in entry.words() {
                by_word
                    .entry(word)
                    .or_default()
                    .push((reference, weight.min(MAX_WEIGHT)));
            }
        }
        let mut words: Vec<(String, Vec<(u64, u32)>)> = by_word
            .into_iter()
            .map(|(w, p)| (w.to_string(), p))
            .collect();
        words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        SearchIndex {
            language: config.language.clone(),
            entries,
            kinds,
            words,
        }
    }

    /// The index as files under `search/`.
    pub fn files(&self) -> Vec<(String, Arc<[u8]>)> {
        let mut files = Vec::new();
        let mut chunks: Vec<(&str, &str)> = Vec::new();
        for group in self.chunks() {
            let (Some((first, _)), Some((last, _))) = (group.first(), group.last()) else {
                continue;
            };
            chunks.push((first, last));
            let map: BTreeMap<&str, &Vec<u64>> = group.iter().map(|(w, p)| (*w, p)).collect();
            files.push((
                format!("{INDEX_DIR}words/{}.json", chunks.len() - 1),
                Arc::from(serde_json::to_vec(&map).unwrap_or_default()),
            ));
        }
        for (id, entry) in self.entries.iter().enumerate() {
            files.push((
                format!("{INDEX_DIR}docs/{id}.json"),
                Arc::<[u8]>::from(entry.doc_json.clone()),
            ));
        }
        let entry = IndexFile {
            version: VERSION,
            language: &self.language,
            documents: self.entries.len(),
            kinds: &self.kinds,
            chunks,
        };
        files.push((
            format!("{INDEX_DIR}index.json"),
            Arc::from(serde_json::to_vec(&entry).unwrap_or_default()),
        ));
        files
    }
}

impl SearchIndex {
    /// The words with their postings flattened (`ref` as a difference from
    /// the previous one, then weight), grouped into chunks of about
    /// [`CHUNK_BYTES`] in alphabetical order. A word is never split.
    fn chunks(&self) -> Vec<Vec<(&str, Vec<u64>)>> {
        let mut groups = Vec::new();
        let mut group = Vec::new();
        let mut size = 0;
        for (word, postings) in &self.words {
            let mut flat = Vec::with_capacity(postings.len() * 2);
            let mut previous = 0;
            for &(reference, weight) in postings {
                flat.push(reference - previous);
                flat.push(u64::from(weight));
                previous = reference;
            }
            size += word.len() + flat.len() * 4 + 6;
            group.push((word.as_str(), flat));
            if size >= CHUNK_BYTES {
                groups.push(std::mem::take(&mut group));
                size = 0;
            }
        }
        if !group.is_empty() {
            groups.push(group);
        }
        groups
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
