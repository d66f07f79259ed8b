//! All the diagnostics of a run together: sorted, counted, capped per
//! file, and shown.

use std::path::Path;

use super::{Diagnostic, Severity, display_path};

/// All the diagnostics of a run, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(more);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Errors found, those not shown included.
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.count)
            .sum()
    }

    /// Warnings found, those not shown included.
    pub fn warning_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.count)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, then position, errors before warnings at the same
    /// place, and drops exact duplicates, so output is the same every run.
    /// A file with more than `MAX_PER_FILE` problems keeps the first of
    /// them; the rest are counted in one note per severity.
    pub fn sort(&mut self) {
        self.sort_all();
        self.cap_per_file();
    }

    fn cap_per_file(&mut self) {
        let mut out = Vec::with_capacity(self.0.len());
        let mut items = std::mem::take(&mut self.0).into_iter().peekable();
        while let Some(first) = items.next() {
            let file = first.file().map(Path::to_path_buf);
            let mut group = vec![first];
            while let Some(next) = items.next_if(|d| d.file().map(Path::to_path_buf) == file) {
                group.push(next);
            }
            let (shown, hidden) = if group.len() > MAX_PER_FILE && file.is_some() {
                let hidden = group.split_off(MAX_PER_FILE);
                (group, hidden)
            } else {
                (group, Vec::new())
            };
            out.extend(shown);
            let Some(file) = file else { continue };
            for severity in [Severity::Error, Severity::Warning] {
                let count: usize = hidden
                    .iter()
                    .filter(|d| d.severity == severity)
                    .map(|d| d.count)
                    .sum();
                if count == 0 {
                    continue;
                }
                let what = match (severity, count) {
                    (Severity::Error, 1) => "error",
                    (Severity::Error, _) => "errors",
                    (Severity::Warning, 1) => "warning",
                    (Severity::Warning, _) => "warnings",
                };
                let mut note = match severity {
                    Severity::Error => Diagnostic::error(format!(
                        "{count} more {what} in {} are not shown",
                        display_path(&file)
                    )),
                    Severity::Warning => Diagnostic::warning(format!(
                        "{count} more {what} in {} are not shown",
                        display_path(&file)
                    )),
                }
                .in_file(file.clone())
                .hint("fix the ones above and run again; the count goes down as you go");
                note.count = count;
                out.push(note);
            }
        }
        self.0 = out;
    }

    fn sort_all(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.file().map(Path::to_path_buf),
                    // The notes that count unshown problems go last.
                    d.count > 1,
                    d.location.as_ref().map(|l| l.span.start),
                    d.severity,
                    d.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        self.0.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}

/// At most this many problems of one file are shown; the rest are counted.
pub const MAX_PER_FILE: usize = 20;
