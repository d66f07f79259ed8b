//! The word index cut into chunk files.
//!
//! A chunk ends where a word's hash says so (with a chance that grows with
//! the word's size, so chunks hold about [`TARGET_CHUNK`] bytes), or at
//! [`MAX_CHUNK`] bytes: its bounds depend on the words near them, not on
//! every word before them, so a change to a few pages changes a few
//! chunks. A chunk's file is named after a hash of its bytes, so a chunk
//! that stays the same keeps its name and is not written again.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::words::WordIndex;
#[cfg(test)]
use super::{Entry, words::Doc};

/// Chunks hold about this many bytes: each word ends one with a chance of
/// its size in this, decided by the word's hash (so the same word always
/// decides the same)…
const TARGET_CHUNK: u64 = 48 * 1024;
/// …once the chunk holds this many bytes (small beside the target, so
/// that the cuts after a change soon fall where they fell before),
const MIN_CHUNK: usize = 4 * 1024;
/// and a chunk is always cut once it holds this many.
const MAX_CHUNK: usize = 192 * 1024;
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
pub fn cut(index: &WordIndex, previous: &[Chunk], touched: &FxHashSet<String>) -> Vec<Chunk> {
    use rayon::prelude::*;
    let by_first: FxHashMap<&str, &Chunk> =
        previous.iter().map(|c| (c.first.as_str(), c)).collect();
    let mut touched: Vec<&str> = touched.iter().map(String::as_str).collect();
    touched.sort_unstable();
    // Where the chunks are, first (each cut depends on the one before);
    // then the new ones' bytes, in parallel (a deleted page's words are
    // spread over most of its layer's chunks).
    let mut pieces: Vec<Result<&Chunk, (std::ops::Range<usize>, usize)>> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut i = 0;
    while i < index.len() {
        if size == 0
            && let Some(chunk) = reusable(index, i, by_first.get(index.word(i)), &touched)
        {
            pieces.push(Ok(chunk));
            i += chunk.count;
            start = i;
            continue;
        }
        let word = index.word(i);
        let cost = word_cost(word, index.count(i));
        size += cost;
        if cuts(size, word, cost, i + 1 == index.len()) {
            pieces.push(Err((start..i + 1, size)));
            start = i + 1;
            size = 0;
        }
        i += 1;
    }
    pieces
        .into_par_iter()
        .map(|piece| match piece {
            Ok(chunk) => Chunk {
                bytes: None,
                ..chunk.clone()
            },
            Err((group, size)) => chunk_of(index, group, size),
        })
        .collect()
}

/// `chunk` (of the last index) if the words from `i` on are its words,
/// none of them touched since, and its last word still ends a chunk: then
/// cutting from `i` would make it again, byte for byte.
fn reusable<'a>(
    index: &WordIndex,
    i: usize,
    chunk: Option<&&'a Chunk>,
    touched: &[&str],
) -> Option<&'a Chunk> {
    let chunk: &Chunk = chunk?;
    let end = i + chunk.count.checked_sub(1)?;
    if end >= index.len() || index.word(end) != chunk.last {
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
    let last = index.word(end);
    let cost = word_cost(last, index.count(end));
    cuts(chunk.size, last, cost, end + 1 == index.len()).then_some(chunk)
}

/// About what a word costs in its chunk's file: its name, and two small
/// numbers per posting.
fn word_cost(word: &str, postings: usize) -> usize {
    word.len() + postings * 8 + 6
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

/// The chunk file of words `group` of `index` (costing `size`, see
/// [`word_cost`]): `{ "word": [ref, weight, ref, weight, ...] }` with
/// each ref as the difference from the one before.
fn chunk_of(index: &WordIndex, group: std::ops::Range<usize>, size: usize) -> Chunk {
    let mut bytes = Vec::with_capacity(group.len() * 64);
    bytes.push(b'{');
    for (n, i) in group.clone().enumerate() {
        let (word, postings) = (index.word(i), index.postings(i));
        if n > 0 {
            bytes.push(b',');
        }
        // A string always serializes.
        let _ = serde_json::to_writer(&mut bytes, word);
        bytes.extend_from_slice(b":[");
        let mut previous = 0;
        for (k, (reference, weight)) in postings.enumerate() {
            if k > 0 {
                bytes.push(b',');
            }
            let mut digits = itoa::Buffer::new();
            bytes.extend_from_slice(digits.format(reference - previous).as_bytes());
            bytes.push(b',');
            bytes.extend_from_slice(digits.format(weight).as_bytes());
            previous = reference;
        }
        bytes.push(b']');
    }
    bytes.push(b'}');
    let name = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    Chunk {
        first: index.word(group.start).to_string(),
        last: index.word(group.end - 1).to_string(),
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
        let mut chunked = cut(&index, &[], &FxHashSet::default());
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
            chunked = cut(&index, &chunked, &touched);
            let fresh = WordIndex::build(docs(&entries));
            assert_eq!(index, fresh, "round {round}");
            let fresh_chunks = cut(&fresh, &[], &FxHashSet::default());
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
        let before = cut(&index, &[], &FxHashSet::default());
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
        let after = cut(&index, &before, &touched);
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
