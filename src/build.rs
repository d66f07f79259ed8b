//! The whole pipeline: load → link → render → write.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::{Engine, state};
pub use crate::engine::{Progress, Quiet};
use crate::output::{self, Outputs, WriteStats, guard};
use crate::site::SiteOptions;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The command was used wrongly (a refused output folder): exit 2.
    Usage(Diagnostic),
    /// Content, template or configuration errors: exit 1.
    Errors(Diagnostics),
    /// Moving the new site into place failed half-way: the output folder
    /// holds part of it until the next build finishes the move. Exit 1.
    Unfinished(Diagnostics),
}

/// A site built in memory.
pub struct Generated {
    /// Every file; only the static ones for [`check`], which keeps none.
    pub outputs: Outputs,
    /// How many files the site has.
    pub files: usize,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub pages: usize,
}

/// Loads, links and renders the site in memory (one [`Engine`]),
/// collecting every problem. `Err` when any of them is an error.
pub fn generate(options: &SiteOptions, progress: &dyn Progress) -> Result<Generated, Diagnostics> {
    generate_into(options, progress, None)
}

/// [`generate`], giving the rendered files to `sink` rather than keeping
/// them.
fn generate_into(
    options: &SiteOptions,
    progress: &dyn Progress,
    sink: Option<std::sync::Arc<dyn crate::output::FileSink>>,
) -> Result<Generated, Diagnostics> {
    let engine = Engine::streaming(options.clone(), progress, sink)?;
    let diagnostics = engine.diagnostics();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let pages = engine.site().pages.len();
    let files = engine.file_count();
    Ok(Generated {
        outputs: engine.into_outputs(),
        files,
        diagnostics,
        pages,
    })
}

/// A sink that keeps nothing: `check` renders everything and writes
/// nothing, so it need not hold the output either.
struct Discard;

impl crate::output::FileSink for Discard {
    fn put(&self, _: &str, _: &std::sync::Arc<[u8]>, _: u128) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// What `build` needs beyond the site options.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: SiteOptions,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Write into a folder that has files but no manifest, replacing the
    /// files attache writes and leaving the others alone.
    pub force: bool,
    /// Ignore the state the last build kept in the site's `.attache/`.
    pub clean: bool,
    /// Refuse at once, rather than wait, when another build or watch
    /// writes the same output folder or site state.
    pub no_wait: bool,
    /// Files changed this long before the build began are read again by
    /// the next one, whatever their times say ([`state::SETTLE_WINDOW`]);
    /// the differential test also builds with none, as a writer who saves
    /// seconds before building does.
    pub settle_window: Duration,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub stats: WriteStats,
    pub output: PathBuf,
    pub diagnostics: Diagnostics,
    pub elapsed: Duration,
    /// What finishing an interrupted earlier build did, if anything.
    pub recovered: Option<String>,
    /// The build started from what the last one kept in `.attache/`.
    pub resumed: bool,
    /// The site the build held in memory (see `Held`).
    pub held: Held,
}

/// What a build held in memory, handed back so that its caller says when
/// it goes: dropped, it is freed on a thread of its own; the command line
/// leaves it to the end of the process instead, since the system takes a
/// process's memory back at once, where freeing a site's worth piece by
/// piece (and the allocator then returning it) takes a good part of a
/// small build's time.
#[derive(Default)]
pub struct Held(Option<Box<Engine>>);

impl Held {
    /// Leaves the memory to the end of the process.
    pub fn leave_to_exit(mut self) {
        std::mem::forget(self.0.take());
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(engine) = self.0.take() {
            std::thread::spawn(move || drop(engine));
        }
    }
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Held")
    }
}

/// Whether the output folder holds exactly what the last build (whose
/// state says `header`) left in it, untouched since.
fn output_in_place(header: &state::Header, dir: &guard::OutputDir) -> bool {
    use rayon::prelude::*;
    let folder = crate::output::manifest::InPlace::new(&dir.path);
    state::manifest_print(&dir.manifest) == header.manifest
        && dir
            .manifest
            .files
            .par_iter()
            .all(|(path, entry)| folder.is_intact(entry, path))
}

/// What a kept state must be about: the site, its options, the output.
fn identity(options: &SiteOptions, output: &std::path::Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone())
        .hash(&mut h);
    output.hash(&mut h);
    options.base_url.hash(&mut h);
    options.drafts.hash(&mut h);
    // Not the day: a state is about any day (the header says which), and
    // what reads the day renders again when it changes.
    h.finish()
}

