//! The `attache` command line.

mod cmd;

// The pipeline makes many small allocations from many threads; mimalloc
// halves the time of an incremental rebuild compared with the system
// allocator (see BENCHMARKS.md). Counted while a template renders, so
// that a template cannot take all the machine's memory (attache::alloc).
#[global_allocator]
static ALLOCATOR: attache::Counting<mimalloc::MiMalloc> = attache::Counting(mimalloc::MiMalloc);

fn main() -> std::process::ExitCode {
    cmd::run()
}
