//! Lists kept as their items' bytes: each item encoded in a few bytes
//! (postcard's variable-length integers), one after the other.
//!
//! A build from the kept state reads hundreds of thousands of small items
//! (the deps of every output's record, the postings of every search word)
//! and looks at few of them. Kept packed, a list comes back from the
//! state as one copy of its bytes, is scanned without allocating, and is
//! written back as it was read; only the lists a build changes are
//! decoded and encoded again.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A list of `T`s as their bytes.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(bound = "")]
pub struct Packed<T> {
    len: u32,
    #[serde(with = "serde_bytes")]
    bytes: Box<[u8]>,
    #[serde(skip)]
    item: PhantomData<fn() -> T>,
}

/// Appends the bytes of `items` to `bytes`; returns how many there were.
pub fn pack_into<'a, T: Serialize + 'a>(
    items: impl IntoIterator<Item = &'a T>,
    bytes: &mut Vec<u8>,
) -> u32 {
    let mut len = 0u32;
    for item in items {
        // Writing to a vector cannot fail, and the items packed here
        // (plain enums, numbers, tuples of them) always encode.
        let _ = postcard::to_io(item, &mut *bytes);
        len += 1;
    }
    len
}

/// The `len` items packed in `bytes`, in order, read by one decoder. The
/// bytes are those [`pack_into`] made (a kept state is read back only
/// when it hashes to what its header says); bytes that did not decode
/// would end the list.
pub fn unpack<T: DeserializeOwned>(bytes: &[u8], len: usize) -> impl Iterator<Item = T> + '_ {
    let mut decoder = postcard::Deserializer::from_bytes(bytes);
    (0..len).map_while(move |_| T::deserialize(&mut decoder).ok())
}

impl<T: Serialize + DeserializeOwned> Packed<T> {
    pub fn new<'a>(items: impl IntoIterator<Item = &'a T>) -> Packed<T>
    where
        T: 'a,
    {
        let mut bytes = Vec::new();
        let len = pack_into(items, &mut bytes);
        Packed {
            len,
            bytes: bytes.into_boxed_slice(),
            item: PhantomData,
        }
    }

    /// The items, in the order they were given (see [`unpack`]).
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        unpack(&self.bytes, self.len())
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.len as usize
    }
}

impl<T> Default for Packed<T> {
    fn default() -> Self {
        Packed {
            len: 0,
            bytes: Box::default(),
            item: PhantomData,
        }
    }
}

impl<T> Clone for Packed<T> {
    fn clone(&self) -> Self {
        Packed {
            len: self.len,
            bytes: self.bytes.clone(),
            item: PhantomData,
        }
    }
}

/// The same items: each item has one encoding.
impl<T> PartialEq for Packed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.bytes == other.bytes
    }
}

impl<T> Eq for Packed<T> {}

impl<T: Serialize + DeserializeOwned + std::fmt::Debug> std::fmt::Debug for Packed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_as_they_were_packed() {
        let items: Vec<(u64, u32)> = vec![(0, 1), (127, 128), (u64::MAX, u32::MAX), (300, 0)];
        let packed = Packed::new(&items);
        assert_eq!(packed.len(), 4);
        assert_eq!(packed.iter().collect::<Vec<_>>(), items);
        let bytes = postcard::to_stdvec(&packed).unwrap();
        let back: Packed<(u64, u32)> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, packed);
        assert_eq!(back.iter().collect::<Vec<_>>(), items);
        let empty = Packed::<(u64, u32)>::new(&[]);
        assert_eq!(empty.len(), 0);
        assert_eq!(empty.iter().count(), 0);
        assert_eq!(empty, Packed::default());
        // Bytes cut short end the list at the last whole item.
        let cut = Packed::<(u64, u32)> {
            len: packed.len,
            bytes: packed.bytes[..packed.bytes.len() - 1].into(),
            item: PhantomData,
        };
        assert_eq!(cut.iter().count(), items.len() - 1);
    }
}
