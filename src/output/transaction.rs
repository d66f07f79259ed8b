//! Writing as a transaction: a build that fails or is killed at any moment
//! leaves the old site or the new one, never a mix.
//!
//! 1. **Stage.** Every file whose bytes changed is written into
//!    `.attache-staging/` inside the output folder (the same file
//!    system, so moving it into place is a rename): at its own path under
//!    `new/` when its folder is new, by a hash of its path under `flat/`
//!    when the last build wrote into its folder. Unchanged files, known by
//!    the manifest's hashes, are not written at all.
//! 2. **Journal.** Once everything is staged and nothing failed, a journal
//!    (`.attache-journal.json`) records what to move into place, what to
//!    remove, and the new manifest. It is itself written by a rename, so
//!    it is either complete or absent.
//! 3. **Apply.** Removals, then moves (a folder that is new as a whole is
//!    moved with one rename), then the new manifest; then the journal and
//!    the staging folder go.
//!
//! A run that finds a journal finishes it ([`recover`]): every file it
//! names is staged before the journal exists, so the move can always be
//! completed. A run that finds a staging folder but no journal removes it:
//! that build never reached its commit and the old site is intact.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::folder::{Folder, Kind};
use super::journal::{Journal, Seen, apply, whole_folders};
use super::manifest::{self, Entry, MANIFEST_FILE, Manifest, is_safe_relative, mtime_of};
use super::{Body, WriteError, WriteStats};
use crate::diagnostic::Diagnostic;

pub use super::journal::{JOURNAL_FILE, STAGING_DIR, recover};

/// What a transaction does to the files it is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The files given are the whole new site: attache's other files go.
    Replace,
    /// The files given change the site; others stay unless removed.
    Update,
}

/// A file ready for the commit.
#[derive(Debug)]
pub struct Staged {
    pub rel: String,
    entry: Entry,
    /// Written to the staging folder (its bytes changed).
    written: bool,
}

/// A write of the output folder in progress.
#[derive(Debug)]
pub struct Transaction {
    dir: PathBuf,
    staging: PathBuf,
    old: Manifest,
    new: BTreeMap<String, Entry>,
    written: BTreeSet<String>,
    removed: BTreeSet<String>,
    mode: Mode,
    /// Files in the way that attache did not write may be replaced.
    force: bool,
    /// Checks the folder's files against `old`.
    in_place: manifest::InPlace,
    /// The folder of the files staged flat is made (once, not per file).
    flat_made: std::sync::atomic::AtomicBool,
}

pub(super) fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
}

impl Transaction {
    /// Starts a transaction on output folder `dir`, whose files are
    /// described by `old`.
    pub fn begin(dir: &Path, old: Manifest, mode: Mode, force: bool) -> Transaction {
        let new = match mode {
            Mode::Replace => BTreeMap::new(),
            Mode::Update => old.files.clone(),
        };
        Transaction {
            in_place: manifest::InPlace::new(dir),
            flat_made: std::sync::atomic::AtomicBool::new(false),
            dir: dir.to_path_buf(),
            staging: dir.join(STAGING_DIR),
            old,
            new,
            written: BTreeSet::new(),
            removed: BTreeSet::new(),
            mode,
            force,
        }
    }

    /// Whether file `rel` is staged flat: when the last build wrote a
    /// file into its folder, the folder is most likely there, and the
    /// file is moved in by itself (a folder of its own under `new/` would
    /// be made for it, then removed: a thousand of each when one deleted
    /// brief moves every archive page). A file whose folder is new is
    /// staged at its path, where its whole new folder is moved in with
    /// one rename.
    fn stages_flat(&self, rel: &str) -> bool {
        let Some((folder, _)) = rel.rsplit_once('/') else {
            return true;
        };
        let prefix = format!("{folder}/");
        let from = (Bound::Included(prefix.as_str()), Bound::Unbounded);
        (self.old.files.range::<str, _>(from).next())
            .is_some_and(|(path, _)| path.starts_with(&prefix))
    }

