//! File-system walking that never leaves the site.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, display_path};

/// Files found under a folder, in a stable order.
#[derive(Debug, Default)]
pub struct Walk {
    pub entries: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a walk lists hidden files (names starting with `.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    Skip,
    /// Keep them (`static/.well-known/`), but never version-control
    /// folders or Finder litter.
    Keep,
}

const NEVER: &[&str] = &[".git", ".hg", ".svn", ".DS_Store"];

/// Lists the files under `dir`, following symlinks only while their
/// targets stay inside `root`. A missing `dir` gives an empty list.
pub fn walk_inside(root: &Path, dir: &Path, hidden: Hidden) -> Walk {
    let mut walk = Walk::default();
    if !dir.exists() {
        return walk;
    }
    let canonical_root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            walk.diagnostics
                .push(Diagnostic::error(format!("cannot read the site folder: {e}")).in_file(root));
            return walk;
        }
    };
    let mut skipped = Vec::new();
    {
        let iter = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                let name = entry.file_name().to_string_lossy();
                if entry.depth() > 0
                    && name.starts_with('.')
                    && (hidden == Hidden::Skip || NEVER.contains(&name.as_ref()))
                {
                    return false;
                }
                if entry.path_is_symlink() {
                    let inside = entry
                        .path()
                        .canonicalize()
                        .map(|target| target.starts_with(&canonical_root))
                        .unwrap_or(false);
                    if !inside {
                        skipped.push(entry.path().to_path_buf());
                        return false;
                    }
                }
                true
            });
        for entry in iter {
            match entry {
                Ok(e) if e.file_type().is_file() => walk.entries.push(e.into_path()),
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.to_path_buf());
                    let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                    walk.diagnostics.push(
                        Diagnostic::warning(format!("skipped {}: {}", display_path(&rel), e))
                            .in_file(rel),
                    );
                }
            }
        }
    }
    for path in skipped {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        walk.diagnostics.push(
            Diagnostic::warning(format!(
                "skipped symlink {}: it points outside the site folder",
                display_path(&rel)
            ))
            .in_file(rel)
            .hint("attache only follows symlinks whose target is inside the site"),
        );
    }
    walk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_in_order_and_skips_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("c/b")).unwrap();
        std::fs::create_dir_all(root.join("c/.git")).unwrap();
        std::fs::write(root.join("c/b/2.md"), "").unwrap();
        std::fs::write(root.join("c/1.md"), "").unwrap();
        std::fs::write(root.join("c/.hidden.md"), "").unwrap();
        std::fs::write(root.join("c/.git/x"), "").unwrap();
        let names = |hidden| -> Vec<String> {
            walk_inside(root, &root.join("c"), hidden)
                .entries
                .iter()
                .map(|p| display_path(p.strip_prefix(root).unwrap()))
                .collect()
        };
        assert_eq!(names(Hidden::Skip), ["c/1.md", "c/b/2.md"]);
        assert_eq!(names(Hidden::Keep), ["c/.hidden.md", "c/1.md", "c/b/2.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("c")).unwrap();
        std::fs::write(root.join("inside.md"), "").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("c/out")).unwrap();
        std::os::unix::fs::symlink(root.join("inside.md"), root.join("c/in.md")).unwrap();
        let walk = walk_inside(root, &root.join("c"), Hidden::Skip);
        assert_eq!(walk.entries, [root.join("c/in.md")]);
        assert_eq!(walk.diagnostics.len(), 1);
        assert!(
            walk.diagnostics[0]
                .message
                .contains("points outside the site")
        );
    }
}
