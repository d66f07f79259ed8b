//! The manifest: the list of files attache wrote into an output folder,
//! with their hashes. It is how attache knows which files are its own: it
//! deletes or replaces only files listed here, and it can tell that a file
//! is unchanged without reading it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// The manifest's file name inside the output folder.
pub const MANIFEST_FILE: &str = ".attache-manifest.json";
/// The manifest format; a manifest of another format is not trusted.
pub const FORMAT: u32 = 1;

/// One file attache wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// xxh3-128 of the bytes (in hex in the file).
    #[serde(with = "hex")]
    pub hash: u128,
    pub size: u64,
    /// Modification time when written (nanoseconds since the epoch): a
    /// file whose size or time differs was changed by someone else and is
    /// written again.
    pub mtime: u128,
}

/// Every file of the output folder that attache wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Output path (relative, `/`-separated) → entry.
    #[serde(deserialize_with = "files_at_once")]
    pub files: BTreeMap<String, Entry>,
}

/// The manifest's files, made into a map at once from the list as it is
/// written (in order: it was a map) rather than one insertion at a time,
/// each a search among 20,000 paths. Of two entries for one path, the
/// last stands, as with insertions.
fn files_at_once<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Entry>, D::Error> {
    struct Files;
    impl<'de> serde::de::Visitor<'de> for Files {
        type Value = BTreeMap<String, Entry>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map of output paths to entries")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut files = Vec::new();
            while let Some(entry) = map.next_entry::<String, Entry>()? {
                files.push(entry);
            }
            Ok(files.into_iter().collect())
        }
    }
    d.deserialize_map(Files)
}

/// Why a manifest could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// There is none.
    Missing,
    /// It exists but cannot be read or trusted.
    Unreadable(String),
}

impl Manifest {
    pub fn new() -> Manifest {
        Manifest {
            format: FORMAT,
            files: BTreeMap::new(),
        }
    }

    /// Reads the manifest of output folder `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, ReadError> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = match crate::fs::read_regular(&path, crate::fs::OWN_FILE_LIMIT) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
            Err(e) => return Err(ReadError::Unreadable(e.to_string())),
        };
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if manifest.format != FORMAT {
            return Err(ReadError::Unreadable(format!(
                "it has format {}, this attache reads format {FORMAT}",
                manifest.format
            )));
        }
        if let Some(bad) = manifest.files.keys().find(|p| !is_safe_relative(p)) {
            return Err(ReadError::Unreadable(format!(
                "it lists `{bad}`, which is not a path inside the folder"
            )));
        }
        Ok(manifest)
    }

    /// Writes the manifest into `dir`, replacing the old one at once.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        write_atomically(&dir.join(MANIFEST_FILE), &bytes)
    }

    /// Whether the file at `path` is still the one this entry describes
    /// (same size and modification time).
    pub fn is_intact(entry: &Entry, path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .is_ok_and(|m| m.is_file() && m.len() == entry.size && mtime_of(&m) == entry.mtime)
    }
}

/// Checks the files of one folder against their manifest entries, by
/// paths relative to it: on Unix through the folder opened once, so that
/// checking twenty thousand files does not walk the folder's own path
/// twenty thousand times.
#[derive(Debug)]
pub struct InPlace {
    root: PathBuf,
    #[cfg(unix)]
    dir: Option<rustix::fd::OwnedFd>,
}

impl InPlace {
    pub fn new(root: &Path) -> InPlace {
        InPlace {
            root: root.to_path_buf(),
            #[cfg(unix)]
            dir: rustix::fs::open(
                root,
                rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            )
            .ok(),
        }
    }

    /// Whether the file at `rel` (a safe relative path, as a manifest
    /// holds) is still the one `entry` describes: [`Manifest::is_intact`].
    pub fn is_intact(&self, entry: &Entry, rel: &str) -> bool {
        #[cfg(unix)]
        if let Some(dir) = &self.dir {
            use rustix::fs::{AtFlags, FileType, statat};
            // The fields' integer types differ from one platform to another.
            #[allow(clippy::unnecessary_fallible_conversions)]
            return statat(dir, rel, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(|st| {
                let mtime = u128::try_from(st.st_mtime).unwrap_or(0) * 1_000_000_000
                    + u128::try_from(st.st_mtime_nsec).unwrap_or(0);
                FileType::from_raw_mode(st.st_mode) == FileType::RegularFile
                    && u64::try_from(st.st_size).ok() == Some(entry.size)
                    && mtime == entry.mtime
            });
        }
        Manifest::is_intact(entry, &self.root.join(rel))
    }
}

/// A hash as the manifest writes it: 32 hexadecimal digits.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// As `format!("{hash:032x}")`, without the formatting machinery: a
    /// manifest of 20,000 files writes 20,000 of them at every build.
    pub fn serialize<S: Serializer>(hash: &u128, s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 32];
        for (n, digit) in text.iter_mut().enumerate() {
            *digit = DIGITS[((hash >> (124 - 4 * n)) & 0xf) as usize];
        }
        // Hexadecimal digits are ASCII, and so UTF-8.
        s.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if text.len() != 32 {
            return Err(D::Error::custom("a hash is 32 hexadecimal digits"));
        }
        u128::from_str_radix(&text, 16).map_err(D::Error::custom)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn a_hash_is_written_as_format_writes_it() {
            for hash in [
                0,
                1,
                0xabc,
                u128::MAX,
                0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
            ] {
                let mut out = Vec::new();
                let mut json = serde_json::Serializer::new(&mut out);
                super::serialize(&hash, &mut json).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), format!("\"{hash:032x}\""));
            }
        }
    }
}

