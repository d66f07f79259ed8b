//! attache: a static-site generator for trade briefings.
//!
//! The pipeline, one module per stage:
//!
//! - `content` — load: find content files, split and check front matter
//! - `markdown` — render each body to HTML, collecting headings and `@/` links
//! - `link` — resolve references, backlinks, the sector tree, related pages
//! - `render` — Tera templates over the linked [`Site`]
//! - `output` — write only what changed, never after a failed build
//!
//! [`build()`] runs them in order; `config`, `diagnostic` and `urls` are
//! shared by all. The modules are layers, each importing only those below
//! it: docs/architecture.md has the picture, and `.ci/layers.py` checks
//! that no import goes upward. The modules are the crate's own; what the
//! library offers (build, check, the [`Engine`], serve, watch, scaffold,
//! export) is re-exported below, and the program and the tests use that.

pub(crate) mod alloc;
pub(crate) mod build;
pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod diagnostic;
pub(crate) mod engine;
pub(crate) mod fs;
pub(crate) mod import;
pub(crate) mod link;
pub(crate) mod live;
pub(crate) mod lock;
pub(crate) mod markdown;
pub(crate) mod output;
pub(crate) mod problems;
pub(crate) mod render;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod store;
pub(crate) mod theme;
pub(crate) mod tokenize;
pub(crate) mod urls;
pub(crate) mod watch;
pub(crate) mod watcher;

/// Properties every input must keep (proptest), across modules.
#[cfg(test)]
mod properties;

pub mod fuzzing;

// The library's API: what the attache program and the tests use. The
// modules themselves are the crate's own.
pub use alloc::Counting;
pub use build::{BuildOptions, BuildReport, Failure, Generated, build, check, generate};
pub use diagnostic::{Diagnostic, Diagnostics, Severity, SourceFile, display_path};
pub use engine::{Engine, Progress, Quiet, SETTLE_WINDOW, Update};
pub use import::{Generator, Imported, import_site};
pub use live::Report;
pub use lock::Wait;
pub use render::export::{Format as ExportFormat, export};
pub use render::strings::lacking_words;
pub use scaffold::{NewPage, copy_templates, init, new_page, theme_templates};
pub use serve::{ServeOptions, serve};
pub use site::{Site, SiteOptions};
pub use watch::{WatchOptions, watch};

/// Writing an engine's outputs into a folder, as `watch` does: for
/// programs (and tests) that drive an [`Engine`] themselves.
pub mod write {
    pub use crate::output::guard::{OutputDir, Takeover, open_output};
    pub use crate::output::transaction::recover;
    pub use crate::output::{Body, Outputs, write, write_changes};
}
