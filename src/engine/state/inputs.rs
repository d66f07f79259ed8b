//! The input files of a build: listed with their sizes and times when
//! it begins, kept in the state's header, and compared with the list the
//! next build makes to know what to read again.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// An input file: its path (relative to the root), size, modification
/// time and status-change time (nanoseconds), and inode.
///
/// The modification time can be set by anyone (`touch -r`, `cp -p`,
/// `tar -x`, `rsync -t`), so an edit that keeps a file's size and time is
/// seen by the other two: the system sets a file's change time to the
/// clock whenever its bytes or its times change, and a file put in
/// place of another (an editor's save, `git checkout`) has a new inode.
/// On systems without them (Windows) both are 0: size and time alone.
pub type Input = (String, u64, u128, u128, u64);

/// A file's status-change time in nanoseconds and its inode (0 where
/// the system has none).
fn change_of(meta: &std::fs::Metadata) -> (u128, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ctime = u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
            + u128::try_from(meta.ctime_nsec()).unwrap_or(0);
        (ctime, meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        (0, 0)
    }
}

/// Lists every file a build of the site at `root` reads, with its size
/// and time: `attache.toml`, the content, the templates and static files
/// of the site and its theme. `None` when the configuration cannot be read.
pub fn scan_inputs(root: &Path) -> Option<Vec<Input>> {
    let config = crate::config::Config::load(root).ok()?;
    let boundary = crate::fs::Boundary::new(root, &config.trusted_folders);
    let mut dirs: Vec<(PathBuf, crate::fs::Hidden)> = vec![
        (
            root.join(crate::content::CONTENT_DIR),
            crate::fs::Hidden::Skip,
        ),
        (
            root.join(crate::render::templates::TEMPLATES_DIR),
            crate::fs::Hidden::Skip,
        ),
        (
            root.join(crate::output::static_files::STATIC_DIR),
            crate::fs::Hidden::Keep,
        ),
    ];
    if let Ok(crate::theme::ThemeSource::Folder(theme)) =
        crate::theme::locate(&boundary, &config.theme)
    {
        dirs.push((
            theme.join(crate::render::templates::TEMPLATES_DIR),
            crate::fs::Hidden::Skip,
        ));
        dirs.push((
            theme.join(crate::output::static_files::STATIC_DIR),
            crate::fs::Hidden::Keep,
        ));
    }
    let mut files = vec![root.join(crate::config::CONFIG_FILE)];
    for (dir, hidden) in dirs {
        let walk = boundary.walk(&dir, hidden);
        files.extend(walk.entries);
        // A warning of the walk (a symlink refused) is a problem: such a
        // site is never skipped, see `quiet`.
        if !walk.diagnostics.is_empty() {
            return None;
        }
    }
    let mut inputs: Vec<Input> = files
        .par_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            let rel = path.strip_prefix(root).unwrap_or(path);
            let (ctime, inode) = change_of(&meta);
            Some((
                crate::diagnostic::display_path(rel),
                meta.len(),
                crate::output::manifest::mtime_of(&meta),
                ctime,
                inode,
            ))
        })
        .collect();
    inputs.par_sort_unstable();
    Some(inputs)
}

/// The input files that differ between two lists (each sorted by path):
/// changed, added or gone, as paths relative to the root.
pub fn changed_inputs(before: &[Input], now: &[Input]) -> Vec<PathBuf> {
    use std::cmp::Ordering;
    let mut changed = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < before.len() || j < now.len() {
        let order = match (before.get(i), now.get(j)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Less => {
                changed.push(PathBuf::from(&before[i].0));
                i += 1;
            }
            Ordering::Greater => {
                changed.push(PathBuf::from(&now[j].0));
                j += 1;
            }
            Ordering::Equal => {
                if before[i] != now[j] {
                    changed.push(PathBuf::from(&now[j].0));
                }
                i += 1;
                j += 1;
            }
        }
    }
    changed
}

/// How long before a build a file must have last changed for the next
/// build to trust its times (see `settle`).
pub const SETTLE_WINDOW: std::time::Duration = std::time::Duration::from_secs(1);

/// `inputs` as the next build should compare them: a file changed within
/// `window` of `started` (when the list was made) has its times left out,
/// so that the next build reads it again. A second change within the
/// same tick of the file system's clock would otherwise go unseen.
pub fn settle(
    mut inputs: Vec<Input>,
    started: std::time::SystemTime,
    window: std::time::Duration,
) -> Vec<Input> {
    let cutoff = started
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .saturating_sub(window.as_nanos());
    for input in &mut inputs {
        if input.2 >= cutoff || input.3 >= cutoff {
            input.2 = 0;
            input.3 = 0;
        }
    }
    inputs
}
