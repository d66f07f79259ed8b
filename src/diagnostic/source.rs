//! The files diagnostics point into: a [`SourceFile`] is a file's path
//! and text, shared by the page read from it and every diagnostic about
//! it. A file of the kept state's pages is kept by its text's print
//! ([`by_print`]) and reads its text again from the site when needed.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::Location;

/// A text file as read from disk, shared between the page and its diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated, for display.
    pub path: PathBuf,
    /// Its text and what is worked out from it, shared by the clones.
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The file's text (lossily decoded when it was not UTF-8): set when
    /// the file is made, or for a file kept by its print (see
    /// [`by_print`]) when first needed.
    text: OnceLock<Arc<str>>,
    /// What a file kept by its print was: its text's print, and where
    /// the text is read again.
    kept: Option<Kept>,
    /// The print of a text made with the file, worked out on first use.
    print: OnceLock<TextPrint>,
    /// Where each line starts, worked out on first use: locating a
    /// thousand problems in one file reads it once.
    line_starts: OnceLock<Vec<usize>>,
}

#[derive(Debug)]
struct Kept {
    print: TextPrint,
    /// Given once the file is restored (see [`SourceFile::reread_from`]).
    source: OnceLock<Arc<dyn TextSource>>,
}

/// A text's length and xxh3-128: what tells it from another without
/// keeping it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextPrint {
    pub len: u64,
    pub hash: u128,
}

impl TextPrint {
    pub fn of(text: &str) -> TextPrint {
        TextPrint {
            len: text.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
        }
    }
}

/// Where the text of a file kept by its print is read again: the site's
/// content folder, as the build that kept it read it.
pub trait TextSource: Send + Sync + fmt::Debug {
    /// The text of the file at `path` (relative to the site root) now.
    fn read(&self, path: &Path) -> Option<String>;
    /// Says that a file's text could not be read again as it was kept (it
    /// changed or went since the build began): what was made from it is
    /// not to be trusted.
    fn lost(&self, path: &Path);
}

/// Kept as its path and text; the line index is worked out again.
impl Serialize for SourceFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.path, self.text()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for SourceFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// The text borrowed from the bytes being read where the format
        /// allows (the kept state's does): copied once, into the `Arc`.
        #[derive(Deserialize)]
        struct Kept<'a>(PathBuf, #[serde(borrow)] std::borrow::Cow<'a, str>);
        let Kept(path, text) = Deserialize::deserialize(d)?;
        Ok(SourceFile::new(path, Arc::<str>::from(text.as_ref())))
    }
}

/// A file kept by its path and its text's print, not its text (a page
/// of the kept state: the text is in the content folder already). Read
/// back, its text is read again from its source when first needed and
/// checked against the print.
pub mod by_print {
    use super::*;

    pub fn serialize<S: serde::Serializer>(file: &SourceFile, s: S) -> Result<S::Ok, S::Error> {
        (&file.path, file.print()).serialize(s)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SourceFile, D::Error> {
        let (path, print): (PathBuf, TextPrint) = Deserialize::deserialize(d)?;
        // An empty text (a stub page's) is not read again: there is none.
        if print.len == 0 {
            return Ok(SourceFile::new(path, ""));
        }
        Ok(SourceFile {
            path,
            inner: Arc::new(Inner {
                kept: Some(Kept {
                    print,
                    source: OnceLock::new(),
                }),
                ..Inner::default()
            }),
        })
    }
}

/// Files are the same when their paths and texts are; a file kept by its
/// print is not read again to be compared.
impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && match (self.inner.text.get(), other.inner.text.get()) {
                (Some(a), Some(b)) => a == b,
                _ => self.print() == other.print(),
            }
    }
}

impl Eq for SourceFile {}

impl std::hash::Hash for SourceFile {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.path.hash(state);
        self.print().hash(state);
    }
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path: path.into(),
            inner: Arc::new(Inner {
                text: OnceLock::from(text.into()),
                ..Inner::default()
            }),
        }
    }

    /// The file's text. A file kept by its print reads it from its source
    /// on first use; one whose text is no longer the one kept (or cannot
    /// be read) reads as empty, and its source is told (see
    /// [`TextSource::lost`]).
    pub fn text(&self) -> &str {
        self.inner.text.get_or_init(|| {
            // Only a file kept by its print has no text when made.
            let Some(kept) = &self.inner.kept else {
                return Arc::from("");
            };
            // Every kept page is given its source when restored
            // (`Pages::reread_from`); one without reads as empty.
            let Some(source) = kept.source.get() else {
                return Arc::from("");
            };
            match source.read(&self.path) {
                Some(text) if TextPrint::of(&text) == kept.print => Arc::from(text),
                _ => {
                    source.lost(&self.path);
                    Arc::from("")
                }
            }
        })
    }

    /// The print of the text: the kept one for a file kept by its print.
    pub fn print(&self) -> TextPrint {
        match &self.inner.kept {
            Some(kept) => kept.print,
            None => *self.inner.print.get_or_init(|| TextPrint::of(self.text())),
        }
    }

    /// Where a file kept by its print reads its text again (nothing for
    /// another file, or one given its source already).
    pub fn reread_from(&self, source: &Arc<dyn TextSource>) {
        if let Some(kept) = &self.inner.kept {
            let _ = kept.source.set(source.clone());
        }
    }

    /// A location in this file; `span` is a byte range into its text.
    pub fn at(&self, span: Range<usize>) -> Location {
        Location::new(self, span)
    }

    fn line_starts(&self) -> &[usize] {
        self.inner.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text().match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of byte `offset`, which
    /// must be a character boundary.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let line_start = starts[line - 1];
        // A byte-order mark is invisible: it takes no column.
        let line_text = self.text()[line_start..offset].trim_start_matches('\u{feff}');
        (line, line_text.chars().count() + 1)
    }

    /// The byte range of whole lines `first..=last` (1-based), without the
    /// final line end.
    pub fn lines(&self, first: usize, last: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts[first.clamp(1, starts.len()) - 1];
        let end = starts
            .get(last.max(first))
            .map_or(self.text().len(), |next| next - 1);
        start..end.max(start)
    }
}
