//! Search entries as a build keeps them for the next: by shard of page
//! ids (see [`crate::store::shards`]), the entries' bytes one after the
//! other in the shard's file, and what each shard holds (page, key and
//! length of each entry: its [`Heads`]) in the state's core. A shard's
//! file is read when one of its entries is first used, and an entry
//! decoded then: a build after a one-page edit reads the shards of the
//! entries it looks at, not the words of every page.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::Entry;
use crate::content::pages::PageId;

/// A search entry, made by this build or kept by the last one.
#[derive(Debug)]
pub struct EntryCell {
    entry: OnceLock<Entry>,
    /// The entry as the last build kept it: its shard, and where in the
    /// shard's bytes it is.
    kept: Option<(Arc<KeptShard>, Range<usize>)>,
}

/// The file of a shard of entries, read on first use.
#[derive(Debug)]
pub struct KeptShard {
    dir: PathBuf,
    hash: u128,
    bytes: OnceLock<Option<Vec<u8>>>,
    /// Set when a file of the kept state could not be read whole (gone,
    /// or changed, since the build began): shared by all the shards of a
    /// state, and asked by the engine, which then builds from nothing.
    lost: Arc<AtomicBool>,
}

impl KeptShard {
    pub fn new(dir: PathBuf, hash: u128, lost: Arc<AtomicBool>) -> KeptShard {
        KeptShard {
            dir,
            hash,
            bytes: OnceLock::new(),
            lost,
        }
    }

    /// The bytes of `range`, if the file is there and whole.
    fn get(&self, range: &Range<usize>) -> Option<&[u8]> {
        let bytes = self
            .bytes
            .get_or_init(|| crate::store::shards::read(&self.dir, self.hash))
            .as_deref()
            .and_then(|bytes| bytes.get(range.clone()));
        self.lost_unless(bytes)
    }

    /// The entry in `range`, if the file is there and whole.
    fn entry(&self, range: &Range<usize>) -> Option<Entry> {
        let entry = self.get(range).and_then(|b| postcard::from_bytes(b).ok());
        self.lost_unless(entry)
    }

    /// `found`, marking the state lost when there is none.
    fn lost_unless<T>(&self, found: Option<T>) -> Option<T> {
        if found.is_none() {
            self.lost.store(true, Ordering::Relaxed);
        }
        found
    }
}

impl EntryCell {
    pub fn new(entry: Entry) -> EntryCell {
        EntryCell {
            entry: OnceLock::from(entry),
            kept: None,
        }
    }

    /// The entry, decoded on first use. A kept entry whose shard cannot
    /// be read reads as empty, and its state is marked lost (see
    /// [`KeptShard`]): what was rendered from it is thrown away.
    pub fn get(&self) -> &Entry {
        self.entry.get_or_init(|| {
            (self.kept.as_ref())
                .and_then(|(shard, range)| shard.entry(range))
                .unwrap_or_default()
        })
    }

    /// The entry's bytes as a shard holds them.
    fn bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match (&self.kept, self.entry.get()) {
            (Some((shard, range)), _) => shard.get(range).map(std::borrow::Cow::Borrowed),
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

/// What a shard of entries holds: for each entry its page, the key it was
/// made for, and its length in the shard's bytes.
pub type Heads = Vec<(PageId, u64, u32)>;

/// What a shard holding `entries` says of them, and its bytes.
pub fn encode(entries: &[(PageId, u64, &EntryCell)]) -> (Heads, Vec<u8>) {
    let bodies: Vec<std::borrow::Cow<'_, [u8]>> = entries
        .iter()
        .map(|(_, _, cell)| cell.bytes().unwrap_or_default())
        .collect();
    let heads: Heads = entries
        .iter()
        .zip(&bodies)
        .map(|((id, key, _), body)| (*id, *key, body.len() as u32))
        .collect();
    (heads, bodies.concat())
}

/// The entries of a shard (`heads` says what it holds), undecoded and
/// unread.
pub fn restore(heads: &Heads, shard: Arc<KeptShard>) -> Vec<(PageId, u64, Arc<EntryCell>)> {
    let mut start = 0;
    heads
        .iter()
        .map(|&(id, key, len)| {
            let range = start..start + len as usize;
            start = range.end;
            let cell = EntryCell {
                entry: OnceLock::new(),
                kept: Some((shard.clone(), range)),
            };
            (id, key, Arc::new(cell))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_as_they_were_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = EntryCell::new(Entry::for_test(&[("copper", 3), ("tokyo", 1)]));
        let b = EntryCell::new(Entry::for_test(&[("jica", 40)]));
        let (heads, bytes) = encode(&[(PageId(3), 7, &a), (PageId(9), 8, &b)]);
        let hash = crate::store::shards::write(dir.path(), &bytes).unwrap();
        let lost = Arc::new(AtomicBool::new(false));
        let shard = Arc::new(KeptShard::new(dir.path().into(), hash, lost.clone()));
        let back = restore(&heads, shard);
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].0, back[0].1), (PageId(3), 7));
        // Kept again without being decoded: the same bytes.
        let again = encode(&[(PageId(3), 7, &back[0].2), (PageId(9), 8, &back[1].2)]);
        assert_eq!(again, (heads.clone(), bytes.clone()));
        assert_eq!(*back[0].2, a);
        assert_eq!(*back[1].2, b);
        assert!(!lost.load(Ordering::Relaxed));

        // A shard whose file went: its entries read as empty, and the
        // state is marked lost.
        let gone = Arc::new(KeptShard::new(dir.path().into(), hash ^ 1, lost.clone()));
        let back = restore(&heads, gone);
        assert_eq!(*back[1].2.get(), Entry::default());
        assert!(lost.load(Ordering::Relaxed));
    }
}
