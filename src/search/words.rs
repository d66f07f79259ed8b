//! The word index of the search: every word with its postings, cut into
//! chunk files, and brought up to date from the pages that changed rather
//! than merged again from every page.
//!
//! A chunk ends where a word's hash says so (with a chance that grows with
//! the word's size, so chunks hold about [`TARGET_CHUNK`] bytes), or at
//! [`MAX_CHUNK`] bytes: its bounds depend on the words near them, not on
//! every word before them, so a change to a few pages changes a few
//! chunks. A chunk's file is named after a hash of
//! its bytes, so a chunk that stays the same keeps its name and is not
//! written again. An index updated from changes is the same, byte for
//! byte, as one built from nothing (a test says so).

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::Entry;
use crate::packed::Packed;

/// Chunks hold about this many bytes: each word ends one with a chance of
/// its size in this, decided by the word's hash (so the same word always
/// decides the same)…
const TARGET_CHUNK: u64 = 48 * 1024;
/// …once the chunk holds this many bytes (small beside the target, so
/// that the cuts after a change soon fall where they fell before),
const MIN_CHUNK: usize = 4 * 1024;
/// and a chunk is always cut once it holds this many.
const MAX_CHUNK: usize = 192 * 1024;
/// A word occurring this often in a page counts this much at most.
pub const MAX_WEIGHT: u32 = 1_000;

/// `(ref, weight)`: a document (with its kind, see [`super`]) and how much
/// the word counts in it.
pub type Posting = (u64, u32);

/// Every word with its postings, words sorted, refs ascending. The
/// postings are kept packed: an update decodes only the words it
/// touches, and cutting chunks only the words of chunks made again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordIndex {
    words: Vec<(String, Packed<Posting>)>,
}

/// The words of one document, where it is in the index.
pub struct Doc<'a> {
    pub reference: u64,
    pub entry: &'a Entry,
}

impl WordIndex {
    /// Merges the words of every document, in document order.
    pub fn build<'a>(docs: impl Iterator<Item = Doc<'a>>) -> WordIndex {
        // Documents come in order, so each word's postings come out in
        // ascending order without sorting.
        let mut by_word: FxHashMap<&str, Vec<Posting>> = FxHashMap::default();
        for doc in docs {
            for (word, weight) in doc.entry.words() {
                by_word
                    .entry(word)
                    .or_default()
                    .push((doc.reference, weight.min(MAX_WEIGHT)));
            }
        }
        let mut words: Vec<(String, Packed<Posting>)> = by_word
            .into_iter()
            .map(|(w, p)| (w.to_string(), Packed::new(&p)))
            .collect();
        use rayon::slice::ParallelSliceMut;
        words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        WordIndex { words }
    }

    pub fn words(&self) -> &[(String, Packed<Posting>)] {
        &self.words
    }

    /// Replaces the words of documents that changed: each `(before,
    /// after)` is the same document's old and new words. Returns the words
    /// whose postings changed. Each such word's postings are made again in
    /// one pass, whatever the number of changed documents: the time is
    /// linear in the postings of the words touched.
    pub fn update(&mut self, changes: &[(Doc<'_>, Doc<'_>)]) -> FxHashSet<String> {
        // A word whose weight in a changed document stayed the same keeps
        // its postings (refs are positions, which the changed documents
        // keep): only the words that differ are touched. Each such word
        // loses the document's old posting and gets its new one.
        let mut gone: FxHashMap<&str, FxHashSet<u64>> = FxHashMap::default();
        let mut incoming: FxHashMap<&str, Vec<Posting>> = FxHashMap::default();
        for (before, after) in changes {
            let moved = before.reference != after.reference;
            diff_words(before.entry, after.entry, |word, old, new| {
                if !moved && old == new {
                    return;
                }
                if old.is_some() {
                    gone.entry(word).or_default().insert(before.reference);
                }
                let postings = incoming.entry(word).or_default();
                if let Some(weight) = new {
                    postings.push((after.reference, weight.min(MAX_WEIGHT)));
                }
            });
        }
        let touched = incoming.keys().map(|w| w.to_string()).collect();
        let mut added: Vec<(String, Packed<Posting>)> = Vec::new();
        for (word, mut new) in incoming {
            new.sort_unstable_by_key(|p| p.0);
            match self.find(word) {
                Ok(i) => {
                    let old = std::mem::take(&mut self.words[i].1);
                    let gone = gone.get(word);
                    let kept = old
                        .iter()
                        .filter(|p| !gone.is_some_and(|g| g.contains(&p.0)));
                    self.words[i].1 = Packed::new(&merge(kept, old.len(), new));
                }
                Err(_) if !new.is_empty() => added.push((word.to_string(), Packed::new(&new))),
                Err(_) => {}
            }
        }
        // Words no document has any more go; new ones join in order.
        added.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let old = std::mem::take(&mut self.words);
        let mut merged = Vec::with_capacity(old.len() + added.len());
        let mut added = added.into_iter().peekable();
        for (word, postings) in old {
            while let Some(new) = added.next_if(|(new, _)| *new < word) {
                merged.push(new);
            }
            if !postings.is_empty() {
                merged.push((word, postings));
            }
        }
        merged.extend(added);
        self.words = merged;
        touched
    }

    fn find(&self, word: &str) -> Result<usize, usize> {
        self.words.binary_search_by(|(w, _)| w.as_str().cmp(word))
    }
}

