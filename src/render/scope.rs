//! The render running on this thread, as template functions see it.
//!
//! Tera calls our functions and filters with nothing but their arguments,
//! and one compiled `Tera` serves every render of a build in parallel, so
//! what a function needs to know about the render that calls it (when it
//! must stop, and the [`Reader`] that records what it reads) travels in a
//! thread-local slot that [`enter`] fills for the duration of one render
//! and empties after, even if the render panics. A render never leaves
//! its thread, so the slot always belongs to the render that runs there.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use tera::{Error, TeraResult};

use super::reader::Reader;

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    static READER: RefCell<Option<Arc<Reader>>> = const { RefCell::new(None) };
}

/// Runs `render` with `deadline` as the time it must stop by and, when
/// given, `reader` for the template functions to read through.
pub fn enter<R>(deadline: Instant, reader: Option<Arc<Reader>>, render: impl FnOnce() -> R) -> R {
    struct Reset(Option<Instant>, Option<Arc<Reader>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
            READER.with(|r| *r.borrow_mut() = self.1.take());
        }
    }
    let _reset = Reset(
        DEADLINE.with(|d| d.replace(Some(deadline))),
        READER.with(|r| r.replace(reader)),
    );
    render()
}

/// The current render's reader, for a template function.
pub fn with_reader<T>(f: impl FnOnce(&Reader) -> TeraResult<T>) -> TeraResult<T> {
    let reader = READER.with(|slot| slot.borrow().clone());
    match reader {
        Some(reader) => f(&reader),
        None => Err(Error::message(
            "this function can only be used while a page of the site is rendered",
        )),
    }
}

/// The message of a render stopped by its time limit.
pub const TIMED_OUT: &str = "the render ran past its time limit";

/// The message of a render stopped by its memory budget.
pub const OUT_OF_MEMORY: &str = "the render used more than its memory budget";

/// An error once the current render is past its deadline or its memory
/// budget ([`crate::alloc`]). Called by the template functions and
/// filters, so a loop that calls any of them stops.
pub fn check() -> TeraResult<()> {
    if crate::alloc::over_budget() {
        return Err(Error::message(OUT_OF_MEMORY));
    }
    match DEADLINE.with(Cell::get) {
        Some(deadline) if Instant::now() > deadline => Err(Error::message(TIMED_OUT)),
        _ => Ok(()),
    }
}

/// The output of one render: stops the render once it is past its
/// deadline, so a loop that writes anything stops.
pub struct Output {
    pub bytes: Vec<u8>,
    deadline: Instant,
    writes: u32,
    pub timed_out: bool,
    pub out_of_memory: bool,
}

impl Output {
    pub fn new(deadline: Instant, capacity: usize) -> Output {
        Output {
            bytes: Vec::with_capacity(capacity),
            deadline,
            writes: 0,
            timed_out: false,
            out_of_memory: false,
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes = self.writes.wrapping_add(1);
        if crate::alloc::over_budget() {
            self.out_of_memory = true;
            return Err(std::io::Error::other(OUT_OF_MEMORY));
        }
        // Reading the clock costs more than copying a few bytes.
        if self.writes.is_multiple_of(256) && Instant::now() > self.deadline {
            self.timed_out = true;
            return Err(std::io::Error::other(TIMED_OUT));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The longest `range` a template may ask for, as in Tera.
const MAX_RANGE: i128 = 100_000;

/// Tera's `range(end, start=0, step_by=1)`, which also stops a render that
/// is past its deadline: a loop over ranges calls it each time round.
pub fn range(kwargs: tera::Kwargs, _: &tera::State) -> TeraResult<Vec<i128>> {
    check()?;
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    if start > end && step > 0 {
        return Err(Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    let len = if step > 0 {
        end.saturating_sub(start).saturating_add(step - 1) / step
    } else if start <= end {
        0
    } else {
        start.saturating_sub(end).saturating_add(-step - 1) / -step
    };
    if len > MAX_RANGE {
        return Err(Error::message(format!(
            "Function `range` would produce {len} elements, which exceeds the limit of {MAX_RANGE}"
        )));
    }
    Ok((0..len).map(|i| start + i * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_deadline_belongs_to_the_render_that_set_it() {
        assert!(check().is_ok(), "no render: no deadline");
        let past = Instant::now() - Duration::from_secs(1);
        enter(past, None, || assert!(check().is_err()));
        assert!(check().is_ok(), "cleared after the render");
        let future = Instant::now() + Duration::from_secs(60);
        enter(future, None, || {
            assert!(check().is_ok());
            enter(past, None, || assert!(check().is_err()));
            assert!(check().is_ok(), "the outer deadline is back");
        });
    }
}
