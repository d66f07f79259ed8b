//! Write: put the built site into the output folder.
//!
//! The output folder is attache's own: a manifest in it lists the files
//! attache wrote ([`manifest`]), and only those are ever replaced or
//! removed. A build is written as a transaction ([`transaction`]): only
//! files whose bytes changed are written, first to a staging folder, then
//! moved into place, so that a failed or killed build leaves the old site
//! or the new one. Nothing is written unless the whole build succeeded.

pub mod folder;
pub mod guard;
mod journal;
pub mod manifest;
pub mod static_files;
pub mod transaction;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use transaction::{Mode, Transaction};

/// Takes rendered files as they come (a build stages them in the output
/// folder's transaction, see [`Staging`]), so that the engine keeps only their hashes.
pub trait FileSink: Send + Sync {
    fn put(
        &self,
        path: &str,
        bytes: &Arc<[u8]>,
        hash: u128,
    ) -> Result<(), crate::diagnostic::Diagnostic>;
}

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// A static file, copied from this path.
    Copy(PathBuf),
}

/// The whole output: file path (relative, `/`-separated) → contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    pub files: BTreeMap<String, Body>,
}

impl Outputs {
    pub fn insert(&mut self, path: String, body: Body) {
        self.files.insert(path, body);
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Pairs of outputs that cannot both be written: a file, and another
    /// file that needs a folder of the same name (`style.css` and
    /// `style.css/index.html`). Each pair is (the file, the first path under it).
    pub fn clashes(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for path in self.files.keys() {
            let mut end = 0;
            while let Some(i) = path[end..].find('/') {
                let folder = &path[..end + i];
                end += i + 1;
                if self.files.contains_key(folder) && reported.insert(folder) {
                    found.push((folder.to_string(), path.clone()));
                }
            }
        }
        found
    }
}

/// What writing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    /// Files of the previous build removed (emptied folders go with them).
    pub removed: usize,
}

/// Why writing the output folder failed.
#[derive(Debug)]
pub struct WriteError {
    pub problems: Vec<Diagnostic>,
    /// The move into place had begun: the folder holds part of the new
    /// site until the next run finishes the move from its journal.
    pub unfinished: bool,
}

impl From<Vec<Diagnostic>> for WriteError {
    /// A failure before anything was moved: the folder is as it was.
    fn from(problems: Vec<Diagnostic>) -> WriteError {
        WriteError {
            problems,
            unfinished: false,
        }
    }
}

/// Finishes what an earlier write left half-moved (see
/// [`transaction::recover`]) before a live rebuild writes again.
fn finish_earlier(dir: &guard::OutputDir) -> Result<(), WriteError> {
    transaction::recover(&dir.path)
        .map(drop)
        .map_err(|d| WriteError {
            problems: vec![d],
            unfinished: true,
        })
}

/// Makes the output folder hold exactly `outputs` among the files attache
/// wrote, as one transaction (see `transaction`). Files attache did not
/// write are left alone.
pub fn write(outputs: &Outputs, dir: &mut guard::OutputDir) -> Result<WriteStats, WriteError> {
    finish_earlier(dir)?;
    let mut tx = Transaction::begin(&dir.path, dir.manifest.clone(), Mode::Replace, dir.force);
    if let Err(problems) = tx.put_all(&outputs.files) {
        tx.abort();
        return Err(problems.into());
    }
    let (stats, manifest) = tx.commit()?;
    dir.manifest = manifest;
    Ok(stats)
}

/// Stages rendered files in the output folder's transaction as the
/// engine renders them (see [`FileSink`]): a build never holds
/// its whole output in memory.
pub struct Staging {
    tx: Transaction,
    staged: std::sync::Mutex<Vec<transaction::Staged>>,
}

impl Staging {
    /// A transaction replacing what is in `dir`.
    pub fn begin(dir: &guard::OutputDir) -> Staging {
        Staging {
            tx: Transaction::begin(&dir.path, dir.manifest.clone(), Mode::Replace, dir.force),
            staged: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Removes what was staged: the output folder stays as it was.
    pub fn abort(self) {
        self.tx.abort();
    }
}

impl FileSink for Staging {
    fn put(&self, path: &str, bytes: &Arc<[u8]>, hash: u128) -> Result<(), Diagnostic> {
        let staged = self.tx.stage_hashed(path, bytes, hash)?;
        self.staged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(staged);
        Ok(())
    }
}

/// Writes what an engine that streamed its files to `staging` rendered:
/// the staged files, the files it `kept` as they were (path and hash),
/// and the files it holds in memory (`outputs`: the static files).
pub fn write_streamed<'a>(
    kept: impl Iterator<Item = (&'a String, u128)>,
    outputs: &Outputs,
    staging: Staging,
    dir: &mut guard::OutputDir,
) -> Result<WriteStats, WriteError> {
    let Staging { mut tx, staged } = staging;
    let staged = staged
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let streamed: std::collections::HashSet<String> =
        staged.iter().map(|s| s.rel.clone()).collect();
    for file in staged {
        tx.add(file);
    }
    // The engine keeps only files it found in place when it resumed; one
    // changed since then no longer matches the manifest's time and size,
    // and the next build renders it again.
    let mut problems = tx.keep_all(kept.filter(|(p, _)| !streamed.contains(*p)));
    if problems.is_empty()
        && let Err(more) = tx.put_all(&outputs.files)
    {
        problems = more;
    }
    if !problems.is_empty() {
        tx.abort();
        return Err(problems.into());
    }
    let (stats, manifest) = tx.commit()?;
    dir.manifest = manifest;
    Ok(stats)
}

/// Writes the changes of a live rebuild: `changed` files (taken from
/// `outputs`) and `removed` ones, as one transaction.
pub fn write_changes(
    outputs: &Outputs,
    changed: &BTreeSet<String>,
    removed: &BTreeSet<String>,
    dir: &mut guard::OutputDir,
) -> Result<WriteStats, WriteError> {
    finish_earlier(dir)?;
    let mut tx = Transaction::begin(&dir.path, dir.manifest.clone(), Mode::Update, dir.force);
    for path in removed {
        tx.remove(path);
    }
    let files = changed
        .iter()
        .filter_map(|path| outputs.files.get_key_value(path))
        .collect::<Vec<_>>();
    if let Err(problems) = tx.put_all(files) {
        tx.abort();
        return Err(problems.into());
    }
    let (stats, manifest) = tx.commit()?;
    dir.manifest = manifest;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_where_another_output_needs_a_folder_is_a_clash() {
        let mut outputs = Outputs::default();
        for path in [
            "style.css",
            "style.css/index.html",
            "briefs/index.html",
            "briefs/a/index.html",
        ] {
            outputs.insert(path.into(), Body::Bytes(Arc::from(&b""[..])));
        }
        assert_eq!(
            outputs.clashes(),
            [("style.css".to_string(), "style.css/index.html".to_string())]
        );
    }
}
