//! The output folder, opened once: attache removes, moves and makes
//! things in it by paths relative to it, and never follows a symlink it
//! finds inside it, at any step of a path.
//!
//! A manifest, a journal or a folder's symlinks could otherwise lead a
//! removal out of the folder (`public/data` a link to `/tmp/shared`, and
//! `data/x.json` in the manifest). Here, on Unix, each step of a path is
//! opened with `O_NOFOLLOW` from the folder's own descriptor, so a path
//! that meets a symlink reaches nothing: a file behind a symlinked folder
//! is "not there", a symlink where a file was is removed as a file of its
//! own, and a symlink where a folder must be is in the way (the
//! transaction refuses it as it refuses any file it did not write).
//! Elsewhere the same rule is checked on each step of the path before
//! acting on it.

use std::io;
use std::path::{Path, PathBuf};

/// What is at a path, without following a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    /// A symlink, a FIFO, a device: never followed, never read.
    Other,
}

/// The output folder, opened once.
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    fd: rustix::fd::OwnedFd,
    /// Whether the kernel can walk a path for us with no symlink allowed
    /// (`openat2`, Linux 5.6 on): one call, where a walk opens and closes
    /// each step. A kernel or sandbox without it says so once.
    #[cfg(target_os = "linux")]
    in_kernel: std::sync::atomic::AtomicBool,
}

/// The error for a path that meets something other than a folder.
fn not_a_folder(rel: &str) -> io::Error {
    io::Error::other(format!(
        "{rel} passes through something that is not a folder (a symlink is never followed)"
    ))
}

#[cfg(unix)]
mod unix {
    use super::*;
    use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
    use rustix::fs::{AtFlags, FileType, Mode, OFlags};
    use rustix::io::Errno;

    /// A folder found from the output folder: the folder itself, or one
    /// opened below it.
    pub(super) enum Dir<'a> {
        Root(BorrowedFd<'a>),
        Sub(OwnedFd),
    }

