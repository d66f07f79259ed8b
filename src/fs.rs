//! Reading the site's files without ever leaving the site.

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

/// The warning for a file or folder name that is not UTF-8 (`rel` is
/// relative to the site root).
pub fn non_utf8_name(rel: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "skipped {}: its name is not valid UTF-8",
        display_path(rel)
    ))
    .in_file(rel.to_path_buf())
    .hint("rename the file or folder with a UTF-8 name (page names become URLs)")
}

/// The folders attache may read: the site root, and folders outside it
/// that the configuration names (`trusted_folders`). Every read of the
/// site's inputs goes through it, in `build`, `check`, `serve` and `watch`
/// alike, so a symlink anywhere (a file, a folder, a whole theme) can only
/// lead to a place inside these folders.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The site root as given (for display and joining).
    root: PathBuf,
    /// The root and the trusted folders, resolved.
    allowed: Vec<PathBuf>,
}

impl Boundary {
    /// The boundary of a site at `root` that trusts `trusted` (absolute,
    /// or relative to the root). Folders that do not exist are ignored.
    pub fn new(root: &Path, trusted: &[PathBuf]) -> Boundary {
        let mut allowed = vec![root.canonicalize().unwrap_or_else(|_| root.to_path_buf())];
        allowed.extend(
            trusted
                .iter()
                .filter_map(|t| root.join(t).canonicalize().ok()),
        );
        Boundary {
            root: root.to_path_buf(),
            allowed,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path`, with every symlink resolved, is inside the boundary.
    /// A path that cannot be resolved (it does not exist) is not.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|real| self.allowed.iter().any(|a| real.starts_with(a)))
    }

    /// `path` relative to the root, for messages.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// The warning for a symlink that leads outside.
    pub fn refused(&self, path: &Path) -> Diagnostic {
        let rel = self.relative(path).to_path_buf();
        let target = path
            .canonicalize()
            .map(|t| format!(" ({})", t.display()))
            .unwrap_or_default();
        Diagnostic::warning(format!(
            "skipped {}: it is a symlink to a place outside the site folder{target}",
            display_path(&rel)
        ))
        .in_file(rel)
        .hint("attache only reads inside the site; copy the files in, or name the outside folder in `trusted_folders` in attache.toml")
    }

    /// The warning for a path that is not a regular file.
    fn not_regular(&self, path: &Path) -> Diagnostic {
        let rel = self.relative(path).to_path_buf();
        Diagnostic::warning(format!(
            "skipped {}: not a regular file (a FIFO, socket or device)",
            display_path(&rel)
        ))
        .in_file(rel)
        .hint("attache reads only regular files; remove it or replace it with a file")
    }

    /// Whether the file at `path` can be read as the walk would have
    /// listed it: `Ok(false)` when there is none (or a folder), the walk's
    /// warning when it would have been skipped.
    pub fn check_file(&self, path: &Path) -> Result<bool, Diagnostic> {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Ok(false);
        };
        if meta.file_type().is_symlink() && !self.contains(path) {
            return Err(self.refused(path));
        }
        let Ok(meta) = std::fs::metadata(path) else {
            return Ok(false);
        };
        if meta.is_dir() {
            return Ok(false);
        }
        if !meta.is_file() {
            return Err(self.not_regular(path));
        }
        let rel = self.relative(path);
        if rel.to_str().is_none() {
            return Err(non_utf8_name(rel));
        }
        Ok(true)
    }

    /// Reads a file inside the boundary.
    pub fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if !self.contains(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "it leads outside the site folder (a symlink); attache does not read it",
            ));
        }
        std::fs::read(path)
    }

    /// Lists the files under `dir`, following symlinks only while their
    /// targets stay inside. A missing `dir` gives an empty list; a `dir`
    /// that is itself outside (a symlinked theme) gives a warning.
    pub fn walk(&self, dir: &Path, hidden: Hidden) -> Walk {
        let mut walk = Walk::default();
        if std::fs::symlink_metadata(dir).is_err() {
            return walk;
        }
        if !self.contains(dir) {
            walk.diagnostics.push(self.refused(dir));
            return walk;
        }
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
                    if entry.path_is_symlink() && !self.contains(entry.path()) {
                        skipped.push(entry.path().to_path_buf());
                        return false;
                    }
                    true
                });
            for entry in iter {
                match entry {
                    Ok(e) if e.file_type().is_file() => walk.entries.push(e.into_path()),
                    Ok(e) if !e.file_type().is_dir() => {
                        walk.diagnostics.push(self.not_regular(e.path()));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let path = e
                            .path()
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|| dir.to_path_buf());
                        let rel = self.relative(&path).to_path_buf();
                        walk.diagnostics.push(
                            Diagnostic::warning(format!("skipped {}: {}", display_path(&rel), e))
                                .in_file(rel),
                        );
                    }
                }
            }
        }
        for path in skipped {
            walk.diagnostics.push(self.refused(&path));
        }
        walk
    }
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
            Boundary::new(root, &[])
                .walk(&root.join("c"), hidden)
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
        let boundary = Boundary::new(root, &[]);
        let walk = boundary.walk(&root.join("c"), Hidden::Skip);
        assert_eq!(walk.entries, [root.join("c/in.md")]);
        assert_eq!(walk.diagnostics.len(), 1);
        assert!(
            walk.diagnostics[0]
                .message
                .contains("a symlink to a place outside the site")
        );
        // A folder that is itself a symlink to outside is refused too.
        std::os::unix::fs::symlink(outside.path(), root.join("theme")).unwrap();
        let walk = boundary.walk(&root.join("theme"), Hidden::Skip);
        assert!(walk.entries.is_empty());
        assert_eq!(walk.diagnostics.len(), 1);
        assert!(boundary.read(&root.join("theme/secret.md")).is_err());
        // Unless the configuration trusts it.
        let trusting = Boundary::new(root, &[outside.path().to_path_buf()]);
        assert_eq!(
            trusting
                .walk(&root.join("theme"), Hidden::Skip)
                .entries
                .len(),
            1
        );
        assert_eq!(
            trusting.read(&root.join("theme/secret.md")).unwrap(),
            b"secret"
        );
    }
}
