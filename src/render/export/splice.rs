//! The data files put together from their last render. A data file is
//! kept with, for each page, where the page's part of it is and the key
//! of what the part was made from (the page and the pages it names, each
//! at its version: [`part_key`]). The next render copies the parts whose
//! key is the same and makes only the others: a new brief makes its own
//! record and those of the pages it names, not ten thousand.
//!
//! The layouts (where the parts are, not their bytes) go into the kept
//! state; the bytes are the file itself, kept in memory under `serve`
//! and read back from the output folder by a build, and used only if
//! their hash is the layout's. Byte for byte, a file is what serde_json's
//! pretty printer makes of the whole (`tests` below).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::content::pages::PageId;
use crate::render::reader::Reader;

/// The largest data file read back from the output folder.
const READ_LIMIT: u64 = 1 << 32;

/// Where one page's part is in a file, and the key it was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Part {
    id: PageId,
    key: u64,
    start: u32,
    end: u32,
}

/// Where each page's part is in one data file, by section (a file lists
/// its pages in one or more places: the graph its edges, then its nodes),
/// with the hash of the file's bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    hash: u128,
    sections: Vec<Vec<Part>>,
}

#[derive(Debug)]
struct KeptFile {
    layout: Layout,
    /// The bytes, when kept in memory.
    bytes: Option<Arc<[u8]>>,
}

/// Where the bytes of the kept files are.
#[derive(Debug, Default, Clone)]
enum Bytes {
    /// Kept in memory with their layouts (`serve`, `watch`).
    #[default]
    InMemory,
    /// Written away (a build): read back from this output folder, if any.
    InFolder(Option<PathBuf>),
}

/// The data files' last renders (see the module's documentation).
#[derive(Debug, Default)]
pub struct KeptFiles {
    files: Mutex<FxHashMap<String, KeptFile>>,
    bytes: Mutex<Bytes>,
}

/// A file's last render, ready to copy parts from.
pub struct Previous {
    bytes: Held,
    /// By section: each page's key and part.
    sections: Vec<FxHashMap<PageId, (u64, u32, u32)>>,
}

/// A file's bytes: kept in memory, or read back (not copied again into
/// an `Arc`: at 10 MB the copy cost what the read did).
enum Held {
    Kept(Arc<[u8]>),
    Read(Vec<u8>),
}

impl std::ops::Deref for Held {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Held::Kept(bytes) => bytes,
            Held::Read(bytes) => bytes,
        }
    }
}

impl Previous {
    /// Page `id`'s part in section `n`, if it was made for `key`.
    /// Guarded by tests/differential.rs: taking a kept part whatever its
    /// key, it fails at seed 1, step 21.
    fn part(&self, n: usize, id: PageId, key: u64) -> Option<&[u8]> {
        let &(made_for, start, end) = self.sections.get(n)?.get(&id)?;
        (made_for == key).then(|| &self.bytes[start as usize..end as usize])
    }

    /// Whether section `n` has page `id`'s part, made for `key`.
    pub fn has(&self, n: usize, (id, key): (PageId, u64)) -> bool {
        self.part(n, id, key).is_some()
    }
}

