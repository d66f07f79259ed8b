//! The input files of a build: listed with their sizes and times when
//! it begins, kept in the state's header, and compared with the list the
//! next build makes to know what to read again.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// An input file: its path (relative to the root), size and modification
/// time (nanoseconds).
pub type Input = (String, u64, u128);

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
            Some((
                crate::diagnostic::display_path(rel),
                meta.len(),
                crate::output::manifest::mtime_of(&meta),
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

/// `inputs` as the next build should compare them: a file changed within
/// a second of `started` (when the list was made) has its time left out,
/// so that the next build reads it again. A second change within the
/// same tick of the file system's clock would otherwise go unseen.
pub fn settle(mut inputs: Vec<Input>, started: std::time::SystemTime) -> Vec<Input> {
    let cutoff = started
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .saturating_sub(1_000_000_000);
    for input in &mut inputs {
        if input.2 >= cutoff {
            input.2 = 0;
        }
    }
    inputs
}
