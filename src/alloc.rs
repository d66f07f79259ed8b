//! The memory of a render: a template cannot take all the machine's
//! memory.
//!
//! Tera runs a template's loops without calling back into attache, so a
//! loop that doubles a string (`{% set_global s = s ~ s %}`) grows until
//! the system kills the process. [`Counting`] wraps the program's
//! allocator and counts, for the thread that renders, what the render
//! allocated and did not free. The render's own checks (each template
//! function and filter, each write of its output: [`over_budget`]) stop
//! it with a located error once it is past its budget; a render that
//! grows past twice its budget between two checks is stopped by the
//! allocator itself, which can neither fail the allocation nor unwind:
//! it prints the error it was given for this render and ends the process
//! (exit status 1), before the machine runs out of memory. The output
//! folder is untouched either way (a build writes nothing until it
//! succeeded). Under `serve` the process goes on instead: the render's
//! thread waits for good (holding what it took, at most its limit), the
//! rebuilds stop, and the server shows the error over the last good
//! pages ([`stopped`]).

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

/// Set once by `serve` ([`keep_serving_on_stop`]): a render the allocator
/// must stop waits on its thread for good, and the process goes on.
static KEEP_SERVING: AtomicBool = AtomicBool::new(false);
/// The error of a render stopped that way, for the server to show.
static STOPPED: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static STOPPED_LEN: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Bytes the render on this thread allocated and did not free.
    static USED: Cell<isize> = const { Cell::new(0) };
    /// Its budget in bytes; 0 when no render runs on this thread.
    static BUDGET: Cell<usize> = const { Cell::new(0) };
    /// The error to print if the allocator must stop it: a pointer and
    /// length into a string its [`Watch`] owns.
    static STOP: Cell<(*const u8, usize)> = const { Cell::new((std::ptr::null(), 0)) };
}

/// How many times its budget a render may hold between two checks before
/// the allocator stops it: a doubling string read twice in a loop holds
/// five times its length at once.
pub const HARD_FACTOR: usize = 8;

/// The program's allocator, counting what renders allocate.
pub struct Counting<A>(pub A);

/// Adds `delta` bytes to the render on this thread, if one runs.
#[inline]
fn count(delta: isize) {
    let budget = BUDGET.try_with(Cell::get).unwrap_or(0);
    if budget == 0 {
        return;
    }
    let used = USED.with(|u| {
        let used = u.get().saturating_add(delta);
        u.set(used);
        used
    });
    if delta > 0 && used > 0 && used as usize > budget.saturating_mul(HARD_FACTOR) {
        stop();
    }
}

/// Ends the process with the error the render's watch gave. Called from
/// inside the allocator: allocates nothing.
#[cold]
fn stop() -> ! {
    use std::io::Write;
    let (ptr, len) = STOP.with(Cell::get);
    let message: &[u8] = if ptr.is_null() {
        b"error: a render used far more than its memory budget and was stopped\n"
    } else {
        // SAFETY: `Watch` keeps the string alive while it is named here
        // and clears the name before dropping it.
        unsafe { std::slice::from_raw_parts(ptr, len) }
    };
    // Stops the counting: nothing below is counted again.
    BUDGET.with(|b| b.set(0));
    let mut stderr = std::io::stderr();
    let _ = stderr.write_all(message);
    if !KEEP_SERVING.load(Ordering::SeqCst) {
        let _ = stderr.write_all(b"attache stopped here; nothing was written\n");
        std::process::exit(1);
    }
    let _ = stderr.write_all(
        b"the server goes on with the last good pages; fix the template, then restart attache serve\n",
    );
    // The message lives as long as this thread, which never returns.
    STOPPED_LEN.store(message.len(), Ordering::SeqCst);
    STOPPED.store(message.as_ptr().cast_mut(), Ordering::SeqCst);
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// Under `serve`: a render the allocator must stop leaves the process
/// running (see the module's documentation).
pub fn keep_serving_on_stop() {
    KEEP_SERVING.store(true, Ordering::SeqCst);
}

/// The error of a render the allocator stopped, once one was.
pub fn stopped() -> Option<&'static str> {
    let ptr = STOPPED.load(Ordering::SeqCst);
    if ptr.is_null() {
        return None;
    }
    let len = STOPPED_LEN.load(Ordering::SeqCst);
    // SAFETY: set once by `stop`, from a message that a watch on a thread
    // that never returns (or a static) owns; the length is stored first.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast_const(), len) };
    std::str::from_utf8(bytes).ok()
}

// SAFETY: every call is passed to the wrapped allocator unchanged; the
// counting only reads and writes this thread's cells.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

/// A render's memory budget on this thread, for as long as it lives.
pub struct Watch {
    before: (isize, usize, (*const u8, usize)),
    _message: Box<str>,
}

impl Watch {
    /// Watches the render about to run on this thread: `budget` bytes,
    /// and `message` (a whole error, ending in a newline) to print if
    /// the allocator must stop it.
    pub fn start(budget: usize, message: String) -> Watch {
        let message = message.into_boxed_str();
        let before = (
            USED.with(|u| u.replace(0)),
            BUDGET.with(|b| b.replace(budget.max(1))),
            STOP.with(|s| s.replace((message.as_ptr(), message.len()))),
        );
        Watch {
            before,
            _message: message,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // The outer render's count goes on with what this one kept.
        let used = USED.with(Cell::get);
        USED.with(|u| u.set(self.before.0.saturating_add(used.max(0))));
        BUDGET.with(|b| b.set(self.before.1));
        STOP.with(|s| s.set(self.before.2));
    }
}

/// Whether the render on this thread is past its budget: checked where
/// a render can stop cleanly. Always false where the program's
/// allocator does not count (the library's own tests).
pub fn over_budget() -> bool {
    let budget = BUDGET.with(Cell::get);
    budget != 0 && USED.with(Cell::get) > budget as isize
}
