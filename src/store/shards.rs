//! Content-addressed files in the cache folder: a shard holds what the
//! state keeps of `[build] state_shard` consecutive page ids (the pages, or their
//! search entries), named after a hash of its bytes. A build writes only
//! the shards whose pages changed; the others it names again as they are.
//! A shard is read back only when its bytes hash to its name, so a file
//! damaged or cut short (a build killed while writing it) is never taken.
//! Shards are compressed (zstd): the pages' fields and outlines and the
//! search entries' words and documents take about a quarter of their
//! size, which keeps `.attache/` smaller than the content it describes.

use std::path::{Path, PathBuf};

const PREFIX: &str = "shard-";
/// zstd's level 1: about three times smaller on the text shards hold, at
/// a few hundred MB/s (a one-line edit writes two shards of a megabyte);
/// higher levels gain a few percent for twice the time, the faster ones
/// lose a tenth of the gain for hardly any speed on text.
const LEVEL: i32 = 1;

/// The shard that holds page `index`, with `size` pages a shard.
pub fn shard_of(index: usize, size: usize) -> usize {
    index / size.max(1)
}

/// The file of the shard whose bytes hash to `hash`.
fn path(dir: &Path, hash: u128) -> PathBuf {
    dir.join(format!("{PREFIX}{hash:032x}"))
}

/// Writes `bytes` as a shard unless the folder has it already; returns its
/// hash (of `bytes`, not of the compressed file). Written under a
/// temporary name and renamed, so that the name always stands for the
/// whole file.
pub fn write(dir: &Path, bytes: &[u8]) -> std::io::Result<u128> {
    let hash = xxhash_rust::xxh3::xxh3_128(bytes);
    let path = path(dir, hash);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Ok(hash);
    }
    crate::output::manifest::write_atomically(&path, &compress(bytes, LEVEL)?)?;
    Ok(hash)
}

/// The bytes of shard `hash`, if its file is there and whole.
pub fn read(dir: &Path, hash: u128) -> Option<Vec<u8>> {
    let file = crate::fs::read_regular(&path(dir, hash), crate::fs::OWN_FILE_LIMIT).ok()?;
    let bytes = decompress(&file)?;
    (xxhash_rust::xxh3::xxh3_128(&bytes) == hash).then_some(bytes)
}

/// `bytes` as one zstd frame at `level`, which says how long `bytes` is.
pub fn compress(bytes: &[u8], level: i32) -> std::io::Result<Vec<u8>> {
    zstd::bulk::compress(bytes, level)
}

/// The bytes of a frame [`compress`] made, if it is whole and says a size
/// a file of the state may have.
pub fn decompress(frame: &[u8]) -> Option<Vec<u8>> {
    let size = zstd::zstd_safe::get_frame_content_size(frame).ok()??;
    if size > crate::fs::OWN_FILE_LIMIT {
        return None;
    }
    let bytes = zstd::bulk::decompress(frame, usize::try_from(size).ok()?).ok()?;
    (bytes.len() as u64 == size).then_some(bytes)
}

/// Shards of slots (each a postcard sequence of `Option<T>`, in order)
/// decoded into one vector, each shard into its own part of it, in
/// parallel. Decoding each into a vector of its own and moving those into
/// one copied every slot again (12 MB of pages at 10,000 briefs, on one
/// core while the other waited). `None` when a shard is not such a
/// sequence.
pub fn decode_slots<T>(shards: &[Vec<u8>]) -> Option<Vec<Option<T>>>
where
    T: serde::de::DeserializeOwned + Send,
{
    use rayon::prelude::*;
    // postcard writes a sequence's length first, as it writes a u64. A
    // slot takes a byte at least, so a shard has no more slots than bytes:
    // a damaged length cannot ask for more memory than its file could fill.
    let lens: Vec<usize> = (shards.iter())
        .map(|bytes| {
            let (len, _) = postcard::take_from_bytes::<u64>(bytes).ok()?;
            usize::try_from(len).ok().filter(|&len| len <= bytes.len())
        })
        .collect::<Option<_>>()?;
    let total = lens.iter().sum();
    let mut slots: Vec<Option<T>> = (0..total).into_par_iter().map(|_| None).collect();
    let mut parts: Vec<&mut [Option<T>]> = Vec::with_capacity(lens.len());
    let mut rest = slots.as_mut_slice();
    for &len in &lens {
        // In range: the lengths add up to the slots made.
        let (part, after) = rest.split_at_mut(len);
        parts.push(part);
        rest = after;
    }
    let whole = (parts.into_par_iter().zip(shards.par_iter())).all(|(part, bytes)| {
        let mut shard = postcard::Deserializer::from_bytes(bytes);
        serde::de::DeserializeSeed::deserialize(Fill(part), &mut shard).is_ok()
    });
    whole.then_some(slots)
}

