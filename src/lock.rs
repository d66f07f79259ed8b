//! One writer at a time: `build` and `watch` hold a lock on the output
//! folder they write, and `build` one on the site's `.attache/`, for as
//! long as they run.
//!
//! The lock is the operating system's (`flock` on Unix, `LockFileEx` on
//! Windows) on a small file that names its holder. The system lets go of
//! it when the process ends, however it ends, so a lock left by a killed
//! build is never stale: the next writer simply gets it. The file itself
//! stays (removing it would let two writers lock two different files).

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The lock file's name, in the output folder and in `.attache/`.
pub const LOCK_FILE: &str = ".attache-lock";

/// What to do when another process holds the lock.
#[derive(Clone, Copy)]
pub enum Wait<'a> {
    /// Refuse at once (`--no-wait`).
    No,
    /// Wait for it, after telling the user why with this.
    Yes(&'a (dyn Fn(&str) + Sync)),
}

/// A held lock: let go of when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the lock of `folder` (which must exist) for `what` ("build",
/// "watch"), waiting for or refusing another holder as `wait` says.
pub fn acquire(folder: &Path, what: &str, wait: Wait<'_>) -> Result<Lock, Diagnostic> {
    let path = folder.join(LOCK_FILE);
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot lock {}: {e}", folder.display()))
            .hint("attache locks the folders it writes, so that two builds never mix their files")
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        // The holder's name is written into the file: never through a link.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let mut file = options.open(&path).map_err(cannot)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = holder(&mut file);
            match wait {
                Wait::No => {
                    return Err(Diagnostic::error(format!(
                        "{} is in use by {holder}",
                        folder.display()
                    ))
                    .hint("wait for it to finish and run this again, or leave out --no-wait to wait for it"));
                }
                Wait::Yes(say) => {
                    say(&format!(
                        "waiting for {holder} to finish with {}",
                        folder.display()
                    ));
                    file.lock().map_err(cannot)?;
                }
            }
        }
        Err(TryLockError::Error(e)) => return Err(cannot(e)),
    }
    // Ours now: say who holds it, for a writer that waits.
    let named = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{} {what}", std::process::id()));
    named.map_err(cannot)?;
    Ok(Lock { _file: file })
}

/// Who holds the lock, as its file says: "`attache build` (process 1234)".
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.take(200).read_to_string(&mut text);
    let mut words = text.split_whitespace();
    match (
        words.next().and_then(|p| p.parse::<u32>().ok()),
        words.next(),
    ) {
        (Some(pid), Some(what)) => format!("`attache {what}` (process {pid})"),
        _ => "another attache".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_or_waits() {
        let d = tempfile::tempdir().unwrap();
        let held = acquire(d.path(), "build", Wait::No).unwrap();
        let e = acquire(d.path(), "watch", Wait::No).unwrap_err();
        let text = format!("{e:?}");
        assert!(
            text.contains(&format!("`attache build` (process {})", std::process::id())),
            "{text}"
        );
        let (said, done) = (std::sync::mpsc::channel(), std::sync::mpsc::channel());
        let dir = d.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let say = |m: &str| said.0.send(m.to_string()).unwrap();
            let lock = acquire(&dir, "watch", Wait::Yes(&say)).unwrap();
            done.0.send(()).unwrap();
            drop(lock);
        });
        let message = said.1.recv().unwrap();
        assert!(
            message.starts_with("waiting for `attache build`"),
            "{message}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            done.1.try_recv().is_err(),
            "it waits while the lock is held"
        );
        drop(held);
        done.1.recv().unwrap();
        waiter.join().unwrap();
        // Free again.
        drop(acquire(d.path(), "build", Wait::No).unwrap());
    }
}
