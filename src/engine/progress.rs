//! How the engine tells how far it is: a progress bar for the first
//! render, and stage timings for profiling.

use std::time::Instant;

/// Reports progress of rendering (a progress bar in the CLI).
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn tick(&self) {}
    fn finish(&self) {}
    /// The build waits for another writer of its folders (see
    /// `crate::lock`); `message` says which.
    fn waiting(&self, _message: &str) {}
}

/// Progress that shows nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// Prints how long each stage took, and the CPU time it used (on all
/// threads), with `ATTACHE_TIMINGS=1` in the environment: for profiling
/// (see BENCHMARKS.md).
pub struct Timings {
    start: std::cell::Cell<Option<Instant>>,
    /// The process's CPU time (all threads) at the last mark.
    cpu: std::cell::Cell<std::time::Duration>,
    /// The process's page faults at the last mark.
    faults: std::cell::Cell<u64>,
}

/// The CPU time the process has used, on all its threads (Unix; zero
/// elsewhere): against the wall time, it says how well a stage used
/// the cores.
fn cpu_time() -> std::time::Duration {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    }
    #[cfg(not(unix))]
    std::time::Duration::ZERO
}

/// Whether `ATTACHE_TIMINGS=1` is in the environment.
pub fn timings_on() -> bool {
    std::env::var_os("ATTACHE_TIMINGS").is_some_and(|v| v == "1")
}

/// With timings on, prints the outputs that took longest to render
/// (`took`: each output's name and time), the slowest first; then, per
/// kind of output (`Page`, `List`, …), how many and their total time,
/// which says where a thousand small renders go.
pub fn print_slowest(mut took: Vec<(String, std::time::Duration)>) {
    took.sort_by_key(|t| std::cmp::Reverse(t.1));
    for (what, time) in took.iter().take(8) {
        eprintln!(
            "{:>8.1} ms          rendering {what}",
            time.as_secs_f64() * 1000.0
        );
    }
    let mut by_kind: std::collections::BTreeMap<&str, (usize, std::time::Duration)> =
        std::collections::BTreeMap::new();
    for (what, time) in &took {
        let kind = what.split([' ', '(', '{']).next().unwrap_or(what);
        let entry = by_kind.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += *time;
    }
    let mut by_kind: Vec<_> = by_kind.into_iter().collect();
    by_kind.sort_by_key(|(_, (_, time))| std::cmp::Reverse(*time));
    for (kind, (count, time)) in by_kind {
        eprintln!(
            "{:>8.1} ms          rendering {count} × {kind} (in all)",
            time.as_secs_f64() * 1000.0
        );
    }
}

impl Timings {
    pub fn new() -> Timings {
        let on = timings_on();
        Timings {
            start: std::cell::Cell::new(on.then(Instant::now)),
            cpu: std::cell::Cell::new(if on { cpu_time() } else { Default::default() }),
            faults: std::cell::Cell::new(if on { page_faults() } else { 0 }),
        }
    }

    /// Prints the time since the last mark, and where the system says
    /// (Linux) the memory in use and the page faults since (each page of
    /// fresh memory the process touches is one, and costs a few
    /// microseconds of the kernel's time: counted, they say what a change
    /// saves without the noise of a shared machine's clock).
    pub fn mark(&self, what: &str) {
        if let Some(start) = self.start.get() {
            let resident = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or_else(String::new, |pages| {
                    format!("{:>6} MiB", (pages * 4096) >> 20)
                });
            let cpu = cpu_time();
            let faults = page_faults();
            eprintln!(
                "{:>8.1} ms {:>8.1} ms cpu {resident} {:>7} faults  {what}",
                start.elapsed().as_secs_f64() * 1000.0,
                cpu.saturating_sub(self.cpu.get()).as_secs_f64() * 1000.0,
                faults.saturating_sub(self.faults.get()),
            );
            self.start.set(Some(Instant::now()));
            self.cpu.set(cpu);
            self.faults.set(faults);
        }
    }
}

/// The process's minor page faults so far (Linux's `/proc/self/stat`,
/// its tenth field; the second, the name, is in parentheses and may hold
/// spaces); 0 elsewhere.
fn page_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    (after_name.split_whitespace().nth(7)).map_or(0, |n| n.parse().unwrap_or(0))
}

impl Timings {
    /// Prints the most memory the process has held so far (`VmHWM`, on
    /// Linux): what tests/memory.rs and BENCHMARKS.md read.
    pub fn peak(&self) {
        if self.start.get().is_none() {
            return;
        }
        let peak = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            });
        if let Some(kib) = peak {
            eprintln!("peak memory: {} MiB", kib >> 10);
        }
    }
}

impl Default for Timings {
    fn default() -> Self {
        Timings::new()
    }
}
