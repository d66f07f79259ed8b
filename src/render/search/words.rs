//! The word index of the search: every word with its postings, brought up
//! to date from the pages that changed rather than merged again from
//! every page (cut into files by [`super::chunks`]). An index updated
//! from changes is the same, byte for byte, as one built from nothing (a
//! test in [`super::chunks`] says so).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::Entry;

/// A word occurring this often in a page counts this much at most.
pub const MAX_WEIGHT: u32 = 1_000;

/// `(ref, weight)`: a document (with its kind, see [`super`]) and how much
/// the word counts in it.
pub type Posting = (u64, u32);

/// Every word with its postings, words sorted, refs ascending: kept flat
/// (all the words in one string, all the postings packed in one buffer,
/// see [`crate::store::packed`]), so that a build from the kept state reads the
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
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Word `i`.
    pub(super) fn word(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p].0 as usize);
        &self.text[start..self.ends[i].0 as usize]
    }

    /// How many postings word `i` has.
    pub(super) fn count(&self, i: usize) -> usize {
        self.ends[i].1 as usize
    }

    /// The packed postings of word `i`.
    fn packed(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p].2 as usize);
        &self.postings[start..self.ends[i].2 as usize]
    }

    /// The postings of word `i`.
    pub(super) fn postings(&self, i: usize) -> impl Iterator<Item = Posting> + '_ {
        crate::store::packed::unpack(self.packed(i), self.count(i))
    }

    /// Adds a word after the last one.
    fn push(&mut self, word: &str, postings: &[Posting]) {
        let count = crate::store::packed::pack_into(postings, &mut self.postings);
        self.text.push_str(word);
        self.ends
            .push((self.text.len() as u32, count, self.postings.len() as u32));
    }

    /// Adds words `range` of `other` after the last one, as bytes: their
    /// text and postings in one copy each, their ends moved by as much as
    /// the copies start at another place.
    fn extend_from(&mut self, other: &WordIndex, range: std::ops::Range<usize>) {
        if range.is_empty() {
            return;
        }
        let last = range.end - 1;
        let before = range.start.checked_sub(1).map(|p| other.ends[p]);
        let (text_start, postings_start) = before.map_or((0, 0), |(t, _, p)| (t, p));
        let (text_end, _, postings_end) = other.ends[last];
        self.text
            .push_str(&other.text[text_start as usize..text_end as usize]);
        self.postings
            .extend_from_slice(&other.postings[postings_start as usize..postings_end as usize]);
        // The offsets fit in u32 in both indexes (as `push` makes them),
        // so the moved ones do: wrapping arithmetic adds a negative shift.
        let text_shift = (self.text.len() as u32).wrapping_sub(text_end);
        let postings_shift = (self.postings.len() as u32).wrapping_sub(postings_end);
        self.ends
            .extend(other.ends[range].iter().map(|&(t, count, p)| {
                (
                    t.wrapping_add(text_shift),
                    count,
                    p.wrapping_add(postings_shift),
                )
            }));
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
        // The words between two touched ones are copied in one piece: a
        // deleted brief touches a few hundred of 230,000 words.
        let mut copied = 0;
        for (word, postings) in changed {
            let (at, next) = match self.find(word) {
                Ok(i) => (i, i + 1),
                Err(i) => (i, i),
            };
            merged.extend_from(self, copied..at);
            if !postings.is_empty() {
                merged.push(word, &postings);
            }
            copied = next;
        }
        merged.extend_from(self, copied..self.len());
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
