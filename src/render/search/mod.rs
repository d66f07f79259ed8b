//! The offline search index, in the manner of Pagefind: a small entry
//! file, a word index split into chunks by alphabetical range, and the
//! documents a few to a file. A query loads the entry, the one or two
//! chunks holding its words, and the files of the documents it shows;
//! never the whole index.
//!
//! ```text
//! search/index.json         { version, documents, kinds, packs, chunks: [[first, last, name], ...], recent: [...], named: [...] }
//! search/words/<name>.json  { "word": [ref, weight, ref, weight, ...], ... }
//! search/docs/<kind>/<n>.json [{ url, title, kind, date, text }, null, ...]: places n × packs[kind] …
//!                           (date: `2025-06-10`, or `2025-06` for a month)
//! ```
//!
//! A `ref` is `place × kinds + kind number`, a document's place being its
//! number within its kind (see [`places`], and [`built`] for the three
//! layers of word files, `chunks`, `recent` and `named`), so the kind filter needs
//! no other file; within a word, refs ascend and are stored as differences
//! from the previous one to keep the numbers short. The weight is how
//! often the word occurs, counting a title word 10 times (a page's own short
//! name, such as an acronym, 40), the name of a
//! referenced page or person 4 times and a summary word twice.

mod built;
mod chunks;
pub mod kept;
mod places;
mod words;

pub use built::{Built, KeptIndex, KindDocs};
use places::Layout;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use std::sync::Arc;

use crate::content::pages::PageId;
use crate::markdown::BodyHtml;
use crate::render::Rendered;
use crate::render::reader::{PageView, Reader};
use crate::tokenize::Tokenizer;
use kept::EntryCell;

/// Where the search page is: `/search/`.
pub const PAGE_PATH: &str = "search/";
/// The folder of the index files.
pub const INDEX_DIR: &str = "search/";
/// Format version of the index, checked by search.js.
pub const VERSION: u32 = 7;
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

/// Builds the index and returns its files (path, contents), from the last
/// index the memo kept when few pages changed since.
pub fn index_files(r: &Reader) -> Vec<(String, Rendered)> {
    let config = r.config();
    let kinds: Vec<(String, String)> = config
        .kinds
        .iter()
        .map(|k| (k.name.clone(), k.singular.clone()))
        .collect();
    // Documents kind by kind, a kind by date from its oldest page, so that
    // its places follow the days (see `places`).
    let lists: Vec<(bool, Vec<PageId>)> = config
        .kinds
        .iter()
        .map(|k| {
            let dated = k.sort_by == crate::config::SortBy::Date;
            let mut ids = r.every_page(&k.name).into_owned();
            if dated {
                ids.reverse();
            }
            (dated, ids)
        })
        .collect();
    let ids: Vec<PageId> = lists.iter().flat_map(|(_, ids)| ids.clone()).collect();
    let language = r.lang().unwrap_or(&config.language).to_string();
    let tokenizer = Tokenizer::for_language(&language);
    let base = r.base_url();
    let docs: Vec<(PageId, u64, Arc<EntryCell>)> = ids
        .par_iter()
        .map(|&id| {
            // Read through the reader (recorded), then reuse the words
            // of a page that did not change since the last index; the
            // body (which may have to be rendered) only when they did.
            let page = r.page(id);
            r.outline(id);
            let day = page
                .fields()
                .date
                .as_ref()
                .map_or(0, |d| places::day_number(d.get_ref().day()));
            let refs = r.refs(id);
            let targets: Vec<PageView<'_>> = refs.iter().map(|&t| r.page(t)).collect();
            let path = page.url_path();
            // In another language, the translation's words, made each
            // time (the memo keeps the default language's).
            if let Some(t) = r.translation(id) {
                let (_, body) = r.translation_body(t).split();
                let path = format!("{}/{path}", t.lang);
                let entry = Entry::new(
                    document(base, &path, page.kind(), (&t.fields, page.fields()), &body),
                    weighted_words(&t.fields, &body, &targets, tokenizer),
                );
                return (id, day, Arc::new(EntryCell::new(entry)));
            }
            let entry = r.search_entry(id, refs, || {
                let body = r.body(id);
                Entry::new(
                    document(
                        base,
                        &path,
                        page.kind(),
                        (page.fields(), page.fields()),
                        &body,
                    ),
                    weighted_words(page.fields(), &body, &targets, tokenizer),
                )
            });
            (id, day, entry)
        })
        .collect();
    let mut docs = docs.into_iter();
    let docs: Vec<KindDocs> = lists
        .into_iter()
        .map(|(dated, ids)| {
            let kind: Vec<(PageId, u64, Arc<EntryCell>)> = docs.by_ref().take(ids.len()).collect();
            let (layout, places) = match dated {
                true => {
                    let days: Vec<u64> = kind.iter().map(|(_, day, _)| *day).collect();
                    Layout::by_date(&days, config.search.recent_block)
                }
                false => Layout::by_title(kind.len()),
            };
            let mut docs: Vec<(u64, PageId, Arc<EntryCell>)> = places
                .into_iter()
                .zip(kind)
                .map(|(place, (id, _, entry))| (place, id, entry))
                .collect();
            docs.sort_unstable_by_key(|d| d.0);
            KindDocs { layout, docs }
        })
        .collect();
    if r.lang().is_some() {
        return Built::update(None, language, kinds, docs).files();
    }
    let previous = r.take_search_index();
    let mut built = Built::update(previous, language, kinds, docs);
    let files = built.files();
    r.keep_search_index(built);
    files
}

/// What a result shows of a page (or of its translation): `path` is its
/// site-relative URL, `f` its front matter, `original` the front matter
/// of the page it translates (whose date it has).
fn document(
    base: &crate::urls::BaseUrl,
    path: &str,
    kind: &str,
    (f, original): (&crate::content::Fields, &crate::content::Fields),
    body: &BodyHtml,
) -> Document {
    let mut text = body.text.trim().to_string();
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    // The day (or month) as written, for the search page to show in its
    // language's words: the index is the same whatever the theme says.
    let date = original.date.as_ref().map_or_else(String::new, |d| {
        let d = d.get_ref();
        let format = if d.is_month() { "%Y-%m" } else { "%Y-%m-%d" };
        d.day().strftime(format).to_string()
    });
    Document {
        url: base.link(path),
        title: f.title.clone(),
        kind: kind.to_string(),
        date,
        authors: match f.authors.is_empty() {
            true => original.authors.clone(),
            false => f.authors.clone(),
        },
        text,
    }
}

/// The page's words with their weights: title, names of what it
/// references (so "JICA" finds briefs that list `jica`), people and
/// places, summary, body.
fn weighted_words(
    f: &crate::content::Fields,
    body: &BodyHtml,
    targets: &[PageView<'_>],
    tokenizer: Tokenizer,
) -> Vec<(String, u32)> {
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
