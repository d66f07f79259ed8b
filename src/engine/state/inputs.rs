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

/// A file's size, modification and status-change times (nanoseconds)
/// and inode, as [`Input`] has them.
type Stat = (u64, u128, u128, u64);

/// The [`Stat`] of each file of `group` (files of one folder) that is
/// still there, following a symlink as reading the file would. On Unix
/// each is asked of the folder, opened once: a path from the root is
/// walked again at each of ten thousand files (it was two thirds of the
/// time the list took).
fn stat_group(group: &[PathBuf]) -> Vec<(&PathBuf, Stat)> {
    #[cfg(unix)]
    if let Some(parent) = group.first().and_then(|p| p.parent())
        && let Ok(dir) = rustix::fs::open(
            parent,
            rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
    {
        // Times before 1970 are 0, as `mtime_of` has them. The fields'
        // integer types differ from one platform to another.
        #[allow(clippy::unnecessary_fallible_conversions)]
        let nanos = |secs, nsecs| match (u128::try_from(secs), u128::try_from(nsecs)) {
            (Ok(secs), Ok(nsecs)) => secs * 1_000_000_000 + nsecs,
            _ => 0,
        };
        #[allow(clippy::unnecessary_fallible_conversions, clippy::useless_conversion)]
        return (group.par_iter())
            .filter_map(|path| {
                let st = rustix::fs::statat(&dir, path.file_name()?, rustix::fs::AtFlags::empty())
                    .ok()?;
                let stat = (
                    u64::try_from(st.st_size).ok()?,
                    nanos(st.st_mtime, st.st_mtime_nsec),
                    nanos(st.st_ctime, st.st_ctime_nsec),
                    u64::try_from(st.st_ino).ok()?,
                );
                Some((path, stat))
            })
            .collect();
    }
    (group.par_iter())
        .filter_map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            let (ctime, inode) = change_of(&meta);
            let mtime = crate::output::manifest::mtime_of(&meta);
            Some((path, (meta.len(), mtime, ctime, inode)))
        })
        .collect()
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
    let mut inputs: Vec<Input> = (files.par_chunk_by(|a, b| a.parent() == b.parent()))
        .flat_map_iter(stat_group)
        .map(|(path, stat)| {
            let rel = path.strip_prefix(root).unwrap_or(path);
            (
                crate::diagnostic::display_path(rel),
                stat.0,
                stat.1,
                stat.2,
                stat.3,
            )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the list said of each file before it asked the folders: the
    /// file's metadata, through its path.
    fn by_path(path: &Path) -> Stat {
        let meta = std::fs::metadata(path).unwrap();
        let (ctime, inode) = change_of(&meta);
        (
            meta.len(),
            crate::output::manifest::mtime_of(&meta),
            ctime,
            inode,
        )
    }

    #[test]
    fn a_folder_says_of_its_files_what_their_paths_say() {
        let dir = tempfile::tempdir().unwrap();
        let briefs = dir.path().join("briefs");
        std::fs::create_dir(&briefs).unwrap();
        let mut files: Vec<PathBuf> = (0..50)
            .map(|n| {
                let path = briefs.join(format!("brief-{n}.md"));
                std::fs::write(&path, "x".repeat(n)).unwrap();
                path
            })
            .collect();
        // A file from before 1970, and one gone since the walk.
        let old = &files[3];
        let file = std::fs::File::options().write(true).open(old).unwrap();
        file.set_modified(std::time::UNIX_EPOCH - std::time::Duration::from_secs(86_400))
            .unwrap();
        std::fs::remove_file(&files[7]).unwrap();
        #[cfg(unix)]
        {
            // A symlink is followed, as reading the file follows it.
            let link = briefs.join("linked.md");
            std::os::unix::fs::symlink(&files[10], &link).unwrap();
            files.push(link);
        }
        let stats = stat_group(&files);
        assert_eq!(stats.len(), files.len() - 1);
        for (path, stat) in &stats {
            assert_eq!(*stat, by_path(path), "{}", path.display());
        }
        assert_eq!(stats[3].1.1, 0, "a time before 1970 is 0");
        assert!(stats.iter().all(|(p, _)| **p != files[7]));
        #[cfg(unix)]
        assert_eq!(stats.last().unwrap().1, by_path(&files[10]));
    }
}
