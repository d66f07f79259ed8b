//! A section of the kept state written as it is serialized: postcard's
//! bytes go through a hash and (for a compressed section) zstd straight
//! into the file, never whole in memory. A body's sections are ten to
//! twenty megabytes written at every build; made in a vector first they
//! cost that much fresh memory twice over (the vector grows by doubling),
//! and the kernel's work of handing it out was a sixth of a build's page
//! faults.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

/// Writes `value` at `path`, compressed at zstd's `level` if one is given
/// (as one frame that says its size, which [`super::shards::decompress`]
/// needs); returns the xxh3-128 of the serialized bytes (before
/// compression).
pub fn write(path: &Path, value: &impl Serialize, level: Option<i32>) -> std::io::Result<u128> {
    let file = crate::fs::create(path)?;
    match level {
        Some(level) => {
            let size =
                postcard::experimental::serialized_size(value).map_err(std::io::Error::other)?;
            let mut encoder = zstd::stream::Encoder::new(file, level)?;
            encoder.include_contentsize(true)?;
            encoder.set_pledged_src_size(Some(size as u64))?;
            let (hash, encoder) = serialize(value, encoder)?;
            encoder.finish()?;
            Ok(hash)
        }
        None => Ok(serialize(value, file)?.0),
    }
}

/// Serializes `value` into `out`, hashing the bytes on the way; returns
/// the hash and `out`, flushed. postcard writes a byte or a field at a
/// time: they are gathered into blocks first, so that the hash and zstd
/// each see a block at a time.
fn serialize<W: Write>(value: &impl Serialize, out: W) -> std::io::Result<(u128, W)> {
    let hashed = Hashed {
        out,
        hasher: xxhash_rust::xxh3::Xxh3::new(),
        error: None,
    };
    let mut blocks = std::io::BufWriter::with_capacity(1 << 16, hashed);
    let written = match postcard::to_io(value, &mut blocks) {
        Ok(_) => blocks.flush(),
        Err(e) => Err(std::io::Error::other(e)),
    };
    // Flushed: nothing is left in the blocks' buffer, unless a write failed.
    let (mut hashed, _) = blocks.into_parts();
    match written {
        // postcard says only that a write failed: the writer kept why.
        Err(e) => Err(hashed.error.take().unwrap_or(e)),
        Ok(()) => Ok((hashed.hasher.digest128(), hashed.out)),
    }
}

/// A writer that hashes what it passes on, and keeps the first error.
struct Hashed<W> {
    out: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for Hashed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(bytes).map_err(|e| self.keep(e))?;
        self.hasher.update(&bytes[..n]);
        Ok(n)
    }

    /// What postcard calls: the bytes go on whole, or the error is kept.
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes).map_err(|e| self.keep(e))?;
        self.hasher.update(bytes);
        Ok(())
    }

    /// Called by postcard once it is done, which says only that it failed.
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(|e| self.keep(e))
    }
}

impl<W> Hashed<W> {
    /// Keeps the first error `e`, and gives back one like it.
    fn keep(&mut self, e: std::io::Error) -> std::io::Error {
        let like = std::io::Error::new(e.kind(), e.to_string());
        self.error.get_or_insert(e);
        like
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_reads_back_as_written_with_the_hash_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let value: Vec<(String, Vec<u8>)> = (0..20_000)
            .map(|i| (format!("page-{i}"), vec![(i % 251) as u8; i % 97]))
            .collect();
        let bytes = postcard::to_stdvec(&value).unwrap();
        let want = xxhash_rust::xxh3::xxh3_128(&bytes);
        for level in [None, Some(-1), Some(3)] {
            let path = dir.path().join(format!("{level:?}"));
            assert_eq!(write(&path, &value, level).unwrap(), want, "{level:?}");
            let file = std::fs::read(&path).unwrap();
            let read = match level {
                Some(_) => super::super::shards::decompress(&file).expect("a frame with its size"),
                None => file,
            };
            assert_eq!(read, bytes, "{level:?}");
        }
    }

    #[test]
    fn a_write_that_fails_says_why() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file would be.
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).unwrap();
        assert!(write(&path, &vec![1u8; 10], None).is_err());
        #[cfg(target_os = "linux")]
        {
            // A device that is always full: the error is the device's.
            let e = write(Path::new("/dev/full"), &vec![7u8; 1 << 20], Some(1)).unwrap_err();
            assert_eq!(e.raw_os_error(), Some(28), "{e}");
        }
    }
}
