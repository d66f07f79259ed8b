//! Search entries as a build keeps them for the next: by shard of page
//! ids (see [`crate::engine::shards`]), each entry's bytes apart, decoded
//! only when the next build reads that entry. A build after a one-page
//! edit reads the words of that page alone, not of every page.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::Entry;
use crate::site::pages::PageId;

/// A search entry, made by this build or kept by the last one.
#[derive(Debug)]
pub struct EntryCell {
    entry: OnceLock<Entry>,
    /// The entry as the last build kept it: a shard's bytes and where in
    /// them this entry is.
    kept: Option<(Arc<[u8]>, Range<usize>)>,
}

impl EntryCell {
    pub fn new(entry: Entry) -> EntryCell {
        EntryCell {
            entry: OnceLock::from(entry),
            kept: None,
        }
    }

    /// The entry, decoded on first use. The bytes were written by this
    /// same program (the state's version says so) and read back only when
    /// they hash to the name they were written under, so they decode; were
    /// they not to, the entry would read as empty.
    pub fn get(&self) -> &Entry {
        self.entry.get_or_init(|| {
            self.kept
                .as_ref()
                .and_then(|(bytes, range)| postcard::from_bytes(bytes.get(range.clone())?).ok())
                .unwrap_or_default()
        })
    }

    /// The entry's bytes as a shard holds them.
    fn bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match (&self.kept, self.entry.get()) {
            (Some((bytes, range)), _) => bytes.get(range.clone()).map(std::borrow::Cow::Borrowed),
            (None, Some(entry)) => postcard::to_stdvec(entry).ok().map(std::borrow::Cow::Owned),
            (None, None) => None,
        }
    }
}

impl PartialEq for EntryCell {
    fn eq(&self, other: &EntryCell) -> bool {
        self.get() == other.get()
    }
}

/// What a shard of entries begins with: for each entry its page, the key
/// it was made for, and its length in the bytes that follow.
type Heads = Vec<(PageId, u64, u32)>;

/// The bytes of a shard holding `entries`.
pub fn encode(entries: &[(PageId, u64, &EntryCell)]) -> Vec<u8> {
    let bodies: Vec<std::borrow::Cow<'_, [u8]>> = entries
        .iter()
        .map(|(_, _, cell)| cell.bytes().unwrap_or_default())
        .collect();
    let heads: Heads = entries
        .iter()
        .zip(&bodies)
        .map(|((id, key, _), body)| (*id, *key, body.len() as u32))
        .collect();
    // A list of numbers always serializes.
    let mut bytes = postcard::to_stdvec(&heads).unwrap_or_default();
    for body in &bodies {
        bytes.extend_from_slice(body);
    }
    bytes
}

/// The entries of a shard, undecoded; `None` if its bytes do not hold
/// what [`encode`] writes.
pub fn decode(bytes: Vec<u8>) -> Option<Vec<(PageId, u64, Arc<EntryCell>)>> {
    let (heads, rest) = postcard::take_from_bytes::<Heads>(&bytes).ok()?;
    let mut start = bytes.len() - rest.len();
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let mut entries = Vec::with_capacity(heads.len());
    for (id, key, len) in heads {
        let range = start..start.checked_add(len as usize)?;
        bytes.get(range.clone())?;
        start = range.end;
        entries.push((
            id,
            key,
            Arc::new(EntryCell {
                entry: OnceLock::new(),
                kept: Some((bytes.clone(), range)),
            }),
        ));
    }
    (start == bytes.len()).then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_as_they_were_kept() {
        let a = EntryCell::new(Entry::for_test(&[("copper", 3), ("tokyo", 1)]));
        let b = EntryCell::new(Entry::for_test(&[("jica", 40)]));
        let bytes = encode(&[(PageId(3), 7, &a), (PageId(9), 8, &b)]);
        let back = decode(bytes.clone()).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].0, back[0].1), (PageId(3), 7));
        assert_eq!(*back[0].2, a);
        assert_eq!(*back[1].2, b);
        // Kept again without being decoded: the same bytes.
        let again = encode(&[(PageId(3), 7, &back[0].2), (PageId(9), 8, &back[1].2)]);
        assert_eq!(again, bytes);
        assert!(decode(bytes[..bytes.len() - 1].to_vec()).is_none());
    }
}
