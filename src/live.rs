//! The rebuild loop that `serve` and `watch` share: wait for a batch of
//! changed files, apply it to the engine, report it, and hand the update
//! to what the command does with it (serve it over HTTP, write it to
//! disk). The search index, the slowest output, catches up once no change
//! is waiting.

use std::time::Duration;

use crate::diagnostic::Diagnostics;
use crate::engine::{Engine, Update};
use crate::watcher::Batches;

/// Reports what `serve` and `watch` do, as it happens (the CLI prints it).
pub trait Report: Send + 'static {
    /// The first line printed (on stdout): what runs where.
    fn started(&self, line: &str);
    fn warning(&self, text: &str);
    /// Something worth a line: files written, the search index updated.
    fn note(&self, text: &str);
    /// The problems, whenever they change: those that `appeared` since the
    /// last report (a problem is shown once, not again while it stands),
    /// and all that stand now.
    fn diagnostics(&self, appeared: &Diagnostics, standing: &Diagnostics);
    fn rebuilt(&self, update: &Update);
}

/// What a command does with each update of the engine.
pub trait Handler {
    /// Called after every batch of changes, and again each time the search
    /// index has caught up.
    fn update(&mut self, engine: &Engine, update: &Update, diagnostics: &Diagnostics);
}

/// How long the search index waits for more changes before catching up.
const SEARCH_WAIT: Duration = Duration::from_millis(150);

/// Applies each batch of changes until watching stops.
pub fn run(
    engine: &mut Engine,
    batches: &mut Batches,
    handler: &mut impl Handler,
    report: &impl Report,
) {
    let mut shown = engine.diagnostics();
    while let Some(paths) = batches.next_batch() {
        let update = engine.apply(paths);
        let diagnostics = engine.diagnostics();
        if !update.is_empty() {
            report.rebuilt(&update);
        }
        if diagnostics != shown {
            report.diagnostics(&appeared(&shown, &diagnostics), &diagnostics);
            shown = diagnostics.clone();
        }
        handler.update(engine, &update, &diagnostics);
        while engine.search_stale() && !batches.pending(SEARCH_WAIT) {
            let update = engine.refresh_search();
            handler.update(engine, &update, &diagnostics);
        }
    }
}

/// The problems in `now` that were not in `before`.
fn appeared(before: &Diagnostics, now: &Diagnostics) -> Diagnostics {
    // As they read: the same problem at the same place, said the same way.
    let known: std::collections::HashSet<String> = before.iter().map(|d| d.render(false)).collect();
    now.iter()
        .filter(|d| !known.contains(&d.render(false)))
        .cloned()
        .collect::<Vec<_>>()
        .into()
}
