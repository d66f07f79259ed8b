//! attache: a static-site generator for trade briefings.
//!
//! The pipeline, one module per stage:
//!
//! - [`content`] — load: find content files, split and check front matter
//! - [`markdown`] — render each body to HTML, collecting headings and `@/` links
//! - [`link`] — resolve references, backlinks, the sector tree, related pages
//! - [`render`] — Tera templates over the linked [`site::Site`]
//! - [`output`] — write only what changed, never after a failed build
//!
//! [`build`] runs them in order; [`config`], [`diagnostic`] and [`urls`]
//! are shared by all. The modules are layers, each importing only those
//! below it: docs/architecture.md has the picture, and `.ci/layers.py`
//! checks that no import goes upward.

pub mod alloc;
pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod engine;
pub mod fs;
pub mod fuzzing;
pub mod link;
pub mod live;
pub mod lock;
pub mod markdown;
pub mod output;
pub mod problems;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod store;
pub mod theme;
pub mod tokenize;
pub mod urls;
pub mod watch;
pub mod watcher;

pub use build::{BuildOptions, BuildReport, Failure, build, check, generate};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use site::{Site, SiteOptions};