    /// Stages one file if its bytes differ from what the manifest says is
    /// in place. Safe to call from many threads at once.
    pub fn stage(&self, rel: &str, body: &Body) -> Result<Staged, Diagnostic> {
        let read;
        let bytes: &[u8] = match body {
            Body::Bytes(b) => b,
            Body::Copy(from) => {
                read = std::fs::read(from).map_err(|e| io_error("read", from, e))?;
                &read
            }
        };
        self.stage_hashed(rel, bytes, xxhash_rust::xxh3::xxh3_128(bytes))
    }

    /// [`Transaction::stage`] for bytes whose xxh3-128 hash is known.
    pub fn stage_hashed(&self, rel: &str, bytes: &[u8], hash: u128) -> Result<Staged, Diagnostic> {
        if !is_safe_relative(rel) || rel.starts_with(STAGING_DIR) || rel == MANIFEST_FILE {
            return Err(Diagnostic::error(format!(
                "refusing to write `{rel}`: not a plain path inside the output folder"
            )));
        }
        if let Some(old) = self.old.files.get(rel)
            && old.hash == hash
            && self.in_place.is_intact(old, rel)
        {
            return Ok(Staged {
                rel: rel.to_string(),
                entry: old.clone(),
                written: false,
            });
        }
        let flat = self.stages_flat(rel);
        let path = match flat {
            true => self.dir.join(super::journal::flat_path(rel)),
            false => self.staging.join("new").join(rel),
        };
        let made = flat && self.flat_made.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(parent) = path.parent().filter(|_| !made) {
            std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
            if flat {
                (self.flat_made).store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let meta = crate::fs::write_new(&path, bytes).map_err(|e| io_error("write", &path, e))?;
        Ok(Staged {
            rel: rel.to_string(),
            entry: Entry {
                hash,
                size: bytes.len() as u64,
                mtime: mtime_of(&meta),
            },
            written: true,
        })
    }

    /// Records a staged file as part of the new site.
    pub fn add(&mut self, staged: Staged) {
        self.removed.remove(&staged.rel);
        if staged.written {
            self.written.insert(staged.rel.clone());
        }
        self.new.insert(staged.rel, staged.entry);
    }

    /// Stages and adds many files, in parallel. Every failure is reported.
    pub fn put_all<'a>(
        &mut self,
        files: impl IntoParallelIterator<Item = (&'a String, &'a Body)>,
    ) -> Result<(), Vec<Diagnostic>> {
        let results: Vec<Result<Staged, Diagnostic>> = files
            .into_par_iter()
            .map(|(rel, body)| self.stage(rel, body))
            .collect();
        let mut problems = Vec::new();
        for result in results {
            match result {
                Ok(staged) => self.add(staged),
                Err(d) => problems.push(d),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Keeps files the last build wrote (path and xxh3-128 hash), as
    /// they are. Each must be in the old manifest with that hash; that it
    /// is untouched on disk is the caller's to check (`Engine::resume`
    /// does, for every file it keeps). Returns an error for each that is
    /// not in the manifest.
    ///
    /// Twenty thousand files are kept on a site's everyday edit: they are
    /// looked up in a hash set in one walk of the old manifest (in path
    /// order), and the new manifest is made from two sorted lists at
    /// once, where sorting them, or a lookup and an insertion each, cost
    /// a dozen comparisons of long paths.
    pub fn keep_all<'a>(
        &mut self,
        files: impl IntoIterator<Item = (&'a String, u128)>,
    ) -> Vec<Diagnostic> {
        // Each path with its hash: a path given with two hashes is kept
        // by the manifest's, and the other is a problem.
        let wanted: FxHashSet<(&str, u128)> = (files.into_iter())
            .map(|(rel, hash)| (rel.as_str(), hash))
            .collect();
        let mut kept: Vec<(String, Entry)> = Vec::with_capacity(wanted.len());
        for (rel, entry) in &self.old.files {
            if wanted.contains(&(rel.as_str(), entry.hash)) {
                kept.push((rel.clone(), entry.clone()));
            }
        }
        let mut problems = Vec::new();
        if kept.len() < wanted.len() {
            let mut missing: Vec<&str> = (wanted.iter())
                .filter(|(rel, hash)| self.old.files.get(*rel).is_none_or(|e| e.hash != *hash))
                .map(|(rel, _)| *rel)
                .collect();
            missing.sort_unstable();
            for rel in missing {
                problems.push(
                    Diagnostic::error(format!(
                        "{} is not the file the last build wrote",
                        self.dir.join(rel).display()
                    ))
                    .hint("run `attache build --clean` to build everything again"),
                );
            }
        }
        if !self.removed.is_empty() {
            for (rel, _) in &kept {
                self.removed.remove(rel);
            }
        }
        // Both runs are in order (the sort finds them); of two entries
        // for one path the kept one stands, as if inserted after.
        let mut all: Vec<(String, Entry)> = std::mem::take(&mut self.new).into_iter().collect();
        all.extend(kept);
        self.new = all.into_iter().collect();
        problems
    }

    /// In [`Mode::Update`], removes a file attache wrote.
    pub fn remove(&mut self, rel: &str) {
        if self.new.remove(rel).is_some() {
            self.written.remove(rel);
            self.removed.insert(rel.to_string());
        }
    }

    /// Files attache wrote before that the new site does not have.
    fn removals(&self) -> Vec<String> {
        self.old
            .files
            .keys()
            .filter(|rel| !self.new.contains_key(*rel))
            .cloned()
            .collect()
    }

    /// Files and folders that are in the way of the new site and that
    /// attache did not write: they are never replaced (a file is, with
    /// `--force`). Checked before anything is moved. What is at each
    /// folder asked about goes into `seen`.
    fn obstacles<'a>(&'a self, folder: &Folder, seen: &mut Seen<'a>) -> Vec<Diagnostic> {
        // Only a file in the way asks which files are leaving.
        let leaving_files: std::cell::OnceCell<HashSet<&str>> = std::cell::OnceCell::new();
        let leaving = || {
            leaving_files.get_or_init(|| {
                self.old
                    .files
                    .keys()
                    .filter(|rel| !self.new.contains_key(*rel))
                    .map(String::as_str)
                    .collect()
            })
        };
        let ours = |rel: &str| self.old.files.contains_key(rel);
        let mut problems = Vec::new();
        for rel in &self.written {
            // Each folder above the file must be a folder, or a file of
            // ours that is leaving.
            let mut end = 0;
            while let Some(i) = rel[end..].find('/') {
                let dir = &rel[..end + i];
                end += i + 1;
                if seen.contains_key(dir) {
                    continue;
                }
                // A symlink is a file of its own here, never followed.
                let kind = folder.kind(dir);
                seen.insert(dir, kind);
                match kind {
                    Some(Kind::Folder) | None => {}
                    Some(_) if leaving().contains(dir) => {}
                    Some(_) => problems.push(self.in_the_way(dir, rel, "a folder")),
                }
            }
            if ours(rel) {
                continue;
            }
            let path = self.dir.join(rel);
            match folder.kind(rel) {
                None => {}
                Some(Kind::Folder) => {
                    if let Some(foreign) = self.foreign_file_under(rel, leaving()) {
                        problems.push(self.in_the_way(&foreign, rel, "a file"));
                    }
                }
                Some(_) if self.force => {}
                Some(_) => problems.push(
                    Diagnostic::error(format!(
                        "{} already exists and attache did not write it",
                        path.display()
                    ))
                    .hint("move it out of the output folder, or build with --force to replace it"),
                ),
            }
        }
        problems
    }

    /// A file under folder `rel` of the output that attache did not write,
    /// or wrote and keeps; `None` when the folder holds only leaving files.
    fn foreign_file_under(&self, rel: &str, leaving: &HashSet<&str>) -> Option<String> {
        let base = self.dir.join(rel);
        walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let sub = e.path().strip_prefix(&self.dir).unwrap_or(e.path());
                crate::diagnostic::display_path(sub)
            })
            .find(|sub| !leaving.contains(sub.as_str()))
    }

    fn in_the_way(&self, found: &str, wanted: &str, needed: &str) -> Diagnostic {
        Diagnostic::error(format!(
            "cannot write {wanted}: {} is in the way, and attache did not write it",
            self.dir.join(found).display()
        ))
        .hint(format!(
            "{wanted} needs {needed} there; move {found} out of the output folder"
        ))
    }

    /// Moves the new site into place; returns what it did and the new
    /// manifest. On error nothing was moved.
    pub fn commit(self) -> Result<(WriteStats, Manifest), WriteError> {
        let removals = match self.mode {
            Mode::Replace => self.removals(),
            Mode::Update => self.removed.iter().cloned().collect(),
        };
        let stats = WriteStats {
            written: self.written.len(),
            unchanged: self.new.len() - self.written.len(),
            removed: removals.len(),
        };
        let folder = match Folder::open(&self.dir) {
            Ok(folder) => folder,
            Err(e) => {
                let problem = io_error("open", &self.dir, e);
                self.abort();
                return Err(vec![problem].into());
            }
        };
        let mut seen = Seen::new();
        let obstacles = self.obstacles(&folder, &mut seen);
        if !obstacles.is_empty() {
            self.abort();
            return Err(obstacles.into());
        }
        let manifest = Manifest {
            format: manifest::FORMAT,
            files: self.new.clone(),
        };
        if self.written.is_empty() && removals.is_empty() {
            if manifest != self.old {
                manifest.write(&self.dir).map_err(|e| {
                    WriteError::from(vec![io_error("write", &self.dir.join(MANIFEST_FILE), e)])
                })?;
            }
            self.abort();
            return Ok((stats, manifest));
        }
        let (install, flat) = self.moves(&folder, &mut seen);
        let journal = serde_json::value::to_raw_value(&manifest).and_then(|raw| {
            let journal = Journal {
                install,
                flat,
                remove: removals,
                manifest: raw,
            };
            serde_json::to_vec(&journal).map(|bytes| (journal, bytes))
        });
        let (journal, bytes) = journal.map_err(|e| {
            WriteError::from(vec![Diagnostic::error(format!(
                "cannot write the journal of the output folder: {e}"
            ))])
        })?;
        let journal_path = self.dir.join(JOURNAL_FILE);
        if let Err(e) = manifest::write_atomically(&journal_path, &bytes) {
            self.abort();
            return Err(vec![io_error("write", &journal_path, e)].into());
        }
        // From here the folder changes: a failure leaves it part old, part
        // new, and says so; the journal lets the next run finish the move.
        apply(&folder, &journal).map_err(|d| WriteError {
            problems: vec![d.hint(format!(
                "the output folder now holds part of the new site; once this is fixed, \
                 the next build finishes the move from {JOURNAL_FILE}"
            ))],
            unfinished: true,
        })?;
        Ok((stats, manifest))
    }

    /// What the journal moves into place: the files staged at their
    /// paths (or their whole new folders, see [`whole_folders`]), and the
    /// files staged flat.
    fn moves<'a>(&'a self, folder: &Folder, seen: &mut Seen<'a>) -> (Vec<String>, Vec<String>) {
        let (flat, nested): (Vec<&String>, Vec<&String>) =
            self.written.iter().partition(|rel| self.stages_flat(rel));
        let install = whole_folders(nested, folder, seen);
        (install, flat.into_iter().cloned().collect())
    }

    /// Gives up: removes what was staged. The output folder is as it was.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

#[cfg(test)]
mod tests;