/// Builds the site into the output folder. The folder is only touched
/// when the whole site built without errors.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let root = &options.site.root;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    let timings = crate::engine::Timings::new();
    let scanned = std::time::SystemTime::now();
    let (mut dir, _state_lock, inputs) = open(options, &output, progress)?;
    timings.mark("the output folder's manifest, and the list of inputs");
    let identity = identity(&options.site, &dir.path);
    let today = options
        .site
        .today
        .unwrap_or_else(crate::site::today)
        .to_string();
    let mut kept = match options.clean {
        true => None,
        false => state::load(root, identity),
    };
    timings.mark("reading the last build's state");
    if let Some(report) = unchanged(kept.as_ref(), inputs.as_ref(), &today, &dir, started) {
        timings.mark("nothing changed");
        return Ok(report);
    }
    let (engine, staging, resumed_from_state) =
        render(options, kept.as_mut(), inputs.as_ref(), &dir, progress)?;
    let diagnostics = engine.diagnostics();
    timings.mark("building");
    // What the next build starts from is written while the output is: it
    // is named by the state's header only once the output is in place. A
    // state that cannot be written only makes the next build slower.
    // From the kept state, a build rewrites few of the state's shards: the
    // state is written on one thread of its own, the commit's steps (one
    // after another) on this one; on rayon's two threads as well, three
    // threads shared two cores and the commit, the longer, waited. A full
    // build writes every shard, on both.
    let (written, body) = std::thread::scope(|scope| {
        let body = scope.spawn(|| match resumed_from_state {
            true => on_one_thread(|| engine.keep_body()),
            false => engine.keep_body(),
        });
        let written =
            output::write_streamed(engine.kept_files(), engine.outputs(), staging, &mut dir);
        (written, body.join().ok().and_then(Result::ok))
    });
    let stats = match written {
        Ok(stats) => stats,
        Err(e) => {
            if let Some(body) = body {
                state::discard_body(root, &body.name);
            }
            // The state no longer describes the folder.
            state::clear(root);
            return Err(match e.unfinished {
                true => Failure::Unfinished(e.problems.into()),
                false => Failure::Errors(e.problems.into()),
            });
        }
    };
    timings.mark("writing, and keeping the state");
    let settled = state::settle(inputs.unwrap_or_default(), scanned, options.settle_window);
    drop(kept);
    keep_header(root, identity, &engine, &dir, settled, today, body);
    timings.mark("the state's header");
    timings.peak();
    let pages = engine.site().pages.len();
    Ok(BuildReport {
        pages,
        files: dir.manifest.files.len(),
        stats,
        output: dir.path,
        diagnostics,
        elapsed: started.elapsed(),
        recovered: dir.recovered,
        resumed: resumed_from_state,
        held: Held(Some(Box::new(engine))),
    })
}

/// The output folder (its manifest read) and the kept state's folder,
/// each locked, one writer at a time; and the inputs as they are before
/// anything is read (a file that changes while the build runs differs
/// from this list at the next build). The inputs are listed while the
/// manifest is read: neither reads what the other does (the output folder
/// is never among the inputs).
fn open(
    options: &BuildOptions,
    output: &std::path::Path,
    progress: &dyn Progress,
) -> Result<
    (
        guard::OutputDir,
        crate::lock::Lock,
        Option<Vec<state::Input>>,
    ),
    Failure,
> {
    let root = &options.site.root;
    let say = |message: &str| progress.waiting(message);
    let wait = match options.no_wait {
        true => crate::lock::Wait::No,
        false => crate::lock::Wait::Yes(&say),
    };
    let takeover = guard::Takeover {
        force: options.force,
        command: "build",
        wait,
    };
    let (taken, inputs) = rayon::join(
        || {
            let dir = guard::open_output(root, output, takeover)?;
            Ok((dir, state::take_dir(root, wait)?))
        },
        || state::scan_inputs(root),
    );
    let (dir, lock) = taken.map_err(Failure::Usage)?;
    Ok((dir, lock, inputs))
}