impl KeptFiles {
    fn files(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, KeptFile>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Says that the files are written away rather than kept in memory,
    /// to be read back from output folder `folder` (a build's: the one
    /// the last build wrote, if it is known).
    pub fn written_away(&self, folder: Option<PathBuf>) {
        *self.bytes.lock().unwrap_or_else(PoisonError::into_inner) = Bytes::InFolder(folder);
    }

    /// The layouts, for the kept state.
    pub fn layouts(&self) -> BTreeMap<String, Layout> {
        (self.files().iter())
            .map(|(path, kept)| (path.clone(), kept.layout.clone()))
            .collect()
    }

    /// Takes the layouts a build kept (their bytes are in its output
    /// folder).
    pub fn restore(&self, layouts: BTreeMap<String, Layout>) {
        *self.files() = (layouts.into_iter())
            .map(|(path, layout)| {
                (
                    path,
                    KeptFile {
                        layout,
                        bytes: None,
                    },
                )
            })
            .collect();
    }

    /// The last render of file `path`, taken out (the render that asks
    /// puts back its own): `None` when there is none, or its bytes are
    /// not in memory and not in the output folder as it made them.
    pub fn take(&self, path: &str) -> Option<Previous> {
        let kept = self.files().remove(path)?;
        let bytes = match kept.bytes {
            Some(bytes) => Held::Kept(bytes),
            None => {
                let source = self
                    .bytes
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone();
                let Bytes::InFolder(Some(dir)) = source else {
                    return None;
                };
                let folder = crate::output::folder::Folder::open(&dir).ok()?;
                let bytes = folder.read_file(path, READ_LIMIT).ok()??;
                // Guarded by tests/data.rs (a file changed by hand, its
                // size and time as they were).
                if xxhash_rust::xxh3::xxh3_128(&bytes) != kept.layout.hash {
                    return None;
                }
                Held::Read(bytes)
            }
        };
        let sections = (kept.layout.sections.iter())
            .map(|parts| {
                (parts.iter())
                    .filter(|p| p.start <= p.end && p.end as usize <= bytes.len())
                    .map(|p| (p.id, (p.key, p.start, p.end)))
                    .collect()
            })
            .collect();
        Some(Previous { bytes, sections })
    }

    /// Keeps the file just made, for the next render of it.
    fn keep(&self, path: &str, layout: Layout, bytes: &Arc<[u8]>) {
        let in_memory = matches!(
            *self.bytes.lock().unwrap_or_else(PoisonError::into_inner),
            Bytes::InMemory
        );
        let kept = KeptFile {
            layout,
            bytes: in_memory.then(|| bytes.clone()),
        };
        self.files().insert(path.to_string(), kept);
    }
}

/// What a page's parts are made from: the page and the pages of `lists`
/// (its references, backlinks, parent), each at its version. A page's
/// kind and slug never change while its id lives; its version changes
/// whenever it is loaded again, so an id given to another page has
/// another version. The caller reads the page and the lists through the
/// reader first, which records the reads, kept part or not. Guarded by
/// tests/differential.rs: with the lists' lengths alone, it fails at seed
/// 1, step 23.
pub fn part_key(r: &Reader, id: PageId, lists: &[&[PageId]]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (id, r.version(id)).hash(&mut h);
    for list in lists {
        list.len().hash(&mut h);
        for &p in *list {
            (p, r.version(p)).hash(&mut h);
        }
    }
    h.finish()
}

/// A data file being put together, from the last render's parts where
/// their keys are the same.
pub struct Splice<'a> {
    previous: Option<&'a Previous>,
    /// The file's pieces in order: text, and the pages' parts.
    pieces: Vec<Cow<'a, [u8]>>,
    /// By section: each page's id, part key and piece.
    sections: Vec<Vec<(PageId, u64, usize)>>,
    /// How many parts were made rather than copied.
    pub made: usize,
}

