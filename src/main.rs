//! The `attache` command line.

mod cmd;

// The pipeline makes many small allocations from many threads; mimalloc
// halves the time of an incremental rebuild compared with the system
// allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::run()
}
