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

/// Every word with its postings, words sorted, refs ascending: kept flat
/// (all the words in one string, all the postings packed in one buffer,
/// see [`crate::packed`]), so that a build from the kept state reads the
/// index back as three copies instead of 230,000 words and lists, and an
/// update copies the postings of the words it does not touch as bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordIndex {
    /// The words one after the other.
    text: String,
    /// For each word: where it ends in `text`, how many postings it has,
    /// and where they end in `postings`.
    ends: Vec<(u32, u32, u32)>,
    #[serde(with = "serde_bytes")]
    postings: Vec<u8>,
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
        let mut words: Vec<(&str, Vec<Posting>)> = by_word.into_iter().collect();
        use rayon::slice::ParallelSliceMut;
        words.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut index = WordIndex::default();
        for (word, postings) in words {
            index.push(word, &postings);
        }
        index
    }

    /// How many words there are.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Word `i`.
    fn word(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p].0 as usize);
        &self.text[start..self.ends[i].0 as usize]
    }

    /// How many postings word `i` has.
    fn count(&self, i: usize) -> usize {
        self.ends[i].1 as usize
    }

    /// The packed postings of word `i`.
    fn packed(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p].2 as usize);
        &self.postings[start..self.ends[i].2 as usize]
    }

    /// The postings of word `i`.
    fn postings(&self, i: usize) -> impl Iterator<Item = Posting> + '_ {
        crate::packed::unpack(self.packed(i), self.count(i))
    }

    /// Adds a word after the last one.
    fn push(&mut self, word: &str, postings: &[Posting]) {
        let count = crate::packed::pack_into(postings, &mut self.postings);
        self.text.push_str(word);
        self.ends
            .push((self.text.len() as u32, count, self.postings.len() as u32));
    }

    /// Adds word `i` of `other` after the last one, its postings as bytes.
    fn push_from(&mut self, other: &WordIndex, i: usize) {
        self.text.push_str(other.word(i));
        self.postings.extend_from_slice(other.packed(i));
        self.ends.push((
            self.text.len() as u32,
            other.ends[i].1,
            self.postings.len() as u32,
        ));
    }

    /// Replaces the words of documents that changed: each `(before,
    /// after)` is the same document's old and new words. Returns the words
    /// whose postings changed. Each such word's postings are made again in
    /// one pass, whatever the number of changed documents; the others are
    /// copied as they are.
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
        // Each touched word's new postings (empty: the word goes), in
        // word order.
        let mut changed: Vec<(&str, Vec<Posting>)> = incoming
            .into_iter()
            .map(|(word, mut new)| {
                new.sort_unstable_by_key(|p| p.0);
                let postings = match self.find(word) {
                    Ok(i) => {
                        let gone = gone.get(word);
                        let kept = self
                            .postings(i)
                            .filter(|p| !gone.is_some_and(|g| g.contains(&p.0)));
                        merge(kept, self.count(i), new)
                    }
                    Err(_) => new,
                };
                (word, postings)
            })
            .collect();
        changed.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut merged = WordIndex {
            text: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(self.ends.len()),
            postings: Vec::with_capacity(self.postings.len()),
        };
        let mut changed = changed.into_iter().peekable();
        for i in 0..self.len() {
            let word = self.word(i);
            while let Some((new, postings)) = changed.next_if(|(new, _)| *new < word) {
                if !postings.is_empty() {
                    merged.push(new, &postings);
                }
            }
            match changed.next_if(|(new, _)| *new == word) {
                Some((_, postings)) if postings.is_empty() => {}
                Some((_, postings)) => merged.push(word, &postings),
                None => merged.push_from(self, i),
            }
        }
        for (new, postings) in changed {
            if !postings.is_empty() {
                merged.push(new, &postings);
            }
        }
        *self = merged;
        touched
    }

    fn find(&self, word: &str) -> Result<usize, usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.word(mid).cmp(word) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(low)
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
    let mut out = Vec::new();
    let mut start = 0;
    let mut size = 0;
    let mut i = 0;
    while i < index.len() {
        if size == 0
            && let Some(chunk) = reusable(index, i, by_first.get(index.word(i)), &touched)
        {
            out.push(Chunk {
                bytes: None,
                ..chunk.clone()
            });
            i += chunk.count;
            start = i;
            continue;
        }
        let word = index.word(i);
        let cost = word_cost(word, index.count(i));
        size += cost;
        if cuts(size, word, cost, i + 1 == index.len()) {
            out.push(chunk_of(index, start..i + 1, size));
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
    use std::io::Write;
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
            let _ = write!(bytes, "{},{weight}", reference - previous);
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
