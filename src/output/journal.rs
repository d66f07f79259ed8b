//! The journal of a commit: written once everything is staged, applied
//! by the commit, and by the next run if the commit was interrupted
//! ([`recover`]). Every step of an apply works relative to the output
//! folder and follows no symlink (see [`Folder`]).

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::folder::{Folder, Kind};
use super::manifest::{self, MANIFEST_FILE, Manifest, is_safe_relative};
use super::transaction::io_error;
use crate::diagnostic::Diagnostic;

/// The staging folder inside the output folder.
pub const STAGING_DIR: &str = ".attache-staging";
/// The journal of a commit in progress.
pub const JOURNAL_FILE: &str = ".attache-journal.json";

/// Where file `rel` is staged when it is staged flat (see
/// `Transaction::stages_flat`): in one folder of the staging folder, by a
/// hash of its path, so that no folder is made (and removed) for it.
pub(super) fn flat_path(rel: &str) -> String {
    let hash = xxhash_rust::xxh3::xxh3_128(rel.as_bytes());
    format!("{STAGING_DIR}/flat/{hash:032x}")
}

/// A commit recorded before it is applied.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Journal {
    /// Files (or whole new folders) to move from staging into place.
    pub(super) install: Vec<String>,
    /// Files to move into place from where they were staged flat
    /// ([`flat_path`]), after `install`: a folder `install` moves in
    /// whole may hold the folder of one of them. None in a journal of an
    /// earlier version.
    #[serde(default)]
    pub(super) flat: Vec<String>,
    /// Files attache wrote before that the new site does not have.
    pub(super) remove: Vec<String>,
    /// The new manifest, as its file holds it: serialized once, for the
    /// journal and the file both.
    pub(super) manifest: Box<serde_json::value::RawValue>,
}

/// Applies a journal: removals, moves, the new manifest; then forgets the
/// journal and the staging folder. Doing it twice does no harm, so an
/// interrupted apply can simply be run again. Every step works relative
/// to the output folder and follows no symlink (see [`Folder`]).
pub(super) fn apply(folder: &Folder, journal: &Journal) -> Result<(), Diagnostic> {
    let dir = folder.path();
    let failures = each_of(&journal.remove, |rel| {
        let removed = fault::point().and_then(|()| folder.remove_file(rel));
        removed.err().map(|e| io_error("remove", &dir.join(rel), e))
    });
    if let Some(d) = failures.into_iter().next() {
        return Err(d);
    }
    prune_empty_folders(folder, &journal.remove);

    move_into_place(folder, &journal.install, |rel| {
        format!("{STAGING_DIR}/new/{rel}")
    })?;
    move_into_place(folder, &journal.flat, flat_path)?;
    // The staging folder (emptied) goes while the manifest is written:
    // were the run stopped, the journal, still there, has the next run
    // apply it again, which finds every file already moved. Neither removal follows a symlink: a link is removed
    // as a link.
    std::thread::scope(|scope| {
        scope.spawn(|| std::fs::remove_dir_all(dir.join(STAGING_DIR)));
        let manifest = dir.join(MANIFEST_FILE);
        manifest::write_atomically(&manifest, journal.manifest.get().as_bytes())
            .map_err(|e| io_error("write", &manifest, e))
    })?;
    let _ = std::fs::remove_file(dir.join(JOURNAL_FILE));
    Ok(())
}

/// What is at folders of the output (`None`: nothing), by path, each
/// asked once.
pub(super) type Seen<'a> = std::collections::HashMap<&'a str, Option<Kind>>;

/// The written files (in path order), with every folder that is new as a
/// whole (it does not exist in the output) named once instead of file by
/// file: moving a folder is one rename. What is at a folder is taken from
/// `seen` when it was asked before.
pub(super) fn whole_folders<'a>(
    written: Vec<&'a String>,
    output: &Folder,
    seen: &mut Seen<'a>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rel in written {
        if let Some(last) = out.last()
            && rel.starts_with(last.as_str())
            && rel.as_bytes().get(last.len()) == Some(&b'/')
        {
            continue;
        }
        // The highest folder of `rel` that the output lacks.
        let mut chosen = rel.clone();
        let mut end = 0;
        while let Some(i) = rel[end..].find('/') {
            let above = &rel[..end + i];
            end += i + 1;
            let present = seen
                .entry(above)
                .or_insert_with(|| output.kind(above))
                .is_some();
            if !present {
                chosen = above.to_string();
                break;
            }
        }
        out.push(chosen);
    }
    out
}