    impl AsFd for Dir<'_> {
        fn as_fd(&self) -> BorrowedFd<'_> {
            match self {
                Dir::Root(fd) => *fd,
                Dir::Sub(fd) => fd.as_fd(),
            }
        }
    }

    const DIR_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    /// Whether an error of `openat(O_NOFOLLOW | O_DIRECTORY)` says that
    /// the step is not a folder (missing, a symlink, a file).
    fn is_not_there(e: Errno) -> bool {
        matches!(e, Errno::NOENT | Errno::LOOP | Errno::NOTDIR | Errno::MLINK)
    }

    impl Folder {
        pub fn open(path: &Path) -> io::Result<Folder> {
            // The folder itself may be reached through a symlink: the
            // user named it (and the guard checked where it leads).
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Folder {
                path: path.to_path_buf(),
                fd,
                #[cfg(target_os = "linux")]
                in_kernel: std::sync::atomic::AtomicBool::new(true),
            })
        }

        /// The folder at `rel` opened by the kernel in one call, no step a
        /// symlink (`Some(Ok(None))` when a step is not a folder); `None`
        /// when the kernel cannot: then the caller walks.
        #[cfg(target_os = "linux")]
        fn open_in_kernel(&self, rel: &str) -> Option<io::Result<Option<OwnedFd>>> {
            use rustix::fs::ResolveFlags;
            use std::sync::atomic::Ordering;
            if !self.in_kernel.load(Ordering::Relaxed) {
                return None;
            }
            let resolve =
                ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS | ResolveFlags::BENEATH;
            match rustix::fs::openat2(&self.fd, rel, DIR_FLAGS, Mode::empty(), resolve) {
                Ok(fd) => Some(Ok(Some(fd))),
                // A symlink on the way is ELOOP; a step out, EXDEV.
                Err(e) if is_not_there(e) || e == Errno::XDEV => Some(Ok(None)),
                // A kernel without it, or a sandbox refusing it.
                Err(Errno::NOSYS | Errno::PERM | Errno::TOOBIG | Errno::INVAL) => {
                    self.in_kernel.store(false, Ordering::Relaxed);
                    None
                }
                // For this path only: a rename racing the walk, or a
                // path longer than the kernel walks at once (each step
                // may still be short enough).
                Err(Errno::AGAIN | Errno::NAMETOOLONG) => None,
                Err(e) => Some(Err(e.into())),
            }
        }

        #[cfg(not(target_os = "linux"))]
        fn open_in_kernel(&self, _rel: &str) -> Option<io::Result<Option<OwnedFd>>> {
            None
        }

        /// Without the kernel's walk: every later path is walked step by
        /// step, as on other systems (for the tests of that walk).
        #[cfg(all(test, target_os = "linux"))]
        pub(super) fn walk_only(self) -> Folder {
            self.in_kernel
                .store(false, std::sync::atomic::Ordering::Relaxed);
            self
        }

        /// The folder holding `rel`'s last part, and that part; `None`
        /// when a folder on the way is missing, a symlink or a file.
        pub(super) fn parent<'r>(&self, rel: &'r str) -> io::Result<Option<(Dir<'_>, &'r str)>> {
            let (folders, name) = match rel.rsplit_once('/') {
                Some((folders, name)) => (Some(folders), name),
                None => (None, rel),
            };
            if let Some(folders) = folders
                && let Some(opened) = self.open_in_kernel(folders)
            {
                return Ok(opened?.map(|fd| (Dir::Sub(fd), name)));
            }
            let mut dir = Dir::Root(self.fd.as_fd());
            for step in folders.into_iter().flat_map(|f| f.split('/')) {
                match rustix::fs::openat(&dir, step, DIR_FLAGS, Mode::empty()) {
                    Ok(fd) => dir = Dir::Sub(fd),
                    Err(e) if is_not_there(e) => return Ok(None),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(Some((dir, name)))
        }

        pub fn kind(&self, rel: &str) -> Option<Kind> {
            let (dir, name) = self.parent(rel).ok()??;
            let st = rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            Some(match FileType::from_raw_mode(st.st_mode) {
                FileType::RegularFile => Kind::File,
                FileType::Directory => Kind::Folder,
                _ => Kind::Other,
            })
        }

        pub fn remove_file(&self, rel: &str) -> io::Result<()> {
            let Some((dir, name)) = self.parent(rel)? else {
                return Ok(());
            };
            match rustix::fs::unlinkat(&dir, name, AtFlags::empty()) {
                Ok(()) | Err(Errno::NOENT) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }

        pub fn remove_empty_folder(&self, rel: &str) {
            if let Ok(Some((dir, name))) = self.parent(rel) {
                let _ = rustix::fs::unlinkat(&dir, name, AtFlags::REMOVEDIR);
            }
        }

        pub fn create_folders(&self, rel: &str) -> io::Result<()> {
            // Most often every folder is there already.
            if let Some(Ok(Some(_))) = self.open_in_kernel(rel) {
                return Ok(());
            }
            let mut dir = Dir::Root(self.fd.as_fd());
            for step in rel.split('/') {
                let opened = match rustix::fs::openat(&dir, step, DIR_FLAGS, Mode::empty()) {
                    Err(Errno::NOENT) => {
                        match rustix::fs::mkdirat(&dir, step, Mode::from_raw_mode(0o777)) {
                            Ok(()) | Err(Errno::EXIST) => {}
                            Err(e) => return Err(e.into()),
                        }
                        rustix::fs::openat(&dir, step, DIR_FLAGS, Mode::empty())
                    }
                    other => other,
                };
                match opened {
                    Ok(fd) => dir = Dir::Sub(fd),
                    Err(e) if is_not_there(e) => return Err(not_a_folder(rel)),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(())
        }

        /// The bytes of the regular file at `rel`, of at most `limit`
        /// bytes; `None` when a step of the path is not there or is a
        /// symlink.
        pub fn read_file(&self, rel: &str, limit: u64) -> io::Result<Option<Vec<u8>>> {
            use std::io::Read;
            let Some((dir, name)) = self.parent(rel)? else {
                return Ok(None);
            };
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            let fd = match rustix::fs::openat(&dir, name, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(e) if is_not_there(e) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let st = rustix::fs::fstat(&fd)?;
            let size = u64::try_from(st.st_size).unwrap_or(u64::MAX);
            if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile || size > limit {
                return Ok(None);
            }
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            std::fs::File::from(fd)
                .take(limit)
                .read_to_end(&mut bytes)?;
            Ok(Some(bytes))
        }

        pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
            let Some((from_dir, from_name)) = self.parent(from)? else {
                return Err(io::ErrorKind::NotFound.into());
            };
            let Some((to_dir, to_name)) = self.parent(to)? else {
                return Err(not_a_folder(to));
            };
            rustix::fs::renameat(&from_dir, from_name, &to_dir, to_name)?;
            Ok(())
        }
    }
}

#[cfg(not(unix))]
impl Folder {
    pub fn open(path: &Path) -> io::Result<Folder> {
        if !std::fs::metadata(path)?.is_dir() {
            return Err(io::ErrorKind::NotADirectory.into());
        }
        Ok(Folder {
            path: path.to_path_buf(),
        })
    }

    /// `rel` joined to the folder, once every folder on the way is
    /// checked to be a folder and not a symlink; `None` otherwise.
    fn checked(&self, rel: &str) -> Option<PathBuf> {
        let mut path = self.path.clone();
        let mut steps = rel.split('/').peekable();
        while let Some(step) = steps.next() {
            path.push(step);
            if steps.peek().is_some() {
                let meta = std::fs::symlink_metadata(&path).ok()?;
                if !meta.is_dir() || meta.file_type().is_symlink() {
                    return None;
                }
            }
        }
        Some(path)
    }

    pub fn kind(&self, rel: &str) -> Option<Kind> {
        let meta = std::fs::symlink_metadata(self.checked(rel)?).ok()?;
        Some(match meta.file_type() {
            t if t.is_symlink() => Kind::Other,
            t if t.is_dir() => Kind::Folder,
            t if t.is_file() => Kind::File,
            _ => Kind::Other,
        })
    }

    pub fn remove_file(&self, rel: &str) -> io::Result<()> {
        let Some(path) = self.checked(rel) else {
            return Ok(());
        };
        match std::fs::remove_file(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    pub fn remove_empty_folder(&self, rel: &str) {
        if let Some(path) = self.checked(rel) {
            let _ = std::fs::remove_dir(path);
        }
    }

    pub fn create_folders(&self, rel: &str) -> io::Result<()> {
        let mut path = self.path.clone();
        for step in rel.split('/') {
            path.push(step);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() && !m.file_type().is_symlink() => {}
                Ok(_) => return Err(not_a_folder(rel)),
                Err(_) => std::fs::create_dir(&path)?,
            }
        }
        Ok(())
    }

    pub fn read_file(&self, rel: &str, limit: u64) -> io::Result<Option<Vec<u8>>> {
        let Some(path) = self.checked(rel) else {
            return Ok(None);
        };
        match crate::fs::read_regular(&path, limit) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::InvalidData
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        let from = self.checked(from).ok_or(io::ErrorKind::NotFound)?;
        let to_path = self.checked(to).ok_or_else(|| not_a_folder(to))?;
        std::fs::rename(from, to_path)
    }
}

impl Folder {
    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_behind_a_symlink_is_reached() {
        nothing_behind_a_symlink_is_reached_by(|out| Folder::open(out).unwrap());
    }

    /// The same with every path walked step by step (the kernel's walk
    /// taken away), as where the kernel has none.
    #[cfg(target_os = "linux")]
    #[test]
    fn nothing_behind_a_symlink_is_reached_step_by_step() {
        nothing_behind_a_symlink_is_reached_by(|out| Folder::open(out).unwrap().walk_only());
    }

    fn nothing_behind_a_symlink_is_reached_by(open: impl Fn(&Path) -> Folder) {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let elsewhere = d.path().join("elsewhere");
        std::fs::create_dir_all(out.join("real")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("x.html"), "not ours").unwrap();
        std::fs::write(out.join("real/a.html"), "ours").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&elsewhere, out.join("link")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(elsewhere.join("x.html"), out.join("file-link.html")).unwrap();
        let folder = open(&out);

        assert_eq!(folder.kind("real"), Some(Kind::Folder));
        assert_eq!(folder.kind("real/a.html"), Some(Kind::File));
        assert_eq!(folder.kind("missing/a.html"), None);
        assert_eq!(
            folder.read_file("real/a.html", 100).unwrap().unwrap(),
            b"ours"
        );
        assert_eq!(
            folder.read_file("real/a.html", 3).unwrap(),
            None,
            "past the bound"
        );
        assert_eq!(folder.read_file("missing/a.html", 100).unwrap(), None);
        #[cfg(unix)]
        {
            // Nothing is read through a link, to a folder or a file.
            assert_eq!(folder.read_file("link/x.html", 100).unwrap(), None);
            assert_eq!(folder.read_file("file-link.html", 100).unwrap(), None);
            assert_eq!(folder.kind("link"), Some(Kind::Other));
            assert_eq!(folder.kind("link/x.html"), None, "not through the link");
            // A removal through the link removes nothing.
            folder.remove_file("link/x.html").unwrap();
            assert!(elsewhere.join("x.html").exists());
            // A link where a file was goes as a link; its target stays.
            folder.remove_file("file-link.html").unwrap();
            assert!(!out.join("file-link.html").exists());
            assert!(elsewhere.join("x.html").exists());
            // A folder is never made through a link.
            assert!(folder.create_folders("link/sub").is_err());
            assert!(!elsewhere.join("sub").exists());
            // Nor is anything moved through one.
            assert!(folder.rename("real/a.html", "link/a.html").is_err());
            assert!(!elsewhere.join("a.html").exists());
            folder.remove_empty_folder("link");
            assert!(elsewhere.exists());
        }
        folder.create_folders("new/deeper").unwrap();
        folder.rename("real/a.html", "new/deeper/a.html").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("new/deeper/a.html")).unwrap(),
            "ours"
        );
        folder.remove_file("new/deeper/a.html").unwrap();
        folder.remove_empty_folder("new/deeper");
        assert!(!out.join("new/deeper").exists());
    }
}
