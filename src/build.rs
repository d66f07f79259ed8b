//! The whole pipeline: load → link → render → write.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::Engine;
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
    let mut dir = guard::open_output(root, &output, options.force).map_err(Failure::Usage)?;
    let generated = generate(&options.site, progress).map_err(Failure::Errors)?;
    let stats =
        output::write(&generated.outputs, &mut dir).map_err(|e| Failure::Errors(e.into()))?;
    Ok(BuildReport {
        pages: generated.pages,
        files: generated.outputs.len(),
        stats,
        output: dir.path,
        diagnostics: generated.diagnostics,
        elapsed: started.elapsed(),
        recovered: dir.recovered,
    })
}

/// Loads, links and renders everything, and writes nothing.
pub fn check(options: &SiteOptions) -> Result<Generated, Failure> {
    generate(options, &Quiet).map_err(Failure::Errors)
}