/// Moves each file (or folder) of `rels` into place from where `staged`
/// says it was staged, in parallel. A folder on the way is made when the
/// move finds it missing, not asked about before every move: most are
/// there (making one twice at once is no error).
fn move_into_place(
    folder: &Folder,
    rels: &[String],
    staged: impl Fn(&str) -> String + Sync + Send,
) -> Result<(), Diagnostic> {
    let dir = folder.path();
    let failures = each_of(rels, |rel| {
        let from = staged(rel);
        if let Err(e) = fault::point() {
            return Some(io_error("move into place", &dir.join(rel), e));
        }
        match folder.rename(&from, rel) {
            Ok(()) => return None,
            // Moved by an earlier, interrupted apply.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(_) => {}
        }
        if let Some((parent, _)) = rel.rsplit_once('/')
            && folder.kind(parent) != Some(Kind::Folder)
            && let Err(e) = folder.create_folders(parent)
        {
            return Some(io_error("create", &dir.join(parent), e));
        }
        // An empty folder of the old site where a file now goes.
        if folder.kind(rel) == Some(Kind::Folder) && folder.kind(&from) == Some(Kind::File) {
            folder.remove_empty_folder(rel);
        }
        (folder.rename(&from, rel).err()).map(|e| io_error("move into place", &dir.join(rel), e))
    });
    match failures.into_iter().next() {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

/// `step` for each of the safe paths of `paths` (see
/// [`is_safe_relative`]), and the problems it met: in parallel for many,
/// on this thread for a few, where rayon's threads may be busy keeping
/// the state and a few renames would wait for one of them.
fn each_of(
    paths: &[String],
    step: impl Fn(&String) -> Option<Diagnostic> + Sync + Send,
) -> Vec<Diagnostic> {
    const FEW: usize = 256;
    let safe = |rel: &&String| is_safe_relative(rel);
    if paths.len() < FEW {
        paths.iter().filter(safe).filter_map(step).collect()
    } else {
        paths.par_iter().filter(safe).filter_map(step).collect()
    }
}

/// Removes the folders that removals emptied, deepest first; never the
/// output folder itself, and never a folder that still holds anything.
fn prune_empty_folders(folder: &Folder, removed: &[String]) {
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for rel in removed {
        let mut rest = rel.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            folders.insert(parent);
            rest = parent;
        }
    }
    // Deepest first: longer paths sort after their parents.
    for rel in folders.iter().rev() {
        folder.remove_empty_folder(rel);
    }
}

/// Finishes a commit that was interrupted, or clears what a build that
/// never reached its commit left behind. Returns what it did, if anything.
pub fn recover(dir: &Path) -> Result<Option<String>, Diagnostic> {
    for tmp in [
        format!(".{MANIFEST_FILE}.tmp"),
        format!(".{JOURNAL_FILE}.tmp"),
    ] {
        let _ = std::fs::remove_file(dir.join(tmp));
    }
    let journal_path = dir.join(JOURNAL_FILE);
    match crate::fs::read_regular(&journal_path, crate::fs::OWN_FILE_LIMIT) {
        Ok(bytes) => {
            let journal = serde_json::from_slice::<Journal>(&bytes).and_then(|journal| {
                serde_json::from_str::<Manifest>(journal.manifest.get()).map(|_| journal)
            });
            let journal = journal.map_err(|e| {
                Diagnostic::error(format!(
                    "the journal {} cannot be read: {e}",
                    journal_path.display()
                ))
                .hint("attache writes it at once, so it was changed by hand; remove it and the .attache-staging folder, then build again")
            })?;
            let folder = Folder::open(dir).map_err(|e| io_error("open", dir, e))?;
            apply(&folder, &journal)?;
            Ok(Some(
                "finished writing the site that an interrupted build left half-moved".into(),
            ))
        }
        Err(_) if dir.join(STAGING_DIR).exists() => {
            std::fs::remove_dir_all(dir.join(STAGING_DIR))
                .map_err(|e| io_error("remove", &dir.join(STAGING_DIR), e))?;
            Ok(Some(
                "removed the files of an interrupted build; the site was not changed".into(),
            ))
        }
        Err(_) => Ok(None),
    }
}

/// Fault injection for the tests that kill a build in the middle of its
/// commit: with `ATTACHE_TEST_ABORT_AFTER=N` in the environment of a debug
/// build, the process aborts (as if killed) at the N-th step of an apply;
/// with `ATTACHE_TEST_FAIL_AFTER=N`, that step fails as a full disk or a
/// refused permission would.
mod fault {
    #[cfg(debug_assertions)]
    pub fn point() -> std::io::Result<()> {
        use std::sync::OnceLock;
        use std::sync::atomic::{AtomicU64, Ordering};
        static LIMITS: OnceLock<(Option<u64>, Option<u64>)> = OnceLock::new();
        static STEPS: AtomicU64 = AtomicU64::new(0);
        let limit = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
        let (abort, fail) = LIMITS.get_or_init(|| {
            (
                limit("ATTACHE_TEST_ABORT_AFTER"),
                limit("ATTACHE_TEST_FAIL_AFTER"),
            )
        });
        let step = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
        if abort.is_some_and(|limit| step >= limit) {
            std::process::abort();
        }
        if fail.is_some_and(|limit| step == limit) {
            return Err(std::io::Error::other("a failure injected by the test"));
        }
        Ok(())
    }

    #[cfg(not(debug_assertions))]
    pub fn point() -> std::io::Result<()> {
        Ok(())
    }
}