impl<'a> Splice<'a> {
    pub fn new(previous: Option<&'a Previous>) -> Splice<'a> {
        Splice {
            previous,
            pieces: Vec::new(),
            sections: Vec::new(),
            made: 0,
        }
    }

    /// Writes text outside the pages' parts.
    pub fn text(&mut self, text: &str) {
        self.pieces.push(Cow::Owned(text.as_bytes().to_vec()));
    }

    /// Writes the next section: each page of `pages` (id and part key),
    /// its part copied from the last render or made by `make` (given the
    /// page's place in `pages`), with `first` before the first part that
    /// is not empty and `between` before each other. Whether any part
    /// was not empty.
    pub fn section(
        &mut self,
        pages: &[(PageId, u64)],
        first: &'static str,
        between: &'static str,
        make: impl Fn(usize) -> Vec<u8> + Sync,
    ) -> bool {
        let n = self.sections.len();
        let previous = self.previous;
        let parts: Vec<Cow<'a, [u8]>> = (pages.par_iter().enumerate())
            .map(
                |(place, &(id, key))| match previous.and_then(|p| p.part(n, id, key)) {
                    Some(kept) => Cow::Borrowed(kept),
                    None => Cow::Owned(make(place)),
                },
            )
            .collect();
        self.made += parts.iter().filter(|p| matches!(p, Cow::Owned(_))).count();
        self.pieces.reserve(2 * parts.len());
        let mut any = false;
        let mut section = Vec::with_capacity(pages.len());
        for (&(id, key), part) in pages.iter().zip(parts) {
            if !part.is_empty() {
                let before = if any { between } else { first };
                self.pieces.push(Cow::Borrowed(before.as_bytes()));
                any = true;
            }
            section.push((id, key, self.pieces.len()));
            self.pieces.push(part);
        }
        self.sections.push(section);
        any
    }

    /// The file, kept in `files` as `path` for the next render.
    pub fn finish(self, files: &KeptFiles, path: &str) -> Arc<[u8]> {
        let mut starts = Vec::with_capacity(self.pieces.len() + 1);
        let mut at = 0;
        for piece in &self.pieces {
            starts.push(at);
            at += piece.len();
        }
        starts.push(at);
        // Put together in place, in one allocation of the right size.
        let mut bytes: Arc<[u8]> = std::iter::repeat_n(0, at).collect();
        match Arc::get_mut(&mut bytes) {
            Some(out) => {
                for (piece, &start) in self.pieces.iter().zip(&starts) {
                    out[start..start + piece.len()].copy_from_slice(piece);
                }
            }
            // Never: the bytes were just made, and are nobody else's.
            None => bytes = Arc::from(self.pieces.concat()),
        }
        // A file past 4 GiB cannot say where its parts are: not kept.
        if u32::try_from(at).is_ok() {
            let place = |piece: usize| (starts[piece] as u32, starts[piece + 1] as u32);
            let sections = (self.sections.iter())
                .map(|section| {
                    (section.iter())
                        .map(|&(id, key, piece)| {
                            let (start, end) = place(piece);
                            Part {
                                id,
                                key,
                                start,
                                end,
                            }
                        })
                        .collect()
                })
                .collect();
            let layout = Layout {
                hash: xxhash_rust::xxh3::xxh3_128(&bytes),
                sections,
            };
            files.keep(path, layout, &bytes);
        }
        bytes
    }
}

/// How deep the items of a top-level list are in a pretty file.
const ITEM_INDENT: &[u8] = b"    ";

/// `value` printed pretty, each line indented as an item of a top-level
/// list. A JSON string holds no line end (serde_json escapes it), so
/// every line end is one of the printer's.
pub fn item(value: &impl Serialize) -> Vec<u8> {
    let mut pretty = Vec::with_capacity(1024);
    // Serializing these types to bytes cannot fail: their keys are
    // strings and they hold no map with other keys.
    let _ = serde_json::to_writer_pretty(&mut pretty, value);
    let lines = pretty.iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(pretty.len() + (lines + 1) * ITEM_INDENT.len());
    for (n, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if n > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(ITEM_INDENT);
        out.extend_from_slice(line);
    }
    out
}

/// A JSON string.
pub fn string(text: &str) -> String {
    // A string always serializes.
    serde_json::to_string(text).unwrap_or_default()
}

/// Writes a pretty list field `"name": [...]` of a top-level object, its
/// items each page's part of `pages` (see [`Splice::section`]).
pub fn list_field(
    file: &mut Splice<'_>,
    name: &str,
    pages: &[(PageId, u64)],
    make: impl Fn(usize) -> Vec<u8> + Sync,
) {
    file.text(&format!("  {}: [", string(name)));
    let any = file.section(pages, "\n", ",\n", make);
    file.text(if any { "\n  ]" } else { "]" });
}

#[cfg(test)]
mod tests;