/// Walks the words of two entries (each sorted) together: `each(word,
/// weight before, weight after)` for every word of either.
fn diff_words<'a>(
    before: &'a Entry,
    after: &'a Entry,
    mut each: impl FnMut(&'a str, Option<u32>, Option<u32>),
) {
    let mut old = before.words().peekable();
    let mut new = after.words().peekable();
    loop {
        match (old.peek(), new.peek()) {
            (Some(&(a, wa)), Some(&(b, wb))) => match a.cmp(b) {
                std::cmp::Ordering::Less => {
                    each(a, Some(wa), None);
                    old.next();
                }
                std::cmp::Ordering::Greater => {
                    each(b, None, Some(wb));
                    new.next();
                }
                std::cmp::Ordering::Equal => {
                    each(a, Some(wa), Some(wb));
                    old.next();
                    new.next();
                }
            },
            (Some(&(a, wa)), None) => {
                each(a, Some(wa), None);
                old.next();
            }
            (None, Some(&(b, wb))) => {
                each(b, None, Some(wb));
                new.next();
            }
            (None, None) => return,
        }
    }
}

/// Two lists of postings, each in ascending order of ref, as one (`kept`
/// has at most `kept_len`).
fn merge(kept: impl Iterator<Item = Posting>, kept_len: usize, new: Vec<Posting>) -> Vec<Posting> {
    let mut out = Vec::with_capacity(kept_len + new.len());
    let mut new = new.into_iter().peekable();
    for posting in kept {
        while let Some(n) = new.next_if(|n| n.0 < posting.0) {
            out.push(n);
        }
        out.push(posting);
    }
    out.extend(new);
    out
}

/// One chunk file: its words (a range of the index), and its bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Chunk {
    pub first: String,
    pub last: String,
    /// How many words it holds.
    pub count: usize,
    /// What its words cost, as [`word_cost`] counts.
    pub size: usize,
    /// The file's name under `words/`, without `.json`.
    pub name: String,
    /// The xxh3-128 hash of its bytes.
    pub hash: u128,
    /// Its bytes until they are written; none for a chunk taken from the
    /// last index as it was.
    #[serde(skip)]
    pub bytes: Option<Arc<[u8]>>,
}