/// Fills a part of the slots from one shard's sequence: as many elements
/// as the part has slots, which is the sequence's own length.
struct Fill<'a, T>(&'a mut [Option<T>]);

impl<'de, T: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de> for Fill<'_, T> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Fill<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a sequence of {} slots", self.0.len())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for (n, slot) in self.0.iter_mut().enumerate() {
            *slot = (seq.next_element()?).ok_or_else(|| {
                serde::de::Error::invalid_length(n, &"as many slots as its length says")
            })?;
        }
        Ok(())
    }
}

/// Removes the shards of `dir` that are not in `live`.
pub fn remove_others(dir: &Path, live: &std::collections::HashSet<u128>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Only names attache gives shards (32 hexadecimal digits) are
        // ever removed: anything else in the folder is not ours.
        let hash_of = |hex: &str| {
            (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| u128::from_str_radix(hex, 16).ok())
                .flatten()
        };
        // A temporary file of a build killed while writing a shard.
        let temporary = (name.strip_prefix('.'))
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(hash_of);
        let dead = match name.strip_prefix(PREFIX).and_then(hash_of) {
            Some(hash) => !live.contains(&hash),
            None => temporary.is_some(),
        };
        if dead {
            // Never follows a link: a link is removed as a link.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_read_back_only_whole() {
        let dir = tempfile::tempdir().unwrap();
        let hash = write(dir.path(), b"some bytes").unwrap();
        assert_eq!(read(dir.path(), hash).as_deref(), Some(&b"some bytes"[..]));
        // Written again: the same name, nothing new.
        assert_eq!(write(dir.path(), b"some bytes").unwrap(), hash);
        // Cut short, or another shard's file under its name.
        let whole = std::fs::read(path(dir.path(), hash)).unwrap();
        std::fs::write(path(dir.path(), hash), &whole[..whole.len() - 1]).unwrap();
        assert_eq!(read(dir.path(), hash), None);
        std::fs::write(
            path(dir.path(), hash),
            compress(b"other bytes", LEVEL).unwrap(),
        )
        .unwrap();
        assert_eq!(read(dir.path(), hash), None);
        std::fs::write(path(dir.path(), hash), b"some").unwrap();
        assert_eq!(read(dir.path(), hash), None);
        let other = write(dir.path(), b"other").unwrap();
        remove_others(dir.path(), &[other].into_iter().collect());
        assert!(!path(dir.path(), hash).exists());
        assert!(path(dir.path(), other).exists());
    }

    #[test]
    fn slots_are_decoded_in_place_shard_by_shard() {
        let a: Vec<Option<String>> = vec![Some("a".into()), None, Some("c".into())];
        let b: Vec<Option<String>> = vec![];
        let c: Vec<Option<String>> = vec![None, Some("e".into())];
        let shards: Vec<Vec<u8>> = [&a, &b, &c]
            .iter()
            .map(|s| postcard::to_stdvec(s).unwrap())
            .collect();
        let all: Vec<Option<String>> = a.iter().chain(&b).chain(&c).cloned().collect();
        assert_eq!(decode_slots::<String>(&shards), Some(all));
        assert_eq!(decode_slots::<String>(&[]), Some(vec![]));
        // Cut short, a length larger than the shard, no length at all, a
        // slot of another type: none is taken.
        let mut cut = shards.clone();
        cut[0].pop();
        assert_eq!(decode_slots::<String>(&cut), None);
        let mut long = shards.clone();
        long[2] = postcard::to_stdvec(&u64::MAX).unwrap();
        assert_eq!(decode_slots::<String>(&long), None);
        assert_eq!(decode_slots::<String>(&[vec![]]), None);
        // Two slots where the length says three, the bytes otherwise whole.
        let mut short = postcard::to_stdvec(&c).unwrap();
        short[0] = 3;
        assert_eq!(decode_slots::<String>(&[short]), None);
    }

    #[test]
    fn a_shard_is_kept_compressed() {
        let dir = tempfile::tempdir().unwrap();
        let text = "copper tariff corridor ".repeat(1000);
        let hash = write(dir.path(), text.as_bytes()).unwrap();
        let size = std::fs::metadata(path(dir.path(), hash)).unwrap().len();
        assert!(size < text.len() as u64 / 10, "{size}");
        assert_eq!(read(dir.path(), hash).unwrap(), text.as_bytes());
        // A frame cut short, and no frame at all.
        let mut frame = compress(b"x", LEVEL).unwrap();
        frame.truncate(4);
        assert_eq!(decompress(&frame), None);
        assert_eq!(decompress(b""), None);
    }
}
