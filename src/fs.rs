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

/// Never read or published, even where hidden files are (`static/`):
/// version control's folders, the Finder's notes, and the empty file
/// that keeps an empty folder in git (`attache init` writes one).
const NEVER: &[&str] = &[".git", ".hg", ".svn", ".DS_Store", ".gitkeep"];

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

/// The most attache reads of a file of its own state (the output
/// folder's manifest and journal, `.attache/`): more than any site needs,
/// so that a file grown without end is refused rather than read.
pub const OWN_FILE_LIMIT: u64 = 4 << 30;

/// Reads a file of attache's own only if it is a regular file (not a
/// symlink, FIFO or device: opening never follows a symlink or waits for
/// a writer) of at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    read_regular_into(path, limit, &mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`] into `bytes` (cleared first), reusing its memory: a
/// build reading hundreds of its own files one after the other touches
/// the memory of one.
pub fn read_regular_into(path: &Path, limit: u64, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind, Read};
    bytes.clear();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(Error::new(ErrorKind::InvalidData, "it is a symlink"));
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidData,
            "it is not a regular file",
        ));
    }
    if meta.len() > limit {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("it is larger than {limit} bytes"),
        ));
    }
    bytes.reserve(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Error::new(ErrorKind::InvalidData, "it grew past its bound"));
    }
    Ok(())
}

/// Creates (or truncates) the file at `path` with `bytes`, never through a
/// symlink at its last step; returns the written file's metadata.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    use std::io::Write;
    let mut file = create(path)?;
    file.write_all(bytes)?;
    file.metadata()
}

/// Creates (or truncates) the file at `path` to be written, never through
/// a symlink at its last step.
pub fn create(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path)?;
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_files_are_read_only_when_regular_and_bounded() {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("state");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), b"0123456789");
        assert!(read_regular(&file, 9).is_err(), "past the bound");
        assert!(read_regular(d.path(), 100).is_err(), "a folder");
        #[cfg(unix)]
        {
            let link = d.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(read_regular(&link, 100).is_err(), "a symlink");
            let zero = d.path().join("zero");
            std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
            assert!(read_regular(&zero, 100).is_err(), "a device behind a link");
            assert!(
                read_regular(Path::new("/dev/zero"), 100).is_err(),
                "a device"
            );
            let fifo = d.path().join("fifo");
            rustix::fs::mknodat(
                rustix::fs::CWD,
                &fifo,
                rustix::fs::FileType::Fifo,
                rustix::fs::Mode::from_raw_mode(0o600),
                0,
            )
            .unwrap();
            // Opening a FIFO with no writer must not wait.
            assert!(read_regular(&fifo, 100).is_err(), "a FIFO");
            // Writing never follows a link either: it fails, and the
            // link's target is untouched.
            assert!(write_new(&link, b"x").is_err());
            assert_eq!(std::fs::read(&file).unwrap(), b"0123456789");
        }
        write_new(&d.path().join("new"), b"abc").unwrap();
        assert_eq!(std::fs::read(d.path().join("new")).unwrap(), b"abc");
    }

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