/// Cuts the index into chunks. A chunk of `previous` with the same words,
/// none of them `touched`, is taken as it is instead of written again:
/// where the cutting reaches the first word of such a chunk, it steps over
/// the whole chunk, so an update costs the chunks it changes, not the
/// index.
pub fn chunks(index: &WordIndex, previous: &[Chunk], touched: &FxHashSet<String>) -> Vec<Chunk> {
    let by_first: FxHashMap<&str, &Chunk> =
        previous.iter().map(|c| (c.first.as_str(), c)).collect();
    let mut touched: Vec<&str> = touched.iter().map(String::as_str).collect();
    touched.sort_unstable();
    let words = index.words();
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut i = 0;
    while i < words.len() {
        if size == 0
            && let Some(chunk) = reusable(words, i, by_first.get(words[i].0.as_str()), &touched)
        {
            out.push(Chunk {
                bytes: None,
                ..chunk.clone()
            });
            i += chunk.count;
            start = i;
            continue;
        }
        let (word, postings) = &words[i];
        let cost = word_cost(word, postings);
        size += cost;
        if cuts(size, word, cost, i + 1 == words.len()) {
            out.push(chunk_of(&words[start..=i], size));
            start = i + 1;
            size = 0;
        }
        i += 1;
    }
    out
}

/// `chunk` (of the last index) if the words from `i` on are its words,
/// none of them touched since, and its last word still ends a chunk: then
/// cutting from `i` would make it again, byte for byte.
fn reusable<'a>(
    words: &[(String, Packed<Posting>)],
    i: usize,
    chunk: Option<&&'a Chunk>,
    touched: &[&str],
) -> Option<&'a Chunk> {
    let chunk: &Chunk = chunk?;
    let end = i + chunk.count.checked_sub(1)?;
    let (last, postings) = words.get(end)?;
    if *last != chunk.last {
        return None;
    }
    // The same first and last word, and no word in between added or
    // removed (either would be touched): the same words.
    let next_touched = touched.partition_point(|t| *t < chunk.first.as_str());
    if touched
        .get(next_touched)
        .is_some_and(|t| *t <= chunk.last.as_str())
    {
        return None;
    }
    let cost = word_cost(last, postings);
    cuts(chunk.size, last, cost, end + 1 == words.len()).then_some(chunk)
}

/// About what a word costs in its chunk's file: its name, and two small
/// numbers per posting.
fn word_cost(word: &str, postings: &Packed<Posting>) -> usize {
    word.len() + postings.len() * 8 + 6
}

/// Whether a chunk that holds `size` bytes once `word` (costing `cost`)
/// is in ends with it.
fn cuts(size: usize, word: &str, cost: usize, last_word: bool) -> bool {
    size >= MAX_CHUNK || (size >= MIN_CHUNK && ends_chunk(word, cost)) || last_word
}

/// Whether `word`, costing `cost` bytes, ends a chunk: with a chance of
/// `cost / TARGET_CHUNK`, by its hash.
fn ends_chunk(word: &str, cost: usize) -> bool {
    let draw = xxhash_rust::xxh3::xxh3_64(word.as_bytes()) % TARGET_CHUNK;
    draw < cost as u64
}

