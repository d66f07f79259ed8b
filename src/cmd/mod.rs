//! The command line: one module per command, in the manner of mdBook's
//! `src/cmd/`. Each parses its own arguments and runs the library; this
//! module holds what they share. Exit status: 0 success, 1 content or
//! template errors, 2 usage errors.

mod build;
mod check;
mod export;
mod import;
mod init;
mod new;
mod report;
mod serve;
mod theme;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use attache::SiteOptions;
use report::Reporter;

const AFTER_HELP: &str = "\
Examples:
  attache serve --open               preview at http://127.0.0.1:1111/, live
  attache build                      build the site in this folder into public/
  attache build --base-url https://example.org/briefings/
  attache check --root my-site       validate everything, write nothing
  attache export --format csv --kind meetings > meetings.csv
  attache new briefs \"Tokyo talks\"   start a new brief
  attache init my-site               create a new site
  attache import zola ../blog my-site   move a Zola (or Hugo) site over

A site is a folder with attache.toml, content/<kind>/*.md, optional
templates/ and static/. See README.md and docs/ for the details.";

/// What `attache --version` prints after the name: the release, the
/// commit and the day it was built (see build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("ATTACHE_COMMIT"),
    " ",
    env!("ATTACHE_BUILD_DATE"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "attache",
    version = VERSION,
    about = "Build a cross-linked static site of trade briefings, meetings, agencies and sectors.",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to use colors in messages.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    ///
    /// The output folder is only changed when the whole site builds
    /// without errors, and then all at once: a build that fails or is
    /// stopped leaves the previous site. attache records the files it
    /// writes in .attache-manifest.json in the output folder and only ever
    /// replaces or removes those; it refuses a folder that holds other
    /// files and no manifest (a folder with only dotfiles, such as a deploy
    /// repository's .git, counts as empty). What a build read and wrote is
    /// kept in .attache/ in the site, so the next build redoes only what
    /// changed.
    Build(build::BuildArgs),
    /// Serve the site on this machine, rebuilding it as you edit.
    ///
    /// The site is built in memory and served over HTTP; browsers reload by
    /// themselves after each change (stylesheets are swapped in place). While
    /// a file has errors the browser shows its last good version with the
    /// errors over it, until they are fixed. The first line printed is the
    /// site's URL.
    Serve(serve::ServeArgs),
    /// Build the site into the output folder and keep it up to date as you edit.
    ///
    /// Like `serve` without the server: each change rebuilds only what it
    /// affects and writes only the files that changed, all of a change at
    /// once. Nothing is written while the site has errors.
    Watch(watch::WatchArgs),
    /// Load, link and render everything, report every problem, write nothing.
    Check(check::CheckArgs),
    /// Print the desk's data (as data/ in the output holds it) to standard
    /// output, without building the site.
    ///
    /// `--format json --kind meetings` prints every meeting with its front
    /// matter, URL, references and what mentions it; `--format json` alone
    /// the graph of every page and reference; `--format csv --kind K` a
    /// row a page, for spreadsheets. The formats are in docs/data.md.
    Export(export::ExportArgs),
    /// Create a new site in DIR (which must be new or empty).
    Init(init::InitArgs),
    /// Write a Zola or Hugo site over as an attache site in DIR (new or
    /// empty), its pages at the same URLs.
    ///
    /// Sections become kinds, taxonomies kinds of stub pages, front matter
    /// is renamed (`description` is `summary`, Hugo's `lastmod` `updated`),
    /// a page whose URL is not `/<kind>/<slug>/` keeps it with `path`, a
    /// bundle's files are published beside its page, Hugo's `{{< >}}`
    /// shortcodes are rewritten. What could not be carried over is listed
    /// at the end. The old site is only read. See docs/migrating.md.
    Import(import::ImportArgs),
    /// Create a page of KIND with front matter for TITLE.
    ///
    /// The file is content/<KIND>/<slug of TITLE>.md; an existing file is
    /// never overwritten.
    New(Box<new::NewArgs>),
    /// The default theme's templates: list them, or copy some into the
    /// site's templates/ to edit (`attache theme copy briefs/page.html`).
    Theme(theme::ThemeArgs),
}

/// The options every command that reads a site takes.
#[derive(Args)]
pub struct SiteArgs {
    /// The site folder (with attache.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(&self) -> SiteOptions {
        SiteOptions {
            drafts: self.drafts,
            ..SiteOptions::new(&self.root)
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.color {
        Color::Auto => {}
        Color::Always => anstream::ColorChoice::Always.write_global(),
        Color::Never => anstream::ColorChoice::Never.write_global(),
    }
    let reporter = Reporter::new();
    match cli.command {
        Command::Build(args) => build::run(args, &reporter),
        Command::Serve(args) => serve::run(args, &reporter),
        Command::Watch(args) => watch::run(args, &reporter),
        Command::Check(args) => check::run(args, &reporter),
        Command::Export(args) => export::run(args, &reporter),
        Command::Init(args) => init::run(args, &reporter),
        Command::Import(args) => import::run(args, &reporter),
        Command::New(args) => new::run(*args, &reporter),
        Command::Theme(args) => theme::run(args, &reporter),
    }
}
