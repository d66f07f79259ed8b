//! Refuses output folders that would let a build delete what it must not:
//! the site itself, a folder holding it, `/`, the home folder, or any
//! folder with files that attache did not write.

use std::path::{Component, Path, PathBuf};

use super::manifest::{MANIFEST_FILE, Manifest, ReadError};
use super::transaction;
use crate::content::CONTENT_DIR;
use crate::diagnostic::Diagnostic;

/// Folders of the site that are inputs; the output may not be inside them.
const INPUT_DIRS: &[&str] = &[CONTENT_DIR, "templates", "static", "themes"];

/// `path` made absolute (against the current folder) without `.` and
/// `..`, with symlinks resolved as far as the path exists.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve the longest existing prefix, keep the rest as written.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_os_string());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Checks `output` for a site at `root`; returns the absolute output folder.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to use {} as the output folder: {why}",
            out.display()
        ))
        .hint("attache replaces the output folder's contents; pass --output public or another folder of its own"))
    };
    if out.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && out == absolute(Path::new(&home))
    {
        return refuse("it is your home folder");
    }
    if out == root {
        return refuse("it is the site folder itself");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site folder");
    }
    if out.join(CONTENT_DIR).is_dir() {
        return refuse("it holds a content/ folder, so it looks like a site");
    }
    for input in INPUT_DIRS {
        if out.starts_with(root.join(input)) {
            return refuse(&format!("it is inside the site's {input}/ folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    Ok(out)
}

/// An output folder that attache may write into.
#[derive(Debug)]
pub struct OutputDir {
    pub path: PathBuf,
    /// What attache wrote there before (empty for a new folder).
    pub manifest: Manifest,
    /// Replace files in the way that attache did not write.
    pub force: bool,
    /// What recovering from an interrupted build did, if anything.
    pub recovered: Option<String>,
    /// Held while the folder is written: one writer at a time.
    _lock: crate::lock::Lock,
}

/// How a command takes over an output folder.
#[derive(Clone, Copy)]
pub struct Takeover<'a> {
    /// Replace files in the way that attache did not write.
    pub force: bool,
    /// The command, as the lock names its holder ("build", "watch").
    pub command: &'a str,
    /// What to do while another writer holds the folder.
    pub wait: crate::lock::Wait<'a>,
}

/// Checks `output` for a site at `root` and takes it over: locks it (one
/// writer at a time), finishes an interrupted commit, then reads the
/// manifest. A folder with files but no manifest is refused unless
/// `force`; one that holds only dotfiles (a deploy repository's `.git`)
/// counts as empty.
pub fn open_output(
    root: &Path,
    output: &Path,
    takeover: Takeover<'_>,
) -> Result<OutputDir, Diagnostic> {
    let path = check_output_dir(root, output)?;
    std::fs::create_dir_all(&path)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", path.display())))?;
    let lock = crate::lock::acquire(&path, takeover.command, takeover.wait)?;
    let force = takeover.force;
    let mut dir = OutputDir {
        path,
        manifest: Manifest::new(),
        force,
        recovered: None,
        _lock: lock,
    };
    dir.recovered = transaction::recover(&dir.path)?;
    let refuse = |why: String| {
        Diagnostic::error(format!(
            "refusing to write into {}: {why}",
            dir.path.display()
        ))
        .hint(format!(
            "attache writes only into folders it made, so that it never deletes your files; \
             choose a new or empty folder, or pass --force to write into this one anyway \
             (attache then replaces the files it writes and leaves every other file alone; \
             it records what it wrote in {MANIFEST_FILE})"
        ))
    };
    match Manifest::read(&dir.path) {
        Ok(manifest) => dir.manifest = manifest,
        Err(ReadError::Missing) => {
            if let Some(name) = first_visible_entry(&dir.path)
                && !force
            {
                return Err(refuse(format!(
                    "it is not empty ({name} is in it) and has no {MANIFEST_FILE}, so these files were not written by attache"
                )));
            }
        }
        Err(ReadError::Unreadable(why)) => {
            if !force {
                return Err(refuse(format!("its {MANIFEST_FILE} cannot be used: {why}")));
            }
        }
    }
    Ok(dir)
}

/// The first entry of `dir` whose name does not start with `.`.
fn first_visible_entry(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("other/content")).unwrap();
        let refused = |out: &Path| check_output_dir(&root, out).unwrap_err().message;
        assert!(refused(&root).contains("site folder itself"));
        assert!(refused(&root.join("public/..")).contains("site folder itself"));
        assert!(refused(dir.path()).contains("contains the site"));
        assert!(refused(Path::new("/")).contains("file-system root"));
        assert!(refused(&root.join("content/out")).contains("content/"));
        assert!(refused(&dir.path().join("other")).contains("holds a content/"));
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        assert!(check_output_dir(&root, &dir.path().join("elsewhere/out")).is_ok());
    }

    fn takeover(force: bool) -> Takeover<'static> {
        Takeover {
            force,
            command: "build",
            wait: crate::lock::Wait::No,
        }
    }

    #[test]
    fn folders_with_files_but_no_manifest_are_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = dir.path().join("d");
        std::fs::create_dir_all(out.join("Documents")).unwrap();
        std::fs::write(out.join("Documents/report.docx"), "x").unwrap();
        let e = open_output(&root, &out, takeover(false)).unwrap_err();
        assert!(
            e.message.contains("not empty (Documents is in it)"),
            "{}",
            e.message
        );
        assert!(e.hint.unwrap().contains("--force"));
        assert!(open_output(&root, &out, takeover(true)).is_ok());

        let git = dir.path().join("deploy");
        std::fs::create_dir_all(git.join(".git")).unwrap();
        std::fs::write(git.join(".nojekyll"), "").unwrap();
        assert!(
            open_output(&root, &git, takeover(false)).is_ok(),
            "only dotfiles: empty"
        );
        assert!(open_output(&root, &dir.path().join("new"), takeover(false)).is_ok());

        std::fs::write(git.join(MANIFEST_FILE), "garbage").unwrap();
        let e = open_output(&root, &git, takeover(false)).unwrap_err();
        assert!(e.message.contains("cannot be used"), "{}", e.message);
    }

    #[test]
    fn refuses_the_home_folder() {
        if let Some(home) = std::env::var_os("HOME") {
            let dir = tempfile::tempdir().unwrap();
            let e = check_output_dir(dir.path(), Path::new(&home)).unwrap_err();
            assert!(
                e.message.contains("home folder") || e.message.contains("contains the site"),
                "{}",
                e.message
            );
        }
    }
}