/// The chunk file of `group` (costing `size`, see [`word_cost`]):
/// `{ "word": [ref, weight, ref, weight, ...] }` with each ref as the
/// difference from the one before.
fn chunk_of(group: &[(String, Packed<Posting>)], size: usize) -> Chunk {
    use std::io::Write;
    let mut bytes = Vec::with_capacity(group.len() * 64);
    bytes.push(b'{');
    for (n, (word, postings)) in group.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        // A string always serializes.
        let _ = serde_json::to_writer(&mut bytes, word);
        bytes.extend_from_slice(b":[");
        let mut previous = 0;
        for (k, (reference, weight)) in postings.iter().enumerate() {
            if k > 0 {
                bytes.push(b',');
            }
            let _ = write!(bytes, "{},{weight}", reference - previous);
            previous = reference;
        }
        bytes.push(b']');
    }
    bytes.push(b'}');
    let name = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    Chunk {
        first: group[0].0.clone(),
        last: group[group.len() - 1].0.clone(),
        count: group.len(),
        size,
        name,
        hash: xxhash_rust::xxh3::xxh3_128(&bytes),
        bytes: Some(Arc::from(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(words: &[(&str, u32)]) -> Entry {
        Entry::for_test(words)
    }

    fn docs(entries: &[Entry]) -> impl Iterator<Item = Doc<'_>> {
        entries.iter().enumerate().map(|(n, e)| Doc {
            reference: n as u64 * 2,
            entry: e,
        })
    }

    #[test]
    fn an_updated_index_is_the_index_built_from_nothing() {
        let mut entries: Vec<Entry> = (0..400)
            .map(|d| {
                let words: Vec<(String, u32)> = (0..200)
                    .map(|w| {
                        (
                            format!("w{:05}", (d * 7 + w * 13) % 5000),
                            (w % 5) as u32 + 1,
                        )
                    })
                    .collect();
                let refs: Vec<(&str, u32)> = words.iter().map(|(w, n)| (w.as_str(), *n)).collect();
                entry(&refs)
            })
            .collect();
        let mut index = WordIndex::build(docs(&entries));
        let mut chunked = chunks(&index, &[], &FxHashSet::default());
        assert!(chunked.len() > 3, "{} chunks", chunked.len());
        for round in 0..20usize {
            // Change a few documents: new words, dropped words, weights.
            let changed: Vec<usize> = (0..3)
                .map(|k| (round * 37 + k * 101) % entries.len())
                .collect();
            let before: Vec<Entry> = changed.iter().map(|&d| entries[d].clone()).collect();
            for &d in &changed {
                let words: Vec<(String, u32)> = (0..150)
                    .map(|w| {
                        (
                            format!("w{:05}", (d * 11 + w * 17 + round) % 6000),
                            (w % 3) as u32 + 2,
                        )
                    })
                    .chain([(format!("new{round}"), 1)])
                    .collect();
                let mut words = words;
                words.sort();
                words.dedup_by(|a, b| a.0 == b.0);
                let refs: Vec<(&str, u32)> = words.iter().map(|(w, n)| (w.as_str(), *n)).collect();
                entries[d] = entry(&refs);
            }
            let pairs: Vec<(Doc<'_>, Doc<'_>)> = changed
                .iter()
                .zip(&before)
                .map(|(&d, old)| {
                    let reference = d as u64 * 2;
                    (
                        Doc {
                            reference,
                            entry: old,
                        },
                        Doc {
                            reference,
                            entry: &entries[d],
                        },
                    )
                })
                .collect();
            let touched = index.update(&pairs);
            chunked = chunks(&index, &chunked, &touched);
            let fresh = WordIndex::build(docs(&entries));
            assert_eq!(index, fresh, "round {round}");
            let fresh_chunks = chunks(&fresh, &[], &FxHashSet::default());
            let names = |c: &[Chunk]| c.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
            assert_eq!(names(&chunked), names(&fresh_chunks), "round {round}");
        }
    }

    #[test]
    fn a_change_rewrites_few_chunks() {
        let entries: Vec<Entry> = (0..300)
            .map(|d| {
                let words: Vec<(String, u32)> =
                    (0..300).map(|w| (format!("d{d}w{w:03}"), 1)).collect();
                let refs: Vec<(&str, u32)> = words.iter().map(|(w, n)| (w.as_str(), *n)).collect();
                entry(&refs)
            })
            .collect();
        let mut index = WordIndex::build(docs(&entries));
        let before = chunks(&index, &[], &FxHashSet::default());
        let old = entries[150].clone();
        let new = entry(&[("d150w000", 3), ("d150zzz", 1)]);
        let touched = index.update(&[(
            Doc {
                reference: 300,
                entry: &old,
            },
            Doc {
                reference: 300,
                entry: &new,
            },
        )]);
        let after = chunks(&index, &before, &touched);
        let names: FxHashSet<&str> = before.iter().map(|c| c.name.as_str()).collect();
        let rewritten = after
            .iter()
            .filter(|c| !names.contains(c.name.as_str()))
            .count();
        assert!(before.len() > 20, "{} chunks", before.len());
        assert!(
            rewritten <= 4,
            "{rewritten} of {} chunks rewritten",
            after.len()
        );
    }
}
