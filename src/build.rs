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

/// Whether the output folder holds exactly what the last build (whose
/// state says `header`) left in it, untouched since.
fn output_in_place(header: &cache::Header, dir: &guard::OutputDir) -> bool {
    use rayon::prelude::*;
    cache::manifest_print(&dir.manifest) == header.manifest
        && dir.manifest.files.par_iter().all(|(path, entry)| {
            crate::output::manifest::Manifest::is_intact(entry, &dir.path.join(path))
        })
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
    // The inputs as they are before anything is read: a file that changes
    // while this build runs differs from this list at the next build.
    let scanned = std::time::SystemTime::now();
    let inputs = cache::scan_inputs(root);
    let today = options
        .site
        .today
        .unwrap_or_else(crate::site::today)
        .to_string();
    let mut state = match options.clean {
        true => None,
        false => cache::load(root, identity),
    };
    timings.mark("reading the last build's state");
    if let Some(header) = state.as_ref().map(|s| &s.header)
        && header.quiet
        && inputs.as_ref() == Some(&header.inputs)
        && header.today == today
        && output_in_place(header, &dir)
    {
        timings.mark("nothing changed");
        return Ok(BuildReport {
            pages: header.pages,
            files: dir.manifest.files.len(),
            stats: WriteStats {
                unchanged: dir.manifest.files.len(),
                ..WriteStats::default()
            },
            output: dir.path,
            diagnostics: Diagnostics::new(),
            elapsed: started.elapsed(),
            recovered: dir.recovered,
            resumed: true,
        });
    }
    // Without the list of inputs there is nothing to compare with.
    let resumed = match (&mut state, &inputs) {
        (Some(state), Some(inputs)) => Engine::resume(
            options.site.clone(),
            state,
            inputs,
            &dir.path,
            &dir.manifest,
        ),
        _ => None,
    };
    let resumed_from_state = resumed.is_some();
    let engine = match resumed {
        Some(engine) => engine,
        None => Engine::with_progress(options.site.clone(), progress).map_err(Failure::Errors)?,
    };
    let diagnostics = engine.diagnostics();
    if diagnostics.has_errors() {
        return Err(Failure::Errors(diagnostics));
    }
    timings.mark("building");
    // What the next build starts from is written while the output is: it
    // is named by the state's header only once the output is in place. A
    // state that cannot be written only makes the next build slower.
    let (written, body) = std::thread::scope(|scope| {
        let body = scope.spawn(|| engine.keep_body());
        let written = output::write_engine(&engine, &mut dir);
        (written, body.join().ok().and_then(Result::ok))
    });
    let stats = match written {
        Ok(stats) => stats,
        Err(e) => {
            if let Some(body) = body {
                cache::discard_body(root, &body);
            }
            return Err(Failure::Errors(e.into()));
        }
    };
    timings.mark("writing, and keeping the state");
    let mut header = cache::Header::new(identity);
    header.inputs = cache::settle(inputs.unwrap_or_default(), scanned);
    header.today = today;
    header.pages = engine.site().pages.len();
    header.quiet = diagnostics.is_empty();
    header.manifest = cache::manifest_print(&dir.manifest);
    drop(state);
    match body {
        Some(body) => {
            header.body = body;
            let _ = cache::save_header(root, &header);
        }
        None => cache::clear(root),
    }
    timings.mark("the state's header");
    let pages = engine.site().pages.len();
    // Freeing a site's worth of memory takes a while: not on the way out.
    std::thread::spawn(move || drop(engine));
    Ok(BuildReport {
        pages,
        files: dir.manifest.files.len(),
        stats,
        output: dir.path,
        diagnostics,
        elapsed: started.elapsed(),
        recovered: dir.recovered,
        resumed: resumed_from_state,
    })
}

/// Loads, links and renders everything, and writes nothing.
pub fn check(options: &SiteOptions) -> Result<Generated, Failure> {
    generate(options, &Quiet).map_err(Failure::Errors)
}
