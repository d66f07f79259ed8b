//! File events, gathered into batches.
//!
//! Folders are watched, not files, so that editors that save by writing a
//! temporary file and renaming it (or probe with a file named `4913`) are
//! seen like any other save. Events that arrive close together make one
//! batch: a save that touches three files rebuilds once.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::content::CONTENT_DIR;
use crate::output::static_files::STATIC_DIR;
use crate::render::templates::{TEMPLATES_DIR, THEMES_DIR};

/// A batch is sent once no event came for this long...
const QUIET: Duration = Duration::from_millis(20);
/// ...or this long, when every file written in it was closed since (the
/// system says so on Linux): the save is complete, and waiting longer
/// only delays the page the writer is looking at...
const SETTLED: Duration = Duration::from_millis(4);
/// ...or once the first event is this old, so a steady stream of events
/// (a long copy) still rebuilds now and then.
const LONGEST: Duration = Duration::from_millis(300);
/// How often `--poll` scans the folders.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders under the root that hold a site's inputs.
const WATCHED: &[&str] = &[CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, THEMES_DIR];

/// Changed paths of a site, in batches.
pub struct Batches {
    root: PathBuf,
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    /// Events taken by [`Batches::pending`], for the next batch.
    stash: Vec<notify::Event>,
    watching: Vec<PathBuf>,
}

impl Batches {
    /// Watches the site at `root`: `attache.toml` and the input folders
    /// (also when they are created later). With `poll`, scans instead of
    /// relying on file-system events (network mounts, some containers).
    pub fn new(root: &Path, poll: bool) -> Result<Batches, String> {
        let (tx, events) = mpsc::channel();
        let watcher: Box<dyn Watcher + Send> = if poll {
            // Modification times are compared in whole seconds; compare
            // contents too, or a second save within a second is missed.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(PollWatcher::new(tx, config).map_err(|e| e.to_string())?)
        } else {
            Box::new(
                RecommendedWatcher::new(tx, notify::Config::default())
                    .map_err(|e| e.to_string())?,
            )
        };
        let mut batches = Batches {
            root: root.to_path_buf(),
            watcher,
            events,
            stash: Vec::new(),
            watching: Vec::new(),
        };
        batches
            .watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        batches.watch_folders();
        Ok(batches)
    }

