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
    let mut bytes = Vec::new();
    read_into(dir, hash, &mut Vec::new(), &mut bytes)?;
    Some(bytes)
}

/// `bytes` as one zstd frame at `level`, which says how long `bytes` is.
pub fn compress(bytes: &[u8], level: i32) -> std::io::Result<Vec<u8>> {
    zstd::bulk::compress(bytes, level)
}

/// The bytes of a frame [`compress`] made, if it is whole and says a size
/// a file of the state may have.
pub fn decompress(frame: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    decompress_into(frame, &mut bytes)?;
    Some(bytes)
}

/// [`decompress`] into `bytes` (cleared first), reusing its memory.
fn decompress_into(frame: &[u8], bytes: &mut Vec<u8>) -> Option<()> {
    let size = zstd::zstd_safe::get_frame_content_size(frame).ok()??;
    if size > crate::fs::OWN_FILE_LIMIT {
        return None;
    }
    bytes.clear();
    bytes.reserve(usize::try_from(size).ok()?);
    // Writes at most the capacity reserved: a frame that says a smaller
    // size than it holds fails rather than grows.
    zstd::zstd_safe::decompress(bytes, frame).ok()?;
    (bytes.len() as u64 == size).then_some(())
}

/// The slots of shards `hashes` (each a postcard sequence of
/// `Option<T>`) as one vector, in order. Each shard is read, checked and
/// decoded on one thread, in memory the thread keeps for the next: the
/// shards' bytes are never all held at once (84 MB at 10,000 briefs,
/// compressed and not, which the build would touch page by page and
/// throw away). `None` when a shard is missing, damaged or not such a
/// sequence.
pub fn read_slots<T>(dir: &Path, hashes: &[u128]) -> Option<Vec<Option<T>>>
where
    T: serde::de::DeserializeOwned + Send,
{
    use rayon::prelude::*;
    thread_local! {
        /// A shard's file, and its bytes.
        static BUFFERS: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    let parts: Vec<Vec<Option<T>>> = (hashes.par_iter())
        .map(|&hash| {
            // Nothing in here runs rayon: the thread's buffers are
            // borrowed once at a time.
            BUFFERS.with_borrow_mut(|(file, bytes)| {
                read_into(dir, hash, file, bytes)?;
                // serde sizes a vector from its length only up to a bound:
                // a damaged length cannot ask for more memory than that.
                postcard::from_bytes::<Vec<Option<T>>>(bytes).ok()
            })
        })
        .collect::<Option<_>>()?;
    Some(joined(parts))
}

/// `parts` as one vector, each moved into its own part of it in
/// parallel: appending one after the other copied every slot on one
/// core while the other waited (12 MB of pages at 10,000 briefs).
fn joined<T: Send>(parts: Vec<Vec<Option<T>>>) -> Vec<Option<T>> {
    use rayon::prelude::*;
    let total = parts.iter().map(Vec::len).sum();
    let mut slots: Vec<Option<T>> = (0..total).into_par_iter().map(|_| None).collect();
    let mut places: Vec<&mut [Option<T>]> = Vec::with_capacity(parts.len());
    let mut rest = slots.as_mut_slice();
    for part in &parts {
        // In range: the parts' lengths add up to the slots made.
        let (place, after) = rest.split_at_mut(part.len());
        places.push(place);
        rest = after;
    }
    (places.into_par_iter().zip(parts)).for_each(|(place, part)| {
        for (slot, value) in place.iter_mut().zip(part) {
            *slot = value;
        }
    });
    slots
}

/// Reads shard `hash` into `bytes`, through `file`, if its file is there
/// and whole.
fn read_into(dir: &Path, hash: u128, file: &mut Vec<u8>, bytes: &mut Vec<u8>) -> Option<()> {
    crate::fs::read_regular_into(&path(dir, hash), crate::fs::OWN_FILE_LIMIT, file).ok()?;
    decompress_into(file, bytes)?;
    (xxhash_rust::xxh3::xxh3_128(bytes) == hash).then_some(())
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
    fn slots_are_read_in_order_shard_by_shard() {
        let dir = tempfile::tempdir().unwrap();
        let a: Vec<Option<String>> = vec![Some("a".into()), None, Some("c".into())];
        let b: Vec<Option<String>> = vec![];
        let c: Vec<Option<String>> = vec![None, Some("e".into())];
        let write_slots = |slots: &Vec<Option<String>>| {
            write(dir.path(), &postcard::to_stdvec(slots).unwrap()).unwrap()
        };
        let hashes: Vec<u128> = [&a, &b, &c].into_iter().map(write_slots).collect();
        let all: Vec<Option<String>> = a.iter().chain(&b).chain(&c).cloned().collect();
        assert_eq!(read_slots::<String>(dir.path(), &hashes), Some(all));
        // Many shards on few threads: each thread's buffers serve many.
        let many: Vec<Vec<Option<String>>> = (0..200)
            .map(|n| (0..n % 7).map(|k| Some(format!("{n}-{k}"))).collect())
            .collect();
        let hashes: Vec<u128> = many.iter().map(write_slots).collect();
        assert_eq!(
            read_slots::<String>(dir.path(), &hashes),
            Some(many.concat())
        );
        assert_eq!(read_slots::<String>(dir.path(), &[]), Some(vec![]));
        // A shard gone, a shard that is no such sequence (a length larger
        // than the shard, no length at all, a slot of another type, two
        // slots where the length says three): none is taken.
        let gone = hashes[3];
        std::fs::remove_file(path(dir.path(), gone)).unwrap();
        assert_eq!(read_slots::<String>(dir.path(), &hashes), None);
        let mut short = postcard::to_stdvec(&c).unwrap();
        short[0] = 3;
        for bytes in [
            postcard::to_stdvec(&u64::MAX).unwrap(),
            vec![],
            postcard::to_stdvec(&vec![Some(7u32)]).unwrap(),
            short,
        ] {
            let bad = write(dir.path(), &bytes).unwrap();
            let hashes = [hashes[0], bad];
            assert_eq!(read_slots::<String>(dir.path(), &hashes), None, "{bytes:?}");
        }
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
