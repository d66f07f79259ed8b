//! The whole pipeline: load → link → render → write.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::{Engine, cache};
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
}

/// A site built in memory.
pub struct Generated {
    pub outputs: Outputs,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub pages: usize,
}

/// Loads, links and renders the site in memory (one [`Engine`]),
/// collecting every problem. `Err` when any of them is an error.
pub fn generate(options: &SiteOptions, progress: &dyn Progress) -> Result<Generated, Diagnostics> {
    let engine = Engine::with_progress(options.clone(), progress)?;
    let diagnostics = engine.diagnostics();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let pages = engine.site().pages.len();
    Ok(Generated {
        outputs: engine.into_outputs(),
        diagnostics,
        pages,
    })
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
    options.today.map(|d| d.to_string()).hash(&mut h);
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
    let mut dir = guard::open_output(root, &output, options.force).map_err(Failure::Usage)?;
    timings.mark("the output folder's manifest");
    let identity = identity(&options.site, &dir.path);
    let state = match options.clean {
        true => None,
        false => cache::load(root, identity),
    };
    timings.mark("reading the last build's state");
    let resumed = state.is_some();
    let engine = match state {
        Some(state) => Engine::resume(
            options.site.clone(),
            state,
            &dir.path,
            &dir.manifest,
            progress,
        ),
        None => Engine::with_progress(options.site.clone(), progress),
    }
    .map_err(Failure::Errors)?;
    let diagnostics = engine.diagnostics();
    if diagnostics.has_errors() {
        return Err(Failure::Errors(diagnostics));
    }
    timings.mark("building");
    let stats = output::write_engine(&engine, &mut dir).map_err(|e| Failure::Errors(e.into()))?;
    timings.mark("writing");
    // The output folder is written; keep what the next build starts from.
    // A state that cannot be written only makes the next build slower.
    let _ = cache::save(root, &engine.state(identity));
    timings.mark("keeping the state");
    Ok(BuildReport {
        pages: engine.site().pages.len(),
        files: dir.manifest.files.len(),
        stats,
        output: dir.path,
        diagnostics,
        elapsed: started.elapsed(),
        recovered: dir.recovered,
        resumed,
    })
}

/// Loads, links and renders everything, and writes nothing.
pub fn check(options: &SiteOptions) -> Result<Generated, Failure> {
    generate(options, &Quiet).map_err(Failure::Errors)
}