    /// Starts watching input folders that exist and are not watched yet;
    /// returns the folders newly watched.
    fn watch_folders(&mut self) -> Vec<PathBuf> {
        let mut added = Vec::new();
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watching.contains(&dir)
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watching.push(dir.clone());
                added.push(dir);
            }
        }
        added
    }

    /// Waits for the next batch of changed paths. `None` when watching
    /// stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut paths: Vec<PathBuf> = Vec::new();
        let first = match self.stash.pop() {
            Some(event) => event,
            None => loop {
                match self.events.recv().ok()? {
                    Ok(event) if relevant(&event) => break event,
                    _ => continue,
                }
            },
        };
        let mut writes = Writes::default();
        for event in std::mem::take(&mut self.stash) {
            writes.see(&event);
            add_paths(&mut paths, event);
        }
        let started = Instant::now();
        writes.see(&first);
        add_paths(&mut paths, first);
        loop {
            let left = LONGEST.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(writes.quiet().min(left)) {
                Ok(Ok(event)) => {
                    writes.see(&event);
                    if relevant(&event) {
                        add_paths(&mut paths, event);
                    }
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // An input folder created, or replaced (`mv content old; cp -r old
        // content`), at the root: watch it (again: a watch follows the
        // folder it was put on, which may now be elsewhere), and count
        // what is already in it, since those files were written before the
        // watch began.
        let replaced: Vec<PathBuf> = self
            .watching
            .iter()
            .filter(|dir| paths.contains(dir))
            .cloned()
            .collect();
        for dir in &replaced {
            let _ = self.watcher.unwatch(dir);
            self.watching.retain(|w| w != dir);
        }
        if paths
            .iter()
            .any(|p| p.parent() == Some(self.root.as_path()))
        {
            for dir in self.watch_folders() {
                let files = walkdir::WalkDir::new(&dir)
                    .into_iter()
                    .filter_map(Result::ok);
                for entry in files.filter(|e| e.file_type().is_file()) {
                    if !paths.contains(&entry.path().to_path_buf()) {
                        paths.push(entry.into_path());
                    }
                }
            }
        }
        Some(paths)
    }

    /// Whether an event is waiting, within `wait`.
    pub fn pending(&mut self, wait: Duration) -> bool {
        if !self.stash.is_empty() {
            return true;
        }
        let deadline = Instant::now() + wait;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            match self.events.recv_timeout(deadline - now) {
                Ok(Ok(event)) if relevant(&event) => {
                    self.stash.push(event);
                    return true;
                }
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }
}

/// Whether the files of a batch may still be being written: one created
/// or written to is until its writer closes it. Where the system does not
/// say when a file is closed (macOS, Windows, polling), or for events that
/// say less (a folder created: its files follow), the batch waits the
/// longer quiet time.
#[derive(Debug, Default)]
struct Writes {
    open: std::collections::HashSet<PathBuf>,
    unsure: bool,
}

impl Writes {
    fn see(&mut self, event: &notify::Event) {
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        match event.kind {
            EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) => {
                self.open.extend(event.paths.iter().cloned());
            }
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for path in &event.paths {
                    self.open.remove(path);
                }
            }
            // Complete as they happen.
            EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_))
            | EventKind::Remove(_)
            | EventKind::Access(_) => {}
            _ => self.unsure = true,
        }
    }

    /// How long the batch waits for another event.
    fn quiet(&self) -> Duration {
        match self.open.is_empty() && !self.unsure {
            true => SETTLED,
            false => QUIET,
        }
    }
}

/// Reads and metadata-only changes do not change the site.
fn relevant(event: &notify::Event) -> bool {
    !matches!(event.kind, EventKind::Access(_))
}

fn add_paths(paths: &mut Vec<PathBuf>, event: notify::Event) {
    for path in event.paths {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{
        AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode,
    };

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    fn quiet_after(events: &[(EventKind, &str)]) -> Duration {
        let mut writes = Writes::default();
        for (kind, path) in events {
            writes.see(&event(*kind, path));
        }
        writes.quiet()
    }

    const CREATE: EventKind = EventKind::Create(CreateKind::File);
    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    #[test]
    fn a_batch_waits_the_short_time_only_once_every_file_written_is_closed() {
        // Written in place, as most editors save: open until closed.
        assert_eq!(quiet_after(&[(CREATE, "a.md"), (WRITE, "a.md")]), QUIET);
        assert_eq!(
            quiet_after(&[(CREATE, "a.md"), (WRITE, "a.md"), (CLOSE, "a.md")]),
            SETTLED
        );
        // Two files, one still open.
        assert_eq!(
            quiet_after(&[(WRITE, "a.md"), (CLOSE, "a.md"), (WRITE, "b.md")]),
            QUIET
        );
        // Written to a temporary file, closed, renamed over the page.
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            quiet_after(&[
                (CREATE, ".a.md.swp"),
                (WRITE, ".a.md.swp"),
                (CLOSE, ".a.md.swp"),
                (renamed, "a.md")
            ]),
            SETTLED
        );
        // Removed, or its times set: nothing is being written.
        assert_eq!(
            quiet_after(&[(EventKind::Remove(RemoveKind::File), "a.md")]),
            SETTLED
        );
        // A folder created: its files follow, and are not seen yet.
        assert_eq!(
            quiet_after(&[(EventKind::Create(CreateKind::Folder), "new")]),
            QUIET
        );
        // A system that says only that something changed.
        assert_eq!(quiet_after(&[(EventKind::Any, "a.md")]), QUIET);
        assert_eq!(
            quiet_after(&[(EventKind::Modify(ModifyKind::Any), "a.md")]),
            QUIET
        );
    }
}