/// Runs `work` with every parallel step in it (rayon's) on one thread of
/// its own; on the calling thread, with rayon's threads, if no thread can
/// be made.
fn on_one_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// The report of a build with nothing to do: the last build had no
/// problem at all, and its inputs, day and output files are as they were.
fn unchanged(
    kept: Option<&state::State>,
    inputs: Option<&Vec<state::Input>>,
    today: &str,
    dir: &guard::OutputDir,
    started: Instant,
) -> Option<BuildReport> {
    let header = &kept?.header;
    let same = header.quiet
        && inputs == Some(&header.inputs)
        && header.today == today
        && output_in_place(header, dir);
    same.then(|| BuildReport {
        pages: header.pages,
        files: dir.manifest.files.len(),
        stats: WriteStats {
            unchanged: dir.manifest.files.len(),
            ..WriteStats::default()
        },
        output: dir.path.clone(),
        diagnostics: Diagnostics::new(),
        elapsed: started.elapsed(),
        recovered: dir.recovered.clone(),
        resumed: true,
        held: Held::default(),
    })
}

/// Renders the site, from the `kept` state where it can be trusted, its
/// files staged in the output folder as they come; returns the engine,
/// the staging, and whether it started from the state. Errors stop it,
/// with nothing staged left behind.
fn render(
    options: &BuildOptions,
    kept: Option<&mut state::State>,
    inputs: Option<&Vec<state::Input>>,
    dir: &guard::OutputDir,
    progress: &dyn Progress,
) -> Result<(Engine, output::Staging, bool), Failure> {
    // Rendered files are staged in the output folder as they come, so
    // that the output is never all in memory; the folder itself changes
    // only when the transaction commits, after the build succeeded.
    let mut staging = std::sync::Arc::new(output::Staging::begin(dir));
    let sink = |staging: &std::sync::Arc<output::Staging>| {
        Some(staging.clone() as std::sync::Arc<dyn crate::output::FileSink>)
    };
    // Without the list of inputs there is nothing to compare with.
    let mut resumed = match (kept, inputs) {
        (Some(kept), Some(inputs)) => Engine::resume(
            options.site.clone(),
            kept,
            inputs,
            &dir.path,
            &dir.manifest,
            sink(&staging),
        ),
        _ => None,
    };
    // A file of the kept state that went or changed while this build read
    // it (another build of the site removing it): what was rendered from
    // the state goes, with what was staged, and the build starts over.
    if resumed.as_ref().is_some_and(Engine::lost_kept_state) {
        drop(resumed.take());
        abort(staging);
        staging = std::sync::Arc::new(output::Staging::begin(dir));
    }
    let resumed_from_state = resumed.is_some();
    let engine = match resumed {
        Some(engine) => Ok(engine),
        None => Engine::streaming(options.site.clone(), progress, sink(&staging)),
    };
    let mut engine = match engine {
        Ok(engine) => engine,
        Err(problems) => {
            abort(staging);
            return Err(Failure::Errors(problems));
        }
    };
    engine.end_streaming();
    let diagnostics = engine.diagnostics();
    if diagnostics.has_errors() {
        abort(staging);
        return Err(Failure::Errors(diagnostics));
    }
    // The engine gave the sink back: this is its only handle.
    let Ok(staging) = std::sync::Arc::try_unwrap(staging) else {
        unreachable!("the engine no longer holds the staging");
    };
    Ok((engine, staging, resumed_from_state))
}

/// Names the kept state's new body (`None`: it could not be written, and
/// the state goes) in a new header for the next build.
fn keep_header(
    root: &std::path::Path,
    identity: u64,
    engine: &Engine,
    dir: &guard::OutputDir,
    inputs: Vec<state::Input>,
    today: String,
    body: Option<state::SavedBody>,
) {
    let mut header = state::Header::new(identity);
    header.inputs = inputs;
    header.today = today;
    header.pages = engine.site().pages.len();
    header.quiet = engine.diagnostics().is_empty();
    header.manifest = state::manifest_print(&dir.manifest);
    match body {
        Some(body) => {
            header.name(body);
            let _ = state::save_header(root, &header);
        }
        None => state::clear(root),
    }
}

/// Removes what a failed build staged.
fn abort(staging: std::sync::Arc<output::Staging>) {
    // Every engine that held it is gone on the paths that call this.
    if let Ok(staging) = std::sync::Arc::try_unwrap(staging) {
        staging.abort();
    }
}

/// Loads, links and renders everything, and writes nothing.
pub fn check(options: &SiteOptions) -> Result<Generated, Failure> {
    generate_into(options, &Quiet, Some(std::sync::Arc::new(Discard))).map_err(Failure::Errors)
}

#[cfg(test)]
mod tests;
