//! Write: put the built site into the output folder.
//!
//! Only files whose bytes changed are written, each through a temporary
//! file and a rename so a reader never sees half a file. Files the new
//! site does not have are removed, except dotfiles (`.git` of a deploy
//! repository). Nothing is written unless the whole build succeeded: the
//! caller only gets here with a complete, error-free [`Outputs`].

pub mod guard;
pub mod static_files;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// A static file, copied from this path.
    Copy(PathBuf),
}

/// The whole output: file path (relative, `/`-separated) → contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    pub files: BTreeMap<String, Body>,
}

impl Outputs {
    pub fn insert(&mut self, path: String, body: Body) {
        self.files.insert(path, body);
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The folders the files need.
    fn dirs(&self) -> BTreeSet<PathBuf> {
        let mut dirs = BTreeSet::new();
        for path in self.files.keys() {
            let mut p = Path::new(path).parent();
            while let Some(dir) = p.filter(|d| !d.as_os_str().is_empty()) {
                if !dirs.insert(dir.to_path_buf()) {
                    break;
                }
                p = dir.parent();
            }
        }
        dirs
    }
}

/// What writing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    /// Stale files removed (emptied folders go with them).
    pub removed: usize,
}

/// Makes `dir` hold exactly `outputs` (plus any dotfiles it had).
pub fn write(outputs: &Outputs, dir: &Path) -> Result<WriteStats, Vec<Diagnostic>> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| vec![io("create", dir, e)])?;
    let mut stats = WriteStats {
        removed: remove_stale(outputs, dir).map_err(|e| vec![e])?,
        ..WriteStats::default()
    };
    let results: Vec<Result<bool, Diagnostic>> = outputs
        .files
        .par_iter()
        .map(|(rel, body)| {
            let path = dir.join(rel);
            write_one(&path, body).map_err(|e| io("write", &path, e))
        })
        .collect();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(true) => stats.written += 1,
            Ok(false) => stats.unchanged += 1,
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(stats)
    } else {
        Err(problems)
    }
}

/// Writes one file if its bytes differ; `Ok(true)` if it was written.
pub fn write_one(path: &Path, body: &Body) -> std::io::Result<bool> {
    if same_contents(path, body)? {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.attache-tmp"));
    match body {
        Body::Bytes(bytes) => std::fs::write(&tmp, bytes)?,
        Body::Copy(from) => {
            std::fs::copy(from, &tmp)?;
        }
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(true)
}

fn same_contents(path: &Path, body: &Body) -> std::io::Result<bool> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(false);
    };
    if !meta.is_file() {
        return Ok(false);
    }
    match body {
        Body::Bytes(bytes) => {
            if meta.len() != bytes.len() as u64 {
                return Ok(false);
            }
            Ok(std::fs::read(path)? == **bytes)
        }
        Body::Copy(from) => {
            if std::fs::metadata(from)?.len() != meta.len() {
                return Ok(false);
            }
            files_equal(path, from)
        }
    }
}

fn files_equal(a: &Path, b: &Path) -> std::io::Result<bool> {
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut ba, mut bb) = ([0u8; 64 * 1024], [0u8; 64 * 1024]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(fb.read(&mut bb)? == 0);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// Removes files and folders of `dir` that `outputs` does not have,
/// leaving dotfiles and dot-folders alone. Symlinks are removed, never
/// followed.
fn remove_stale(outputs: &Outputs, dir: &Path) -> Result<usize, Diagnostic> {
    let dirs = outputs.dirs();
    let mut removed = 0;
    sweep(outputs, &dirs, dir, Path::new(""), &mut removed)?;
    Ok(removed)
}

fn sweep(
    outputs: &Outputs,
    dirs: &BTreeSet<PathBuf>,
    dir: &Path,
    rel: &Path,
    removed: &mut usize,
) -> Result<(), Diagnostic> {
    let fail = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
    };
    let entries = std::fs::read_dir(dir).map_err(|e| fail("read", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| fail("read", dir, e))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let rel = rel.join(&name);
        // `file_type` does not follow symlinks: a symlink is removed as a
        // file, whatever it points to.
        let file_type = entry.file_type().map_err(|e| fail("read", &path, e))?;
        if file_type.is_dir() {
            sweep(outputs, dirs, &path, &rel, removed)?;
            if !dirs.contains(&rel) {
                // Fails, and is left alone, when it still holds dotfiles.
                let _ = std::fs::remove_dir(&path);
            }
        } else if file_type.is_symlink()
            || !outputs
                .files
                .contains_key(&crate::diagnostic::display_path(&rel))
        {
            std::fs::remove_file(&path).map_err(|e| fail("remove stale file", &path, e))?;
            *removed += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Body {
        Body::Bytes(Arc::from(s.as_bytes()))
    }

    #[test]
    fn writes_only_changes_removes_stale_keeps_dotfiles() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(out.join(".nojekyll"), "").unwrap();
        std::fs::create_dir_all(out.join("old/deep")).unwrap();
        std::fs::write(out.join("old/deep/index.html"), "stale").unwrap();

        let mut outputs = Outputs::default();
        outputs.insert("index.html".into(), bytes("home"));
        outputs.insert("a/b/index.html".into(), bytes("page"));
        let stats = write(&outputs, &out).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 2,
                unchanged: 0,
                removed: 1
            }
        );
        assert!(!out.join("old").exists());
        assert!(out.join(".git/HEAD").exists());
        assert!(out.join(".nojekyll").exists());

        outputs.insert("index.html".into(), bytes("home 2"));
        let stats = write(&outputs, &out).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1,
                removed: 0
            }
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "home 2"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("attache-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_file_and_a_folder_may_swap_places() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut outputs = Outputs::default();
        outputs.insert("x".into(), bytes("file"));
        write(&outputs, &out).unwrap();
        let mut outputs = Outputs::default();
        outputs.insert("x/index.html".into(), bytes("page"));
        write(&outputs, &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("x/index.html")).unwrap(),
            "page"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_in_the_output_are_removed_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("keep.txt"), "keep").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(outside.path(), out.join("link")).unwrap();
        write(&Outputs::default(), &out).unwrap();
        assert!(!out.join("link").exists());
        assert!(outside.path().join("keep.txt").exists());
    }
}
