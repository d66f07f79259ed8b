//! `attache watch`: the incremental rebuild of `serve`, writing to the
//! output folder instead of serving.
//!
//! Each batch of changed files is written as one transaction (see
//! [`crate::output::transaction`]), so the folder holds one version of the
//! site or the next, never a mix. While the site has errors nothing is
//! written (as for a failed build); what changed meanwhile is written as
//! soon as the errors are fixed.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::build::Failure;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::{Engine, Update};
use crate::live::{self, Report};
use crate::output::{self, guard::OutputDir, guard::open_output};
use crate::site::SiteOptions;
use crate::watcher::Batches;

/// Options of `attache watch`.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub site: SiteOptions,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub poll: bool,
    /// Write into a folder attache did not make (see `build --force`).
    pub force: bool,
}

/// Builds the site into the output folder, then keeps it up to date until
/// the process is stopped.
pub fn watch(options: WatchOptions, report: impl Report) -> Result<(), Failure> {
    let root = options
        .site
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.site.root.clone());
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    // The report need not be shareable between threads; the lock's
    // message goes straight to the terminal, as the report's would.
    let say = |message: &str| eprintln!("{message}");
    let takeover = crate::output::guard::Takeover {
        force: options.force,
        command: "watch",
        wait: crate::lock::Wait::Yes(&say),
    };
    let mut output = open_output(&root, &output, takeover).map_err(Failure::Usage)?;
    let mut batches = Batches::new(&root, options.poll)
        .map_err(|e| Failure::Usage(Diagnostic::error(e).hint("try --poll")))?;
    let mut live = Engine::new(options.site).map_err(Failure::Errors)?;
    live.defer_search();
    report.started(&format!(
        "Watching {}, writing into {}",
        root.display(),
        output.path.display()
    ));
    if let Some(note) = &output.recovered {
        report.note(note);
    }

    let shown = live.diagnostics();
    report.diagnostics(&shown, &shown);
    let mut dirty = Dirty::default();
    if shown.has_errors() {
        report.warning("the site has errors: the output folder is written once they are fixed");
        dirty.everything = true;
    } else {
        write_all(&live, &mut output, &report);
    }

    let mut writer = Writer {
        output,
        dirty,
        report: &report,
    };
    live::run(&mut live, &mut batches, &mut writer, &report);
    Ok(())
}

/// Writes each update into the output folder, once the site has no errors.
struct Writer<'a, R: Report> {
    output: OutputDir,
    dirty: Dirty,
    report: &'a R,
}

impl<R: Report> live::Handler for Writer<'_, R> {
    fn update(&mut self, engine: &Engine, update: &Update, diagnostics: &Diagnostics) {
        self.dirty.add(update);
        if !diagnostics.has_errors() {
            flush(engine, &mut self.output, &mut self.dirty, self.report);
        }
    }
}

/// Output files changed since they were last written.
#[derive(Debug, Default)]
struct Dirty {
    changed: BTreeSet<String>,
    removed: BTreeSet<String>,
    /// Nothing was written yet: write the whole site.
    everything: bool,
}

impl Dirty {
    fn add(&mut self, update: &Update) {
        for path in &update.changed {
            self.removed.remove(path);
            self.changed.insert(path.clone());
        }
        for path in &update.removed {
            self.changed.remove(path);
            self.removed.insert(path.clone());
        }
    }
}

fn write_all(live: &Engine, output: &mut OutputDir, report: &impl Report) {
    match output::write(live.outputs(), output) {
        Ok(stats) => report.note(&format!(
            "wrote {} files into {} ({} unchanged, {} removed)",
            stats.written,
            output.path.display(),
            stats.unchanged,
            stats.removed
        )),
        Err(failure) => {
            let problems = Diagnostics::from(failure.problems);
            report.diagnostics(&problems, &problems);
        }
    }
}

fn flush(live: &Engine, output: &mut OutputDir, dirty: &mut Dirty, report: &impl Report) {
    if dirty.everything {
        dirty.everything = false;
        dirty.changed.clear();
        dirty.removed.clear();
        write_all(live, output, report);
        return;
    }
    if dirty.changed.is_empty() && dirty.removed.is_empty() {
        return;
    }
    let changed = std::mem::take(&mut dirty.changed);
    let removed = std::mem::take(&mut dirty.removed);
    match output::write_changes(live.outputs(), &changed, &removed, output) {
        // The loop reported the update; the folder now holds it.
        Ok(_) => {}
        Err(failure) => {
            // Written again with the next change.
            dirty.changed = changed;
            dirty.removed = removed;
            let problems = Diagnostics::from(failure.problems);
            report.diagnostics(&problems, &problems);
        }
    }
}