/// A file's modification time in nanoseconds since the epoch (0 if unknown).
pub fn mtime_of(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Writes `bytes` to `path` through a temporary file and a rename, so the
/// file is either the old one or the new one, never half of either.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |mut file| std::io::Write::write_all(&mut file, bytes))
}

/// [`write_atomically`], the bytes written by `write` into the file.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    // Made anew: `create_new` never opens through a symlink left there.
    let _ = std::fs::remove_file(&tmp);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| write(&mut file));
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// Whether `rel` is a relative `/`-separated path with no `.`, `..` or
/// empty parts: one that cannot leave the folder it is joined to.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_in_place_only_as_its_entry_says() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("briefs/a")).unwrap();
        let file = dir.path().join("briefs/a/index.html");
        std::fs::write(&file, "<p>a</p>").unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        let entry = Entry {
            hash: xxhash_rust::xxh3::xxh3_128(b"<p>a</p>"),
            size: meta.len(),
            mtime: mtime_of(&meta),
        };
        let folder = InPlace::new(dir.path());
        assert!(folder.is_intact(&entry, "briefs/a/index.html"));
        assert!(Manifest::is_intact(&entry, &file));
        assert!(!folder.is_intact(&entry, "briefs/b/index.html"));
        let shorter = Entry {
            size: entry.size - 1,
            ..entry.clone()
        };
        assert!(!folder.is_intact(&shorter, "briefs/a/index.html"));
        let older = Entry {
            mtime: entry.mtime - 1,
            ..entry.clone()
        };
        assert!(!folder.is_intact(&older, "briefs/a/index.html"));
        // A folder is not a file; nor is a link to the file.
        assert!(!folder.is_intact(&entry, "briefs/a"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&file, dir.path().join("link.html")).unwrap();
            assert!(!folder.is_intact(&entry, "link.html"));
        }
    }

    #[test]
    fn files_out_of_order_or_twice_read_as_insertions_would() {
        let zero = "0".repeat(32);
        let entry = |size: u64| format!(r#"{{"hash":"{zero}","size":{size},"mtime":0}}"#);
        let text = format!(
            r#"{{"format":1,"files":{{"b.html":{},"a.html":{},"b.html":{}}}}}"#,
            entry(1),
            entry(2),
            entry(3)
        );
        let m: Manifest = serde_json::from_str(&text).unwrap();
        let sizes: Vec<(&str, u64)> = m.files.iter().map(|(p, e)| (p.as_str(), e.size)).collect();
        assert_eq!(sizes, [("a.html", 2), ("b.html", 3)]);
    }

    #[test]
    fn round_trips_and_refuses_paths_that_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Manifest::read(dir.path()),
            Err(ReadError::Missing)
        ));
        let mut m = Manifest::new();
        m.files.insert(
            "a/index.html".into(),
            Entry {
                hash: xxhash_rust::xxh3::xxh3_128(b"x"),
                size: 1,
                mtime: 5,
            },
        );
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), m);
        let text = std::fs::read_to_string(dir.path().join(MANIFEST_FILE)).unwrap();
        let hex = format!("\"hash\":\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(b"x"));
        assert!(text.contains(&hex), "{text}");

        let zero = "0".repeat(32);
        for (files, why) in [
            (
                format!(r#""../outside.txt":{{"hash":"{zero}","size":0,"mtime":0}}"#),
                "not a path inside",
            ),
            (
                r#""a.txt":{"hash":"","size":0,"mtime":0}"#.to_string(),
                "32 hexadecimal digits",
            ),
            (
                format!(
                    r#""a.txt":{{"hash":"{}","size":0,"mtime":0}}"#,
                    "g".repeat(32)
                ),
                "invalid digit",
            ),
        ] {
            let json = format!(r#"{{"format":1,"files":{{{files}}}}}"#);
            std::fs::write(dir.path().join(MANIFEST_FILE), &json).unwrap();
            match Manifest::read(dir.path()) {
                Err(ReadError::Unreadable(message)) => assert!(message.contains(why), "{message}"),
                other => panic!("{json}: {other:?}"),
            }
        }
        std::fs::write(dir.path().join(MANIFEST_FILE), "not json").unwrap();
        assert!(matches!(
            Manifest::read(dir.path()),
            Err(ReadError::Unreadable(_))
        ));
    }

    #[test]
    fn safe_relative_paths() {
        for ok in ["a", "a/b.html", ".well-known/x", "a/.hidden/b"] {
            assert!(is_safe_relative(ok), "{ok}");
        }
        for bad in ["", "/a", "a/../b", "..", "./a", "a//b", "a\\b", "a/"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
